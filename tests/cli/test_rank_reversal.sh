#!/usr/bin/env bash
# test_rank_reversal.sh — the analysis "rank-reversal" end to end on
# Triantaphyllou & Mann (1989)'s Example 2 (tests/data/rank_reversal/), whose
# pipeline asks for it: `parley run MODEL --format json` carries
# "analyses"."rank-reversal" with the paper's reversal (A1 replaced by a
# worse copy moves the best from A3 to A2); the text report has its section;
# the same model under wpm passes; bad parameters and a model larger than
# max_strategies are refused.  (The numbers are checked in
# tests/unit/test_properties.c and tests/unit/test_rank_reversal.c.)  Prints
# "N passed, N failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=${PARLEY_TEST_DATA:-$SRC/tests/data}
MODEL=$DATA/rank_reversal/triantaphyllou-mann-1989.json
. "$(dirname "$0")/lib.sh"

# ---- the model's own analysis, as JSON --------------------------------------------
call "$PARLEY" run "$MODEL" --format json
if [ "$rc" = 0 ] && [ -z "$err" ]; then ok "json: runs quietly"
else fail "json: exit $rc" "$err"; fi
doc=$(printf '%s' "$out" | tr -d ' \n')
rr=$(printf '%s' "$doc" | sed 's/.*"rank-reversal":\({"passed".*\)/\1/')
has "json: the tests fail" "$rr" '^\{"passed":false,"delta":0\.1,"amount":1,"each_criterion":false,'
has "json: A3 first" "$rr" '"best":\["A3"\]'
has "json: A1's worse copy puts A2 first" "$rr" \
  '"test1":\{"passed":false,"cases_run":2,"failed":1,.*"replaced":"A1","worse_on":"all",.*'\
'"best_after":\["A2"\]'
has "json: the pairs are transitive" "$rr" '"test2":\{"passed":true,"pairs":3,"ties":0,'
has "json: ... and reverse the ranking" "$rr" '"test3":\{"passed":false,"kendall":-1,'

# ---- the text report ---------------------------------------------------------------
call "$PARLEY" run "$MODEL" --format text
has "text: the section" "$out" '^Rank reversal tests \(Wang & Triantaphyllou 2008\)'
has "text: test 1 failed" "$out" 'FAILED in 1 of 2 cases'
has "text: the failing case" "$out" 'A1 made worse on every criterion: first A3 -> A2'

# ---- a method that cannot fail -------------------------------------------------------
call "$PARLEY" run "$MODEL" --aggregation wpm --analysis rank-reversal --format json
rr=$(printf '%s' "$out" | tr -d ' \n' | sed 's/.*"rank-reversal":\({"passed".*\)/\1/')
has "wpm: every test passes" "$rr" '^\{"passed":true,'

# ---- refusals -------------------------------------------------------------------------
call "$PARLEY" run "$MODEL" --analysis rank-reversal:delta=5
if [ "$rc" = 2 ]; then ok "delta=5 exits 2"; else fail "delta=5: exit $rc" "$err"; fi
has "delta=5: the message" "$err" "rank-reversal.*delta=5 is outside"
call "$PARLEY" run "$MODEL" --analysis rank-reversal:max_strategies=2
if [ "$rc" = 2 ]; then ok "max_strategies=2 exits 2"
else fail "max_strategies=2: exit $rc" "$err"; fi
has "max_strategies=2: the message" "$err" "has 3 strategies, more than max_strategies=2"

finish
