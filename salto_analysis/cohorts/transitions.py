"""Cohort persistence: persons at or above a threshold in year *c*, followed over the next years."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .panel import OffenderPanel, below_label, check_level, check_parameters, make_table, proportion, threshold_label
from salto_analysis.estimates import meta_of

__all__ = ["transition_table", "censoring"]


# --------------------------------------------------------------------------------------
# 3. cohort persistence
# --------------------------------------------------------------------------------------
def _lookup_all(panel: OffenderPanel, persons: np.ndarray, year: int) -> np.ndarray:
    """``offences_all`` of ``persons`` in ``year`` (0 where the person has no registration)."""
    py = panel.person_year
    sel = py[py["year"].to_numpy() == year]
    s = pd.Series(sel["offences_all"].to_numpy(), index=sel["person"].to_numpy())
    return s.reindex(persons, fill_value=0).to_numpy()


def transition_table(panel: OffenderPanel, year: int, thresholds: Sequence[int], *, follow_years: int = 3,
                     confidence_level: float = 0.95) -> pd.DataFrame:
    """Cohorts at or above a threshold in year *c*, followed for up to ``follow_years`` years.

    Cohorts are the years ``year − follow_years .. year − 1`` (from the register's first year).
    A cohort holds the persons with at least ``threshold`` offences at ages
    ``age_min..age_max`` in year *c*. In each follow-up year *c + k* (``k = 1..follow_years``,
    up to ``year``) each person is in one ``follow_status``: at or above the threshold
    (``"4+"``), registered but below it (``"1–3"``), or not registered (``"0"``). Follow-up
    counts registrations at all ages in scope (10–22). Shares are of the cohort, with Wilson
    intervals.

    Right censoring: the data end with ``year``, so the cohort of ``year − j`` is followed
    only ``j`` years (the fact ``follow_up`` maps each cohort to its years of follow-up;
    see :func:`censoring`). "Not registered" also covers persons who moved away from Oslo;
    the register cannot tell them apart.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    thresholds, _, follow_years = check_parameters(thresholds=list(thresholds), age_max_repeat=panel.age_max,
                                                   follow_years=follow_years)
    cohorts = [c for c in range(year - follow_years, year) if c >= panel.first_year]
    py = panel.person_year
    rows = []
    for t in thresholds:
        statuses = [threshold_label(t), below_label(t), "0"]
        for c in cohorts:
            members = py.loc[(py["year"].to_numpy() == c) & (py["offences"].to_numpy() >= t), "person"].to_numpy()
            for k in range(1, min(follow_years, year - c) + 1):
                later = _lookup_all(panel, members, c + k)
                num = [(later >= t).sum(), ((later >= 1) & (later < t)).sum(), (later == 0).sum()]
                for s, x in zip(statuses, num):
                    rows.append((threshold_label(t), c, k, s, int(x), len(members)))
    frame = pd.DataFrame(rows, columns=["offence_threshold", "cohort", "years_after", "follow_status",
                                        "numerator", "denominator"])
    frame["offence_threshold"] = pd.Categorical(frame["offence_threshold"],
                                                categories=[threshold_label(t) for t in thresholds], ordered=True)
    frame = frame.assign(**proportion(frame["numerator"], frame["denominator"], level))
    follow_up = {c: min(follow_years, year - c) for c in cohorts}
    return make_table(frame, groups=["offence_threshold", "cohort", "years_after", "follow_status"],
                  kind="proportion", measure="cohorts.measure.share_of_cohort", unit="proportion",
                  method="Wilson score interval", confidence_level=level,
                  nonadditive=["offence_threshold", "cohort", "years_after"], year=year,
                  follow_years=follow_years, follow_up=follow_up, synthetic=panel.synthetic)


def censoring(table: pd.DataFrame) -> dict[int, int]:
    """Cohorts of a :func:`transition_table` followed fewer than ``follow_years`` years → years followed."""
    full = int(meta_of(table).fact('follow_years'))
    return {int(c): int(k) for c, k in meta_of(table).fact('follow_up').items() if k < full}
