#!/usr/bin/env bash
# test_embedding_doc.sh — keeps docs/embedding.md honest.  The complete
# program in the guide (the ```c block under "## A complete program") must be
# the very text of tests/embed/example.c, which the build compiles against
# the shared library and runs on the worked example; and every parley_
# function or PARLEY_ macro the guide names must be declared in
# include/parley.h (or be a build option of CMakeLists.txt), so a renamed
# call cannot linger in the prose.  Prints
# "N passed, N failed" and exits non-zero when anything failed.
set -u

SRC=${PARLEY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DOC=$SRC/docs/embedding.md
EXAMPLE=$SRC/tests/embed/example.c
HEADER=$SRC/include/parley.h
. "$(dirname "$0")/lib.sh"

if [ ! -f "$DOC" ]; then
  fail "docs/embedding.md exists"
  echo "$passed passed, $failed failed"
  exit 1
fi

# The first ```c block after the heading "## A complete program".
awk '
  /^## A complete program/ { section = 1; next }
  section && /^## / { exit }
  section && !inblock && /^```c[[:space:]]*$/ { inblock = 1; next }
  inblock && /^```[[:space:]]*$/ { exit }
  inblock { print }
' "$DOC" >"$TMP/example.c"

if [ ! -s "$TMP/example.c" ]; then
  fail "the guide has a \`\`\`c block under \"## A complete program\""
elif d=$(diff -u "$EXAMPLE" "$TMP/example.c"); then
  ok "the guide's complete program is tests/embed/example.c"
else
  fail "the guide's complete program differs from tests/embed/example.c" "$d"
fi

# Every parley_xxx / PARLEY_XXX the guide names is in the public header.
missing=""
for name in $(grep -oE '\b(parley_[a-z0-9_]+|PARLEY_[A-Z0-9_]+)\b' "$DOC" | sort -u); do
  case $name in
    parley_|PARLEY_) continue ;;
  esac
  if ! grep -qE "\\b$name\\b" "$HEADER" "$SRC/CMakeLists.txt"; then missing="$missing $name"; fi
done
if [ -z "$missing" ]; then
  ok "every parley_ name in the guide is in include/parley.h or CMakeLists.txt"
else
  fail "names in the guide that include/parley.h does not declare:$missing"
fi

finish
