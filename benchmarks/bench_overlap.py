"""Benchmark: the tables of the victim–offender overlap notebook (issue 5, notebook 02).

Target
    On the 2,000,000-row national-scale register, all tables of notebook 02
    (:func:`salto_analysis.overlap.select` plus :func:`salto_analysis.overlap.all_tables`:
    computing, labelling, grading with secondary suppression, cross-table protection)
    take <= 10 s, with peak memory <= 3 GB (loading included).

Method
    Every figure comes from fresh Python processes, so no run profits from another's
    caches. The *tables* child loads the register and the population once (load time
    reported, not part of the target), then runs ``select`` + ``all_tables``
    ``--repeats`` times and reports the median, the median of each step, and its own
    peak resident memory (``ru_maxrss`` read by the parent with ``os.wait4``:
    interpreter, imports, the loaded frames and the computation).

Peers, measured in the same run
    The person-level step (``select``: first registration as suspect and as victim in
    all years up to ``year``, roles in the window, most serious type per role,
    attributes from the first registration in the window) is the expensive part. The
    *compare* child runs, alternately and ``--repeats`` times each on the same loaded
    frame:

    * ``overlap.select`` (NumPy group operations on integer person codes);
    * the same step written the idiomatic pandas way (boolean filters, ``groupby`` on
      ``person_id`` with ``min``/``any``/``first``, joins; no Python function per group);
    * the same step as one DuckDB SQL query on the pandas frame (``min(...) FILTER``,
      ``arg_min``), if DuckDB is installed (``--install-peers`` puts it in
      ``benchmarks/_data/peers``, outside the project's environment; DuckDB is not a
      project dependency). Without it the row says so.

    Each peer's counts (suspects, victims, both, and the temporal-order categories) are
    checked against ``select`` before any time is reported.

Data
    ``benchmarks/_data/national/`` from ``python -m salto_analysis.synth --scale national``
    (generated when missing).

Run:  .venv/bin/python benchmarks/bench_overlap.py [--repeats 5] [--install-peers]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys

from _common import DATA, PY, ensure_national, run_python

PEERS = DATA / "peers"
TARGET_SECONDS, TARGET_PEAK_MB = 10.0, 3072.0

TABLES_CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from benchmarks._common import load_inputs
from salto_analysis import overlap, params
(register, population), load_s = load_inputs(sys.argv[1], "register", "population")
repeats = int(sys.argv[2])
year = params.resolve_year(0, register)
policy = params.policy(5, 0.95, "nb")
runs = []
for _ in range(repeats):
    t0 = time.perf_counter()
    sel = overlap.select(register, year=year)
    t1 = time.perf_counter()
    tables = overlap.all_tables(sel, population, policy)
    t2 = time.perf_counter()
    runs.append({"select_s": t1 - t0, "tables_s": t2 - t1, "total_s": t2 - t0})
print(json.dumps({"rows": len(register), "year": year, "load_s": load_s, "runs": runs,
                  "persons": len(sel.persons), "n_tables": len(tables),
                  "table_rows": sum(len(t) for t in tables.values())}))
"""

COMPARE_CHILD = r"""
import json, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
peers = sys.argv[3]
if Path(peers).is_dir():
    sys.path.insert(0, peers)
import numpy as np
import pandas as pd
from benchmarks._common import alternate, load_inputs
from salto_analysis import overlap, params, schemas
(register,), _ = load_inputs(sys.argv[1], "register")
repeats = int(sys.argv[2])
year = params.resolve_year(0, register)
first_window = year - 2
RANK = {t: overlap.TYPE_SERIOUSNESS.index(t if t in overlap.TYPE_GROUPS else "other")
        for t in schemas.OFFENCE_TYPE}


def summary_of_selection(sel):
    p = sel.persons
    both = p[(p["suspect"] & p["victim"]).to_numpy()]
    fv, fs = both["first_victim"].to_numpy("int64"), both["first_suspect"].to_numpy("int64")
    return [int(p["suspect"].sum()), int(p["victim"].sum()), len(both),
            int((fv < fs).sum()), int((fv == fs).sum()), int((fv > fs).sum())]


def summary_of_frame(p):
    both = p[p["suspect"] & p["victim"]]
    fv, fs = both["first_victim"], both["first_suspect"]
    return [int(p["suspect"].sum()), int(p["victim"].sum()), len(both),
            int((fv < fs).sum()), int((fv == fs).sum()), int((fv > fs).sum())]


def ours():
    return summary_of_selection(overlap.select(register, year=year))


def pandas_groupby():
    cols = ["person_id", "role", "registered_date", "year", "offence_type", "age", "sex", "district"]
    d = register.loc[register["year"].le(year) & register["age"].between(10, 22), cols]
    d = d.assign(rank=d["offence_type"].map(RANK).astype("int64"), window=d["year"].ge(first_window),
                 is_s=d["role"].eq("suspect"), is_v=d["role"].eq("victim"))
    d = d.sort_values("registered_date", kind="stable")
    first_s = d[d["is_s"]].groupby("person_id", sort=False)["registered_date"].min().rename("first_suspect")
    first_v = d[d["is_v"]].groupby("person_id", sort=False)["registered_date"].min().rename("first_victim")
    w = d[d["window"]]
    roles = w.groupby("person_id", sort=False)[["is_s", "is_v"]].any().rename(
        columns={"is_s": "suspect", "is_v": "victim"})
    type_s = w[w["is_s"]].groupby("person_id", sort=False)["rank"].min().rename("suspect_type")
    type_v = w[w["is_v"]].groupby("person_id", sort=False)["rank"].min().rename("victim_type")
    attrs = w.groupby("person_id", sort=False, observed=True)[["age", "sex", "district"]].first()
    p = roles.join([first_s, first_v, type_s, type_v, attrs], how="left")
    return summary_of_frame(p)


try:
    import duckdb
    DUCK = duckdb.__version__
except ImportError:
    DUCK = None

SQL = f'''
WITH h AS (
  SELECT person_id, CAST(role AS VARCHAR) AS role, registered_date AS d, year, age,
         CAST(sex AS VARCHAR) AS sex, CAST(district AS VARCHAR) AS district,
         CASE CAST(offence_type AS VARCHAR) WHEN 'sexual' THEN 0 WHEN 'robbery' THEN 1 WHEN 'violence' THEN 2
              WHEN 'threats' THEN 3 ELSE 4 END AS rank
  FROM reg WHERE year <= {year} AND age BETWEEN 10 AND 22
), p AS (
  SELECT person_id,
    min(d) FILTER (WHERE role = 'suspect') AS first_suspect,
    min(d) FILTER (WHERE role = 'victim') AS first_victim,
    coalesce(bool_or(role = 'suspect' AND year >= {first_window}), false) AS suspect,
    coalesce(bool_or(role = 'victim' AND year >= {first_window}), false) AS victim,
    min(rank) FILTER (WHERE role = 'suspect' AND year >= {first_window}) AS suspect_type,
    min(rank) FILTER (WHERE role = 'victim' AND year >= {first_window}) AS victim_type,
    arg_min(age, d) FILTER (WHERE year >= {first_window}) AS age,
    arg_min(district, d) FILTER (WHERE year >= {first_window}) AS district,
    arg_min(sex, d) FILTER (WHERE year >= {first_window} AND sex IS NOT NULL) AS sex
  FROM h GROUP BY person_id
)
SELECT * FROM p WHERE suspect OR victim
'''


def duckdb_sql():
    con = duckdb.connect(config={"threads": 2})
    con.execute("SET enable_progress_bar = false")
    con.register("reg", register[["person_id", "role", "registered_date", "year", "offence_type", "age", "sex",
                                  "district"]])
    p = con.execute(SQL).df()
    con.close()
    return summary_of_frame(p)


methods = {"overlap.select": ours, "pandas groupby": pandas_groupby}
if DUCK:
    methods[f"duckdb {DUCK} SQL"] = duckdb_sql
expected = ours()
for name, f in methods.items():
    got = f()
    if got != expected:
        raise SystemExit(f"{name} disagrees with overlap.select: {got} != {expected}")
times = alternate(methods, repeats)
print(json.dumps({"rows": len(register), "counts": expected, "times": times, "duckdb": DUCK}))
"""


def install_peers() -> None:
    PEERS.mkdir(parents=True, exist_ok=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--target", str(PEERS), "duckdb"], check=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5, help="runs per method (median reported; default 5)")
    ap.add_argument("--install-peers", action="store_true",
                    help="pip-install DuckDB into benchmarks/_data/peers (not into the project environment)")
    args = ap.parse_args(argv)
    national = str(ensure_national("register.csv.gz", "population.csv"))
    if args.install_peers:
        install_peers()
    tables, peak = run_python(TABLES_CHILD, national, str(args.repeats), label="tables child")
    med = {k: statistics.median(r[k] for r in tables["runs"]) for k in ("select_s", "tables_s", "total_s")}
    compare, _ = run_python(COMPARE_CHILD, national, str(args.repeats), str(PEERS), label="compare child")
    times = {k: statistics.median(v) for k, v in compare["times"].items()}
    ours = times["overlap.select"]

    print(f"# bench_overlap  {dt.date.today()}  python {platform.python_version()}  {platform.machine()}  "
          f"{os.cpu_count()} cores  repeats {args.repeats}")
    print(f"register rows {tables['rows']:,}, reporting year {tables['year']}, persons in the window "
          f"{tables['persons']:,}, {tables['n_tables']} tables with {tables['table_rows']} rows")
    print(f"load (not part of the target): {tables['load_s']:.2f} s")
    print(f"select {med['select_s']:.2f} s + all_tables {med['tables_s']:.2f} s = all tables {med['total_s']:.2f} s "
          f"(median; target <= {TARGET_SECONDS:g} s: {'met' if med['total_s'] <= TARGET_SECONDS else 'NOT met'})")
    print(f"peak memory {peak:,.0f} MB (load included; target <= {TARGET_PEAK_MB:,.0f} MB: "
          f"{'met' if peak <= TARGET_PEAK_MB else 'NOT met'})")
    print(f"person-level step, same data, counts checked equal {compare['counts']}:")
    for name, t in times.items():
        ratio = "" if name == "overlap.select" else f"  ({t / ours:.1f}x overlap.select)"
        print(f"  {name:<40} {t:6.2f} s{ratio}")
    if not compare["duckdb"]:
        print("  duckdb                                   not installed (run with --install-peers)")
    ok = med["total_s"] <= TARGET_SECONDS and peak <= TARGET_PEAK_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
