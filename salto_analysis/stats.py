"""Confidence intervals and tests for counts, proportions, rates and their comparisons.

Every function is vectorised over scalars, NumPy arrays and pandas Series (a Series
in gives a Series with the same index out), takes ``confidence_level=0.95`` (scipy's
name) and checks its arguments, raising ``ValueError`` that names the bad value. Values
are paired by position, as in NumPy: several Series given to one call must have equal
indexes (same labels, same order), else ``ValueError`` asks to align them first (pandas
would align on the labels, so pairing by position would silently pair the wrong rows).

Methods and sources
-------------------
* One proportion (:func:`proportion_ci`): Wilson, Clopper–Pearson, Jeffreys with the
  Brown–Cai–DasGupta boundary rule, Agresti–Coull. Brown, Cai & DasGupta (2001),
  *Statistical Science* 16(2):101–133. The project reports Wilson; Clopper–Pearson is
  used inside the NCHS reliability checks (:mod:`salto_analysis.reliability`).
* Poisson counts and rates (:func:`poisson_ci`): Garwood (1936) exact interval,
  ``chi2(a/2; 2x)/2, chi2(1-a/2; 2x+2)/2``.
* Ratio of two Poisson rates (:func:`rate_ratio`): the exact conditional method of
  R's ``poisson.test``: ``X1 | X1+X0 ~ Bin(N, pi)``, Clopper–Pearson limits for ``pi``
  mapped to the ratio, and the two-sided "minlike" binomial p-value (as R ``binom.test``).
* Difference of two proportions (:func:`proportion_difference`): Newcombe (1998) hybrid
  score interval (method 10), *Stat Med* 17:873–890.
* Odds ratio (:func:`odds_ratio`): Woolf's logit interval and the exact conditional
  (Cornfield 1956) interval with the conditional MLE, as R ``fisher.test``.
* Risk ratio of two proportions (:func:`risk_ratio`): Katz log interval (Katz, Baptista,
  Azen & Pike 1978), *Biometrics* 34:469–474.
* Sample quantiles (:func:`quantile_interval`): distribution-free order-statistic
  intervals from the binomial distribution of the number of observations below the
  quantile (Conover 1999, *Practical Nonparametric Statistics*, §3.2).

Each interval formula is written once, here: :func:`clopper_pearson_limits`,
:func:`garwood_limits` and :func:`korn_graubard_n` expose the Clopper–Pearson, Garwood and
Korn–Graubard pieces on arrays with missing values (no argument checks besides the level)
for the survey intervals (:mod:`salto_analysis.survey`) and the reliability grading.

The estimate-table helpers (:func:`proportion_table`, :func:`rate_table`,
:func:`count_table`) aggregate a frame of counts by groups and return the
project's estimate table (:mod:`salto_analysis.estimates`), ungraded.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps

from .estimates import estimate_table

__all__ = [
    "ConfidenceInterval",
    "Comparison",
    "PROPORTION_METHODS",
    "proportion_ci",
    "poisson_ci",
    "rate_ratio",
    "proportion_difference",
    "odds_ratio",
    "risk_ratio",
    "quantile_interval",
    "binom_test_two_sided",
    "clopper_pearson_limits",
    "garwood_limits",
    "korn_graubard_n",
    "proportion_table",
    "rate_table",
    "count_table",
    "check_confidence_level",
]

ConfidenceInterval = namedtuple("ConfidenceInterval", ["low", "high"])
ConfidenceInterval.__doc__ = "Lower and upper confidence limits (scipy style)."

PROPORTION_METHODS = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull")

# Relative tolerance R's binom.test and fisher.test (and scipy's binomtest) use to decide
# which outcomes are "as or less likely" than the observed one in the two-sided p-value.
_MINLIKE_RELERR = 1 + 1e-7


# --------------------------------------------------------------------------------------
# argument handling
# --------------------------------------------------------------------------------------
def check_confidence_level(confidence_level: float) -> float:
    """Return ``confidence_level`` if it lies strictly between 0 and 1, else raise ``ValueError``."""
    try:
        ok = 0 < float(confidence_level) < 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"confidence_level={confidence_level!r} must be a number strictly between 0 and 1")
    return float(confidence_level)


def _z(confidence_level: float) -> float:
    return float(sps.norm.ppf(0.5 + confidence_level / 2))


def _array(name: str, value) -> np.ndarray:
    """``value`` as a float array; raise ``ValueError`` naming ``name`` if it is not numeric."""
    if isinstance(value, pd.Series):
        value = value.to_numpy(dtype=float, na_value=np.nan) if value.dtype != object else value.to_numpy()
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} must be numeric") from None
    return arr


def _show(value) -> str:
    """A plain number for error messages (``11`` rather than ``np.float64(11.0)``)."""
    v = float(value)
    return str(int(v)) if v.is_integer() else repr(v)


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> str:
    """The first offending value of ``arr`` (for error messages)."""
    b = np.broadcast_to(bad, np.broadcast(arr, bad).shape)
    return _show(np.broadcast_to(arr, b.shape)[b].flat[0])


def _check_nonnegative(name: str, arr: np.ndarray) -> None:
    bad = (arr < 0) | np.isinf(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be finite and non-negative; got {name}={_first_bad(arr, bad)}")


def _check_positive(name: str, arr: np.ndarray) -> None:
    bad = ~(arr > 0) & ~np.isnan(arr) | np.isinf(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be finite and positive; got {name}={_first_bad(arr, bad)}")


def _check_counts(x: np.ndarray, n: np.ndarray, xname: str, nname: str) -> None:
    _check_nonnegative(xname, x)
    _check_nonnegative(nname, n)
    bad = x > n
    if np.any(bad):
        xb, nb = np.broadcast_arrays(x, n)
        i = np.flatnonzero(np.broadcast_to(bad, xb.shape))[0]
        raise ValueError(f"{xname} cannot exceed {nname}; "
                         f"got {xname}={_show(xb.flat[i])} > {nname}={_show(nb.flat[i])}")


def _wrap(like, arr: np.ndarray):
    """Return ``arr`` shaped like the input ``like``: float for scalars, Series for Series."""
    if isinstance(like, pd.Series):
        return pd.Series(np.broadcast_to(arr, like.shape).copy(), index=like.index)
    if np.ndim(arr) == 0:
        return float(arr)
    return arr


def _check_aligned(**values) -> None:
    """Refuse pandas Series with different indexes: the functions pair values by position.

    Series with equal indexes (same labels in the same order) are fine, as is a Series with
    arrays or scalars (paired by position, as NumPy). Raises ``ValueError`` naming the inputs.
    """
    named = [(k, v) for k, v in values.items() if isinstance(v, pd.Series)]
    for name, series in named[1:]:
        first_name, first = named[0]
        if not series.index.equals(first.index):
            raise ValueError(f"{first_name} and {name} are pandas Series with different indexes "
                             f"({list(first.index[:3])}... vs {list(series.index[:3])}...); values are paired by "
                             f"position, so align them first, e.g. {name} = {name}.reindex({first_name}.index)")


def _check_whole(name: str, arr: np.ndarray, why: str) -> None:
    bad = ~np.isnan(arr) & (arr != np.floor(arr))
    if np.any(bad):
        raise ValueError(f"{name} must be whole numbers ({why}); got {name}={_first_bad(arr, bad)}")


def _template(*values):
    """The first Series among ``values`` (to carry its index), else the first value."""
    for v in values:
        if isinstance(v, pd.Series):
            return v
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    return np.empty(shape) if shape else 0.0


# --------------------------------------------------------------------------------------
# one proportion
# --------------------------------------------------------------------------------------
def _wilson_p(p, n, z):
    """Wilson score limits for a share ``p`` of ``n`` (effective) trials with quantile ``z`` (no checks).

    The one copy of the formula: :func:`proportion_ci`, :func:`proportion_difference` and
    the survey ``wilson`` interval (``n`` = effective sample size, ``z`` = a t quantile) call it.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def _wilson(x, n, z):
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
    return _wilson_p(p, n, z)


def _clopper_pearson(x, n, a):
    """Clopper–Pearson limits at level ``1 − a`` (the one copy of the formula; no argument checks).

    Lower limit exactly 0 at ``x = 0``, upper exactly 1 at ``x = n``; ``nan`` where an input is
    missing or invalid (``n`` not positive and finite, ``x < 0``, ``x > n``).
    """
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, sps.beta.ppf(a / 2, x, n - x + 1), 0.0)
        high = np.where(x < n, sps.beta.ppf(1 - a / 2, x + 1, n - x), 1.0)
        good = (x >= 0) & (x <= n) & (n > 0) & np.isfinite(n)  # nan compares False
    return np.where(good, low, np.nan), np.where(good, high, np.nan)


def _jeffreys(x, n, a):
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, sps.beta.ppf(a / 2, x + 0.5, n - x + 0.5), 0.0)
        high = np.where(x < n, sps.beta.ppf(1 - a / 2, x + 0.5, n - x + 0.5), 1.0)
    return low, high


def _agresti_coull(x, n, z):
    with np.errstate(invalid="ignore", divide="ignore"):
        n_t = n + z**2
        p_t = (x + z**2 / 2) / n_t
        half = z * np.sqrt(p_t * (1 - p_t) / n_t)
    return p_t - half, p_t + half


def proportion_ci(successes, trials, *, confidence_level: float = 0.95, method: str = "wilson") -> ConfidenceInterval:
    """Confidence interval for a binomial proportion ``successes / trials``.

    Parameters
    ----------
    successes, trials : scalar, array or Series
        Counts, broadcast against each other; ``0 <= successes <= trials``. Non-integer
        values (effective counts) are accepted. ``trials == 0`` or a missing value gives
        ``nan`` limits.
    confidence_level : float
        Two-sided confidence level in (0, 1).
    method : {"wilson", "clopper-pearson", "jeffreys", "agresti-coull"}
        * ``wilson``: score interval ``(p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)``
          (Wilson 1927); the project's display interval, as Brown, Cai & DasGupta (2001)
          recommend.
        * ``clopper-pearson``: exact, ``Beta⁻¹(a/2; x, n−x+1)``, ``Beta⁻¹(1−a/2; x+1, n−x)``,
          with limits 0 at ``x = 0`` and 1 at ``x = n`` (Clopper & Pearson 1934).
        * ``jeffreys``: equal-tailed ``Beta(x+½, n−x+½)`` quantiles with Brown–Cai–DasGupta's
          boundary rule: lower limit 0 when ``x = 0``, upper limit 1 when ``x = n``
          (statsmodels' ``jeffreys`` lacks this rule).
        * ``agresti-coull``: ``p̃ ± z·sqrt(p̃(1−p̃)/ñ)`` with ``ñ = n + z²``,
          ``p̃ = (x + z²/2)/ñ`` (Agresti & Coull 1998).

    Returns
    -------
    ConfidenceInterval
        ``(low, high)``, clipped to [0, 1]; floats for scalar input, arrays or Series otherwise.
        For every method the lower limit is exactly 0 at ``x = 0`` and the upper limit exactly 1
        at ``x = n`` (never a rounding error on the wrong side of the estimate).

    References
    ----------
    Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial proportion.
    *Statistical Science* 16(2):101–133.

    Examples
    --------
    >>> low, high = proportion_ci(4, 20)
    >>> round(low, 6), round(high, 6)
    (0.080658, 0.416017)
    >>> proportion_ci(0, 30, method="jeffreys").low
    0.0
    """
    a = 1 - check_confidence_level(confidence_level)
    _check_aligned(successes=successes, trials=trials)
    x = _array("successes", successes)
    n = _array("trials", trials)
    _check_counts(x, n, "successes", "trials")
    if method == "wilson":
        low, high = _wilson(x, n, _z(1 - a))
    elif method == "clopper-pearson":
        low, high = _clopper_pearson(x, n, a)
    elif method == "jeffreys":
        low, high = _jeffreys(x, n, a)
    elif method == "agresti-coull":
        low, high = _agresti_coull(x, n, _z(1 - a))
    else:
        raise ValueError(f"method={method!r} must be one of {', '.join(PROPORTION_METHODS)}")
    # Exact limits at the boundaries for every method: 0 at x = 0 and 1 at x = n (Wilson's are
    # exactly 0 and 1 in theory, but come out as 5.6e-17 and 1 - 1.1e-16 in floating point).
    low = np.where(x == 0, 0.0, low)
    high = np.where(x == n, 1.0, high)
    empty = ~(n > 0)
    low = np.where(empty, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, 0.0, 1.0))
    like = _template(successes, trials)
    return ConfidenceInterval(_wrap(like, low), _wrap(like, high))


# --------------------------------------------------------------------------------------
# Poisson
# --------------------------------------------------------------------------------------
def _garwood(x, a):
    """Garwood limits of a Poisson count at level ``1 − a`` (the one copy; no argument checks).

    Lower limit exactly 0 at ``x = 0``; ``nan`` where ``x`` is missing, negative or infinite.
    """
    with np.errstate(invalid="ignore"):
        low = np.where(x > 0, sps.chi2.ppf(a / 2, 2 * x) / 2, 0.0)
        high = sps.chi2.ppf(1 - a / 2, 2 * x + 2) / 2
        good = (x >= 0) & np.isfinite(x)
    return np.where(good, low, np.nan), np.where(good, high, np.nan)


def poisson_ci(count, exposure=1.0, *, confidence_level: float = 0.95) -> ConfidenceInterval:
    """Exact (Garwood) confidence interval for a Poisson rate ``count / exposure``.

    ``L = χ²(a/2; 2x)/2``, ``U = χ²(1−a/2; 2x+2)/2`` (with ``L = 0`` when ``x = 0``),
    both divided by ``exposure``. For a rate per 1,000 pass ``exposure=population / 1000``
    or multiply the limits. This equals R ``poisson.test`` and statsmodels
    ``confint_poisson(method="exact-c")``.

    Parameters
    ----------
    count : scalar, array or Series
        Non-negative event counts.
    exposure : scalar, array or Series
        Positive person-time or population, default 1 (the interval of the count itself).
    confidence_level : float
        Two-sided confidence level in (0, 1).

    References
    ----------
    Garwood F (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28:437–442.

    Examples
    --------
    >>> [round(v, 4) for v in poisson_ci(10)]
    [4.7954, 18.3904]
    """
    a = 1 - check_confidence_level(confidence_level)
    _check_aligned(count=count, exposure=exposure)
    x = _array("count", count)
    e = _array("exposure", exposure)
    _check_nonnegative("count", x)
    _check_positive("exposure", e)
    low, high = _garwood(x, a)
    like = _template(count, exposure)
    return ConfidenceInterval(_wrap(like, low / e), _wrap(like, high / e))


# --------------------------------------------------------------------------------------
# limits on arrays, for the survey intervals and the reliability grading
# --------------------------------------------------------------------------------------
def clopper_pearson_limits(successes, trials, *, confidence_level: float = 0.95) -> ConfidenceInterval:
    """Clopper–Pearson limits on arrays that may hold missing values, without raising on them.

    The formula of :func:`proportion_ci` with ``method="clopper-pearson"`` (Clopper & Pearson
    1934): ``Beta⁻¹(a/2; x, n−x+1)`` and ``Beta⁻¹(1−a/2; x+1, n−x)``, ``a = 1 − confidence_level``.
    Non-integer (effective) counts are accepted: the Korn–Graubard interval of a design-based
    share ``p`` is ``clopper_pearson_limits(n_star * p, n_star)`` with ``n_star`` from
    :func:`korn_graubard_n` (Korn & Graubard 1998).

    Edge semantics (element by element): the lower limit is exactly 0 at ``x = 0`` and the upper
    limit exactly 1 at ``x = n``; both limits are ``nan`` where ``x`` or ``n`` is missing or where
    the pair is not a valid count (``n`` not positive and finite, ``x < 0`` or ``x > n``). Only
    ``confidence_level`` is checked. Returns arrays (floats for scalar input, Series for Series,
    as :func:`proportion_ci`).
    """
    a = 1 - check_confidence_level(confidence_level)
    _check_aligned(successes=successes, trials=trials)
    x = _array("successes", successes)
    n = _array("trials", trials)
    low, high = _clopper_pearson(x, n, a)
    like = _template(successes, trials)
    return ConfidenceInterval(_wrap(like, low), _wrap(like, high))


def garwood_limits(count, *, confidence_level: float = 0.95) -> ConfidenceInterval:
    """Garwood (exact Poisson) limits of counts, on arrays that may hold missing values.

    The formula of :func:`poisson_ci` with ``exposure=1`` (Garwood 1936):
    ``χ²(a/2; 2x)/2`` and ``χ²(1−a/2; 2x+2)/2``. The lower limit is exactly 0 at ``x = 0``;
    both limits are ``nan`` where ``x`` is missing, negative or infinite. Only
    ``confidence_level`` is checked. Divide by the exposure for a rate.
    """
    a = 1 - check_confidence_level(confidence_level)
    x = _array("count", count)
    low, high = _garwood(x, a)
    like = _template(count)
    return ConfidenceInterval(_wrap(like, low), _wrap(like, high))


def korn_graubard_n(n_eff, n, df, *, confidence_level: float = 0.95):
    """The degrees-of-freedom-adjusted effective sample size of the Korn–Graubard interval.

    ``n* = n_eff · (t_{n−1} / t_df)²`` with ``t_k`` the ``1 − a/2`` quantile of Student's t on
    ``k`` degrees of freedom (Korn & Graubard 1998, *Survey Methodology* 24(2):193–201; R
    ``svyciprop(method = "beta")``, where ``n`` is ``nrow(design)`` and ``df`` is
    ``degf(design)``). ``nan`` where ``df ≤ 0``, ``n ≤ 1`` or an input is missing; ``inf``
    where ``n_eff`` is (a zero variance). Callers that cap ``n*`` (the NCHS grading caps it at
    ``n``) do so themselves. Arrays in, array out (float for scalars).
    """
    a = 1 - check_confidence_level(confidence_level)
    _check_aligned(n_eff=n_eff, n=n, df=df)
    ne, nn, dd = (_array(name, v) for name, v in (("n_eff", n_eff), ("n", n), ("df", df)))
    with np.errstate(invalid="ignore", divide="ignore"):
        t_n = sps.t.ppf(1 - a / 2, np.where(nn > 1, nn - 1, np.nan))
        t_df = sps.t.ppf(1 - a / 2, np.where(dd > 0, dd, np.nan))
        out = ne * (t_n / t_df) ** 2
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """Result of comparing two groups: estimate, confidence interval and two-sided p-value.

    The fields are floats for scalar input and arrays or Series for vectorised input.
    ``statistic`` says what ``estimate`` is (``"rate ratio"``, ``"difference"``,
    ``"odds ratio"``), ``method`` how the interval and p-value were computed.
    """

    estimate: object
    ci_low: object
    ci_high: object
    p_value: object
    statistic: str
    method: str
    confidence_level: float
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def confidence_interval(self) -> ConfidenceInterval:
        return ConfidenceInterval(self.ci_low, self.ci_high)

    def to_frame(self) -> pd.DataFrame:
        """The result as a DataFrame with columns ``estimate, ci_low, ci_high, p_value``."""
        cols = {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value}
        index = self.estimate.index if isinstance(self.estimate, pd.Series) else None
        return pd.DataFrame({k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in cols.items()}, index=index)

    def __repr__(self) -> str:
        if np.ndim(self.estimate) == 0:
            pct = f"{100 * self.confidence_level:g}%"
            return (f"Comparison({self.statistic}={self.estimate:.6g}, {pct} CI=({self.ci_low:.6g}, "
                    f"{self.ci_high:.6g}), p_value={self.p_value:.4g}, method={self.method!r})")
        return f"Comparison({self.statistic}, {np.size(self.estimate)} values, method={self.method!r})"


def _binom_logpmf(k, n, p):
    return sps.binom.logpmf(k, n, p)


def binom_test_two_sided(k, n, p) -> np.ndarray:
    """Two-sided exact binomial p-value, vectorised, as R ``binom.test`` ("minlike").

    The p-value sums the probabilities of all outcomes ``y`` with
    ``P(Y = y) <= P(Y = k) * (1 + 1e-7)`` under ``Bin(n, p)``. The binomial pmf is
    unimodal, so the outcomes on the far side of the mean form a tail whose edge is found
    by bisection for all elements at once (the same algorithm as scipy's ``binomtest``).

    ``k`` and ``n`` must be whole numbers with ``0 <= k <= n`` and ``p`` in [0, 1]
    (``ValueError`` otherwise); a missing value gives a missing p-value. Returns a flat array.
    """
    _check_aligned(k=k, n=n, p=p)
    k, n, p = (_array(name, v) for name, v in (("k", k), ("n", n), ("p", p)))
    _check_counts(k, n, "k", "n")
    _check_whole("k", k, "numbers of successes")
    _check_whole("n", n, "numbers of trials")
    bad = (p < 0) | (p > 1)
    if np.any(bad):
        raise ValueError(f"p must lie in [0, 1]; got p={_first_bad(p, bad)}")
    k, n, p = np.broadcast_arrays(k, n, p)
    k, n, p = k.ravel(), n.ravel(), p.ravel()
    out = np.full(k.shape, np.nan)
    ok = ~(np.isnan(k) | np.isnan(n) | np.isnan(p))
    with np.errstate(divide="ignore", invalid="ignore"):
        logd = _binom_logpmf(k, n, p) + np.log(_MINLIKE_RELERR)
    mean = n * p
    out[ok & (k == mean)] = 1.0
    degenerate = ok & ((p == 0) | (p == 1))  # all mass on one outcome
    out[degenerate] = np.where(k[degenerate] == mean[degenerate], 1.0, 0.0)
    todo = ok & (k != mean) & (p > 0) & (p < 1)
    lower = todo & (k < mean)   # the other tail is the upper one: y in [ceil(mean), n]
    upper = todo & (k > mean)   # the other tail is the lower one: y in [0, floor(mean)]
    if lower.any():
        kk, nn, pp, ld = k[lower], n[lower], p[lower], logd[lower]
        # smallest y >= ceil(mean) with logpmf(y) <= ld (pmf non-increasing there)
        lo = np.ceil(nn * pp)
        hi = nn + 1  # sentinel: no such y
        while True:
            active = lo < hi
            if not active.any():
                break
            mid = np.floor((lo + hi) / 2)
            cond = _binom_logpmf(mid, nn, pp) <= ld
            hi = np.where(active & cond, mid, hi)
            lo = np.where(active & ~cond, mid + 1, lo)
        out[lower] = np.minimum(1.0, sps.binom.cdf(kk, nn, pp) + sps.binom.sf(lo - 1, nn, pp))
    if upper.any():
        kk, nn, pp, ld = k[upper], n[upper], p[upper], logd[upper]
        # largest y <= floor(mean) with logpmf(y) <= ld (pmf non-decreasing there)
        lo = np.full(kk.shape, -1.0)  # sentinel: no such y
        hi = np.floor(nn * pp)
        while True:
            active = lo < hi
            if not active.any():
                break
            mid = np.ceil((lo + hi) / 2)
            cond = _binom_logpmf(mid, nn, pp) <= ld
            lo = np.where(active & cond, mid, lo)
            hi = np.where(active & ~cond, mid - 1, hi)
        out[upper] = np.minimum(1.0, sps.binom.sf(kk - 1, nn, pp) + sps.binom.cdf(lo, nn, pp))
    return out


def rate_ratio(count1, exposure1, count0, exposure0, *, confidence_level: float = 0.95) -> Comparison:
    """Ratio of two Poisson rates ``(count1/exposure1) / (count0/exposure0)`` with the exact conditional method.

    Conditional on the total ``N = count1 + count0``, ``count1 ~ Bin(N, π)`` with
    ``π = R·T1 / (R·T1 + T0)``. The Clopper–Pearson limits ``(π_L, π_U)`` for ``π`` map to
    the ratio as ``R = π/(1−π) · T0/T1``; the p-value is the two-sided exact binomial test
    of ``R = 1`` (``π0 = T1/(T1+T0)``, "minlike" as R ``binom.test``). This is what R's
    ``poisson.test(c(count1, count0), c(exposure1, exposure0))`` reports; statsmodels has
    the test (``test_poisson_2indep(method="exact-cond")``) but not this interval.

    The counts must be whole numbers (``ValueError`` otherwise: the binomial conditioning
    needs counts of events). For year-over-year change in counts without population data, use ``exposure1 =
    exposure0 = 1``. Poisson assumes independent events: repeat offenders and series
    offences make counts of offences overdispersed and these intervals too narrow;
    prefer counts of persons.

    Returns
    -------
    Comparison
        ``estimate`` (``nan`` when both counts are 0; ``inf`` when ``count0 = 0``),
        ``ci_low``, ``ci_high``, ``p_value``.

    Examples
    --------
    R documentation example (``poisson.test(c(11, 21), c(800, 3011))``):

    >>> r = rate_ratio(11, 800, 21, 3011)
    >>> round(r.estimate, 6), round(r.ci_low, 6), round(r.ci_high, 6), round(r.p_value, 5)
    (1.971488, 0.858426, 4.277266, 0.07967)
    """
    level = check_confidence_level(confidence_level)
    a = 1 - level
    _check_aligned(count1=count1, exposure1=exposure1, count0=count0, exposure0=exposure0)
    c1, e1, c0, e0 = (_array(nm, v) for nm, v in
                      (("count1", count1), ("exposure1", exposure1), ("count0", count0), ("exposure0", exposure0)))
    _check_nonnegative("count1", c1)
    _check_nonnegative("count0", c0)
    _check_whole("count1", c1, "the exact conditional method is for counts of events")
    _check_whole("count0", c0, "the exact conditional method is for counts of events")
    _check_positive("exposure1", e1)
    _check_positive("exposure0", e0)
    c1, e1, c0, e0 = np.broadcast_arrays(c1, e1, c0, e0)
    n = c1 + c0
    with np.errstate(divide="ignore", invalid="ignore"):
        est = (c1 / e1) / (c0 / e0)
        pi_low, pi_high = _clopper_pearson(c1, n, a)
        scale = e0 / e1
        low = pi_low / (1 - pi_low) * scale
        high = np.where(pi_high >= 1, np.inf, pi_high / (1 - pi_high) * scale)
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    p = binom_test_two_sided(c1, n, e1 / (e1 + e0)).reshape(c1.shape)
    p = np.where(n > 0, p, np.nan)
    like = _template(count1, exposure1, count0, exposure0)
    return Comparison(_wrap(like, est), _wrap(like, low), _wrap(like, high), _wrap(like, p),
                      statistic="rate ratio", method="exact conditional (poisson.test)", confidence_level=level)


def proportion_difference(x1, n1, x0, n0, *, confidence_level: float = 0.95) -> Comparison:
    """Difference of two independent proportions ``x1/n1 − x0/n0`` with Newcombe's hybrid score interval.

    With Wilson limits ``(l1, u1)`` for ``p1`` and ``(l0, u0)`` for ``p0`` and
    ``δ = p1 − p0``: ``L = δ − sqrt((p1−l1)² + (u0−p0)²)``,
    ``U = δ + sqrt((u1−p1)² + (p0−l0)²)`` (Newcombe 1998, method 10), clipped to [−1, 1].
    The p-value is the Pearson chi-square (score) test of equal proportions without
    continuity correction (R ``prop.test(correct=FALSE)``); it is ``nan`` when both
    groups are all-0 or all-1.

    References
    ----------
    Newcombe RG (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Stat Med* 17:873–890.

    Examples
    --------
    Newcombe (1998), Table II, 56/70 − 48/80:

    >>> r = proportion_difference(56, 70, 48, 80)
    >>> round(r.ci_low, 4), round(r.ci_high, 4)
    (0.0524, 0.3339)
    """
    level = check_confidence_level(confidence_level)
    _check_aligned(x1=x1, n1=n1, x0=x0, n0=n0)
    x1a, n1a, x0a, n0a = (_array(nm, v) for nm, v in (("x1", x1), ("n1", n1), ("x0", x0), ("n0", n0)))
    _check_counts(x1a, n1a, "x1", "n1")
    _check_counts(x0a, n0a, "x0", "n0")
    x1a, n1a, x0a, n0a = np.broadcast_arrays(x1a, n1a, x0a, n0a)
    z = _z(level)
    l1, u1 = _wilson(x1a, n1a, z)
    l0, u0 = _wilson(x0a, n0a, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = x1a / n1a, x0a / n0a
        d = p1 - p0
        low = np.clip(d - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), -1, 1)
        high = np.clip(d + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2), -1, 1)
        pool = (x1a + x0a) / (n1a + n0a)
        se0 = np.sqrt(pool * (1 - pool) * (1 / n1a + 1 / n0a))
        p = 2 * sps.norm.sf(np.abs(d) / se0)
    like = _template(x1, n1, x0, n0)
    return Comparison(_wrap(like, d), _wrap(like, low), _wrap(like, high), _wrap(like, p),
                      statistic="difference", method="Newcombe hybrid score; Pearson chi-square test",
                      confidence_level=level)


def odds_ratio(table, *, confidence_level: float = 0.95, method: str = "woolf") -> Comparison:
    """Odds ratio of a 2×2 table ``[[a, b], [c, d]]`` = ``(a·d)/(b·c)``, with interval and p-value.

    Rows are the groups (exposed first), columns the outcome (event first).

    Parameters
    ----------
    table : array-like of shape (2, 2) or (..., 2, 2)
        Non-negative counts; a stack of tables is handled table by table.
    method : {"woolf", "exact"}
        * ``woolf``: ``exp(ln OR ± z·sqrt(1/a + 1/b + 1/c + 1/d))`` with a Wald z-test on
          ``ln OR`` (Woolf 1955). **Zero cells:** only when a table has a zero cell, 0.5 is
          added to *all four* cells of that table (Haldane 1956; Anscombe 1956) for the
          estimate, interval and test; tables without zeros are not changed. (statsmodels'
          ``Table2x2(shift_zeros=True)`` adds 0.5 to the zero cells only.) With zero cells
          prefer ``method="exact"``. **Empty margins:** a table with an empty row or column
          (no one in a group, or no events or no non-events at all; this includes the all-zero
          table) has no odds ratio, ``0/0``; its estimate, interval and p-value are ``nan``
          (the +0.5 correction would otherwise make a number out of nothing but itself).
        * ``exact``: conditional maximum-likelihood estimate and the exact conditional
          (Cornfield) interval, with Fisher's exact two-sided p-value, as R ``fisher.test``: Fisher's noncentral hypergeometric distribution on the log scale
          over its support, limits and estimate by root finding (``_conditional_odds_ratio``;
          the roots are solved to 1e-12 in the log odds ratio, more tightly than R's ``uniroot``,
          which stops at about 1e-4; scipy's ``contingency.odds_ratio(kind="conditional")`` gives
          the same numbers but takes seconds on tables of tens of thousands). Zero cells need no correction (limits of 0
          or ``inf`` are honest); an empty row or column gives estimate ``nan``, interval
          ``(0, inf)`` and p-value 1 (R: estimate 0, same interval and p).

    Examples
    --------
    >>> r = odds_ratio([[7, 27], [1, 33]])
    >>> round(r.ci_low, 5), round(r.ci_high, 4)
    (0.99049, 73.9003)
    """
    level = check_confidence_level(confidence_level)
    tab = _array("table", table)
    if tab.shape[-2:] != (2, 2):
        raise ValueError(f"table must have shape (2, 2) or (..., 2, 2); got shape {tab.shape}")
    _check_nonnegative("table", tab)
    flat = tab.reshape(-1, 2, 2)
    if method == "woolf":
        zero = (flat == 0).any(axis=(1, 2))
        t = flat + np.where(zero, 0.5, 0.0)[:, None, None]
        a, b, c, d = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
        log_or = np.log(a) + np.log(d) - np.log(b) - np.log(c)
        se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        z = _z(level)
        est, low, high = np.exp(log_or), np.exp(log_or - z * se), np.exp(log_or + z * se)
        p = 2 * sps.norm.sf(np.abs(log_or) / se)
        empty = (flat.sum(axis=1) == 0).any(axis=1) | (flat.sum(axis=2) == 0).any(axis=1)  # a zero margin
        est, low, high, p = (np.where(empty, np.nan, v) for v in (est, low, high, p))
        desc = "Woolf logit (Haldane-Anscombe +0.5 to all cells of tables with a zero cell)"
        extra = {"zero_cell_corrected": zero.reshape(tab.shape[:-2]) if tab.ndim > 2 else bool(zero[0])}
    elif method == "exact":
        est, low, high, p = (np.empty(len(flat)) for _ in range(4))
        for i, t in enumerate(flat):
            ti = t.astype(np.int64)
            if not np.array_equal(ti, t):
                raise ValueError(f"method='exact' needs whole-number counts; got table={t.tolist()!r}")
            est[i], low[i], high[i], p[i] = _conditional_odds_ratio(ti, level)
        desc = "exact conditional (Cornfield) interval, conditional MLE, Fisher exact test"
        extra = {}
    else:
        raise ValueError(f"method={method!r} must be 'woolf' or 'exact'")
    shape = tab.shape[:-2]
    out = [v.reshape(shape) if shape else float(v[0]) for v in (est, low, high, p)]
    return Comparison(*out, statistic="odds ratio", method=desc, confidence_level=level, extra=extra)


def _conditional_odds_ratio(table: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Conditional MLE, exact conditional (Cornfield) limits and Fisher's p-value of one 2×2 table, as R ``fisher.test``.

    Given the margins, ``a`` follows Fisher's noncentral hypergeometric distribution with
    odds ratio ``ψ = e^θ``: ``P(a = s) ∝ C(m, s)·C(n, k−s)·ψ^s`` on ``max(0, k−n) ≤ s ≤ min(k, m)``
    (``m``, ``n`` the column totals, ``k`` the first row's). As R's ``fisher.test``, the central
    log weights (``dhyper(s, log = TRUE)``, here from ``gammaln``) are computed once over the
    support and the distribution at ``θ`` is ``exp(log weight + θ·(s − a))`` normalised on the
    log scale. The limits solve ``P_θ(a ≥ x) = α/2`` (lower) and ``P_θ(a ≤ x) = α/2`` (upper), the
    estimate ``E_θ(a) = x``; each is monotone in ``θ`` and solved on the ``θ`` scale by Brent's
    method (``scipy.optimize.brentq``, to 1e-12 in ``θ``; R's ``uniroot`` stops at about 1e-4 in
    ``ψ``), bracketed from Woolf's estimate and limits. The two-sided p-value is R's: the
    central probabilities ``≤`` that of ``x`` times ``1 + 1e-7``, summed. At ``x`` at the lower end
    of the support the estimate and lower limit are 0, at the upper end the estimate and upper
    limit are ``inf``; a support of one point (an empty row or column) gives estimate ``nan``,
    limits ``(0, inf)`` and p-value 1 (R reports an estimate of 0 there).
    """
    from scipy.optimize import brentq
    from scipy.special import gammaln

    (a, b), (c, d) = (int(v) for v in table[0]), (int(v) for v in table[1])
    m, n, k = a + c, b + d, a + b
    lo, hi = max(0, k - n), min(k, m)
    if lo == hi:
        return np.nan, 0.0, np.inf, 1.0
    support = np.arange(lo, hi + 1, dtype=float)
    logdc = -(gammaln(support + 1) + gammaln(m - support + 1) + gammaln(k - support + 1)
              + gammaln(n - k + support + 1))
    centred = support - a  # ψ^(s − a) instead of ψ^s: the same distribution, smaller exponents
    i = a - lo  # position of x in the support

    def weights(theta):
        w = logdc + theta * centred
        w -= w.max()
        return np.exp(w, out=w)

    def mean_minus_x(theta):  # E_θ(a) − x, increasing in θ
        w = weights(theta)
        return float((w * centred).sum() / w.sum())

    def upper_tail(theta):  # P_θ(a ≥ x), increasing in θ
        w = weights(theta)
        return float(w[i:].sum() / w.sum())

    def lower_tail(theta):  # P_θ(a ≤ x), decreasing in θ
        w = weights(theta)
        return float(w[: i + 1].sum() / w.sum())

    def root(g, guess, step):
        """The θ where the increasing function ``g`` crosses 0, bracketed by doubling steps from ``guess``."""
        g0 = g(guess)
        if g0 == 0:
            return guess
        direction = -1.0 if g0 > 0 else 1.0
        near, far = guess, guess + direction * step
        while (g(far) > 0) == (g0 > 0):
            step *= 2
            near, far = far, far + direction * step
            if step > 1e4:  # cannot happen for a support of two or more points
                raise RuntimeError(f"no root bracketed for the odds ratio of {table.tolist()}")
        return brentq(g, min(near, far), max(near, far), xtol=1e-12, rtol=4 * np.finfo(float).eps)

    # Woolf's estimate and standard error (with +0.5) as the starting points of the searches
    woolf = np.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5)))
    se = np.sqrt(1 / (a + 0.5) + 1 / (b + 0.5) + 1 / (c + 0.5) + 1 / (d + 0.5))
    alpha = (1 - level) / 2
    z = float(sps.norm.ppf(1 - alpha))
    est = 0.0 if a == lo else np.inf if a == hi else float(np.exp(root(mean_minus_x, woolf, se / 2)))
    low = 0.0 if a == lo else float(np.exp(root(lambda t: upper_tail(t) - alpha, woolf - z * se, se / 2)))
    high = np.inf if a == hi else float(np.exp(root(lambda t: alpha - lower_tail(t), woolf + z * se, se / 2)))
    central = weights(0.0)
    p = float(central[central <= central[i] * _MINLIKE_RELERR].sum() / central.sum())
    return est, low, high, min(1.0, p)


def risk_ratio(x1, n1, x0, n0, *, confidence_level: float = 0.95) -> Comparison:
    """Risk ratio ``(x1/n1) / (x0/n0)`` with the Katz log interval.

    ``exp(ln RR ± z·sqrt(1/x1 − 1/n1 + 1/x0 − 1/n0))`` (Katz, Baptista, Azen & Pike
    1978, *Biometrics* 34:469–474) and a Wald z-test of ``ln RR = 0``. When a count is 0
    or equals its total, 0.5 is added to each count and 1 to each total (the
    Haldane–Anscombe correction on the 2×2 cells), as :func:`odds_ratio` does for Woolf.
    ``n1 == 0`` or ``n0 == 0`` gives ``nan``.

    References
    ----------
    Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for the
    risk ratio in cohort studies. *Biometrics* 34:469–474.
    Fagerland MW, Lydersen S, Laake P (2015). Recommended confidence intervals for two
    independent binomial proportions. *Stat Methods Med Res* 24(2):224–254.

    Examples
    --------
    Fagerland, Lydersen & Laake (2015), 7/34 vs 1/34, Katz log interval 0.91–54:

    >>> r = risk_ratio(7, 34, 1, 34)
    >>> round(r.estimate, 6), round(r.ci_low, 2), round(r.ci_high, 1)
    (7.0, 0.91, 53.9)
    """
    level = check_confidence_level(confidence_level)
    _check_aligned(x1=x1, n1=n1, x0=x0, n0=n0)
    x1a, n1a, x0a, n0a = (_array(nm, v) for nm, v in (("x1", x1), ("n1", n1), ("x0", x0), ("n0", n0)))
    _check_counts(x1a, n1a, "x1", "n1")
    _check_counts(x0a, n0a, "x0", "n0")
    a1, m1, a0, m0 = np.broadcast_arrays(x1a, n1a, x0a, n0a)
    zero = (a1 == 0) | (a0 == 0) | (a1 == m1) | (a0 == m0)
    a1c, a0c = a1 + 0.5 * zero, a0 + 0.5 * zero
    m1c, m0c = m1 + 1.0 * zero, m0 + 1.0 * zero
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rr = np.log(a1c / m1c) - np.log(a0c / m0c)
        se = np.sqrt(1 / a1c - 1 / m1c + 1 / a0c - 1 / m0c)
        est, low, high = np.exp(log_rr), np.exp(log_rr - z * se), np.exp(log_rr + z * se)
        p = 2 * sps.norm.sf(np.abs(log_rr) / se)
    empty = (m1 == 0) | (m0 == 0)
    like = _template(x1, n1, x0, n0)
    est, low, high, p = (_wrap(like, np.where(empty, np.nan, v)) for v in (est, low, high, p))
    return Comparison(est, low, high, p, statistic="risk ratio",
                      method="Katz log interval (Haldane-Anscombe +0.5 when a cell is zero)",
                      confidence_level=level)


# --------------------------------------------------------------------------------------
# quantiles
# --------------------------------------------------------------------------------------
def quantile_interval(values, q, *, confidence_level: float = 0.95) -> tuple:
    """Sample quantiles with distribution-free order-statistic confidence intervals.

    The estimate is the sample quantile of type 7 (linear interpolation, NumPy's and
    R's default; for ``q = 0.5`` the usual median). The interval is
    ``[x_(l), x_(u)]`` between order statistics, with ``K ~ Bin(n, q)`` the number of
    observations below the true quantile: ``l − 1`` is the largest ``k`` with
    ``P(K ≤ k) ≤ α/2`` and ``u − 1`` the smallest ``k`` with ``P(K ≤ k) ≥ 1 − α/2``, so
    the coverage ``P(l ≤ K ≤ u − 1)`` is at least ``1 − α`` for continuous data
    (Conover 1999, *Practical Nonparametric Statistics*, 3rd ed., §3.2; Hahn & Meeker
    1991, *Statistical Intervals*, §5.2). When ``n`` is too small for a limit to exist
    it is missing. Returns ``(estimate, low, high)``: floats for a scalar ``q``, arrays
    for a sequence.

    Examples
    --------
    Median of 10 values at 95%: the interval is ``[x_(2), x_(9)]`` (coverage 0.979).

    >>> est, low, high = quantile_interval(np.arange(1.0, 11.0), 0.5)
    >>> float(est), float(low), float(high)
    (5.5, 2.0, 9.0)
    """
    level = check_confidence_level(confidence_level)
    x = np.sort(np.asarray(values, dtype=float))
    if np.isnan(x).any():
        raise ValueError("values must not contain missing values")
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    if np.any(~((qs > 0) & (qs < 1))):
        raise ValueError(f"q={q!r} must lie strictly between 0 and 1")
    n = len(x)
    if n == 0:
        return _shaped(q, *(np.full(qs.shape, np.nan) for _ in range(3)))
    est = np.quantile(x, qs)
    a = 1 - level
    # l - 1 = largest k with F(k) <= a/2 ; u - 1 = smallest k with F(k) >= 1 - a/2
    k_lo = sps.binom.ppf(a / 2, n, qs)
    l_minus_1 = np.where(sps.binom.cdf(k_lo, n, qs) <= a / 2, k_lo, k_lo - 1)
    lower_rank = l_minus_1 + 1  # 1-based rank of the lower limit; 0 means no lower limit
    upper_rank = sps.binom.ppf(1 - a / 2, n, qs) + 1  # > n means no upper limit
    low = np.where(lower_rank >= 1, x[np.clip(lower_rank.astype(int) - 1, 0, n - 1)], np.nan)
    high = np.where(upper_rank <= n, x[np.clip(upper_rank.astype(int) - 1, 0, n - 1)], np.nan)
    return _shaped(q, est, low, high)


def _shaped(q, *arrays):
    """Floats for a scalar ``q``, arrays otherwise."""
    if np.ndim(q) == 0:
        return tuple(float(a[0]) for a in arrays)
    return arrays


# --------------------------------------------------------------------------------------
# estimate tables from frames of counts
# --------------------------------------------------------------------------------------
def _aggregate(df: pd.DataFrame, columns: Sequence[str], groups: Sequence[str], what: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{what}: data must be a pandas DataFrame, got {type(df).__name__}")
    groups = list(groups)
    missing = [c for c in (*columns, *groups) if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: column(s) {missing} not in the data (columns: {list(df.columns)})")
    for c in columns:
        if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])):
            raise ValueError(f"{what}: column {c!r} must be numeric, got dtype {df[c].dtype}")
        if df[c].isna().any():
            rows = list(df.index[df[c].isna()][:3])
            raise ValueError(f"{what}: column {c!r} has {int(df[c].isna().sum())} missing value(s), "
                             f"first at rows {rows}; fill or drop them explicitly")
    if not groups:
        return pd.DataFrame({c: [df[c].sum()] for c in columns})
    return df.groupby(groups, observed=True, sort=True, dropna=False)[list(columns)].sum().reset_index()


def proportion_table(
    df: pd.DataFrame,
    *,
    numerator: str,
    denominator: str,
    groups: Sequence[str] = (),
    confidence_level: float = 0.95,
    method: str = "wilson",
    measure: str = "share",
    unit: str = "proportion",
    **attrs,
) -> pd.DataFrame:
    """Estimate table of proportions ``numerator / denominator`` by ``groups``.

    Rows of ``df`` are summed within each combination of ``groups`` (so ``df`` may hold
    one row per cell or many), then :func:`proportion_ci` gives the interval
    (Wilson by default). Returns an ungraded estimate table of kind ``proportion``;
    pass it to :func:`salto_analysis.reliability.grade` before showing it.
    """
    level = check_confidence_level(confidence_level)
    agg = _aggregate(df, [numerator, denominator], groups, "proportion_table")
    agg = agg.rename(columns={numerator: "numerator", denominator: "denominator"})
    ci = proportion_ci(agg["numerator"], agg["denominator"], confidence_level=level, method=method)
    with np.errstate(divide="ignore", invalid="ignore"):
        agg["estimate"] = np.where(agg["denominator"] > 0, agg["numerator"] / agg["denominator"], np.nan)
    agg["ci_low"], agg["ci_high"] = ci.low, ci.high
    return estimate_table(agg, groups=list(groups), kind="proportion", measure=measure, unit=unit,
                          method=f"{method} interval", confidence_level=level, **attrs)


def rate_table(
    df: pd.DataFrame,
    *,
    count: str,
    exposure: str,
    per: float = 1000,
    groups: Sequence[str] = (),
    confidence_level: float = 0.95,
    measure: str = "rate",
    **attrs,
) -> pd.DataFrame:
    """Estimate table of rates ``count / exposure × per`` by ``groups`` with Garwood exact intervals.

    Counts and exposures (for example population) are summed within groups first.
    ``TableMeta.scale`` is ``per`` and ``unit`` reads ``"per 1000"``. Kind ``rate``.
    """
    level = check_confidence_level(confidence_level)
    if not (isinstance(per, (int, float)) and per > 0):
        raise ValueError(f"per={per!r} must be a positive number")
    agg = _aggregate(df, [count, exposure], groups, "rate_table")
    agg = agg.rename(columns={count: "count", exposure: "exposure"})
    if (agg["exposure"] <= 0).any():
        bad = agg.loc[agg["exposure"] <= 0].head(3)
        raise ValueError(f"rate_table: exposure must be positive; {int((agg['exposure'] <= 0).sum())} group(s) "
                         f"have exposure <= 0, first: {bad.to_dict('records')}")
    ci = poisson_ci(agg["count"], agg["exposure"], confidence_level=level)
    agg["estimate"] = agg["count"] / agg["exposure"] * per
    agg["ci_low"], agg["ci_high"] = ci.low * per, ci.high * per
    unit = attrs.pop("unit", f"per {per:g}")
    return estimate_table(agg, groups=list(groups), kind="rate", measure=measure, unit=unit,
                          method="Garwood exact Poisson interval", confidence_level=level, scale=per, **attrs)


def count_table(
    df: pd.DataFrame,
    *,
    count: str,
    groups: Sequence[str] = (),
    confidence_level: float = 0.95,
    measure: str = "count",
    unit: str = "count",
    **attrs,
) -> pd.DataFrame:
    """Estimate table of counts by ``groups`` with Garwood exact Poisson intervals (kind ``count``).

    ``df[count]`` is summed within groups; pass a column of ones to count rows.
    """
    level = check_confidence_level(confidence_level)
    agg = _aggregate(df, [count], groups, "count_table").rename(columns={count: "count"})
    ci = poisson_ci(agg["count"], confidence_level=level)
    agg["estimate"] = agg["count"].astype(float)
    agg["ci_low"], agg["ci_high"] = ci.low, ci.high
    return estimate_table(agg, groups=list(groups), kind="count", measure=measure, unit=unit,
                          method="Garwood exact Poisson interval", confidence_level=level, **attrs)
