#!/usr/bin/env bash
# test_output.sh — what `parley run` writes: the result document (--format
# json, DESIGN.md section 4) and the text report, on small models whose
# results are worked out by hand below.  Prints "N passed, N failed" and
# exits non-zero when anything failed.
#
# JSON is checked on its text with spaces and newlines removed (no id in
# these models has a space) and every number rounded to 12 significant
# digits (so 0.19999999999999996, the last bit of a sum, reads as the 0.2
# worked out by hand), so a check reads like the document:
#   {"rank":1,"strategy":"risky","score":0.5}
# and, when python3 is installed, the document is also parsed as JSON.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/cli
. "$(dirname "$0")/lib.sh"

# Rounds each number that follows ':', ',' or '[' to 12 significant digits.
round_numbers() {
  awk '{
    out = ""; s = $0
    while (match(s, /(:|,|\[)-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
      out = out substr(s, 1, RSTART) sprintf("%.12g", substr(s, RSTART + 1, RLENGTH - 1) + 0)
      s = substr(s, RSTART + RLENGTH)
    }
    print out s
  }'
}

# json NAME ARGS...: runs parley with --format json; $doc is the flattened
# document, $raw the text as written.
json() {
  local name=$1
  shift
  raw=$("$PARLEY" run "$@" --format json 2>"$TMP/stderr")
  local rc=$?
  doc=$(printf '%s' "$raw" | tr -d ' \n' | round_numbers)
  if [ "$rc" = 0 ]; then ok "$name runs"; else fail "$name runs: exit $rc" "$(cat "$TMP/stderr")"; fi
  parses "$name is valid JSON" "$raw"
}

# text NAME ARGS...: runs parley with --format text into $txt.
text() {
  local name=$1
  shift
  txt=$("$PARLEY" run "$@" --format text 2>"$TMP/stderr")
  local rc=$?
  if [ "$rc" = 0 ]; then ok "$name runs"; else fail "$name runs: exit $rc" "$(cat "$TMP/stderr")"; fi
}

parses() {
  if ! command -v python3 >/dev/null 2>&1; then
    echo "skip - $1 (python3 is not installed)"
    return
  fi
  if printf '%s' "$2" | python3 -c 'import json, sys; json.load(sys.stdin)' 2>"$TMP/pyerr"; then
    ok "$1"
  else fail "$1" "$(cat "$TMP/pyerr")"; fi
}

PAYOFF=$DATA/payoff.json
TIES=$DATA/ties.json
ACTORS=$DATA/actors.json

# ---- the payoff model ----------------------------------------------------------
# One criterion (payoff, max, weight 1), two equally likely scenarios:
#             good  bad
#   risky      100    0
#   safe        40   30
#   middle      70   10
# minmax over the criterion's values (0..100) gives u = payoff / 100:
#   risky 1.0 0.0    safe 0.4 0.3    middle 0.7 0.1
# expected:  risky 0.5*1.0 + 0.5*0.0 = 0.5, middle 0.5*0.7 + 0.5*0.1 = 0.4,
#            safe 0.5*0.4 + 0.5*0.3 = 0.35         -> risky, middle, safe
# maximin:   risky min(1.0, 0.0) = 0, middle 0.1, safe 0.3
#                                                  -> safe, middle, risky
# hurwicz alpha=0.6 (0.6 * best + 0.4 * worst):
#            risky 0.6, middle 0.42 + 0.04 = 0.46, safe 0.24 + 0.12 = 0.36
# minimax-regret (lower is better): best per scenario good 1.0, bad 0.3;
#   regrets risky (0, 0.3), middle (0.3, 0.2), safe (0.6, 0)
#   largest: risky 0.3, middle 0.3, safe 0.6      -> risky = middle, safe
# EVPI: with perfect information one picks risky in good (1.0) and safe in
#   bad (0.3): 0.5*1.0 + 0.5*0.3 = 0.65; without, the best expected value is
#   0.5 (risky); EVPI = 0.65 - 0.5 = 0.15.
json "payoff model" "$PAYOFF"
contains "the document names the library and format" "$doc" '"parley":{"version":"0.1.0","result_format":1}'
contains "the document names the model" "$raw" '"name": "Payoff under two scenarios"'
if command -v sha256sum >/dev/null 2>&1; then
  sum=$(sha256sum "$PAYOFF" | cut -d' ' -f1)
  contains "the model hash is the SHA-256 of the file" "$doc" "\"sha256\":\"$sum\""
fi
contains "the pipeline is the model's" "$doc" \
  '"pipeline":{"weighting":{"name":"given"},"normalization":{"name":"minmax"},"aggregation":{"name":"wsm"},"rule":{"name":"expected"}}'
contains "the weights" "$doc" '"weights":{"payoff":1}'
contains "the probabilities" "$doc" '"probabilities":{"good":0.5,"bad":0.5}'
contains "the utilities of risky" "$doc" '"risky":{"good":1,"bad":0}'
contains "the utilities of safe" "$doc" '"safe":{"good":0.4,"bad":0.3}'
contains "expected: higher is better" "$doc" '"order":"descending"'
contains "expected: the ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"risky","score":0.5},{"rank":2,"strategy":"middle","score":0.4},{"rank":3,"strategy":"safe","score":0.35}]'
contains "the value of information" "$doc" \
  '"analyses":{"evpi":{"expected_value":0.5,"expected_value_perfect_information":0.65,"evpi":0.15}}'
lacks "no actors without actors" "$doc" '"actors"'
lacks "no NaN in the document" "$(printf '%s' "$raw" | tr 'A-Z' 'a-z')" 'nan'
if [ "$("$PARLEY" run "$PAYOFF" --format json | tail -c 2 | od -An -c | tr -d ' ')" = '}\n' ]; then
  ok "the document ends with one newline"
else fail "the document ends with one newline"; fi

json "maximin override" "$PAYOFF" --rule maximin
contains "maximin: the pipeline says so" "$doc" '"rule":{"name":"maximin"}'
contains "maximin: the ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"safe","score":0.3},{"rank":2,"strategy":"middle","score":0.1},{"rank":3,"strategy":"risky","score":0}]'

json "hurwicz override" "$PAYOFF" --rule hurwicz:alpha=0.6
contains "hurwicz: the parameter is in the pipeline" "$doc" '"rule":{"name":"hurwicz","alpha":0.6}'
contains "hurwicz: the ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"risky","score":0.6},{"rank":2,"strategy":"middle","score":0.46},{"rank":3,"strategy":"safe","score":0.36}]'

json "minimax-regret override" "$PAYOFF" --rule minimax-regret
contains "minimax-regret: lower is better" "$doc" '"order":"ascending"'
contains "minimax-regret: risky shares first place" "$doc" '{"rank":1,"strategy":"risky","score":0.3}'
contains "minimax-regret: middle shares first place" "$doc" '{"rank":1,"strategy":"middle","score":0.3}'
contains "minimax-regret: safe is third" "$doc" '{"rank":3,"strategy":"safe","score":0.6}'

text "payoff report" "$PAYOFF"
has "the report opens with the model's name" "$txt" '^Payoff under two scenarios$'
has "the report shows the rule" "$txt" '^  rule +expected$'
has "the report says higher is better" "$txt" '^Ranking \(higher score is better\)$'
has "the report's ranking table has a header" "$txt" '^  rank +strategy +name +score$'
has "the report ranks risky first" "$txt" '^ +1 +risky +Risky venture +0\.5000$'
has "the report ranks middle second" "$txt" '^ +2 +middle +Middle road +0\.4000$'
has "the report ranks safe third" "$txt" '^ +3 +safe +Safe bond +0\.3500$'
has "the report shows the weights" "$txt" '^  payoff +Payoff +1\.0000 +max$'
has "the report shows the probabilities" "$txt" '^  good +Good year +0\.5000$'
has "the report's utilities header" "$txt" '^  strategy +good +bad$'
has "the report's utilities of risky" "$txt" '^  risky +1\.0000 +0\.0000$'
has "the report's expected value" "$txt" '^  expected value +0\.5000$'
has "the report's value with perfect information" "$txt" '^  with perfect information +0\.6500$'
has "the report's EVPI" "$txt" '^  EVPI .* 0\.1500$'
# Columns line up: the score column ends at the same place on every row.
ends=$(printf '%s\n' "$txt" | grep -E '^ +[0-9]+ +(risky|safe|middle) ' | awk '{ print length($0) }' | sort -u | wc -l)
if [ "$ends" = 1 ]; then ok "the report's ranking columns line up"
else fail "the report's ranking columns line up" "$txt"; fi

text "payoff report under minimax-regret" "$PAYOFF" --rule minimax-regret
has "the report says lower is better" "$txt" '^Ranking \(lower score is better\)$'
has "the report shares first place" "$txt" '^ +1 +middle +Middle road +0\.3000$'

# Without probabilities the default rule is laplace, the plain mean over the
# scenarios: with two scenarios the same numbers as expected above.
json "model without probabilities" "$DATA/noprob.json"
contains "no probabilities: laplace by default" "$doc" '"rule":{"name":"laplace"}'
lacks "no probabilities: none in the document" "$doc" '"probabilities"'
lacks "no probabilities: no value of information" "$doc" '"analyses"'
contains "no probabilities: the ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"risky","score":0.5},{"rank":2,"strategy":"middle","score":0.4},{"rank":3,"strategy":"safe","score":0.35}]'
text "report without probabilities" "$DATA/noprob.json"
if printf '%s\n' "$txt" | grep -q '^Scenario probabilities'; then
  fail "no probabilities: the report has no probability table" "$txt"
else ok "no probabilities: the report has no probability table"; fi
has "no probabilities: the report still has utilities" "$txt" '^  strategy +good +bad$'

# Same input, same bytes.
a=$("$PARLEY" run "$PAYOFF" --format json)
b=$("$PARLEY" run "$PAYOFF" --format json)
if [ "$a" = "$b" ]; then ok "the document is the same on every run"; else fail "the document is the same on every run"; fi

# ---- ties share a rank -----------------------------------------------------------
# One criterion, no scenarios: values 9, 5, 5, 1; minmax over 1..9 gives
# (x - 1) / 8 = 1, 0.5, 0.5, 0.  The model has the one implicit scenario
# "base" of probability 1, so the default rule is expected and the scores are
# the utilities.  bravo and charlie tie for second place, so delta is fourth:
# ranks 1, 2, 2, 4.
json "ties model" "$TIES"
contains "ties: alpha first" "$doc" '{"rank":1,"strategy":"alpha","score":1}'
contains "ties: bravo second" "$doc" '{"rank":2,"strategy":"bravo","score":0.5}'
contains "ties: charlie also second" "$doc" '{"rank":2,"strategy":"charlie","score":0.5}'
contains "ties: delta fourth" "$doc" '{"rank":4,"strategy":"delta","score":0}'
contains "ties: the implicit scenario" "$doc" '"utilities":{"alpha":{"base":1},'
lacks "no value of information with one implicit scenario" "$doc" '"analyses"'
text "ties report" "$TIES"
has "ties report: alpha 1" "$txt" '^ +1 +alpha +alpha +1\.0000$'
has "ties report: bravo 2" "$txt" '^ +2 +bravo +bravo +0\.5000$'
has "ties report: charlie 2" "$txt" '^ +2 +charlie +charlie +0\.5000$'
has "ties report: delta 4" "$txt" '^ +4 +delta +delta +0\.0000$'
has "ties report: no scenarios" "$txt" 'no scenarios'

# ---- actors ------------------------------------------------------------------------
# cost (min) 10, 20, 30 -> minmax, turned so that higher is better:
#   (30 - x) / 20 = cheap 1, mid 0.5, premium 0
# quality (max) 2, 6, 10 -> (x - 2) / 8 = cheap 0, mid 0.5, premium 1
# model weights 0.65 / 0.35 (also the influence-weighted mean of the actors:
#   (3 * 0.8 + 1 * 0.2) / 4 = 0.65): cheap 0.65, mid 0.5, premium 0.35
# thrifty 0.8 / 0.2: cheap 0.8, mid 0.5, premium 0.2 -> cheap, mid, premium
# picky   0.2 / 0.8: cheap 0.2, mid 0.5, premium 0.8 -> premium, mid, cheap
# The two orders are reversed: every pair discordant, Kendall tau = -1;
# Spearman's rho -1; the weighted Spearman r_w (docs/methods.md, "Comparing
# rankings"): x + y = 4 at each place, so 1 - 6 (4 * 4 + 0 + 4 * 4) / 96 = -1;
# WS with thrifty (1, 2, 3) as the reference against (3, 2, 1):
# 1 - (2^-1 * 2/2 + 0 + 2^-3 * 2/2) = 0.375, and the same the other way.
json "actors model" "$ACTORS"
contains "actors: the main ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"cheap","score":0.65},{"rank":2,"strategy":"mid","score":0.5},{"rank":3,"strategy":"premium","score":0.35}]'
contains "actors: thrifty's weights and ranking" "$doc" \
  '"thrifty":{"weights":{"cost":0.8,"quality":0.2},"ranking":[{"rank":1,"strategy":"cheap","score":0.8},{"rank":2,"strategy":"mid","score":0.5},{"rank":3,"strategy":"premium","score":0.2}]}'
contains "actors: picky's ranking" "$doc" \
  '"ranking":[{"rank":1,"strategy":"premium","score":0.8},{"rank":2,"strategy":"mid","score":0.5},{"rank":3,"strategy":"cheap","score":0.2}]'
contains "actors: their agreement" "$doc" \
  '"actor_agreement":{"kendall_tau":[{"a":"thrifty","b":"picky","tau":-1}],"spearman":[{"a":"thrifty","b":"picky","rho":-1}],"weighted_spearman":[{"a":"thrifty","b":"picky","r_w":-1}],"ws":[{"reference":"thrifty","compared":"picky","ws":0.375},{"reference":"picky","compared":"thrifty","ws":0.375}]}'
text "actors report" "$ACTORS"
has "actors report: side by side" "$txt" '^  thrifty +picky$'
has "actors report: first places" "$txt" '^  1\. cheap +1\. premium$'
has "actors report: last places" "$txt" '^  3\. premium +3\. cheap$'
has "actors report: the weights" "$txt" '^  cost +0\.8000 +0\.2000$'
has "actors report: tau" "$txt" '^  thrifty +1\.0000 +-1\.0000$'

# ---- many strategies and many scenarios ----------------------------------------------
# 60 strategies s01..s60 with value = their number, one criterion: the
# ranking is s60 (rank 1) down to s01 (rank 60).  The report shows places
# 1-20, a line for the 35 in between, and places 56-60.
{
  printf '{"parley": 1, "name": "Sixty", "criteria": [{"id": "v", "direction": "max", "weight": 1}],\n'
  printf ' "strategies": ['
  for i in $(seq -w 1 60); do printf '%s{"id": "s%s"}' "$([ "$i" = 01 ] || echo ,)" "$i"; done
  printf '],\n "outcomes": {'
  for i in $(seq -w 1 60); do printf '%s"s%s": {"v": %d}' "$([ "$i" = 01 ] || echo ,)" "$i" "$((10#$i))"; done
  printf '}}\n'
} >"$TMP/sixty.json"
text "sixty strategies" "$TMP/sixty.json"
has "sixty: place 1" "$txt" '^ +1 +s60 '
has "sixty: place 20" "$txt" '^ +20 +s41 '
has "sixty: the cut" "$txt" '^  \.\.\. 35 more \.\.\.$'
has "sixty: place 56" "$txt" '^ +56 +s05 '
has "sixty: place 60" "$txt" '^ +60 +s01 '
if printf '%s\n' "$txt" | grep -Eq '^ +21 +s40 '; then fail "sixty: place 21 is cut"; else ok "sixty: place 21 is cut"; fi
json "sixty strategies" "$TMP/sixty.json"
n=$(printf '%s' "$doc" | grep -o '"rank":' | wc -l)
if [ "$n" = 60 ]; then ok "sixty: the document has every place"; else fail "sixty: the document has every place: $n"; fi

# 13 scenarios is past the 12 the utilities table shows.
{
  printf '{"parley": 1, "name": "Thirteen", "criteria": [{"id": "v", "direction": "max", "weight": 1}],\n'
  printf ' "strategies": [{"id": "a"}, {"id": "b"}],\n "scenarios": ['
  for k in $(seq 1 13); do printf '%s{"id": "k%d"}' "$([ "$k" = 1 ] || echo ,)" "$k"; done
  printf '],\n "outcomes": {'
  for s in a b; do
    printf '%s"%s": {' "$([ "$s" = a ] || echo ,)" "$s"
    for k in $(seq 1 13); do printf '%s"k%d": {"v": %d}' "$([ "$k" = 1 ] || echo ,)" "$k" "$k"; done
    printf '}'
  done
  printf '}}\n'
} >"$TMP/thirteen.json"
text "thirteen scenarios" "$TMP/thirteen.json"
has "thirteen: the utilities are left out" "$txt" '^Utilities: 13 scenarios, too many to show here'

# The model's description: in the result document, and wrapped at 78
# columns under the title of the report (by hand: "One ... thirteen" is 71
# characters and " fourteen" would make it 80, so the break falls there).
DESCRIBED=$DATA/described.json
json=$("$PARLEY" run "$DESCRIBED" --format json)
has "description in the result document" "$json" '"description": "One two three .* seventeen"'
txt=$("$PARLEY" run "$DESCRIBED")
has "description wrapped, first line" "$txt" '^One two three four five six seven eight nine ten eleven twelve thirteen$'
has "description wrapped, second line" "$txt" '^fourteen fifteen sixteen seventeen$'

# Wrapping counts characters, not bytes: 20 words "ééé" (3 characters, 6
# bytes each); by hand 19 words take 19*3 + 18 = 75 columns and a 20th would
# make 79, so the first line holds 19 (counting bytes would break after 13).
txt=$("$PARLEY" run "$DATA/described-utf8.json")
has "wrapping counts UTF-8 characters, first line" "$txt" '^(ééé ){18}ééé$'
has "wrapping counts UTF-8 characters, second line" "$txt" '^ééé$'

finish
