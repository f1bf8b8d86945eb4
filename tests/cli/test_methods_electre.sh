#!/usr/bin/env bash
# test_methods_electre.sh — the aggregations electre1 and electre3 end to
# end: `parley run MODEL --format json` on the models of tests/data/electre
# (Cebrián & Porcar 2009 for ELECTRE I; a veto example worked by hand for
# ELECTRE III, the same as in tests/unit/test_electre.c), their parameters
# from the model file and from the command line, rankings, score order,
# the diagnostics, and bad parameters refused as bad input.  Prints "N
# passed, N failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/electre
. "$(dirname "$0")/lib.sh"

# ranked, has and flat come from lib.sh; bad here puts "run" before its
# arguments, so the calls below name only the model and flags.

# bad NAME PATTERN ARGS...: the run is refused as bad input (exit 2) with a
# message matching PATTERN.
bad() {
  local name=$1 pattern=$2
  shift 2
  call "$PARLEY" run "$@"
  if [ "$rc" = 2 ]; then ok "$name: exit 2"; else fail "$name: exit $rc, expected 2" "$err"; fi
  has "$name: the message says why" "$err" "$pattern"
}

# ---- ELECTRE I ----------------------------------------------------------------
# Cebrián & Porcar (2009) with concordance 0.55 and discordance 0.699 (the
# model's pipeline): the published kernel is A5 alone.  Net outranking
# counts worked by hand (tests/unit/test_electre.c): A5 5, A6 1, A2 A3 A4
# -1 (tied, in model order), A1 -3.
ranked "electre1: the Cebrián & Porcar example" cebrian-porcar.json "A5 A6 A2 A3 A4 A1" 5.0000
has "electre1: higher is better" "$(flat)" '"order":"descending"'
has "electre1: the kernel is A5" "$(flat)" '"kernel":\["A5"\],"kernel_size":1'
has "electre1: the concordance matrix" "$(flat)" '"concordance":\{"A1":\{"A2":0\.5,"A3":0\.35,'
# From the command line the model's parameters give way to the defaults
# (0.7, 0.3): only A5 -> A1 and A5 -> A4 remain (C 0.9, D 0.2 and 0.3), so
# A5 scores 2, A1 and A4 -1, the others 0; the kernel is everything not
# outranked: A2, A3, A5, A6.
ranked "electre1: default thresholds" cebrian-porcar.json "A5 A2 A3 A6 A1 A4" 2.0000 \
  --aggregation electre1
has "electre1: kernel with the defaults" "$(flat)" '"kernel":\["A2","A3","A5","A6"\]'
bad "electre1: concordance outside [0, 1]" 'concordance=2 is outside \[0, 1\]' \
  "$DATA/cebrian-porcar.json" --aggregation electre1:concordance=2

# ---- ELECTRE III --------------------------------------------------------------
# The veto example: descending a2 | a1 | a3, ascending a1 | a2 | a3, so a1
# and a2 are incomparable and share rank 1 in the final preorder; a3 ranks
# 2.  The utility is that rank, lower is better.
ranked "electre3: the veto example" veto.json "a1 a2 a3" 1.0000
has "electre3: lower is better" "$(flat)" '"order":"ascending"'
has "electre3: utilities are ranks" "$(flat)" \
  '"a1":\{"base":1\},"a2":\{"base":1\},"a3":\{"base":2\}'
has "electre3: descending distillation" "$(flat)" \
  '"descending":\[\["a2"\],\["a1"\],\["a3"\]\],"descending_classes":3'
has "electre3: ascending distillation" "$(flat)" \
  '"ascending":\[\["a1"\],\["a2"\],\["a3"\]\],"ascending_classes":3'
has "electre3: a1 and a2 incomparable" "$(flat)" '"incomparable":\[\["a1","a2"\]\]'
has "electre3: the vetoed credibility" "$(flat)" '"a2":\{"a1":0,"a3":1\}'
# Without the veto (thresholds on the command line): a2 | a1 a3 and a1 a2 |
# a3, so a2 ranks 1, a1 2, a3 3.
ranked "electre3: thresholds from the command line" veto.json "a2 a1 a3" 1.0000 \
  --aggregation 'electre3:thresholds={"g1":{"q":1,"p":3},"g2":{"p":2}}'
bad "electre3: q above p" 'aggregation electre3: thresholds\.g1: needs q <= p \(q = 3, p = 1\)' \
  "$DATA/veto.json" --aggregation 'electre3:thresholds={"g1":{"q":3,"p":1}}'
bad "electre3: thresholds must be JSON" "parameter 'thresholds' must be a JSON array or object" \
  "$DATA/veto.json" --aggregation electre3:thresholds=3

finish
