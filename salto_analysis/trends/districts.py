"""Registered suspects by home district compared with the city (notebook 01, issue 4, section 4).

The unit is the **unique suspect** of the reporting year (each person once, with the
home district of their first registration that year; :mod:`salto_analysis.trends.counts`),
in the chosen age groups, per 1,000 residents of the same ages in the district.
Persons are used rather than cases because the home district belongs to a person (a
case with suspects from two districts would count twice) and because counts of
persons are less overdispersed than counts of offences (``docs/methods.md#over-dispersion``).

* :func:`rates`: the rate of each district (code order) and of the city, with Garwood
  exact intervals. The **city** row is every suspect with a known home district over
  the population of all districts, so it is the sum of the district rows. Suspects
  with an unknown home district ("Uoppgitt") belong to no district and are counted in
  the fact ``unknown_district``; the notebook says how many. When that number is from
  1 to ``min_count − 1`` they are counted in the city row instead
  (the fact ``city_includes_unknown``): otherwise the difference between the city row
  and the published total of suspects would reveal it. The bias is at most
  ``min_count − 1`` persons.
* :func:`ratios`: the rate ratio of each district against **the rest of the city**
  (the city without the district), so that the two counts are independent as the
  exact conditional method of R ``poisson.test`` requires (:func:`salto_analysis.stats.rate_ratio`),
  with Benjamini–Hochberg adjusted p-values across the districts
  (:func:`salto_analysis.change.adjust_pvalues`; Benjamini & Hochberg 1995).
* :func:`funnel_data`: the district rows of a graded :func:`rates` table and the city
  rate, for :func:`salto_analysis.plots.funnel` (Spiegelhalter 2005, exact Poisson
  limits at 95 % and 99.8 % around the city rate).

Districts are never ranked: rows follow the official district order (or the
crosswalk's order), whatever their values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import change, stats
from salto_analysis.policy import Policy
from salto_analysis.estimates import estimate_table, meta_of

__all__ = ["CITY", "rates", "ratios", "funnel_data"]

#: Code of the city row (labelled "Oslo", one of the policy's total labels).
CITY = "city"
_PER = 1000


def _counts(selection, min_count: int) -> tuple[pd.DataFrame, bool]:
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} must be a whole number of at least 1")
    d = selection.district_counts.merge(selection.district_population, on="district", validate="one_to_one")
    include_unknown = 0 < selection.unknown_district < min_count
    return d, include_unknown


def rates(selection, *, min_count: int = Policy.min_count, confidence_level: float = 0.95) -> pd.DataFrame:
    """Unique suspects per 1,000 residents by home district, and for the city (:data:`CITY`).

    Estimate table of kind ``rate`` with groups ``district`` (the districts in order,
    then the city): ``count``, ``exposure`` (population), ``estimate``, ``ci_low``,
    ``ci_high``. Facts: ``unknown_district``, ``city_includes_unknown``, ``year``.
    ``min_count`` is the disclosure threshold of the policy the table will be graded with
    (see the module docstring).
    """
    d, include_unknown = _counts(selection, min_count)
    order = [str(x) for x in d["district"].cat.categories]
    city = pd.DataFrame({"district": [CITY],
                         "count": [int(d["count"].sum()) + (selection.unknown_district if include_unknown else 0)],
                         "population": [int(d["population"].sum())]})
    f = pd.concat([d.astype({"district": "object"}), city], ignore_index=True)
    f["district"] = pd.Categorical(f["district"], categories=[*order, CITY], ordered=True)
    return stats.rate_table(f, count="count", exposure="population", per=_PER, groups=["district"],
                            confidence_level=confidence_level,
                            measure="unique suspects per 1,000 residents by home district",
                            unknown_district=int(selection.unknown_district),
                            city_includes_unknown=bool(include_unknown), year=selection.year,
                            total_labels=[CITY], synthetic=selection.synthetic)


def ratios(selection, *, min_count: int = Policy.min_count, confidence_level: float = 0.95) -> pd.DataFrame:
    """Rate ratio of each district against the rest of the city, with BH-adjusted p-values.

    Estimate table of kind ``ratio`` with group ``district``: ``count`` and ``exposure``
    of the district, ``count_ref`` and ``exposure_ref`` of the rest of the city (the city
    row of :func:`rates` minus the district), ``estimate`` (rate ratio), ``ci_low``,
    ``ci_high``, ``p_value``, ``p_adjusted`` (Benjamini–Hochberg across the districts)
    and the percent difference (``percent_change``, ``percent_low``, ``percent_high``).
    Adjusting happens here, before grading removes the p-values of suppressed rows.
    """
    d, include_unknown = _counts(selection, min_count)
    city_count = int(d["count"].sum()) + (selection.unknown_district if include_unknown else 0)
    city_pop = int(d["population"].sum())
    c1, e1 = d["count"].to_numpy(float), d["population"].to_numpy(float)
    c0, e0 = city_count - c1, city_pop - e1
    if (e0 <= 0).any():
        raise ValueError("the district comparison needs at least two districts with a population")
    r = change.count_change(c1, c0, e1, e0, confidence_level=confidence_level)
    out = pd.DataFrame({"district": d["district"], "count": d["count"].to_numpy(), "count_ref": c0.astype("int64"),
                        "exposure": d["population"].to_numpy(), "exposure_ref": e0.astype("int64"),
                        "estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value})
    for k, v in r.extra.items():
        out[k] = v
    table = estimate_table(out, groups=["district"], kind="ratio",
                           measure="rate ratio of the district against the rest of the city", unit="rate ratio",
                           method="exact conditional rate ratio (R poisson.test) against the rest of the city; "
                                  "Benjamini-Hochberg adjusted p-values",
                           confidence_level=confidence_level, year=selection.year,
                           unknown_district=int(selection.unknown_district),
                           city_includes_unknown=bool(include_unknown), synthetic=selection.synthetic)
    return change.adjust_pvalues(table, method="fdr_bh")


def funnel_data(graded_rates: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    """The district rows of a graded :func:`rates` table and the city rate per 1,000.

    The city row is left out of the points (it is the reference line). The rate is
    ``None`` when the city row is suppressed; :func:`salto_analysis.plots.funnel` then
    uses the pooled rate of the rows it shows. The city row is the last row.
    """
    if meta_of(graded_rates).kind != "rate" or "district" not in graded_rates.columns:
        raise ValueError("graded_rates must be a graded districts.rates() table")
    points = graded_rates.iloc[:-1].copy()
    points.attrs = dict(graded_rates.attrs)
    city = graded_rates.iloc[-1]
    reference = None if city["flag"] == "suppressed" else float(city["estimate"])
    return points, reference
