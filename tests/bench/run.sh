#!/usr/bin/env bash
# run.sh — the performance baseline (docs/performance.md), run on demand by
# `make bench`, never in CI.  Builds the benchmark programs against the
# build's static library with the same optimisation level (-O2), writes a
# 1,000,000 x 10 outcome CSV and its model file, times loading, a plain pass
# over the cube, TOPSIS, WSM and every other aggregation and data-reading
# weighting in one process (bench_core), PROMETHEE's net
# flows against the same plain pass (bench_promethee), the same TOPSIS
# in numpy, and prints a table of times and of ratios against references
# measured in the same run.  Everything goes to tests/bench/out/ (ignored by
# git): the data, the programs, the raw key=value results and the table.
#
# usage: bash tests/bench/run.sh [BUILD_DIR]
# environment: BENCH_ROWS (1000000), BENCH_NC (10), BENCH_REPS (5),
#              BENCH_SEED (20240601), CC (cc), BENCH_METHODS (see bench_core.c)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
rows=${BENCH_ROWS:-1000000}
nc=${BENCH_NC:-10}
reps=${BENCH_REPS:-5}
seed=${BENCH_SEED:-20240601}
cc=${CC:-cc}
out=$here/out
python=/usr/bin/python3

lib=$build/libparley.a
if [ ! -f "$lib" ]; then
  echo "run.sh: $lib not found; build first (make build, or cmake --build $build)" >&2
  exit 2
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
build_type=${build_type:-unknown}
case $build_type in
  Release|RelWithDebInfo) ;;
  *) echo "run.sh: warning: $build is a '$build_type' build; figures from it say little" \
          "(configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Release)" >&2 ;;
esac
if grep -q '^PARLEY_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "run.sh: $build is a sanitizer build; use a plain one for timings" >&2
  exit 2
fi

mkdir -p "$out/bin" "$out/data"

# ---- the programs: -O2, as the library's own RelWithDebInfo code ----------
libs="$(pkg-config --libs libcjson)"
if pkg-config --exists lua5.4 2>/dev/null; then libs="$libs $(pkg-config --libs lua5.4)"; fi
cflags="-std=c11 -O2 -g -D_POSIX_C_SOURCE=200809L"
cflags="$cflags -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla"
echo "run.sh: compiling the benchmark programs ($cc $cflags)" >&2
# shellcheck disable=SC2086
"$cc" $cflags -o "$out/bin/gen_csv" "$here/gen_csv.c"
# shellcheck disable=SC2086,SC2046
"$cc" $cflags -I"$src/include" -I"$src/core" $(pkg-config --cflags libcjson) \
  -o "$out/bin/bench_core" "$here/bench_core.c" "$lib" $libs -lm -lpthread -ldl
# shellcheck disable=SC2086,SC2046
"$cc" $cflags -I"$src/include" -I"$src/core" $(pkg-config --cflags libcjson) \
  -o "$out/bin/bench_promethee" "$here/bench_promethee.c" "$lib" $libs -lm -lpthread -ldl

# ---- the data (kept between runs while its parameters stay the same) -------
data=$out/data
params="rows=$rows nc=$nc seed=$seed generator=$(cksum < "$here/gen_csv.c")"
if [ ! -f "$data/cube.csv" ] || [ "$(cat "$data/params" 2>/dev/null)" != "$params" ]; then
  echo "run.sh: writing $rows x $nc outcomes to $data/cube.csv" >&2
  rm -f "$data/params"
  "$out/bin/gen_csv" "$data" "$rows" "$nc" "$seed"
  echo "$params" > "$data/params"
fi
cat "$data/cube.csv" > /dev/null # into the page cache: loading is timed from memory

# ---- the runs ------------------------------------------------------------------
raw=$out/results.txt
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "cpus=$(nproc 2>/dev/null || echo '?')"
  echo "build_type=$build_type"
  echo "compiler=$("$cc" --version | head -1)"
  echo "rows=$rows"
  echo "reps=$reps"
} > "$raw"
lscpu 2>/dev/null | head -20 > "$out/lscpu.txt" || true

echo "run.sh: bench_core" >&2
"$out/bin/bench_core" "$data/model.json" "$data/cube.csv" "$reps" "$out/check.txt" >> "$raw"

echo "run.sh: bench_promethee" >&2
"$out/bin/bench_promethee" "$data/model.json" "$reps" "$out/promethee.txt" >> "$raw"

if "$python" -c 'import numpy' 2>/dev/null; then
  echo "run.sh: numpy" >&2
  status=0
  "$python" "$here/topsis_numpy.py" "$data/model.json" "$data/cube.csv" "$out/check.txt" \
    "$reps" >> "$raw" 2> "$out/check_numpy.txt" || status=$?
  cat "$out/check_numpy.txt" >&2
  [ "$status" = 0 ] || { echo "run.sh: topsis_numpy.py failed" >&2; exit 1; }
else
  echo "run.sh: $python has no numpy: skipping the numpy comparison" \
       "(install it with: apt-get install python3-numpy)" >&2
  echo "check=SKIPPED" >> "$raw"
fi

# ---- the table ----------------------------------------------------------------
awk -F= '
  { v[$1] = substr($0, length($1) + 2) }
  function has(k) { return (k in v) && v[k] != "" }
  function t(k, which) { return v[k "_" which] + 0 }
  function row(label, k, note) {
    if (!has(k "_best")) return
    printf "  %-44s %9.2f %9.2f  %s\n", label, 1e3 * t(k, "best"), 1e3 * t(k, "median"), note
  }
  function mbs(bytes, k, which) { return bytes / 1e6 / t(k, which) }
  # A ratio of best times, and of medians in brackets.
  function ratio(a, b) {
    if (!has(a "_best") || !has(b "_best")) return "n/a"
    return sprintf("%6.2f  (%.2f)", t(a, "best") / t(b, "best"), t(a, "median") / t(b, "median"))
  }
  function rline(label, a, b, aim) {
    printf "  %-52s %-16s %s\n", label, ratio(a, b), aim
  }
  function met(ok) { return ok ? "met" : "NOT met" }
  END {
    csv = v["csv_bytes"]; cube = v["cube_bytes"]
    printf "Parley performance baseline: %s strategies x %s criteria, %s scenario\n", v["ns"], v["nc"], v["nk"]
    printf "CPU: %s (%s CPUs)   build: %s   %s\n", v["cpu"], v["cpus"], v["build_type"], v["compiler"]
    printf "times in milliseconds, best and median of %s; %s\n\n", v["reps"], v["date"]
    printf "  %-44s %9s %9s\n", "", "best", "median"
    print "references"
    row(sprintf("read the CSV (%.1f MB), as cat does", csv / 1e6), "read",
        sprintf("%.0f MB/s", mbs(csv, "read", "best")))
    row("memcpy of the CSV bytes", "memcpy", sprintf("%.0f MB/s", mbs(csv, "memcpy", "best")))
    row(sprintf("plain pass summing the cube (%.1f MB)", cube / 1e6), "plain",
        sprintf("%.0f MB/s", mbs(cube, "plain", "best")))
    row("  the same with one accumulator", "plain1", sprintf("%.0f MB/s", mbs(cube, "plain1", "best")))
    print "load"
    row("parley_model_load (JSON + CSV)", "load", sprintf("%.0f MB/s of CSV", mbs(csv, "load", "best")))
    print "TOPSIS (given, vector, topsis, expected)"
    row("parley_run, whole", "run_topsis", "")
    row("stages, no checks, no ranking", "stages_topsis", "")
    row("  weighting", "stage_topsis_weighting", "")
    row("  normalization", "stage_topsis_normalization", "")
    row("  aggregation", "stage_topsis_aggregation", "")
    row("  rule", "stage_topsis_rule", "")
    row("ranking (parley__rank)", "rank_topsis", "")
    row("completeness check (parley_model_check)", "check", "")
    print "WSM (given, minmax, wsm, expected)"
    row("parley_run, whole", "run_wsm", "")
    row("stages, no checks, no ranking", "stages_wsm", "")
    row("  normalization", "stage_wsm_normalization", "")
    row("  aggregation", "stage_wsm_aggregation", "")
    if (has("numpy_arith_c_best")) {
      printf "numpy %s TOPSIS (loadtxt once: %.2f s)\n", v["numpy_version"], v["numpy_loadtxt"]
      row("arithmetic, row-major as loaded", "numpy_arith_c", "")
      row("arithmetic, column-major copy", "numpy_arith_f", "")
      row("arithmetic + argsort, row-major", "numpy_topsis_c", "")
      row("arithmetic + argsort, column-major", "numpy_topsis_f", "")
      row("argsort alone", "numpy_argsort", "")
      # The faster layout is the one compared.
      nf = (t("numpy_topsis_f", "best") < t("numpy_topsis_c", "best")) ? "f" : "c"
      af = (t("numpy_arith_f", "best") < t("numpy_arith_c", "best")) ? "f" : "c"
    }

    print "\nratios: best (median)                                                       aim"
    lmbs = mbs(csv, "load", "best")
    printf "  %-52s %-16s %s\n", "load speed, MB/s of CSV", sprintf("%6.0f  (%.0f)", lmbs, mbs(csv, "load", "median")),
           ">= 200 MB/s: " met(lmbs >= 200)
    rline("load time / read time (cat)", "load", "read", "")
    rline("load time / memcpy time", "load", "memcpy", "")
    r = t("stages_topsis", "best") / t("plain", "best")
    rline("TOPSIS stages / plain pass", "stages_topsis", "plain", "<= 3: " met(r <= 3))
    r2 = t("run_topsis", "best") / t("plain", "best")
    rline("TOPSIS parley_run / plain pass", "run_topsis", "plain", "<= 3: " met(r2 <= 3))
    rline("TOPSIS stages / one-accumulator pass", "stages_topsis", "plain1", "")
    rline("TOPSIS ranking / plain pass", "rank_topsis", "plain", "")
    rline("WSM stages / plain pass", "stages_wsm", "plain", "")
    rline("WSM parley_run / plain pass", "run_wsm", "plain", "")
    if (has("numpy_arith_c_best")) {
      r3 = t("numpy_topsis_" nf, "best") / t("run_topsis", "best")
      rline("numpy TOPSIS+argsort / parley_run (" (nf == "f" ? "column" : "row") "-major)",
            "numpy_topsis_" nf, "run_topsis", ">= 4: " met(r3 >= 4))
      r4 = t("numpy_arith_" af, "best") / t("stages_topsis", "best")
      rline("numpy TOPSIS arithmetic / Parley stages", "numpy_arith_" af, "stages_topsis",
            ">= 4: " met(r4 >= 4))
      rline("numpy argsort / Parley ranking", "numpy_argsort", "rank_topsis", "")
    }
    # Every method, stage by stage, as a ratio of the plain pass (best of
    # the repetitions; the pipelines bench_core lists in "methods").
    if (has("methods")) {
      pl = t("plain", "best")
      print "\nevery method: best times in ms, and stages and parley_run as multiples of the plain pass"
      printf "  %-11s %6s %6s %6s %7s %7s %7s %7s %7s  %s\n", "method", "norm", "aggr", "rule",
             "stages", "ranking", "run", "st/pl", "run/pl", "aim: stages <= 3x"
      n = split(v["methods"], ms, " ")
      met3 = 0; single = 0; nomatch = ""
      for (i = 1; i <= n; i++) {
        k = ms[i]
        if (!has("stages_" k "_best")) continue
        st = t("stages_" k, "best")
        one = v["method_" k "_passes"] == "1"
        note = one ? (st / pl <= 3 ? "met" : "NOT met") : "(sorts: no aim)"
        if (one) { single++; if (st / pl <= 3) met3++ }
        if (v["stages_" k "_match_run"] != "1") nomatch = nomatch " " k
        printf "  %-11s %6.2f %6.2f %6.2f %7.2f %7.2f %7.2f %7.2f %7.2f  %s\n", k,
               1e3 * t("stage_" k "_normalization", "best"), 1e3 * t("stage_" k "_aggregation", "best"),
               1e3 * t("stage_" k "_rule", "best"), 1e3 * st, 1e3 * t("rank_" k, "best"),
               1e3 * t("run_" k, "best"), st / pl, t("run_" k, "best") / pl, note
      }
      printf "  single-pass methods within 3x the plain pass: %d of %d\n", met3, single
      if (v["zero_cells_raised"] != "")
        printf "  (all but topsis and wsm on the cube with its %s zero cells raised to 0.0001)\n",
               v["zero_cells_raised"]
      if (has("weightings")) {
        print "\nweightings that read the cube: best time in ms, and as a multiple of the plain pass"
        n = split(v["weightings"], ws, " ")
        for (i = 1; i <= n; i++)
          if (has("weight_" ws[i] "_best"))
            printf "  %-11s %8.2f %7.2f\n", ws[i], 1e3 * t("weight_" ws[i], "best"),
                   t("weight_" ws[i], "best") / pl
      }
    }
    print ""
    printf "stages compute what parley_run computes: topsis %s, wsm %s\n",
           v["stages_topsis_match_run"] == "1" ? "yes" : "NO", v["stages_wsm_match_run"] == "1" ? "yes" : "NO"
    if (nomatch != "") printf "stages differ from parley_run for:%s\n", nomatch
    if (v["check"] == "SKIPPED")
      print "check against numpy: SKIPPED (no numpy)"
    else
      printf "check against numpy (closeness within 1e-9, same best and worst): %s (largest |diff| %s)\n",
             v["check"], v["check_max_diff"]
  }' "$raw" | tee "$out/report.txt"
{ echo; cat "$out/promethee.txt"; } | tee -a "$out/report.txt"

echo "run.sh: table in $out/report.txt, raw figures in $raw" >&2
grep -q '^check=MISMATCH' "$raw" && exit 1
exit 0
