# lib.sh — the little harness the end-to-end scripts share: a scratch folder
# ($TMP, removed on exit), pass/fail counting, the checks most scripts make
# (exit statuses, lines matching a pattern, text held or not, rankings of
# $PARLEY), and the closing "N passed, N failed" line.  Source it; call
# `finish` last.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() {
  failed=$((failed + 1))
  echo "FAIL - $1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/    /'; fi
}

# call CMD...: runs it, leaving $rc, $out (stdout) and $err (stderr).
call() {
  "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  rc=$?
  out=$(cat "$TMP/stdout")
  err=$(cat "$TMP/stderr")
}

# expect_exit NAME STATUS CMD...: CMD exits with STATUS (and leaves $rc,
# $out and $err as call does).
expect_exit() {
  local name=$1 want=$2
  shift 2
  call "$@"
  if [ "$rc" = "$want" ]; then ok "$name"; else fail "$name: exit $rc, expected $want" "$err"; fi
}

# has NAME TEXT PATTERN: a line of TEXT matches the extended regex.
has() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"
  else fail "$1: no line matches /$3/" "$2"; fi
}
# lacks NAME TEXT PATTERN: no line of TEXT matches the extended regex.
lacks() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then fail "$1: a line matches /$3/" "$2"
  else ok "$1"; fi
}

# contains NAME TEXT STRING: TEXT holds STRING as it is (no pattern).
contains() {
  case "$2" in
    *"$3"*) ok "$1" ;;
    *) fail "$1: missing $3" "$2" ;;
  esac
}

# same NAME GOT WANT: the two texts are equal.
same() {
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got:      $(printf '%s' "$2" | head -c 600)
expected: $(printf '%s' "$3" | head -c 600)"; fi
}

# flat: $out with every blank and newline removed (a JSON document on one
# line, for patterns).
flat() { printf '%s' "$out" | tr -d ' \n'; }

# bad NAME PATTERN ARGS...: `$PARLEY ARGS` is refused as bad input (exit 2)
# with a message matching PATTERN.
bad() {
  local name=$1 pattern=$2
  shift 2
  call "$PARLEY" "$@"
  if [ "$rc" = 2 ]; then ok "$name: exit 2"; else fail "$name: exit $rc, expected 2" "$err"; fi
  has "$name: the message says why" "$err" "$pattern"
}

# ranked NAME MODEL ORDER SCORE ARGS...: `$PARLEY run $DATA/MODEL --format
# json ARGS` runs quietly and ranks the strategies as ORDER (ids separated
# by blanks), the first with SCORE to four places ("-": any score).
ranked() {
  local name=$1 model=$2 order=$3 score=$4
  shift 4
  call "$PARLEY" run "$DATA/$model" --format json "$@"
  if [ "$rc" != 0 ] || [ -n "$err" ]; then
    fail "$name: exit $rc" "$err"
    return
  fi
  local ranking got top
  ranking=$(flat | sed 's/.*"ranking":\[\([^]]*\)\].*/\1/')
  got=$(printf '%s' "$ranking" | grep -o '"strategy":"[^"]*"' | cut -d'"' -f4 | tr '\n' ' ')
  top=$(printf '%s' "$ranking" | sed 's/^{"rank":1,"strategy":"[^"]*","score":\([^}]*\)}.*/\1/')
  # + 0: a score of -0 prints as 0.0000
  top=$(awk -v x="$top" 'BEGIN { printf "%.4f", x + 0 }')
  [ "$score" = "-" ] && top=-
  if [ "$got" = "$order " ] && [ "$top" = "$score" ]; then ok "$name"
  else fail "$name: ranking '$got' first score $top, expected '$order ' and $score"; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
