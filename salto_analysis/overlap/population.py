"""Stage 2: victims and non-victims compared against the population of the same ages.

The 2×2 table victim / not victim × suspect / not suspect (:func:`two_by_two`) takes the
**population of the same ages** as denominator: the persons not registered are
``population − registered``. Two approximations, stated in the notebook: the population
counts residents at one date (1 January of ``year``) while the window spans several
years, so more young people pass through these ages than the file shows. This
undercounts the non-victims, which pulls the odds ratio towards 1. Registered persons
may also live elsewhere: only persons whose home district is in the population file (and
whose sex is registered, as the population is by sex) are counted, and :func:`coverage`
says how many were left out.

:func:`relative_odds`: the odds ratio has Woolf's logit interval and, when a cell is
small (under ``exact_below``), the exact conditional (Cornfield) interval
(:func:`salto_analysis.stats.odds_ratio`); the risk ratio P(S | V) / P(S | not V) has
the Katz log interval (:func:`salto_analysis.stats.risk_ratio`). :func:`suspect_shares` gives the two
shares behind them. These are associations in registered data, not causes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import schemas, stats
from salto_analysis.estimates import estimate_table

from .selection import TOTAL, Selection

__all__ = ["EXACT_BELOW", "two_by_two", "coverage", "suspect_shares", "relative_odds"]

#: The exact conditional odds-ratio interval is computed when the smallest cell of the
#: 2×2 table is below this. With every cell at 100 or more Woolf's interval agrees
#: with it closely, and the exact one is slow for large tables.
EXACT_BELOW = 100


def _population_year(population: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    need = ("year", "district", "sex", "age", "population")
    missing = [c for c in need if c not in population.columns]
    if missing:
        raise ValueError(f"the population lacks column(s) {missing}; load it with salto_analysis.io.load_population")
    years = population["year"].to_numpy(dtype="float64", na_value=np.nan)
    pop = population[years == selection.year]
    if pop.empty:
        have = sorted({int(y) for y in years[np.isfinite(years)]})
        raise ValueError(f"the population file has no rows for year={selection.year} (it has "
                         f"{', '.join(map(str, have)) or 'no years'}); the overlap needs the population of the "
                         "reporting year as denominator")
    age = pop["age"].to_numpy(dtype="float64", na_value=np.nan)
    return pop[(age >= selection.age_min) & (age <= selection.age_max)]


def two_by_two(selection: Selection, population: pd.DataFrame) -> pd.DataFrame:
    """The 2×2 counts of victims × suspects against the population, overall and by sex.

    One row per ``sex`` (``total``, ``female``, ``male``) with ``population`` (residents
    aged ``age_min..age_max`` on 1 January of ``year``), ``registered`` (S ∪ V with a
    home district in the population file and a registered sex), ``victims``,
    ``suspects``, ``both``, and the cells ``a`` (victim and suspect), ``b`` (victim
    only), ``c`` (suspect only) and ``d`` (neither = population − registered), plus, in
    the ``total`` row, ``left_out_district`` (registered persons whose home district is
    not in the population file) and ``left_out_sex`` (persons with a district in it but
    no registered sex). Persons without a sex are left out of the total too, so that the
    total is the sum of the sexes, as in the population file.

    Raises ``ValueError`` when more persons are registered than live in a group.
    """
    pop = _population_year(population, selection)
    p = selection.persons
    pop_districts = set(pop["district"].astype("object").dropna().unique())
    in_pop = p["district"].astype("object").isin(pop_districts).to_numpy()
    sex = p["sex"].astype("object")
    usable = in_pop & sex.notna().to_numpy()
    rows = []
    for level in (TOTAL, *schemas.SEX):
        sel = usable if level == TOTAL else usable & (sex == level).to_numpy()
        q = p[sel]
        n = int(pop["population"].sum() if level == TOTAL
                else pop.loc[pop["sex"].astype("object") == level, "population"].sum())
        s, v = int(q["suspect"].sum()), int(q["victim"].sum())
        b = int((q["suspect"] & q["victim"]).sum())
        registered = len(q)
        if registered > n:
            raise ValueError(f"{registered} persons registered in the window ({level}) but only {n} residents aged "
                             f"{selection.age_min}-{selection.age_max} in the population file for {selection.year}; "
                             "the population file does not match the register")
        rows.append({"sex": level, "population": n, "registered": registered, "victims": v, "suspects": s,
                     "both": b, "a": b, "b": v - b, "c": s - b, "d": n - registered,
                     "left_out_district": int((~in_pop).sum()) if level == TOTAL else 0,
                     "left_out_sex": int((in_pop & ~usable).sum()) if level == TOTAL else 0})
    out = pd.DataFrame(rows)
    out["sex"] = pd.Categorical(out["sex"], categories=[TOTAL, *schemas.SEX], ordered=True)
    return out


def coverage(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Registered persons left out of the comparison with the population, as shares.

    ``left_out`` ``district_not_in_population``: persons (S ∪ V) whose home district is not
    in the population file (unknown district, or living outside Oslo), out of all
    registered persons; ``sex_unknown`` (only when there are any): persons with such a
    district but without a registered sex, out of those with such a district. Both are
    left out of the comparison (:func:`two_by_two`). Wilson intervals, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    t = two_by_two(selection, population).iloc[0]
    total = len(selection.persons)
    rows = [{"left_out": "district_not_in_population", "numerator": int(t["left_out_district"]),
             "denominator": total}]
    if t["left_out_sex"] > 0:
        rows.append({"left_out": "sex_unknown", "numerator": int(t["left_out_sex"]),
                     "denominator": total - int(t["left_out_district"])})
    data = pd.DataFrame(rows)
    data["left_out"] = pd.Categorical(data["left_out"], categories=["district_not_in_population", "sex_unknown"],
                                    ordered=True)
    return stats.proportion_table(data, numerator="numerator", denominator="denominator", groups=["left_out"],
                                  confidence_level=confidence_level, measure="overlap_coverage",
                                  nonadditive=["left_out"], synthetic=selection.synthetic)


def suspect_shares(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """P(suspect | victim) and P(suspect | not victim), overall and by sex (the figure's numbers).

    ``victim_status`` ``victim``: numerator ``a`` (victims who were suspects), denominator
    victims; ``not_victim``: numerator ``c`` (suspects who were not victims), denominator
    ``population − victims``. Wilson intervals, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    t = two_by_two(selection, population)
    parts = [
        pd.DataFrame({"sex": t["sex"], "victim_status": "victim", "numerator": t["a"], "denominator": t["victims"]}),
        pd.DataFrame({"sex": t["sex"], "victim_status": "not_victim", "numerator": t["c"],
                      "denominator": t["c"] + t["d"]}),
    ]
    data = pd.concat(parts, ignore_index=True)
    data["victim_status"] = pd.Categorical(data["victim_status"], categories=["victim", "not_victim"], ordered=True)
    return stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                  groups=["sex", "victim_status"], confidence_level=confidence_level,
                                  measure="overlap_suspect_shares", synthetic=selection.synthetic)


def relative_odds(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95,
                  exact_below: int = EXACT_BELOW) -> pd.DataFrame:
    """Odds ratio and risk ratio of being a suspect for victims against non-victims.

    For each ``sex`` (``total``, ``female``, ``male``) of :func:`two_by_two`,
    ``ratio_type`` is

    * ``odds_ratio_woolf``: ``(a·d)/(b·c)`` with Woolf's logit interval and z-test;
    * ``odds_ratio_exact``: conditional maximum-likelihood estimate, exact conditional
      (Cornfield) interval and Fisher's exact test, as R ``fisher.test``; only when the
      smallest cell is below ``exact_below`` (default :data:`EXACT_BELOW`);
    * ``risk_ratio``: P(S | V) / P(S | not V) with the Katz log interval.

    Columns: ``numerator`` = ``a`` and ``denominator`` = victims (the exposed group),
    ``numerator_ref`` = ``c`` and ``denominator_ref`` = non-victims, and ``count`` /
    ``count_ref`` repeating ``a`` and ``c``: :func:`salto_analysis.reliability.grade`
    grades a ratio on the smallest cell of its 2×2 table (fewer than 10 → suppress,
    fewer than 20 → uncertain) and on its group sizes (the denominators). Kind ``ratio``.
    The ratios describe association in registered data, not cause.
    """
    level = stats.check_confidence_level(confidence_level)
    if isinstance(exact_below, bool) or not isinstance(exact_below, (int, np.integer)) or exact_below < 0:
        raise ValueError(f"exact_below={exact_below!r} must be a whole number >= 0")
    t = two_by_two(selection, population)
    a, b, c, d = (t[k].to_numpy(dtype=float) for k in ("a", "b", "c", "d"))
    tables = np.stack([np.stack([a, b], axis=-1), np.stack([c, d], axis=-1)], axis=-2)  # (k, 2, 2)
    woolf = stats.odds_ratio(tables, confidence_level=level, method="woolf")
    rr = stats.risk_ratio(a, a + b, c, c + d, confidence_level=level)
    base = pd.DataFrame({"sex": t["sex"].astype("object"), "numerator": t["a"], "denominator": t["a"] + t["b"],
                         "numerator_ref": t["c"], "denominator_ref": t["c"] + t["d"], "count": t["a"],
                         "count_ref": t["c"]})
    parts = [base.assign(ratio_type="odds_ratio_woolf", estimate=woolf.estimate, ci_low=woolf.ci_low,
                         ci_high=woolf.ci_high, p_value=woolf.p_value)]
    small = tables.reshape(len(t), 4).min(axis=1) < exact_below
    if small.any():
        exact = stats.odds_ratio(tables[small], confidence_level=level, method="exact")
        parts.append(base[small].assign(ratio_type="odds_ratio_exact", estimate=exact.estimate, ci_low=exact.ci_low,
                                        ci_high=exact.ci_high, p_value=exact.p_value))
    parts.append(base.assign(ratio_type="risk_ratio", estimate=rr.estimate, ci_low=rr.ci_low, ci_high=rr.ci_high,
                             p_value=rr.p_value))
    data = pd.concat(parts, ignore_index=True)
    data["sex"] = pd.Categorical(data["sex"], categories=[TOTAL, *schemas.SEX], ordered=True)
    data["ratio_type"] = pd.Categorical(data["ratio_type"],
                                       categories=["odds_ratio_woolf", "odds_ratio_exact", "risk_ratio"],
                                       ordered=True)
    data = data.sort_values(["sex", "ratio_type"], kind="stable").reset_index(drop=True)
    return estimate_table(data, groups=["sex", "ratio_type"], kind="ratio", measure="overlap_relative_odds",
                          unit="ratio", method="Woolf logit; exact conditional (Cornfield) when a cell < "
                          f"{exact_below}; Katz log for the risk ratio", confidence_level=level,
                          synthetic=selection.synthetic, exact_below=int(exact_below))
