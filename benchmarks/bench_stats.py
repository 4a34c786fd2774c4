"""Benchmark: the exact conditional odds ratio of a large 2×2 table (issue 13).

Target
    ``salto_analysis.stats.odds_ratio([[20000, 30000], [25000, 28000]], method="exact")``
    (conditional MLE, exact conditional interval and Fisher's p-value; a support of
    45,001 points) takes <= 0.1 s, median of >= 5 runs. Before issue 13 it called
    ``scipy.stats.contingency.odds_ratio(kind="conditional")`` and took about 21 s.

Peers, measured in the same run on the same table
    * R's ``fisher.test`` (where ``Rscript`` is installed; ``--skip-r`` skips it). R times
      itself: each of ``--repeats`` rounds is one ``Rscript`` process that reports
      ``system.time`` over ``--r-inner`` calls divided by ``--r-inner``, so R's start-up is
      not counted. The rounds alternate with ours (one call of ours, one R round, ...), so
      that a change in the machine's load during the run hits both alike. The script also prints R's
      estimate and limits, and how far ours are from them (R's ``uniroot`` stops at about
      1e-4 in the odds ratio; tests/test_stats.py checks ours to 1e-9 against the same
      roots solved tightly in R).
    * The previous implementation, scipy's ``contingency.odds_ratio(kind="conditional")``
      plus ``fisher_exact``, ``--scipy-repeats`` runs (default 1, as it takes ~20 s;
      ``--scipy-repeats 0`` skips it).

Figures are medians of wall-clock seconds (``time.perf_counter``) after one warm-up call;
ratios are quoted against ours.

Run:  .venv/bin/python benchmarks/bench_stats.py [--repeats 7] [--r-inner 50] [--scipy-repeats 1]
      [--skip-r] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import Timing, timed

TABLE = [[20000, 30000], [25000, 28000]]
TARGET_SECONDS = 0.1

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
inner <- as.integer(args[1])
x <- matrix(c(20000, 25000, 30000, 28000), 2)  # [[a, b], [c, d]] is matrix(c(a, c, b, d), 2)
ft <- fisher.test(x)
secs <- system.time(for (j in seq_len(inner)) fisher.test(x))[["elapsed"]] / inner
cat(sprintf("version %s\n", paste(R.version$major, R.version$minor, sep = ".")))
cat(sprintf("result %.15g %.15g %.15g %.15g\n", ft$estimate, ft$conf.int[1], ft$conf.int[2], ft$p.value))
cat(sprintf("seconds %s\n", paste(sprintf("%.6g", secs), collapse = " ")))
"""


def r_round(script: Path, inner: int) -> dict:
    """One Rscript process: R's fisher.test on TABLE, seconds per call timed inside R, and its result."""
    out = subprocess.run(["Rscript", str(script), str(inner)], check=True, capture_output=True, text=True).stdout
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.strip().splitlines()}
    est, low, high, p = (float(v) for v in lines["result"].split())
    return {"version": lines["version"], "seconds": float(lines["seconds"]),
            "estimate": est, "ci_low": low, "ci_high": high, "p_value": p}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7, help="timed runs of ours, and rounds of R (>= 5)")
    ap.add_argument("--r-inner", type=int, default=50, help="fisher.test calls per timed R round")
    ap.add_argument("--scipy-repeats", type=int, default=1, help="timed runs of the previous scipy code (0: skip)")
    ap.add_argument("--skip-r", action="store_true", help="do not run R's fisher.test")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    if args.repeats < 5:
        ap.error("--repeats must be at least 5")
    if args.r_inner < 1 or args.scipy_repeats < 0:
        ap.error("--r-inner must be at least 1 and --scipy-repeats at least 0")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import numpy as np
    import scipy
    from scipy import stats as sps

    from salto_analysis import stats

    print(f"table {TABLE} (n = {int(np.sum(TABLE)):,}); machine: {platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    use_r = not args.skip_r and shutil.which("Rscript") is not None

    def ours_once():
        return timed(lambda: stats.odds_ratio(TABLE, method="exact"), 1, collect=True)

    stats.odds_ratio(TABLE, method="exact")  # warm-up (imports, caches)
    wall, cpu, r_rounds = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "fisher.R"
        script.write_text(R_SCRIPT)
        for _ in range(args.repeats):  # alternate: ours, then one R round
            one = ours_once()
            wall.append(one.wall[0])
            cpu.append(one.cpu[0])
            if use_r:
                r_rounds.append(r_round(script, args.r_inner))
    ours = Timing(wall, cpu, one.result)
    r = ours.result
    ok = ours.median <= TARGET_SECONDS
    report = {"table": TABLE, "ours_median_s": ours.median, "ours_times": ours.wall, "ours_cpu_median_s": ours.cpu_median,
              "ours": {"estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value}}
    print(f"salto_analysis.stats.odds_ratio(method='exact'): median {ours.median:.4f} s over {args.repeats} runs "
          f"(target <= {TARGET_SECONDS} s: {'met' if ok else 'NOT MET'}); "
          f"OR {r.estimate:.9g} ({r.ci_low:.9g}, {r.ci_high:.9g}), p {r.p_value:.6g}")
    if not r_rounds:
        print("R: Rscript not available (or --skip-r); skipped")
    else:
        res = {**r_rounds[-1], "times": [x["seconds"] for x in r_rounds]}
        med = statistics.median(res["times"])
        diff = max(abs(getattr(r, k) - res[k]) / res[k] for k in ("estimate", "ci_low", "ci_high"))
        report.update(r_version=res["version"], r_median_s=med, r_times=res["times"], r_inner=args.r_inner,
                      r_result={k: res[k] for k in ("estimate", "ci_low", "ci_high", "p_value")},
                      r_max_rel_diff=diff, ours_over_r=ours.median / med)
        print(f"R {res['version']} fisher.test: median {med:.4f} s per call ({args.repeats} rounds of "
              f"{args.r_inner}); ours / R = {ours.median / med:.2f}; OR {res['estimate']:.9g} "
              f"({res['ci_low']:.9g}, {res['ci_high']:.9g}); largest relative difference from ours {diff:.1e} "
              f"(R's uniroot tolerance)")
    if args.scipy_repeats:
        def previous():
            t = np.asarray(TABLE)
            s = sps.contingency.odds_ratio(t, kind="conditional")
            return s.statistic, s.confidence_interval(confidence_level=0.95), sps.fisher_exact(t).pvalue

        old = timed(previous, args.scipy_repeats)
        report.update(scipy_median_s=old.median, scipy_times=old.wall, scipy_over_ours=old.median / ours.median)
        print(f"previous code (scipy {scipy.__version__} contingency.odds_ratio(kind='conditional') + fisher_exact): "
              f"median {old.median:.2f} s over {args.scipy_repeats} run(s); {old.median / ours.median:.0f}x ours")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=float))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
