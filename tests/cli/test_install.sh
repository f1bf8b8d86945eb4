#!/usr/bin/env bash
# Installs the built library into a scratch prefix and builds the embedding
# example against it twice: once with pkg-config (shared library), once as a
# CMake consumer with find_package(Parley).  Both programs must run the
# worked example and exit 0.
set -u
build=$(dirname "$PARLEY")
src=$PARLEY_SOURCE_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
# A sanitizer build's library needs the sanitizer runtime in every consumer;
# the install check belongs to the plain build.
if grep -q '^PARLEY_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "sanitizer build: install check skipped"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1; then ok
else bad "cmake --install"; cat "$tmp/install.log"; fi

libdir=$(dirname "$(find "$tmp/prefix" -name parley.pc | head -n 1)")/..
[ -f "$tmp/prefix/include/parley.h" ] && ok || bad "parley.h not installed"

# pkg-config, shared library
export PKG_CONFIG_PATH="$libdir/pkgconfig"
if cc -std=c11 -o "$tmp/ex-pc" "$src/tests/embed/example.c" $(pkg-config --cflags --libs parley) \
     -Wl,-rpath,"$libdir" 2>"$tmp/cc.log"; then ok; else bad "build with pkg-config"; cat "$tmp/cc.log"; fi
if "$tmp/ex-pc" "$src/scripts/alaska-talks.json" >"$tmp/out-pc" 2>&1 && grep -q "diplomatic-engagement" "$tmp/out-pc"
then ok; else bad "example built with pkg-config did not run"; cat "$tmp/out-pc"; fi

# CMake package
mkdir -p "$tmp/consumer"
cp "$src/tests/embed/example.c" "$tmp/consumer/"
cat >"$tmp/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(Parley 0.1 REQUIRED)
add_executable(example example.c)
target_link_libraries(example PRIVATE Parley::parley)
add_executable(example_static example.c)
target_link_libraries(example_static PRIVATE Parley::parley_static)
CM
if cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
     -DCMAKE_BUILD_RPATH="$libdir" >"$tmp/cm.log" 2>&1 \
   && cmake --build "$tmp/consumer/build" >>"$tmp/cm.log" 2>&1; then ok
else bad "CMake consumer with find_package(Parley)"; cat "$tmp/cm.log"; fi
if "$tmp/consumer/build/example" "$src/scripts/alaska-talks.json" >"$tmp/out-cm" 2>&1 \
   && grep -q "diplomatic-engagement" "$tmp/out-cm"; then ok
else bad "example built with CMake did not run"; cat "$tmp/out-cm"; fi

if "$tmp/consumer/build/example_static" "$src/scripts/alaska-talks.json" >"$tmp/out-st" 2>&1 \
   && grep -q "diplomatic-engagement" "$tmp/out-st"; then ok
else bad "example linked with Parley::parley_static did not run"; cat "$tmp/out-st"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
