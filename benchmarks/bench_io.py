"""Benchmark: loading the police register (issue 2).

Targets
    * the full sample register (``data/sample/register.csv.gz``) loads in <= 2 s;
    * a 2,000,000-row register loads in <= 15 s with peak memory <= 2 GB.

Method
    Every measurement runs in a fresh Python process, so caches and memory from one
    run never help the next. The child times the load call itself with
    ``time.perf_counter`` (imports excluded; they are reported separately) and its
    CPU time with ``time.process_time`` (all threads; less sensitive to other
    processes on a shared machine), and the parent reads the child's peak resident memory from ``os.wait4`` (``ru_maxrss``;
    interpreter and imports included). Runs of the three readers alternate, and the
    figures are medians over ``--repeats`` runs.

Peers, measured in the same run on the same file
    * ``pandas.read_csv(path)``: the C parser with type inference; no validation,
      no categories, no derived columns. This is the floor the ratio is quoted against.
    * ``pandas.read_csv(path, engine="pyarrow")``: pyarrow's parser through pandas.

Data
    The sample register is ``data/sample/register.csv.gz`` when it exists, else it is
    generated into ``benchmarks/_data/sample`` by ``python -m salto_analysis.synth``.
    The 2,000,000-row register is ``python -m salto_analysis.synth --scale national``
    (``benchmarks/_data/national/register.csv.gz``); if the generator is missing or
    fails, the benchmark writes one by resampling cases of the sample register
    (case and person ids get a copy suffix, so every key stays unique).

Run:  .venv/bin/python benchmarks/bench_io.py [--repeats 5] [--skip-national]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from _common import DATA, PY, ROOT, run_python

TARGETS = {"sample": {"seconds": 2.0}, "national": {"seconds": 15.0, "peak_mb": 2048.0}}

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
reader, path = sys.argv[1], sys.argv[2]
if reader == "salto_analysis.io.load_register":
    from salto_analysis import io
t1, c1 = time.perf_counter(), time.process_time()
if reader == "salto_analysis.io.load_register":
    df = io.load_register(path)
elif reader == "pandas.read_csv":
    df = pd.read_csv(path)
else:
    df = pd.read_csv(path, engine="pyarrow")
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "cpu_s": c2 - c1, "rows": len(df)}))
"""

READERS = ("salto_analysis.io.load_register", "pandas.read_csv", "pandas.read_csv(engine='pyarrow')")


def run_child(reader: str, path: Path) -> dict:
    """One load in a fresh process: seconds inside the child and the child's peak RSS in MB."""
    result, peak_mb = run_python(CHILD, reader, str(path), label=f"{reader} on {path}")
    return {**result, "peak_mb": peak_mb}


def measure(path: Path, repeats: int) -> dict[str, dict]:
    runs: dict[str, list[dict]] = {r: [] for r in READERS}
    for _ in range(repeats):
        for reader in READERS:
            runs[reader].append(run_child(reader, path))
    out = {}
    for reader, rs in runs.items():
        out[reader] = {
            "load_s": statistics.median(r["load_s"] for r in rs),
            "cpu_s": statistics.median(r["cpu_s"] for r in rs),
            "import_s": statistics.median(r["import_s"] for r in rs),
            "peak_mb": statistics.median(r["peak_mb"] for r in rs),
            "max_peak_mb": max(r["peak_mb"] for r in rs),
            "rows": rs[0]["rows"],
            "runs": [round(r["load_s"], 3) for r in rs],
        }
    return out


def synth(scale: str, out: Path) -> Path | None:
    """Generate the synthetic files with the project's generator; None if it is not available."""
    cmd = [PY, "-m", "salto_analysis.synth", "--scale", scale, "--out", str(out)]
    print(f"generating: {' '.join(cmd[1:])}", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    path = out / "register.csv.gz"
    if proc.returncode != 0 or not path.exists():
        print(f"  generator unavailable or failed ({proc.returncode}): {proc.stderr.strip()[-300:]}", flush=True)
        return None
    return path


def sample_register() -> Path:
    committed = ROOT / "data" / "sample" / "register.csv.gz"
    if committed.exists():
        return committed
    path = DATA / "sample" / "register.csv.gz"
    if path.exists() or synth("sample", path.parent):
        return path
    raise SystemExit("no sample register: data/sample/register.csv.gz is missing and the generator failed")


def national_register(sample: Path, rows: int = 2_000_000) -> tuple[Path, str]:
    path = DATA / "national" / "register.csv.gz"
    if path.exists():
        return path, "python -m salto_analysis.synth --scale national"
    path.parent.mkdir(parents=True, exist_ok=True)
    if synth("national", path.parent):
        return path, "python -m salto_analysis.synth --scale national"
    return resample(sample, rows, DATA / "resampled" / "register.csv.gz"), f"resampled cases of {sample.name}"


def resample(sample: Path, rows: int, out: Path) -> Path:
    """A register of ``rows`` rows made of copies of the sample's cases (ids suffixed per copy)."""
    import numpy as np
    import pandas as pd

    base = pd.read_csv(sample, dtype=str, keep_default_na=False)
    copies = -(-rows // len(base))
    parts = []
    for k in range(copies):
        part = base.copy()
        part["case_id"] = part["case_id"] + f"-{k}"
        part["person_id"] = part["person_id"] + f"-{k}"
        parts.append(part)
    big = pd.concat(parts, ignore_index=True).iloc[:rows]
    # shuffle whole cases so the file is not blocks of identical copies
    order = np.random.default_rng(2).permutation(big["case_id"].unique())
    big = big.set_index("case_id").loc[order].reset_index()[base.columns]
    out.parent.mkdir(parents=True, exist_ok=True)
    big.to_csv(out, index=False, compression={"method": "gzip", "mtime": 0})
    return out


def versions() -> dict:
    import numpy
    import pandas
    import pyarrow

    return {"python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
            "pyarrow": pyarrow.__version__, "cpus": os.cpu_count(), "machine": platform.machine()}


def report(name: str, path: Path, results: dict, target: dict) -> list[str]:
    ours = results[READERS[0]]
    floor = results[READERS[1]]
    lines = [f"### {name}: `{path.relative_to(ROOT)}` ({ours['rows']:,} rows, {path.stat().st_size / 1e6:.1f} MB)",
             "", "| reader | load, median s | runs (s) | CPU s | imports s | peak RSS MB | ratio to pandas.read_csv |",
             "|---|---|---|---|---|---|---|"]
    for reader in READERS:
        r = results[reader]
        ratio = r["load_s"] / floor["load_s"]
        lines.append(f"| `{reader}` | {r['load_s']:.2f} | {', '.join(map(str, r['runs']))} | {r['cpu_s']:.2f} | "
                     f"{r['import_s']:.2f} | {r['peak_mb']:.0f} | {ratio:.2f} |")
    ok_time = ours["load_s"] <= target["seconds"]
    verdict = f"target load <= {target['seconds']:g} s: {'met' if ok_time else 'NOT met'} ({ours['load_s']:.2f} s)"
    if "peak_mb" in target:
        ok_mem = ours["max_peak_mb"] <= target["peak_mb"]
        verdict += (f"; peak memory <= {target['peak_mb']:.0f} MB: {'met' if ok_mem else 'NOT met'} "
                    f"(max over runs {ours['max_peak_mb']:.0f} MB)")
    return lines + ["", verdict, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per reader and file (default 5)")
    parser.add_argument("--national-repeats", type=int, default=3,
                        help="runs per reader for the 2,000,000-row file (default 3)")
    parser.add_argument("--skip-national", action="store_true", help="only the sample register")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.national_repeats < 1:
        raise SystemExit(f"--repeats={args.repeats} and --national-repeats={args.national_repeats} must be >= 1")

    sample = sample_register()
    out = {"date": dt.date.today().isoformat(), "versions": versions(), "command": " ".join(sys.argv)}
    load = os.getloadavg()[0]
    lines = [f"Measured {out['date']} on {out['versions']['cpus']} CPUs (load average {load:.1f} at the start); " +
             ", ".join(f"{k} {v}" for k, v in out["versions"].items() if k not in ("cpus",)), ""]
    print(f"sample register: {sample}", flush=True)
    out["sample"] = measure(sample, args.repeats)
    lines += report("Sample register", sample, out["sample"], TARGETS["sample"])
    if not args.skip_national:
        national, origin = national_register(sample)
        print(f"2,000,000-row register: {national} ({origin})", flush=True)
        out["national"] = measure(national, args.national_repeats)
        out["national_origin"] = origin
        lines += report(f"2,000,000-row register ({origin})", national, out["national"], TARGETS["national"])
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "bench_io.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
