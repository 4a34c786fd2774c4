"""Benchmark: every table of notebook 01 (registered youth crime, issue 4).

Target
    On a 2,000,000-row national-scale register, computing every table of the notebook
    (``trends.select`` + ``trends_page.all_tables``: counting, population checks, rates,
    changes, trends, offence shares, districts, victims, grading and cross-table
    protection) takes <= 10 s (median) with peak memory <= 3 GB.

Method
    Each measurement runs in a fresh Python process that loads the register and the
    population once (``salto_analysis.io``, timed separately: loading is issue 2's
    benchmark) and then times the computation ``--inner`` times with
    ``time.perf_counter`` (and ``time.process_time`` for CPU). The parent reads the
    child's peak resident memory from ``os.wait4`` (``ru_maxrss``: interpreter, imports,
    the loaded frames and the computation). Children of the two kinds alternate,
    ``--rounds`` times each; the figures are medians over all timed runs.

Peer (the floor), measured in the same run on the same loaded frames
    A bare pandas version of the same counts: ``drop_duplicates`` + ``groupby().size()``
    for cases and unique persons by year and age group, victims, suspects by district,
    cases by offence type, and the population sums. No intervals, no person-year
    ordering (first registration), no case year, no tests, no grading: the least any
    implementation must do. The ratio ours / floor is the price of the statistics.

Data
    ``benchmarks/_data/national/`` from ``python -m salto_analysis.synth --scale national``
    (generated when missing).

Run:  .venv/bin/python benchmarks/bench_trends.py [--rounds 3] [--inner 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics

from _common import ensure_national, national_command, run_python

TARGET_SECONDS = 10.0
TARGET_PEAK_MB = 3 * 1024

CHILD = r"""
import json, sys, time, warnings
from benchmarks._common import load_inputs, timed
mode, folder, inner = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
from salto_analysis import params, trends
from salto_analysis.trends import page as trends_page
import_s = time.perf_counter() - t0
(register, population), load_s = load_inputs(folder, "register", "population")
year = int(register["year"].max())

def ours():
    sel = trends.select(register, population, year=year, years_back=10)
    page = trends_page.all_tables(sel, params.policy(5, 0.95, "nb"))
    return sum(len(t) for t in page.values())

def floor():
    r = register[register["in_scope"] & register["year"].between(year - 9, year)]
    s = r[r["role"] == "suspect"]
    v = r[r["role"] == "victim"]
    by = ["year", "age_group"]
    out = [
        s.drop_duplicates(["case_id", "age_group"]).groupby(by, observed=True).size(),
        s.drop_duplicates("case_id").groupby("year").size(),
        s.drop_duplicates(["person_id", "year"]).groupby(by, observed=True).size(),
        v.drop_duplicates(["person_id", "year"]).groupby(by, observed=True).size(),
        s[s["year"] == year].drop_duplicates("person_id").groupby("district", observed=True).size(),
        s[s["year"] == year].drop_duplicates("case_id").groupby(["offence_type", "group_offence", "online"],
                                                                observed=True, dropna=False).size(),
        population.groupby(by, observed=True)["population"].sum(),
        population[population["year"] == year].groupby("district", observed=True)["population"].sum(),
    ]
    return sum(len(x) for x in out)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    timing = timed(ours if mode == "ours" else floor, inner)
print(json.dumps({"import_s": import_s, "load_s": load_s, "times": timing.wall, "cpu": timing.cpu,
                  "table_rows": timing.result,
                  "register_rows": len(register), "year": year}))
"""


def run_child(mode: str, folder: str, inner: int) -> dict:
    """One fresh process of ``mode`` ("ours" or "floor"): its figures and its peak RSS in MB (``peak_mb``)."""
    result, peak_mb = run_python(CHILD, mode, folder, str(inner), label=mode)
    return {**result, "peak_mb": peak_mb}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per kind (default 3)")
    parser.add_argument("--inner", type=int, default=3, help="timed runs per process (default 3)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.inner < 1:
        raise SystemExit(f"--rounds={args.rounds} and --inner={args.inner} must be >= 1")
    data = str(ensure_national("register.csv.gz", "population.csv"))
    made_by = national_command()
    load_avg = os.getloadavg()[0]
    runs: dict[str, list[dict]] = {"ours": [], "floor": []}
    for k in range(args.rounds):
        for mode in runs:
            r = run_child(mode, data, args.inner)
            runs[mode].append(r)
            print(f"round {k + 1} {mode:5s}: load {r['load_s']:.2f} s, runs "
                  f"{', '.join(f'{t:.2f}' for t in r['times'])} s, peak {r['peak_mb']:.0f} MB", flush=True)
    summary = {}
    for mode, rs in runs.items():
        times = [t for r in rs for t in r["times"]]
        summary[mode] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                         "cpu_median_s": statistics.median(c for r in rs for c in r["cpu"]),
                         "load_median_s": statistics.median(r["load_s"] for r in rs),
                         "peak_mb_max": max(r["peak_mb"] for r in rs), "n": len(times),
                         "table_rows": rs[0]["table_rows"]}
    ours, floor = summary["ours"], summary["floor"]
    first = runs["ours"][0]
    print()
    print(f"{dt.date.today().isoformat()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {load_avg:.1f} at the start; data: {made_by} "
          f"({first['register_rows']:,} register rows, reporting year {first['year']})")
    print(f"ours  (select + all_tables, {ours['table_rows']} table rows): median {ours['median_s']:.2f} s "
          f"(min {ours['min_s']:.2f}, max {ours['max_s']:.2f}, n={ours['n']}), CPU {ours['cpu_median_s']:.2f} s, "
          f"peak RSS {ours['peak_mb_max']:.0f} MB")
    print(f"floor (bare pandas counts): median {floor['median_s']:.2f} s (min {floor['min_s']:.2f}, "
          f"max {floor['max_s']:.2f}, n={floor['n']}), peak RSS {floor['peak_mb_max']:.0f} MB")
    print(f"ratio ours / floor: {ours['median_s'] / floor['median_s']:.2f}; "
          f"loading (not part of the target): median {ours['load_median_s']:.2f} s")
    ok_t = ours["median_s"] <= TARGET_SECONDS
    ok_m = ours["peak_mb_max"] <= TARGET_PEAK_MB
    print(f"target <= {TARGET_SECONDS:g} s: {'met' if ok_t else 'NOT met'}; "
          f"peak memory <= {TARGET_PEAK_MB / 1024:g} GB: {'met' if ok_m else 'NOT met'}")
    return 0 if ok_t and ok_m else 1


if __name__ == "__main__":
    raise SystemExit(main())
