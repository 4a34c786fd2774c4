"""Benchmark: the share of disclosure control in the briefing's time (issue 11, "Performance").

Target: audit and protection on the sample briefing at most 20 % of the briefing's wall
time, median of 3. Two measurements, each ``--repeats`` times:

1. **The briefing with its audit**: ``python -m salto_analysis.briefing --year YEAR
   --previous <YEAR-1>`` (the command a user types, after one run of the year before), from
   the runner's own lines: ``disclosure audit: ... (X s)`` and ``done in Y s``. The audit
   runs in the runner's process after the notebooks, so X adds to Y one for one.
2. **The protection inside the pages**: every notebook's code run in one fresh process
   under :mod:`cProfile` (as :mod:`tests.test_small_data` runs them, without a kernel), and
   the cumulative time of primary and secondary suppression
   (:func:`salto_analysis.disclosure.primary`, :func:`~salto_analysis.disclosure.secondary`),
   the pages' cross-table protection (:meth:`salto_analysis.page.Page.protect`) and last
   year's withheld cells (:func:`salto_analysis.continuity.carry_forward`), over the
   notebooks' total. The profiler slows everything about alike; the share is what to read.

    .venv/bin/python benchmarks/bench_protection.py [--year 2025] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, run_python  # noqa: E402

from salto_analysis.briefing.config import load_briefing  # noqa: E402

TARGET = 0.20

CHILD = r"""
import cProfile, json, os, pstats, sys, time
import nbformat
os.chdir(sys.argv[1])
names, year, previous = sys.argv[2].split(","), sys.argv[3], sys.argv[4]
profile = cProfile.Profile()
total = 0.0
for name in names:
    nb = nbformat.read(f"{name}.ipynb", as_version=4)
    os.environ["SALTO_NOTEBOOK"], os.environ["SALTO_PREVIOUS_BRIEFING"] = name, previous
    ns = {}
    t0 = time.perf_counter()
    profile.enable()
    for cell in nb.cells:
        if cell.cell_type == "code":
            source = cell.source.replace("year: int = 0", f"year: int = {year}")
            exec(compile(source, f"{name}.ipynb", "exec"), ns)
    profile.disable()
    total += time.perf_counter() - t0
stats = pstats.Stats(profile)
wanted = {("disclosure.py", "primary"), ("disclosure.py", "secondary"), ("page.py", "protect"),
          ("continuity.py", "carry_forward")}
parts = {f"{fn}:{name}": round(ct, 3) for (file, line, name), (cc, nc, tt, ct, callers) in stats.stats.items()
         for fn in [os.path.basename(file)] if (fn, name) in wanted}
print(json.dumps({"total": total, "parts": parts}))
"""


def briefing_share(year: int, repeats: int, folder: Path) -> dict:
    """Wall time of the briefing and of its audit, from the runner's lines, ``repeats`` times."""
    import subprocess

    def run(y: int, out: Path, *extra: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "salto_analysis.briefing", "--year", str(y), "--jobs", "2",
                               "--out", str(out), *extra], cwd=ROOT, capture_output=True, text=True, timeout=1800)
        if proc.returncode:
            raise SystemExit(f"the briefing of {y} failed:\n{proc.stderr}")
        return proc.stderr

    run(year - 1, folder / str(year - 1))
    audits, walls = [], []
    for _ in range(repeats):
        err = run(year, folder / str(year), "--previous", str(folder / str(year - 1)))
        audits.append(float(re.search(r"^disclosure audit: .*\(([\d.]+) s\)$", err, re.M).group(1)))
        walls.append(float(re.search(r"done in ([\d.]+) s", err).group(1)))
    return {"audit": audits, "briefing": walls, "shares": [a / w for a, w in zip(audits, walls)]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        b = briefing_share(args.year, args.repeats, Path(tmp))
        names = ",".join(load_briefing().names)
        pages = []
        for _ in range(args.repeats):
            out, _rss = run_python(CHILD, str(ROOT / "notebooks"), names, str(args.year), str(Path(tmp) / str(args.year - 1)))
            pages.append(out)
    med = statistics.median
    protect = [sum(p["parts"].values()) / p["total"] for p in pages]
    print(f"briefing {args.year} on data/sample with --previous: median {med(b['briefing']):.1f} s "
          f"(runs {', '.join(f'{x:.1f}' for x in b['briefing'])})")
    print(f"  audit: median {med(b['audit']):.2f} s = {100 * med(b['shares']):.1f} % of the briefing "
          f"(runs {', '.join(f'{100 * x:.1f} %' for x in b['shares'])})")
    print(f"pages' code under the profiler: median {med([p['total'] for p in pages]):.1f} s; protection "
          f"{100 * med(protect):.1f} % of it (runs {', '.join(f'{100 * x:.1f} %' for x in protect)})")
    for key in sorted(pages[0]["parts"]):
        print(f"  {key}: median {med([p['parts'].get(key, 0.0) for p in pages]):.2f} s")
    total = med(b["shares"]) + med(protect)
    print(f"audit + protection: {100 * total:.1f} % of the briefing's time (target ≤ {100 * TARGET:.0f} %: "
          f"{'met' if total <= TARGET else 'NOT met'})")
    if args.json:
        Path(args.json).write_text(json.dumps({"briefing": b, "pages": pages}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
