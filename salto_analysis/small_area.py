"""District comparisons without noise: over-dispersed funnels, empirical Bayes, Fay–Herriot, rank intervals.

Oslo's districts differ a lot in size, so their crude rates and direct survey estimates
differ by chance alone. This module holds the model-based tools that keep a reader from
over-reading that noise; direct standardisation is in :mod:`salto_analysis.standardise`.
Every function takes any set of area names (old districts, or the new ones after
:func:`salto_analysis.geography.apply`; nothing here knows Oslo's district list), works
within groups (``year``, ``wave``, indicator ...) and returns an ungraded estimate table
(:mod:`salto_analysis.estimates`), except :func:`funnel_curve` (limits for a figure) and
:func:`rank_intervals` (which adds columns to a graded table).

* :func:`funnel_comparison`: each area against the city with funnel limits
  (Spiegelhalter 2005, *Stat Med* 24:1185–1202), with a test for over-dispersion and,
  when it is present, limits widened by an additive random effect (``τ²``,
  DerSimonian–Laird) or a multiplicative factor (``φ``). The table says which limits were
  used and why, and each area's position against them, so the sentence and the flag
  come from the same limits; :func:`funnel_curve` gives the same limits along a range of
  populations for the figure.
* :func:`empirical_bayes_rates`: Poisson–gamma smoothing of register rates (global
  empirical Bayes, Marshall 1991) with posterior intervals, optionally pooling three years
  for small districts.
* :func:`fay_herriot`: the Fay–Herriot area-level model (Fay & Herriot 1979) for survey
  prevalences by district: EBLUP, Prasad–Rao MSE and model variance, on the arcsine scale
  by default, with smoothed sampling variances (a design-effect generalised variance
  function) where the direct variance is missing, zero or unstable.
* :func:`rank_intervals`: an interval for each area's rank by simulation from the model
  (Marshall & Spiegelhalter 1998, *BMJ* 316:1701–1704), never for flagged rows.

Disclosure
----------
A smoothed or model-based estimate of a district with 1–4 persons is still not a way to
publish that count. Every table keeps the counts it rests on (``count``/``exposure`` for
rates; ``numerator``/``denominator`` for survey shares), so
:func:`salto_analysis.reliability.grade` suppresses them as it suppresses the crude or
direct figures:

* :func:`empirical_bayes_rates`, :func:`funnel_comparison` with ``kind="rate"``: grade as
  kind ``rate`` (disclosure on ``count``, reliability on the count behind the estimate).
* :func:`funnel_comparison` with ``kind="proportion"``: kind ``proportion``.
* :func:`fay_herriot`: kind ``proportion`` with ``TableMeta.design_based`` true (when the
  direct table was a proportion table): the grading's NCHS rule then reads the EBLUP and
  its model-based standard error ``se`` (from the MSE) with the effective sample size
  capped at the district's number of respondents, and disclosure reads ``numerator`` and
  ``denominator``.
* :func:`rank_intervals` adds columns to a *graded* table and ranks only rows flagged
  ``ok``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as sps

from .estimates import estimate_table, has_meta, meta_of, with_facts
from .standardise import _as_list, _check_frame, _check_scale, _Key, _ravel
from .stats import check_confidence_level, poisson_ci, proportion_ci

__all__ = [
    "FUNNEL_KINDS",
    "ADJUSTMENTS",
    "OVERDISPERSION_RULES",
    "FH_METHODS",
    "TRANSFORMS",
    "VARIANCE_SMOOTHING",
    "funnel_comparison",
    "funnel_curve",
    "empirical_bayes_rates",
    "fay_herriot",
    "rank_intervals",
]

FUNNEL_KINDS = ("rate", "proportion")
ADJUSTMENTS = ("additive", "multiplicative")
OVERDISPERSION_RULES = ("chi2", "phi>1", "always", "never")
FH_METHODS = ("REML", "ML", "FH")
TRANSFORMS = ("arcsine", "logit", "none")
VARIANCE_SMOOTHING = ("unstable", "all", "none")
DEFAULT_SEED = 20270101


def _level_tag(level: float) -> str:
    """Column suffix of a confidence level: 0.95 -> "95", 0.998 -> "99_8"."""
    return f"{100 * level:g}".replace(".", "_")


def _group_indices(df: pd.DataFrame, groups: list[str]):
    """``(key tuple, row positions)`` for each group of ``df`` in sorted (category) order."""
    if not groups:
        return [((), np.arange(len(df)))]
    idx = df.groupby(groups, observed=True, sort=True).indices
    return [((k if isinstance(k, tuple) else (k,)), v) for k, v in idx.items()]


def _key_dict(groups: list[str], key: tuple) -> dict:
    return {g: (k.item() if isinstance(k, np.generic) else k) for g, k in zip(groups, key)}


# ======================================================================================
# funnel plots with over-dispersion
# ======================================================================================
def _binomial_limits(theta0: float, n: np.ndarray, p: float) -> np.ndarray:
    """Exact binomial funnel limit at probability ``p`` with Spiegelhalter's interpolation.

    ``r`` = smallest count with ``F(r) ≥ p``; ``α = (F(r) − p) / (F(r) − F(r − 1))``;
    limit ``(r − α)/n`` (Spiegelhalter 2005, *Stat Med* 24:1185–1202, appendix A.1).
    """
    r = sps.binom.ppf(p, n, theta0)
    f_r = sps.binom.cdf(r, n, theta0)
    f_r1 = sps.binom.cdf(r - 1, n, theta0)
    denom = f_r - f_r1
    alpha = np.divide(f_r - p, denom, out=np.zeros_like(f_r), where=denom > 0)
    return np.clip((r - alpha) / n, 0.0, 1.0)


def _transform(kind: str, value):
    return np.sqrt(value) if kind == "rate" else np.arcsin(np.sqrt(np.clip(value, 0.0, 1.0)))


def _back(kind: str, y):
    if kind == "rate":
        return np.clip(y, 0.0, None) ** 2
    return np.sin(np.clip(y, 0.0, np.pi / 2)) ** 2


def _limits(kind: str, theta0: float, n: np.ndarray, level: float, used: str, tau2: float, phi: float):
    """Lower and upper funnel limits (rate per person or proportion) for sizes ``n``."""
    if used == "none":
        if kind == "rate":
            from .plots import funnel_limits  # exact Poisson limits with interpolation

            return funnel_limits(theta0, n, confidence_level=level)
        return (_binomial_limits(theta0, n, (1 - level) / 2), _binomial_limits(theta0, n, (1 + level) / 2))
    z = sps.norm.ppf(0.5 + level / 2)
    s2 = 1.0 / (4.0 * n)
    half = z * (np.sqrt(s2 + tau2) if used == "additive" else np.sqrt(phi * s2))
    y0 = _transform(kind, theta0)
    return _back(kind, y0 - half), _back(kind, y0 + half)


def _winsorised_phi(z: np.ndarray, trim: float) -> tuple[float, int]:
    """``φ̂ = mean(z_w²)`` with ``z`` winsorised at its ``trim`` and ``1 − trim`` quantiles (type 7)."""
    if trim == 0:
        return float(np.mean(z**2)), 0
    lo, hi = np.quantile(z, [trim, 1 - trim])
    zw = np.clip(z, lo, hi)
    return float(np.mean(zw**2)), int(((z < lo) | (z > hi)).sum())


def funnel_comparison(
    data: pd.DataFrame,
    *,
    kind: str = "rate",
    area: str = "district",
    groups: str | Sequence[str] = (),
    count: str = "count",
    exposure: str = "population",
    numerator: str = "numerator",
    denominator: str = "denominator",
    target: float | None = None,
    scale: float = 1000,
    confidence_levels: Sequence[float] = (0.95, 0.998),
    adjustment: str = "additive",
    overdispersion: str = "chi2",
    test_level: float = 0.05,
    trim: float = 0.1,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Compare each area with the target by funnel limits that allow for over-dispersion.

    Method (Spiegelhalter 2005, *Stat Med* 24:1185–1202, and "Handling over-dispersion of
    performance indicators", *Qual Saf Health Care* 14:347–351):

    1. Target ``θ₀``: the pooled rate (or share) of all areas in the group, or ``target``.
    2. z-scores on a variance-stabilising scale: for rates ``Y = √(O/n)`` with
       ``s = 1/(2√n)`` (so ``z = 2(√O − √(θ₀n))``), for proportions ``Y = asin √p`` with
       ``s = 1/(2√n)``; ``z = (Y − Y₀)/s``.
    3. Over-dispersion: the z-scores are winsorised at their ``trim`` and ``1 − trim``
       quantiles (default 10 %, R ``quantile`` type 7), ``φ̂ = Σ z_w² / I``. Under no
       over-dispersion ``Iφ̂`` is about ``χ²`` on ``I − 1`` degrees of freedom.
    4. Whether to widen the limits (``overdispersion``): ``"chi2"`` (default) when that
       test gives ``p < test_level``; ``"phi>1"`` whenever ``φ̂ > 1`` (R FunnelPlotR);
       ``"always"``; ``"never"`` (the plain funnel).
    5. Widened limits (``adjustment``): ``"additive"`` (default; the random-effects
       approach, which Spiegelhalter 2005 (QSHC) gives the stronger conceptual foundation):
       ``τ̂² = (Iφ̂ − (I − 1)) / (Σw − Σw²/Σw)`` with ``w = 1/s²`` (DerSimonian & Laird
       1986), 0 when ``Iφ̂ ≤ I − 1``; limits ``Y₀ ± z_c √(s² + τ̂²)``. ``"multiplicative"``:
       ``Y₀ ± z_c √φ̂ s``. Limits are transformed back (squared for rates, ``sin²`` for
       proportions).
    6. Unwidened limits are the exact Poisson (:func:`salto_analysis.plots.funnel_limits`)
       or binomial limits with Spiegelhalter's interpolation.

    With 17 districts the winsorising touches about two districts at each end, so ``φ̂``
    is itself uncertain; the test keeps limits plain unless the spread is clearly too wide.

    Parameters
    ----------
    data : DataFrame
        One row per area (and group): ``count`` and ``exposure`` for ``kind="rate"``,
        ``numerator`` and ``denominator`` (whole numbers) for ``kind="proportion"``.
    area, groups : str
        The area column (any names) and further grouping columns (each group separately).
    target : float, optional
        The reference rate per ``scale`` (or the proportion); default the pooled value of
        each group.
    scale : float
        Rates per ``scale`` persons; ignored for proportions.
    confidence_levels : sequence of float
        The funnel limits (default 95 % and 99.8 %, about 2 and 3 standard errors).
    confidence_level : float
        The level of each area's own interval (``ci_low``/``ci_high``: Garwood for rates,
        Wilson for proportions).

    Returns
    -------
    DataFrame
        Estimate table of kind ``rate`` or ``proportion``, groups ``[*groups, area]``: the
        counts, ``estimate``, ``ci_low``, ``ci_high``, ``z`` (unadjusted) and
        ``z_adjusted`` (against the limits used), for each level ``c`` the limits used
        ``limit_low_<c>`` and ``limit_high_<c>`` (``c`` as ``95``, ``99_8``) and
        ``position_<c>`` (``1`` above the upper limit, ``-1`` below the lower, ``0``
        within; numeric so that grading removes it from suppressed rows), then per group
        ``target``, ``phi``, ``phi_p_value``, ``tau2`` (on the transformed scale),
        ``adjustment`` (``"none"``, ``"additive"``, ``"multiplicative"``) and
        ``adjustment_reason`` (``"no_overdispersion"``, ``"overdispersion"``,
        ``"always"``, ``"never"``). The fact ``funnel`` lists the same per group with the
        number of winsorised z-scores, for :func:`funnel_curve` and the reading notes.
    """
    level = check_confidence_level(confidence_level)
    levels = [check_confidence_level(c) for c in confidence_levels]
    if not levels:
        raise ValueError("confidence_levels must hold at least one level (for example (0.95, 0.998))")
    if kind not in FUNNEL_KINDS:
        raise ValueError(f"kind={kind!r} must be one of {', '.join(FUNNEL_KINDS)}")
    if adjustment not in ADJUSTMENTS:
        raise ValueError(f"adjustment={adjustment!r} must be one of {', '.join(ADJUSTMENTS)}")
    if overdispersion not in OVERDISPERSION_RULES:
        raise ValueError(f"overdispersion={overdispersion!r} must be one of {', '.join(OVERDISPERSION_RULES)}")
    if not (isinstance(trim, (int, float)) and 0 <= trim < 0.5):
        raise ValueError(f"trim={trim!r} must be a number from 0 up to (not including) 0.5")
    if not (isinstance(test_level, (int, float)) and 0 < test_level < 1):
        raise ValueError(f"test_level={test_level!r} must be a significance level between 0 and 1 (0.05)")
    scale = _check_scale(scale) if kind == "rate" else 1.0
    groups = _as_list(groups)
    num, den = (count, exposure) if kind == "rate" else (numerator, denominator)
    what = "funnel_comparison"
    _check_frame(data, [*groups, area, num, den], [num, den], what)
    if data.duplicated([*groups, area]).any():
        first = data.loc[data.duplicated([*groups, area]), [*groups, area]].iloc[0].tolist()
        raise ValueError(f"{what}: more than one row for {dict(zip([*groups, area], first))}; give one row per area")
    x_all = data[num].to_numpy(float)
    n_all = data[den].to_numpy(float)
    if (n_all <= 0).any():
        i = int(np.flatnonzero(n_all <= 0)[0])
        raise ValueError(f"{what}: {den!r} must be positive; row {data.index[i]!r} "
                         f"({area}={data[area].iloc[i]!r}) has {n_all[i]:g}")
    if kind == "proportion" and ((x_all > n_all).any() or (np.round(n_all) != n_all).any()
                                 or (np.round(x_all) != x_all).any()):
        raise ValueError(f"{what}: proportions need whole-number {num!r} <= {den!r} (the exact binomial limits)")
    if target is not None and not (np.isfinite(target) and target > 0 and (kind == "rate" or target < 1)):
        raise ValueError(f"target={target!r} must be a positive rate per {scale:g} (a proportion below 1 for shares)")

    tags = [_level_tag(c) for c in levels]
    cols = {c: np.full(len(data), np.nan) for c in
            ["z", "z_adjusted", "target", "phi", "phi_p_value", "tau2",
             *[f"{s}_{t}" for t in tags for s in ("limit_low", "limit_high", "position")]]}
    used_col = np.empty(len(data), dtype=object)
    reason_col = np.empty(len(data), dtype=object)
    summaries = []
    for key, idx in _group_indices(data, groups):
        x, n = x_all[idx], n_all[idx]
        I = len(idx)
        if I < 3:
            raise ValueError(f"{what}: over-dispersion needs at least 3 areas per group; "
                             f"{_key_dict(groups, key) or 'the data'} has {I}")
        theta0 = (target / scale if kind == "rate" else target) if target is not None else x.sum() / n.sum()
        if not 0 < theta0 < (np.inf if kind == "rate" else 1):
            raise ValueError(f"{what}: the target is {theta0:g} in {_key_dict(groups, key) or 'the data'}; "
                             "a funnel needs a target strictly inside its range (some events, not all)")
        s = 1.0 / (2.0 * np.sqrt(n))
        y = _transform(kind, x / n)
        y0 = _transform(kind, theta0)
        z = (y - y0) / s
        phi, n_wins = _winsorised_phi(z, trim)
        stat = I * phi
        p_value = float(sps.chi2.sf(stat, I - 1))
        w = 1.0 / s**2
        tau2 = 0.0 if stat <= I - 1 else float((stat - (I - 1)) / (w.sum() - (w**2).sum() / w.sum()))
        if overdispersion == "never":
            used, reason = "none", "never"
        elif overdispersion == "always":
            used, reason = adjustment, "always"
        else:
            present = p_value < test_level if overdispersion == "chi2" else phi > 1
            used, reason = (adjustment, "overdispersion") if present else ("none", "no_overdispersion")
        if used == "additive":
            z_adj = (y - y0) / np.sqrt(s**2 + tau2)
        elif used == "multiplicative":
            z_adj = z / np.sqrt(phi)
        else:
            z_adj = z
        rate = x / n
        for c, t in zip(levels, tags):
            lo, hi = _limits(kind, theta0, n, c, used, tau2, phi)
            cols[f"limit_low_{t}"][idx] = lo * scale
            cols[f"limit_high_{t}"][idx] = hi * scale
            cols[f"position_{t}"][idx] = np.where(rate > hi, 1, np.where(rate < lo, -1, 0))
        cols["z"][idx], cols["z_adjusted"][idx] = z, z_adj
        cols["target"][idx] = theta0 * scale
        cols["phi"][idx], cols["phi_p_value"][idx], cols["tau2"][idx] = phi, p_value, tau2
        used_col[idx], reason_col[idx] = used, reason
        summaries.append({**_key_dict(groups, key), "target": theta0 * scale, "phi": phi, "phi_p_value": p_value,
                          "tau2": tau2, "adjustment": used, "adjustment_reason": reason, "n_areas": I,
                          "n_winsorised": n_wins, "kind": kind, "scale": scale, "confidence_levels": levels,
                          "overdispersion_rule": overdispersion, "test_level": test_level, "trim": trim})

    out = data[[*groups, area]].copy()
    if kind == "rate":
        out["count"], out["exposure"] = data[num].to_numpy(), data[den].to_numpy()
        ci = poisson_ci(x_all, n_all, confidence_level=level)
        method = "Garwood interval"
    else:
        out["numerator"], out["denominator"] = data[num].to_numpy(), data[den].to_numpy()
        ci = proportion_ci(x_all, n_all, confidence_level=level)
        method = "Wilson interval"
    out["estimate"] = x_all / n_all * scale
    out["ci_low"], out["ci_high"] = np.asarray(ci.low) * scale, np.asarray(ci.high) * scale
    for c in ["z", "z_adjusted", *[f"{s}_{t}" for t in tags for s in ("limit_low", "limit_high")]]:
        out[c] = cols[c]
    for t in tags:
        out[f"position_{t}"] = cols[f"position_{t}"].astype(np.int64)
    for c in ("target", "phi", "phi_p_value", "tau2"):
        out[c] = cols[c]
    out["adjustment"], out["adjustment_reason"] = used_col, reason_col
    scale_name = "square-root" if kind == "rate" else "arcsine square-root"
    return estimate_table(
        out, groups=[*groups, area], kind=kind,
        measure="funnel comparison with the target", unit=f"per {scale:g}" if kind == "rate" else "proportion",
        method=(f"funnel limits (Spiegelhalter 2005) on the {scale_name} scale; over-dispersion by winsorised "
                f"z-scores ({trim:.0%} each end), {adjustment} widening when rule {overdispersion!r} says so; "
                f"{method} for each area"),
        confidence_level=level, area=area, funnel=summaries, confidence_levels=levels,
        **({"scale": scale} if kind == "rate" else {}),
    )


def funnel_curve(table: pd.DataFrame, exposure, *, group: dict | None = None) -> pd.DataFrame:
    """The limits of a :func:`funnel_comparison` table along ``exposure`` (populations), for a figure.

    ``group`` selects the group (a dict of its grouping values) when the table has more
    than one. Returns a frame with ``exposure`` and the ``limit_low_<c>``/``limit_high_<c>``
    columns of the table, computed exactly as the table's own limits (same target,
    adjustment, ``τ²`` or ``φ``).
    """
    summaries = meta_of(table).fact("funnel") if has_meta(table) else None
    if not summaries:
        raise ValueError("table must be a funnel_comparison() table (its metadata has no fact 'funnel')")
    if group is None:
        if len(summaries) != 1:
            raise ValueError(f"the table has {len(summaries)} groups; pass group={{...}} naming one")
        s = summaries[0]
    else:
        hits = [s for s in summaries if all(s.get(k) == v for k, v in group.items())]
        if len(hits) != 1:
            raise ValueError(f"group={group!r} matches {len(hits)} of the table's groups; name exactly one")
        s = hits[0]
    n = np.asarray(exposure, dtype=float)
    if n.ndim != 1 or np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("exposure must be a one-dimensional sequence of positive numbers")
    theta0 = s["target"] / s["scale"]
    out = pd.DataFrame({"exposure": n})
    for c in s["confidence_levels"]:
        lo, hi = _limits(s["kind"], theta0, n, c, s["adjustment"], s["tau2"], s["phi"])
        out[f"limit_low_{_level_tag(c)}"] = lo * s["scale"]
        out[f"limit_high_{_level_tag(c)}"] = hi * s["scale"]
    return out


# ======================================================================================
# empirical Bayes (Poisson-gamma) rates
# ======================================================================================
def empirical_bayes_rates(
    data: pd.DataFrame,
    *,
    area: str = "district",
    groups: str | Sequence[str] = (),
    count: str = "count",
    exposure: str = "population",
    scale: float = 1000,
    pool_years: int = 1,
    year: str = "year",
    pool_below: float = 20.0,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Empirical Bayes (Poisson–gamma) rates per ``scale`` residents, shrunk towards the city rate.

    Model (Clayton & Kaldor 1987, *Biometrics* 43:671–681): the count of area ``i`` is
    Poisson with mean ``θᵢ nᵢ`` and the true rates ``θᵢ`` are gamma with mean ``b`` and
    variance ``a``. The prior is estimated from all areas of the group by Marshall's global
    moment estimator (Marshall 1991, *Appl Stat* 40:283–294; R ``spdep::EBest``):
    ``b = ΣOᵢ/Σnᵢ``, ``s² = Σ nᵢ(rᵢ − b)²/Σnᵢ``, ``a = max(0, s² − b/n̄)`` with ``n̄`` the
    mean population. The posterior of each area is Gamma(shape ``ν + Oᵢ``, rate
    ``α + nᵢ``) with ``ν = b²/a``, ``α = b/a``; its mean ``b + Cᵢ(rᵢ − b)``,
    ``Cᵢ = a/(a + b/nᵢ)``, is the estimate and its equal-tailed quantiles the interval.
    ``shrinkage = 1 − Cᵢ`` is the share of the way the crude rate is pulled to the city rate:
    near 0 for large districts, near 1 for small ones.

    When ``a = 0`` (the districts differ no more than chance would make them) the model
    pools completely: every area gets the city rate ``b``, with the interval of the
    Jeffreys posterior Gamma(``ΣO + ½``, ``Σn``) of that common rate.

    The interval treats ``a`` and ``b`` as known, so it is somewhat too narrow when there
    are few areas (Laird & Louis 1987, *JASA* 82:739–750); with 17 districts the effect is
    small for large districts and larger for small ones.

    Pooling (``pool_years > 1``, as Statistics Norway and the Norwegian public-health
    profiles do for small areas): an area whose *expected* count in a year (city rate ×
    population) is under ``pool_below`` (default 20, the count under which CDC calls a
    rate unstable) gets the sum of counts and of populations over that year and the
    ``pool_years − 1`` years before it (those present in the data); ``years_pooled`` says
    how many. Deciding by the expected rather than the observed count keeps the choice
    from depending on chance highs and lows. The pooled figure is an average annual rate
    of the period, and the disclosure check then reads the pooled ``count``.

    Returns
    -------
    DataFrame
        Estimate table of kind ``rate``, groups ``[*groups, area]``: ``count``, ``exposure``
        (pooled where pooled), ``estimate`` (posterior mean), ``ci_low``, ``ci_high``
        (posterior quantiles), ``crude``, ``crude_low``, ``crude_high`` (Garwood),
        ``shrinkage``, ``years_pooled``, ``prior_mean``, ``prior_sd`` (per ``scale``),
        ``post_shape``, ``post_rate`` (the posterior gamma, rate per person, used by
        :func:`rank_intervals`). The fact ``prior`` lists ``a``, ``b``, ``ν``, ``α`` and
        whether pooling was partial or complete, per group.
    """
    level = check_confidence_level(confidence_level)
    scale = _check_scale(scale)
    groups = _as_list(groups)
    if isinstance(pool_years, bool) or not isinstance(pool_years, (int, np.integer)) or pool_years < 1:
        raise ValueError(f"pool_years={pool_years!r} must be a whole number of at least 1 (3 for three years)")
    if not (isinstance(pool_below, (int, float)) and pool_below >= 0):
        raise ValueError(f"pool_below={pool_below!r} must be a non-negative number of expected events")
    what = "empirical_bayes_rates"
    _check_frame(data, [*groups, area, count, exposure], [count, exposure], what)
    if pool_years > 1:
        if year not in groups:
            raise ValueError(f"pooling years needs the year column {year!r} among groups={groups}")
        if not pd.api.types.is_numeric_dtype(data[year]) or (data[year] % 1 != 0).any():
            raise ValueError(f"pooling needs whole-number years in column {year!r}, got dtype {data[year].dtype}")
    gk = [_Key(g, data[g]) for g in groups]
    ak = _Key(area, data[area])
    A = ak.size
    g_rows, G = _ravel(gk, 0)
    flat = g_rows * A + ak.codes[0]
    O_grid = np.bincount(flat, weights=data[count].to_numpy(float), minlength=G * A).reshape(G, A)
    n_grid = np.bincount(flat, weights=data[exposure].to_numpy(float), minlength=G * A).reshape(G, A)
    present = np.bincount(flat, minlength=G * A).reshape(G, A) > 0
    gi, ai = np.nonzero(present)
    gmulti = np.unravel_index(gi, [k.size for k in gk]) if gk else ()

    def where(i: int) -> dict:
        return {**{g: k.categories[c[i]] for g, k, c in zip(groups, gk, gmulti)}, area: ak.categories[ai[i]]}

    O, n = O_grid[gi, ai], n_grid[gi, ai]
    if (n <= 0).any():
        raise ValueError(f"{what}: {exposure!r} must be positive; {where(int(np.flatnonzero(n <= 0)[0]))} has none")
    years_pooled = np.ones(len(gi), dtype=np.int64)
    if pool_years > 1:
        # an area is pooled when its expected count (city rate of the year x population) is under pool_below
        rate_g = np.bincount(gi, O, minlength=G) / np.bincount(gi, n, minlength=G)
        pooled = rate_g[gi] * n < pool_below
        yi = groups.index(year)
        ycats = np.asarray(gk[yi].categories, dtype=float)  # sorted
        O_sum, n_sum, found_n = np.zeros(len(gi)), np.zeros(len(gi)), np.zeros(len(gi), dtype=np.int64)
        for lag in range(pool_years):
            target = ycats[gmulti[yi]] - lag
            pos = np.clip(np.searchsorted(ycats, target), 0, len(ycats) - 1)
            ok = ycats[pos] == target
            codes = list(gmulti)
            codes[yi] = pos
            g2 = np.ravel_multi_index(codes, [k.size for k in gk])
            ok &= present[g2, ai]
            O_sum += np.where(ok, O_grid[g2, ai], 0.0)
            n_sum += np.where(ok, n_grid[g2, ai], 0.0)
            found_n += ok
        O, n = np.where(pooled, O_sum, O), np.where(pooled, n_sum, n)
        years_pooled = np.where(pooled, found_n, 1)

    # Marshall's global moment estimator, per group (vectorised over groups)
    n_areas = np.bincount(gi, minlength=G)
    small = (n_areas > 0) & (n_areas < 3)
    if small.any():
        g0 = int(np.flatnonzero(small)[0])
        i0 = int(np.flatnonzero(gi == g0)[0])
        label = {k: v for k, v in where(i0).items() if k != area} or "the data"
        raise ValueError(f"{what}: the prior needs at least 3 areas per group; {label} has {n_areas[g0]}")
    sum_o, sum_n = np.bincount(gi, O, minlength=G), np.bincount(gi, n, minlength=G)
    with np.errstate(invalid="ignore", divide="ignore"):
        b = sum_o / sum_n
        r = O / n
        s2 = np.bincount(gi, n * (r - b[gi]) ** 2, minlength=G) / sum_n
        a_g = np.maximum(0.0, s2 - b / (sum_n / n_areas))
        partial_g = (a_g > 0) & (b > 0)
        partial = partial_g[gi]
        bb, aa = b[gi], a_g[gi]
        nu, alpha = np.where(partial, bb**2 / aa, np.inf), np.where(partial, bb / aa, np.inf)
        shape = np.where(partial, nu + O, sum_o[gi] + 0.5)
        rate = np.where(partial, alpha + n, sum_n[gi])
        shrink = np.where(partial, (bb / n) / (aa + bb / n), 1.0)
        est = np.where(partial, bb + (1 - shrink) * (r - bb), bb)
    a_level = 1 - level
    ci_low = sps.gamma.ppf(a_level / 2, shape, scale=1 / rate)
    ci_high = sps.gamma.ppf(1 - a_level / 2, shape, scale=1 / rate)
    priors = []
    for g in np.flatnonzero(n_areas):
        i0 = int(np.flatnonzero(gi == g)[0])
        keyd = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in where(i0).items() if k != area}
        priors.append({**keyd, "a": float(a_g[g]), "b": float(b[g]),
                       "shape": float(b[g] ** 2 / a_g[g]) if partial_g[g] else np.inf,
                       "rate": float(b[g] / a_g[g]) if partial_g[g] else np.inf,
                       "prior_mean": float(b[g] * scale), "prior_sd": float(np.sqrt(a_g[g]) * scale),
                       "pooling": "partial" if partial_g[g] else "complete", "n_areas": int(n_areas[g]),
                       "n_pooled_areas": int((years_pooled[gi == g] > 1).sum())})

    out = pd.DataFrame(index=np.arange(len(gi)))
    for g, k, c in zip(groups, gk, gmulti):
        out[g] = k.values(c)
    out[area] = ak.values(ai)
    out["count"] = O.astype(np.int64) if pd.api.types.is_integer_dtype(data[count]) else O
    out["exposure"] = n.astype(np.int64) if pd.api.types.is_integer_dtype(data[exposure]) else n
    out["estimate"], out["ci_low"], out["ci_high"] = est * scale, ci_low * scale, ci_high * scale
    crude_ci = poisson_ci(O, n, confidence_level=level)
    out["crude"] = r * scale
    out["crude_low"], out["crude_high"] = crude_ci.low * scale, crude_ci.high * scale
    out["shrinkage"] = shrink
    out["years_pooled"] = years_pooled.astype(np.int64)
    out["prior_mean"], out["prior_sd"] = bb * scale, np.sqrt(aa) * scale
    out["post_shape"], out["post_rate"] = shape, rate
    pooled_note = f"; {pool_years}-year pooling where fewer than {pool_below:g} events are expected" \
        if pool_years > 1 else ""
    return estimate_table(
        out, groups=[*groups, area], kind="rate", measure="empirical Bayes rate", unit=f"per {scale:g}",
        method=("Poisson-gamma empirical Bayes, Marshall (1991) global moment estimator; posterior gamma "
                f"quantiles{pooled_note}; crude rate with Garwood interval"),
        confidence_level=level, scale=scale, area=area, prior=priors, pool_years=pool_years,
        pool_below=pool_below, rank_model={"distribution": "gamma", "shape": "post_shape", "rate": "post_rate"},
    )


# ======================================================================================
# Fay-Herriot
# ======================================================================================
def _fh_parts(A: float, y: np.ndarray, psi: np.ndarray, X: np.ndarray):
    v = A + psi
    vi = 1.0 / v
    XtViX = X.T @ (X * vi[:, None])
    Q = np.linalg.inv(XtViX)
    beta = Q @ (X.T @ (vi * y))
    r = y - X @ beta
    return v, vi, Q, beta, r


def _fh_loglik(A: float, y, psi, X, method: str) -> float:
    v, vi, Q, _, r = _fh_parts(A, y, psi, X)
    ll = -0.5 * (np.sum(np.log(v)) + np.sum(r**2 * vi))
    if method == "REML":
        ll -= 0.5 * np.linalg.slogdet(np.linalg.inv(Q))[1]
    return float(ll)


def _fh_fit(y: np.ndarray, psi: np.ndarray, X: np.ndarray, method: str, max_iter: int, tol: float) -> dict:
    """Estimate the model variance ``A`` (τ²) by REML, ML (Fisher scoring) or the FH moment equation."""
    m, p = X.shape
    scale = float(np.mean(psi))
    converged, iterations, optimiser = True, 0, "Fisher scoring"
    if method == "FH":
        optimiser = "root of the moment equation (Brent)"

        def f(A):
            _, vi, _, _, r = _fh_parts(A, y, psi, X)
            return float(np.sum(r**2 * vi) - (m - p))

        if f(0.0) <= 0:
            A = 0.0
        else:
            hi = max(float(np.var(y)), scale)
            while f(hi) > 0:
                hi *= 4
            A = float(optimize.brentq(f, 0.0, hi, xtol=tol * scale, rtol=4 * np.finfo(float).eps, maxiter=500))
    else:
        A = float(np.median(psi))
        converged = False
        for iterations in range(1, max_iter + 1):
            _, vi, Q, _, r = _fh_parts(A, y, psi, X)
            if method == "REML":
                Xv = X * vi[:, None]
                P = np.diag(vi) - Xv @ Q @ Xv.T
                Py = P @ y
                score = -0.5 * np.trace(P) + 0.5 * float(Py @ Py)
                info = 0.5 * float(np.sum(P * P))
            else:
                score = -0.5 * np.sum(vi) + 0.5 * np.sum(r**2 * vi**2)
                info = 0.5 * np.sum(vi**2)
            new = max(0.0, A + score / info)
            step = abs(new - A)
            A = new
            if step <= tol * max(A, scale) or (A == 0.0 and score <= 0):
                converged = True
                break
        if not converged:
            # fall back to a bounded search of the (restricted) likelihood
            hi = max(10 * float(np.var(y)), 10 * scale)
            opt = optimize.minimize_scalar(lambda a: -_fh_loglik(a, y, psi, X, method), bounds=(0.0, hi),
                                           method="bounded", options={"xatol": tol * scale, "maxiter": 500})
            A, converged, optimiser = float(opt.x), bool(opt.success), "bounded likelihood search"
    v, vi, Q, beta, r = _fh_parts(A, y, psi, X)
    return {"A": A, "beta": beta, "v": v, "vi": vi, "Q": Q, "converged": converged, "iterations": iterations,
            "optimiser": optimiser}


def _fh_mse(fit: dict, psi: np.ndarray, X: np.ndarray, method: str) -> np.ndarray:
    """Second-order MSE: Prasad–Rao/Datta–Lahiri (REML), Datta–Lahiri (ML), Datta–Rao–Smith (FH)."""
    A, v, vi, Q = fit["A"], fit["v"], fit["vi"], fit["Q"]
    m = len(psi)
    B = psi / v
    g1 = A * psi / v
    g2 = B**2 * np.sum((X @ Q) * X, axis=1)
    var_a = 2 * m / np.sum(vi) ** 2 if method == "FH" else 2 / np.sum(vi**2)
    g3 = B**2 * var_a / v
    mse = g1 + g2 + 2 * g3
    if method == "ML":
        b_ml = -np.trace(Q @ (X.T @ (X * (vi**2)[:, None]))) / np.sum(vi**2)
        mse = mse - b_ml * B**2
    elif method == "FH":
        b_fh = 2 * (m * np.sum(vi**2) - np.sum(vi) ** 2) / np.sum(vi) ** 3
        mse = mse - b_fh * B**2
    return mse


def fay_herriot(
    direct: pd.DataFrame,
    estimate: str = "estimate",
    se: str = "se",
    area: str = "district",
    method: str = "REML",
    *,
    groups: str | Sequence[str] = (),
    covariates: str | Sequence[str] = (),
    transform: str = "arcsine",
    n: str | None = "denominator",
    df: str | None = "df",
    min_df: float | None = 8,
    smooth_variance: str = "unstable",
    confidence_level: float = 0.95,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> pd.DataFrame:
    """Fay–Herriot small-area estimates (EBLUP, MSE, model variance) from direct estimates by area.

    Model (Fay & Herriot 1979, *JASA* 74:269–277; Rao & Molina 2015, *Small Area
    Estimation*, ch. 6), on the scale of ``transform``: the direct estimate
    ``yᵢ = θᵢ + eᵢ`` with sampling variance ``ψᵢ`` taken as known, and
    ``θᵢ = xᵢ'β + vᵢ`` with ``vᵢ ~ N(0, A)`` (``A`` = ``tau2``). Without ``covariates``
    ``xᵢ'β`` is one common mean (intercept only). The EBLUP is
    ``θ̂ᵢ = xᵢ'β̂ + γᵢ(yᵢ − xᵢ'β̂)`` with ``γᵢ = A/(A + ψᵢ)``: a district with a precise
    direct estimate keeps it, an imprecise one is pulled towards the model.

    * ``A`` by ``method``: ``"REML"`` (default) or ``"ML"`` by Fisher scoring from
      ``median ψ``, truncated at 0 (as R ``sae::eblupFH``); ``"FH"`` the Fay–Herriot
      moment equation ``Σ rᵢ²/(A + ψᵢ) = m − p`` (R ``metafor`` "PM"), 0 when it has no
      positive root.
    * ``mse``: ``g1 + g2 + 2g3`` (Prasad & Rao 1990, *JASA* 85:163–171, for REML as Datta &
      Lahiri 2000), with the bias terms of Datta & Lahiri (2000) for ML and of Datta, Rao &
      Smith (2005) for FH (as ``sae::mseFH``). When ``A = 0`` every area gets the
      synthetic estimate and its MSE rests on the model being right.
    * Interval: ``θ̂ᵢ ± z √mse`` on the model scale, transformed back.

    Scale (``transform``). ``"arcsine"`` (default): ``y = asin √p̂``, sampling variance
    ``ψ = se²/(4p̂(1 − p̂)) = deff/(4n)``. It is chosen because the arcsine is
    variance-stabilising: ``ψ`` depends on the design effect and sample size only, not on
    the unknown prevalence, so it is better "known" as the model assumes, and a district
    with ``p̂ = 0`` (common for rare behaviours in small districts) stays usable. The logit
    needs ``p̂`` strictly between 0 and 1 and its variance ``se²/(p̂(1 − p̂))²`` explodes
    near 0, so a district with 1 affirmative answer gets an almost arbitrary weight
    (R ``emdi`` replaces 0 by 0.001). The back-transform is ``sin²`` of the EBLUP and of
    the limits (clipped to ``[0, π/2]``): the posterior median under the normal model,
    always inside its interval. The posterior mean, ``½[1 − e^{−2s²} cos 2θ̂]`` with
    ``s² = γᵢψᵢ`` (R ``emdi``'s bias-corrected back-transform, untruncated), is slightly
    higher at low prevalence and is not used. ``"logit"`` (``expit``) and
    ``"none"`` (the estimates as given, e.g. to compare with R ``metafor``) are available.

    Sampling variances (a generalised variance function, GVF). A direct variance is
    *unstable* when it is missing, not positive (e.g. ``p̂ ∈ {0, 1}``), or rests on fewer
    than ``min_df`` design degrees of freedom (column ``df``, the NCHS 2017 threshold 8; a
    variance from ``d`` degrees of freedom has a relative standard error of ``√(2/d)``).
    Those areas (``smooth_variance="unstable"``; ``"all"`` smooths every area, ``"none"``
    refuses unstable ones) get the design-effect GVF ``ψ̃ᵢ = d̄ · ψ_SRS(nᵢ)``: ``d̄`` is the
    median design effect ``nᵢ seᵢ²/(p̂ᵢ(1 − p̂ᵢ))`` of the group's areas with a positive
    direct variance, and ``ψ_SRS`` the variance of a simple random sample of the area's
    ``n`` respondents on the model scale, ``1/(4n)`` for the arcsine (Wolter 2007,
    *Introduction to Variance Estimation*, ch. 7, the average design-effect model; the
    same form as R ``tipsae::smoothing``). The logit and identity forms use the group's
    sample-weighted mean prevalence ``p̄``: ``d̄/(n p̄(1 − p̄))`` and ``d̄ p̄(1 − p̄)/n``.
    Smoothed areas are marked in ``variance_smoothed`` with the reason in ``variance_note``
    (``missing``, ``zero``, ``few_df``, ``all``).

    Parameters
    ----------
    direct : DataFrame
        One row per area and group, e.g. :func:`salto_analysis.survey.proportion` by
        ``district`` (and ``wave``): ``estimate``, ``se`` and, for the GVF, ``n``
        (respondents) and ``df``. ``numerator``/``denominator`` are carried along.
    groups, covariates : str or sequence of str
        Further grouping columns (one model per group) and area-level covariates
        (numeric, complete; an intercept is always added).
    max_iter, tol : int, float
        Fisher scoring stops when the change in ``A`` is under ``tol`` × max(A, mean ψ).

    Returns
    -------
    DataFrame
        Estimate table (kind ``proportion`` and ``design_based`` when the scale is arcsine
        or logit or the input was a proportion table; else the input's kind or
        ``summary``), groups ``[*groups, area]``: ``numerator``, ``denominator`` (if
        given), ``estimate`` (EBLUP, back-transformed), ``se`` (from the MSE by the delta
        method), ``ci_low``, ``ci_high``, ``n_eff`` (``p(1 − p)/se²``; ``1/(4 mse)`` on the
        arcsine scale), then ``direct``, ``direct_se``, ``direct_low``, ``direct_high`` (when
        the input had ``ci_low``/``ci_high``; ungraded direct figures, for checks: a page
        shows the direct estimates from the graded direct table, whose reliability flags
        they need), and on the model scale ``eblup``, ``mse``,
        ``tau2``, ``psi`` (sampling variance used), ``gamma`` (weight of the direct
        estimate), ``synthetic`` (``xᵢ'β̂``), ``variance_smoothed``, ``variance_note``.
        The fact ``fay_herriot`` has per group ``tau2``, ``beta``, the GVF design effect,
        the number of smoothed areas and the convergence.
    """
    level = check_confidence_level(confidence_level)
    if method not in FH_METHODS:
        raise ValueError(f"method={method!r} must be one of {', '.join(FH_METHODS)}")
    if transform not in TRANSFORMS:
        raise ValueError(f"transform={transform!r} must be one of {', '.join(TRANSFORMS)}")
    if smooth_variance not in VARIANCE_SMOOTHING:
        raise ValueError(f"smooth_variance={smooth_variance!r} must be one of {', '.join(VARIANCE_SMOOTHING)}")
    if min_df is not None and not (isinstance(min_df, (int, float)) and min_df >= 0):
        raise ValueError(f"min_df={min_df!r} must be a non-negative number or None")
    groups, covariates = _as_list(groups), _as_list(covariates)
    what = "fay_herriot"
    if not isinstance(direct, pd.DataFrame):
        raise ValueError(f"{what}: direct must be a DataFrame of direct estimates, got {type(direct).__name__}")
    for col, name in ((estimate, "estimate"), (se, "se")):
        if col not in direct.columns:
            raise ValueError(f"{what}: {name} column {col!r} not in the data (columns: {list(direct.columns)})")
    _check_frame(direct, [*groups, area, *covariates], covariates, what, nonnegative=False)
    if direct.duplicated([*groups, area]).any():
        first = direct.loc[direct.duplicated([*groups, area]), [*groups, area]].iloc[0].tolist()
        raise ValueError(f"{what}: more than one row for {dict(zip([*groups, area], first))}; give one row per area")
    p_hat = pd.to_numeric(direct[estimate], errors="coerce").to_numpy(float)
    if np.isnan(p_hat).any():
        rows = list(direct.index[np.isnan(p_hat)][:3])
        raise ValueError(f"{what}: column {estimate!r} has {int(np.isnan(p_hat).sum())} missing estimate(s), "
                         f"first at rows {rows}; leave areas without respondents out of the direct table")
    se_d = pd.to_numeric(direct[se], errors="coerce").to_numpy(float)
    proportion_like = transform != "none" or bool(np.all((p_hat >= 0) & (p_hat <= 1)))
    if transform != "none" and ((p_hat < 0) | (p_hat > 1)).any():
        raise ValueError(f"{what}: transform={transform!r} needs proportions in [0, 1] in {estimate!r}")
    edge = (p_hat <= 0) | (p_hat >= 1)
    if transform == "logit" and edge.any():
        first = direct[area].iloc[int(np.flatnonzero(edge)[0])]
        raise ValueError(f"{what}: the logit is not defined at a direct estimate of 0 or 1 ({area}={first!r}); "
                         "use transform='arcsine'")
    n_resp = None
    if n is not None and n in direct.columns:
        n_resp = pd.to_numeric(direct[n], errors="coerce").to_numpy(float)
    dfs = pd.to_numeric(direct[df], errors="coerce").to_numpy(float) if df is not None and df in direct.columns \
        else None

    with np.errstate(divide="ignore", invalid="ignore"):
        pq = p_hat * (1 - p_hat)
        if transform == "arcsine":
            y_all = np.arcsin(np.sqrt(np.clip(p_hat, 0, 1)))
            psi_direct = se_d**2 / (4 * pq)
        elif transform == "logit":
            y_all = np.log(p_hat / (1 - p_hat))
            psi_direct = se_d**2 / pq**2
        else:
            y_all = p_hat.copy()
            psi_direct = se_d**2
        deff_all = n_resp * se_d**2 / pq if n_resp is not None else np.full(len(p_hat), np.nan)
    note = np.full(len(direct), "", dtype=object)
    missing = ~np.isfinite(se_d)
    zero = ~missing & ~(se_d > 0) | (transform != "none") & edge & ~missing
    note[missing] = "missing"
    note[zero & ~missing] = "zero"
    if dfs is not None and min_df is not None:
        few = ~missing & ~zero & ~(dfs >= min_df)
        note[few] = "few_df"
    unstable = note != ""
    if smooth_variance == "all":
        note[:] = np.where(note == "", "all", note)
    elif smooth_variance == "none" and unstable.any():
        i = int(np.flatnonzero(unstable)[0])
        raise ValueError(f"{what}: {int(unstable.sum())} area(s) have a missing, zero or unstable direct variance "
                         f"(first: {area}={direct[area].iloc[i]!r}, {note[i]}); use smooth_variance='unstable'")
    smoothed = note != ""
    if smoothed.any() and n_resp is None:
        raise ValueError(f"{what}: the variance function needs the respondents per area in column {n!r}; "
                         f"{int(smoothed.sum())} area(s) need a smoothed variance")
    if smoothed.any() and not proportion_like:
        raise ValueError(f"{what}: the variance function is for proportions; {int(smoothed.sum())} area(s) need "
                         "a smoothed variance but the estimates are not in [0, 1]")
    X_all = np.column_stack([np.ones(len(direct)), *[direct[c].to_numpy(float) for c in covariates]])
    p = X_all.shape[1]
    z = sps.norm.ppf(0.5 + level / 2)

    res = {c: np.full(len(direct), np.nan) for c in ("eblup", "mse", "tau2", "psi", "gamma", "synthetic")}
    fits = []
    for key, idx in _group_indices(direct, groups):
        m = len(idx)
        where = _key_dict(groups, key) or "the data"
        if m - p < 2:
            raise ValueError(f"{what}: {where} has {m} area(s); the model needs at least {p + 2} "
                             f"(areas minus covariates with the intercept at least 2)")
        psi = psi_direct[idx].copy()
        sm = smoothed[idx]
        d_bar = np.nan
        if sm.any():
            usable = np.isfinite(deff_all[idx]) & (deff_all[idx] > 0) & np.isfinite(psi_direct[idx]) \
                & (psi_direct[idx] > 0)
            if not usable.any():
                raise ValueError(f"{what}: no area of {where} has a positive direct variance to fit the "
                                 "variance function on")
            d_bar = float(np.median(deff_all[idx][usable]))
            n_i = n_resp[idx][sm]
            if not (np.isfinite(n_i) & (n_i > 0)).all():
                raise ValueError(f"{what}: the variance function needs a positive {n!r} for every smoothed area "
                                 f"of {where}")
            p_bar = float(np.sum(n_resp[idx] * p_hat[idx]) / np.sum(n_resp[idx]))
            if transform == "arcsine":
                psi[sm] = d_bar / (4 * n_i)
            elif transform == "logit":
                psi[sm] = d_bar / (n_i * p_bar * (1 - p_bar))
            else:
                psi[sm] = d_bar * p_bar * (1 - p_bar) / n_i
        if not (np.isfinite(psi) & (psi > 0)).all():
            raise ValueError(f"{what}: the sampling variances of {where} must be positive and finite")
        y, X = y_all[idx], X_all[idx]
        if np.linalg.matrix_rank(X) < p:
            raise ValueError(f"{what}: the covariates {covariates} are collinear (or constant) in {where}")
        fit = _fh_fit(y, psi, X, method, max_iter, tol)
        A = fit["A"]
        syn = X @ fit["beta"]
        gamma = A / (A + psi)
        res["eblup"][idx] = syn + gamma * (y - syn)
        res["mse"][idx] = _fh_mse(fit, psi, X, method)
        res["tau2"][idx], res["psi"][idx], res["gamma"][idx], res["synthetic"][idx] = A, psi, gamma, syn
        fits.append({**_key_dict(groups, key), "tau2": A, "beta": [float(b) for b in fit["beta"]],
                     "covariates": ["(intercept)", *covariates], "method": method, "transform": transform,
                     "gvf_design_effect": d_bar, "n_smoothed": int(sm.sum()), "n_areas": m,
                     "converged": fit["converged"], "iterations": fit["iterations"], "optimiser": fit["optimiser"]})

    eb, mse = res["eblup"], res["mse"]
    rmse = np.sqrt(mse)
    lo_t, hi_t = eb - z * rmse, eb + z * rmse
    if transform == "arcsine":
        est = np.sin(np.clip(eb, 0, np.pi / 2)) ** 2
        lo, hi = (np.sin(np.clip(v, 0, np.pi / 2)) ** 2 for v in (lo_t, hi_t))
        se_p = np.abs(np.sin(2 * np.clip(eb, 0, np.pi / 2))) * rmse
    elif transform == "logit":
        est, lo, hi = (1 / (1 + np.exp(-v)) for v in (eb, lo_t, hi_t))
        se_p = est * (1 - est) * rmse
    else:
        est, lo, hi, se_p = eb, lo_t, hi_t, rmse
    out = direct[[*groups, area]].copy()
    for c in ("numerator", "denominator"):
        if c in direct.columns:
            out[c] = direct[c].to_numpy()
    out["estimate"], out["se"], out["ci_low"], out["ci_high"] = est, se_p, lo, hi
    if proportion_like:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["n_eff"] = 1 / (4 * mse) if transform == "arcsine" else est * (1 - est) / se_p**2
    out["direct"], out["direct_se"] = p_hat, se_d
    if "ci_low" in direct.columns and "ci_high" in direct.columns:
        out["direct_low"], out["direct_high"] = direct["ci_low"].to_numpy(), direct["ci_high"].to_numpy()
    for c in ("eblup", "mse", "tau2", "psi", "gamma", "synthetic"):
        out[c] = res[c]
    out["variance_smoothed"] = smoothed
    out["variance_note"] = note
    in_meta = meta_of(direct) if has_meta(direct) else None
    in_kind = in_meta.kind if in_meta else None
    if transform != "none" or in_kind == "proportion":
        kind, extra = "proportion", {"design_based": True}
    else:
        kind, extra = (in_kind if in_kind in ("rate", "count", "summary") else "summary"), {}
    mse_name = {"REML": "Prasad-Rao (Datta-Lahiri)", "ML": "Datta-Lahiri", "FH": "Datta-Rao-Smith"}[method]
    return estimate_table(
        out, groups=[*groups, area], kind=kind,
        measure=in_meta.measure if in_meta else estimate, unit=in_meta.unit if in_meta else "proportion",
        method=(f"Fay-Herriot EBLUP ({method}, {transform} scale, "
                f"{'intercept only' if not covariates else 'covariates ' + ', '.join(covariates)}); "
                f"{mse_name} MSE; design-effect variance function for unstable direct variances"),
        confidence_level=level, area=area, fay_herriot=fits, transform=transform, fh_method=method,
        rank_model={"distribution": "normal", "mean": "eblup", "variance": "mse"}, **extra,
    )


# ======================================================================================
# rank intervals
# ======================================================================================
def _draws(model: dict, table: pd.DataFrame, rows: np.ndarray, rng, n_draws: int) -> np.ndarray:
    dist = model.get("distribution")
    k = len(rows)
    if dist == "gamma":
        shape = table[model["shape"]].to_numpy(float)[rows]
        rate = table[model["rate"]].to_numpy(float)[rows]
        return rng.gamma(shape, 1.0 / rate, size=(n_draws, k))
    if dist == "gamma-moments":
        mean = table[model["mean"]].to_numpy(float)[rows]
        sd = table[model["sd"]].to_numpy(float)[rows]
        out = np.tile(mean, (n_draws, 1))
        ok = (mean > 0) & (sd > 0)
        if ok.any():
            shape = (mean[ok] / sd[ok]) ** 2
            out[:, ok] = rng.gamma(shape, sd[ok] ** 2 / mean[ok], size=(n_draws, int(ok.sum())))
        return out
    if dist == "normal":
        mean = table[model["mean"]].to_numpy(float)[rows]
        sd = np.sqrt(table[model["variance"]].to_numpy(float)[rows]) if "variance" in model \
            else table[model["sd"]].to_numpy(float)[rows]
        return rng.normal(mean, sd, size=(n_draws, k))
    raise ValueError(f"attrs['rank_model']={model!r} has an unknown distribution")


def _model_columns(model: dict) -> list[str]:
    return [model[k] for k in ("shape", "rate", "mean", "sd", "variance") if k in model]


def rank_intervals(
    table: pd.DataFrame,
    *,
    area: str | None = None,
    groups: str | Sequence[str] | None = None,
    rankable=None,
    n_draws: int = 4000,
    seed: int = DEFAULT_SEED,
    confidence_level: float = 0.95,
    descending: bool = True,
) -> pd.DataFrame:
    """Add each area's rank and an interval for it, by simulation from the model (seeded).

    Method (Marshall & Spiegelhalter 1998, *BMJ* 316:1701–1704; Goldstein & Spiegelhalter
    1996, *JRSS A* 159:385–443): draw ``n_draws`` values of every rankable area's rate or
    share from the distribution the table's model gives it (its fact ``rank_model``: the
    posterior gamma of :func:`empirical_bayes_rates`, ``N(eblup, mse)`` of
    :func:`fay_herriot` on its model scale, the gamma with the DSR's mean and variance of
    :func:`salto_analysis.standardise.direct_standardised_rates`; otherwise
    ``N(estimate, se)``), rank the areas within each draw (1 = highest when
    ``descending``; ties share the average rank) and report the equal-tailed
    ``confidence_level`` interval of each area's ranks. Draws are independent between
    areas: the correlation through the shared prior or regression is ignored, which
    makes the intervals slightly too wide rather than too narrow.

    Which rows are ranked: by default the table must be graded
    (:func:`salto_analysis.reliability.grade`) and only rows flagged ``ok`` are ranked
    (flagged rows are never ranked, and a suppressed district's position cannot be read
    from the others' ranks); a boolean column ``rankable`` in the table also applies.
    ``rankable`` may instead name a boolean column or give a boolean array. Rows without
    model numbers are never ranked. The fact ``not_ranked`` counts the rows left out.

    Returns
    -------
    DataFrame
        The table with ``rankable`` (bool), ``rank`` (of the point estimate among the
        ranked rows, ties the lowest rank), ``rank_median``, ``rank_low`` and ``rank_high``
        (quantiles of the simulated ranks, R type 1; missing for rows not ranked);
        its metadata gains the facts ``rank_draws``, ``rank_seed``,
        ``rank_direction``, ``rank_confidence_level`` and ``not_ranked``.
    """
    level = check_confidence_level(confidence_level)
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 100:
        raise ValueError(f"n_draws={n_draws!r} must be a whole number of at least 100 (thousands are usual)")
    if not has_meta(table):
        raise ValueError("table must be an estimate table (from salto_analysis.estimates.estimate_table)")
    meta = meta_of(table)
    area = area or meta.fact("area", "district")
    if area not in table.columns:
        raise ValueError(f"area column {area!r} not in the table (columns: {list(table.columns)})")
    groups = [g for g in meta.groups if g != area] if groups is None else _as_list(groups)
    model = meta.fact("rank_model")
    if model is None:
        if "se" not in table.columns:
            raise ValueError("the table has no rank model (fact 'rank_model') and no 'se' column to simulate from")
        model = {"distribution": "normal", "mean": "estimate", "sd": "se"}
    missing = [c for c in [*_model_columns(model), "estimate"] if c not in table.columns]
    if missing:
        raise ValueError(f"the table lacks the column(s) {missing} that its rank model needs")
    nrow = len(table)
    plain = table.copy(deep=False)
    plain.attrs = {}  # pandas copies attrs on every column access; the rank model needs none of them
    if rankable is None:
        graded = "flag" in table.columns and table["flag"].notna().any()
        if not graded:
            raise ValueError("grade the table first (salto_analysis.reliability.grade) so that flagged rows are not "
                             "ranked, or pass rankable= explicitly")
        mask = table["flag"].astype(object).eq("ok").to_numpy()
        if "rankable" in table.columns:
            mask &= table["rankable"].fillna(False).astype(bool).to_numpy()
    elif isinstance(rankable, str):
        if rankable not in table.columns:
            raise ValueError(f"rankable={rankable!r} is not a column of the table")
        mask = table[rankable].fillna(False).astype(bool).to_numpy()
    else:
        mask = np.asarray(rankable, dtype=bool)
        if mask.shape != (nrow,):
            raise ValueError(f"rankable must have one boolean per row ({nrow}), got shape {mask.shape}")
    for c in [*_model_columns(model), "estimate"]:
        mask = mask & np.isfinite(pd.to_numeric(plain[c], errors="coerce").to_numpy(float))
    rng = np.random.default_rng(seed)
    rank, med, low, high = (np.full(nrow, np.nan) for _ in range(4))
    a = 1 - level
    est_all = pd.to_numeric(plain["estimate"], errors="coerce").to_numpy(float)
    for _, idx in _group_indices(plain, groups):
        rows = idx[mask[idx]]
        if len(rows) < 2:
            mask[rows] = False
            continue
        draws = _draws(model, plain, rows, rng, n_draws)
        sims = sps.rankdata(-draws if descending else draws, axis=1, method="average")
        rank[rows] = sps.rankdata(-est_all[rows] if descending else est_all[rows], method="min")
        sims.sort(axis=0)  # quantiles as R type 1 (inverted empirical distribution): the ceil(q n)-th value
        med[rows], low[rows], high[rows] = (sims[max(int(np.ceil(q * n_draws)) - 1, 0)]
                                            for q in (0.5, a / 2, 1 - a / 2))
    out = table.copy()
    out["rankable"] = mask
    out["rank"], out["rank_median"], out["rank_low"], out["rank_high"] = rank, med, low, high
    out = estimate_table(out, groups=list(meta.groups) or [*groups, area], kind=meta.kind, measure=meta.measure,
                         unit=meta.unit, method=meta.method, confidence_level=meta.confidence_level)
    return with_facts(out, rank_draws=int(n_draws), rank_seed=seed,
                      rank_direction="1 = highest" if descending else "1 = lowest", rank_confidence_level=level,
                      not_ranked=int((~mask).sum()), rank_model=model)
