"""Benchmark of the disclosure audit of published outputs (issue 11, "Performance").

Target: audit (and protection) on the sample briefing at most 20 % of the briefing's wall
time, median of 3. The script

1. runs the briefing on ``data/sample`` for ``--year`` and the year before (the command a
   user types, ``python -m salto_analysis.briefing --jobs 2``), timing the ``--year`` run
   ``--briefing-repeats`` times (median), unless ``--briefings DIR`` names a folder that
   already holds ``DIR/<year>`` and ``DIR/<year-1>``;
2. times the audit of that briefing alone and with ``--previous`` (each run a fresh Python
   process; the time is the ``audit()`` call, imports excluded and listed separately),
   median of ``--repeats``;
3. times the audit of synthetic two-way tables of about ``--sizes`` cells (see
   :func:`synthetic`), published with reason codes as now ("coded") and with one symbol
   ``:`` ("symbol"), exactly (``exact=True``, the default) and with ``exact=False``
   (``--fast``), to show how it scales. Exact runs stop at ``--exact-max`` cells and
   coded runs at ``--coded-max`` (the either–or rows of the codes make every bound an
   integer programme).

    .venv/bin/python benchmarks/bench_audit.py [--repeats 3] [--briefing-repeats 3] [--sizes 100 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import run_python

TARGET = 0.20

CHILD = """
import json, sys, time
t0 = time.perf_counter()
from salto_analysis.audit import audit
imported = time.perf_counter() - t0
out, prev, exact = sys.argv[1], (sys.argv[2] or None), sys.argv[3] == "exact"
t0 = time.perf_counter()
report = audit(out, prev, exact=exact)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "import": imported, "findings": len(report.findings),
                  "withheld": sum(f.kind == "withheld" for f in report.findings),
                  "exposed": len(report.exposed)}))
"""


def run_briefing(year: int, out: Path) -> float:
    """Run the briefing for ``year`` into ``out``; return its wall time."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "salto_analysis.briefing", "--year", str(year), "--jobs", "2",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"briefing {year} failed:\n{proc.stderr}")
    return wall


def time_audit(out: Path, previous: Path | None, repeats: int, exact: bool = True) -> dict:
    runs = [run_python(CHILD, str(out), str(previous or ""), "exact" if exact else "fast", label="audit")[0]
            for _ in range(repeats)]
    return {"walls": [r["wall"] for r in runs], "median": statistics.median(r["wall"] for r in runs),
            "import": statistics.median(r["import"] for r in runs), **{k: runs[-1][k] for k in
                                                                        ("findings", "withheld", "exposed")}}


def synthetic(folder: Path, cells: int, seed: int = 20261203, coded: bool = True) -> int:
    """A square table of about ``cells`` counts with margins, protected as the briefing does; returns the withheld.

    Counts 1..4 are withheld as D1 and other counts under 10 (0, 5..9) as C1 (too few
    events); then, while a line (row or column) holds exactly one withheld cell, its
    smallest shown cell is withheld as D2 (rule (a) of the briefing's secondary
    suppression). ``coded=False`` publishes one symbol ``:`` for every withheld cell.
    """
    import numpy as np

    n = max(2, round(cells ** 0.5))
    rng = np.random.default_rng(seed)
    x = rng.poisson(rng.choice([3.0, 12.0, 40.0], size=(n, n), p=[0.10, 0.30, 0.60]))
    d1 = (x >= 1) & (x <= 4)
    c1 = (x < 10) & ~d1
    hidden = d1 | c1
    changed = True
    while changed:
        changed = False
        for h, v in ((hidden, x), (hidden.T, x.T)):
            for i in np.flatnonzero(h.sum(1) == 1):
                shown = np.flatnonzero(~h[i])
                if len(shown):
                    h[i, shown[np.argmin(v[i, shown])]] = True
                    changed = True
    lines = ["row,col,count,flag,flag_reason"]
    for i in range(n):
        for j in range(n):
            if hidden[i, j]:
                code = ("D1: færre enn 5 personer" if d1[i, j] else "C1: bygger på færre enn 10 hendelser"
                        if c1[i, j] else "D2: skjult så andre skjulte tall ikke kan regnes ut") if coded else ":"
                lines.append(f"r{i},c{j},,suppressed,{code}")
            else:
                lines.append(f"r{i},c{j},{x[i, j]},ok,")
        lines.append(f"r{i},I alt,{x[i].sum()},ok,")
    for j in range(n):
        lines.append(f"I alt,c{j},{x[:, j].sum()},ok,")
    lines.append(f"I alt,I alt,{x.sum()},ok,")
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "tables" / "01_synthetic__table.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return int(hidden.sum())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3, help="timed audit runs per measurement (default 3)")
    ap.add_argument("--briefing-repeats", type=int, default=3, help="timed briefing runs (default 3)")
    ap.add_argument("--year", type=int, default=2025, help="briefing year (default 2025; the year before is --previous)")
    ap.add_argument("--briefings", metavar="DIR", help="reuse DIR/<year> and DIR/<year-1> (the briefing is then not timed)")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000], help="synthetic table sizes in cells")
    ap.add_argument("--exact-max", type=int, default=1000, help="largest synthetic size audited exactly (default 1000)")
    ap.add_argument("--coded-max", type=int, default=1000, help="largest synthetic size published with codes (1000)")
    ap.add_argument("--json", metavar="FILE", help="write all figures to FILE")
    args = ap.parse_args(argv)
    if args.repeats < 1 or args.briefing_repeats < 1:
        ap.error("--repeats and --briefing-repeats must be at least 1")
    result: dict = {"year": args.year}
    with tempfile.TemporaryDirectory() as tmp:
        if args.briefings:
            base = Path(args.briefings)
            cur, prev = base / str(args.year), base / str(args.year - 1)
            briefing = None
        else:
            base = Path(tmp)
            cur, prev = base / str(args.year), base / str(args.year - 1)
            print(f"briefing {args.year - 1} (once, as --previous) ...", flush=True)
            run_briefing(args.year - 1, prev)
            walls = []
            for k in range(args.briefing_repeats):
                walls.append(run_briefing(args.year, cur))
                print(f"briefing {args.year}, run {k + 1}: {walls[-1]:.1f} s", flush=True)
            briefing = statistics.median(walls)
            result["briefing"] = {"walls": walls, "median": briefing}
        result["audit"] = {}
        for exact in (True, False):
            mode = "exact" if exact else "fast"
            alone = time_audit(cur, None, args.repeats, exact)
            both = time_audit(cur, prev, args.repeats, exact)
            result["audit"][mode] = {"alone": alone, "previous": both}
            print(f"audit {args.year} ({mode}): median {alone['median']:.2f} s "
                  f"{[round(w, 2) for w in alone['walls']]}, imports {alone['import']:.2f} s; {alone['withheld']} "
                  f"withheld cells, {alone['findings']} quantities, {alone['exposed']} exposed", flush=True)
            print(f"audit {args.year} --previous {args.year - 1} ({mode}): median {both['median']:.2f} s "
                  f"{[round(w, 2) for w in both['walls']]}; {both['findings']} quantities, {both['exposed']} exposed",
                  flush=True)
            if briefing:
                for name, a in (("alone", alone), ("with --previous", both)):
                    ratio = a["median"] / briefing
                    print(f"  audit {name} / briefing = {a['median']:.2f} / {briefing:.1f} s = {ratio:.1%} "
                          f"(target ≤ {TARGET:.0%}: {'met' if ratio <= TARGET else 'NOT met'})", flush=True)
        result["synthetic"] = []
        for size in args.sizes:
            for coded in (True, False):
                if coded and size > args.coded_max:
                    continue
                folder = Path(tmp) / f"synthetic_{size}_{'coded' if coded else 'symbol'}"
                withheld = synthetic(folder, size, coded=coded)
                for exact in (True, False):
                    if exact and size > args.exact_max:
                        continue
                    a = time_audit(folder, None, args.repeats, exact)
                    row = {"cells": size, "coded": coded, "exact": exact, "withheld": withheld, **a}
                    result["synthetic"].append(row)
                    print(f"synthetic {size} cells ({'coded' if coded else 'symbol'}, "
                          f"{'exact' if exact else 'fast'}), {withheld} withheld: median {a['median']:.2f} s "
                          f"{[round(w, 2) for w in a['walls']]} ({1000 * a['median'] / max(withheld, 1):.1f} ms per "
                          f"withheld cell), {a['exposed']} exposed", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
