#!/usr/bin/env bash
# test_plugins_formats.sh — the shipped output formats (plugins/formats:
# markdown, csv, html, latex, briefing) driven through the real binary on
# the worked example (scripts/alaska-talks.json) and on a small model whose
# names hold characters each format must escape (tests/data/formats/
# specials.json).  Checks a few cells against the JSON document and against
# the hand computation below, the escaping, the CSV shape (RFC 4180 quoting,
# one field count per record, CRLF), that the HTML page asks for nothing
# outside itself and closes every tag it opens, the LaTeX booktabs rules and
# escapes, analyses a later engine may add (Monte Carlo, SMAA, unknown ones)
# and bad parameters.  Uses sh, awk, grep and sed only.  Prints "N passed, N
# failed" and exits non-zero when anything failed.
#
# specials.json by hand.  minmax on the fixed scale [0, 10] maps a cost x to
# (10 - x) / 10 and a gain x to x / 10.  The given weighting of a model with
# actors is the mean of the actors' weights: cost (0.75 + 0.25) / 2 = 0.5,
# gain (0.25 + 0.75) / 2 = 0.5.  Utilities (wsm):
#   a,1  s|1: 0.5*0.8 + 0.5*0.8 = 0.8   s,2: 0.5*0.6 + 0.5*0.4 = 0.5
#   b"q  s|1: 0.5*0.4 + 0.5*1.0 = 0.7   s,2: 0.5*0.5 + 0.5*0.6 = 0.55
#   c    s|1: 0.5*1.0 + 0.5*0.2 = 0.6   s,2: 0.5*0.9 + 0.5*0.3 = 0.6
# Expected over (0.4, 0.6): a,1 0.32 + 0.30 = 0.62, b"q 0.28 + 0.33 = 0.61,
# c 0.24 + 0.36 = 0.6.  Actor x&y (cost 0.75, gain 0.25): c 0.77, a,1 0.65,
# b"q 0.535; actor z (0.25, 0.75): b"q 0.685, a,1 0.59, c 0.43 -- opposite
# orders, Kendall tau-b -1.  EVPI: 0.4*0.8 + 0.6*0.6 - 0.62 = 0.06.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/formats
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$(dirname "$0")/lib.sh"

ALASKA=$SRC/scripts/alaska-talks.json
SPECIALS=$DATA/specials.json
SHIPPED=$SRC/plugins/formats

# run NAME FILE ARGS...: parley run ARGS into FILE; passes when it exits 0
# with nothing on stderr.
run() {
  local name=$1 file=$2
  shift 2
  "$PARLEY" run "$@" >"$file" 2>"$TMP/stderr"
  local rc=$?
  if [ "$rc" = 0 ] && [ ! -s "$TMP/stderr" ]; then ok "$name runs"
  else fail "$name runs: exit $rc" "$(cat "$TMP/stderr")"; fi
}

# file_has NAME FILE PATTERN: a line of FILE matches the extended regex
# (has, lacks and contains of lib.sh check a text, these a file).
file_has() {
  if grep -Eq -- "$3" "$2"; then ok "$1"
  else fail "$1: no line matches /$3/" "$(head -n 40 "$2")"; fi
}
# file_has_text NAME FILE TEXT: FILE holds TEXT as it is.
file_has_text() {
  if grep -Fq -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3'" "$(head -n 40 "$2")"; fi
}
file_lacks() {
  if grep -Eq -- "$3" "$2"; then
    fail "$1: a line matches /$3/" "$(grep -En -- "$3" "$2" | head -n 5)"
  else ok "$1"; fi
}
file_lacks_text() {
  if grep -Fq -- "$3" "$2"; then fail "$1: '$3' is there" "$(grep -Fn -- "$3" "$2" | head -n 5)"
  else ok "$1"; fi
}
# joined FILE: the text on one line, runs of blanks made one space (for
# text that a format wraps).
joined() { tr -s ' \n' '  ' <"$1"; }
has_joined() {
  if joined "$2" | grep -Fq -- "$3"; then ok "$1"; else fail "$1: no '$3'" "$(head -n 40 "$2")"; fi
}

# same_number NAME A B: A and B are the same double.
same_number() {
  if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a != "" && b != "" && a + 0 == b + 0) }'; then
    ok "$1"
  else fail "$1: '$2' is not '$3'"; fi
}
# near NAME A B: A is B within 1e-12 (a hand computation against floating point).
near() {
  if awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; exit !(a != "" && d <= 1e-12 && d >= -1e-12) }'
  then ok "$1"
  else fail "$1: '$2' is not '$3'"; fi
}

# From the JSON document (indented by the json format, one field a line).
# Ids are given as the document writes them (a quote as \"); ENVIRON keeps
# awk from reading their backslashes as escapes.
json_score() {
  K="\"strategy\": \"$2\"," awk 'index($0, ENVIRON["K"]) { getline; sub(/.*"score": /, "")
    print; exit }' "$1"
}
json_utility() {
  S="\"$2\": {" K="\"$3\": " awk '
    /^  "utilities": \{/ { inu = 1; next }
    inu && /^  [}]/ { exit }
    inu && index($0, ENVIRON["S"]) { ins = 1; next }
    ins && index($0, ENVIRON["K"]) {
      v = substr($0, index($0, ENVIRON["K"]) + length(ENVIRON["K"]))
      sub(/,$/, "", v); print v; exit
    }
    ins && /[}]/ { ins = 0 }' "$1"
}
fixed4() { awk -v v="$1" 'BEGIN { printf "%.4f", v }'; }

# CSV (RFC 4180), read with quotes honoured: one line per record, its
# field count, then its fields unquoted, tab-separated (cut -f 2 is the
# first field).  A stray quote (in an unquoted field, or after a closing
# one) prints "bad".
csv_records() {
  awk '
    function parse(s,   i, c, n, f, inq, closed) {
      n = 0; f = ""; inq = 0; closed = 0; out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (inq) {
          if (c != "\"") { f = f c; continue }
          if (substr(s, i + 1, 1) == "\"") { f = f "\""; i++; continue }
          inq = 0; closed = 1
        } else if (c == ",") {
          n++; out = out "\t" f; f = ""; closed = 0
        } else if (closed || (c == "\"" && f != "")) {
          return -2
        } else if (c == "\"") {
          inq = 1
        } else {
          f = f c
        }
      }
      if (inq) return -1
      n++; out = out "\t" f
      return n
    }
    { sub(/\r$/, ""); rec = cont ? rec "\n" $0 : $0
      n = parse(rec)
      if (n == -1) { cont = 1; next }
      cont = 0
      if (n == -2) print "bad\t" rec; else print n out }
    END { if (cont) print "bad\tunterminated quote" }'
}

# Every tag opened is closed, in order; <.../> closes itself; <!...> is
# not a tag.  Prints the first fault.
tag_faults() {
  awk 'BEGIN { RS = ">" }
    {
      n = split($0, part, "<")
      if (n < 2) next
      tag = part[n]
      if (tag ~ /^!/ || tag ~ /\/$/) next
      if (tag ~ /^\//) {
        name = substr(tag, 2)
        if (depth == 0 || stack[depth] != name) {
          print "</" name "> closes <" (depth ? stack[depth] : "nothing") ">"; bad = 1; exit
        }
        depth--
        next
      }
      name = tag
      sub(/[ \t\n].*/, "", name)
      stack[++depth] = name
    }
    END { if (!bad && depth) print "<" stack[depth] "> is never closed" }' "$1"
}

# LaTeX: braces balance once \{ and \} are set aside.
brace_faults() {
  awk '{ s = $0; gsub(/\\[{}]/, "", s); o += gsub(/[{]/, "", s); c += gsub(/[}]/, "", s) }
    END { if (o != c) print o " { and " c " }" }' "$1"
}

# Markdown: every line of a table has as many unescaped | as its header.
pipe_faults() {
  awk '/^\|/ { s = $0; gsub(/\\\\/, "", s); gsub(/\\\|/, "", s); n = gsub(/\|/, "", s)
      if (!intable) { want = n; intable = 1 } else if (n != want) print NR ": " $0
      next }
    { intable = 0 }' "$1"
}

# LaTeX: within each tabular, every row has as many unescaped & as the
# first.
amp_faults() {
  awk '/\\begin\{(tabular|longtable)\}/ { want = -1; intab = 1; next }
    /\\end\{(tabular|longtable)\}/ { intab = 0; next }
    intab && /\\tabularnewline$/ { s = $0; gsub(/\\&/, "", s); n = gsub(/&/, "", s)
      if (want < 0) want = n; else if (n != want) print NR ": " $0 }' "$1"
}

no_faults() {
  local out
  out=$("$2" "$3")
  if [ -z "$out" ]; then ok "$1"; else fail "$1" "$out"; fi
}

run "json of the worked example" "$TMP/alaska.json" "$ALASKA" --format json
run "json of the specials model" "$TMP/specials.json" "$SPECIALS" --format json

# ---- the plugins are shipped -----------------------------------------------------
call "$PARLEY" plugins --kind format
# markdown, html and latex share report.lua (it returns the list of the three).
for f in briefing:briefing csv:csv html:report latex:report markdown:report; do
  file=${f#*:} f=${f%%:*}
  if printf '%s\n' "$out" | grep -Eq "^$f +format +.*plugins/formats/$file\.lua$"; then
    ok "parley plugins lists $f from plugins/formats"
  else fail "parley plugins lists $f from plugins/formats" "$out"; fi
done

# ---- csv -------------------------------------------------------------------------
run "csv of the worked example" "$TMP/alaska.csv" "$ALASKA" --format csv
csv_records <"$TMP/alaska.csv" >"$TMP/alaska.rec"
header="8 strategy rank score utility:ceasefire-agreement utility:increased-sanctions"
header="$header utility:territorial-concessions utility:strengthened-alliances utility:escalation"
same "csv header" "$(head -n 1 "$TMP/alaska.rec" | tr '\t' ' ')" "$header"
same "csv has a header and one record per strategy" "$(wc -l <"$TMP/alaska.rec" | tr -d ' ')" 7
same "csv records all have 8 fields" "$(cut -f 1 "$TMP/alaska.rec" | sort -u)" 8
if awk '!/\r$/ { bad = 1 } END { exit bad }' "$TMP/alaska.csv"; then ok "csv lines end with CRLF"
else fail "csv lines end with CRLF"; fi
# field RECORDS LINE K: field K of the record on line LINE.
field() { sed -n "$2p" "$1" | cut -f $(($3 + 1)); }
same "csv is in ranking order" "$(field "$TMP/alaska.rec" 2 1) $(field "$TMP/alaska.rec" 2 2)" \
  "diplomatic-engagement 1"
same_number "csv score of the best matches the JSON" "$(field "$TMP/alaska.rec" 2 3)" \
  "$(json_score "$TMP/alaska.json" diplomatic-engagement)"
same "csv third row is joint-reconstruction" "$(field "$TMP/alaska.rec" 4 1)" joint-reconstruction
same_number "csv utility joint-reconstruction x ceasefire-agreement matches the JSON" \
  "$(field "$TMP/alaska.rec" 4 4)" \
  "$(json_utility "$TMP/alaska.json" joint-reconstruction ceasefire-agreement)"
same_number "csv utility joint-reconstruction x escalation matches the JSON" \
  "$(field "$TMP/alaska.rec" 4 8)" \
  "$(json_utility "$TMP/alaska.json" joint-reconstruction escalation)"

run "csv of the specials model" "$TMP/specials.csv" "$SPECIALS" --format csv:eol=lf,names=true
csv_records <"$TMP/specials.csv" >"$TMP/specials.rec"
file_lacks "csv quoting reads back (no stray quote)" "$TMP/specials.rec" '^bad'
same "csv records of the specials model all have 6 fields" \
  "$(cut -f 1 "$TMP/specials.rec" | sort -u)" 6
same "csv header quotes the scenario id with a comma" "$(head -n 1 "$TMP/specials.csv")" \
  'strategy,name,rank,score,utility:s|1,"utility:s,2"'
same "csv quotes a field with a comma" "$(sed -n 2p "$TMP/specials.csv")" \
  '"a,1",Alpha | one & <b>bold</b>,1,0.62,0.8,0.5'
same "csv doubles a quote inside a quoted field" "$(sed -n 3p "$TMP/specials.csv")" \
  '"b""q","Beta ""quoted"", 50%_off",2,0.61,0.7,0.55'
same "csv fields read back" "$(sed -n 3p "$TMP/specials.rec" | tr '\t' '/')" \
  '6/b"q/Beta "quoted", 50%_off/2/0.61/0.7/0.55'
same "csv field with | and & reads back" "$(field "$TMP/specials.rec" 2 2)" \
  'Alpha | one & <b>bold</b>'
same_number "csv score of a,1 matches the JSON" "$(field "$TMP/specials.rec" 2 4)" \
  "$(json_score "$TMP/specials.json" 'a,1')"
near "csv score of a,1 is 0.62 (by hand)" "$(field "$TMP/specials.rec" 2 4)" 0.62
same_number "csv utility b\"q x s,2 matches the JSON" "$(field "$TMP/specials.rec" 3 6)" \
  "$(json_utility "$TMP/specials.json" 'b\"q' 's,2')"
near "csv utility b\"q x s,2 is 0.55 (by hand)" "$(field "$TMP/specials.rec" 3 6)" 0.55
if awk '/\r/ { bad = 1 } END { exit bad }' "$TMP/specials.csv"; then
  ok "csv eol=lf ends lines with LF"
else fail "csv eol=lf ends lines with LF"; fi
run "csv digits=3" "$TMP/digits.csv" "$SPECIALS" --format csv:digits=3
same "csv digits=3 fixes the decimals" "$(sed -n 2p "$TMP/digits.csv" | tr -d '\r')" \
  '"a,1",1,0.620,0.800,0.500'

# ---- markdown --------------------------------------------------------------------
run "markdown of the worked example" "$TMP/alaska.md" "$ALASKA" --format markdown
file_has "markdown title" "$TMP/alaska.md" '^# U\.S\.-Russia talks in Alaska'
best=$(fixed4 "$(json_score "$TMP/alaska.json" diplomatic-engagement)")
file_has "markdown ranking row 1 (score from the JSON, 4 decimals)" "$TMP/alaska.md" \
  "^\| +1 \| Regular diplomatic and backchannel engagement +\| diplomatic-engagement +\| $best \|$"
u=$(fixed4 "$(json_utility "$TMP/alaska.json" joint-reconstruction ceasefire-agreement)")
file_has "markdown utilities row (value from the JSON)" "$TMP/alaska.md" \
  "^\| Joint reconstruction projects +\| +$u \|"
file_has "markdown numeric columns are right-aligned" "$TMP/alaska.md" '^\| -+: \| :-+ \| :-+ \| -+: \|$'
file_has "markdown per-actor rankings" "$TMP/alaska.md" \
  '^\| +1 \| 1\. Regular diplomatic and backchannel engagement \(0\.5970\) '\
'\| 1\. Joint reconstruction projects \(0\.5195\) +\|$'
file_has "markdown actor agreement" "$TMP/alaska.md" '^\| U\.S\. delegation +\| +1\.0000 \| +0\.3333 \|$'
file_has "markdown value of information" "$TMP/alaska.md" \
  '^\| EVPI \(expected value of perfect information\) \| 0\.0333 \|$'
file_has "markdown scenario notes" "$TMP/alaska.md" \
  '^\| Ceasefire agreement +\| ceasefire-agreement +\| +0\.3000 \| '\
'Reduction in violence\. +\| Potential for betrayal and breaches\. +\|$'
no_faults "markdown tables keep their column count" pipe_faults "$TMP/alaska.md"

run "markdown of the specials model" "$TMP/specials.md" "$SPECIALS" --format markdown
file_has_text "markdown escapes | & < > in a name" "$TMP/specials.md" \
  '| Alpha \| one \& \<b\>bold\</b\>         | a,1 | 0.6200 |'
file_has_text "markdown escapes _ and keeps quotes" "$TMP/specials.md" 'Beta "quoted", 50%\_off'
file_has_text "markdown escapes ~ # \$ { } \\" "$TMP/specials.md" 'Gamma \~ ^ \# \$ \{ \} \\ back'
file_has_text "markdown escapes a scenario id" "$TMP/specials.md" '| s\|1 |'
file_lacks_text "markdown leaves no raw HTML tag" "$TMP/specials.md" '<b>'
file_has_text "markdown joins a line break in the description" "$TMP/specials.md" 'and a line break.'
no_faults "markdown tables keep their column count with | in names" pipe_faults "$TMP/specials.md"
# Hand computation (header): 0.62, 0.61, 0.6; tau -1; EVPI 0.06.
file_has "markdown hand-computed scores" "$TMP/specials.md" '^\| +3 \| Gamma .*\| c +\| 0\.6000 \|$'
file_has "markdown hand-computed tau" "$TMP/specials.md" \
  '^\| Party \\<X\\> \\& Co \| +1\.0000 \| +-1\.0000 \|$'
file_has "markdown hand-computed EVPI" "$TMP/specials.md" '^\| EVPI .*\| 0\.0600 \|$'

run "markdown top=2,digits=2" "$TMP/top.md" "$ALASKA" --format markdown:top=2,digits=2
file_has "markdown digits=2" "$TMP/top.md" '^\| +1 \| Regular diplomatic .*\| +0\.55 \|$'
file_has "markdown top=2 says so" "$TMP/top.md" 'Showing the best 2 of 6 strategies\.'
file_lacks "markdown top=2 leaves out the third" "$TMP/top.md" '^\| +3 \|'

# ---- html ------------------------------------------------------------------------
run "html of the worked example" "$TMP/alaska.html" "$ALASKA" --format html
file_has "html is an HTML5 document" "$TMP/alaska.html" '^<!DOCTYPE html>$'
file_lacks "html refers to nothing outside (no http)" "$TMP/alaska.html" '[Hh][Tt][Tt][Pp]'
file_lacks "html has no script, link, src or import" "$TMP/alaska.html" '<script|<link|src=|@import'
file_lacks "html uses url() only for its own gradient" "$TMP/alaska.html" 'url\([^#]'
no_faults "html closes every tag it opens" tag_faults "$TMP/alaska.html"
file_has "html has the score bar chart" "$TMP/alaska.html" '<svg class="bars"'
file_has "html bar of the best (score from the JSON)" "$TMP/alaska.html" ">$best</text></g>$"
file_has "html has the utility heat map" "$TMP/alaska.html" '<svg class="heatmap"'
file_has "html heat map has a legend" "$TMP/alaska.html" 'fill="url\(#parley-utility-scale\)"'
file_has "html heat-map cell (value from the JSON)" "$TMP/alaska.html" \
  "Joint reconstruction projects / Ceasefire agreement: $u</title>"
file_has "html per-actor rankings" "$TMP/alaska.html" '<h3>Actors&#39; rankings</h3>'
file_has "html per-actor ranking cell" "$TMP/alaska.html" \
  '<td>1\. Joint reconstruction projects \(0\.5195\)</td>'

run "html of the specials model" "$TMP/specials.html" "$SPECIALS" --format html
file_has_text "html escapes & < > in a name" "$TMP/specials.html" \
  '<td>Alpha | one &amp; &lt;b&gt;bold&lt;/b&gt;</td>'
file_has_text "html escapes double quotes" "$TMP/specials.html" 'Beta &quot;quoted&quot;, 50%_off'
file_has_text "html escapes single quotes" "$TMP/specials.html" 'back &#39;single&#39;'
file_has_text "html escapes the title" "$TMP/specials.html" \
  '<title>Pipes | &amp; &lt;tags&gt; &quot;quoted&quot; 100% snake_case, commas</title>'
file_lacks_text "html leaves no raw tag from a name" "$TMP/specials.html" '<b>'
no_faults "html with escaped names closes every tag" tag_faults "$TMP/specials.html"
run "html again" "$TMP/again.html" "$SPECIALS" --format html
if cmp -s "$TMP/specials.html" "$TMP/again.html"; then ok "html is the same on every run"
else fail "html is the same on every run"; fi

# ---- latex -----------------------------------------------------------------------
run "latex of the worked example" "$TMP/alaska.tex" "$ALASKA" --format latex
n_tables=$(grep -c '^\\begin{table}' "$TMP/alaska.tex")
if [ "$n_tables" -ge 8 ]; then ok "latex has a table environment per section"
else fail "latex has a table environment per section: $n_tables"; fi
same "latex: a \\toprule per table" "$(grep -c '\\toprule$' "$TMP/alaska.tex")" "$n_tables"
same "latex: a \\midrule per table" "$(grep -c '\\midrule$' "$TMP/alaska.tex")" "$n_tables"
same "latex: a \\bottomrule per table" "$(grep -c '\\bottomrule$' "$TMP/alaska.tex")" "$n_tables"
file_has "latex ranking row 1 (score from the JSON)" "$TMP/alaska.tex" \
  "^    1 & (\\\\raggedright )?Regular diplomatic and backchannel engagement & "\
"diplomatic-engagement & $best \\\\tabularnewline$"
file_lacks "latex fragment has no preamble" "$TMP/alaska.tex" 'documentclass'
no_faults "latex braces balance" brace_faults "$TMP/alaska.tex"
no_faults "latex rows keep their column count" amp_faults "$TMP/alaska.tex"

run "latex standalone of the specials model" "$TMP/specials.tex" "$SPECIALS" \
  --format latex:standalone=true
same "latex standalone starts a document" "$(head -n 1 "$TMP/specials.tex")" \
  '\documentclass{article}'
file_has_text "latex standalone loads booktabs" "$TMP/specials.tex" '\usepackage{booktabs}'
file_has_text "latex standalone begins the document" "$TMP/specials.tex" '\begin{document}'
same "latex standalone ends the document" "$(tail -n 1 "$TMP/specials.tex")" '\end{document}'
file_has_text "latex escapes | & < > in a name" "$TMP/specials.tex" \
  'Alpha \textbar{} one \& \textless{}b\textgreater{}bold\textless{}/b\textgreater{}'
file_has_text "latex escapes % and _" "$TMP/specials.tex" 'Beta "quoted", 50\%\_off'
file_has_text "latex escapes ~ ^ # \$ { } \\" "$TMP/specials.tex" \
  'Gamma \textasciitilde{} \textasciicircum{} \# \$ \{ \} \textbackslash{} back'
file_has_text "latex escapes the criterion's unit" "$TMP/specials.tex" 'k\$ \textbar{} year'
file_lacks "latex leaves no bare %" "$TMP/specials.tex" '(^|[^\\])%'
file_lacks "latex leaves no bare _" "$TMP/specials.tex" '(^|[^\\])_'
# A bare $ is only the math of a minus sign, $-$.
bare=$(awk '{ s = $0; gsub(/\$-\$/, "", s); gsub(/\\[$#]/, "", s) } s ~ /[$#]/' "$TMP/specials.tex")
if [ -z "$bare" ]; then ok "latex leaves no bare # or \$"
else fail "latex leaves no bare # or \$" "$bare"; fi
no_faults "latex braces balance with escaped braces in names" brace_faults "$TMP/specials.tex"
no_faults "latex rows keep their column count with & in names" amp_faults "$TMP/specials.tex"
file_has "latex sets a minus sign in math" "$TMP/specials.tex" '& \$-\$1\.0000 '

# ---- briefing --------------------------------------------------------------------
run "briefing of the worked example" "$TMP/alaska.txt" "$ALASKA" --format briefing
for h in '## Bottom line' '## Scenarios' '## Strategies' '## Potential outcomes by scenario' \
         '## Overall ranking' '## Ranking per delegation'; do
  file_has "briefing has '$h'" "$TMP/alaska.txt" "^$h\$"
done
file_has "briefing scenario row with its outcomes" "$TMP/alaska.txt" \
  '^  1  Ceasefire agreement +30%  Reduction in violence\. +Potential for betrayal and'
# Cells wrap within their columns; with room enough each is one line.
run "briefing width=1000" "$TMP/wide.txt" "$ALASKA" --format briefing:width=1000
file_has "briefing scenario row, unwrapped" "$TMP/wide.txt" \
  '^  3  Territorial concessions +15%  Potential for peace talks to advance\. +'\
'Legitimising aggression and undermining sovereignty\.$'
# joint-reconstruction: its description, its notes, then its best and worst
# scenario from its utilities in the JSON (ceasefire-agreement 0.7742,
# escalation 0.1225), two decimals.
file_has "briefing strategy row: description and potential outcomes" "$TMP/wide.txt" \
  '^  Joint reconstruction projects +Jointly funded rebuilding of infrastructure, '\
'energy and housing in war-affected regions\. +Economic revival .* wasted if fighting '\
'resumes\. Best case: Ceasefire agreement \(0\.77\); worst case: Escalation: the talks '\
'break down \(0\.12\)\.$'
file_has "briefing overall ranking row" "$TMP/alaska.txt" \
  '^     1  Regular diplomatic and backchannel engagement   0\.55$'
file_has "briefing ranking per delegation" "$TMP/alaska.txt" \
  '^     1  Regular diplomatic and backchannel engagement  Joint reconstruction projects \(0\.52\)$'
file_has "briefing bottom line" "$TMP/alaska.txt" \
  '^- Recommended: Regular diplomatic and backchannel engagement \(score 0\.55'
long=$(awk 'NR > 1 && length > 100' "$TMP/alaska.txt")
if [ -z "$long" ]; then ok "briefing fits 100 columns"
else fail "briefing fits 100 columns" "$long"; fi

run "briefing of the specials model" "$TMP/specials.txt" "$SPECIALS" --format briefing:actor=party
file_has_text "briefing shows names as they are" "$TMP/specials.txt" 'Alpha | one & <b>bold</b>'
file_has "briefing actor=party" "$TMP/specials.txt" '^## Ranking per party$'
file_has "briefing probability as a percentage" "$TMP/specials.txt" '^  2  Bust, "down"_2 +60%'
has_joined "briefing hand-computed tau" "$TMP/specials.txt" 'Party <X> & Co and Zed | 100% -1.00.'

# ---- analyses a later engine may add ---------------------------------------------
# Each shipped format wrapped in a plugin that adds Monte Carlo, SMAA, an
# analysis no format knows and stage diagnostics to the result it is given.
mkdir -p "$TMP/future"
for f in markdown html latex csv briefing; do
  # report.lua returns a list of three plugins: pick the one named $f.
  file=$f
  case $f in markdown | html | latex) file=report ;; esac
  {
    echo 'local inner = (function()'
    cat "$SHIPPED/$file.lua"
    echo 'end)()'
    echo "if inner.api == nil then for _, p in ipairs(inner) do if p.name == \"$f\" then inner = p end end end"
    cat <<EOF
return {api = 1, kind = "format", name = "$f-future", summary = "adds analyses",
  write = function(result, out, params)
    result.analyses = result.analyses or {}
    result.analyses.montecarlo = {n = 1000, seed = 7, partial = false, strategies = {
      ["a,1"] = {mean = 0.61, sd = 0.05, q05 = 0.52, q50 = 0.61, q95 = 0.7,
                 rank_probabilities = {0.5, 0.3, 0.2}},
      ['b"q'] = {mean = 0.6, sd = 0.04, q05 = 0.53, q50 = 0.6, q95 = 0.67,
                 rank_probabilities = {0.3, 0.4, 0.3}},
      c = {mean = 0.59, sd = 0.01, q05 = 0.58, q50 = 0.59, q95 = 0.6,
           rank_probabilities = {0.2, 0.3, 0.5}}}}
    result.analyses.smaa = {n = 1000, seed = 7, partial = true,
      acceptability = {["a,1"] = {0.45, 0.35, 0.2}, ['b"q'] = {0.35, 0.4, 0.25},
                       c = {0.2, 0.25, 0.55}},
      central_weights = {["a,1"] = {cost_total = 0.6, gain = 0.4},
                         ['b"q'] = {cost_total = 0.3, gain = 0.7},
                         c = {cost_total = 0.9, gain = 0.1}},
      confidence = {["a,1"] = 0.9, ['b"q'] = 0.8, c = 0.7},
      winning = {["a,1"] = {['b"q'] = 0.55, c = 0.6}, ['b"q'] = {["a,1"] = 0.45, c = 0.58},
                 c = {["a,1"] = 0.4, ['b"q'] = 0.42}}}
    result.analyses["sensitivity <x>"] = {anything = {1, 2, {deep = true}}}
    result.diagnostics = {weighting = {consistency_ratio = 0.03, ["note|x"] = "a & <b>",
                                       nested = {{x = 1}, {x = 2.5}}}}
    return inner.write(result, out, params)
  end}
EOF
  } >"$TMP/future/$f.lua"
done
for f in markdown html latex csv briefing; do
  run "$f with analyses it may not know" "$TMP/future.$f" "$SPECIALS" --plugins "$TMP/future" \
    --format "$f-future"
done
file_has "markdown shows Monte Carlo" "$TMP/future.markdown" \
  '^\| Alpha .*\| 0\.6100 \| 0\.0500 \| 0\.5200 \| 0\.6100 \| 0\.7000 \| '\
' +0\.5000 \| +0\.3000 \| +0\.2000 \|$'
file_has "markdown shows SMAA acceptability and confidence" "$TMP/future.markdown" \
  '^\| Alpha .*\| +0\.4500 \| +0\.3500 \| +0\.2000 \| +0\.9000 \|$'
file_has "markdown says SMAA was partial" "$TMP/future.markdown" 'partial: the analysis stopped early'
file_has_text "markdown names the unknown analysis" "$TMP/future.markdown" \
  'not shown by this format: sensitivity \<x\>'
file_has "markdown shows diagnostics" "$TMP/future.markdown" \
  '^\| weighting \| nested\\\[2\\\]\.x +\| 2\.5000 +\|$'
file_has_text "markdown escapes diagnostics" "$TMP/future.markdown" \
  '| weighting | note\|x            | a \& \<b\>'
no_faults "markdown with analyses keeps its tables" pipe_faults "$TMP/future.markdown"
file_has "html shows Monte Carlo" "$TMP/future.html" '<h2>Monte Carlo</h2>'
file_has_text "html names the unknown analysis" "$TMP/future.html" 'sensitivity &lt;x&gt;'
no_faults "html with analyses closes every tag" tag_faults "$TMP/future.html"
file_has_text "latex shows SMAA" "$TMP/future.latex" '\caption{Rank acceptability}'
file_has_text "latex names the unknown analysis" "$TMP/future.latex" \
  'sensitivity \textless{}x\textgreater{}'
no_faults "latex with analyses balances braces" brace_faults "$TMP/future.latex"
no_faults "latex with analyses keeps its rows" amp_faults "$TMP/future.latex"
if cmp -s "$TMP/future.csv" <("$PARLEY" run "$SPECIALS" --format csv); then
  ok "csv ignores analyses"
else fail "csv ignores analyses"; fi
file_has "briefing shows robustness" "$TMP/future.briefing" \
  '^  Alpha \| one & <b>bold</b> +50%  0\.52 to 0\.70 +45% +90%$'
has_joined "briefing names what it leaves out" "$TMP/future.briefing" \
  'Not in this briefing: the sensitivity <x> analysis, the diagnostics of the weighting stage'

# ---- bad parameters --------------------------------------------------------------
bad_param() {
  local name=$1 format=$2 pattern=$3
  call "$PARLEY" run "$SPECIALS" --format "$format"
  if [ "$rc" = 2 ] && [ -z "$out" ] && printf '%s\n' "$err" | grep -Eq -- "$pattern"; then
    ok "$name"
  else fail "$name: exit $rc" "$err"; fi
}
bad_param "markdown refuses digits=x" markdown:digits=x 'report\.lua: format markdown: digits'
bad_param "html refuses top=0" html:top=0 'report\.lua: format html: top'
bad_param "latex refuses standalone=maybe" latex:standalone=maybe 'format latex: standalone'
bad_param "csv refuses an unknown parameter" csv:frobnicate=1 "unknown parameter 'frobnicate'"
bad_param "csv refuses eol=cr" csv:eol=cr 'format csv: eol'
bad_param "briefing refuses width=10" briefing:width=10 'format briefing: width'

# --output takes a plugin format's text whole.
call "$PARLEY" run "$ALASKA" --format markdown --output "$TMP/out.md"
if [ "$rc" = 0 ] && cmp -s "$TMP/out.md" "$TMP/alaska.md"; then ok "--output writes a plugin format"
else fail "--output writes a plugin format: exit $rc" "$err"; fi

finish
