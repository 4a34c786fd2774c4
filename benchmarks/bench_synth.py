"""Benchmark: generating the synthetic data (issue 2, part 4).

Targets
    * ``python -m salto_analysis.synth --scale national`` (2,000,000-row register,
      1,500,000-pupil survey) runs in < 2 min with peak memory < 4 GB;
    * the sample (``--scale sample``) regenerates in a few seconds, so the
      byte-identical regeneration test stays fast.

Method
    Every run is a fresh Python process that calls ``salto_analysis.synth.generate``
    into a temporary folder. The child times the call with ``time.perf_counter``
    (imports excluded) and ``time.process_time``; the parent reads the child's peak
    resident memory from ``os.wait4`` (``ru_maxrss``, interpreter and imports included).
    Figures are medians over ``--repeats`` runs.

Peer, measured in the same run on the same table
    Writing the national register with pandas' own gzip writer,
    ``DataFrame.to_csv(path, compression={"method": "gzip", "mtime": 0, "compresslevel": 1})``,
    against ``salto_analysis.synth.output.write_table`` at the same level (fixed gzip
    header, raw deflate). The model itself has no peer.

Run:  .venv/bin/python benchmarks/bench_synth.py [--repeats 3] [--skip-national]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile

from _common import run_python

TARGETS = {"national": {"seconds": 120.0, "peak_mb": 4096.0}}

CHILD_GENERATE = r"""
import json, sys, time
from salto_analysis.synth import generate
scale, out = sys.argv[1], sys.argv[2]
t, c = time.perf_counter(), time.process_time()
m = generate(out, scale=scale)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                  "rows": {k: v["rows"] for k, v in m["files"].items()}}))
"""

CHILD_WRITE = r"""
import json, sys, time
from pathlib import Path
import pandas as pd
from salto_analysis.synth.output import write_table
writer, src, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
df = pd.read_csv(src, dtype=str, keep_default_na=False)
t = time.perf_counter()
if writer == "pandas":
    df.to_csv(out / "peer.csv.gz", index=False, lineterminator="\n",
              compression={"method": "gzip", "mtime": 0, "compresslevel": 1})
else:
    write_table(df, out / "ours.csv.gz", level=1)
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


def measure(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; its last stdout line is JSON. Adds ``peak_mb``."""
    result, peak_mb = run_python(code, *args, label=f"child {args}")
    return {**result, "peak_mb": peak_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    report = {"date": dt.date.today().isoformat(), "python": platform.python_version(),
              "machine": platform.machine(), "cores": os.cpu_count(), "repeats": args.repeats}
    with tempfile.TemporaryDirectory() as tmp:
        scales = ("sample",) if args.skip_national else ("sample", "national")
        for scale in scales:
            runs = []
            for i in range(args.repeats):
                runs.append(measure(CHILD_GENERATE, scale, os.path.join(tmp, f"{scale}{i}")))
                print(f"{scale} run {i + 1}: {runs[-1]['seconds']:.1f} s, peak {runs[-1]['peak_mb']:.0f} MB",
                      flush=True)
            report[scale] = {
                "median_seconds": statistics.median(r["seconds"] for r in runs),
                "median_cpu_seconds": statistics.median(r["cpu"] for r in runs),
                "max_peak_mb": max(r["peak_mb"] for r in runs),
                "rows": runs[0]["rows"],
            }
        if not args.skip_national:
            src = os.path.join(tmp, "national0", "register.csv.gz")
            times = {"pandas": [], "ours": []}
            for _ in range(args.repeats):
                for writer in ("pandas", "ours"):  # alternate the two writers
                    times[writer].append(measure(CHILD_WRITE, writer, src, tmp)["seconds"])
            med = {k: statistics.median(v) for k, v in times.items()}
            report["write_register"] = {"pandas_to_csv_gzip_seconds": med["pandas"],
                                        "write_table_seconds": med["ours"],
                                        "ratio_ours_to_pandas": med["ours"] / med["pandas"]}
            nat = report["national"]
            report["national"]["meets_target"] = (nat["median_seconds"] < TARGETS["national"]["seconds"]
                                                  and nat["max_peak_mb"] < TARGETS["national"]["peak_mb"])
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
