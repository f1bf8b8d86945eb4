#!/usr/bin/env bash
# test_cli.sh — the parley program end to end: commands, options, exit
# statuses (0 success, 1 a run failed, 2 bad usage or bad input), messages on
# stderr, and --output written whole or not at all.  Drives the real binary
# ($PARLEY) on the small models of tests/data/cli.  Prints "N passed, N
# failed" and exits non-zero when anything failed.
set -u

: "${PARLEY:?set PARLEY to the parley program}"
DATA=${PARLEY_TEST_DATA:-$(cd "$(dirname "$0")/../data" && pwd)}/cli
. "$(dirname "$0")/lib.sh"

# No temporary file of --output (FILE.XXXXXX) is left in a directory.
no_temp_left() {
  local name=$1 dir=$2 base=$3
  local left
  left=$(find "$dir" -maxdepth 1 -name "$base.??????" | head -n 5)
  if [ -z "$left" ]; then ok "$name"; else fail "$name: left behind" "$left"; fi
}

PAYOFF=$DATA/payoff.json
TIES=$DATA/ties.json

# ---- version and help -------------------------------------------------------
expect_exit "--version exits 0" 0 "$PARLEY" --version
has "--version prints the version" "$out" '^parley 0\.1\.0$'

expect_exit "no arguments is a usage error" 2 "$PARLEY"
has "no arguments shows the commands on stderr" "$err" 'parley run MODEL'

expect_exit "help exits 0" 0 "$PARLEY" help
has "help lists run" "$out" 'parley run MODEL'
has "help lists validate" "$out" 'parley validate MODEL'
has "help lists plugins" "$out" 'parley plugins'
expect_exit "-h exits 0" 0 "$PARLEY" -h
expect_exit "--help exits 0" 0 "$PARLEY" --help

expect_exit "help run exits 0" 0 "$PARLEY" help run
has "help run documents --rule" "$out" '--rule R'
has "help run documents --output" "$out" '--output FILE'
# The stage lists come from the registry: every built-in kind appears.
has "help run lists the weightings" "$out" '^  weighting +.*given'
has "help run lists the normalizations" "$out" '^  normalization +.*minmax'
has "help run lists the aggregations" "$out" '^  aggregation +.*topsis'
has "help run lists the rules" "$out" '^  rule +.*hurwicz.*maximin|^  rule +.*maximin.*hurwicz'
has "help run lists the analyses" "$out" '^  analysis +.*evpi'
has "help run lists the formats" "$out" '^  format +json, text'
expect_exit "run --help exits 0" 0 "$PARLEY" run --help
has "run --help is the help of run" "$out" '--analysis X'
expect_exit "help validate exits 0" 0 "$PARLEY" help validate
expect_exit "help plugins exits 0" 0 "$PARLEY" help plugins
expect_exit "help of an unknown command is a usage error" 2 "$PARLEY" help frobnicate

# ---- unknown commands and options -------------------------------------------
expect_exit "unknown command" 2 "$PARLEY" frobnicate
has "unknown command is named" "$err" "^parley: unknown command 'frobnicate'"
has "unknown command gives a hint" "$err" "^try 'parley help'$"
expect_exit "unknown top-level option" 2 "$PARLEY" --frobnicate
expect_exit "unknown option of run" 2 "$PARLEY" run "$PAYOFF" --frobnicate
has "unknown option is named" "$err" "^parley: unknown option '--frobnicate' for 'run'"
has "unknown option gives the hint" "$err" "^try 'parley help run'$"
expect_exit "unknown option with a value" 2 "$PARLEY" run "$PAYOFF" --frobnicate=1
expect_exit "option without its value" 2 "$PARLEY" run "$PAYOFF" --rule
has "missing value is named" "$err" "'--rule' needs a value"
expect_exit "run without a model" 2 "$PARLEY" run
expect_exit "run with two models" 2 "$PARLEY" run "$PAYOFF" "$TIES"
expect_exit "batch without jobs is a usage error" 2 "$PARLEY" batch
has "batch says what it needs" "$err" "^parley: batch needs model files, folders, --manifest or --sweep"
expect_exit "a missing Lua script is bad input" 2 "$PARLEY" "$TMP/script.lua"
expect_exit "--plugins with a missing directory" 2 "$PARLEY" run "$PAYOFF" --plugins "$TMP/no-such-dir"
has "--plugins names the missing directory" "$err" "no-such-dir"

# ---- bad input ----------------------------------------------------------------
expect_exit "missing model file" 2 "$PARLEY" run "$TMP/no-such-model.json"
has "missing model file is named" "$err" '^parley: .*no-such-model\.json'
expect_exit "malformed model file" 2 "$PARLEY" run "$DATA/syntax.json"
has "malformed model file is named" "$err" '^parley: .*syntax\.json'
expect_exit "incomplete model" 2 "$PARLEY" run "$DATA/incomplete.json"
expect_exit "unknown rule" 2 "$PARLEY" run "$PAYOFF" --rule frobnicate
has "unknown rule is named" "$err" '^parley: .*frobnicate'
expect_exit "unknown weighting" 2 "$PARLEY" run "$PAYOFF" --weighting frobnicate
expect_exit "unknown normalization" 2 "$PARLEY" run "$PAYOFF" --normalization frobnicate
expect_exit "unknown aggregation" 2 "$PARLEY" run "$PAYOFF" --aggregation frobnicate
expect_exit "unknown analysis" 2 "$PARLEY" run "$PAYOFF" --analysis frobnicate
# Hurwicz's alpha is a weight between the worst and the best case: [0, 1].
expect_exit "parameter out of range" 2 "$PARLEY" run "$PAYOFF" --rule hurwicz:alpha=2
has "parameter out of range is named" "$err" '^parley: .*alpha'
expect_exit "unknown parameter" 2 "$PARLEY" run "$PAYOFF" --rule hurwicz:beta=0.5
has "unknown parameter is named" "$err" '^parley: .*beta'
expect_exit "parameter without a value" 2 "$PARLEY" run "$PAYOFF" --rule hurwicz:alpha
expect_exit "empty stage" 2 "$PARLEY" run "$PAYOFF" --rule=
expect_exit "expected rule without probabilities" 2 "$PARLEY" run "$DATA/noprob.json" --rule expected
has "expected rule without probabilities says why" "$err" '^parley: .*probabilities'
expect_exit "evpi without probabilities" 2 "$PARLEY" run "$DATA/noprob.json" --analysis evpi
expect_exit "unknown format" 2 "$PARLEY" run "$PAYOFF" --format frobnicate
has "unknown format is named" "$err" "^parley: unknown format 'frobnicate'"

# --seed is an unsigned 64-bit decimal, --threads a non-negative int.
expect_exit "negative seed" 2 "$PARLEY" run "$PAYOFF" --seed -1
has "bad seed gives the hint" "$err" "^try 'parley help run'$"
expect_exit "seed with letters" 2 "$PARLEY" run "$PAYOFF" --seed 12abc
expect_exit "seed past 2^64-1" 2 "$PARLEY" run "$PAYOFF" --seed 18446744073709551616
expect_exit "empty seed" 2 "$PARLEY" run "$PAYOFF" --seed=
expect_exit "largest seed" 0 "$PARLEY" run "$PAYOFF" --seed 18446744073709551615
expect_exit "negative threads" 2 "$PARLEY" run "$PAYOFF" --threads -1
expect_exit "fractional threads" 2 "$PARLEY" run "$PAYOFF" --threads 1.5
expect_exit "threads past INT_MAX" 2 "$PARLEY" run "$PAYOFF" --threads 2147483648
expect_exit "two threads" 0 "$PARLEY" run "$PAYOFF" --threads 2

# ---- runs -----------------------------------------------------------------------
expect_exit "run a model" 0 "$PARLEY" run "$PAYOFF"
lacks "a good run writes nothing on stderr" "$err" '.'
call "$PARLEY" run "$PAYOFF" --rule maximin --format json
spaced=$out
call "$PARLEY" run "$PAYOFF" --rule=maximin --format=json
if [ "$rc" = 0 ] && [ "$out" = "$spaced" ]; then ok "--opt=value is --opt value"
else fail "--opt=value is --opt value" "$err"; fi
call "$PARLEY" run "$PAYOFF" --rule expected --rule maximin --format json
if [ "$out" = "$spaced" ]; then ok "the last of a repeated option counts"
else fail "the last of a repeated option counts"; fi
call "$PARLEY" run - --format json <"$PAYOFF"
if [ "$rc" = 0 ] && printf '%s' "$out" | grep -q '"strategy": "risky"'; then
  ok "MODEL - reads standard input"
else fail "MODEL - reads standard input" "$err"; fi
call "$PARLEY" run --format json -- "$PAYOFF"
if [ "$rc" = 0 ]; then ok "-- ends the options"; else fail "-- ends the options" "$err"; fi

# A result that cannot be written is a failed run (1), not a silent success.
if [ -w /dev/full ]; then
  "$PARLEY" run "$PAYOFF" >/dev/full 2>"$TMP/stderr"
  rc=$?
  if [ "$rc" = 1 ] && grep -q '^parley: cannot write' "$TMP/stderr"; then
    ok "a full standard output is a failed run"
  else fail "a full standard output is a failed run: exit $rc" "$(cat "$TMP/stderr")"; fi
else
  echo "skip - /dev/full is not available"
fi

# ---- --output ---------------------------------------------------------------------
mkdir -p "$TMP/out"
call "$PARLEY" run "$PAYOFF" --format json
expected=$out
call "$PARLEY" run "$PAYOFF" --format json --output "$TMP/out/result.json"
if [ "$rc" = 0 ] && [ -z "$out" ]; then ok "--output writes nothing on stdout"
else fail "--output writes nothing on stdout: exit $rc" "$err$out"; fi
if [ -f "$TMP/out/result.json" ] && [ "$(cat "$TMP/out/result.json")" = "$expected" ]; then
  ok "--output holds the whole result"
else fail "--output holds the whole result"; fi
if [ "$(tail -c 1 "$TMP/out/result.json" | od -An -c | tr -d ' ')" = '\n' ]; then
  ok "the result file ends with a newline"
else fail "the result file ends with a newline"; fi
no_temp_left "--output leaves no temporary file" "$TMP/out" result.json
# The file gets the mode a plain write would give it, not mkstemp's 0600.
mode=$( (umask 022 && "$PARLEY" run "$PAYOFF" --output "$TMP/out/mode.txt" &&
  stat -c %a "$TMP/out/mode.txt") 2>&1)
if [ "$mode" = 644 ]; then ok "--output honours the umask"; else fail "--output honours the umask: $mode"; fi

call "$PARLEY" run "$PAYOFF" --format json --output -
if [ "$rc" = 0 ] && [ "$out" = "$expected" ]; then ok "--output - is standard output"
else fail "--output - is standard output" "$err"; fi

# A failing run leaves an existing output file as it was.
printf 'old content\n' >"$TMP/out/keep.json"
expect_exit "failing run with --output" 2 "$PARLEY" run "$PAYOFF" --rule frobnicate \
  --output "$TMP/out/keep.json"
if [ "$(cat "$TMP/out/keep.json")" = "old content" ]; then ok "a failing run leaves the old file"
else fail "a failing run leaves the old file"; fi
no_temp_left "a failing run leaves no temporary file" "$TMP/out" keep.json

# A directory that does not exist: an error, and nothing is created.
call "$PARLEY" run "$PAYOFF" --output "$TMP/no/such/dir/result.json"
if [ "$rc" = 1 ] || [ "$rc" = 2 ]; then ok "--output into a missing directory fails"
else fail "--output into a missing directory fails: exit $rc"; fi
has "--output into a missing directory names the file" "$err" '^parley: cannot write .*result\.json'
if [ ! -e "$TMP/no" ]; then ok "--output into a missing directory creates nothing"
else fail "--output into a missing directory creates nothing"; fi

# --output naming a directory: the rename fails and the temporary file goes.
mkdir -p "$TMP/out/isdir"
call "$PARLEY" run "$PAYOFF" --output "$TMP/out/isdir"
if [ "$rc" != 0 ] && [ -d "$TMP/out/isdir" ]; then ok "--output onto a directory fails"
else fail "--output onto a directory fails: exit $rc"; fi
no_temp_left "--output onto a directory leaves no temporary file" "$TMP/out" isdir

# A full disk, simulated with a file size limit of zero blocks: writes fail
# with EFBIG (SIGXFSZ ignored, as the shell passes it on).  Exit 1, the old
# file untouched, the temporary file removed.
# The messages go through a pipe: a file would be under the same limit.
printf 'old content\n' >"$TMP/out/full.json"
err=$( (
  trap '' XFSZ
  ulimit -f 0
  exec "$PARLEY" run "$PAYOFF" --format json --output "$TMP/out/full.json"
) 2>&1)
rc=$?
if [ "$rc" = 1 ]; then ok "a full disk is a failed run"
else fail "a full disk is a failed run: exit $rc" "$err"; fi
has "a full disk is reported" "$err" "^parley: cannot write '.*full\.json': File too large$"
if [ "$(cat "$TMP/out/full.json")" = "old content" ]; then ok "a full disk leaves the old file"
else fail "a full disk leaves the old file"; fi
no_temp_left "a full disk leaves no temporary file" "$TMP/out" full.json

# ---- validate -----------------------------------------------------------------------
expect_exit "validate good models" 0 "$PARLEY" validate "$PAYOFF" "$TIES" "$DATA/actors.json"
has "validate counts a model" "$out" \
  "^ok: .*payoff\.json \(1 criterion, 3 strategies, 2 scenarios, 0 actors\)$"
has "validate counts actors" "$out" \
  "^ok: .*actors\.json \(2 criteria, 3 strategies, 1 scenario, 2 actors\)$"
expect_exit "validate a bad model among good ones" 2 "$PARLEY" validate "$PAYOFF" \
  "$DATA/incomplete.json" "$TIES"
has "validate still reports the good ones" "$out" '^ok: .*ties\.json'
has "validate names the bad one" "$err" '^parley: .*incomplete\.json'
lacks "validate does not call the bad one ok" "$out" 'incomplete'
expect_exit "validate a malformed model" 2 "$PARLEY" validate "$DATA/syntax.json"
expect_exit "validate a missing model" 2 "$PARLEY" validate "$TMP/no-such-model.json"
expect_exit "validate without a model" 2 "$PARLEY" validate
expect_exit "validate with an unknown option" 2 "$PARLEY" validate --frobnicate "$PAYOFF"

# ---- plugins -------------------------------------------------------------------------
expect_exit "plugins exits 0" 0 "$PARLEY" plugins
has "plugins has a header" "$out" '^name +kind +summary +params +source$'
has "plugins lists a weighting" "$out" '^entropy +weighting +'
has "plugins lists an analysis" "$out" '^evpi +analysis +'
expect_exit "plugins --kind rule exits 0" 0 "$PARLEY" plugins --kind rule
# The six decision rules of DESIGN.md section 2.
for rule in expected maximin maximax hurwicz laplace minimax-regret; do
  has "plugins --kind rule lists $rule" "$out" "^$rule +rule +.*built-in$"
done
rows=$(printf '%s\n' "$out" | grep -c ' rule ')
if [ "$rows" = 6 ]; then ok "plugins --kind rule lists only the six rules"
else fail "plugins --kind rule lists only the six rules: $rows rows" "$out"; fi
has "plugins shows hurwicz's parameter" "$out" '^hurwicz +rule +.*alpha'
expect_exit "plugins --kind=weighting" 0 "$PARLEY" plugins --kind=weighting
lacks "plugins --kind weighting shows no rule" "$out" ' rule '
expect_exit "plugins with an unknown kind" 2 "$PARLEY" plugins --kind frobnicate
expect_exit "plugins with an argument" 2 "$PARLEY" plugins rule

finish
