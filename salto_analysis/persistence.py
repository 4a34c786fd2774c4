"""Persistence: Kaplan–Meier re-registration curves and the log-rank test.

Re-offending is reported as *the share with a new registration within a given time*, with
censoring (end of follow-up) handled by the Kaplan–Meier estimator: ``1 − S(t)`` is the
cumulative share re-registered by time ``t``. Time starts at the
index event (for example the first registration in the year).

* :func:`kaplan_meier` wraps statsmodels ``SurvfuncRight`` (product-limit estimate,
  Greenwood standard error; Kaplan & Meier 1958) and returns an estimate table at chosen
  times, with the number still at risk. Pointwise intervals use the complementary log-log
  transform by default (Kalbfleisch & Prentice; R ``survfit(conf.type = "log-log")``):
  ``S^exp(±z·se/(S·|log S|))``, which stays inside [0, 1]; ``"log"`` (R's default) and
  ``"plain"`` are available. At ``S = 1`` (no event yet, Greenwood SE 0) every interval is
  ``(1, 1)``, as R's ``summary(survfit(...), times)`` before the first observed time (R's own
  rows at censoring times before the first event leave the log-log limits ``NA``; we give
  ``(1, 1)`` there too, since ``S`` and its SE are the same). At ``S = 0`` the log-log and
  log intervals are undefined and left missing, as in R.
* :func:`logrank` wraps statsmodels ``survdiff`` (R ``survival::survdiff``).

Competing events (death, moving away from Oslo) are treated as censoring here; where they
are common, a cumulative-incidence estimator (statsmodels ``CumIncidenceRight``) is the
right tool.

For publishing, choose a coarse grid of ``times`` (for example 30, 90, 180, 365 days):
every row carries counts of persons, which :func:`salto_analysis.reliability.grade`
checks for small numbers.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from .estimates import estimate_table
from .stats import check_confidence_level

__all__ = ["kaplan_meier", "logrank", "LogRankResult", "CONF_TYPES"]

CONF_TYPES = ("log-log", "log", "plain")
LogRankResult = namedtuple("LogRankResult", ["statistic", "df", "p_value"])
LogRankResult.__doc__ = "Log-rank chi-square statistic, its degrees of freedom and p-value."


def _check(data: pd.DataFrame, time: str, event: str, extra: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in (time, event, *extra) if c not in data.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the data (columns: {list(data.columns)})")
    if not pd.api.types.is_numeric_dtype(data[time]):
        raise ValueError(f"time column {time!r} must be numeric (for example days), got dtype {data[time].dtype}")
    t = data[time].to_numpy(dtype=float, na_value=np.nan)
    e = data[event].astype(float).to_numpy(na_value=np.nan) if data[event].dtype != object else None
    if e is None or not np.isin(e[~np.isnan(e)], (0.0, 1.0)).all():
        raise ValueError(f"event column {event!r} must be 0/1 (1 = new registration, 0 = censored)")
    if (t[~np.isnan(t)] < 0).any():
        raise ValueError(f"time column {time!r} has negative values, first {t[t < 0][0]!r}")
    return t, e


def _interval(s, se, z, conf_type):
    with np.errstate(invalid="ignore", divide="ignore"):
        if conf_type == "log-log":
            inner = (s > 0) & (s < 1)
            th = z * se / (s * np.abs(np.log(s)))
            low = np.where(inner, s ** np.exp(th), np.where(s == 1, 1.0, np.nan))
            high = np.where(inner, s ** np.exp(-th), np.where(s == 1, 1.0, np.nan))
        elif conf_type == "log":
            low = np.where(s > 0, s * np.exp(-z * se / s), np.nan)
            high = np.where(s > 0, np.minimum(1.0, s * np.exp(z * se / s)), np.nan)
        else:
            low, high = np.clip(s - z * se, 0, 1), np.clip(s + z * se, 0, 1)
    return low, high


def kaplan_meier(data: pd.DataFrame, *, time: str, event: str, by: str | Sequence[str] | None = None,
                 times: Sequence[float] | None = None, cumulative: bool = True, confidence_level: float = 0.95,
                 conf_type: str = "log-log") -> pd.DataFrame:
    """Kaplan–Meier estimate table: share re-registered (or still free of registration) over time.

    Parameters
    ----------
    data : DataFrame
        One row per person: follow-up ``time`` (days since the index event) and ``event``
        (1 = new registration at that time, 0 = censored).
    by : column name(s), optional
        Separate curves per group.
    times : sequence of numbers, optional
        Times at which to report; default every distinct event time of each group.
    cumulative : bool
        ``estimate = 1 − S(t)`` (cumulative share re-registered, default) or ``S(t)``.

    Returns
    -------
    DataFrame
        Estimate table (kind ``summary``) with grouping columns ``[*by, "time"]`` and
        ``n_at_risk`` (persons followed at least to ``t``), ``events`` (registrations in the
        interval since the previous row), ``numerator`` (registrations up to ``t``),
        ``denominator`` (persons in the group), ``estimate``, ``ci_low``, ``ci_high``,
        ``se`` (Greenwood SE of ``S(t)``). Rows with missing time or event are excluded and
        counted in the fact ``excluded`` of the table's metadata.
    """
    level = check_confidence_level(confidence_level)
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type={conf_type!r} must be one of {', '.join(CONF_TYPES)}")
    by = [by] if isinstance(by, str) else list(by or [])
    t_all, e_all = _check(data, time, event, by)
    if times is not None:
        grid_given = np.asarray(sorted(times), dtype=float)
        if grid_given.size == 0 or (grid_given < 0).any():
            raise ValueError(f"times={list(times)!r} must be a non-empty list of non-negative numbers")
    use = ~(np.isnan(t_all) | np.isnan(e_all))
    z = sps.norm.ppf(0.5 + level / 2)
    frames = []
    d = data.loc[use].assign(_t=t_all[use], _e=e_all[use])
    grouped = d.groupby(by, observed=True, sort=True) if by else [((), d)]
    for key, g in grouped:
        key = key if isinstance(key, tuple) else (key,)
        t, e = g["_t"].to_numpy(), g["_e"].to_numpy()
        sf = SurvfuncRight(t, e)
        st, sp, sse = np.asarray(sf.surv_times), np.asarray(sf.surv_prob), np.asarray(sf.surv_prob_se)
        grid = st if times is None else grid_given
        pos = np.searchsorted(st, grid, side="right") - 1
        s = np.where(pos >= 0, sp[np.clip(pos, 0, None)], 1.0)
        se = np.where(pos >= 0, sse[np.clip(pos, 0, None)], 0.0)
        t_sorted = np.sort(t)
        ev_sorted = np.sort(t[e == 1])
        n_at_risk = t.size - np.searchsorted(t_sorted, grid, side="left")
        cum = np.searchsorted(ev_sorted, grid, side="right")
        events = np.diff(np.concatenate([[0], cum]))
        low, high = _interval(s, se, z, conf_type)
        frame = pd.DataFrame({**{b: [k] * grid.size for b, k in zip(by, key)}, "time": grid,
                              "n_at_risk": n_at_risk, "events": events, "numerator": cum,
                              "denominator": t.size})
        if cumulative:
            frame["estimate"], frame["ci_low"], frame["ci_high"] = 1 - s, 1 - high, 1 - low
        else:
            frame["estimate"], frame["ci_low"], frame["ci_high"] = s, low, high
        frame["se"] = se
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    what = "cumulative share re-registered, 1 − S(t)" if cumulative else "share without new registration, S(t)"
    return estimate_table(out, groups=[*by, "time"], kind="summary", measure=what, unit="proportion",
                          method=f"Kaplan–Meier (statsmodels SurvfuncRight), Greenwood SE, {conf_type} interval",
                          confidence_level=level, excluded={"missing_time_or_event": int((~use).sum())},
                          nonadditive=["time"])


def logrank(data: pd.DataFrame, *, time: str, event: str, group: str) -> LogRankResult:
    """Log-rank test that the re-registration curves of ``group`` are equal (R ``survdiff``).

    statsmodels ``survdiff``: the chi-square statistic on ``k − 1`` degrees of freedom for
    ``k`` groups (Mantel 1966; Peto & Peto 1972). Without any event (every row censored) there
    is nothing to compare: the statistic is 0 and the p-value missing, as R's ``survdiff``
    (``chisq`` 0, ``pvalue`` ``NaN``).
    """
    t, e = _check(data, time, event, [group])
    use = ~(np.isnan(t) | np.isnan(e)) & data[group].notna().to_numpy()
    g = pd.factorize(data.loc[use, group])[0]
    k = int(g.max() + 1) if g.size else 0
    if k < 2:
        raise ValueError(f"group column {group!r} needs at least two groups, found {k}")
    if not (e[use] == 1).any():
        return LogRankResult(0.0, k - 1, float("nan"))
    stat, p = survdiff(t[use], e[use], g)
    return LogRankResult(float(stat), k - 1, float(p))
