#!/usr/bin/env bash
# test_methods_distance.sh — the aggregations mabac, codas, spotis, cocoso
# and marcos end to end: `parley run MODEL --aggregation NAME --format json`
# on the published worked example of each method (tests/data/distance), whose
# rankings and leading scores are those printed in the papers (cited in
# docs/methods.md and beside each check).  Prints "N passed, N failed" and
# exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/distance
. "$(dirname "$0")/lib.sh"

# Pamučar & Ćirović (2015): A2 0.2183, A1, A6, A7, A4, A3, A5.
ranked "mabac: the forklift example" forklifts.json "a2 a1 a6 a7 a4 a3 a5" 0.2183 \
  --aggregation mabac
has "mabac: higher is better" "$(flat)" '"order":"descending"'

# Keshavarz Ghorabaee et al. (2016), Example 1, Table 4: A2 1.4633, A3, A1,
# A7, A4, A6, A5.
ranked "codas: the robot example" robots.json "r2 r3 r1 r7 r4 r6 r5" 1.4633 \
  --aggregation codas
ranked "codas: tau=0.02 is the default" robots.json "r2 r3 r1 r7 r4 r6 r5" 1.4633 \
  --aggregation codas:tau=0.02
call "$PARLEY" run "$DATA/robots.json" --aggregation codas:tau=0.06
if [ "$rc" = 2 ]; then ok "codas: tau outside [0.01, 0.05] is bad input"
else fail "codas: tau outside [0.01, 0.05] exits $rc, expected 2"; fi
has "codas: the message names tau and its range" "$err" 'tau=0\.06 is outside \[0\.01, 0\.05\]'

# Dezert et al. (2020), the car example: A1 0.4779 (0.47795 unrounded), A3,
# A2, A4; lower is better.
ranked "spotis: the car example" cars.json "a1 a3 a2 a4" 0.4780 --aggregation spotis
has "spotis: lower is better" "$(flat)" '"order":"ascending"'
has "spotis: every bound is a scale" "$(flat)" '"rank_reversal_free":true'
call "$PARLEY" run "$DATA/robots.json" --aggregation spotis --format json
has "spotis: bounds from the data are named" "$(flat)" \
  '"bounds_from_data":\["load","repeatability","speed","memory","reach"\],'
has "spotis: without scales it is not rank-reversal free" "$(flat)" '"rank_reversal_free":false'

# Yazdani et al. (2019), Table VI: A3 2.882 (2.8823 unrounded), A2, A7, A4,
# A1, A6, A5.
ranked "cocoso: the robot example" robots.json "r3 r2 r7 r4 r1 r6 r5" 2.8823 \
  --aggregation cocoso
ranked "cocoso: lambda=0.5 is the default" robots.json "r3 r2 r7 r4 r1 r6 r5" 2.8823 \
  --aggregation cocoso:lambda=0.5

# Stević et al. (2020): A2 0.846 (0.8457 unrounded), A5, A4, A7, A3, A1, A6,
# A8.
ranked "marcos: the supplier example" suppliers.json "a2 a5 a4 a7 a3 a1 a6 a8" 0.8457 \
  --aggregation marcos

finish
