"""topsis_numpy.py - the numpy side of the performance baseline.

Loads the benchmark's CSV with numpy (once, timed only as a side figure),
then times a vectorised textbook TOPSIS (Hwang & Yoon 1981: vector
normalisation, weighting, ideal and anti-ideal, Euclidean distances,
relative closeness) and the argsort that ranks the closeness, best and
median of REPS repetitions.  numpy gets the matrix both as loadtxt returns
it (row-major) and as a column-major copy, and the faster of the two is the
figure compared with Parley, so that the comparison does not rest on a
layout that handicaps numpy.

Then checks Parley's closeness for the strategies listed in CHECKFILE
(written by bench_core: "index id closeness" lines, then "best i" and
"worst i") against numpy's within 1e-9, and prints check=OK or
check=MISMATCH.  Results go to stdout as key=value lines.

usage: python3 topsis_numpy.py MODEL CSV CHECKFILE REPS
"""
import json
import statistics
import sys
import time

import numpy as np


def topsis(X, w, benefit):
    """Closeness of each row of X (rows: strategies, columns: criteria)."""
    V = X * (w / np.linalg.norm(X, axis=0))
    vmax, vmin = V.max(axis=0), V.min(axis=0)
    ideal = np.where(benefit, vmax, vmin)
    anti = np.where(benefit, vmin, vmax)
    dplus = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    dminus = np.sqrt(((V - anti) ** 2).sum(axis=1))
    return dminus / (dplus + dminus)


def timed(fn, reps):
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def emit(key, best, median):
    print(f"{key}_best={best:.9f}\n{key}_median={median:.9f}", flush=True)


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: topsis_numpy.py MODEL CSV CHECKFILE REPS")
    model_path, csv_path, check_path, reps = sys.argv[1:5]
    reps = int(reps)
    with open(model_path) as f:
        model = json.load(f)
    crit = model["criteria"]
    w = np.array([c["weight"] for c in crit], dtype=np.float64)
    w = w / w.sum()
    benefit = np.array([c["direction"] == "max" for c in crit])

    t0 = time.perf_counter()
    X = np.loadtxt(csv_path, delimiter=",", skiprows=1, usecols=range(1, len(crit) + 1),
                   dtype=np.float64)
    print(f"numpy_loadtxt={time.perf_counter() - t0:.9f}", flush=True)
    if X.ndim == 1:
        X = X.reshape(1, -1)
    print(f"numpy_version={np.__version__}")

    results = {}
    for layout, M in (("c", np.ascontiguousarray(X)), ("f", np.asfortranarray(X))):
        best, median, closeness = timed(lambda: topsis(M, w, benefit), reps)
        emit(f"numpy_arith_{layout}", best, median)
        best_r, median_r, _ = timed(lambda: np.argsort(-topsis(M, w, benefit)), reps)
        emit(f"numpy_topsis_{layout}", best_r, median_r)
        results[layout] = closeness
    best, median, _ = timed(lambda: np.argsort(-results["c"]), reps)
    emit("numpy_argsort", best, median)

    # The check against Parley.
    closeness = results["c"]
    ok = True
    wanted, best_i, worst_i = {}, None, None
    with open(check_path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "best":
                best_i = int(parts[1])
            elif parts[0] == "worst":
                worst_i = int(parts[1])
            else:
                wanted[int(parts[0])] = (parts[1], float(parts[2]))
    # Row i of the CSV must be the strategy Parley calls i.
    with open(csv_path) as f:
        next(f)
        for i, line in enumerate(f):
            if i in wanted and line.split(",", 1)[0] != wanted[i][0]:
                print(f"row {i}: CSV id {line.split(',', 1)[0]}, Parley id {wanted[i][0]}",
                      file=sys.stderr)
                ok = False
    worst_diff = 0.0
    for i, (sid, c_parley) in sorted(wanted.items()):
        diff = abs(c_parley - closeness[i])
        worst_diff = max(worst_diff, diff)
        good = diff <= 1e-9
        ok = ok and good
        print(f"  {sid}: parley {c_parley:.15f}  numpy {closeness[i]:.15f}  "
              f"|diff| {diff:.1e}  {'ok' if good else 'MISMATCH'}", file=sys.stderr)
    order = np.argsort(-closeness, kind="stable")
    for name, parley_i, numpy_i in (("best", best_i, order[0]), ("worst", worst_i, order[-1])):
        good = parley_i == numpy_i
        ok = ok and good
        print(f"  {name} strategy: parley row {parley_i}, numpy row {numpy_i}  "
              f"{'ok' if good else 'MISMATCH'}", file=sys.stderr)
    print(f"check_max_diff={worst_diff:.3e}")
    print(f"check={'OK' if ok else 'MISMATCH'}")


if __name__ == "__main__":
    main()
