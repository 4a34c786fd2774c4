"""Registered youth crime: yearly counts, rates, changes and trends (notebook 01, issue 4).

Every result is an estimate table (:mod:`salto_analysis.estimates`), graded by
:func:`salto_analysis.reliability.grade`; :mod:`salto_analysis.trends.page` assembles
the notebook's tables, titles, sentences and figures, and
:mod:`salto_analysis.trends.districts` the district comparison.

The counts come from :func:`salto_analysis.trends.counts.select` (re-exported here as
:func:`select`), which states the counting conventions: a **registered case** is a
distinct ``case_id`` with at least one suspect aged 10–22 in the group; **unique
suspects** and **victims** are distinct persons, once per year, in the age group of their
first registration that year; **rates** are per 1,000 residents of the same age group
in the same year. Registered crime reflects police activity and the public's reporting
as well as behaviour; a change in the figures is not by itself a change in offending.

Methods
-------
* Counts and rates: Garwood exact Poisson intervals (:func:`salto_analysis.stats.rate_table`).
* Change from the previous year, and from the three previous years pooled (the
  reference rate is the three years' events over their summed population, i.e. the
  population-weighted average rate): rate ratio with the exact conditional interval
  and two-sided p-value of R ``poisson.test`` (:func:`salto_analysis.change.count_change`;
  ``docs/methods.md#rate-ratio``).
* Trend over the period: Poisson regression of the yearly counts on the year with a
  log-population offset (:func:`salto_analysis.change.poisson_trend`), the annual rate
  ratio and annual percent change. Where the Pearson dispersion exceeds 1 the
  quasi-Poisson covariance is used instead (dispersion never assumed below 1), because
  repeat offenders, co-offending and series make counts overdispersed
  (``docs/methods.md#over-dispersion``). Counts of cases are more exposed to this than
  counts of persons.
* Offence shares (share of cases of each type, share committed in a group, share with
  an online modus): Wilson intervals (Brown, Cai & DasGupta 2001).
* Victims: yearly change for every year of the period, Benjamini–Hochberg adjusted
  across the table (Benjamini & Hochberg 1995).

No function here returns a person-level row or an identifier: :class:`Selection`
holds only aggregated counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from salto_analysis import change, schemas, stats
from salto_analysis.estimates import estimate_table, meta_of, with_facts, with_meta

from .counts import COUNTED, REFERENCE_YEARS, TOTAL, Selection, row_accounting, select

__all__ = [
    "COUNTED",
    "TOTAL",
    "REFERENCE_YEARS",
    "Selection",
    "select",
    "row_accounting",
    "series",
    "level",
    "year_change",
    "trend",
    "offence_types",
    "offence_modus",
    "victim_change",
]

_ASPECTS = ("group", "online")
_PER = 1000


# --------------------------------------------------------------------------------------
# yearly tables
# --------------------------------------------------------------------------------------
def _frame(selection: Selection, counted: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Counts with their population for ``counted`` × ``years`` × age groups."""
    bad = [c for c in counted if c not in COUNTED]
    if bad or not counted:
        raise ValueError(f"counted={list(counted)!r} must list some of {', '.join(COUNTED)}")
    f = selection.counts[selection.counts["counted"].isin(counted) & selection.counts["year"].isin(years)]
    f = f.merge(selection.population, on=["year", "age_group"], how="left", validate="many_to_one")
    f["counted"] = f["counted"].cat.remove_unused_categories()
    return f


def series(selection: Selection, counted: Sequence[str] = ("cases", "suspects"), *,
           confidence_level: float = 0.95) -> pd.DataFrame:
    """Counts and rates per 1,000 residents of the same age group, per year of the period.

    Estimate table of kind ``rate`` (Garwood exact intervals) with groups ``counted``,
    ``age_group`` (the chosen groups and :data:`TOTAL`) and ``year``; ``count`` is the
    number of cases or persons, ``exposure`` the population. ``counted`` is
    non-additive (cases and persons are different units) for secondary suppression.
    """
    f = _frame(selection, counted, selection.years)
    return stats.rate_table(f, count="count", exposure="population", per=_PER,
                            groups=["counted", "age_group", "year"], confidence_level=confidence_level,
                            measure="rate per 1,000 residents of the same age", nonadditive=["counted"],
                            synthetic=selection.synthetic)


def level(graded_series: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of one ``year`` of a (graded) :func:`series` table, without the ``year`` column.

    Taking the headline from the graded series keeps the suppression of the two
    tables identical, so that neither reveals a cell the other hides.
    """
    if "year" not in graded_series.columns:
        raise ValueError("graded_series must be a series() table with a 'year' column")
    if year not in set(graded_series["year"]):
        raise ValueError(f"year={year!r} is not in the series ({sorted(set(graded_series['year']))})")
    out = graded_series[graded_series["year"] == year].drop(columns="year").reset_index(drop=True)
    out = with_meta(out, meta_of(graded_series), groups=tuple(g for g in meta_of(graded_series).groups if g != "year"))
    return with_facts(out, year=year)


def year_change(selection: Selection, counted: Sequence[str] = ("cases", "suspects"), *,
                reference: str = "previous", confidence_level: float = 0.95) -> pd.DataFrame:
    """Change in the rate per 1,000 from the reference to the reporting year, by age group.

    ``reference="previous"`` compares with the previous year, ``"mean"`` with the
    :data:`REFERENCE_YEARS` previous years pooled (their events over their summed
    population). Rate ratio with the exact conditional interval and p-value of R
    ``poisson.test`` (:func:`salto_analysis.change.count_change`), and the percent
    change. Estimate table of kind ``ratio``: ``count`` and ``exposure`` of the year,
    ``count_ref`` and ``exposure_ref`` of the reference, ``estimate`` (rate ratio),
    ``ci_low``, ``ci_high``, ``p_value``, ``percent_change``, ``percent_low``,
    ``percent_high``. Counts of cases are overdispersed, so their intervals are too narrow.
    """
    if reference not in ("previous", "mean"):
        raise ValueError(f"reference={reference!r} must be 'previous' or 'mean'")
    ref_years = (selection.previous_year,) if reference == "previous" else selection.reference_years
    if not selection.covers(ref_years):
        raise ValueError(f"reference={reference!r} compares with {', '.join(map(str, ref_years))}, but the register "
                         f"starts in {selection.first_data_year}; check selection.covers() first")
    f = _frame(selection, counted, (selection.year, *ref_years))
    now = f[f["year"] == selection.year].set_index(["counted", "age_group"])[["count", "population"]]
    ref = f[f["year"].isin(ref_years)].groupby(["counted", "age_group"], observed=True)[["count", "population"]].sum()
    ref = ref.reindex(now.index)
    r = change.count_change(now["count"].to_numpy(float), ref["count"].to_numpy(float),
                            now["population"].to_numpy(float), ref["population"].to_numpy(float),
                            confidence_level=confidence_level)
    out = now.index.to_frame(index=False)
    out["count"], out["count_ref"] = now["count"].to_numpy(), ref["count"].to_numpy()
    out["exposure"], out["exposure_ref"] = now["population"].to_numpy(), ref["population"].to_numpy()
    out["estimate"], out["ci_low"], out["ci_high"], out["p_value"] = r.estimate, r.ci_low, r.ci_high, r.p_value
    for k, v in r.extra.items():
        out[k] = v
    return estimate_table(out, groups=["counted", "age_group"], kind="ratio",
                          measure="change in the rate per 1,000", unit="rate ratio",
                          method="exact conditional rate ratio (R poisson.test), population offsets",
                          confidence_level=confidence_level, year=selection.year, reference_years=list(ref_years),
                          nonadditive=["counted"], synthetic=selection.synthetic)


def trend(selection: Selection, counted: Sequence[str] = ("cases", "suspects"), *,
          confidence_level: float = 0.95) -> pd.DataFrame:
    """Trend over the period: annual rate ratio and annual percent change, by age group.

    Poisson GLM of the yearly counts on the year with a log-population offset
    (:func:`salto_analysis.change.poisson_trend`); where the Pearson dispersion is above 1
    (and at least three years allow estimating it) the quasi-Poisson row replaces the
    Poisson one, so the dispersion is never taken to be below 1. Estimate table of kind
    ``ratio``: ``count`` (events over the period), ``estimate`` (rate ratio per year),
    ``ci_low``, ``ci_high``, ``se``, ``p_value`` (test of no trend), ``percent_change``
    (annual, with ``percent_low``/``percent_high``), ``dispersion``, ``n_periods``, and
    ``quasi`` (whether the quasi-Poisson row was used).
    """
    f = _frame(selection, counted, selection.years)
    kw = dict(time="year", count="count", exposure="population", by=["counted", "age_group"],
              confidence_level=confidence_level)
    # The slope's maximum-likelihood estimate is infinite when every event falls in the first year or
    # every event in the last year of the period (the score equation equates the count-weighted mean
    # year with the fitted one, which can only reach the ends in the limit): not estimable, so such a
    # series is not fitted at all (a fit would only report where the optimiser stopped).
    span = f[f["count"] > 0].groupby(["counted", "age_group"], observed=True)["year"].agg(["min", "max"])
    span.index = [tuple(map(str, k)) for k in span.index]
    row_keys = [(str(c), str(a)) for c, a in zip(f["counted"], f["age_group"])]
    lo, hi = span["min"].reindex(row_keys).to_numpy(float), span["max"].reindex(row_keys).to_numpy(float)
    edge_rows = (lo == hi) & np.isin(lo, [selection.years[0], selection.years[-1]])
    fit = f[~edge_rows]
    with warnings.catch_warnings():
        # statsmodels warns of "perfect prediction" whenever the fit is exact (a saturated or exactly
        # log-linear series); the one case where that means a diverging slope is left out above
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        pois = change.poisson_trend(fit, dispersion="poisson", **kw) if len(fit) else None
        # the quasi-Poisson row is used only where the Pearson dispersion (the same in both fits)
        # exceeds 1, so only those series are refitted (an exact fit has dispersion 0, no quasi scale)
        over = set() if pois is None else {(str(c), str(a)) for c, a, d in
                                           zip(pois["counted"], pois["age_group"], pois["dispersion"]) if d > 1}
        fit = fit[[(str(c), str(a)) in over for c, a in zip(fit["counted"], fit["age_group"])]]
        quasi = change.poisson_trend(fit, dispersion="quasi", **kw) if len(fit) else None
    cols = ["estimate", "ci_low", "ci_high", "se", "p_value", "percent_change", "percent_low", "percent_high"]
    groups = f.groupby(["counted", "age_group"], observed=True, sort=True).agg(count=("count", "sum"),
                                                                              n_periods=("year", "size"))
    groups = groups.reset_index()
    keys = [(str(c), str(a)) for c, a in zip(groups["counted"], groups["age_group"])]

    def by_key(table: pd.DataFrame | None, column: str) -> np.ndarray:
        if table is None:
            return np.full(len(keys), np.nan)
        values = dict(zip(((str(c), str(a)) for c, a in zip(table["counted"], table["age_group"])), table[column]))
        return np.array([values.get(k, np.nan) for k in keys], dtype=float)

    out = groups[["counted", "age_group"]].copy()
    out["count"] = groups["count"].to_numpy()
    for c in ("estimate", "ci_low", "ci_high", "se", "p_value"):
        out[c] = by_key(pois, c)
    out["n_periods"] = groups["n_periods"].to_numpy()
    out["dispersion"] = by_key(pois, "dispersion")
    for c in ("percent_change", "percent_low", "percent_high"):
        out[c] = by_key(pois, c)
    use_quasi = (by_key(quasi, "dispersion") > 1) & np.isfinite(by_key(quasi, "estimate"))
    for c in cols:
        out.loc[use_quasi, c] = by_key(quasi, c)[use_quasi]
    out["quasi"] = use_quasi
    out["count"] = out["count"].astype("int64")
    for col in ("counted", "age_group"):
        out[col] = pd.Categorical(out[col].astype(object), categories=f[col].cat.categories, ordered=True)
    return estimate_table(out, groups=["counted", "age_group"], kind="ratio",
                          measure="annual change in the rate per 1,000", unit="rate ratio per year",
                          method="Poisson GLM with log(population) offset; quasi-Poisson (Pearson scale, t interval) "
                                 "where the dispersion exceeds 1",
                          confidence_level=confidence_level, first_year=selection.years[0], last_year=selection.year,
                          nonadditive=["counted"], synthetic=selection.synthetic)


def victim_change(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Registered victims: change in the rate per 1,000 from each year to the next, by age group.

    For every year of the period after the first, the rate ratio to the year before with
    the exact conditional interval (:func:`salto_analysis.change.count_change`), and the
    p-values adjusted across the whole table with Benjamini–Hochberg
    (:func:`salto_analysis.change.adjust_pvalues`). Kind ``ratio``, groups ``age_group``
    and ``year`` (the later year), columns as :func:`year_change` plus ``p_adjusted``.
    """
    f = _frame(selection, ("victims",), selection.count_years)
    years = [y for y in selection.years if y - 1 in selection.count_years]
    now = f[f["year"].isin(years)].copy()
    before = f.assign(year=f["year"] + 1)[["year", "age_group", "count", "population"]]
    m = now.merge(before, on=["year", "age_group"], suffixes=("", "_ref"), how="left", validate="one_to_one")
    r = change.count_change(m["count"].to_numpy(float), m["count_ref"].to_numpy(float),
                            m["population"].to_numpy(float), m["population_ref"].to_numpy(float),
                            confidence_level=confidence_level)
    out = m[["age_group", "year", "count", "count_ref"]].copy()
    out["exposure"], out["exposure_ref"] = m["population"].to_numpy(), m["population_ref"].to_numpy()
    out["estimate"], out["ci_low"], out["ci_high"], out["p_value"] = r.estimate, r.ci_low, r.ci_high, r.p_value
    for k, v in r.extra.items():
        out[k] = v
    out = out.sort_values(["age_group", "year"], ignore_index=True)
    table = estimate_table(out, groups=["age_group", "year"], kind="ratio",
                           measure="change in victims per 1,000 from the year before", unit="rate ratio",
                           method="exact conditional rate ratio (R poisson.test), population offsets; "
                                  "Benjamini-Hochberg adjusted p-values",
                           confidence_level=confidence_level, synthetic=selection.synthetic)
    return change.adjust_pvalues(table, method="fdr_bh")


# --------------------------------------------------------------------------------------
# offence types
# --------------------------------------------------------------------------------------
def _types() -> list[str]:
    return list(schemas.OFFENCE_TYPE)


def offence_types(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Cases of the reporting year by offence type: the share of all cases, Wilson interval.

    Kind ``proportion``; ``numerator`` is the number of cases of the type, ``denominator``
    all cases of the year (with a suspect in the chosen age groups). Each case has one
    main offence type, so the numerators add up to the denominator.
    """
    t = selection.case_types
    n = t.groupby("offence_type", observed=True)["count"].sum().reindex(_types(), fill_value=0)
    f = pd.DataFrame({"offence_type": pd.Categorical(_types(), categories=_types(), ordered=True),
                      "numerator": n.to_numpy(dtype="int64"), "denominator": int(t["count"].sum())})
    return stats.proportion_table(f, numerator="numerator", denominator="denominator", groups=["offence_type"],
                                  confidence_level=confidence_level, measure="share of all cases",
                                  year=selection.year, synthetic=selection.synthetic)


def offence_modus(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of the reporting year's cases committed in a group, and with an online modus, by type.

    ``aspect`` ``group``: cases with two or more distinct suspects (the loader's
    ``group_offence``) among all cases of the type. ``aspect`` ``online``: cases with an
    online modus among the cases of the type whose ``online`` status is known; cases
    with unknown status are left out of that denominator and counted in
    the fact ``online_unknown``. Rows for each offence type and the total (:data:`TOTAL`).
    Kind ``proportion`` with Wilson intervals; ``aspect`` is non-additive.
    """
    t = selection.case_types
    types = _types()
    rows = []
    for aspect in _ASPECTS:
        if aspect == "group":
            num = t[t["group_offence"]].groupby("offence_type", observed=True)["count"].sum()
            den = t.groupby("offence_type", observed=True)["count"].sum()
        else:
            known = t[t["online"].notna()]
            num = known[known["online"].astype(bool)].groupby("offence_type", observed=True)["count"].sum()
            den = known.groupby("offence_type", observed=True)["count"].sum()
        num, den = num.reindex(types, fill_value=0), den.reindex(types, fill_value=0)
        rows.append(pd.DataFrame({"aspect": aspect, "offence_type": [*types, TOTAL],
                                  "numerator": [*num.to_numpy(), num.sum()],
                                  "denominator": [*den.to_numpy(), den.sum()]}))
    f = pd.concat(rows, ignore_index=True)
    f["aspect"] = pd.Categorical(f["aspect"], categories=_ASPECTS, ordered=True)
    f["offence_type"] = pd.Categorical(f["offence_type"], categories=[*types, TOTAL], ordered=True)
    f = f.astype({"numerator": "int64", "denominator": "int64"})
    unknown = int(t.loc[t["online"].isna(), "count"].sum())
    return stats.proportion_table(f, numerator="numerator", denominator="denominator",
                                  groups=["aspect", "offence_type"], confidence_level=confidence_level,
                                  measure="share of cases", nonadditive=["aspect"], online_unknown=unknown,
                                  year=selection.year, synthetic=selection.synthetic)
