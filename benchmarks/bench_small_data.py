"""Benchmark: the yearly briefing on small registers against the briefing on the sample (issue 13, item 1).

Small extracts must publish (``tests/test_small_data.py``); this measures what they cost.
The data folders are those of the tests (``tests/fixtures/small_data/inputs.py``): the
sample's population and survey with a register of ``k`` persons drawn at random (seeded)
from ``data/sample/register.csv.gz``, all rows of each; and the same with every
registration of 2024 removed (a reporting year without cases, 500 persons). Every run is
the command a user types (``python -m salto_analysis.briefing --year 2024 --data-dir DIR
--jobs 2``); the folders alternate, after one warm-up run of the sample; figures are
medians, with each folder's ratio to the sample of the same round.

    .venv/bin/python benchmarks/bench_small_data.py [--repeat 3] [--jobs 2]
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
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.small_data.inputs import write_data_dir  # noqa: E402

#: name -> how the folder is made (None: data/sample itself)
FOLDERS = {
    "sample": None,
    "60 persons (seed 0)": {"k": 60, "seed": 0},
    "10 persons (seed 2)": {"k": 10, "seed": 2},
    "500 persons, no case in 2024": {"k": 500, "seed": 0, "variant": "no_cases_year", "year": 2024},
}


def run_briefing(data: Path, out: Path, jobs: int) -> tuple[float, dict]:
    """One briefing for 2024 on ``data``; its wall time and run summary."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "salto_analysis.briefing", "--year", "2024", "--data-dir",
                           str(data), "--out", str(out), "--jobs", str(jobs)], cwd=ROOT, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"briefing failed on {data}:\n{proc.stderr}")
    return wall, json.loads((out / ".salto-briefing.json").read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = {name: ROOT / "data" / "sample" if how is None else write_data_dir(tmp / f"data{i}", **how)
                for i, (name, how) in enumerate(FOLDERS.items())}
        run_briefing(data["sample"], tmp / "warmup", args.jobs)
        walls: dict[str, list[float]] = {name: [] for name in FOLDERS}
        for _ in range(args.repeat):
            for i, name in enumerate(FOLDERS):
                wall, _summary = run_briefing(data[name], tmp / f"out{i}", args.jobs)
                walls[name].append(wall)
    base = walls["sample"]
    print(f"{'data folder':32} {'median wall':>12} {'ratio to sample':>16}   per-round walls")
    for name, w in walls.items():
        ratio = statistics.median(a / b for a, b in zip(w, base))
        print(f"{name:32} {statistics.median(w):10.1f} s {ratio:16.2f}   {', '.join(f'{x:.1f}' for x in w)}")


if __name__ == "__main__":
    main()
