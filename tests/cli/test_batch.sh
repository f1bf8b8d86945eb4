#!/usr/bin/env bash
# test_batch.sh — `parley batch` end to end with the real binary: folders of
# good and malformed models (each good result the same as `parley run`'s),
# a manifest with per-job stages, a sweep of merge patches with stable ids,
# failure isolation and exit statuses, --ordered, CSV read back with awk,
# --job-timeout, and --resume after kill -9 at random moments, which must
# give the same ok lines as an uninterrupted run, no job twice.  Models are
# written here into $TMP, plus scripts/alaska-talks.json.  Needs only sh,
# awk, grep, sed and coreutils.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ALASKA=$SRC/scripts/alaska-talks.json
. "$(dirname "$0")/lib.sh"

# The one field that differs from run to run.
strip_seconds() { sed 's/"seconds":[0-9.]*,//' "$@"; }
# JSON text without the white space between tokens, which is what batch
# does to the result document of --format json.
compact() {
  awk '{
    out = ""; instr = 0; esc = 0
    for (i = 1; i <= length($0); i++) {
      c = substr($0, i, 1)
      if (instr) {
        out = out c
        if (esc) esc = 0; else if (c == "\\") esc = 1; else if (c == "\"") instr = 0
      }
      else if (c == "\"") { out = out c; instr = 1 }
      else if (c != " " && c != "\t" && c != "\r") out = out c
    }
    printf "%s", out
  } END { print "" }' "$@"
}
# The line of job ID in FILE, and the result document it carries.
line_of() { grep -F "{\"id\":\"$1\"," "$2"; }
result_of() { line_of "$1" "$2" | sed -e 's/^.*"seconds":[0-9.]*,"result"://' -e 's/}$//'; }
# The ranking array of a one-line result (the first: actors have theirs).
ranking_of() { grep -o '"ranking":\[[^]]*\]' | head -n 1; }
ids_of() { sed 's/^{"id":"\([^"]*\)".*$/\1/' "$@"; }
# `parley run MODEL ARGS... --format json`, compacted.
run_json() {
  local model=$1
  shift
  "$PARLEY" run "$model" "$@" --format json | compact
}

# A model without scenarios: three strategies on cost (min) and quality (max).
# model NAME COST_WEIGHT QUALITY_WEIGHT
model() {
  cat <<EOF
{"parley": 1, "name": "$1",
 "criteria": [{"id": "cost", "direction": "min", "weight": $2},
              {"id": "quality", "direction": "max", "weight": $3}],
 "strategies": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
 "outcomes": {"a": {"cost": 1, "quality": 2}, "b": {"cost": 2, "quality": 5},
              "c": {"cost": 3, "quality": 9}}}
EOF
}

M=$TMP/models
mkdir -p "$M/sub"
model "Good A" 0.5 0.5 >"$M/a-good.json"
model "Good B" 0.8 0.2 >"$M/b-good.json"
printf '{"parley": 1, "criteria": [\n' >"$M/c-syntax.json"
cat >"$M/d-incomplete.json" <<'EOF'
{"parley": 1, "name": "Incomplete",
 "criteria": [{"id": "cost", "direction": "min"}, {"id": "quality", "direction": "max"}],
 "strategies": [{"id": "a"}, {"id": "b"}],
 "outcomes": {"a": {"cost": 1, "quality": 2}}}
EOF
echo 'not a model' >"$M/notes.txt"
cp "$M/a-good.json" "$M/.hidden.json"
cp "$M/a-good.json" "$M/sub/e.json"

# ---- a folder of good and malformed models -----------------------------------------
expect_exit "a folder with bad models exits 1" 1 "$PARLEY" batch "$M" --jobs 2 \
  --output "$TMP/folder.jsonl"
has "the summary counts the jobs" "$err" '^parley: batch: 4 jobs: 2 ok, 2 failed'
same "every *.json of the folder is a job, and only those" "$(ids_of "$TMP/folder.jsonl" | sort)" \
  "$(printf '%s\n' "$M/a-good.json" "$M/b-good.json" "$M/c-syntax.json" "$M/d-incomplete.json")"
for f in a-good b-good; do
  same "$f: the result is parley run's" "$(result_of "$M/$f.json" "$TMP/folder.jsonl")" \
    "$(run_json "$M/$f.json")"
  has "$f: status ok" "$(line_of "$M/$f.json" "$TMP/folder.jsonl")" \
    '"status":"ok","input":"[0-9a-f]{16}"'
done
l=$(line_of "$M/c-syntax.json" "$TMP/folder.jsonl")
has "a malformed model is an error line" "$l" '"status":"error",.*"error":\{"code":"syntax"'
has "the error names the file and position" "$l" \
  '"message":"[^"]*c-syntax\.json: criteria\[0\] \(2:1\)'
l=$(line_of "$M/d-incomplete.json" "$TMP/folder.jsonl")
has "an incomplete model is an error line" "$l" '"error":\{"code":"invalid"'
has "the error names the file and JSON path" "$l" '"message":"[^"]*d-incomplete\.json: outcomes'
n=$(grep -c '' "$TMP/folder.jsonl")
same "one line per job" "$n" 4

expect_exit "good models only exit 0" 0 "$PARLEY" batch "$M/b-good.json" "$M/a-good.json"
same "a job per model, stdout by default" "$(printf '%s\n' "$out" | ids_of | sort)" \
  "$(printf '%s\n' "$M/a-good.json" "$M/b-good.json")"
has "the summary says all is well" "$err" '2 jobs: 2 ok, 0 failed'
expect_exit "--quiet and all well" 0 "$PARLEY" batch "$M/a-good.json" --quiet
same "--quiet and all well says nothing" "$err" ""

# ---- usage errors: exit 2, nothing run ----------------------------------------------------
expect_exit "a missing model is bad usage" 2 "$PARLEY" batch "$TMP/nowhere.json"
has "the missing model is named" "$err" 'nowhere\.json'
expect_exit "an unknown option" 2 "$PARLEY" batch "$M" --frobnicate
expect_exit "--shard is not available yet" 2 "$PARLEY" batch "$M" --shard 0/3
has "--shard says so" "$err" 'not available yet'
expect_exit "--resume needs --output" 2 "$PARLEY" batch "$M" --resume
expect_exit "--resume needs JSON Lines" 2 "$PARLEY" batch "$M" --resume --format csv \
  --output "$TMP/x.csv"
expect_exit "an unknown format" 2 "$PARLEY" batch "$M" --format xml
expect_exit "a bad --jobs" 2 "$PARLEY" batch "$M" --jobs two
expect_exit "a bad --job-timeout" 2 "$PARLEY" batch "$M" --job-timeout 0
expect_exit "a bad --fsync-every" 2 "$PARLEY" batch "$M" --fsync-every -1
expect_exit "an unknown global rule" 2 "$PARLEY" batch "$M" --rule frobnicate \
  --output "$TMP/never.jsonl"
has "the unknown rule is named" "$err" "^parley: --rule: unknown rule 'frobnicate'"
if [ -e "$TMP/never.jsonl" ]; then fail "bad usage writes no output"
else ok "bad usage writes no output"; fi
expect_exit "an unknown global analysis" 2 "$PARLEY" batch "$M" --analysis frobnicate
expect_exit "the same model twice" 2 "$PARLEY" batch "$M/a-good.json" "$M"
has "the duplicate id is named" "$err" "a-good\.json' is given twice"
expect_exit "--sweep without a base model" 2 "$PARLEY" batch --sweep "$TMP/none.jsonl"
expect_exit "--model without --sweep" 2 "$PARLEY" batch --model "$ALASKA"
expect_exit "standard input is not a batch input" 2 "$PARLEY" batch -

printf '{"id": "x", "model": "a.json"}\n{"id": "y", "model": \n' >"$TMP/bad-line.jsonl"
expect_exit "a manifest line that is not JSON" 2 "$PARLEY" batch --manifest "$TMP/bad-line.jsonl"
has "the manifest line is named" "$err" 'bad-line\.jsonl:2: not one JSON value'
printf '{"id": "x", "model": "a.json", "colour": "red"}\n' >"$TMP/bad-key.jsonl"
expect_exit "a manifest line with an unknown key" 2 "$PARLEY" batch --manifest "$TMP/bad-key.jsonl"
has "the unknown key is named" "$err" 'bad-key\.jsonl:1: unknown key "colour"'
printf '{"model": "a.json"}\n' >"$TMP/no-id.jsonl"
expect_exit "a manifest line without an id" 2 "$PARLEY" batch --manifest "$TMP/no-id.jsonl"
printf '{"id": "x", "model": "a.json"}\n{"id": "x", "model": "b.json"}\n' >"$TMP/dup.jsonl"
expect_exit "a manifest id given twice" 2 "$PARLEY" batch --manifest "$TMP/dup.jsonl"
printf '{}\n{"pipeline": \n' >"$TMP/bad-sweep.jsonl"
expect_exit "a sweep line that is not JSON" 2 "$PARLEY" batch --sweep "$TMP/bad-sweep.jsonl" \
  --model "$ALASKA"
has "the sweep line is named" "$err" 'bad-sweep\.jsonl:2: not one JSON value'

# ---- a manifest with per-job stages ---------------------------------------------------------
# Model paths are relative to the manifest's folder; the global --rule
# laplace applies where a job names no rule.
mkdir -p "$TMP/man"
cat >"$TMP/man/jobs.jsonl" <<EOF
{"id": "plain", "model": "../models/a-good.json"}
{"id": "maximin", "model": "$ALASKA", "rule": "maximin"}
{"id": "hurwicz", "model": "$ALASKA", "rule": {"name": "hurwicz", "alpha": 0.3},\
 "analyses": ["evpi"]}

{"id": "topsis", "model": "$ALASKA", "aggregation": "topsis", "normalization": "vector"}
{"id": "broken", "model": "../models/c-syntax.json"}
{"id": "missing", "model": "nowhere.json"}
EOF
( cd / && "$PARLEY" batch --manifest "$TMP/man/jobs.jsonl" --rule laplace --jobs 3 \
    --output "$TMP/man.jsonl" 2>"$TMP/man.err" )
rc=$?
same "a manifest with failing jobs exits 1" "$rc" 1
same "manifest ids are the jobs' ids" "$(ids_of "$TMP/man.jsonl" | sort | tr '\n' ' ')" \
  "broken hurwicz maximin missing plain topsis "
same "a manifest path is relative to the manifest" "$(result_of plain "$TMP/man.jsonl")" \
  "$(run_json "$M/a-good.json" --rule laplace)"
same "a job's own rule beats the global one" "$(result_of maximin "$TMP/man.jsonl")" \
  "$(run_json "$ALASKA" --rule maximin)"
same "a job's stage object and analyses" "$(result_of hurwicz "$TMP/man.jsonl")" \
  "$(run_json "$ALASKA" --rule hurwicz:alpha=0.3 --analysis evpi)"
same "the global rule fills in what the job leaves" "$(result_of topsis "$TMP/man.jsonl")" \
  "$(run_json "$ALASKA" --rule laplace --aggregation topsis --normalization vector)"
has "a broken model in a manifest is its error line" "$(line_of broken "$TMP/man.jsonl")" \
  '"code":"syntax"'
l=$(line_of missing "$TMP/man.jsonl")
has "a missing model in a manifest is an io error" "$l" \
  '"input":null,.*"code":"io","message":"[^"]*man/nowhere\.json: cannot read'

# ---- a sweep over one base model --------------------------------------------------------------
# Line 4 is line 3's patch with other white space: the same HASH.
cat >"$TMP/sweep.jsonl" <<'EOF'
{}

{"pipeline": {"rule": "maximin"}}
  { "pipeline" : { "rule" : "maximin" } }
{"criteria": 5}
{"pipeline": {"rule": {"name": "hurwicz", "alpha": 0.6}}}
EOF
expect_exit "a sweep with a bad patch exits 1" 1 "$PARLEY" batch --sweep "$TMP/sweep.jsonl" \
  --model "$ALASKA" --rule laplace --ordered --jobs 3 --output "$TMP/sweep-out.jsonl"
ids=$(ids_of "$TMP/sweep-out.jsonl")
# FNV-1a 64 of the two bytes "{}", by hand: offset basis 0xcbf29ce484222325
# xor 0x7b = 0xcbf29ce48422235e, times the prime 0x100000001b3 mod 2^64 =
# 0xaf63f64c860218ba, xor 0x7d = 0xaf63f64c860218c7, times the prime =
# 0x08f44b07b5901a25, whose first 12 hex digits are 08f44b07b590.
same "the empty patch's id" "$(printf '%s\n' "$ids" | sed -n 1p)" "sweep:1:08f44b07b590"
same "sweep ids are sweep:LINE:HASH, in line order" \
  "$(printf '%s\n' "$ids" | sed 's/^sweep:\([0-9]*\):[0-9a-f]\{12\}$/\1/' |
    tr '\n' ' ')" "1 3 4 5 6 "
h3=$(printf '%s\n' "$ids" | sed -n 2p | cut -d: -f3)
h4=$(printf '%s\n' "$ids" | sed -n 3p | cut -d: -f3)
same "white space does not change a patch's hash" "$h4" "$h3"
same "the empty patch runs the base model" \
  "$(result_of sweep:1:08f44b07b590 "$TMP/sweep-out.jsonl" | ranking_of)" \
  "$(run_json "$ALASKA" --rule laplace | ranking_of)"
same "a rule the patch sets beats the global one" \
  "$(result_of "sweep:3:$h3" "$TMP/sweep-out.jsonl" | ranking_of)" \
  "$(run_json "$ALASKA" --rule maximin | ranking_of)"
id6=$(printf '%s\n' "$ids" | sed -n 5p)
same "a patched stage object" "$(result_of "$id6" "$TMP/sweep-out.jsonl" | ranking_of)" \
  "$(run_json "$ALASKA" --rule hurwicz:alpha=0.6 | ranking_of)"
l=$(grep -F '"id":"sweep:5:' "$TMP/sweep-out.jsonl")
has "a patch that breaks the model is an error line naming the path" "$l" \
  '"code":"invalid","message":"[^"]*alaska-talks\.json: criteria'
expect_exit "the one model given is the sweep's base" 1 "$PARLEY" batch --sweep "$TMP/sweep.jsonl" \
  "$ALASKA" --rule laplace --ordered
same "the same ids either way" "$(printf '%s\n' "$out" | ids_of)" "$ids"

# ---- failure isolation and exit statuses -------------------------------------------------------
awk 'BEGIN { for (i = 1; i <= 60; i++)
  if (i % 10 == 0) print "{\"criteria\": 5}"
  else printf "{\"pipeline\": {\"rule\": {\"name\": \"hurwicz\", \"alpha\": %.4f}}}\n", i / 61 }' \
  >"$TMP/sixty.jsonl"
expect_exit "some jobs failing exits 1" 1 "$PARLEY" batch --sweep "$TMP/sixty.jsonl" "$ALASKA" \
  --quiet --output "$TMP/sixty-out.jsonl"
has "the summary counts the failures, even with --quiet" "$err" '60 jobs: 54 ok, 6 failed'
same "every job has its line" "$(grep -c '' "$TMP/sixty-out.jsonl")" 60
same "the failures are the bad patches" \
  "$(grep '"status":"error"' "$TMP/sixty-out.jsonl" | ids_of | cut -d: -f2 | sort -n |
    tr '\n' ' ')" \
  "10 20 30 40 50 60 "

# ---- --ordered, and --jobs 1 against --jobs 4 ----------------------------------------------------
awk 'BEGIN { for (i = 1; i <= 200; i++)
  printf "{\"pipeline\": {\"rule\": {\"name\": \"hurwicz\", \"alpha\": %.4f}}}\n", i / 201 }' \
  >"$TMP/alphas.jsonl"
"$PARLEY" batch --sweep "$TMP/alphas.jsonl" "$ALASKA" --analysis montecarlo:n=500 --jobs 4 \
  --ordered --quiet --output "$TMP/ordered.jsonl"
same "--ordered writes in job order" \
  "$(ids_of "$TMP/ordered.jsonl" | cut -d: -f2 |
    awk 'NR != $1 { print "line " NR ": " $0; exit }')" ""
"$PARLEY" batch --sweep "$TMP/alphas.jsonl" "$ALASKA" --analysis montecarlo:n=500 --jobs 1 \
  --quiet --output "$TMP/one.jsonl"
"$PARLEY" batch --sweep "$TMP/alphas.jsonl" "$ALASKA" --analysis montecarlo:n=500 --jobs 4 \
  --quiet --output "$TMP/four.jsonl"
same "--jobs 1 and --jobs 4 give the same lines" \
  "$(strip_seconds "$TMP/one.jsonl" | sort | cksum)" \
  "$(strip_seconds "$TMP/four.jsonl" | sort | cksum)"
same "... and so does --ordered" "$(strip_seconds "$TMP/ordered.jsonl" | sort | cksum)" \
  "$(strip_seconds "$TMP/four.jsonl" | sort | cksum)"
same "... all 200 of them" "$(grep -c '"status":"ok"' "$TMP/one.jsonl")" 200

# ---- CSV -----------------------------------------------------------------------------------------
mkdir -p "$TMP/q"
model "Quoted" 0.5 0.5 >"$TMP/q/x,y.json"
printf '{"parley": 1,\n' >"$TMP/q/z-bad.json"
call "$PARLEY" batch --sweep "$TMP/sweep.jsonl" "$ALASKA" --format csv --ordered
same "csv: a failing job exits 1" "$rc" 1
same "csv: the header" "$(printf '%s\n' "$out" | sed -n 1p)" "id,strategy,rank,score"
same "csv: six rows per good job" "$(printf '%s\n' "$out" | awk -F, 'NR > 1 { n[$1]++ }
  END { for (k in n) print k, n[k] }' | sort)" \
  "$(printf '%s\n' "$ids" | grep -v '^sweep:5:' | sed 's/$/ 6/' | sort)"
has "csv: a failed job's error goes to stderr" "$err" '^parley: sweep:5:[0-9a-f]{12}: invalid: '
# The rows of the maximin job against the ranking of its JSON line.
want=$(result_of "sweep:3:$h3" "$TMP/sweep-out.jsonl" | ranking_of | sed 's/},{/\n/g' |
  sed 's/.*"rank":\([0-9]*\),"strategy":"\([^"]*\)","score":\([^}]*\).*/\2,\1,\3/')
got=$(printf '%s\n' "$out" | awk -F, -v id="sweep:3:$h3" '$1 == id { print $2 "," $3 "," $4 }')
same "csv: strategy, rank and score as in the JSON result" "$got" "$want"
# Quoted: a and c tie at 0.5 (cost minmax 1, 0.5, 0; quality 0, 3/7, 1;
# equal weights), and ties keep the model's order.
call "$PARLEY" batch "$TMP/q" --format csv --ordered
# An RFC 4180 reader: quoted fields may hold commas; "" is a quote.
fields=$(printf '%s\n' "$out" | awk 'NR == 2 {
  n = 0; f = ""; q = 0
  for (i = 1; i <= length($0); i++) {
    c = substr($0, i, 1)
    if (q) {
      if (c != "\"") f = f c
      else if (substr($0, i + 1, 1) == "\"") { f = f c; i++ }
      else q = 0
    }
    else if (c == "\"") q = 1
    else if (c == ",") { print f; f = ""; n++ }
    else f = f c
  }
  print f
}')
same "csv: a field with a comma is quoted" "$(printf '%s\n' "$fields" | tr '\n' '|')" \
  "$TMP/q/x,y.json|a|1|0.5|"

# ---- --job-timeout -------------------------------------------------------------------------------
mkdir -p "$TMP/plug"
cat >"$TMP/plug/hang.lua" <<'EOF'
return {
  api = 1, kind = "weighting", name = "hang",
  summary = "Never returns (a test of --job-timeout)",
  weights = function(model, params) while true do end end,
}
EOF
cat >"$TMP/timeout.jsonl" <<EOF
{"id": "quick", "model": "$M/a-good.json"}
{"id": "hangs", "model": "$M/a-good.json", "weighting": "hang"}
{"id": "long-analysis", "model": "$ALASKA", "analyses": ["montecarlo:n=1000000000"]}
EOF
t0=$(date +%s)
expect_exit "jobs over time exit 1" 1 "$PARLEY" batch --manifest "$TMP/timeout.jsonl" \
  --plugins "$TMP/plug" --plugin-instructions 1000000000000 --job-timeout 1 --jobs 3 \
  --output "$TMP/timeout-out.jsonl"
t1=$(date +%s)
if [ $((t1 - t0)) -le 8 ]; then ok "the jobs were stopped ($((t1 - t0)) s)"
else fail "the jobs were stopped: $((t1 - t0)) s"; fi
l=$(line_of hangs "$TMP/timeout-out.jsonl")
has "a hanging plugin is stopped by the timeout" "$l" \
  '"code":"timeout","message":"the job ran [0-9.]+ s, over the --job-timeout of 1 s: '
has "... by the plugin's time limit" "$l" ': plugin [^"]*hang\.lua:4: time limit'
has "a long analysis is stopped by the timeout" \
  "$(line_of long-analysis "$TMP/timeout-out.jsonl")" \
  '"code":"timeout"'
has "the quick job is unharmed" "$(line_of quick "$TMP/timeout-out.jsonl")" '"status":"ok"'

# ---- --resume ------------------------------------------------------------------------------------
cp "$TMP/folder.jsonl" "$TMP/resume.jsonl"
expect_exit "resume: the failing jobs fail again" 1 "$PARLEY" batch "$M" --resume \
  --output "$TMP/resume.jsonl"
has "resume: the ok jobs are skipped" "$err" '4 jobs: 0 ok, 2 failed, 2 already done'
same "resume: the errors are rerun and appended" "$(grep -c '' "$TMP/resume.jsonl")" 6
model "Good A, changed" 0.4 0.6 >"$M/a-good.json"
call "$PARLEY" batch "$M/a-good.json" "$M/b-good.json" --resume --output "$TMP/resume.jsonl"
has "resume: a changed model is rerun" "$err" '2 jobs: 1 ok, 0 failed, 1 already done'
same "resume: its new line is last" "$(tail -n 1 "$TMP/resume.jsonl" | ids_of)" "$M/a-good.json"

# A last line cut short (by another program) is dropped with a warning and rerun.
cp "$TMP/one.jsonl" "$TMP/cut.jsonl"
size=$(wc -c <"$TMP/cut.jsonl")
head -c $((size - 700)) "$TMP/one.jsonl" >"$TMP/cut.jsonl"
call "$PARLEY" batch --sweep "$TMP/alphas.jsonl" "$ALASKA" --analysis montecarlo:n=500 --resume \
  --output "$TMP/cut.jsonl"
same "resume after a cut line exits 0" "$rc" 0
has "the cut line is reported" "$err" 'cut\.jsonl:200: the last line is incomplete'
has "its job alone is rerun" "$err" '200 jobs: 1 ok, 0 failed, 199 already done'
same "the file is whole again" "$(strip_seconds "$TMP/cut.jsonl" | sort | cksum)" \
  "$(strip_seconds "$TMP/one.jsonl" | sort | cksum)"

# ---- kill -9 at random moments, then resume ------------------------------------------------------
awk 'BEGIN { for (i = 1; i <= 300; i++)
  printf "{\"pipeline\": {\"rule\": {\"name\": \"hurwicz\", \"alpha\": %.4f}}}\n", i / 301 }' \
  >"$TMP/kill.jsonl"
kill_args=(batch --sweep "$TMP/kill.jsonl" "$ALASKA" --analysis montecarlo:n=6000 --jobs 2 --quiet)
"$PARLEY" "${kill_args[@]}" --output "$TMP/whole.jsonl"
killed=0
for round in 1 2 3 4 5 6; do
  "$PARLEY" "${kill_args[@]}" --resume --fsync-every 1 --output "$TMP/killed.jsonl" 2>/dev/null &
  pid=$!
  sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ $? = 137 ] && killed=$((killed + 1))
  # Every line in the file is whole after each kill.
  bad=$(grep -cv '^{"id":.*}$' "$TMP/killed.jsonl" 2>/dev/null)
  [ "${bad:-0}" = 0 ] || fail "round $round: $bad lines not whole"
done
echo "# $killed of 6 runs killed mid-way"
"$PARLEY" "${kill_args[@]}" --resume --output "$TMP/killed.jsonl"
same "resume after kills exits 0" "$?" 0
same "the ok lines after kills equal an uninterrupted run's" \
  "$(grep '"status":"ok"' "$TMP/killed.jsonl" | strip_seconds | sort | cksum)" \
  "$(grep '"status":"ok"' "$TMP/whole.jsonl" | strip_seconds | sort | cksum)"
same "no job twice" "$(grep '"status":"ok"' "$TMP/killed.jsonl" | ids_of | sort | uniq -d)" ""
same "all 300 jobs" "$(grep -c '"status":"ok"' "$TMP/killed.jsonl")" 300

# Two batches never write one file at once: the second is refused.
cat >"$TMP/slow.jsonl" <<EOF
{"id": "hangs", "model": "$M/a-good.json", "weighting": "hang"}
EOF
"$PARLEY" batch --manifest "$TMP/slow.jsonl" --plugins "$TMP/plug" --quiet \
  --plugin-instructions 1000000000000 --job-timeout 5 --output "$TMP/locked.jsonl" 2>/dev/null &
pid=$!
# The file is created and locked at once, before the job starts.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  [ -e "$TMP/locked.jsonl" ] && break
  sleep 0.2
done
sleep 0.2
expect_exit "a file another batch writes is refused" 2 "$PARLEY" batch "$M/b-good.json" --resume \
  --output "$TMP/locked.jsonl"
has "... saying why" "$err" 'being written by another batch'
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

# ---- help ----------------------------------------------------------------------------------------
expect_exit "help batch" 0 "$PARLEY" help batch
has "help batch documents --resume" "$out" '--resume'
has "help batch documents --manifest" "$out" '--manifest FILE'
expect_exit "batch --help" 0 "$PARLEY" batch --help
has "help lists batch" "$("$PARLEY" help)" 'parley batch'

finish
