#!/bin/bash
# test_interrupt.sh — Ctrl-C during a long analysis: the program stops the
# draws, writes the result with the iterations done flagged partial, says so
# on stderr and exits 1; without Ctrl-C the same run is complete.
set -u
. "$(dirname "$0")/lib.sh"

MODEL="$PARLEY_SOURCE_DIR/scripts/alaska-talks.json"

# Far more draws than can finish before the signal.  A signal that comes
# before the program has started the analysis ends it the usual way (130);
# on a slow machine that is retried with a longer wait.
for delay in 1 3 8; do
  "$PARLEY" run "$MODEL" --analysis montecarlo:n=1000000000 --seed 1 --format json \
    --output "$TMP/partial.json" 2>"$TMP/stderr" &
  pid=$!
  sleep "$delay"
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  [ "$rc" = 130 ] || break
done
err=$(cat "$TMP/stderr")
if [ "$rc" = 1 ]; then ok "an interrupted run exits 1"; else fail "an interrupted run exits 1: exit $rc" "$err"; fi
if printf '%s\n' "$err" | grep -q "interrupted: the analyses stopped early"; then
  ok "an interrupted run says so"
else fail "an interrupted run says so" "$err"; fi
if grep -q '"partial": true' "$TMP/partial.json"; then ok "the result is flagged partial"
else fail "the result is flagged partial" "$(head -c 400 "$TMP/partial.json")"; fi
n=$(awk '/"montecarlo"/ { m = 1 } m && /"n":/ { gsub(/[^0-9]/, "", $2); print $2; exit }' \
  "$TMP/partial.json")
if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 1000000000 ]; then
  ok "the partial result counts the draws done ($n)"
else fail "the partial result counts the draws done: '$n'"; fi
if [ $((n % 256)) = 0 ]; then ok "the draws done are whole blocks"
else fail "the draws done are whole blocks: $n"; fi

call "$PARLEY" run "$MODEL" --analysis montecarlo:n=1000 --seed 1 --format json
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q '"partial": false'; then
  ok "an uninterrupted run is complete"
else fail "an uninterrupted run is complete: exit $rc" "$err"; fi

finish
