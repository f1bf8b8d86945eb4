#!/usr/bin/env bash
# test_plugins.sh — Lua plugins end to end: the examples of docs/plugins.md
# (every block after a "<!-- file: PATH -->" marker is written to PATH in a
# scratch folder, every block after "<!-- output: ARGS -->" must be what
# `parley ARGS` prints there), exit statuses (1 for a limit reached or a Lua
# error during a run, 2 for a bad plugin file or a bad option), the messages
# on stderr ("plugin FILE:LINE: ..."), the --plugin-instructions,
# --plugin-memory and --plugin-seconds options and their bad values,
# `parley plugins --plugins DIR`, and $PARLEY_PLUGIN_PATH below --plugins.
# Prints "N passed, N failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DOC=$SRC/docs/plugins.md
. "$(dirname "$0")/lib.sh"
unset PARLEY_PLUGIN_PATH

# ---- the examples of docs/plugins.md -------------------------------------------
DOCDIR=$TMP/doc
mkdir -p "$DOCDIR"
for f in $(sed -n 's/^<!-- file: \(.*\) -->$/\1/p' "$DOC"); do
  mkdir -p "$DOCDIR/$(dirname "$f")"
done
# Writes each marked block to its file; lists the output checks as
# "ARGS<TAB>FILE" lines, the expected text in FILE.
awk -v dir="$DOCDIR" '
  /^<!-- file: .* -->$/ { target = $3; want = "file"; next }
  /^<!-- output: .* -->$/ {
    args = $0; sub(/^<!-- output: /, "", args); sub(/ -->$/, "", args)
    n++; target = ".output" n; want = "output"; next
  }
  want != "" && !inblock && /^```/ { inblock = 1; out = dir "/" target; printf "" > out; next }
  inblock && /^```[[:space:]]*$/ {
    inblock = 0; close(out)
    if (want == "output") print args "\t" out > (dir "/.checks")
    want = ""; next
  }
  inblock { print > out }
' "$DOC"

for f in plugins/example-points.lua plugins/example-sweep.lua plugins/example-tsv.lua \
         model/plant.json model/plant-outcomes.lua; do
  if [ -s "$DOCDIR/$f" ]; then ok "the guide has $f"; else fail "the guide has $f"; fi
done
if [ -s "$DOCDIR/.checks" ]; then
  while IFS=$'\t' read -r args want; do
    # shellcheck disable=SC2086
    (cd "$DOCDIR" && "$PARLEY" $args) >"$TMP/got" 2>"$TMP/goterr"
    if d=$(diff -u "$want" "$TMP/got"); then ok "the guide's output of 'parley $args'"
    else fail "the guide's output of 'parley $args'" "$d$(cat "$TMP/goterr")"; fi
  done <"$DOCDIR/.checks"
else
  fail "the guide shows an output to check"
fi

(cd "$DOCDIR" && "$PARLEY" plugins --plugins plugins) >"$TMP/list" 2>&1
list=$(cat "$TMP/list")
contains "plugins --plugins lists the example weighting with its file" "$list" \
  "plugins/example-points.lua"
contains "plugins --plugins lists the example generator" "$list" "plugins/example-sweep.lua"
contains "plugins --plugins lists the example format" "$list" "plugins/example-tsv.lua"

cd "$DOCDIR"
expect_exit "example weighting from the command line" 0 \
  "$PARLEY" run model/plant.json --plugins plugins --weighting example-points:cost=1,capacity=3 \
  --format json
contains "command-line points become weights" "$out" '"capacity": 0.75'
contains "the plugin's diagnostics reach the result" "$out" '"points": 4'
expect_exit "a bad parameter of the example weighting is bad input" 2 \
  "$PARLEY" run model/plant.json --plugins plugins --weighting example-points:speed=3
contains "... with the plugin's message" "$err" \
  "plugin plugins/example-points.lua: example-points: 'speed' is not a criterion of the model"
sed 's/"steps": 3/"steps": 0/' model/plant.json >model/bad-steps.json
expect_exit "a generator's error is bad input" 2 \
  "$PARLEY" validate model/bad-steps.json --plugins plugins
contains "... naming the model, the generator and the plugin file" "$err" \
  "model/bad-steps.json: scenarios (12:16): generator 'example-sweep': plugin \
plugins/example-sweep.lua: example-sweep: 'steps' must be a whole number >= 1"
sed 's/math.min(size, demand)/math.min(size, demand) + nil/' model/plant-outcomes.lua >model/o2.lua
sed 's/plant-outcomes.lua/o2.lua/' model/plant.json >model/bad-outcomes.json
expect_exit "a Lua outcome file's error is bad input" 2 \
  "$PARLEY" run model/bad-outcomes.json --plugins plugins
contains "... with its file and line" "$err" \
  "plugin model/o2.lua:9: attempt to perform arithmetic on a nil value"
expect_exit "a bad parameter of the example format is bad input" 2 \
  "$PARLEY" run model/plant.json --plugins plugins --format example-tsv:digits=20
contains "... says so" "$err" "example-tsv: digits must be a whole number from 0 to 12"
cd - >/dev/null

# Every parley_ / PARLEY_ name the guide uses is in the public header.
missing=""
for name in $(grep -oE '\b(parley_[a-z0-9_]+|PARLEY_[A-Z0-9_]+)\b' "$DOC" | sort -u); do
  [ "$name" = PARLEY_PLUGIN_PATH ] && continue # the environment variable
  grep -qE "\\b$name\\b" "$SRC/include/parley.h" || missing="$missing $name"
done
if [ -z "$missing" ]; then ok "every parley_ name in the guide is in include/parley.h"
else fail "names in the guide that include/parley.h does not declare:$missing"; fi

# ---- exit statuses and messages -----------------------------------------------------
P=$TMP/p
mkdir -p "$P/bad" "$P/syntax" "$P/run" "$P/env" "$P/explicit"
MODEL=$P/simple.json
cat >"$MODEL" <<'EOF'
{"parley": 1, "name": "simple",
 "criteria": [{"id": "cost", "direction": "min"}, {"id": "capacity", "direction": "max"}],
 "strategies": [{"id": "small"}, {"id": "large"}],
 "outcomes": {"small": {"cost": 10, "capacity": 1}, "large": {"cost": 30, "capacity": 3}}}
EOF

# plugin FILE BODY: a weighting plugin "probe" in FILE that runs BODY at line 3.
plugin() {
  printf '%s\n' 'return {api = 1, kind = "weighting", name = "probe",' \
    '  weights = function(model, params)' "    $2" \
    '    return {cost = 1, capacity = 1}' '  end}' >"$1"
}

echo 'return {api = 2, kind = "weighting", name = "x", weights = function() end}' >"$P/bad/api.lua"
expect_exit "a bad plugin file is bad input" 2 "$PARLEY" run "$MODEL" --plugins "$P/bad"
contains "... named on stderr" "$err" \
  "plugin $P/bad/api.lua: api = 2 is not supported; this engine speaks plugin API 1"
printf 'return {\n  api = 1,\n  kind = = "weighting",\n}\n' >"$P/syntax/s.lua"
expect_exit "a syntax error is bad input" 2 "$PARLEY" plugins --plugins "$P/syntax"
contains "... with its line" "$err" "plugin $P/syntax/s.lua:3: unexpected symbol near '='"

plugin "$P/run/probe.lua" "error('deliberate')"
expect_exit "a Lua error during a run fails the run" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe
contains "... with file and line" "$err" "plugin $P/run/probe.lua:3: deliberate"
plugin "$P/run/probe.lua" "io.open('x')"
expect_exit "a sandbox escape fails the run" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe
contains "... and says why" "$err" \
  "plugin $P/run/probe.lua:3: attempt to index a nil value (global 'io')"

plugin "$P/run/probe.lua" "while true do end"
expect_exit "an endless loop reaches the instruction limit" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe --plugin-instructions 100000
contains "... with file and line" "$err" \
  "plugin $P/run/probe.lua:3: instruction limit of 100000 exceeded"
plugin "$P/run/probe.lua" "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end"
expect_exit "a growing table reaches the memory limit" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe --plugin-memory 8
contains "... with file and line" "$err" "plugin $P/run/probe.lua:3: memory limit of 8 MiB exceeded"
plugin "$P/run/probe.lua" "local s = string.rep('x', 1 << 26)"
expect_exit "string.rep reaches the memory limit" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe --plugin-memory 8
contains "... with file and line" "$err" "plugin $P/run/probe.lua:3: memory limit of 8 MiB exceeded"
plugin "$P/run/probe.lua" "while true do os.clock() end"
expect_exit "a loop on the clock reaches the time limit" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe --plugin-seconds 0.2 \
  --plugin-instructions 1000000000000000
contains "... with file and line" "$err" "plugin $P/run/probe.lua:3: time limit of 0.2 s exceeded"
plugin "$P/run/probe.lua" "local function f() return 1 + f() end f()"
expect_exit "a deep recursion fails the run" 1 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe
contains "... with a stack overflow" "$err" "plugin $P/run/probe.lua:3: stack overflow"
plugin "$P/run/probe.lua" "local x = 1"
expect_exit "within the limits the plugin runs" 0 \
  "$PARLEY" run "$MODEL" --plugins "$P/run" --weighting probe --plugin-instructions 100000 \
  --plugin-memory 8 --plugin-seconds 5

for bad in 0 -5 x 1.5 ''; do
  expect_exit "--plugin-instructions '$bad' is refused" 2 \
    "$PARLEY" run "$MODEL" --plugins "$P/run" --plugin-instructions "$bad"
  contains "... with a message" "$err" "--plugin-instructions: '$bad' is not a whole number from 1 up"
done
for bad in 0 x -1 ''; do
  expect_exit "--plugin-memory '$bad' is refused" 2 \
    "$PARLEY" run "$MODEL" --plugins "$P/run" --plugin-memory "$bad"
  contains "... with a message" "$err" "--plugin-memory: '$bad' is not a number of MiB from 1 up"
done
for bad in 0 -1 x nan inf ''; do
  expect_exit "--plugin-seconds '$bad' is refused" 2 \
    "$PARLEY" run "$MODEL" --plugins "$P/run" --plugin-seconds "$bad"
  contains "... with a message" "$err" "--plugin-seconds: '$bad' is not a number of seconds above 0"
done

# ---- discovery: $PARLEY_PLUGIN_PATH below --plugins ------------------------------------
printf '%s\n' "return {api = 1, kind = 'weighting', name = 'who', summary = 'from the path'," \
  "  weights = function() return {cost = 1, capacity = 3} end}" >"$P/env/who.lua"
printf '%s\n' "return {api = 1, kind = 'weighting', name = 'who', summary = 'from --plugins'," \
  "  weights = function() return {cost = 3, capacity = 1} end}" >"$P/explicit/who.lua"
call env PARLEY_PLUGIN_PATH="$TMP/none:$P/env" "$PARLEY" plugins --kind weighting
contains "a plugin on PARLEY_PLUGIN_PATH is listed with its file" "$out" "$P/env/who.lua"
expect_exit "a missing directory on the path is skipped" 0 \
  env PARLEY_PLUGIN_PATH="$TMP/none:$P/env" "$PARLEY" run "$MODEL" --weighting who --format json
contains "... and the plugin on the path is used" "$out" '"capacity": 0.75'
call env PARLEY_PLUGIN_PATH="$P/env" "$PARLEY" plugins --kind weighting --plugins "$P/explicit"
contains "--plugins replaces the path's plugin of the same name" "$out" "$P/explicit/who.lua"
expect_exit "... in a run too" 0 env PARLEY_PLUGIN_PATH="$P/env" "$PARLEY" run "$MODEL" \
  --plugins "$P/explicit" --weighting who --format json
contains "... whose weights are the explicit plugin's" "$out" '"cost": 0.75'
expect_exit "a bad plugin on the path is bad input" 2 \
  env PARLEY_PLUGIN_PATH="$P/bad" "$PARLEY" plugins
contains "... and says where it came from" "$err" "(from \$PARLEY_PLUGIN_PATH)"
expect_exit "a missing --plugins directory is bad input" 2 \
  "$PARLEY" plugins --plugins "$TMP/none"

finish
