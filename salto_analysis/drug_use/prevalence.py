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

__all__ = ["ALL_GRADES", "CITY", "item_nonresponse", "prevalence", "districts"]


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
