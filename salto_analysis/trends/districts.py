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
  rate, for :func:`salto_analysis.plots.funnel`.

The page compares districts with **the whole city** by one rule (issue 12): the funnel
limits of :func:`comparison` (Spiegelhalter 2005, *Stat Med* 24:1185–1202; widened for
over-dispersion when the districts differ more than chance allows,
:func:`salto_analysis.small_area.funnel_comparison`). A district is "higher" or "lower"
than Oslo when its rate lies outside the widest (99.8 %) limit at its population; the
figure, the table's ``funnel_position`` and the page's sentence all read those limits.
:func:`ratios` (against the rest of the city) stays for analysts but is not on the page.

* :func:`standardised`: direct age–sex standardised rates (to Oslo's population of the
  reporting year, :func:`salto_analysis.standardise.direct_standardised_rates`).
* :func:`smoothed`: empirical Bayes rates (Poisson–gamma,
  :func:`salto_analysis.small_area.empirical_bayes_rates`).
* :func:`side_by_side`: crude, standardised and smoothed rates of each district in one
  long table (``measure``), for the page.
* :func:`comparison`: each district's rate as a ratio to the Oslo rate, with the funnel
  limits, its position against them and the posterior of the smoothed rate (for rank
  intervals, :func:`salto_analysis.small_area.rank_intervals`).

Disclosure: districts whose count is withheld for privacy in the graded :func:`rates`
table (codes D1/D2) are left out of every model (the over-dispersion estimate, the
empirical Bayes prior), so that no published number depends on a withheld count beyond
the city total, which is published anyway.

Districts are never ranked in the row order: rows follow the official district order
(or the crosswalk's order), whatever their values; rank intervals are columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import change, small_area, standardise, stats
from salto_analysis.policy import Policy
from salto_analysis.estimates import estimate_table, meta_of, with_facts

__all__ = ["CITY", "MEASURES", "FUNNEL_LEVELS", "rates", "ratios", "funnel_data", "standardised", "smoothed",
           "side_by_side", "comparison", "used_districts"]

#: The rates of :func:`side_by_side`, in column order.
MEASURES = ("crude", "standardised", "smoothed")
#: The funnel limits (about 2 and 3 standard errors); the widest decides "higher/lower than Oslo".
FUNNEL_LEVELS = (0.95, 0.998)

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


# --------------------------------------------------------------------------------------
# standardised, smoothed, compared with the city
# --------------------------------------------------------------------------------------
def used_districts(graded_rates: pd.DataFrame) -> list[str]:
    """The districts a model may use: those of a graded :func:`rates` table not withheld for privacy.

    Withheld for privacy means ``flag_reason`` D1 or D2 (:func:`salto_analysis.disclosure.disclosed`);
    districts withheld only as too uncertain stay in (their counts are not confidential).
    """
    from salto_analysis import disclosure

    if meta_of(graded_rates).kind != "rate" or "district" not in graded_rates.columns:
        raise ValueError("graded_rates must be a graded districts.rates() table")
    gone = disclosure.disclosed(graded_rates)
    names = graded_rates["district"].astype(object).to_numpy()
    return [str(d) for d, g in zip(names[:-1], gone[:-1]) if not g]


def standardised(selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Age–sex standardised rates per 1,000 of each district and the city (:data:`CITY`), reporting year.

    :func:`salto_analysis.standardise.direct_standardised_rates` on
    ``selection.district_strata`` (the chosen age groups × sex), with Oslo's population of
    the reporting year (the sum over the districts) as the standard and the gamma interval
    with Tiwari's modification. A district where a stratum has no residents has no
    standardised rate (it is undefined there): it is left out and named in the fact
    ``not_standardised``. The city row's standardised rate equals its crude rate (it *is*
    the standard); it counts suspects with a known home district only.
    """
    strata = selection.district_strata
    if strata is None:
        raise ValueError("the selection has no district strata; make it with trends.select()")
    empty = strata.groupby("district", observed=True)["population"].min()
    skip = [str(d) for d, v in empty.items() if not v > 0]
    use = strata[~strata["district"].astype(object).isin(skip)]
    std = strata.groupby(["age_group", "sex"], observed=True)["population"].sum().rename("population").reset_index()
    if len(use) == 0 or not std["population"].sum() > 0:
        raise ValueError("no district has residents in every age group and sex; nothing to standardise")
    out = standardise.direct_standardised_rates(use, by="district", strata=("age_group", "sex"), standard=std,
                                                count="count", exposure="population", scale=_PER,
                                                total=CITY, confidence_level=confidence_level)
    return with_facts(out, not_standardised=skip, sex_unknown=int(selection.sex_unknown), year=selection.year)


def smoothed(selection, districts: list[str] | None = None, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Empirical Bayes (Poisson–gamma, Marshall 1991) rates per 1,000 of ``districts`` (default all).

    :func:`salto_analysis.small_area.empirical_bayes_rates` on the reporting year's unique
    suspects and residents by district, one year (no pooling). The prior is estimated from
    the given districts only; pass :func:`used_districts` so that districts withheld for
    privacy do not enter it.
    """
    d = selection.district_counts.merge(selection.district_population, on="district", validate="one_to_one")
    if districts is not None:
        d = d[d["district"].astype(object).isin(set(districts))]
    d = d.assign(district=d["district"].astype(object))
    return small_area.empirical_bayes_rates(d, area="district", count="count", exposure="population", scale=_PER,
                                            confidence_level=confidence_level)


def side_by_side(crude: pd.DataFrame, standard: pd.DataFrame | None, smooth: pd.DataFrame | None, *,
                 year: int, synthetic: bool = False) -> pd.DataFrame:
    """Crude, standardised and smoothed rates of every district (and the city) in one long table.

    Estimate table of kind ``rate``, groups ``district`` and ``measure`` (:data:`MEASURES`;
    ``nonadditive``: each measure is its own table for secondary suppression, the city row
    its total). Every row carries the district's ``count`` and ``exposure`` (population) of
    :func:`rates`, so grading withholds the same districts in every measure; ``estimate``,
    ``ci_low``, ``ci_high`` are the measure's rate and interval, missing where it was not
    computed (a district left out of a model, or the city's smoothed rate, which would only
    repeat its crude rate). ``crude`` is the *ungraded* :func:`rates` table (its rows and
    order); ``standard`` and ``smooth`` are :func:`standardised` and :func:`smoothed`
    (``None`` when not computed). Ungraded.
    """
    order = [str(x) for x in crude["district"].cat.categories]
    rows = []
    base = {str(r.district): r for r in crude.itertuples(index=False)}
    by_measure = {"standardised": standard, "smoothed": smooth}
    for name in order:
        r = base[name]
        rows.append((name, "crude", r.count, r.exposure, r.estimate, r.ci_low, r.ci_high))
        for m in ("standardised", "smoothed"):
            t = by_measure[m]
            hit = None
            if t is not None:
                sel = t[t["district"].astype(object) == name]
                hit = sel.iloc[0] if len(sel) else None
            if hit is None:
                if m == "smoothed" and name == CITY:
                    continue
                rows.append((name, m, r.count, r.exposure, np.nan, np.nan, np.nan))
            else:
                rows.append((name, m, r.count, r.exposure, float(hit["estimate"]), float(hit["ci_low"]),
                             float(hit["ci_high"])))
    out = pd.DataFrame(rows, columns=["district", "measure", "count", "exposure", "estimate", "ci_low", "ci_high"])
    out["district"] = pd.Categorical(out["district"], categories=order, ordered=True)
    out["measure"] = pd.Categorical(out["measure"], categories=list(MEASURES), ordered=True)
    out["count"] = pd.array(out["count"], dtype="Int64")
    out["exposure"] = pd.array(out["exposure"], dtype="Int64")
    not_std = meta_of(standard).fact("not_standardised", []) if standard is not None else []
    return estimate_table(out, groups=["district", "measure"], kind="rate", unit=f"per {_PER}",
                          measure="unique suspects per 1,000 residents by home district: crude, age-sex standardised, "
                                  "empirical Bayes",
                          method="crude: Garwood; standardised: direct, Oslo population of the year, gamma interval "
                                 "(Tiwari); smoothed: Poisson-gamma empirical Bayes (Marshall 1991)",
                          confidence_level=meta_of(crude).confidence_level, scale=_PER,
                          nonadditive=["measure"], total_labels=[CITY], year=year, synthetic=synthetic,
                          not_standardised=list(not_std))


def comparison(selection, target: float, districts: list[str], *, confidence_level: float = 0.95,
               funnel_levels=FUNNEL_LEVELS) -> pd.DataFrame:
    """Each district against the whole city: rate ratio to the Oslo rate and its funnel position.

    ``target`` is the city rate per 1,000 (the city row of :func:`rates`, all suspects with
    a known home district over all residents); ``districts`` the districts to compare
    (:func:`used_districts`). Funnel limits by
    :func:`salto_analysis.small_area.funnel_comparison` around ``target``: over-dispersion
    tested on the winsorised z-scores (χ² test at 5 %), and when present the limits widened
    by the additive random effect τ² (DerSimonian–Laird). Spiegelhalter (2005, *Qual Saf
    Health Care* 14:347–351) prefers the additive widening because it says what over-dispersion
    means here: real differences between districts beyond chance, which a multiplicative
    factor would spread over large and small districts alike.

    Estimate table of kind ``ratio`` with group ``district`` (every district, in order; the
    districts not in ``districts`` have the counts but no comparison, and the page withholds
    them):
    ``count``, ``exposure``, ``estimate`` (district rate / Oslo rate), ``ci_low``, ``ci_high``
    (the Garwood interval of the rate over the Oslo rate), ``rate`` (per 1,000), the limits
    per 1,000 (``limit_low_95`` ...), ``funnel_position`` (1 above the widest limit, −1
    below, 0 inside; numeric so grading removes it from withheld rows), and the posterior
    of the smoothed rate (``post_shape``, ``post_rate``) for rank intervals, and empty rank
    columns (``rankable``, ``rank``, ``rank_median``, ``rank_low``, ``rank_high``) that the
    page fills once the table is graded and protected. Facts: the
    funnel summary (``funnel``: target, φ, its p-value, τ², adjustment and why) and
    ``funnel_levels``.
    """
    every = selection.district_counts.merge(selection.district_population, on="district", validate="one_to_one")
    order = [str(x) for x in every["district"]]
    d = every[every["district"].astype(object).isin(set(districts))]
    d = d.assign(district=d["district"].astype(object)).reset_index(drop=True)
    levels = tuple(sorted(float(c) for c in funnel_levels))
    fc = small_area.funnel_comparison(d, kind="rate", area="district", count="count", exposure="population",
                                      target=target, scale=_PER, confidence_levels=levels,
                                      confidence_level=confidence_level)
    eb = small_area.empirical_bayes_rates(d, area="district", count="count", exposure="population", scale=_PER,
                                          confidence_level=confidence_level)
    fc = fc.set_index(fc["district"].astype(object)).reindex(order)
    eb = eb.set_index(eb["district"].astype(object)).reindex(order)
    widest = small_area._level_tag(levels[-1])
    out = pd.DataFrame({"district": pd.Categorical(order, categories=order, ordered=True),
                        "count": every["count"].to_numpy(), "exposure": every["population"].to_numpy()})
    out["estimate"] = fc["estimate"].to_numpy() / target
    out["ci_low"] = fc["ci_low"].to_numpy() / target
    out["ci_high"] = fc["ci_high"].to_numpy() / target
    out["rate"] = fc["estimate"].to_numpy()
    for c in levels:
        t = small_area._level_tag(c)
        out[f"limit_low_{t}"] = fc[f"limit_low_{t}"].to_numpy()
        out[f"limit_high_{t}"] = fc[f"limit_high_{t}"].to_numpy()
    out["funnel_position"] = fc[f"position_{widest}"].to_numpy().astype(float)
    out["post_shape"] = eb["post_shape"].to_numpy()
    out["post_rate"] = eb["post_rate"].to_numpy()
    out["rankable"] = False  # filled by salto_analysis.trends.page.rank after grading and protection
    for c in ("rank", "rank_median", "rank_low", "rank_high"):
        out[c] = np.nan
    summary = meta_of(fc).fact("funnel")
    return estimate_table(out, groups=["district"], kind="ratio", unit="ratio to the Oslo rate",
                          measure="rate of the district relative to the whole city (Oslo rate)",
                          method=meta_of(fc).method + "; ratio to the Oslo rate with the Garwood interval",
                          confidence_level=confidence_level, event_columns=["count"], area="district",
                          funnel=summary, funnel_levels=list(levels), year=selection.year,
                          synthetic=selection.synthetic, prior=meta_of(eb).fact("prior"),
                          rank_model={"distribution": "gamma", "shape": "post_shape", "rate": "post_rate"})
