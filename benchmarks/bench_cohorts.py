"""Benchmark: the tables of the repeat-offender notebook (issue 5, notebook 03).

Target
    On the 2,000,000-row national-scale register, every table of notebook 03 takes
    <= 10 s (the concentration bootstrap included), with peak memory <= 3 GB (loading
    included).

Method
    Every figure comes from fresh Python processes, so no run profits from another's
    caches. The *tables* child loads the register once (load time reported, not part of
    the target), then ``--repeats`` times: builds the panel (:func:`cohorts.prepare`, the
    person-level step every table needs), builds and grades each table of the page (one
    timing per table, grading with secondary suppression included), and runs the whole
    page (:func:`cohorts.assess`: panel, all tables, grading, cross-table protection,
    titles). It reports medians and its own peak resident memory (``ru_maxrss`` read by the
    parent with ``os.wait4``: interpreter, imports, the loaded frame and the computation).
    "Panel + slowest table" is the time of the slowest table counted from the register.

Peers, measured in the same run (the *compare* child, alternately, ``--repeats`` each)
    * The person-level step: ``cohorts.prepare`` (integer codes, one sort, ``numpy``
      reductions over runs) against the same outputs written the idiomatic pandas way
      (``drop_duplicates`` on person and case, ``groupby`` on ``person_id`` and year for the
      counts and attributes, on ``person_id`` for the first and next registration and the
      first victimisation, ``drop_duplicates`` for the offence types). The reporting year's
      band counts and the numbers of persons with a next registration and with a
      victimisation before the first offence are checked equal before any time is reported.
    * The concentration bootstrap: :func:`salto_analysis.concentration.bootstrap_ci`
      (multinomial draws of the count frequencies, one per resample; what
      :func:`cohorts.concentration` uses) against the direct percentile bootstrap that
      resamples persons (an ``n_boot × n`` index matrix and one Gini per row, written out
      below; the implementation ``concentration.bootstrap_ci`` had before) for the Gini
      interval of the reporting year, same ``n_boot`` and seed. Both are percentile
      bootstraps of the same statistic; their limits are checked to agree within 0.005
      before any time is reported.

Data
    ``benchmarks/_data/national/`` from ``python -m salto_analysis.synth --scale national``
    (generated when missing).

Run:  .venv/bin/python benchmarks/bench_cohorts.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys

from _common import ensure_national, run_python

TARGET_SECONDS, TARGET_PEAK_MB = 10.0, 3072.0

TABLES_CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from benchmarks._common import load_inputs
from salto_analysis import cohorts, params, reliability
(register,), load_s = load_inputs(sys.argv[1], "register")
repeats = int(sys.argv[2])
year = params.resolve_year(0, register)
policy = params.policy(5, 0.95, "nb")
th = (4, 10)


def graded(t):
    return reliability.grade(t, policy)


runs = []
for _ in range(repeats):
    r = {}
    t0 = time.perf_counter()
    panel = cohorts.prepare(register)
    r["panel"] = time.perf_counter() - t0
    steps = {
        "offence bands": lambda: graded(cohorts.band_table(panel, year)),
        "threshold series (10 years)": lambda: graded(cohorts.threshold_series(panel, year, th)),
        "concentration (4 tables, 2000 resamples)": lambda: [
            graded(t) for t in cohorts.concentration(panel, year, th, min_count=5).tables().values()],
        "cohort transitions": lambda: graded(cohorts.transition_table(panel, year, th)),
        "debut age": lambda: graded(cohorts.debut_table(panel, year, 4)),
        "victim before first offence": lambda: graded(cohorts.victim_before_table(panel, year, 4)),
        "left censoring": lambda: graded(cohorts.left_censoring_table(panel, year, 4)),
        "Kaplan-Meier curves": lambda: graded(cohorts.reregistration(panel, year, min_count=5)),
        "log-rank and hazard ratio": lambda: graded(cohorts.logrank_table(panel, year)),
        "offence mix": lambda: graded(cohorts.offence_mix_table(panel, year, 4)),
        "breakdowns (3 tables)": lambda: [graded(t) for t in cohorts.breakdown_tables(panel, year, th).values()],
        "crossed breakdown (10+)": lambda: graded(cohorts.crossed_breakdown(panel, year, 10)),
    }
    for name, f in steps.items():
        t0 = time.perf_counter()
        f()
        r[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = cohorts.assess(register, year=year, policy=policy)
    r["whole page (assess)"] = time.perf_counter() - t0
    runs.append(r)
print(json.dumps({"rows": len(register), "year": year, "load_s": load_s, "runs": runs,
                  "suspects": len(panel.persons), "person_years": len(panel.person_year),
                  "suspects_year": int(len(panel.counts(year))), "n_tables": len(page.graded),
                  "table_rows": sum(len(t) for t in page.graded.values())}))
"""

COMPARE_CHILD = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import pandas as pd
from benchmarks._common import alternate, load_inputs
from salto_analysis import cohorts, concentration, params
(register,), _ = load_inputs(sys.argv[1], "register")
repeats = int(sys.argv[2])
year = params.resolve_year(0, register)
EDGES = [1, 2, 4, 10, np.inf]  # bands 1, 2–3, 4–9, 10+


def summary(counts, n_next, n_victim_before):
    return np.histogram(counts, bins=EDGES)[0].tolist() + [int(n_next), int(n_victim_before)]


def ours():
    panel = cohorts.prepare(register)
    p = panel.persons
    return summary(panel.counts(year), p["next_date"].notna().sum(),
                   (p["first_victim_date"] < p["first_date"]).sum())


def pandas_groupby():
    # the same outputs as cohorts.prepare, written the idiomatic pandas way
    cols = ["person_id", "case_id", "role", "registered_date", "year", "age", "birth_year", "sex", "district",
            "offence_type"]
    d = register.loc[register["in_scope"], cols]
    s = d[d["role"].eq("suspect")].drop_duplicates(["person_id", "case_id"])
    s = s.sort_values(["person_id", "registered_date"], kind="stable")
    s = s.assign(counted=s["age"].between(10, 17))
    py = s.groupby(["person_id", "year"], sort=False).agg(offences=("counted", "sum"),
                                                          offences_all=("case_id", "size"))
    cs = s[s["counted"]]
    attrs = cs.groupby(["person_id", "year"], sort=False, observed=True).agg(
        age=("age", "max"), sex=("sex", "last"), district=("district", "last"))
    py = py.join(attrs)
    first = s.groupby("person_id", sort=False).agg(first_date=("registered_date", "first"),
                                                   first_age=("age", "first"), birth_year=("birth_year", "first"))
    s2 = s.join(first["first_date"], on="person_id")
    nxt = s2[s2["registered_date"] > s2["first_date"]].groupby("person_id", sort=False)["registered_date"].first()
    fv = d[d["role"].eq("victim")].groupby("person_id", sort=False)["registered_date"].min()
    first = first.join(nxt.rename("next_date")).join(fv.rename("first_victim_date"))
    types = cs[["person_id", "year", "offence_type"]].drop_duplicates()
    c = py.xs(year, level="year")["offences"]
    return summary(c[c > 0].to_numpy(), first["next_date"].notna().sum(),
                   (first["first_victim_date"] < first["first_date"]).sum())


panel = cohorts.prepare(register)
counts = panel.counts(year)
N_BOOT = 2000


def bootstrap_ours():
    ci = concentration.bootstrap_ci(counts, "gini", n_boot=N_BOOT)
    return [float(ci.low), float(ci.high)]


def bootstrap_persons():
    # the direct percentile bootstrap: n_boot x n person indices, one Gini per resample
    rng = np.random.default_rng(concentration.DEFAULT_SEED)
    idx = rng.integers(0, counts.size, size=(N_BOOT, counts.size))
    reps = np.array([concentration.gini(counts[row]) for row in idx])
    return [float(np.quantile(reps, 0.025)), float(np.quantile(reps, 0.975))]


a, b = ours(), pandas_groupby()
if a != b:
    raise SystemExit(f"pandas groupby disagrees with cohorts.prepare: {b} != {a}")
lo_hi = {"ours": bootstrap_ours(), "persons": bootstrap_persons()}
if max(abs(x - y) for x, y in zip(lo_hi["ours"], lo_hi["persons"])) > 0.005:
    raise SystemExit(f"bootstrap intervals disagree: {lo_hi}")
methods = {"cohorts.prepare": ours, "pandas groupby": pandas_groupby,
           "concentration.bootstrap_ci (multinomial)": bootstrap_ours,
           "per-person bootstrap (n_boot x n indices)": bootstrap_persons}
times = alternate(methods, repeats)
print(json.dumps({"bands": a, "gini_ci": lo_hi, "n_suspects": int(len(counts)), "times": times}))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5, help="runs per measurement (median reported; default 5)")
    args = ap.parse_args(argv)
    national = str(ensure_national("register.csv.gz"))
    tables, peak = run_python(TABLES_CHILD, national, str(args.repeats), label="tables child")
    names = list(tables["runs"][0])
    med = {k: statistics.median(r[k] for r in tables["runs"]) for k in names}
    per_table = {k: v for k, v in med.items() if k not in ("panel", "whole page (assess)")}
    slowest = max(per_table, key=per_table.get)
    worst = med["panel"] + per_table[slowest]
    compare, _ = run_python(COMPARE_CHILD, national, str(args.repeats), label="compare child")
    times = {k: statistics.median(v) for k, v in compare["times"].items()}

    print(f"# bench_cohorts  {dt.date.today()}  python {platform.python_version()}  {platform.machine()}  "
          f"{os.cpu_count()} cores  repeats {args.repeats}")
    print(f"register rows {tables['rows']:,}, reporting year {tables['year']}, suspects {tables['suspects']:,} "
          f"({tables['person_years']:,} person-years; {tables['suspects_year']:,} aged 10-17 in {tables['year']}), "
          f"{tables['n_tables']} tables with {tables['table_rows']} rows")
    print(f"load (not part of the target): {tables['load_s']:.2f} s")
    print(f"panel (cohorts.prepare, shared by all tables): {med['panel']:.2f} s")
    for name, t in per_table.items():
        print(f"  {name:<45} {t:6.3f} s")
    print(f"panel + slowest table ({slowest}): {worst:.2f} s (median; target <= {TARGET_SECONDS:g} s each: "
          f"{'met' if worst <= TARGET_SECONDS else 'NOT met'})")
    print(f"whole page (assess: panel, every table, grading, protection): {med['whole page (assess)']:.2f} s")
    print(f"peak memory {peak:,.0f} MB (load included; target <= {TARGET_PEAK_MB:,.0f} MB: "
          f"{'met' if peak <= TARGET_PEAK_MB else 'NOT met'})")
    ours_ci, peer_ci = ([round(v, 4) for v in compare["gini_ci"][k]] for k in ("ours", "persons"))
    print(f"peers, same data ({compare['n_suspects']:,} suspects aged 10-17 in the year; band counts checked equal "
          f"{compare['bands'][:4]}; Gini intervals {ours_ci} vs {peer_ci}):")
    pairs = (("cohorts.prepare", "pandas groupby"),
             ("concentration.bootstrap_ci (multinomial)", "per-person bootstrap (n_boot x n indices)"))
    for ours, peer in pairs:
        print(f"  {ours:<52} {times[ours]:7.3f} s")
        print(f"  {peer:<52} {times[peer]:7.3f} s  ({times[peer] / times[ours]:.1f}x {ours})")
    ok = worst <= TARGET_SECONDS and peak <= TARGET_PEAK_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
