#!/usr/bin/env bash
# test_malformed.sh — every malformed model in tests/data/bad is refused with
# exit status 2 and a one-line message on stderr that names the file at
# fault and says where: the JSON path with line:column, or FILE:LINE:COLUMN
# in a CSV table.  Each line:column below was counted in the file by hand
# (the column counts characters from 1; see docs/model-format.md).  Drives
# the real binary ($PARLEY); prints "N passed, N failed" and exits non-zero
# when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
BAD=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/bad
. "$(dirname "$0")/lib.sh"

# FILE | COMMAND | NAMED | FRAGMENT
#   COMMAND  validate, or run (a stage name is checked by the registry when
#            the model runs, not when it loads)
#   NAMED    the file the message must name: "-" for FILE itself, else the
#            CSV table at fault
#   FRAGMENT text the message must contain (fixed string)
cases=$(cat <<'EOF'
syntax-missing-comma.json | validate | - | syntax-missing-comma.json (4:3): JSON syntax error: expected ',' or '}'
truncated.json | validate | - | outcomes.sanctions (16:19): JSON syntax error: unexpected end of the text
trailing-comma.json | validate | - | outcomes (17:3): JSON syntax error: expected a member name after ','
empty.json | validate | - | empty.json (1:1): JSON syntax error: the text is empty
top-level-list.json | validate | - | top-level-list.json (1:1): expected a model object
nan-token.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): JSON syntax error: NaN and Infinity are not numbers
infinity-token.json | validate | - | outcomes.sanctions.breakthrough.violence (15:48): JSON syntax error: NaN and Infinity
overflow.json | validate | - | outcomes.sanctions.breakthrough.violence (15:48): number out of range
missing-parley.json | validate | - | missing-parley.json (1:1): missing key "parley"
parley-2.json | validate | - | parley (2:13): unsupported format version 2
unknown-top-key.json | validate | - | strategys (4:16): unknown key 'strategys' in the model
criterion-typo-key.json | validate | - | criteria[0].wieght (5:87): unknown key 'wieght' in a criterion
criteria-object.json | validate | - | criteria (4:15): expected a list of criteria, got an object
empty-criteria.json | validate | - | criteria (4:15): the list of criteria is empty
empty-strategies.json | validate | - | strategies (8:17): the list of strategies is empty
number-id.json | validate | - | strategies[1].id (9:25): expected a string id, got a number
string-weight.json | validate | - | criteria[0].weight (5:87): expected a number, got a string
negative-weight.json | validate | - | criteria[1].weight (6:78): a weight must be >= 0, got -0.6
bad-direction.json | validate | - | criteria[1].direction (6:61): expected "max" or "min", got "minimize"
scale-reversed.json | validate | - | criteria[1].scale (6:92): expected a scale [lo, hi] with lo < hi
duplicate-criterion.json | validate | - | criteria[1].id (6:12): duplicate criterion id 'violence' (first at criteria[0].id)
duplicate-strategy.json | validate | - | strategies[1].id (9:25): duplicate strategy id 'ceasefire' (first at strategies[0].id)
duplicate-scenario.json | validate | - | scenarios[1].id (11:24): duplicate scenario id 'breakthrough' (first at scenarios[0].id)
duplicate-key.json | validate | - | outcomes.sanctions.stalemate.violence (16:73): duplicate key 'violence' (first at 16:45)
probability-sum.json | validate | - | scenarios (10:16): the probabilities sum to 0.9, expected 1
probability-above-one.json | validate | - | scenarios[1].probability (11:52): a probability must be in [0, 1], got 1.2
probability-partial.json | validate | - | scenarios[1] (11:17): scenario 'stalemate' has no probability, but scenarios[0] has one
unknown-generator.json | validate | - | scenarios.generator (10:30): unknown scenario generator 'no-such-generator'
actor-unknown-criterion.json | validate | - | actors[0].weights.trust (13:98): unknown criterion 'trust'
actor-missing-weight.json | validate | - | actors[0].weights (13:56): missing weight for criterion 'breach'
unknown-strategy.json | validate | - | outcomes.embargo (15:16): unknown strategy 'embargo'
unknown-scenario.json | validate | - | outcomes.sanctions.escalation (16:33): unknown scenario 'escalation'
unknown-criterion.json | validate | - | outcomes.ceasefire.stalemate.trust (14:57): unknown criterion 'trust'
missing-cell.json | validate | - | outcomes.sanctions.stalemate (16:32): missing criterion 'breach'
missing-scenario.json | validate | - | outcomes.ceasefire (13:18): missing scenario 'stalemate'
value-string.json | validate | - | outcomes.ceasefire.breakthrough.violence (13:48): expected a number or a distribution object, got a string
bad-dist-name.json | validate | - | outcomes.ceasefire.stalemate.breach.dist (14:67): unknown distribution 'gamma'
dist-missing-param.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): the normal distribution needs 'sd'
dist-extra-param.json | validate | - | outcomes.ceasefire.stalemate.breach.mode (14:106): unknown parameter 'mode' of a uniform distribution
dist-negative-sd.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): invalid normal distribution: sd must be >= 0
dist-uniform-reversed.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): invalid uniform distribution: min must be <= max
dist-mode-outside.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): invalid triangular distribution: expected min <= mode <= max
dist-discrete-sum.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): invalid discrete distribution: p must sum to 1
dist-discrete-lengths.json | validate | - | outcomes.ceasefire.stalemate.breach (14:58): values and p differ in length (3 and 2)
record-duplicate.json | validate | - | outcomes[2] (15:5): duplicate record for strategy 'ceasefire', scenario 'breakthrough' (first at outcomes[0])
record-missing-scenario.json | validate | - | outcomes[3] (16:5): missing key "scenario"
pipeline-shape.json | validate | - | pipeline.rule (12:24): missing key "name"
unknown-stage.json | run | - | pipeline.rule: unknown rule 'bogus'
csv-missing.json | validate | - | outcomes.csv (12:23): cannot read
csv-short-row.json | validate | short-row.csv | short-row.csv:3:22: short row: 3 fields, expected 4 (no value for column 'breach')
csv-long-row.json | validate | long-row.csv | long-row.csv:3:24: long row
csv-non-numeric.json | validate | non-numeric.csv | non-numeric.csv:3:23: column 'breach': expected a number, got 'high'
csv-unterminated-quote.json | validate | unterminated-quote.csv | unterminated-quote.csv:3:1: unterminated quoted field
csv-missing-column.json | validate | missing-column.csv | missing-column.csv:1:1: missing column for criterion 'breach'
csv-unknown-strategy.json | validate | unknown-strategy.csv | unknown-strategy.csv:4:1: unknown strategy 'embargo'
csv-duplicate-row.json | validate | duplicate-row.csv | duplicate-row.csv:4:1: duplicate row for strategy 'ceasefire', scenario 'breakthrough' (first at line 2)
csv-missing-row.json | validate | missing-row.csv | missing-row.csv: missing row for strategy 'sanctions', scenario 'breakthrough'
EOF
)

trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}

while IFS='|' read -r file command named fragment; do
  file=$(trim "$file")
  command=$(trim "$command")
  named=$(trim "$named")
  fragment=$(trim "$fragment")
  [ -n "$file" ] || continue
  [ "$named" = "-" ] && named=$file
  "$PARLEY" "$command" "$BAD/$file" >"$TMP/stdout" 2>"$TMP/stderr"
  rc=$?
  err=$(cat "$TMP/stderr")
  problem=""
  if [ ! -f "$BAD/$file" ]; then
    problem="no such test file"
  elif [ "$rc" != 2 ]; then
    problem="exit $rc, expected 2"
  elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ]; then
    problem="the message is not one line"
  elif ! printf '%s' "$err" | grep -qF -- "$named"; then
    problem="the message does not name $named"
  elif ! printf '%s' "$err" | grep -qF -- "$fragment"; then
    problem="the message lacks: $fragment"
  fi
  if [ -z "$problem" ]; then ok "$file"; else fail "$file: $problem" "$err"; fi
done <<<"$cases"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -ge 35 ]
