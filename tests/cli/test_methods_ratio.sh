#!/usr/bin/env bash
# test_methods_ratio.sh — the aggregations copras, moora, multimoora, aras,
# waspas and edas end to end: `parley run MODEL --aggregation NAME --format
# json` on the published worked example of each method (tests/data/ratio),
# whose rankings and leading scores are those of the papers (cited in
# docs/methods.md and beside each check), the per-scenario diagnostics on a
# small two-scenario model, and the errors for input a method cannot take.
# Prints "N passed, N failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/ratio
. "$(dirname "$0")/lib.sh"

# A flattened {"strategy": {"scenario": number, ...}, ...} object.
CELLS='\{("[a-z]+":\{[^}]*\},?)*\}'

# ---- published examples ------------------------------------------------------
# Brauers & Zavadskas (2010), Table 1: MULTIMOORA ranks the projects A, B, C.
# The ranks (ratio system 1, 2, 3; reference point 2, 1, 3; multiplicative
# form 1, 2, 3) sum to 4, 5, 9: A's utility is 1 - (4 - 3) / (3 * 2) = 5/6.
ranked "multimoora: the project example" projects.json "a b c" 0.8333 \
  --aggregation multimoora
has "multimoora: higher is better" "$(flat)" '"order":"descending"'
has "multimoora: the reference point ranks B first (Table 1)" "$(flat)" \
  '"reference_point":\{"score":'"$CELLS"',"rank":\{"a":\{"base":2\},"b":\{"base":1\},'\
'"c":\{"base":3\}\}'

# Appendix C, Table 2c: the ratio system sums 2.93480 (A), 2.723, 2.698 over
# nine objectives; the weights 1 of the model become 1/9: 2.93480 / 9 =
# 0.3261.
ranked "moora: the project example" projects.json "a b c" 0.3261 --aggregation moora

# Zavadskas & Turskis (2010), Table 3, with the norms of Table 1 as the
# optimal alternative.  The paper ranks room 9 first and room 8 second
# (K = 0.7734, 0.7727); Table 1's data give room 8 K = 0.7762 (worked out
# in tests/unit/test_ratio_methods.c), above room 9; the rest of the order
# is the paper's.
ranked "aras: the office rooms" rooms.json \
  "r8 r9 r11 r1 r12 r2 r14 r13 r4 r3 r10 r7 r6 r5" 0.7762
has "aras: S0 of Table 3 in the diagnostics" "$(flat)" '"s0":0\.0997'

# Podvezko (2011), Table 3 (SAW, which is waspas with lambda = 1): Lithuania,
# Estonia, Latvia, Poland.  Lithuania's 0.8744 is worked out from Table 1 in
# tests/unit/test_ratio_methods.c (the paper prints 0.872).
ranked "waspas: lambda=1 is Podvezko's SAW" countries.json \
  "lithuania estonia latvia poland" 0.8744
bad "waspas: lambda outside [0, 1]" 'lambda=2 is outside \[0, 1\]' \
  run "$DATA/countries.json" --aggregation waspas:lambda=2

# Keshavarz Ghorabaee et al. (2015), Table 7, first weight set: EDAS ranks
# A1..A10 1, 4, 6, 10, 7, 8, 2, 3, 5, 9 and COPRAS 1, 3, 6, 10, 7, 8, 2, 4,
# 5, 9.  A1 is above the average on every benefit criterion and below it on
# every cost one, with the largest SP: NSP = 1, NSN = 1, AS = 1.
ranked "edas: Table 7, first weight set" alternatives.json \
  "a1 a7 a8 a2 a9 a3 a5 a6 a10 a4" 1.0000
ranked "copras: Table 7, first weight set" alternatives.json \
  "a1 a7 a2 a8 a9 a3 a5 a6 a10 a4" - --aggregation copras

# ---- scenarios -----------------------------------------------------------------
# harvest.json: yield (max, 0.6) and cost (min, 0.4) of wheat and barley in
# a wet and a dry season (p = 0.5 each).  COPRAS over the slab of four cells,
# by hand: yield sum 22, S+ = 0.6 y / 22 = 0.21818 (wheat wet), 0.08182
# (wheat dry), 0.16364 (barley wet), 0.13636 (barley dry); cost sum 15,
# S- = 0.4 c / 15 = 0.10667, 0.13333, 0.08, 0.08; sum S- = 0.4 and sum 1/S-
# = 41.875, so the second term 0.4 / (41.875 S-) = 0.08955, 0.07164,
# 0.11940, 0.11940 and Q = 0.30773, 0.15346, 0.28304, 0.25576.  Expected
# values: wheat 0.2306, barley 0.2694; wheat in the wet season is the best
# cell (N = 1).
ranked "copras: two scenarios" harvest.json "barley wheat" 0.2694
has "copras: the utility degree per strategy and scenario" "$(flat)" \
  '"diagnostics":\{"aggregation":\{"utility_degree":\{"wheat":\{"wet":1,"dry":0\.4986'

# MULTIMOORA ranks the four cells together.  Ratio system, by hand: norms
# sqrt(134) and sqrt(59); y = 0.6 y / 11.5758 - 0.4 c / 7.6811 = 0.2064
# (wheat wet), -0.1049 (wheat dry), 0.1548 (barley wet), 0.1029 (barley
# dry): ranks 1, 4, 2, 3.
call "$PARLEY" run "$DATA/harvest.json" --aggregation multimoora --format json
has "multimoora: ranks span both scenarios" "$(flat)" \
  '"ratio_system":\{"score":'"$CELLS"',"rank":\{"wheat":\{"wet":1,"dry":4\},'\
'"barley":\{"wet":2,"dry":3\}\}'

# ---- input a method cannot take ---------------------------------------------
cat >"$TMP/zero.json" <<'EOF'
{
  "parley": 1,
  "name": "A free option",
  "criteria": [{"id": "gain", "direction": "max", "weight": 0.5},
               {"id": "price", "direction": "min", "weight": 0.5}],
  "strategies": [{"id": "free"}, {"id": "paid"}],
  "outcomes": {"free": {"gain": 2, "price": 0}, "paid": {"gain": 5, "price": 10}},
  "pipeline": {"weighting": "given", "aggregation": "copras"}
}
EOF
bad "copras: a zero cost" \
  "aggregation copras: criterion 'price' has the value 0 \(strategy 'free'" run "$TMP/zero.json"
bad "multimoora: a zero value" "aggregation multimoora: criterion 'price'" \
  run "$TMP/zero.json" --aggregation multimoora
# moora divides by norms only: a zero is a value like any other.  By hand,
# norms sqrt(29) and 10: y = 0.5 * 2 / 5.3852 - 0 = 0.1857 (free) and
# 0.5 * 5 / 5.3852 - 0.5 * 10 / 10 = -0.0358 (paid).
call "$PARLEY" run "$TMP/zero.json" --aggregation moora --format json
if [ "$rc" = 0 ]; then ok "moora: a zero is a value"
else fail "moora: a zero: exit $rc" "$err"; fi
has "moora: the free option first" "$(flat)" \
  '"ranking":\[\{"rank":1,"strategy":"free","score":0\.1856'
sed 's/"aggregation": "copras"/"aggregation": {"name": "aras", "optimal": {"noise": 3}}/' \
  "$TMP/zero.json" >"$TMP/badopt.json"
bad "aras: an optimal value for an unknown criterion" \
  "parameter 'optimal' names criterion 'noise'" run "$TMP/badopt.json"

finish
