"""Time to re-registration after a first registration: Kaplan–Meier curves by debut age and a log-rank test.

The curves come from :func:`salto_analysis.persistence.kaplan_meier` and the test from
:func:`salto_analysis.persistence.logrank`; this module chooses who is followed, from when
and until when (:func:`followup`), and which months of the curve may be published.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from salto_analysis import disclosure, persistence, schemas, stats

from .panel import DEBUT_AGE_GROUPS, OffenderPanel, check_level, check_min_count, make_table

__all__ = ["DAYS_PER_MONTH", "AT_RISK_BASE", "followup", "disclosure_months", "reregistration", "coarsened",
           "reregistration_at", "logrank_table"]

#: Days per month used for times in months (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12
_DAY = np.timedelta64(1, "D")


def followup(panel: OffenderPanel, year: int) -> pd.DataFrame:
    """Time from the first registration as a suspect to the next one, one row per person (never display).

    * **Who:** persons whose first suspect registration in scope was at ages
      ``age_min..age_max`` (10–17) in a year up to ``year``, and who were at most 10 years old
      in the register's first year. For older persons the first registration in the data may
      not be their first (left censoring), so they are left out.
    * **Event:** the first suspect registration on a later day (a second case on the same
      day is not a re-registration), at any age in scope.
    * **Right censoring:** 31 December of ``year``, or 31 December of the year the person
      turns 22 (the end of the register's scope), whichever comes first.

    Returns ``debut_age_group`` ("10–14", "15–17"), ``months`` (days / (365.25/12)) and
    ``event`` (1 = registered again, 0 = censored). No identifiers.
    """
    year = panel.check_year(year)
    p = panel.persons
    first = p["first_date"].to_numpy().astype("datetime64[D]")
    first_year = first.astype("datetime64[Y]").astype(np.int64) + 1970
    age = p["first_age"].to_numpy()
    by = p["birth_year"].to_numpy()
    ok = ((age >= panel.age_min) & (age <= panel.age_max) & (first_year <= year)
          & (by >= panel.first_year - schemas.SCOPE_AGE_MIN))
    end_data = np.datetime64(f"{year}-12-31", "D")
    end_scope = (by[ok] + schemas.SCOPE_AGE_MAX + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - _DAY
    censor = np.minimum(end_data, end_scope)
    nxt = p["next_date"].to_numpy().astype("datetime64[D]")[ok]
    event = ~np.isnat(nxt) & (nxt <= censor)
    stop = np.where(event, nxt, censor)
    months = (stop - first[ok]) / _DAY / DAYS_PER_MONTH
    group = np.full(int(ok.sum()), None, dtype=object)
    for label, lo, hi in DEBUT_AGE_GROUPS:
        group[(age[ok] >= lo) & (age[ok] <= hi)] = label
    out = pd.DataFrame({"debut_age_group": group, "months": months, "event": event.astype(np.int64)})
    out = out[out["debut_age_group"].notna() & (out["months"] >= 0)].reset_index(drop=True)
    out["debut_age_group"] = pd.Categorical(out["debut_age_group"], categories=[g[0] for g in DEBUT_AGE_GROUPS],
                                            ordered=True)
    return out


def disclosure_months(cumulative_events: Sequence[int], min_count: int,
                      cumulative_censored: Sequence[int] | None = None) -> np.ndarray:
    """Which points of a curve may be published: those where the persons re-registered, and the
    persons censored, since the previous kept point are each 0 or at least ``min_count``.

    The differences between consecutive published points of a cumulative curve are counts of
    persons: re-registered between them (the rise of the numerator), and no longer followed
    (the fall of the number at risk minus those re-registered). This keeps each of them 0 or
    at least ``min_count``; persons between kept points move to the next kept point. Returns
    a boolean mask.

    >>> disclosure_months([0, 2, 6, 7, 7, 20], 5).tolist()
    [True, False, True, False, False, True]
    >>> disclosure_months([0, 5, 10, 15], 5, cumulative_censored=[0, 2, 6, 6]).tolist()
    [True, False, True, True]
    """
    cum = np.asarray(cumulative_events, dtype=np.int64)
    cen = np.zeros(len(cum), np.int64) if cumulative_censored is None else np.asarray(cumulative_censored, np.int64)
    if len(cen) != len(cum):
        raise ValueError("cumulative_events and cumulative_censored must have one value per point")
    keep = np.zeros(len(cum), bool)
    last, last_cen = 0, 0
    for i, (c, z) in enumerate(zip(cum, cen)):  # a loop over the months of the curve (at most a few hundred)
        if all(d == 0 or d >= min_count for d in (c - last, z - last_cen)):
            keep[i] = True
            last, last_cen = c, z
    return keep


def reregistration(panel: OffenderPanel, year: int, *, min_count: int, confidence_level: float = 0.95,
                   max_months: int = 120) -> pd.DataFrame:
    """Cumulative share registered again after the first registration, by debut age group (Kaplan–Meier).

    ``estimate`` = 1 − S(t) for ``months`` (whole months) after the first registration, from
    :func:`salto_analysis.persistence.kaplan_meier` (statsmodels ``SurvfuncRight``, Greenwood
    standard error, log–log interval) on :func:`followup`. ``n_at_risk`` is the number still
    followed and not yet registered again, ``numerator`` the re-registrations up to then,
    ``events`` those since the previous row, ``denominator`` the persons in the group.

    Disclosure: the curve is evaluated at month ends, and a month is kept only when the
    re-registrations, and the persons no longer followed (censored), since the previous kept
    month are each 0 or at least ``min_count`` (:func:`disclosure_months`): the published
    numerator and number at risk of two consecutive points cannot be differenced to a group
    of 1..min_count−1 persons. A group with no such month has no curve (no rows).
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    min_count = check_min_count(min_count)
    if not isinstance(max_months, (int, np.integer)) or max_months < 1:
        raise ValueError(f"max_months={max_months!r} must be a whole number of at least 1")
    fu = followup(panel, year)
    parts = []
    for label, _, _ in DEBUT_AGE_GROUPS:
        g = fu[fu["debut_age_group"] == label]
        if g.empty:
            continue
        horizon = int(min(max_months, math.floor(g["months"].max())))
        if horizon < 1:
            continue
        grid = np.arange(1, horizon + 1, dtype=float)
        cum = np.searchsorted(np.sort(g.loc[g["event"] == 1, "months"].to_numpy()), grid, side="right")
        cen = np.searchsorted(np.sort(g.loc[g["event"] == 0, "months"].to_numpy()), grid, side="right")
        kept = grid[disclosure_months(cum, min_count, cen)]
        if not len(kept):  # every month would show a step of 1..min_count-1 persons: no curve
            continue
        if not (g["event"] == 1).any():
            parts.append(_no_events(g, kept).assign(debut_age_group=label))
            continue
        parts.append(persistence.kaplan_meier(g, time="months", event="event", times=kept, cumulative=True,
                                              confidence_level=level, conf_type="log-log")
                     .assign(debut_age_group=label))
    cols = ["debut_age_group", "time", "n_at_risk", "events", "numerator", "denominator", "estimate", "ci_low",
            "ci_high", "se"]
    frame = pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    frame["debut_age_group"] = pd.Categorical(frame["debut_age_group"], categories=[g[0] for g in DEBUT_AGE_GROUPS],
                                              ordered=True)
    frame = frame.rename(columns={"time": "months"})
    frame["months"] = frame["months"].astype(np.int64)
    for c in ("n_at_risk", "events"):
        frame[c] = frame[c].astype(np.int64)
    frame = frame.drop(columns="se")
    return make_table(frame, groups=["debut_age_group", "months"], kind="summary",
                      measure="cohorts.measure.reregistered", unit="proportion",
                      method="Kaplan–Meier (statsmodels SurvfuncRight), Greenwood SE, log–log interval",
                      confidence_level=level, nonadditive=["months"], year=year,
                      synthetic=panel.synthetic)


def _no_events(group: pd.DataFrame, times: np.ndarray) -> pd.DataFrame:
    """The Kaplan–Meier rows of a group in which nobody was registered again: S(t) = 1 at every time,
    Greenwood SE 0 and the interval (1, 1), as R's ``survfit`` gives it; as cumulative shares, 0 and (0, 0).

    (:func:`salto_analysis.persistence.kaplan_meier` needs at least one event in a group.)
    """
    months = np.sort(group["months"].to_numpy(dtype=float))
    zeros = np.zeros(len(times))
    return pd.DataFrame({"time": times, "n_at_risk": len(months) - np.searchsorted(months, times, side="left"),
                         "events": zeros.astype(np.int64), "numerator": zeros.astype(np.int64),
                         "denominator": len(months), "estimate": zeros, "ci_low": zeros, "ci_high": zeros,
                         "se": zeros})


#: The number at risk of a published curve is rounded to a multiple of this.
AT_RISK_BASE = 10


def coarsened(curve: pd.DataFrame, base: int = AT_RISK_BASE) -> pd.DataFrame:
    """A graded :func:`reregistration` curve as it is published: the number at risk rounded to a
    multiple of ``base`` (half up), the counts of re-registered persons (``numerator``, ``events``)
    left out, the shares and limits rounded (:func:`salto_analysis.disclosure.rounded`: each step
    of a Kaplan–Meier curve is a product of fractions 1 − d/n that full precision would give away).

    Each year's briefing publishes the curve of every cohort so far, so the same month's
    counts in two consecutive briefings differ by the persons of the newest cohort: a reader
    who subtracts them learns groups of 1..min_count−1 persons (issue 11). The published curve
    keeps the shares with their intervals and the persons in each group; the number at risk
    is rounded (a difference of rounded numbers can be off by up to ``base`` either way), and
    the cumulative counts, which the shares give only approximately once persons are censored,
    are not published. Grading and withholding use the exact counts before this.

    >>> t = pd.DataFrame({"months": [1, 2], "n_at_risk": [1004, 995], "numerator": [3, 12], "events": [3, 9],
    ...                   "estimate": [0.003, 0.012]})
    >>> coarsened(t)[["months", "n_at_risk"]].to_dict("list")
    {'months': [1, 2], 'n_at_risk': [1000, 1000]}
    """
    out = disclosure.rounded(curve.drop(columns=[c for c in ("numerator", "events") if c in curve.columns]))
    if "n_at_risk" in out.columns:
        n = pd.to_numeric(out["n_at_risk"], errors="coerce")
        out["n_at_risk"] = (np.floor(n / base + 0.5) * base).astype("Int64")
    return out


def reregistration_at(curve: pd.DataFrame, months: Sequence[int] = (6, 12, 24, 36)) -> pd.DataFrame:
    """The rows of a :func:`reregistration` curve (graded or not) at selected months.

    For each requested month the latest published month at or before it is taken (the
    ``months`` column says which); the table keeps the curve's metadata (and grading).
    ``events`` (re-registrations since the previous row *of the curve*) is dropped, since
    the rows are no longer consecutive. Taken from the published (:func:`coarsened`) curve it
    carries the rounded number at risk and no counts of re-registered persons.
    """
    if not months or any(not isinstance(m, (int, np.integer)) or m < 1 for m in months):
        raise ValueError(f"months={list(months)!r} must be whole numbers of at least 1")
    parts = []
    for _, sub in curve.groupby("debut_age_group", observed=True, sort=True):
        have = sub["months"].to_numpy()
        pick = sorted({int(have[have <= m].max()) for m in months if (have <= m).any()})
        parts.append(sub[sub["months"].isin(pick)])
    out = pd.concat(parts) if parts else curve.iloc[:0]
    out = out.drop(columns=[c for c in ("events",) if c in out.columns]).reset_index(drop=True)
    out.attrs = dict(curve.attrs)
    return out


def logrank_table(panel: OffenderPanel, year: int, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Log-rank test of equal re-registration curves for debut at 10–14 and at 15–17.

    ``p_value`` from :func:`salto_analysis.persistence.logrank` (statsmodels ``survdiff``).
    ``estimate`` is the hazard ratio of 10–14 against 15–17 from the same observed (O) and
    expected (E) events: ``HR = (O₁/E₁)/(O₂/E₂)`` with ``SE(log HR) = √(1/E₁ + 1/E₂)``
    (Bland & Altman 2004, *BMJ* 328:1073). ``count``/``count_ref`` are the re-registrations
    and ``denominator``/``denominator_ref`` the persons of the two groups. Kind ``ratio``.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    fu = followup(panel, year)
    g1, g2 = (g[0] for g in DEBUT_AGE_GROUPS)
    grp = fu["debut_age_group"].astype(object).to_numpy()
    time, event = fu["months"].to_numpy(), fu["event"].to_numpy().astype(float)
    in1 = grp == g1
    o1, o2 = int(event[in1].sum()), int(event[~in1].sum())
    n1, n2 = int(in1.sum()), int((~in1).sum())
    est = low = high = p = np.nan
    # no test without events, or when every event time has only one of the groups at risk (variance 0;
    # R's survdiff drops a group with no expected events and reports no test)
    if n1 and n2 and o1 + o2 > 0 and logrank_variance(time, event, in1) > 0:
        p = persistence.logrank(fu, time="months", event="event", group="debut_age_group").p_value
        e1 = expected_events(time, event, in1)
        e2 = (o1 + o2) - e1
        if min(e1, e2, o1, o2) > 0:
            est = (o1 / e1) / (o2 / e2)
            z = float(stats._z(level))
            se = math.sqrt(1 / e1 + 1 / e2)
            low, high = est * math.exp(-z * se), est * math.exp(z * se)
    frame = pd.DataFrame({"count": [o1], "count_ref": [o2], "denominator": [n1], "denominator_ref": [n2],
                          "estimate": [est], "ci_low": [low], "ci_high": [high], "p_value": [p]})
    return make_table(frame, groups=[], kind="ratio", measure="cohorts.measure.hazard_ratio", unit="ratio",
                      method="log-rank test (statsmodels survdiff); HR = (O1/E1)/(O2/E2), Bland & Altman 2004",
                      confidence_level=level, year=year, group=g1, reference=g2, synthetic=panel.synthetic)


def expected_events(time: np.ndarray, event: np.ndarray, in_group: np.ndarray) -> float:
    """Events expected in one group under equal hazards: ``E₁ = Σ dⱼ·n₁ⱼ/nⱼ`` over the distinct event times.

    ``dⱼ`` events among ``nⱼ`` at risk at time ``tⱼ``, ``n₁ⱼ`` of them in the group (the
    log-rank test's expectation; Mantel 1966). Vectorised over sorted times.

    >>> round(expected_events(np.array([1., 2., 3.]), np.array([1., 1., 0.]), np.array([True, False, True])), 4)
    1.1667
    """
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], event[order].astype(float), in_group[order].astype(float)
    uniq, first_idx = np.unique(t, return_index=True)
    n_risk = len(t) - first_idx
    n1_risk = np.cumsum(g[::-1])[::-1][first_idx]
    d = np.add.reduceat(e, first_idx)
    return float((d * n1_risk / n_risk).sum())


def logrank_variance(time: np.ndarray, event: np.ndarray, in_group: np.ndarray) -> float:
    """The variance of ``O₁ − E₁`` in the two-group log-rank test (Mantel 1966):
    ``V = Σ dⱼ·(n₁ⱼ/nⱼ)·(1 − n₁ⱼ/nⱼ)·(nⱼ − dⱼ)/(nⱼ − 1)`` over the distinct event times.

    It is 0 when at every event time only one group is at risk; there is then nothing to test
    (below: the one person of the second group is censored at 0.5, before the event at 1).

    >>> logrank_variance(np.array([1., 0.5]), np.array([1., 0.]), np.array([True, False]))
    0.0
    >>> # R: survdiff(Surv(c(1, 2, 3), c(1, 1, 0)) ~ c(1, 0, 1))$var[1, 1] is 0.4722222
    >>> round(logrank_variance(np.array([1., 2., 3.]), np.array([1., 1., 0.]), np.array([True, False, True])), 4)
    0.4722
    """
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], event[order].astype(float), in_group[order].astype(float)
    uniq, first_idx = np.unique(t, return_index=True)
    n = (len(t) - first_idx).astype(float)
    n1 = np.cumsum(g[::-1])[::-1][first_idx]
    d = np.add.reduceat(e, first_idx)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(n > 1, d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1), 0.0)
    return float(term.sum())
