"""Benchmark: small-area estimates for the district pages (issue 14).

Targets (medians)
    * ``salto_analysis.small_area.fay_herriot`` on 17 districts x 7 indicators x 4 waves
      (28 REML fits, arcsine scale, variance function, Prasad-Rao MSE) <= 0.2 s;
    * ``salto_analysis.small_area.empirical_bayes_rates`` plus
      ``salto_analysis.standardise.direct_standardised_rates`` for 17 districts x 10 years
      (6 age-sex strata) <= 0.2 s together. EB is timed with 3-year pooling (the heavier
      case), the standardisation with a city-total row.
    * Reported, not targeted: the district tables of page 01 on the sample register
      (``trends.districts.standardised``, ``smoothed``, ``side_by_side``, ``comparison`` and
      the page's rank step, graded; 17 districts, one year), ``rank_intervals`` (4,000 draws)
      on the graded FH table, and,
      where ``Rscript`` with ``metafor``, ``epitools`` and ``spdep`` exists, the same work in R
      in the same run: ``metafor::rma(method="REML")`` + ``blup()`` per indicator x wave
      (tau^2 and EBLUP only, no MSE, no transform), ``epitools::ageadjust.direct`` per
      district x year and ``spdep::EBest`` per year (no intervals). R times itself with
      ``proc.time`` after one warm-up run; R's start-up and data reading are not timed.

Method
    Synthetic, seeded inputs made here. Each timed call starts from the in-memory frame;
    medians over ``--repeats`` runs after one warm-up run (imports and the first call's
    lazy imports are not timed).

Run:  .venv/bin/python benchmarks/bench_small_area.py [--repeats 9] [--r-repeats 5] [--skip-r] [--json out.json]
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
import warnings
from pathlib import Path

from _common import timed

TARGET_FH = 0.2
TARGET_EB_DSR = 0.2
DISTRICTS = 17
INDICATORS = 7
WAVES = (2018, 2021, 2023, 2025)
YEARS = tuple(range(2016, 2026))
STRATA = [(a, s) for a in ("10-14", "15-17", "18-22") for s in ("F", "M")]


def make_direct(seed: int = 20271):
    """Direct survey estimates (as survey.proportion by district) for 7 indicators x 4 waves."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    rows = []
    for ind in range(INDICATORS):
        base = rng.uniform(0.03, 0.3)
        for wave in WAVES:
            for d in range(DISTRICTS):
                n = int(rng.integers(60, 900))
                p = float(np.clip(base * rng.lognormal(0, 0.3), 0, 0.95))
                x = int(rng.binomial(n, p))
                deff = rng.uniform(1.0, 2.5)
                ph = x / n
                rows.append((f"item{ind}", wave, f"D{d:02d}", x, n, ph, np.sqrt(deff * ph * (1 - ph) / n),
                             float(rng.integers(1, 12))))
    return pd.DataFrame(rows, columns=["indicator", "wave", "district", "numerator", "denominator", "estimate",
                                       "se", "df"])


def make_register(seed: int = 20272):
    """Suspects and residents by year x district x age band x sex (17 x 10 x 6 cells)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    size = rng.integers(300, 9000, DISTRICTS)
    size[-1] = 250  # a Marka-sized district
    risk = rng.gamma(8, 0.02 / 8, DISTRICTS)
    rows = []
    for year in YEARS:
        for d in range(DISTRICTS):
            for k, (age, sex) in enumerate(STRATA):
                pop = int(size[d] * rng.uniform(0.1, 0.25))
                rows.append((year, f"D{d:02d}", age, sex, pop, int(rng.poisson(pop * risk[d] * (0.5 + 0.3 * k)))))
    return pd.DataFrame(rows, columns=["year", "district", "age_group", "sex", "population", "count"])


def time_ours(direct, register, repeats: int) -> dict:
    from salto_analysis import reliability, small_area, standardise
    from salto_analysis.estimates import meta_of

    def fh():
        return small_area.fay_herriot(direct, groups=["indicator", "wave"])

    by_district = register.groupby(["year", "district"], as_index=False)[["count", "population"]].sum()

    def eb():
        return small_area.empirical_bayes_rates(by_district, groups="year", pool_years=3)

    def dsr():
        return standardise.direct_standardised_rates(register, groups="year", total="Oslo")

    def both():
        return eb(), dsr()

    out = {}
    for name, fn in (("fay_herriot", fh), ("empirical_bayes", eb), ("standardise", dsr), ("eb_plus_dsr", both)):
        t = timed(fn, repeats, warmup=True)
        out[name] = {"median_s": t.median, "times": t.wall}
    table = timed(fh, 1).result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reliability.SmallSampleWarning)
        graded = reliability.grade(table)
    t = timed(lambda: small_area.rank_intervals(graded), repeats, warmup=True)
    out["rank_intervals"] = {"median_s": t.median, "times": t.wall}
    out["fh_fits"] = len(meta_of(table).fact("fay_herriot"))
    out["fh_rows"] = len(table)
    return out


def time_page(repeats: int) -> dict | None:
    """The district tables page 01 adds, on the sample register (loading and counting not timed)."""
    import warnings

    from salto_analysis import io, params, trends
    from salto_analysis.page import graded
    from salto_analysis.trends import districts
    from salto_analysis.trends import page as tp

    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    if not sample.exists():
        return None
    sel = trends.select(io.load_register(io.find_input(sample, "register")),
                        io.load_population(io.find_input(sample, "population")), year=2024)
    policy = params.policy(5, 0.95, "nb")

    def page_districts():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = districts.rates(sel)
            g = graded(raw, policy)[0]
            use = districts.used_districts(g)
            target = float(g["estimate"].iloc[-1])
            side = districts.side_by_side(raw, districts.standardised(sel), districts.smoothed(sel, use),
                                          year=sel.year)
            comp = graded(districts.comparison(sel, target, use), policy)[0]
            return graded(side, policy)[0], tp.rank({"district_ratios": comp})

    t = timed(page_districts, repeats, warmup=True)
    return {"median_s": t.median, "times": t.wall}


R_SCRIPT = r"""
suppressMessages({library(metafor); library(epitools); library(spdep)})
args <- commandArgs(trailingOnly = TRUE)
direct <- read.csv(args[1]); reg <- read.csv(args[2]); reps <- as.integer(args[3])
direct$y <- asin(sqrt(direct$estimate))
direct$v <- pmax(direct$se^2 / (4 * direct$estimate * (1 - direct$estimate)), 1 / (4 * direct$denominator))
direct$v[!is.finite(direct$v)] <- 1 / (4 * direct$denominator[!is.finite(direct$v)])
fh_groups <- split(direct, list(direct$indicator, direct$wave))
run_fh <- function() lapply(fh_groups, function(g) blup(rma(g$y, g$v, method = "REML")))
cells <- split(reg, list(reg$year, reg$district))
std <- lapply(split(reg, reg$year), function(g) tapply(g$population, paste(g$age_group, g$sex), sum))
run_dsr <- function() lapply(cells, function(g) {
  s <- std[[as.character(g$year[1])]][paste(g$age_group, g$sex)]
  ageadjust.direct(g$count, g$population, stdpop = s)
})
agg <- aggregate(cbind(count, population) ~ year + district, data = reg, FUN = sum)
years <- split(agg, agg$year)
run_eb <- function() lapply(years, function(g) EBest(g$count, g$population))
timeit <- function(f) { invisible(f()); t <- numeric(reps)
  for (i in seq_len(reps)) { t0 <- proc.time()[["elapsed"]]; f(); t[i] <- proc.time()[["elapsed"]] - t0 }; t }
res <- list(fh = timeit(run_fh), dsr = timeit(run_dsr), eb = timeit(run_eb))
writeLines(c(paste(res$fh, collapse = ","), paste(res$dsr, collapse = ","), paste(res$eb, collapse = ","),
             paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("metafor")),
             as.character(packageVersion("epitools")), as.character(packageVersion("spdep"))), args[4])
"""


def time_r(direct, register, repeats: int, tmp: Path) -> dict | None:
    if shutil.which("Rscript") is None:
        return None
    probe = ("quit(status = !all(sapply(c('metafor', 'epitools', 'spdep'), "
             "requireNamespace, quietly = TRUE)))")
    check = subprocess.run(["Rscript", "-e", probe], capture_output=True, check=False)
    if check.returncode != 0:
        return None
    d_csv, r_csv, script, out = tmp / "direct.csv", tmp / "register.csv", tmp / "bench.R", tmp / "r_times.txt"
    direct.to_csv(d_csv, index=False)
    register.to_csv(r_csv, index=False)
    script.write_text(R_SCRIPT)
    subprocess.run(["Rscript", str(script), str(d_csv), str(r_csv), str(repeats), str(out)], check=True)
    lines = out.read_text().strip().splitlines()
    times = {k: [float(x) for x in lines[i].split(",")] for i, k in enumerate(("fh", "dsr", "eb"))}
    return {"times": times, "versions": {"R": lines[3], "metafor": lines[4], "epitools": lines[5],
                                         "spdep": lines[6]}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=9, help="timed runs of each of ours")
    ap.add_argument("--r-repeats", type=int, default=5, help="timed runs of each R peer")
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    direct, register = make_direct(), make_register()
    print(f"data: {len(direct)} direct estimates ({DISTRICTS} districts x {INDICATORS} indicators x {len(WAVES)} "
          f"waves); register {len(register)} cells ({DISTRICTS} districts x {len(YEARS)} years x {len(STRATA)} "
          "strata)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    ours = time_ours(direct, register, args.repeats)
    fh, ebdsr = ours["fay_herriot"]["median_s"], ours["eb_plus_dsr"]["median_s"]
    ok = fh <= TARGET_FH and ebdsr <= TARGET_EB_DSR
    print(f"fay_herriot, {ours['fh_fits']} fits / {ours['fh_rows']} rows: median {fh:.4f} s "
          f"(target <= {TARGET_FH} s: {'met' if fh <= TARGET_FH else 'NOT MET'})")
    print(f"empirical_bayes_rates (3-year pooling): median {ours['empirical_bayes']['median_s']:.4f} s")
    print(f"direct_standardised_rates: median {ours['standardise']['median_s']:.4f} s")
    print(f"EB + standardisation together: median {ebdsr:.4f} s "
          f"(target <= {TARGET_EB_DSR} s: {'met' if ebdsr <= TARGET_EB_DSR else 'NOT MET'})")
    print(f"rank_intervals (4,000 draws) on the graded FH table: median {ours['rank_intervals']['median_s']:.4f} s")
    page = time_page(args.repeats)
    if page is not None:
        print(f"page 01 district tables (sample register, 17 districts, graded, ranked): median "
              f"{page['median_s']:.4f} s")
    report = {"ours": ours, "page": page, "repeats": args.repeats}
    if not args.skip_r:
        with tempfile.TemporaryDirectory() as tmpdir:
            r = time_r(direct, register, args.r_repeats, Path(tmpdir))
        if r is None:
            print("R: Rscript with metafor, epitools and spdep not available; skipped")
        else:
            report["r"] = r
            v = r["versions"]
            for key, ours_key, what in (("fh", "fay_herriot", f"metafor {v['metafor']} rma(REML) + blup"),
                                        ("dsr", "standardise", f"epitools {v['epitools']} ageadjust.direct"),
                                        ("eb", "empirical_bayes", f"spdep {v['spdep']} EBest")):
                med = statistics.median(r["times"][key])
                ratio = med / ours[ours_key]["median_s"]
                report[f"ratio_{key}"] = ratio
                print(f"R {v['R']} {what}: median {med:.4f} s over {args.r_repeats} runs; "
                      f"R/ours = {ratio:.2f}")
    else:
        print("R: skipped (--skip-r)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
