"""Concentration of offending: top-k % shares, Lorenz curve, Gini, with bootstrap intervals.

Input is one count per unit (person, or place): ``x_i`` offences of unit ``i``. Always say
what the units are: "share of *offenders*" and "share of the *cohort*" (offenders plus the
persons with no registration, pass ``population``) are different statistics
(stats_reference.md §5).

* **Top-k % share** (:func:`top_share`): units sorted by count, largest first; the top
  ``k = ⌈q·n⌉`` units are taken (a fraction of a unit counts as a whole unit) and their share of
  all events is returned. *Tie rule:* units with equal counts are interchangeable, so which
  of several tied units falls inside the top ``k`` does not change the share.
* **Lorenz curve** (:func:`lorenz`): cumulative share of events against cumulative share of
  units, units sorted by count ascending, starting at (0, 0).
* **Gini** (:func:`gini`): with ``x`` sorted ascending, ``G = Σ_i (2i − n − 1)·x_(i) / (n·Σx)``
  (the mean-difference Gini; ties do not matter since tied values may be ordered either way).
  ``small_sample=True`` multiplies by ``n/(n − 1)`` so that all events in one unit gives 1
  (the "unbiased" Gini of R ``DescTools::Gini``).
* **Sparse data** (``generalized=True``): with fewer events ``C`` than units ``N`` perfect
  equality is impossible (the Gini cannot go below ``1 − C/N``), so the ordinary Gini
  overstates concentration. Bernasco & Steenbeek (2017, *J Quant Criminol* 33:451–467)
  compare with "maximal equality given the data": ``G' = max(1, N/C)·(G − 1) + 1``,
  i.e. ``(G − (1 − C/N)) / (C/N)`` when ``C < N``; with ``small_sample=True`` it is multiplied
  by ``m/(m − 1)``, ``m = min(N, C)``. stats_reference.md marks the formula [UNVERIFIED]
  against the paper; it was checked here against the authors' own R package
  ``lorenzgini`` (``R/gini.R`` and its documented examples), not against the paper's text.
* **Chance** (:func:`chance_gini`): the Gini expected if the same events fell on the same
  units at random (multinomial, equal probabilities); "observed − chance" is the
  concentration beyond chance (the randomisation approach quoted in stats_reference §5;
  its authors are [UNVERIFIED] there). Barnett & LoFaso (1984) showed that part of
  apparent chronic-offender concentration is chance.
* **Intervals**: percentile bootstrap over units with a fixed seed (reproducible).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .estimates import estimate_table
from .stats import ConfidenceInterval, check_confidence_level

__all__ = ["top_share", "lorenz", "gini", "chance_gini", "bootstrap_ci", "concentration_table", "DEFAULT_SEED"]

DEFAULT_SEED = 20261126


def _counts(x, name: str = "x") -> np.ndarray:
    if isinstance(x, pd.Series):
        x = x.to_numpy(dtype=float, na_value=np.nan)
    try:
        arr = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric counts") from None
    if arr.size == 0:
        raise ValueError(f"{name} is empty; concentration needs at least one unit")
    bad = np.isnan(arr) | (arr < 0) | np.isinf(arr)
    if bad.any():
        raise ValueError(f"{name} must be finite non-negative counts; got {name}={float(arr[bad][0]):g} "
                         f"({int(bad.sum())} bad value(s))")
    return arr


def top_share(x, q: float = 0.1) -> float:
    """Share of all events held by the top ``q`` fraction of units (``k = ⌈q·n⌉`` units).

    >>> top_share([10, 5, 3, 1, 1, 1, 1, 1, 1, 1], 0.2)
    0.6
    """
    arr = _counts(x)
    if not 0 < q <= 1:
        raise ValueError(f"q={q!r} must be in (0, 1]")
    total = arr.sum()
    if total == 0:
        return float("nan")
    k = max(1, math.ceil(q * arr.size - 1e-9))  # tolerance: 0.1 * 30 is 3.0000000000000004
    top = np.sort(arr)[::-1][:k]
    return float(top.sum() / total)


def lorenz(x) -> pd.DataFrame:
    """Lorenz curve: ``share_units`` and ``share_events``, units sorted by count ascending, from (0, 0)."""
    arr = np.sort(_counts(x))
    total = arr.sum()
    units = np.arange(arr.size + 1) / arr.size
    events = np.concatenate([[0.0], np.cumsum(arr)]) / total if total > 0 else np.full(arr.size + 1, np.nan)
    return pd.DataFrame({"share_units": units, "share_events": events})


def gini(x, *, small_sample: bool = False, generalized: bool = False) -> float:
    """Gini coefficient ``Σ(2i − n − 1)·x_(i) / (n·Σx)`` (see the module docstring for the variants).

    >>> round(gini([10, 5, 3, 1, 1, 1, 1, 1, 1, 1]), 4)
    0.476
    >>> gini([0, 0, 0, 8], small_sample=True)
    1.0
    """
    arr = np.sort(_counts(x))
    n, total = arr.size, arr.sum()
    if total == 0 or n < 2:
        return float("nan")
    i = np.arange(1, n + 1)
    g = float(((2 * i - n - 1) * arr).sum() / (n * total))
    if generalized:
        g = max(1.0, n / total) * (g - 1) + 1
        m = min(n, total)
        if small_sample:
            g = g * m / (m - 1) if m > 1 else float("nan")
    elif small_sample:
        g = g * n / (n - 1)
    return g


def chance_gini(x, *, n_sim: int = 1000, seed: int = DEFAULT_SEED, small_sample: bool = False) -> float:
    """Mean Gini when the same total of events is spread over the same units at random.

    Each simulation draws ``Multinomial(Σx, (1/n, …, 1/n))``; the result is the average Gini
    of ``n_sim`` draws (seeded). Compare it with :func:`gini` of the data.
    """
    arr = _counts(x)
    if not (isinstance(n_sim, (int, np.integer)) and n_sim > 0):
        raise ValueError(f"n_sim={n_sim!r} must be a positive whole number")
    total = int(round(arr.sum()))
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(total, np.full(arr.size, 1 / arr.size), size=n_sim)
    return float(np.mean([gini(s, small_sample=small_sample) for s in sims]))


def bootstrap_ci(x, statistic: Callable[[np.ndarray], float], *, n_boot: int = 2000, seed: int = DEFAULT_SEED,
                 confidence_level: float = 0.95) -> ConfidenceInterval:
    """Percentile bootstrap interval of ``statistic`` over units (resampled with replacement, seeded)."""
    level = check_confidence_level(confidence_level)
    arr = _counts(x)
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 100):
        raise ValueError(f"n_boot={n_boot!r} must be a whole number of at least 100")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(n_boot, arr.size))
    reps = np.array([statistic(arr[row]) for row in idx], dtype=float)
    reps = reps[~np.isnan(reps)]
    if reps.size == 0:
        return ConfidenceInterval(float("nan"), float("nan"))
    a = 1 - level
    return ConfidenceInterval(float(np.quantile(reps, a / 2)), float(np.quantile(reps, 1 - a / 2)))


def concentration_table(df: pd.DataFrame, *, count: str, groups: Sequence[str] = (),
                        shares: Sequence[float] = (0.01, 0.05, 0.10), population: int | Mapping | None = None,
                        generalized: bool = False, n_boot: int = 2000, seed: int = DEFAULT_SEED,
                        confidence_level: float = 0.95, units: str = "offenders") -> pd.DataFrame:
    """Estimate table of concentration by group: Gini and top-k % shares with bootstrap intervals.

    ``df`` has one row per unit (offender) with its ``count`` of events. With ``population``
    (an int, or a mapping from group key to int) units without events are added as zeros
    up to that size, so the shares are shares of the cohort. Rows: one per group and
    ``statistic`` (``gini``, ``top_1%`` …). Columns ``count`` (events), ``denominator``
    (units), ``estimate``, ``ci_low``, ``ci_high``. Kind ``summary``: graded on the
    number of units and events (:mod:`salto_analysis.reliability`).
    """
    level = check_confidence_level(confidence_level)
    groups = list(groups)
    missing = [c for c in (count, *groups) if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the data (columns: {list(df.columns)})")
    for q in shares:
        if not 0 < q <= 1:
            raise ValueError(f"shares contain {q!r}; each must be in (0, 1]")
    rows = []
    grouped = df.groupby(groups, observed=True, sort=True) if groups else [((), df)]
    for key, g in grouped:
        key = key if isinstance(key, tuple) else (key,)
        x = _counts(g[count], count)
        pop = population.get(key if len(key) > 1 else key[0]) if isinstance(population, Mapping) else population
        if pop is not None:
            if pop < x.size:
                raise ValueError(f"population={pop!r} for group {key!r} is smaller than its {x.size} units")
            x = np.concatenate([x, np.zeros(int(pop) - x.size)])
        base = dict(zip(groups, key))
        stats_: list[tuple[str, Callable[[np.ndarray], float]]] = [
            ("gini", lambda a: gini(a, generalized=generalized))]
        stats_ += [(f"top_{100 * q:g}%", (lambda qq: (lambda a: top_share(a, qq)))(q)) for q in shares]
        for name, fn in stats_:
            ci = bootstrap_ci(x, fn, n_boot=n_boot, seed=seed, confidence_level=level)
            rows.append({**base, "statistic": name, "count": float(x.sum()), "denominator": int(x.size),
                         "estimate": fn(x), "ci_low": ci.low, "ci_high": ci.high})
    out = pd.DataFrame(rows)
    return estimate_table(out, groups=[*groups, "statistic"], kind="summary", measure=f"concentration of {count}",
                          unit="share", method=("generalized " if generalized else "") + "Gini and top-k% shares; "
                          f"percentile bootstrap ({n_boot} resamples, seed {seed})", confidence_level=level,
                          units="population" if population is not None else units, nonadditive=["statistic"])
