"""The repeat group against the other suspects of the reporting year: debut, victimisation before
the first offence, left censoring and offence mix.

The repeat group holds the suspects with at least ``threshold`` offences in the year
(``repeat_group`` "4+"), the others those with fewer ("1–3").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import schemas

from .panel import (DEBUT_AGES, OffenderPanel, below_label, check_level, link, make_table, proportion,
                    threshold_label, year_counts)

__all__ = ["debut_table", "victim_before_table", "left_censoring_table", "offence_mix_table"]


# --------------------------------------------------------------------------------------
# 4. debut and 6. offence mix: the repeat group against the other suspects
# --------------------------------------------------------------------------------------
def _groups_of_year(panel: OffenderPanel, year: int, threshold: int) -> pd.DataFrame:
    """Suspects of ``year`` with ``repeat_group`` "t+" or "1–(t−1)"."""
    sel = year_counts(panel, year)
    rep = sel["offences"].to_numpy() >= threshold
    out = pd.DataFrame({"person": sel["person"].to_numpy(),
                        "repeat_group": np.where(rep, threshold_label(threshold), below_label(threshold))})
    out["repeat_group"] = pd.Categorical(out["repeat_group"],
                                         categories=[threshold_label(threshold), below_label(threshold)],
                                         ordered=True)
    return out


def _group_share(groups: pd.DataFrame, flag: np.ndarray, level: float) -> pd.DataFrame:
    g = groups.assign(_x=flag.astype(np.int64), _n=1)
    agg = g.groupby("repeat_group", observed=False)[["_x", "_n"]].sum().reset_index()
    agg = agg.rename(columns={"_x": "numerator", "_n": "denominator"})
    return agg.assign(**proportion(agg["numerator"], agg["denominator"], level))


def debut_table(panel: OffenderPanel, year: int, threshold: int, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Age at the first registration as a suspect: the repeat group (≥ ``threshold``) against the others.

    For the suspects of ``year``: the share whose first suspect registration in the register
    (in scope, any year up to ``year``) was at ages 10–12, 13–14 and 15–17, with Wilson
    intervals. Left censoring: for persons who were 11 or older in the register's first year
    the true first registration may lie before the data start; :func:`left_censoring_table`
    counts them.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    groups = _groups_of_year(panel, year, threshold)
    first_age = panel.persons["first_age"].reindex(groups["person"]).to_numpy()
    rows = []
    for label, lo, hi in DEBUT_AGES:
        part = _group_share(groups, (first_age >= lo) & (first_age <= hi), level)
        rows.append(part.assign(debut_age=label))
    frame = pd.concat(rows, ignore_index=True)
    frame["debut_age"] = pd.Categorical(frame["debut_age"], categories=[d[0] for d in DEBUT_AGES], ordered=True)
    frame = frame.sort_values(["repeat_group", "debut_age"]).reset_index(drop=True)
    return make_table(frame, groups=["repeat_group", "debut_age"], kind="proportion",
                  measure="cohorts.measure.share_of_group", unit="proportion", method="Wilson score interval",
                  confidence_level=level, year=year, threshold=int(threshold),
                  link=link("repeat_split", year=year, threshold=int(threshold)), synthetic=panel.synthetic)


def victim_before_table(panel: OffenderPanel, year: int, threshold: int, *,
                        confidence_level: float = 0.95) -> pd.DataFrame:
    """Share with a registered victimisation before their first suspect registration, by group.

    A victimisation counts when its ``registered_date`` is strictly earlier than the date of
    the person's first suspect registration (the same day is not "before"). Only registrations
    in scope (ages 10–22) and in the register's years are seen, so earlier victimisations are
    missed (left censoring). This links to the victim–offender overlap notebook (02).
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    groups = _groups_of_year(panel, year, threshold)
    p = panel.persons.reindex(groups["person"])
    before = (p["first_victim_date"] < p["first_date"]).to_numpy(dtype=bool, na_value=False)
    frame = _group_share(groups, before, level)
    return make_table(frame, groups=["repeat_group"], kind="proportion", measure="cohorts.measure.victim_before",
                  unit="proportion", method="Wilson score interval", confidence_level=level, year=year,
                  threshold=int(threshold), link=link("repeat_split", year=year, threshold=int(threshold)),
                  synthetic=panel.synthetic)


def left_censoring_table(panel: OffenderPanel, year: int, threshold: int, *,
                         confidence_level: float = 0.95) -> pd.DataFrame:
    """Share whose first registration may lie before the data start (left censoring), by group.

    A suspect of ``year`` is counted when they were 11 or older in the register's first year
    (``birth_year ≤ first_year − 11``): they could have been registered at 10 or later before
    the data begin, so their observed debut (and "victimised before the first offence") may be
    wrong.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    groups = _groups_of_year(panel, year, threshold)
    by = panel.persons["birth_year"].reindex(groups["person"]).to_numpy()
    frame = _group_share(groups, by <= panel.first_year - 11, level)
    return make_table(frame, groups=["repeat_group"], kind="proportion", measure="cohorts.measure.left_censored",
                  unit="proportion", method="Wilson score interval", confidence_level=level, year=year,
                  threshold=int(threshold), first_year=panel.first_year,
                  link=link("repeat_split", year=year, threshold=int(threshold)), synthetic=panel.synthetic)


def offence_mix_table(panel: OffenderPanel, year: int, threshold: int, *,
                      confidence_level: float = 0.95) -> pd.DataFrame:
    """Offence mix: share of each group registered for each offence type in ``year``.

    Persons, not offences, are counted (a person is counted once per type), so the shares of a
    group add up to more than 100 %, the Wilson intervals are valid (offences of one person are
    not independent; persons are) and the disclosure rule applies to persons directly.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    groups = _groups_of_year(panel, year, threshold)
    ty = panel.types
    ty = ty[ty["year"].to_numpy() == year]
    rows = []
    for code in schemas.REGISTER["offence_type"].values:
        has = np.isin(groups["person"].to_numpy(), ty.loc[(ty["offence_type"] == code).to_numpy(), "person"].to_numpy())
        rows.append(_group_share(groups, has, level).assign(offence_type=code))
    frame = pd.concat(rows, ignore_index=True)
    frame["offence_type"] = pd.Categorical(frame["offence_type"],
                                           categories=list(schemas.REGISTER["offence_type"].values), ordered=True)
    frame = frame.sort_values(["offence_type", "repeat_group"]).reset_index(drop=True)
    return make_table(frame, groups=["offence_type", "repeat_group"], kind="proportion",
                  measure="cohorts.measure.share_of_group", unit="proportion", method="Wilson score interval",
                  confidence_level=level, nonadditive=["offence_type"], year=year, threshold=int(threshold),
                  link=link("repeat_split", year=year, threshold=int(threshold)), synthetic=panel.synthetic)
