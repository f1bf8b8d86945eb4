#!/bin/bash
# test_scripting.sh — Lua scoring scripts: `parley SCRIPT.lua` and the C
# module loaded with require "parley" from the stock lua5.4.  The scripts'
# answers are checked against `parley run` of the same model and, for the
# Hurwicz sweep, against the change points worked out here from each
# strategy's worst and best utilities (maximin and maximax scores): the
# Hurwicz score is min + alpha (max - min), a line in alpha, and the top
# strategy changes where the upper envelope of those lines changes line.
set -u
. "$(dirname "$0")/lib.sh"

MODEL="$PARLEY_SOURCE_DIR/scripts/alaska-talks.json"
SCRIPTS="$PARLEY_SOURCE_DIR/scripts"

# main_ranking JSON: "strategy score" per line, the main ranking only (the
# actors' rankings are indented deeper).
main_ranking() {
  printf '%s\n' "$1" | awk '
    /^      "strategy": / { gsub(/[",]/, "", $2); s = $2 }
    /^      "score": / { gsub(/,/, "", $2); print s, $2 }'
}

# ---- parley SCRIPT.lua ------------------------------------------------------------
call "$PARLEY" "$SCRIPTS/alaska-talks.lua"
if [ "$rc" = 0 ]; then ok "alaska-talks.lua runs"; else fail "alaska-talks.lua: exit $rc" "$err"; fi
for rule in expected maximin maximax laplace minimax-regret; do
  want=$("$PARLEY" run "$MODEL" --rule "$rule" --format json)
  top=$(main_ranking "$want" | head -1 | cut -d' ' -f1)
  label=$(case $rule in expected) echo "expected value";; maximin) echo "maximin (Wald)";;
          maximax) echo "maximax";; laplace) echo "Laplace";;
          minimax-regret) echo "minimax regret (Savage)";; esac)
  if printf '%s\n' "$out" | grep -q "^$label  *$top"; then ok "alaska-talks.lua: $rule recommends $top"
  else fail "alaska-talks.lua: $rule should recommend $top" "$out"; fi
done
if printf '%s\n' "$out" | grep -q "^Under maximax the recommendation changes: joint-reconstruction"; then
  ok "alaska-talks.lua says how the recommendation changes"
else fail "alaska-talks.lua says how the recommendation changes" "$out"; fi

call "$PARLEY" "$SCRIPTS/hurwicz-sweep.lua" "$MODEL" 20
if [ "$rc" = 0 ]; then ok "hurwicz-sweep.lua runs"; else fail "hurwicz-sweep.lua: exit $rc" "$err"; fi
sweep=$out
lo=$(main_ranking "$("$PARLEY" run "$MODEL" --rule maximin --format json)" | sort)
hi=$(main_ranking "$("$PARLEY" run "$MODEL" --rule maximax --format json)" | sort)
# The upper envelope of min_s + alpha (max_s - min_s) over alpha in [0, 1]:
# candidate points are the pairwise crossings; between two candidates the
# top line is the one highest at the midpoint.
expected=$(join <(printf '%s\n' "$lo") <(printf '%s\n' "$hi") | awk '
  { n++; id[n] = $1; a[n] = $2; b[n] = $3 - $2 }
  function top(x,   i, best, bi) { best = -1e300
    for (i = 1; i <= n; i++) if (a[i] + x * b[i] > best + 1e-12) { best = a[i] + x * b[i]; bi = i }
    return id[bi] }
  END {
    m = 0; c[m++] = 0; c[m++] = 1
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[i] != b[j]) {
      x = (a[j] - a[i]) / (b[i] - b[j]); if (x > 0 && x < 1) c[m++] = x }
    # sort the candidates
    for (i = 0; i < m; i++) for (j = i + 1; j < m; j++) if (c[j] < c[i]) { t = c[i]; c[i] = c[j]; c[j] = t }
    prev = top((c[0] + c[1]) / 2)
    for (i = 1; i + 1 < m; i++) { cur = top((c[i] + c[i + 1]) / 2)
      if (cur != prev) printf "%.9f %s %s\n", c[i], prev, cur; prev = cur }
  }')
if [ -n "$expected" ]; then ok "the worked example has a Hurwicz change point"
else fail "the worked example has a Hurwicz change point" "$lo"; fi
got=$(printf '%s\n' "$sweep" | awk '/^change at alpha = / { sub(/:$/, "", $5); print $5, $6, $8 }')
verdict=$(paste -d' ' <(printf '%s\n' "$expected") <(printf '%s\n' "$got") | awk '
  { if (NF != 6 || $2 != $5 || $3 != $6 || ($1 - $4 > 1e-6) || ($4 - $1 > 1e-6)) bad = 1; n++ }
  END { print (bad || n == 0) ? "bad" : "good" }')
if [ "$verdict" = good ] && [ "$(printf '%s\n' "$expected" | wc -l)" = "$(printf '%s\n' "$got" | wc -l)" ]; then
  ok "hurwicz-sweep.lua finds the change points within 1e-6"
else fail "hurwicz-sweep.lua finds the change points within 1e-6" "expected:
$expected
got:
$got"; fi

# Arguments reach the script in arg and in ...
cat >"$TMP/args.lua" <<'LUA'
local a, b = ...
print(arg[0]:match("args.lua$") ~= nil, arg[1], arg[2], a, b, #arg)
LUA
call "$PARLEY" "$TMP/args.lua" one two
if [ "$out" = "true	one	two	one	two	2" ]; then ok "arguments in arg and ..."
else fail "arguments in arg and ..." "$out"; fi

# The full standard library is there (unlike in plugins).
cat >"$TMP/stdlib.lua" <<'LUA'
local f = assert(io.open(arg[1], "w")); f:write("written"); f:close()
print(type(os.getenv), type(debug.traceback), type(require "parley".load))
LUA
call "$PARLEY" "$TMP/stdlib.lua" "$TMP/out.txt"
if [ "$rc" = 0 ] && [ "$(cat "$TMP/out.txt")" = written ] && [ "$out" = "function	function	function" ]; then
  ok "scripts have io, os and debug"
else fail "scripts have io, os and debug: exit $rc" "$out$err"; fi

# A model built from a Lua table; stages as tables; every field readable.
cat >"$TMP/table.lua" <<'LUA'
local parley = require "parley"
-- Two strategies, two criteria, no scenarios (hand check below).
local m = parley.model{
  name = "table model",
  criteria = {{id = "gain", direction = "max", weight = 0.6},
              {id = "cost", direction = "min", weight = 0.4}},
  strategies = {{id = "a"}, {id = "b"}},
  outcomes = {a = {gain = 10, cost = 5}, b = {gain = 4, cost = 1}},
}
local r = m:run{normalization = "minmax", aggregation = {name = "wsm"}}
-- minmax: a = (1, 0), b = (0, 1); WSM: a = 0.6, b = 0.4
print(r.ranking[1].strategy, r.ranking[1].score, r.ranking[2].score, r.weights.gain, m.name,
      #m.strategies, m:outcome("a", 1, "cost"), r.order)
print(#r:format("json") > 0, r:table().model.name)
LUA
call "$PARLEY" "$TMP/table.lua"
if [ "$out" = "a	0.6	0.4	0.6	table model	2	5.0	descending
true	table model" ]; then ok "a model from a Lua table, WSM by hand"
else fail "a model from a Lua table, WSM by hand" "$out$err"; fi

# Errors: a run error is a Lua error the script can catch; an uncaught one
# exits 1 with the script's position; a script that does not compile exits 2.
cat >"$TMP/catch.lua" <<'LUA'
local parley = require "parley"
local ok, msg = pcall(function() return parley.load(arg[1]):run{rule = "nope"} end)
print(ok, msg:match("unknown rule 'nope'") ~= nil)
LUA
call "$PARLEY" "$TMP/catch.lua" "$MODEL"
if [ "$out" = "false	true" ]; then ok "run errors are catchable"; else fail "run errors are catchable" "$out$err"; fi
printf 'local parley = require "parley"\nparley.load("%s")\n' "$TMP/missing.json" >"$TMP/fail.lua"
call "$PARLEY" "$TMP/fail.lua"
if [ "$rc" = 1 ] && printf '%s\n' "$err" | grep -q "fail.lua:2: .*missing.json: cannot read"; then
  ok "an uncaught error exits 1 naming the script line"
else fail "an uncaught error exits 1 naming the script line: exit $rc" "$err"; fi
printf 'print("x"\n' >"$TMP/syntax.lua"
call "$PARLEY" "$TMP/syntax.lua"
if [ "$rc" = 2 ] && printf '%s\n' "$err" | grep -q "syntax.lua:"; then ok "a syntax error exits 2"
else fail "a syntax error exits 2: exit $rc" "$err"; fi
call "$PARLEY" "$TMP/no-such-script.lua"
if [ "$rc" = 2 ]; then ok "a missing script exits 2"; else fail "a missing script exits 2: exit $rc" "$err"; fi
printf 'os.exit(7)\n' >"$TMP/exit.lua"
call "$PARLEY" "$TMP/exit.lua"
if [ "$rc" = 7 ]; then ok "os.exit sets the exit status"; else fail "os.exit: exit $rc"; fi

# ---- require "parley" from the stock interpreter -------------------------------------
if [ "${PARLEY_SANITIZED:-0}" = 1 ]; then
  # The stock interpreter is not built with the sanitizers, and a module that
  # is cannot be loaded into it: this part runs in the plain build.
  echo "skip - require \"parley\" from lua5.4 (sanitizer build)"
elif command -v lua5.4 >/dev/null; then
  call env LUA_CPATH="$PARLEY_LUA_MODULE_DIR/?.so;;" lua5.4 "$TMP/table.lua"
  if [ "$out" = "a	0.6	0.4	0.6	table model	2	5.0	descending
true	table model" ]; then ok "require \"parley\" from lua5.4"
  else fail "require \"parley\" from lua5.4: exit $rc" "$out$err"; fi
  call env LUA_CPATH="$PARLEY_LUA_MODULE_DIR/?.so;;" lua5.4 "$SCRIPTS/hurwicz-sweep.lua" "$MODEL" 20
  if [ "$out" = "$sweep" ]; then ok "hurwicz-sweep.lua gives the same under lua5.4"
  else fail "hurwicz-sweep.lua gives the same under lua5.4" "$out$err"; fi
else
  fail "lua5.4 is not installed (make deps installs it)"
fi

finish
