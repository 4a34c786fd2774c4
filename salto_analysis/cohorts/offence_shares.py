"""Concentration of the reporting year's offences among the suspects: top shares, group shares,
Gini and the Lorenz curve, with bootstrap intervals.

Point estimates and intervals come from :mod:`salto_analysis.concentration`: the percentile
bootstrap over persons, drawn as multinomial frequencies of the distinct offence counts
(:func:`~salto_analysis.concentration.resample_frequencies`; resampling persons with
replacement only changes how many persons hold each count), so every statistic of the page is
evaluated on the same resamples at a cost in proportion to the number of distinct counts
(:func:`~salto_analysis.concentration.top_events`,
:func:`~salto_analysis.concentration.gini_from_frequencies`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as sps

from salto_analysis import concentration as conc
from salto_analysis import disclosure

from .panel import OffenderPanel, check_level, check_min_count, check_parameters, link, make_table, threshold_label

__all__ = [
    "TOP_PERCENTS",
    "DEFAULT_SEED",
    "Concentration",
    "top_size",
    "value_frequencies",
    "top_offences",
    "gini_from_frequencies",
    "truncated_chance_gini",
    "accept_groups",
    "concentration",
    "as_published",
]

#: Top shares of suspects reported (1 %, 5 %, 10 %).
TOP_PERCENTS = (1, 5, 10)
#: Further top fractions used only as points of the Lorenz curve.
_LORENZ_TOPS = (0.02, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
DEFAULT_SEED = conc.DEFAULT_SEED

# The frequency forms live in salto_analysis.concentration; the names stay importable from here.
value_frequencies = conc.value_frequencies
top_offences = conc.top_events
gini_from_frequencies = conc.gini_from_frequencies


def top_size(q: float, n: int) -> int:
    """Number of persons in the top ``q`` share of ``n``: ``k = ⌈q·n⌉``, as :func:`concentration.top_share`.

    >>> top_size(0.01, 250), top_size(0.05, 250), top_size(0.10, 250)
    (3, 13, 25)
    """
    return int(math.ceil(q * n - 1e-9))  # tolerance: 0.1 * 250 is 25.000000000000004


def truncated_chance_gini(mean: float) -> float:
    """Gini expected by chance alone if every suspect had the same offending rate.

    :func:`concentration.chance_gini` spreads the events over a fixed set of units, some of
    which then get none: right for places or for a whole cohort, but here every unit is a
    suspect, who has at least one offence by definition. So: if offences are Poisson with one
    common rate λ and only persons with at least one are seen, counts follow the
    zero-truncated Poisson distribution with mean ``λ/(1 − e^−λ)``. λ is solved from the
    observed mean count, and the Gini of that distribution is ``Σⱼ F(j)(1 − F(j)) / μ``
    (for an integer-valued X, ``E|X − Y| = 2·Σⱼ F(j)(1 − F(j))`` and ``G = E|X − Y| / 2μ``).
    The difference between the observed Gini and this one is the concentration beyond chance
    (sparse counts inflate concentration: Bernasco & Steenbeek 2017; Barnett & Lofaso 1985,
    *J Quant Criminol* 1:3–36; ``docs/methods.md#chance-gini``).

    >>> truncated_chance_gini(1.0)
    0.0
    >>> round(truncated_chance_gini(2.0), 4)
    0.2822
    """
    mean = float(mean)
    if not math.isfinite(mean) or mean < 1:
        raise ValueError(f"mean={mean!r} must be at least 1 (every suspect has at least one offence)")
    if mean - 1 < 1e-9:
        return 0.0
    lam = optimize.brentq(lambda x: x / -math.expm1(-x) - mean, 1e-9, mean + 10)
    j = np.arange(1, int(lam + 20 * math.sqrt(lam) + 40))
    p0 = math.exp(-lam)
    cdf = (sps.poisson.cdf(j, lam) - p0) / (1 - p0)
    return float((cdf * (1 - cdf)).sum() / mean)


def accept_groups(sizes: Sequence[int], n: int, min_count: int) -> list[bool]:
    """Which nested top groups may be published: each size must differ from every accepted one by 0 or ≥ ``min_count``.

    The groups are top groups of the same ``n`` suspects (the k most active), so the
    difference of two published offence shares is the share of the persons ranked between
    them. Accepting a size only when it differs from every accepted size (and from ``n``:
    all suspects) by 0 or at least ``min_count`` persons keeps every such difference about a
    group of at least ``min_count`` persons. Sizes are considered in the order given
    (priority); a size below ``min_count`` is not accepted (grading suppresses it anyway).

    >>> accept_groups([45, 46, 60, 2], n=100, min_count=5)
    [True, False, True, False]
    """
    accepted = [int(n)]
    out = []
    for k in sizes:
        ok = k >= min_count and all(k == a or abs(k - a) >= min_count for a in accepted)
        if ok:
            accepted.append(int(k))
        out.append(ok)
    return out


@dataclass(frozen=True)
class Concentration:
    """The ungraded estimate tables of :func:`concentration` (grade each before showing it)."""

    top: pd.DataFrame
    groups: pd.DataFrame
    gini: pd.DataFrame
    lorenz: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"top_shares": self.top, "group_shares": self.groups, "gini": self.gini, "lorenz": self.lorenz}


def as_published(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """A graded concentration table (``top_shares``, ``group_shares``, ``gini``, ``lorenz``) as
    published: shares and the Gini coefficient rounded (:func:`salto_analysis.disclosure.rounded`;
    at full precision, with the Lorenz points, they pin down the offences of the most active
    persons), and a withheld Lorenz point left out (its person share, 100·k/n, would give
    the number of suspects). Issue 11.

    >>> t = pd.DataFrame({"person_share": [20.0, 40.0], "estimate": [0.123456, None], "flag": ["ok", "suppressed"]})
    >>> as_published("lorenz", t).to_dict("list")
    {'person_share': [20.0], 'estimate': [0.123], 'flag': ['ok']}
    """
    if name == "lorenz":
        table = table[table["flag"].astype("object") != "suppressed"].reset_index(drop=True)
    return disclosure.rounded(table)


def concentration(panel: OffenderPanel, year: int, thresholds: Sequence[int], *, min_count: int,
                  confidence_level: float = 0.95, n_boot: int = 2000, seed: int = DEFAULT_SEED) -> Concentration:
    """How concentrated the offences of ``year`` are among the suspects aged ``age_min..age_max``.

    **Denominator: the suspects and their offences** (a share of suspects, not of the
    population; Wolfgang-style shares of a birth cohort are another statistic).

    * ``top``: share of all offences held by the top 1 %, 5 % and 10 % of suspects
      (``k = ⌈q·n⌉`` persons); ``numerator`` = persons in the group, ``denominator`` = suspects.
    * ``groups``: share of the offences held by each threshold group (4+, 10+).
    * ``gini``: the Gini coefficient; the fact ``chance_gini`` is the Gini expected by chance
      alone (:func:`truncated_chance_gini`) and the fact ``chance_gini_ci`` its interval.
    * ``lorenz``: Lorenz-curve points: cumulative share of offences held by the
      ``person_share`` per cent of suspects with the fewest offences.

    Intervals: percentile bootstrap (Efron & Tibshirani 1993, ch. 13) with ``n_boot``
    resamples of the suspects, seeded with ``seed`` (module docstring).

    Disclosure: a group is published only if its size differs from every other published
    size by 0 or at least ``min_count`` persons (:func:`accept_groups`; threshold groups
    first, then the top shares, then the Lorenz points). A requested group that fails has no
    estimate and is listed in the fact ``withheld``; :func:`salto_analysis.cohorts.protect`
    marks it suppressed (D2). The tables are of kind ``summary``, graded on the persons they
    rest on.
    """
    year = panel.check_year(year)
    level = check_level(confidence_level)
    min_count = check_min_count(min_count)
    thresholds, _, _ = check_parameters(thresholds=list(thresholds))
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 100:
        raise ValueError(f"n_boot={n_boot!r} must be a whole number of at least 100")
    counts = panel.counts(year)
    n = len(counts)
    if n == 0:
        raise ValueError(f"no suspects aged {panel.age_min}–{panel.age_max} were registered in {year}")
    values, freq = conc.value_frequencies(counts)
    total = float(counts.sum())
    boot = conc.resample_frequencies(freq, n_boot=n_boot, seed=seed)
    boot_total = boot @ values

    def interval(samples: np.ndarray):
        return conc.percentile_interval(samples, level)

    method = f"percentile bootstrap, {n_boot} resamples of the suspects (seed {seed})"
    common = dict(kind="summary", unit="proportion", confidence_level=level, year=year, n_boot=int(n_boot),
                  seed=int(seed), units="suspects", synthetic=panel.synthetic)

    t_sizes = [int((counts >= t).sum()) for t in thresholds]
    top_k = [top_size(p / 100, n) for p in TOP_PERCENTS]
    lorenz_k = [top_size(q, n) for q in _LORENZ_TOPS]
    accepted = accept_groups(t_sizes + top_k + lorenz_k, n, min_count)
    acc_t, acc_top = accepted[:len(t_sizes)], accepted[len(t_sizes):len(t_sizes) + len(top_k)]

    # threshold groups
    est = np.array([counts[counts >= t].sum() / total for t in thresholds])
    b_off = np.stack([boot[:, values >= t] @ values[values >= t] for t in thresholds], axis=1)
    lo, hi = interval(b_off / boot_total[:, None])
    groups = pd.DataFrame({"offence_threshold": pd.Categorical([threshold_label(t) for t in thresholds],
                                                               categories=[threshold_label(t) for t in thresholds],
                                                               ordered=True),
                           "numerator": t_sizes, "denominator": n, "estimate": est, "ci_low": lo, "ci_high": hi})
    withheld_t = [i for i, ok in enumerate(acc_t) if not ok and t_sizes[i] >= min_count]
    groups.loc[withheld_t, ["estimate", "ci_low", "ci_high"]] = np.nan
    groups_t = make_table(groups, groups=["offence_threshold"], measure="cohorts.measure.share_of_offences",
                          method=method, nonadditive=["offence_threshold"], withheld=withheld_t,
                          link=link("by_threshold", year=year, column="offence_threshold"), **common)

    # top shares
    est = np.array([conc.top_share(counts, p / 100) for p in TOP_PERCENTS])
    lo, hi = interval(conc.top_events(values, boot, top_k) / boot_total[:, None])
    top = pd.DataFrame({"top_percent": list(TOP_PERCENTS), "numerator": top_k, "denominator": n,
                        "estimate": est, "ci_low": lo, "ci_high": hi})
    withheld_top = [i for i, ok in enumerate(acc_top) if not ok and top_k[i] >= min_count]
    top.loc[withheld_top, ["estimate", "ci_low", "ci_high"]] = np.nan
    top_t = make_table(top, groups=["top_percent"], measure="cohorts.measure.share_of_offences", method=method,
                       nonadditive=["top_percent"], withheld=withheld_top, **common)

    # Gini (one person: undefined)
    g = conc.gini(counts)
    glo, ghi = interval(conc.gini_from_frequencies(values, boot)) if n > 1 else (np.nan, np.nan)
    gini = pd.DataFrame({"count": [n], "estimate": [g], "ci_low": [glo], "ci_high": [ghi]})
    # the chance level depends on the mean count only: its interval from the same resamples
    # (evaluated on a fine grid of the resampled means and interpolated; it is smooth in the mean)
    means = boot_total / n
    grid = np.linspace(means.min(), means.max(), 65) if means.max() > means.min() else means[:1]
    chance_boot = np.interp(means, grid, [truncated_chance_gini(m) for m in grid])
    gini_t = make_table(gini, groups=[], measure="cohorts.measure.gini",
                        method=method + "; G = Σ(2i − n − 1)·x₍ᵢ₎ / (n·Σx)",
                        chance_gini=truncated_chance_gini(total / n),
                        chance_gini_ci=tuple(float(v) for v in interval(chance_boot)), **{**common, "unit": "index"})

    # Lorenz points from every accepted group size: the bottom n − k persons
    ks = np.array(sorted({k for k, ok in zip(t_sizes + top_k + lorenz_k, accepted) if ok and 0 < k < n},
                         reverse=True), dtype=float)
    share = 1 - conc.top_events(values, freq, ks)[0] / total
    lo, hi = interval(1 - conc.top_events(values, boot, ks) / boot_total[:, None]) if len(ks) else (share, share)
    lorenz = pd.DataFrame({"person_share": np.round(100 * (n - ks) / n, 1), "numerator": (n - ks).astype(np.int64),
                           "denominator": n, "estimate": share, "ci_low": lo, "ci_high": hi})
    lorenz_t = make_table(lorenz, groups=["person_share"], measure="cohorts.measure.lorenz", method=method,
                          nonadditive=["person_share"], **common)
    return Concentration(top=top_t, groups=groups_t, gini=gini_t, lorenz=lorenz_t)
