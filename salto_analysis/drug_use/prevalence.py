"""Design-based shares of notebook 04: item non-response, prevalence, districts.

:func:`prevalence` gives every indicator by wave × school level (× grade) (× sex) with
:meth:`salto_analysis.survey.Design.proportion` (Taylor linearisation, R ``survey``), one
pass per indicator and level of detail. School-level subtotals (``grade == "all"``) sit in
the same table, so one grading protects the grades from being worked out from their school
level. :func:`districts` gives the latest wave by district with the whole city (``"Oslo"``,
a total row). All tables are ungraded estimate tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import schemas, stats
from salto_analysis.estimates import estimate_table

from .frame import _design, _frame_attrs
from .indicators import _GRADES

__all__ = ["ALL_GRADES", "CITY", "DISTRICT_MEASURES", "item_nonresponse", "prevalence", "districts", "smoothed_districts",
           "districts_side_by_side"]


#: ``grade`` value of the school-level subtotal rows (a total label of Policy).
ALL_GRADES = "all"

#: ``district`` value of the whole-city row (a total label of Policy).
CITY = "Oslo"

_TOTAL_LABELS = (ALL_GRADES, CITY)


def item_nonresponse(frame: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Estimate table of the share of pupils who did not answer each item, by wave.

    ``numerator`` is the number of missing answers, ``denominator`` the pupils in the
    analysis frame of the wave; Wilson interval (a plain share of the respondents, not a
    design-based estimate). Ungraded.
    """
    attrs = _frame_attrs(frame)
    names = attrs["indicators"]
    counts = frame[names].isna().groupby(frame["wave"], sort=True).sum()
    pupils = frame.groupby("wave", sort=True).size()
    df = counts.reset_index().melt(id_vars="wave", var_name="indicator", value_name="missing")
    df["pupils"] = df["wave"].map(pupils).astype(np.int64)
    df["missing"] = df["missing"].astype(np.int64)
    df["indicator"] = pd.Categorical(df["indicator"], categories=attrs["indicators"], ordered=True)
    table = stats.proportion_table(df, numerator="missing", denominator="pupils", groups=["indicator", "wave"],
                                   confidence_level=confidence_level, measure="item non-response",
                                   nonadditive=["indicator", "wave"], synthetic=attrs["synthetic"])
    return table


def _categorical_grade(values) -> pd.Categorical:
    return pd.Categorical(np.asarray(values, dtype=object), categories=[*_GRADES, ALL_GRADES], ordered=True)


def prevalence(frame: pd.DataFrame, *, confidence_level: float = 0.95, ci_method: str = "korn-graubard"
               ) -> pd.DataFrame:
    """Design-based prevalence of every indicator by wave × school level (× grade) (× sex).

    ``frame`` comes from :func:`prepare`; its ``attrs["by"]`` says whether grade and sex
    split the table. With grade, each school level also has a subtotal row
    (``grade == "all"``). One :meth:`salto_analysis.survey.Design.proportion` pass per
    indicator and level of detail (the prevalence design of :mod:`.frame`). Domains in
    which nobody answered the item (an item not asked that wave) are left out and listed
    in the fact ``no_answers``.

    Returns an ungraded estimate table, groups ``indicator, wave, school_level[, grade][, sex]``,
    with ``numerator``, ``denominator``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
    ``n_eff``, ``deff``, ``df``. ``TableMeta.nonadditive`` is ``("indicator", "wave")``
    (each indicator and wave is its own table for secondary suppression).
    """
    attrs = _frame_attrs(frame)
    by = attrs["by"]
    with_grade = "grade" in by
    sex = ["sex"] if "sex" in by else []
    design = _design(frame)
    parts, no_answers = [], []
    for name in attrs["indicators"]:
        levels = [["wave", "school_level", "grade", *sex]] if with_grade else []
        levels.append(["wave", "school_level", *sex])
        for k, dom in enumerate(levels):
            t = design.proportion(name, by=dom, confidence_level=confidence_level, ci_method=ci_method)
            t = pd.DataFrame(t)  # drop the per-call attrs
            if with_grade:
                t["grade"] = t["grade"].astype(object) if k == 0 else ALL_GRADES
            t.insert(0, "indicator", name)
            parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    if with_grade:
        table["grade"] = _categorical_grade(table["grade"])
    groups = ["indicator", "wave", "school_level", *(["grade"] if with_grade else []), *sex]
    empty = table["denominator"] == 0
    if empty.any():
        pairs = table.loc[empty, ["indicator", "wave"]].drop_duplicates()
        no_answers = [(str(i), int(w)) for i, w in pairs.itertuples(index=False)]
    table = table.loc[~empty].sort_values(groups, kind="stable").reset_index(drop=True)
    method = f"Taylor linearisation (R survey), schools as clusters; {ci_method} interval"
    return estimate_table(
        table, groups=groups, kind="proportion", measure="prevalence", unit="proportion", method=method,
        confidence_level=confidence_level, design_based=True, ci_method=ci_method,
        nonadditive=["indicator", "wave"], total_labels=list(_TOTAL_LABELS), synthetic=attrs["synthetic"],
        no_answers=no_answers, design=dict(attrs["design"]),
    )


def districts(frame: pd.DataFrame, *, wave: int | None = None, confidence_level: float = 0.95,
              ci_method: str = "korn-graubard") -> pd.DataFrame:
    """Prevalence of every indicator by district in one wave (default the latest), with the whole city.

    Domains of the prevalence design (:func:`prevalence`), so the district intervals carry
    the school clustering; the city row (``district == "Oslo"``, a total row for secondary
    suppression) is the whole wave. Each wave is a stratum of that design, so the wave's own
    rows give exactly the same estimates, variances and degrees of freedom as the domains of
    the pooled design; only they are used. Districts are in code order (never ranked).
    Ungraded; many rows will be flagged, which the notebook shows.
    """
    attrs = _frame_attrs(frame)
    if "district" not in frame.columns:
        raise ValueError("the survey has no district column, so district_breakdown=True cannot be used")
    wave = attrs["waves"][-1] if wave is None else int(wave)
    if wave not in attrs["waves"]:
        raise ValueError(f"wave={wave!r} is not among the selected waves {attrs['waves']}")
    one = frame.loc[frame["wave"].to_numpy() == wave]
    design = _design(one)
    seen = {str(d) for d in pd.unique(one["district"].dropna())}
    order = [d for d in schemas.district_names() if d in seen]
    cats = [*order, *sorted(seen - set(order)), CITY]
    parts = []
    for name in attrs["indicators"]:
        t = pd.DataFrame(design.proportion(name, by=["district"], confidence_level=confidence_level,
                                           ci_method=ci_method))
        c = pd.DataFrame(design.proportion(name, confidence_level=confidence_level, ci_method=ci_method))
        c.insert(0, "district", CITY)
        t = pd.concat([t, c], ignore_index=True)
        t["district"] = pd.Categorical(t["district"].astype(object), categories=cats, ordered=True)
        t.insert(0, "indicator", name)
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    table = table[table["denominator"] > 0].sort_values(["indicator", "district"]).reset_index(drop=True)
    return estimate_table(
        table, groups=["indicator", "district"], kind="proportion", measure=f"prevalence by district {wave}",
        unit="proportion", method=f"Taylor linearisation (R survey), schools as clusters; {ci_method} interval",
        confidence_level=confidence_level, design_based=True, ci_method=ci_method, nonadditive=["indicator"],
        total_labels=list(_TOTAL_LABELS), synthetic=attrs["synthetic"], wave=wave,
    )


#: ``measure`` values of :func:`districts_side_by_side`, in column order.
DISTRICT_MEASURES = ("direct", "smoothed")


def smoothed_districts(direct: pd.DataFrame, graded: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Fay–Herriot small-area estimates of every indicator by district, beside the direct estimates.

    :func:`salto_analysis.small_area.fay_herriot` (REML, Prasad–Rao MSE, intercept only, on
    the arcsine scale, each indicator its own model) on the design-based direct estimates
    and standard errors of :func:`districts` (``direct``, ungraded). A district's direct
    variance that is missing, zero or rests on fewer than 8 design degrees of freedom is
    replaced by a smoothed one (a design-effect generalised variance function; column
    ``variance_smoothed`` is 1 for those rows).

    Left out of the model, so that no published number depends on them: the city row,
    the pupils without a known district, and every district withheld for privacy (D1/D2)
    in ``graded`` (the graded :func:`districts`). Those districts keep a row with their
    counts and no estimate, which grading and the page's protection withhold. An
    indicator with fewer than 3 districts in the model gets no estimates.

    Estimate table of kind ``proportion`` (design-based), groups ``indicator``,
    ``district``: ``numerator``, ``denominator`` (pupils), ``estimate`` (the EBLUP), ``se``
    (from the MSE), ``ci_low``, ``ci_high``, ``n_eff``, ``shrinkage`` (``1 − γ``:
    the share of the way the direct estimate is pulled to the city-wide model) and
    ``variance_smoothed`` (the direct estimate itself is in :func:`districts` only, where
    grading may withhold it). Facts: ``fay_herriot`` (τ², β per indicator), ``wave``, ``excluded``.
    """
    from salto_analysis import disclosure, small_area
    from salto_analysis.estimates import meta_of

    unknown = set(schemas.districts().loc[schemas.districts()["kind"] == "unknown", "name_nb"])
    gone = set(zip(graded.loc[disclosure.disclosed(graded), "indicator"].astype(object),
                   graded.loc[disclosure.disclosed(graded), "district"].astype(object)))
    key = list(zip(direct["indicator"].astype(object), direct["district"].astype(object)))
    area = ~direct["district"].astype(object).isin({CITY, *unknown}).to_numpy()
    use = area & np.array([k not in gone for k in key], bool)
    inp = direct.loc[use].copy()
    inp.attrs = {}
    rows, fits, skipped = [], [], []
    for name in direct["indicator"].cat.categories:
        part = inp[inp["indicator"].astype(object) == name]
        if len(part) < 3:
            if (direct["indicator"].astype(object) == name).any():
                skipped.append(name)
            continue
        part = part.assign(district=part["district"].astype(object))
        fh = small_area.fay_herriot(part, estimate="estimate", se="se", area="district", method="REML",
                                    n="denominator", df="df", confidence_level=confidence_level)
        fits += meta_of(fh).fact("fay_herriot")
        fh = pd.DataFrame(fh)
        fh.insert(0, "indicator", name)
        rows.append(fh)
    fitted = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["indicator", "district"])
    base = direct.loc[area, ["indicator", "district", "numerator", "denominator"]].copy()
    base = base.assign(indicator=base["indicator"].astype(object), district=base["district"].astype(object))
    cols = ["estimate", "se", "ci_low", "ci_high", "n_eff", "gamma", "variance_smoothed"]
    for c in cols:
        if c not in fitted.columns:
            fitted[c] = np.nan
    out = base.merge(fitted[["indicator", "district", *cols]], on=["indicator", "district"], how="left")
    out["shrinkage"] = 1.0 - out.pop("gamma").astype(float)
    out["variance_smoothed"] = out["variance_smoothed"].astype(float)
    out["indicator"] = pd.Categorical(out["indicator"], categories=list(direct["indicator"].cat.categories),
                                      ordered=True)
    dcats = [c for c in direct["district"].cat.categories if c != CITY and c not in unknown]
    out["district"] = pd.Categorical(out["district"], categories=dcats, ordered=True)
    out = out.sort_values(["indicator", "district"]).reset_index(drop=True)
    meta = meta_of(direct)
    return estimate_table(
        out, groups=["indicator", "district"], kind="proportion", unit="proportion",
        measure=f"prevalence by district {meta.fact('wave')}: Fay-Herriot small-area estimate",
        method="Fay-Herriot EBLUP (REML, arcsine scale, intercept only) with Prasad-Rao MSE; design-effect "
               "variance function for unstable direct variances",
        confidence_level=confidence_level, design_based=True, nonadditive=["indicator"],
        synthetic=bool(meta.synthetic), wave=meta.fact("wave"), fay_herriot=fits, not_fitted=skipped,
        excluded=sorted(f"{i}: {d}" for i, d in gone if d != CITY),
    )


def districts_side_by_side(graded_direct: pd.DataFrame, graded_smoothed: pd.DataFrame) -> pd.DataFrame:
    """The graded direct and smoothed district tables in one long table (``measure``), for display.

    Rows of the two graded tables (districts only; the city row stays in the direct
    table), with ``measure`` = ``direct`` or ``smoothed``; flags and reasons are those of
    the tables they come from, and the result carries their grading (a row subset of
    graded tables, not graded again). The smoothed rows have no counts when the smoothed
    table was published without them.
    """
    from salto_analysis.estimates import meta_of, with_meta

    unknown = set(schemas.districts().loc[schemas.districts()["kind"] == "unknown", "name_nb"])
    d = graded_direct[~graded_direct["district"].astype(object).isin({CITY, *unknown})]
    cols = ["indicator", "district", "numerator", "denominator", "estimate", "ci_low", "ci_high", "se", "flag",
            "flag_reason"]
    parts = []
    for m, t in (("direct", d), ("smoothed", graded_smoothed)):
        p = pd.DataFrame({c: t[c].to_numpy() if c in t.columns else np.full(len(t), np.nan) for c in cols})
        p.insert(2, "measure", m)
        parts.append(p)
    out = pd.concat(parts, ignore_index=True)
    cats = list(graded_smoothed["district"].cat.categories)
    out["district"] = pd.Categorical(out["district"].astype(object), categories=cats, ordered=True)
    out["indicator"] = pd.Categorical(out["indicator"].astype(object),
                                      categories=list(graded_smoothed["indicator"].cat.categories), ordered=True)
    out["measure"] = pd.Categorical(out["measure"], categories=list(DISTRICT_MEASURES), ordered=True)
    out = out.sort_values(["indicator", "district", "measure"]).reset_index(drop=True)
    m1, m2 = meta_of(graded_direct), meta_of(graded_smoothed)
    codes = tuple(dict.fromkeys([*m1.flag_codes, *m2.flag_codes]))
    table = estimate_table(out.drop(columns=["flag", "flag_reason"]), groups=["indicator", "district", "measure"],
                           kind="proportion", unit="proportion", measure="prevalence by district: direct and smoothed",
                           method=f"direct: {m1.method}; smoothed: {m2.method}",
                           confidence_level=m2.confidence_level, design_based=True,
                           nonadditive=["indicator", "measure"], synthetic=bool(m1.synthetic or m2.synthetic),
                           wave=m2.fact("wave"))
    table["flag"], table["flag_reason"] = out["flag"].to_numpy(), out["flag_reason"].to_numpy()
    return with_meta(table, policy=m2.policy, flag_codes=codes)
