# lib.sh — the little harness the end-to-end scripts share: a scratch folder
# ($TMP, removed on exit), pass/fail counting, and the closing
# "N passed, N failed" line.  Source it; call `finish` last.
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

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
