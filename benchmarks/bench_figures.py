"""Benchmark: what an accessible figure costs to show in a notebook (issue 12, items 5 and 8).

What is timed (median of ``--repeats`` rounds, the ways taken in turn by ``_common.alternate``)
on three figures of the briefing's kinds, built once from small graded tables:
a line chart (4 series x 10 years), a funnel plot (15 labelled districts) and a
Kaplan–Meier curve (2 groups x 96 monthly steps with a number-at-risk row):

* ``now``: what a notebook renders per figure now, ``Chart._repr_mimebundle_()`` (what
  ``_ipython_display_`` publishes: one 2x PNG without title, stored with a 256-colour
  palette, the HTML with the alt text and the data table);
* ``before``: what it rendered before issue 12, IPython's inline backend PNG
  (``IPython.core.pylabtools.print_figure(fig, "png", bbox_inches="tight")``, 1x); the
  accessible figure no longer pays for it (``_ipython_display_`` bypasses the backend);
* ``full_colour``: the bundle with a full-colour PNG (``png(palette=False)``), the peer of
  the palette step.

The byte sizes of the two PNGs of the page are printed too.

Run:  .venv/bin/python benchmarks/bench_figures.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import alternate  # noqa: E402


def figures():
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    import pandas as pd

    from salto_analysis import plots
    from salto_analysis.estimates import estimate_table

    def graded(frame, groups, kind, unit="x", **attrs):
        t = estimate_table(frame, groups=groups, kind=kind, measure="bench", unit=unit, method="bench",
                           confidence_level=0.95, **attrs)
        t.attrs.update({"graded": True, "policy": {"min_count": 5, "lang": "nb"}})
        return t

    years = list(range(2016, 2026))
    rows = [(y, g, 20.0 + 10 * k + (y - 2016) * 0.8) for k, g in enumerate(["10-14", "15-17", "18-22", "total"])
            for y in years]
    line = graded(pd.DataFrame({"year": [r[0] for r in rows], "age_group": [r[1] for r in rows],
                                "count": 500, "exposure": 20000.0, "estimate": [r[2] for r in rows],
                                "ci_low": [r[2] - 2 for r in rows], "ci_high": [r[2] + 2 for r in rows],
                                "flag": "ok", "flag_reason": pd.NA}), ["year", "age_group"], "rate", scale=1000)
    rng = np.random.default_rng(1)
    expo = rng.integers(3000, 8000, 15).astype(float)
    rate = rng.normal(38, 8, 15)
    funnel = graded(pd.DataFrame({"district": [f"Bydel {k}" for k in range(15)], "count": np.round(rate * expo / 1000),
                                  "exposure": expo, "estimate": rate, "ci_low": rate * 0.85, "ci_high": rate * 1.15,
                                  "flag": "ok", "flag_reason": pd.NA}), ["district"], "rate", scale=1000)
    months = np.arange(1, 97)
    km_rows = []
    for g, n in (("10–14", 3000), ("15–17", 1500)):
        s = 1 - 0.7 * (1 - np.exp(-months / 30))
        for m, v in zip(months, s):
            km_rows.append((g, m, int(n * v), n, 1 - v))
    km = graded(pd.DataFrame({"group": [r[0] for r in km_rows], "months": [r[1] for r in km_rows],
                              "n_at_risk": [r[2] for r in km_rows], "denominator": [r[3] for r in km_rows],
                              "estimate": [r[4] for r in km_rows], "ci_low": [r[4] * 0.95 for r in km_rows],
                              "ci_high": [min(r[4] * 1.05, 1) for r in km_rows], "flag": "ok",
                              "flag_reason": pd.NA}), ["group", "months"], "summary", unit="proportion")
    return {
        "line": plots.estimates(line, "year", group="age_group", kind="line", title="Linje"),
        "funnel": plots.funnel(funnel, label="district", title="Trakt"),
        "survival": plots.survival(km, time="months", group="group", start=0.0, percent=True,
                                   at_times=list(range(0, 97, 12)), title="KM"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    from IPython.core.pylabtools import print_figure

    print(f"load average: {os.getloadavg()}")
    print("| figure | now (bundle: 2x palette PNG + HTML) | before (inline 1x PNG) | now / before | "
          "bundle with full-colour PNG | page PNG: palette / full colour |")
    print("|---|---|---|---|---|---|")
    for name, fig in figures().items():
        times = alternate({
            "now": fig._repr_mimebundle_,
            "before": lambda fig=fig: print_figure(fig, "png", bbox_inches="tight"),
            "full_colour": lambda fig=fig: fig.to_html(fig.png(captions=False, palette=False)),
        }, args.repeats)
        med = {k: statistics.median(v) for k, v in times.items()}
        small, full = len(fig.png(captions=False)), len(fig.png(captions=False, palette=False))
        print(f"| {name} | {med['now'] * 1000:.0f} ms | {med['before'] * 1000:.0f} ms | "
              f"{med['now'] / med['before']:.2f} | {med['full_colour'] * 1000:.0f} ms | "
              f"{small / 1000:.0f} kB / {full / 1000:.0f} kB |")


if __name__ == "__main__":
    main()
