"""Concentration of offending: top-k % shares, Lorenz curve, Gini, with bootstrap intervals.

Input is one count per unit (person, or place): ``x_i`` offences of unit ``i``. Always say
what the units are: "share of *offenders*" and "share of the *cohort*" (offenders plus the
persons with no registration, pass ``population``) are different statistics.

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
  by ``m/(m − 1)``, ``m = min(N, C)``. The formula was checked against the authors' own R package
  ``lorenzgini`` (``R/gini.R`` and its documented examples), not against the paper's text.
* **Chance** (:func:`chance_gini`): the Gini expected if the same events fell on the same
  units at random (multinomial, equal probabilities); "observed − chance" is the
  concentration beyond chance (a randomisation baseline). Barnett & LoFaso (1984) showed that part of
  apparent chronic-offender concentration is chance.
* **Intervals** (:func:`bootstrap_ci`): percentile bootstrap over units (Efron & Tibshirani
  1993, ch. 13) with a fixed seed (reproducible). Resampling ``n`` units with replacement only
  changes *how many units hold each distinct count*: the resampled frequencies of the distinct
  values are ``Multinomial(n, f/n)``, where ``f`` are the observed frequencies (each of the
  ``n`` draws picks a unit with probability ``1/n``, so a value held by ``f_j`` units with
  probability ``f_j/n``). Every statistic here is a symmetric function of the units (it does
  not depend on their order), so it is a function of these frequencies, and the two
  bootstraps have the same distribution (:func:`resample_frequencies`). One resample then
  costs time and memory in proportion to the number of *distinct* counts (a few dozen), not
  to ``n``: no ``n_boot × n`` index matrix (1.6 GB at 100,000 units and 2,000 resamples).
  :func:`gini_from_frequencies` and :func:`top_events` evaluate the Gini and the top shares
  on all resamples at once.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .estimates import estimate_table
from .stats import ConfidenceInterval, check_confidence_level

__all__ = [
    "top_share",
    "lorenz",
    "gini",
    "chance_gini",
    "CHANCE_CHUNK_CELLS",
    "value_frequencies",
    "resample_frequencies",
    "top_events",
    "gini_from_frequencies",
    "bootstrap_replicates",
    "bootstrap_ci",
    "percentile_interval",
    "concentration_table",
    "BOOTSTRAP_STATISTICS",
    "DEFAULT_SEED",
]

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


#: Most unit counts :func:`chance_gini` holds at once (simulations × units): 4,000,000 (32 MB).
CHANCE_CHUNK_CELLS = 4_000_000


def chance_gini(x, *, n_sim: int = 1000, seed: int = DEFAULT_SEED, small_sample: bool = False) -> float:
    """Mean Gini when the same total of events is spread over the same units at random.

    Each simulation draws ``Multinomial(C, (1/N, …, 1/N))``: the ``C = Σx`` events allocated
    to the ``N`` units at random; the result is the average :func:`gini` of ``n_sim`` draws
    (seeded). Compare it with :func:`gini` of the data.

    The draws are made in chunks of at most :data:`CHANCE_CHUNK_CELLS` unit counts, and the
    Gini of every draw of a chunk is computed at once from its value frequencies (how many
    units received 0, 1, 2, … events; :func:`gini_from_frequencies`), so memory stays bounded
    whatever ``n_sim`` and ``N`` (not an ``n_sim × N`` matrix: 800 MB at 100,000 units). The
    chunks take consecutive draws from one generator, so the result does not depend on the
    chunk size.

    >>> round(chance_gini([10, 5, 3, 1, 1, 1, 1, 1, 1, 1], n_sim=200, seed=1), 2)
    0.31
    """
    arr = _counts(x)
    if not (isinstance(n_sim, (int, np.integer)) and n_sim > 0):
        raise ValueError(f"n_sim={n_sim!r} must be a positive whole number")
    total, n = int(round(arr.sum())), arr.size
    probs = np.full(n, 1 / n)
    rng = np.random.default_rng(seed)
    chunk = max(1, CHANCE_CHUNK_CELLS // n)
    ginis = np.empty(int(n_sim))
    for start in range(0, int(n_sim), chunk):
        size = min(chunk, int(n_sim) - start)
        sims = rng.multinomial(total, probs, size=size)  # (size, N) events per unit
        top = int(sims.max())
        # per draw, the number of units holding each count 0..top (one bincount for the chunk)
        sims += (top + 1) * np.arange(size)[:, None]
        freq = np.bincount(sims.ravel(), minlength=size * (top + 1)).reshape(size, top + 1)
        ginis[start:start + size] = gini_from_frequencies(np.arange(top, -1, -1, dtype=float), freq[:, ::-1],
                                                          small_sample=small_sample)
    return float(ginis.mean())


# --------------------------------------------------------------------------------------
# bootstrap over units, as multinomial draws of the value frequencies
# --------------------------------------------------------------------------------------
#: Statistics :func:`bootstrap_replicates` evaluates on all resamples at once (by name).
BOOTSTRAP_STATISTICS = ("gini", "top_share")


def value_frequencies(x) -> tuple[np.ndarray, np.ndarray]:
    """Distinct counts in descending order, and how many units hold each.

    >>> value_frequencies([1, 3, 1, 1])
    (array([3., 1.]), array([1., 3.]))
    """
    values, freq = np.unique(_counts(x), return_counts=True)
    return values[::-1].copy(), freq[::-1].astype(float)


def _check_resampling(n_boot, seed) -> None:
    if not (isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) and n_boot >= 100):
        raise ValueError(f"n_boot={n_boot!r} must be a whole number of at least 100")
    if not (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        raise ValueError(f"seed={seed!r} must be a non-negative whole number")


def resample_frequencies(freq, *, n_boot: int = 2000, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Bootstrap resamples of the units, as frequencies of their distinct values (shape ``(n_boot, K)``).

    ``freq`` are the numbers of units holding each distinct value (:func:`value_frequencies`).
    Drawing ``n = Σ freq`` units with replacement, each with probability ``1/n``, gives
    frequencies ``Multinomial(n, freq/n)``: the same distribution as resampling the units
    themselves (see the module docstring), at a cost in proportion to ``K``, not ``n``.
    Seeded: ``numpy.random.default_rng(seed).multinomial(n, freq / n, size=n_boot)``.

    >>> resample_frequencies([1, 3], n_boot=100, seed=1).sum(axis=1)[:3].tolist()
    [4.0, 4.0, 4.0]
    """
    _check_resampling(n_boot, seed)
    f = np.asarray(freq, dtype=float).ravel()
    if f.size == 0 or (f < 0).any() or not np.isfinite(f).all() or not (f == np.round(f)).all() or f.sum() == 0:
        raise ValueError(f"freq={f.tolist()[:5]!r} must be whole non-negative numbers of units, not all 0")
    n = int(f.sum())
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, f / n, size=n_boot).astype(float)


def top_events(values, freq, k) -> np.ndarray:
    """Events held by the top ``k`` units, for each row of ``freq`` (shape (B, K)) and each ``k``.

    ``values`` are the distinct counts in descending order (:func:`value_frequencies`). The
    ``k`` units with the most events take whole value classes from the top until ``k`` is
    reached (ties do not matter: tied units hold the same count). Returns shape (B, len(k));
    divided by the row totals it is :func:`top_share` with ``k = ⌈q·n⌉``.

    >>> v, f = value_frequencies([10, 5, 3, 1, 1, 1, 1, 1, 1, 1])
    >>> top_events(v, f, [1, 2, 5]).tolist()
    [[10.0, 15.0, 20.0]]
    """
    values = np.asarray(values, dtype=float)
    freq = np.atleast_2d(np.asarray(freq, dtype=float))
    before = np.cumsum(freq, axis=1) - freq  # units with a higher count
    taken = np.clip(np.atleast_1d(np.asarray(k, dtype=float))[None, :, None] - before[:, None, :], 0,
                    freq[:, None, :])
    return (taken * values[None, None, :]).sum(axis=2)


def gini_from_frequencies(values, freq, *, small_sample: bool = False, generalized: bool = False) -> np.ndarray:
    """:func:`gini` of each row of ``freq`` (shape (B, K)), from the distinct ``values`` (descending).

    A value ``v`` held by ``f`` units occupies the positions ``a+1 .. a+f`` of the ascending
    order (``a`` units have a smaller count), so ``Σ i·x₍ᵢ₎ = Σ v·(f·a + f(f+1)/2)`` and
    ``G = 2·Σ i·x₍ᵢ₎/(n·Σx) − (n+1)/n``; ``small_sample`` and ``generalized`` as in
    :func:`gini`. ``nan`` where a row has no events or fewer than two units.

    >>> v, f = value_frequencies([10, 5, 3, 1, 1, 1, 1, 1, 1, 1])
    >>> round(float(gini_from_frequencies(v, f)[0]), 4)
    0.476
    """
    values = np.asarray(values, dtype=float)
    freq = np.atleast_2d(np.asarray(freq, dtype=float))
    asc_v = values[::-1]
    asc_f = freq[:, ::-1]
    a = np.cumsum(asc_f, axis=1) - asc_f
    n = asc_f.sum(axis=1)
    total = asc_f @ asc_v
    sum_ix = (asc_v * (asc_f * a + asc_f * (asc_f + 1) / 2)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 2 * sum_ix / (n * total) - (n + 1) / n
        if generalized:
            g = np.maximum(1.0, n / total) * (g - 1) + 1
            if small_sample:
                m = np.minimum(n, total)
                g = np.where(m > 1, g * m / (m - 1), np.nan)
        elif small_sample:
            g = g * n / (n - 1)
    return np.where((total > 0) & (n >= 2), g, np.nan)


def _frequency_statistic(statistic, options: dict) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``statistic`` (a name of :data:`BOOTSTRAP_STATISTICS` or a function of units) as a function of
    ``(values, boot)`` giving one replicate per row of ``boot``; raises ``ValueError`` on bad arguments."""
    if isinstance(statistic, str):
        if statistic == "gini":
            unknown = set(options) - {"small_sample", "generalized"}
            if unknown:
                raise ValueError(f"statistic 'gini' takes small_sample= and generalized=, not {sorted(unknown)}")
            return lambda values, boot: gini_from_frequencies(values, boot, **options)
        if statistic == "top_share":
            if set(options) != {"q"}:
                raise ValueError(f"statistic 'top_share' needs q= (and nothing else); got {sorted(options)}")
            q = options["q"]
            if not (isinstance(q, (int, float, np.number)) and 0 < q <= 1):
                raise ValueError(f"q={q!r} must be in (0, 1]")

            def share(values, boot):
                n = boot[0].sum()  # every resample has the n units of the data
                k = max(1, math.ceil(q * n - 1e-9))  # as top_share
                with np.errstate(divide="ignore", invalid="ignore"):
                    return top_events(values, boot, [k])[:, 0] / (boot @ values)
            return share
    if isinstance(statistic, str) or not callable(statistic):
        raise ValueError(f"statistic={statistic!r} must be one of {', '.join(BOOTSTRAP_STATISTICS)} "
                         "or a function of the array of units")
    if options:
        raise ValueError(f"options {sorted(options)} are only for the named statistics "
                         f"{', '.join(BOOTSTRAP_STATISTICS)}")
    return lambda values, boot: np.array([statistic(np.repeat(values, row)) for row in boot.astype(np.int64)],
                                         dtype=float)


def bootstrap_replicates(x, statistic, *, n_boot: int = 2000, seed: int = DEFAULT_SEED, **options) -> np.ndarray:
    """The ``n_boot`` bootstrap replicates of ``statistic`` over the units of ``x`` (seeded).

    Resamples are drawn as multinomial frequencies of the distinct values
    (:func:`resample_frequencies`; module docstring for the equivalence with resampling
    units). ``statistic`` is

    * ``"gini"`` (options ``small_sample``, ``generalized`` as :func:`gini`) or
      ``"top_share"`` (option ``q`` as :func:`top_share`): evaluated on all resamples at once
      from the frequencies;
    * or any function of the array of units returning a number (for example
      ``lambda a: top_share(a, 0.05)``): evaluated per resample on the units it holds, in
      descending order. It must not depend on the order of the units (every statistic of
      this module qualifies); this path loops over the resamples.
    """
    arr = _counts(x)
    fn = _frequency_statistic(statistic, options)
    values, freq = value_frequencies(arr)
    return fn(values, resample_frequencies(freq, n_boot=n_boot, seed=seed))


def percentile_interval(replicates, confidence_level: float = 0.95, axis: int = 0):
    """Percentile bootstrap limits: the ``(1 − c)/2`` and ``(1 + c)/2`` quantiles of ``replicates`` along ``axis``.

    Missing replicates (``nan``) are left out. Returns a :class:`ConfidenceInterval` of
    floats for a 1-D input, of arrays otherwise.
    """
    level = check_confidence_level(confidence_level)
    r = np.asarray(replicates, dtype=float)
    q = [(1 - level) / 2, (1 + level) / 2]
    if r.ndim == 1:
        r = r[~np.isnan(r)]
        if r.size == 0:
            return ConfidenceInterval(float("nan"), float("nan"))
        low, high = np.quantile(r, q)
        return ConfidenceInterval(float(low), float(high))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="All-NaN slice encountered", category=RuntimeWarning)
        low, high = np.nanquantile(r, q, axis=axis)
    return ConfidenceInterval(low, high)


def bootstrap_ci(x, statistic, *, n_boot: int = 2000, seed: int = DEFAULT_SEED, confidence_level: float = 0.95,
                 **options) -> ConfidenceInterval:
    """Percentile bootstrap interval of ``statistic`` over the units of ``x`` (seeded, reproducible).

    The replicates come from :func:`bootstrap_replicates` (units resampled with replacement,
    drawn as multinomial frequencies of the distinct values; the module docstring gives the
    equivalence); the limits are their ``(1 − c)/2`` and ``(1 + c)/2`` quantiles (Efron &
    Tibshirani 1993, ch. 13), leaving out replicates where the statistic is undefined.
    ``statistic`` is ``"gini"``, ``"top_share"`` (with ``q=``) or a function of the array of
    units; pass the names for speed (all resamples at once).

    >>> ci = bootstrap_ci([10, 5, 3, 1, 1, 1, 1, 1, 1, 1], "gini", n_boot=500, seed=1)
    >>> bool(ci.low < gini([10, 5, 3, 1, 1, 1, 1, 1, 1, 1]) < ci.high)
    True
    """
    level = check_confidence_level(confidence_level)
    reps = bootstrap_replicates(x, statistic, n_boot=n_boot, seed=seed, **options)
    return percentile_interval(reps, level)


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
    number of units and events (:mod:`salto_analysis.reliability`). Intervals: percentile
    bootstrap, one set of ``n_boot`` resamples of the units per group (seeded,
    :func:`resample_frequencies`) shared by all its statistics.
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
        # one set of resamples per group for all its statistics, evaluated at once from the frequencies
        values, freq = value_frequencies(x)
        boot = resample_frequencies(freq, n_boot=n_boot, seed=seed)
        named = [("gini", gini(x, generalized=generalized),
                  gini_from_frequencies(values, boot, generalized=generalized))]
        named += [(f"top_{100 * q:g}%", top_share(x, q), _frequency_statistic("top_share", {"q": q})(values, boot))
                  for q in shares]
        for name, estimate, reps in named:
            ci = percentile_interval(reps, level)
            rows.append({**base, "statistic": name, "count": float(x.sum()), "denominator": int(x.size),
                         "estimate": estimate, "ci_low": ci.low, "ci_high": ci.high})
    out = pd.DataFrame(rows)
    return estimate_table(out, groups=[*groups, "statistic"], kind="summary", measure=f"concentration of {count}",
                          unit="share", method=("generalized " if generalized else "") + "Gini and top-k% shares; "
                          f"percentile bootstrap ({n_boot} resamples, seed {seed})", confidence_level=level,
                          units="population" if population is not None else units, nonadditive=["statistic"])
