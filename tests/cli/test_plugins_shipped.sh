#!/usr/bin/env bash
# test_plugins_shipped.sh — the Lua plugins shipped in plugins/weighting and
# plugins/scenarios, end to end through the real binary ($PARLEY) on the
# models of tests/data/plugins: the weights each weighting gives (against
# published examples or hand computations written out below), the AHP
# diagnostics, the scenarios each generator makes, and the messages of bad
# parameters.  The scenarios are read back through a small test format,
# tests/data/plugins/formats/scenario-dump.lua.  Only sh, awk, grep and sed:
# no JSON tool is assumed.  Prints "N passed, N failed" and exits non-zero
# when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/plugins
. "$(dirname "$0")/lib.sh"
DUMP=(--plugins "$DATA/formats" --format scenario-dump)

# ranking NAME FIRST SCORE1 SECOND SCORE2: the ranking of the JSON document
# in $out puts FIRST (score SCORE1) before SECOND (score SCORE2).
ranking() {
  local one="\\{\"rank\":1,\"strategy\":\"$2\",\"score\":$3\\}"
  local two="\\{\"rank\":2,\"strategy\":\"$4\",\"score\":$5\\}"
  has "$1" "$(flat)" "\"ranking\":\\[$one,$two"
}

# jget PATH: the value at PATH (object keys joined by '/', e.g.
# diagnostics/weighting/lambda_max) in the JSON document in $out.  It reads
# the engine's pretty-printed layout, one member per line indented two
# spaces a level, so a member's ancestors are the last objects opened at
# each smaller indentation.  Arrays are not entered.
jget() {
  printf '%s\n' "$out" | awk -v want="$1" '
    match($0, /^ *"/) {
      ind = RLENGTH - 1
      line = substr($0, RLENGTH + 1)
      k = index(line, "\": ")
      if (!k) next
      key = substr(line, 1, k - 1)
      val = substr(line, k + 3)
      if (val == "{") { name[ind] = key; next }
      p = ""
      for (i = 2; i < ind; i += 2) p = p name[i] "/"
      if (p key == want) { sub(/,$/, "", val); print val; exit }
    }'
}

# near NAME PATH WANT TOL: the number at PATH of $out is WANT (an awk
# expression, e.g. 25/48) within TOL.
near() {
  local got
  got=$(jget "$2")
  if printf '%s' "$got" | grep -Eq '^-?[0-9.]+([eE][-+]?[0-9]+)?$' &&
     awk -v g="$got" "BEGIN { d = g - ($3); if (d < 0) d = -d; exit !(d <= $4) }"; then
    ok "$1"
  else
    fail "$1: $2 is '$got', expected $3 within $4"
  fi
}

# ---- the list ------------------------------------------------------------------
expect_exit "plugins --kind weighting exits 0" 0 "$PARLEY" plugins --kind weighting
# The three rank weightings share one file (rank.lua returns a list).
for p in rank-order-centroid:rank rank-sum:rank rank-reciprocal:rank ahp:ahp swing:swing; do
  file=${p#*:} p=${p%%:*}
  has "plugins lists $p from plugins/weighting" "$out" "^$p .*weighting.*plugins/weighting/$file\.lua"
done
expect_exit "plugins --kind scenarios exits 0" 0 "$PARLEY" plugins --kind scenarios
for p in grid latin-hypercube csv; do
  has "plugins lists $p from plugins/scenarios" "$out" "^$p .*scenarios.*plugins/scenarios/$p\.lua"
done

# ---- rank-order-centroid ---------------------------------------------------------
RANKED=$DATA/ranked.json
# ranked.json has criteria a, b, c, d; its pipeline names rank-order-centroid
# without a ranking, so the criteria order is the ranking.  By hand, with
# w_i = (1/n) sum_{k=i..n} 1/k (Barron & Barrett 1996) and n = 4:
#   w_a = (1 + 1/2 + 1/3 + 1/4) / 4 = (25/12) / 4 = 25/48
#   w_b = (1/2 + 1/3 + 1/4) / 4     = (13/12) / 4 = 13/48
#   w_c = (1/3 + 1/4) / 4           = (7/12) / 4  = 7/48
#   w_d = (1/4) / 4                                = 3/48
expect_exit "roc: default ranking runs" 0 "$PARLEY" run "$RANKED" --format json
near "roc: w_a = 25/48" weights/a 25/48 1e-12
near "roc: w_b = 13/48" weights/b 13/48 1e-12
near "roc: w_c = 7/48" weights/c 7/48 1e-12
near "roc: w_d = 3/48" weights/d 3/48 1e-12
near "roc: diagnostics give a's rank" diagnostics/weighting/ranks/a 1 0
near "roc: diagnostics give d's rank" diagnostics/weighting/ranks/d 4 0

# Ties as a string on the command line: d first, a and b tied for ranks 2
# and 3, c last.  d gets rank 1's 25/48, c rank 4's 3/48, and a and b share
# ranks 2 and 3: (13/48 + 7/48) / 2 = 10/48 each; their rank shows as 2.5.
expect_exit "roc: a ranking string with a tie runs" 0 \
  "$PARLEY" run "$RANKED" --format json --weighting 'rank-order-centroid:ranking=d > a = b > c'
near "roc tie: w_d = 25/48" weights/d 25/48 1e-12
near "roc tie: w_a = 10/48" weights/a 10/48 1e-12
near "roc tie: w_b = 10/48" weights/b 10/48 1e-12
near "roc tie: w_c = 3/48" weights/c 3/48 1e-12
near "roc tie: a's rank is 2.5" diagnostics/weighting/ranks/a 2.5 0

# The list form: c first, then a, b and d tied for ranks 2-4, sharing
# (13/48 + 7/48 + 3/48) / 3 = 23/144 each.
expect_exit "roc: a ranking list with a tied group runs" 0 \
  "$PARLEY" run "$RANKED" --format json \
  --weighting 'rank-order-centroid:ranking=["c",["a","b","d"]]'
near "roc list: w_c = 25/48" weights/c 25/48 1e-12
near "roc list: w_a = 23/144" weights/a 23/144 1e-12
near "roc list: w_d = 23/144" weights/d 23/144 1e-12

expect_exit "roc: an unknown id fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'rank-order-centroid:ranking=a>b>c>x'
has "roc: the unknown id is named" "$err" \
  "rank\.lua: rank-order-centroid: ranking names 'x', which is not a criterion"
expect_exit "roc: a criterion left out fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'rank-order-centroid:ranking=["a","b"]'
has "roc: the missing criteria are named" "$err" "ranking leaves out 'c', 'd'"
expect_exit "roc: a criterion twice fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'rank-order-centroid:ranking=a>b=a>c>d'
has "roc: the repeated criterion is named" "$err" "ranking names 'a' twice"
expect_exit "roc: an unknown parameter fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'rank-order-centroid:order=a>b>c>d'
has "roc: the unknown parameter is named" "$err" "unknown parameter 'order' \(expected: ranking\)"

# ---- rank-sum and rank-reciprocal -------------------------------------------------
# Rank sum (Stillwell, Seaver & Edwards 1981), w_i = 2(n + 1 - i) / (n(n + 1)),
# n = 4: 2*4/20, 2*3/20, 2*2/20, 2*1/20 = 0.4, 0.3, 0.2, 0.1.
expect_exit "rank-sum runs" 0 "$PARLEY" run "$RANKED" --format json --weighting rank-sum
near "rank-sum: w_a = 0.4" weights/a 0.4 1e-12
near "rank-sum: w_b = 0.3" weights/b 0.3 1e-12
near "rank-sum: w_c = 0.2" weights/c 0.2 1e-12
near "rank-sum: w_d = 0.1" weights/d 0.1 1e-12
# d > a = b > c: a and b share ranks 2 and 3, (0.3 + 0.2) / 2 = 0.25 each.
expect_exit "rank-sum with a tie runs" 0 \
  "$PARLEY" run "$RANKED" --format json --weighting 'rank-sum:ranking=d>a=b>c'
near "rank-sum tie: w_d = 0.4" weights/d 0.4 1e-12
near "rank-sum tie: w_a = 0.25" weights/a 0.25 1e-12
near "rank-sum tie: w_c = 0.1" weights/c 0.1 1e-12

# Rank reciprocal (Stillwell et al. 1981), w_i = (1/i) / sum_k 1/k; for n = 4,
# sum_k 1/k = 25/12, so w = 12/25, 6/25, 4/25, 3/25.
expect_exit "rank-reciprocal runs" 0 \
  "$PARLEY" run "$RANKED" --format json --weighting rank-reciprocal
near "rank-reciprocal: w_a = 12/25" weights/a 12/25 1e-12
near "rank-reciprocal: w_b = 6/25" weights/b 6/25 1e-12
near "rank-reciprocal: w_c = 4/25" weights/c 4/25 1e-12
near "rank-reciprocal: w_d = 3/25" weights/d 3/25 1e-12
expect_exit "rank-reciprocal: an empty ranking fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'rank-reciprocal:ranking=[]'
has "rank-reciprocal: the empty ranking is reported" "$err" "rank-reciprocal: ranking is empty"

# ---- ahp -------------------------------------------------------------------------
# Saaty's house example: the matrix of the eight criteria (size,
# transportation, neighborhood, age, yard, facilities, condition, financing)
# and the priorities, lambda_max, C.I. and C.R. printed with it, to three
# decimals: T. L. Saaty (1990), How to make a decision: the analytic
# hierarchy process, European Journal of Operational Research 48(1): 9-26.
HOUSE=$DATA/ahp-house.json
expect_exit "ahp: the house example runs" 0 "$PARLEY" run "$HOUSE" --format json
near "ahp house: size .173" weights/size 0.173 0.0005
near "ahp house: transportation .054" weights/transportation 0.054 0.0005
near "ahp house: neighborhood .188" weights/neighborhood 0.188 0.0005
near "ahp house: age .018" weights/age 0.018 0.0005
near "ahp house: yard .031" weights/yard 0.031 0.0005
near "ahp house: facilities .036" weights/facilities 0.036 0.0005
near "ahp house: condition .167" weights/condition 0.167 0.0005
near "ahp house: financing .333" weights/financing 0.333 0.0005
near "ahp house: lambda_max 9.669" diagnostics/weighting/lambda_max 9.669 0.0005
near "ahp house: C.I. 0.238" diagnostics/weighting/consistency_index 0.238 0.0005
near "ahp house: C.R. 0.169" diagnostics/weighting/consistency_ratio 0.169 0.0005
# RI for n = 8 in Saaty's table (Saaty 1980): 1.41.
near "ahp house: RI(8) = 1.41" diagnostics/weighting/random_index 1.41 0
has "ahp house: C.R. above 0.1 gives a warning" "$(jget diagnostics/weighting/warning)" \
  '^"consistency ratio 0\.169 is above 0\.1'
has "ahp: the diagnostics reach the text report too" \
  "$("$PARLEY" run "$HOUSE" 2>&1)" 'consistency'

# The same example, level 2: houses A, B and C compared on size, with the
# printed priorities .754, .181, .065, lambda_max 3.136, C.I. .068 and
# C.R. .117 (Saaty 1990, as above).  Here the three houses are the criteria.
SIZE=$DATA/ahp-size.json
expect_exit "ahp: the size-of-house matrix runs" 0 "$PARLEY" run "$SIZE" --format json
near "ahp size: A .754" weights/a 0.754 0.0005
near "ahp size: B .181" weights/b 0.181 0.0005
near "ahp size: C .065" weights/c 0.065 0.0005
near "ahp size: lambda_max 3.136" diagnostics/weighting/lambda_max 3.136 0.0005
near "ahp size: C.I. .068" diagnostics/weighting/consistency_index 0.068 0.0005
near "ahp size: C.R. .117" diagnostics/weighting/consistency_ratio 0.117 0.0005
near "ahp size: RI(3) = 0.58" diagnostics/weighting/random_index 0.58 0

# A consistent matrix (the same example's "general condition" comparison):
# rows (1, 1/2, 1/2), (2, 1, 1), (2, 1, 1).  Every column is a multiple of
# (1, 2, 2), so by hand A w = 3 w for w = (1, 2, 2) / 5 = (0.2, 0.4, 0.4):
# lambda_max = n = 3, C.I. = 0, C.R. = 0, and no warning.
expect_exit "ahp: a consistent matrix on the command line runs" 0 \
  "$PARLEY" run "$SIZE" --format json --weighting 'ahp:pairwise=[[1,"1/2","1/2"],[2,1,1],[2,1,1]]'
near "ahp consistent: w_a = 0.2" weights/a 0.2 1e-12
near "ahp consistent: w_b = 0.4" weights/b 0.4 1e-12
near "ahp consistent: w_c = 0.4" weights/c 0.4 1e-12
near "ahp consistent: lambda_max = 3" diagnostics/weighting/lambda_max 3 1e-12
near "ahp consistent: C.I. = 0" diagnostics/weighting/consistency_index 0 1e-12
near "ahp consistent: C.R. = 0" diagnostics/weighting/consistency_ratio 0 1e-12
lacks "ahp consistent: no warning" "$out" '"warning"'
# The same judgements with the rows in the order c, b, a: now c is the
# criterion compared as (1, 1/2, 1/2), so c gets 0.2 and a 0.4.
expect_exit "ahp: criteria gives the order of the rows" 0 \
  "$PARLEY" run "$SIZE" --format json \
  --weighting 'ahp:pairwise=[[1,0.5,0.5],[2,1,1],[2,1,1]],criteria=["c","b","a"]'
near "ahp criteria: w_c = 0.2" weights/c 0.2 1e-12
near "ahp criteria: w_a = 0.4" weights/a 0.4 1e-12

expect_exit "ahp: a non-reciprocal matrix fails the run" 2 \
  "$PARLEY" run "$SIZE" --weighting 'ahp:pairwise=[[1,6,8],[6,1,4],[0.125,0.25,1]]'
has "ahp: the non-reciprocal cell is named" "$err" \
  "ahp\.lua: ahp: pairwise is not reciprocal at row 2, column 1 \(criterion 'b' against 'a'\)"
has "ahp: the expected reciprocal is given" "$err" "should be 1/6 = 0\.166667"
expect_exit "ahp: a diagonal other than 1 fails the run" 2 \
  "$PARLEY" run "$SIZE" --weighting 'ahp:pairwise=[[1,6,8],[0.1667,2,4],[0.125,0.25,1]]'
has "ahp: the diagonal cell is named" "$err" "row 2, column 2 \(criterion 'b' against itself\) is 2"
expect_exit "ahp: a zero entry fails the run" 2 \
  "$PARLEY" run "$SIZE" --weighting 'ahp:pairwise=[[1,6,8],[0.1667,1,4],[0.125,0,1]]'
has "ahp: the zero cell is named" "$err" \
  "row 3, column 2 \(criterion 'c' against 'b'\) is 0; expected a positive"
expect_exit "ahp: a short row fails the run" 2 \
  "$PARLEY" run "$SIZE" --weighting 'ahp:pairwise=[[1,6,8],[0.1667,1,4],[0.125,0.25]]'
has "ahp: the short row is named" "$err" \
  "row 3 \(criterion 'c'\) must be a list of 3 numbers; got 2"
expect_exit "ahp: a matrix of the wrong order fails the run" 2 \
  "$PARLEY" run "$SIZE" --weighting 'ahp:pairwise=[[1,2],[0.5,1]]'
has "ahp: the order is explained" "$err" "pairwise must be a list of 3 rows"
expect_exit "ahp: no matrix fails the run" 2 "$PARLEY" run "$SIZE" --weighting ahp
has "ahp: the missing matrix is named" "$err" "missing parameter 'pairwise'"

# ---- swing -----------------------------------------------------------------------
# Points a 100, b 60, c 40, d 0: sum 200, weights 0.5, 0.3, 0.2, 0.
expect_exit "swing runs" 0 "$PARLEY" run "$RANKED" --format json \
  --weighting 'swing:points={"a":100,"b":60,"c":40,"d":0}'
near "swing: w_a = 100/200" weights/a 0.5 1e-12
near "swing: w_b = 60/200" weights/b 0.3 1e-12
near "swing: w_c = 40/200" weights/c 0.2 1e-12
near "swing: w_d = 0" weights/d 0 0
expect_exit "swing: a criterion without points fails the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'swing:points={"a":100,"b":60,"c":40}'
has "swing: the criterion without points is named" "$err" \
  "swing\.lua: swing: points has nothing for criterion 'd'"
expect_exit "swing: negative points fail the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'swing:points={"a":100,"b":60,"c":-40,"d":0}'
has "swing: the negative points are named" "$err" \
  "points of criterion 'c' is -40; points must be >= 0"
expect_exit "swing: points for an unknown criterion fail the run" 2 \
  "$PARLEY" run "$RANKED" --weighting 'swing:points={"a":100,"b":60,"c":40,"d":0,"e":5}'
has "swing: the unknown criterion is named" "$err" "points names 'e', which is not a criterion"
expect_exit "swing: no points fail the run" 2 "$PARLEY" run "$RANKED" --weighting swing
has "swing: the missing parameter is named" "$err" "missing parameter 'points'"

# ---- grid ------------------------------------------------------------------------
# grid.json: levels demand (80, 100, 120) x price (low, high); names sorted,
# demand first, so the order is demand=80,price=low; demand=80,price=high;
# ... Each of the 6 scenarios has probability 1/6.  grid-outcomes.lua makes
# profit = min(demand, capacity) * margin - cost, margin 1 (low) or 2 (high):
#   expand (capacity 150, cost 30): 50, 130, 70, 170, 90, 210; mean 720/6 = 120
#   hold   (capacity 100, cost 0):  80, 160, 100, 200, 100, 200; mean 840/6 = 140
GRID=$DATA/grid.json
expect_exit "grid: the dump format runs" 0 "$PARLEY" run "$GRID" "${DUMP[@]}"
want=$(printf '%s\n' 'demand=80,price=low' 'demand=80,price=high' 'demand=100,price=low' \
  'demand=100,price=high' 'demand=120,price=low' 'demand=120,price=high')
got=$(printf '%s\n' "$out" | cut -f1)
if [ "$got" = "$want" ]; then ok "grid: six scenarios in the documented order"
else fail "grid: scenario ids" "$got"; fi
has "grid: params keep their types" "$out" \
  $'^demand=100,price=high\t.*\tdemand=100:integer;price=high:string$'
n16=$(printf '%s\n' "$out" | awk -F'\t' '$3 - 1/6 < 1e-15 && 1/6 - $3 < 1e-15' | wc -l)
if [ "$n16" -eq 6 ]; then ok "grid: every scenario has probability 1/6"
else fail "grid: probabilities" "$out"; fi
expect_exit "grid: the model runs" 0 "$PARLEY" run "$GRID" --format json
near "grid: hold at demand=100,price=high: 100 * 2 - 0 = 200" \
  utilities/hold/demand=100,price=high 200 0
near "grid: expand at demand=80,price=low: 80 * 1 - 30 = 50" \
  utilities/expand/demand=80,price=low 50 0
near "grid: P(demand=120,price=high) = 1/6" probabilities/demand=120,price=high 1/6 1e-15
ranking "grid: hold ranks first with 140, expand second with 120" hold 140 expand 120

# Without probabilities (and a rule that needs none): maximin scores are the
# worst profits, expand 50 and hold 80.
mkdir "$TMP/grid"
cp "$DATA/grid-outcomes.lua" "$TMP/grid/"
sed -e 's/"levels":/"probabilities": false, "levels":/' \
  -e 's/"rule": "expected"/"rule": "maximin"/' "$GRID" >"$TMP/grid/grid.json"
expect_exit "grid: probabilities false runs with maximin" 0 \
  "$PARLEY" run "$TMP/grid/grid.json" --format json
lacks "grid: probabilities false gives none" "$out" '"probabilities"'
ranking "grid: maximin ranks hold first with 80, expand second with 50" hold 80 expand 50
sed 's/"demand": \[80, 100, 120\]/"demand": [80, 100, 80]/' "$GRID" >"$TMP/grid/twice.json"
expect_exit "grid: a repeated level is bad input" 2 "$PARLEY" run "$TMP/grid/twice.json"
has "grid: the repeated level is named" "$err" \
  "generator 'grid': .*grid: levels\.demand has the level '80' twice"
sed 's/"levels":/"level":/' "$GRID" >"$TMP/grid/nolevels.json"
expect_exit "grid: a misspelt parameter is bad input" 2 "$PARLEY" run "$TMP/grid/nolevels.json"
has "grid: the unknown parameter is named" "$err" \
  "unknown parameter 'level' \(expected: levels, probabilities\)"

# ---- latin-hypercube -------------------------------------------------------------
# latin-hypercube.json: n = 10, growth in [0, 5], unit_cost in [-1, 3].  The
# defining property (McKay, Beckman & Conover 1979): cut each range into 10
# equal strata; every stratum holds exactly one sample.
LHS=$DATA/latin-hypercube.json
expect_exit "lhs: the dump format runs" 0 "$PARLEY" run "$LHS" "${DUMP[@]}" --seed 7
seed7=$out
want=$(for i in 01 02 03 04 05 06 07 08 09 10; do echo "lhs-$i"; done)
got=$(printf '%s\n' "$out" | cut -f1)
if [ "$got" = "$want" ]; then ok "lhs: ids lhs-01 .. lhs-10"; else fail "lhs: ids" "$got"; fi
n10=$(printf '%s\n' "$out" | awk -F'\t' '$3 - 0.1 < 1e-15 && 0.1 - $3 < 1e-15' | wc -l)
if [ "$n10" -eq 10 ]; then ok "lhs: every scenario has probability 1/10"
else fail "lhs: probabilities" "$out"; fi
# strata NAME LO HI: the stratum (0..9) of each sample of NAME, sorted.
strata() {
  printf '%s\n' "$seed7" | awk -F'\t' -v name="$1" -v lo="$2" -v hi="$3" '{
    n = split($4, kv, ";")
    for (i = 1; i <= n; i++) {
      split(kv[i], p, "[=:]")
      if (p[1] == name) print int((p[2] - lo) / (hi - lo) * 10)
    }
  }' | sort -n | tr '\n' ' '
}
got=$(strata growth 0 5)
if [ "$got" = "0 1 2 3 4 5 6 7 8 9 " ]; then ok "lhs: one growth sample in each stratum"
else fail "lhs: growth strata are '$got'" "$seed7"; fi
got=$(strata unit_cost -1 3)
if [ "$got" = "0 1 2 3 4 5 6 7 8 9 " ]; then ok "lhs: one unit_cost sample in each stratum"
else fail "lhs: unit_cost strata are '$got'" "$seed7"; fi
expect_exit "lhs: the same seed runs again" 0 "$PARLEY" run "$LHS" "${DUMP[@]}" --seed 7
if [ "$out" = "$seed7" ]; then ok "lhs: the same seed gives the same scenarios"
else fail "lhs: the same seed gave other scenarios" "$out"; fi
expect_exit "lhs: another seed runs" 0 "$PARLEY" run "$LHS" "${DUMP[@]}" --seed 8
if [ "$out" != "$seed7" ]; then ok "lhs: another seed gives other scenarios"
else fail "lhs: seeds 7 and 8 gave the same scenarios" "$out"; fi
expect_exit "lhs: the model runs with its outcomes" 0 "$PARLEY" run "$LHS" --format json --seed 7
near "lhs: P(lhs-10) = 0.1" probabilities/lhs-10 0.1 1e-15
mkdir "$TMP/lhs"
cp "$DATA/lhs-outcomes.lua" "$TMP/lhs/"
sed 's/"n": 10/"n": 0/' "$LHS" >"$TMP/lhs/zero.json"
expect_exit "lhs: n = 0 is bad input" 2 "$PARLEY" run "$TMP/lhs/zero.json"
has "lhs: n = 0 is explained" "$err" "latin-hypercube: n is 0; expected a whole number from 1"
sed 's/"unit_cost": \[-1, 3\]/"unit_cost": [3, -1]/' "$LHS" >"$TMP/lhs/backwards.json"
expect_exit "lhs: a backwards range is bad input" 2 "$PARLEY" run "$TMP/lhs/backwards.json"
has "lhs: the backwards range is named" "$err" "ranges\.unit_cost is \[3, -1\]: lo is above hi"

# ---- csv -------------------------------------------------------------------------
# scenarios.csv (a blank line; a quoted field holding a comma, doubled
# quotes and a line break):
#   low:  name "Weak demand", p 0.25, demand 80, region north, code "007"
#         (quoted: stays text)
#   high: name 'Strong demand, "south"', p 0.5, demand " 1.2e2 " (trimmed,
#         a number: 120), region "south<LF>coast", code 12
#   flat: no name, p 0.25, demand -.5, region empty (left out), code 0x10
#         (not decimal: text)
CSVM=$DATA/csv.json
expect_exit "csv: the dump format runs" 0 "$PARLEY" run "$CSVM" "${DUMP[@]}"
has "csv: a quoted number stays text" "$out" \
  $'^low\tWeak demand\t0\\.25\tcode=007:string;demand=80:integer;region=north:string$'
has "csv: quotes, commas and line breaks in a quoted field" "$out" \
  $'^high\tStrong demand, "south"\t0\\.5\t'\
$'code=12:integer;demand=120:integer;region=south\\\\ncoast:string$'
has "csv: an empty cell leaves the param out; 0x10 is text" "$out" \
  $'^flat\tflat\t0\\.25\tcode=0x10:string;demand=-0\\.5:float$'
# Expected payoffs by hand: bold 0*.25 + 100*.5 + 20*.25 = 55,
# careful 40*.25 + 60*.5 + 40*.25 = 50.
expect_exit "csv: the model runs" 0 "$PARLEY" run "$CSVM" --format json
ranking "csv: bold ranks first with 55, careful second with 50" bold 55 careful 50

mkdir "$TMP/csv"
cp "$CSVM" "$TMP/csv/csv.json"
# CRLF line ends (written here, so that no checkout can change them), a
# blank CRLF line, a CRLF inside a quoted field, no line end at the end.
printf 'id,probability,note\r\nlow,0.5,"two\r\nlines"\r\n\r\nhigh,0.5, 7 \r\nflat,0,x' \
  >"$TMP/csv/scenarios.csv"
expect_exit "csv: CRLF line ends run" 0 "$PARLEY" run "$TMP/csv/csv.json" "${DUMP[@]}"
want=$(printf '%s\n' $'low\tlow\t0.5\tnote=two\\r\\nlines:string' \
  $'high\thigh\t0.5\tnote=7:integer' $'flat\tflat\t0\tnote=x:string')
if [ "$out" = "$want" ]; then ok "csv: CRLF records and a CRLF inside quotes"
else fail "csv: CRLF records" "$out"; fi

# bad_csv NAME PATTERN TEXT: scenarios.csv = TEXT (printf format) beside a
# copy of csv.json is bad input, with a message matching PATTERN.
bad_csv() {
  printf "$3" >"$TMP/csv/scenarios.csv"
  expect_exit "csv: $1 is bad input" 2 "$PARLEY" run "$TMP/csv/csv.json"
  has "csv: $1 is reported" "$err" "$2"
}
bad_csv "a repeated id" \
  "generator 'csv': .*: scenarios\.csv:4: the id 'low' is already used on line 2" \
  'id,probability\nlow,0.5\nhigh,0.5\nlow,0\n'
bad_csv "a bad probability" "scenarios\.csv:3: probability 'abc' is not a number in \[0, 1\]" \
  'id,probability\nlow,0.5\nhigh,abc\n'
bad_csv "a short record" "scenarios\.csv:3: 1 field; the header has 2" \
  'id,probability\nlow,0.5\nhigh\n'
bad_csv "an unclosed quote" "scenarios\.csv:3: a quoted field is not closed" \
  'id,probability\nlow,0.5\n"high,0.5\n'
bad_csv "a quote in an unquoted field" "scenarios\.csv:3: a quote inside an unquoted field" \
  'id,probability\nlow,0.5\nhi"gh,0.5\n'
bad_csv "text after a closing quote" "scenarios\.csv:4: 'x' after a closing quote" \
  'id,probability\nlow,0.5\n"hi\ngh"x,0.5\n'
bad_csv "a header without id" "scenarios\.csv:1: the header has no 'id' column" \
  'name,probability\nlow,0.5\n'
bad_csv "a missing probability" "scenarios\.csv:3: no probability, while line 2 has one" \
  'id,probability\nlow,0.5\nhigh,\nflat,0.5\n'
rm -f "$TMP/csv/scenarios.csv"
expect_exit "csv: a missing file is bad input" 2 "$PARLEY" run "$TMP/csv/csv.json"
has "csv: the missing file is named" "$err" "cannot read .*scenarios\.csv"

finish
