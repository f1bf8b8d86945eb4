#!/usr/bin/env bash
# test_compare.sh — comparing rankings end to end: `parley run` with a list
# of stages in --aggregation or --rule (which adds the analysis "compare"),
# and `parley compare`.  On tests/data/compare/rules.json, whose rankings
# are worked out by hand below, the coefficients and compromise rankings
# are checked to the bit; on scripts/alaska-talks.json (six strategies, two
# actors) the shape of the output, the agreement of each method's ranking
# with the run's, and the actors' coefficients.  Also the comma rule of the
# lists (which commas separate stages, which parameters) and the errors.
# Prints "N passed, N failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=${PARLEY_TEST_DATA:-$SRC/tests/data}/compare
ALASKA=$SRC/scripts/alaska-talks.json
. "$(dirname "$0")/lib.sh"

# quiet NAME: the last call succeeded and wrote nothing on stderr.
quiet() {
  if [ "$rc" = 0 ] && [ -z "$err" ]; then ok "$1: exit 0"
  else fail "$1: exit $rc" "$err"; fi
}

# quietly NAME ARGS...: `$PARLEY ARGS`, then quiet NAME; $out stays for the
# checks that follow.
quietly() {
  local name=$1
  shift
  call "$PARLEY" "$@"
  quiet "$name"
}

# ---- the hand-worked model ---------------------------------------------------------------
# One criterion on [0, 10] (minmax: x / 10), two scenarios, no probabilities:
#          good  bad      maximax      maximin      laplace
#     a     1    0         1 (1st)      0 (3rd)      0.5 (1st, tied)
#     b    0.6  0.4       0.6 (2nd)    0.4 (1st)     0.5 (1st, tied)
#     c    0.3  0.3       0.3 (3rd)    0.3 (2nd)     0.3 (3rd)
# Ranks over (a, b, c) as mid-ranks: maximax (1, 2, 3), maximin (3, 1, 2),
# laplace (1.5, 1.5, 3).
# Spearman: maximax-maximin: dx (-1, 0, 1), dy (1, -1, 0): -1 / 2 = -0.5.
# Weighted Spearman, n = 3, n^4 + n^3 - n^2 - n = 96, 1 - 6 S / 96 with
#   S = sum d^2 ((n - x + 1) + (n - y + 1)):
#   maximax-maximin: 4 * (3 + 1) + 1 * (2 + 3) + 1 * (1 + 2) = 24 -> -0.5
#   maximax-laplace: 0.25 * (3 + 2.5) + 0.25 * (2 + 2.5) + 0 = 2.5 -> 0.84375
#   maximin-laplace: 2.25 * (1 + 2.5) + 0.25 * (3 + 2.5) + 1 * (2 + 1) = 12.25 -> 0.234375
# WS = 1 - sum 2^-x |x - y| / max(|x - 1|, |3 - x|), x the reference (row):
#   maximax vs maximin: 1/2 * 2/2 + 1/4 * 1/1 + 1/8 * 1/2 = 0.8125 -> 0.1875
#   maximax vs laplace: 1/2 * 0.5/2 + 1/4 * 0.5/1 + 0 = 0.25 -> 0.75
#   maximin vs maximax: 1/8 * 2/2 + 1/2 * 1/2 + 1/4 * 1/1 = 0.625 -> 0.375
#   maximin vs laplace: 1/8 * 1.5/2 + 1/2 * 0.5/2 + 1/4 * 1/1 = 0.46875 -> 0.53125
# Copeland: (a, b) maximax for a, maximin for b, laplace ties: drawn;
#   (a, c) 2 to 1 for a; (b, c) 3 to 0 for b: a 1, b 1, c -2.
# Borda (3 - mid-rank): a 2 + 0 + 1.5 = 3.5, b 1 + 2 + 1.5 = 4.5, c 0 + 1 + 0 = 1.
RULES=$DATA/rules.json

quietly "rules list" run "$RULES" --rule maximax,maximin,laplace --format json
doc=$(flat)
contains "rules list: the first rule is the run's" "$doc" '"rule":{"name":"maximax"}'
contains "rules list: the methods" "$doc" '"compare":{"methods":["maximax","maximin","laplace"]'
contains "rules list: spearman" "$doc" '"spearman":[[1,-0.5,0.866'
contains "rules list: weighted spearman" "$doc" \
  '"weighted_spearman":[[1,-0.5,0.84375],[-0.5,1,0.234375],[0.84375,0.234375,1]]'
contains "rules list: WS, row the reference" "$doc" '"ws":[[1,0.1875,0.75],[0.375,1,0.53125],'
contains "rules list: Copeland" "$doc" \
  '"copeland":[{"rank":1,"strategy":"a","score":1},{"rank":1,"strategy":"b","score":1},{"rank":3,"strategy":"c","score":-2}]'
contains "rules list: Borda" "$doc" \
  '"borda":[{"rank":1,"strategy":"b","score":4.5},{"rank":2,"strategy":"a","score":3.5},{"rank":3,"strategy":"c","score":1}]'
contains "rules list: maximin's ranking" "$doc" \
  '"maximin":[{"rank":1,"strategy":"b","score":0.4},{"rank":2,"strategy":"c","score":0.3},{"rank":3,"strategy":"a","score":0}]'

quietly "compare" compare "$RULES" --rule maximax,maximin,laplace
has "compare: the title" "$out" '^Comparing rankings \(3 methods'
has "compare: the header" "$out" '^  strategy +maximax +maximin +laplace +Copeland +Borda$'
has "compare: a's ranks" "$out" '^  a +1 +3 +1 +1 +2$'
has "compare: b's ranks" "$out" '^  b +2 +1 +1 +1 +1$'
has "compare: c's ranks" "$out" '^  c +3 +2 +3 +3 +3$'
has "compare: the WS matrix" "$out" '^    maximax +1\.0000 +0\.1875 +0\.7500$'
has "compare: the r_w matrix" "$out" '^    maximin +-0\.5000 +1\.0000 +0\.2344$'
lacks "compare: the comparison alone" "$out" 'Weights'

quietly "compare as json" compare "$RULES" --rule maximax,maximin --format json
contains "compare as json: the result document" "$(flat)" '"analyses":{"compare":{"methods":["maximax","maximin"]'

quietly "compare to a file" compare "$RULES" --rule maximax,maximin --output "$TMP/cmp.txt"
has "compare to a file: written" "$(cat "$TMP/cmp.txt" 2>/dev/null)" '^Comparing rankings'

# ---- a model with actors -----------------------------------------------------------------
quietly "alaska" run "$ALASKA" --aggregation wsm,topsis,vikor,promethee2 --format json
doc=$(flat)
contains "alaska: the first aggregation is the run's" "$doc" '"aggregation":{"name":"wsm"}'
contains "alaska: the methods" "$doc" '"methods":["wsm","topsis","vikor","promethee2"]'
contains "alaska: vikor's order" "$doc" '"vikor":"ascending"'
# The run's ranking is the compare ranking of its aggregation.
main=$(printf '%s' "$doc" | sed 's/.*,"ranking":\(\[[^]]*\]\),"actors".*/\1/')
contains "alaska: wsm's ranking is the run's" "$doc" "\"rankings\":{\"wsm\":$main"
contains "alaska: the actors' coefficients" "$doc" \
  '"actors":{"ids":["us-delegation","russia-delegation"],"similarity":{"spearman":[[1,'
contains "alaska: actor agreement grows" "$doc" '"weighted_spearman":[{"a":"us-delegation"'
contains "alaska: WS both ways" "$doc" '{"reference":"russia-delegation","compared":"us-delegation"'
# Ones on the diagonal of a matrix of four.
contains "alaska: kendall diagonal" "$doc" '"kendall":[[1,'

quietly "alaska report" run "$ALASKA" --aggregation topsis,vikor
has "alaska report: the section" "$out" '^Comparing rankings \(2 methods'
has "alaska report: the actors" "$out" "^Similarity of the actors' rankings"

# The model's own analyses still run beside compare.
sed 's/"rule": "expected"}/"rule": "expected", "analyses": ["montecarlo:n=256"]}/' \
  "$ALASKA" >"$TMP/analyses.json"
quietly "model analyses kept" run "$TMP/analyses.json" --aggregation wsm,topsis --format json
contains "model analyses kept: montecarlo" "$(flat)" '"montecarlo":{"n":256'
contains "model analyses kept: compare" "$(flat)" '"compare":{"methods":["wsm","topsis"]'

# A compare asked for takes the list; one that names its own keeps it.
quietly "compare asked for" run "$RULES" --rule maximax,maximin --analysis compare --format json
contains "compare asked for: given the list" "$(flat)" '"methods":["maximax","maximin"]'
quietly "compare with its own rules" run "$RULES" --rule maximax,maximin \
  --analysis 'compare:rules=["laplace"]' --format json
contains "compare with its own rules: kept" "$(flat)" '"methods":["laplace"]'

# ---- which commas separate stages ---------------------------------------------------------
quietly "parameter then stage" run "$ALASKA" --aggregation 'vikor:v=0.3,topsis' --format json
contains "parameter then stage: vikor runs with v" "$(flat)" '"aggregation":{"name":"vikor","v":0.3}'
contains "parameter then stage: two methods" "$(flat)" '"methods":["vikor:v=0.3","topsis"]'

quietly "one stage" run "$ALASKA" --rule 'hurwicz:alpha=0.5' --format json
lacks "one stage: no comparison" "$(flat)" '"compare"'

F='functions={"violence":{"type":"linear","q":1,"p":3}}'
quietly "two parameters, one stage" run "$ALASKA" --aggregation "promethee2:exact_pairwise=1,$F" \
  --format json
lacks "two parameters, one stage: no comparison" "$(flat)" '"compare"'
contains "two parameters, one stage: both" "$(flat)" '"exact_pairwise":1,"functions"'

quietly "two parameters, then a stage" run "$ALASKA" \
  --aggregation "promethee2:exact_pairwise=1,$F,wsm" --format json
contains "two parameters, then a stage: compared" "$(flat)" \
  '"methods":["promethee2:exact_pairwise=1,functions={\"violence\":{\"type\":\"linear\",\"q\":1,\"p\":3}}","wsm"]'

quietly "normalization" run "$ALASKA" --aggregation wsm,topsis --normalization vector \
  --format json
contains "normalization: the run's" "$(flat)" '"normalization":{"name":"vector"}'
contains "normalization: the comparison's" "$(flat)" '"normalization":"vector","order"'

# ---- errors ---------------------------------------------------------------------------------
bad "an empty stage" 'empty stage' run "$ALASKA" --aggregation 'topsis,,vikor'
bad "a trailing comma" 'empty stage' run "$ALASKA" --aggregation 'topsis,'
bad "a parameter first" "'alpha=0.5' is a parameter" run "$ALASKA" --rule 'alpha=0.5,hurwicz'
bad "an unknown stage in the list" "unknown aggregation 'nosuch'" \
  run "$ALASKA" --aggregation topsis,nosuch
bad "a bad parameter in the list" "v=2 is outside" run "$ALASKA" --aggregation topsis,vikor:v=2
bad "a rule that needs probabilities" 'needs scenario probabilities' \
  run "$RULES" --rule maximin,expected
bad "compare without methods" 'needs the methods' compare "$RULES"
bad "compare in another format" 'text or json' compare "$RULES" --rule maximin,laplace --format csv
bad "compare without a model" 'needs a MODEL' compare --rule maximin

quietly "help compare" help compare
has "help compare: usage" "$out" '^usage: parley compare MODEL'

finish
