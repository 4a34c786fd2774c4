"""Offences per person in the reporting year: the bands 1, 2–3, 4–9, 10+ and the threshold series."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from salto_analysis import stats

from .panel import BANDS, OffenderPanel, check_level, check_parameters, link, make_table, proportion, threshold_label

__all__ = ["band_table", "threshold_series"]


# --------------------------------------------------------------------------------------
# 1. offences per person
# --------------------------------------------------------------------------------------
def band_table(panel: OffenderPanel, year: int, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Suspects of ``year`` by number of offences in the year, bands 1, 2–3, 4–9, 10+.

    Proportion table: ``numerator`` persons in the band, ``denominator`` all suspects aged
    ``age_min..age_max`` registered in the year; Wilson intervals (Brown, Cai & DasGupta 2001).
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    counts = panel.counts(year)
    n = len(counts)
    num = np.array([((counts >= lo) & (counts <= (hi if hi is not None else np.inf))).sum() for _, lo, hi in BANDS])
    frame = pd.DataFrame({"offence_band": pd.Categorical([b[0] for b in BANDS], categories=[b[0] for b in BANDS],
                                                         ordered=True),
                          "numerator": num, "denominator": np.full(len(BANDS), n)})
    frame = frame.assign(**proportion(frame["numerator"], frame["denominator"], level))
    return make_table(frame, groups=["offence_band"], kind="proportion", measure="cohorts.measure.share_of_suspects",
                  unit="proportion", method="Wilson score interval", confidence_level=level, year=year,
                  link=link("bands", year=year), synthetic=panel.synthetic)


def threshold_series(panel: OffenderPanel, year: int, thresholds: Sequence[int], *, n_years: int = 10,
                     confidence_level: float = 0.95) -> pd.DataFrame:
    """Persons at or above each threshold, for each of the ``n_years`` years up to ``year``.

    Count table (``offence_threshold``, ``year``) with Garwood exact Poisson intervals: the
    series the SaLTo reports publish (for example 217 persons with 4+ and 49 with 10+ in 2023).
    Years before the register starts are left out (the fact ``years_missing``).
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    thresholds, _, _ = check_parameters(thresholds=list(thresholds))
    if not isinstance(n_years, (int, np.integer)) or n_years < 1:
        raise ValueError(f"n_years={n_years!r} must be a whole number of at least 1")
    years = [y for y in range(year - n_years + 1, year + 1) if y >= panel.first_year]
    py = panel.person_year
    py = py[py["year"].between(years[0], year) & (py["offences"] > 0)]
    rows = []
    for t in thresholds:
        per_year = py.loc[py["offences"] >= t].groupby("year").size().reindex(years, fill_value=0)
        rows.append(pd.DataFrame({"offence_threshold": threshold_label(t), "year": years,
                                  "count": per_year.to_numpy()}))
    frame = pd.concat(rows, ignore_index=True)
    frame["offence_threshold"] = pd.Categorical(frame["offence_threshold"],
                                                categories=[threshold_label(t) for t in thresholds], ordered=True)
    low, high = stats.poisson_ci(frame["count"].to_numpy(float), confidence_level=level)
    frame["estimate"] = frame["count"].astype(float)
    frame["ci_low"], frame["ci_high"] = low, high
    return make_table(frame, groups=["offence_threshold", "year"], kind="count",
                  measure="cohorts.measure.persons", unit="persons", method="Garwood exact Poisson interval",
                  confidence_level=level, nonadditive=["offence_threshold", "year"], year=year,
                  years_missing=[y for y in range(year - n_years + 1, year + 1) if y < panel.first_year],
                  link=link("series", year=year, column="offence_threshold"), synthetic=panel.synthetic)
