#!/usr/bin/env bash
# test_sensitivity.sh — the analysis "sensitivity" end to end on the worked
# example scripts/alaska-talks.json: `parley run MODEL --analysis sensitivity
# --format json` carries the tornado, the weight stability intervals and the
# probability sensitivity under "analyses"."sensitivity"; the text report has
# a Sensitivity section; a rule that ignores the probabilities leaves that
# part out; bad parameters are refused.  (The numbers themselves are checked
# against hand computations and a brute-force scan in
# tests/unit/test_sensitivity.c.)  Prints "N passed, N failed" and exits
# non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
MODEL=$SRC/scripts/alaska-talks.json
. "$(dirname "$0")/lib.sh"

# ---- the JSON document ----------------------------------------------------------
call "$PARLEY" run "$MODEL" --analysis sensitivity --format json
if [ "$rc" = 0 ] && [ -z "$err" ]; then ok "json: runs quietly"
else fail "json: exit $rc" "$err"; fi
doc=$(printf '%s' "$out" | tr -d ' \n')
sens=$(printf '%s' "$doc" | sed 's/.*"sensitivity":\({"strategy".*\)/\1/')
has "json: analyses.sensitivity names the top strategy" "$sens" \
  '^\{"strategy":"[a-z-]+","top":\["[a-z-]+"'
# The run's own ranking comes before the actors' ones.
first=$(printf '%s' "$doc" | grep -o '"ranking":\[{"rank":1,"strategy":"[^"]*"' | head -n 1 |
  cut -d'"' -f8)
has "json: ... which is the ranking's first" "$sens" "^\\{\"strategy\":\"$first\""
has "json: range and steps" "$sens" '"range":0\.1,"steps":200,'
has "json: wsm with expected is solved exactly" "$sens" '"stability_method":"exact"'
N='[0-9.e-]+'   # a number
has "json: a tornado bar" "$sens" \
  "\"tornado\":\\[\\{\"criterion\":\"[a-z-]+\",\"weight\":$N,\"low\":$N,\"high\":$N,\
\"scores_low\":\\{"
has "json: every bar has a swing" "$sens" '"swing":-?[0-9.e-]+\}'
has "json: stability intervals" "$sens" \
  "\"stability\":\\{\"violence\":\\{\"top\":\\[$N,$N\\],\"ranking\":\\[$N,$N\\]\\}"
has "json: probability sensitivity per scenario" "$sens" \
  "\"probabilities\":\\{\"ceasefire-agreement\":\\{\"probability\":0\\.3,\"decrease\":(null|$N),\
\"increase\":(null|$N),\"new_top\":"
has "json: the smallest change" "$sens" \
  "\"smallest\":\\{\"scenario\":\"[a-z-]+\",\"change\":$N,\"direction\":\"(increase|decrease)\",\
\"new_top\":\"[a-z-]+\"\\}"
has "json: not partial" "$sens" '"partial":false\}'
lacks "json: no NaN or infinity" "$sens" 'nan|inf'

# With python3, the document parses and every interval holds the weight.
if command -v python3 >/dev/null 2>&1; then
  if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["analyses"]["sensitivity"]
assert len(s["tornado"]) == len(d["weights"])
for c, w in d["weights"].items():
    for what in ("top", "ranking"):
        lo, hi = s["stability"][c][what]
        assert 0 <= lo <= w <= hi <= 1, (c, what, lo, w, hi)
    rt, rr = s["stability"][c]["top"], s["stability"][c]["ranking"]
    assert rt[0] <= rr[0] and rr[1] <= rt[1], (c, rt, rr)
sw = [abs(b["swing"]) for b in s["tornado"]]
assert sw == sorted(sw, reverse=True), sw
' 2>"$TMP/pyerr"; then ok "json: intervals hold the weights; the tornado is sorted"
  else fail "json: intervals and tornado" "$(cat "$TMP/pyerr")"; fi
else
  echo "skip - json: intervals and tornado (python3 is not installed)"
fi

# ---- the text report --------------------------------------------------------------
call "$PARLEY" run "$MODEL" --analysis sensitivity --format text
if [ "$rc" = 0 ]; then ok "text: runs"; else fail "text: exit $rc" "$err"; fi
has "text: a Sensitivity section" "$out" '^Sensitivity '
has "text: the tornado" "$out" '^  Tornado: '
has "text: the stability intervals" "$out" '^  Weight stability intervals \(exact'
has "text: the probabilities" "$out" '^  Probabilities: smallest change'
has "text: the smallest change" "$out" '^  Smallest: '

# ---- a rule that ignores the probabilities, and a method without closed form -------
call "$PARLEY" run "$MODEL" --rule maximin --analysis sensitivity --format text
has "maximin: the text says the probabilities are not used" "$out" \
  "rule 'maximin' does not use the scenario probabilities"
call "$PARLEY" run "$MODEL" --rule maximin --analysis sensitivity --format json
sens=$(printf '%s' "$out" | tr -d ' \n' | sed 's/.*"sensitivity":\({"strategy".*\)/\1/')
has "maximin: wsm with maximin is solved exactly" "$sens" '"stability_method":"exact"'
lacks "maximin: no probabilities in analyses.sensitivity" "$sens" '"probabilities"|"smallest"'
call "$PARLEY" run "$MODEL" --aggregation topsis --analysis sensitivity:steps=50 --format json
has "topsis: found by bisection on the grid asked for" "$(printf '%s' "$out" | tr -d ' \n')" \
  '"steps":50,"stability_method":"bisection"'

# ---- bad parameters -----------------------------------------------------------------
call "$PARLEY" run "$MODEL" --analysis sensitivity:range=2
if [ "$rc" = 2 ]; then ok "range=2 exits 2"; else fail "range=2: exit $rc" "$err"; fi
has "range=2: the message" "$err" "sensitivity.*range=2 is outside"
call "$PARLEY" run "$MODEL" --analysis sensitivity:steps=2.5
if [ "$rc" = 2 ]; then ok "steps=2.5 exits 2"; else fail "steps=2.5: exit $rc" "$err"; fi
has "steps=2.5: the message" "$err" "analysis sensitivity: steps must be a whole number"

finish
