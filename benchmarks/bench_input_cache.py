"""Benchmark of the briefing's shared input cache (issue 10, item 7).

The runner loads each input once, stores the frame (:func:`salto_analysis.io.cache.store`,
Arrow IPC with a read-back check) and the notebooks' loaders read it back
(:func:`salto_analysis.io.cache.lookup`) instead of parsing and validating the file
again. This script measures, per input file, in fresh processes (imports excluded,
as ``bench_io.py`` does):

* ``direct``: ``io.load(path, kind)`` as a notebook run on its own does;
* ``store``: ``cache.store(frame, folder)`` of the loaded frame (the runner, once);
* ``cached``: ``io.load(path, kind)`` with ``SALTO_INPUT_CACHE`` set (each notebook):
  read the file's bytes, SHA-256, read the entry.

Direct and cached loads alternate; figures are medians of wall (``time.perf_counter``)
and CPU (``time.process_time``, all threads) seconds and the child's peak resident
memory (``os.wait4``). With ``n`` notebooks reading a file, the runner's cost is
direct + store and the notebooks' n x cached, against n x direct without the cache.

    .venv/bin/python benchmarks/bench_input_cache.py [--repeats 5] [--national]

``--national`` adds the national-scale register and survey (generated into
``benchmarks/_data/national`` when absent, which takes minutes); without it only
the sample files are measured, so ``make bench`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from _common import NATIONAL, ROOT, ensure_national, national_command, run_python

CHILD = """
import json, os, sys, time
mode, path, kind, folder = sys.argv[1:5]
if mode == "cached":
    os.environ["SALTO_INPUT_CACHE"] = folder
import warnings
warnings.simplefilter("ignore")
from salto_analysis import io
from salto_analysis.io import cache
if mode == "store":
    frame = io.load(path, kind)
t, c = time.perf_counter(), time.process_time()
if mode == "store":
    assert cache.store(frame, folder) is not None, "not stored"
else:
    frame = io.load(path, kind)
wall, cpu = time.perf_counter() - t, time.process_time() - c
assert (cache.stats["hits"] == 1) == (mode == "cached"), cache.stats
print(json.dumps({"wall": wall, "cpu": cpu, "rows": len(frame)}))
"""


def measure(path: Path, kind: str, repeats: int, folder: Path) -> dict:
    """Medians of the three operations on one file (the entry is stored first, once untimed)."""
    run_python(CHILD, "store", str(path), kind, str(folder), label="store")
    runs = {"direct": [], "store": [], "cached": []}
    for _ in range(repeats):
        for mode in ("direct", "cached", "store"):
            result, peak = run_python(CHILD, mode, str(path), kind, str(folder), label=mode)
            runs[mode].append((result["wall"], result["cpu"], peak, result["rows"]))
    out = {}
    for mode, values in runs.items():
        out[mode] = {"wall": statistics.median(v[0] for v in values), "cpu": statistics.median(v[1] for v in values),
                     "peak_mb": max(v[2] for v in values), "rows": values[0][3]}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each operation (default 5)")
    parser.add_argument("--national", action="store_true",
                        help="also the national-scale register and survey (generated when absent)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sample = ROOT / "data" / "sample"
    files = [(f"sample {kind}", sample / name, kind) for kind, name in
             (("register", "register.csv.gz"), ("population", "population.csv"), ("survey", "survey.csv.gz"))]
    if args.national:
        ensure_national("register.csv.gz", "survey.csv.gz")
        print(f"national data: {national_command()}")
        files += [("national register", NATIONAL / "register.csv.gz", "register"),
                  ("national survey", NATIONAL / "survey.csv.gz", "survey")]
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-input-cache-") as folder:
        for label, path, kind in files:
            figures[label] = measure(path, kind, args.repeats, Path(folder))
            f = figures[label]
            print(f"{label} ({f['direct']['rows']:,} rows): direct {f['direct']['wall']:.3f} s "
                  f"(CPU {f['direct']['cpu']:.3f}), store {f['store']['wall']:.3f} s, cached {f['cached']['wall']:.3f} s "
                  f"(CPU {f['cached']['cpu']:.3f}); cached/direct {f['cached']['wall'] / f['direct']['wall']:.2f}; "
                  f"peak {f['direct']['peak_mb']:.0f} / {f['cached']['peak_mb']:.0f} MB", flush=True)
    print(f"\ninput cache, medians of {args.repeats} runs (fresh process each, imports excluded)")
    print("| file | rows | direct load | store (once) | cached load | cached/direct | peak MB direct / cached |")
    print("|---|---|---|---|---|---|---|")
    for label, f in figures.items():
        print(f"| {label} | {f['direct']['rows']:,} | {f['direct']['wall']:.3f} s | {f['store']['wall']:.3f} s | "
              f"{f['cached']['wall']:.3f} s | {f['cached']['wall'] / f['direct']['wall']:.2f} | "
              f"{f['direct']['peak_mb']:.0f} / {f['cached']['peak_mb']:.0f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
