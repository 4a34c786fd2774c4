"""Direct age–sex standardisation of area rates, with gamma confidence intervals.

Districts differ in size and in age structure: a district with many 18–22-year-olds has
more registered suspects per 1,000 residents aged 10–22 than one with many 10–12-year-olds,
even if every age group behaves the same. A **directly standardised rate** (DSR) answers
"what would the district's rate be if it had the age and sex structure of the standard
population?" (Breslow & Day 1987, *Statistical Methods in Cancer Research* II, §2.3).

Method
------
For one area with strata ``a`` (age band × sex), events ``x_a``, population ``n_a`` and
standard population ``w_a``, let ``W_a = w_a / (n_a · Σw)``. Then

* DSR ``y = Σ W_a x_a`` (the standard-weighted mean of the stratum rates);
* its variance under independent Poisson counts ``v = Σ W_a² x_a``;
* the **gamma interval** of Fay & Feuer (1997, *Stat Med* 16:791–801): the lower limit is
  the ``a/2`` quantile of a gamma distribution with mean ``y`` and variance ``v``
  (0 when ``y = 0``); the upper limit is the ``1 − a/2`` quantile of a gamma with mean
  ``y + w_M`` and variance ``v + w_M²``. With ``interval="fay-feuer"`` ``w_M = max W_a``
  (as R ``epitools::ageadjust.direct`` and ``asht::wspoissonTest(wmtype="max")``); with
  ``interval="tiwari"`` (the default) the upper limit uses ``y + mean(W)`` and
  ``v + mean(W²)`` instead, the modification of Tiwari, Clegg & Zou (2006, *Stat Methods
  Med Res* 15:547–569; ``wspoissonTest(wmtype="tcz")``), which is what NCI's SEER*Stat
  reports for age-adjusted rates.
* The crude rate ``Σx / Σn`` with its Garwood exact interval
  (:func:`salto_analysis.stats.poisson_ci`) stands beside it.

Why this interval, and not Dobson's with Byar's approximation
    Dobson et al. (1991, *Stat Med* 10:457–462), as PHEindicatormethods' ``calculate_dsr``,
    scales an interval for the total count ``O`` and is not defined for small ``O``:
    PHEindicatormethods returns nothing under 10 events. District rates of young people
    often rest on few events, and a district with 0 events still has an upper limit worth
    showing. The gamma interval exists for every count, including 0, and in the
    simulations of Ng, Filardo & Zheng (2008, *Comput Stat Data Anal* 52:3501–3516) the
    original Fay–Feuer version was the only method that never fell below nominal
    coverage; it is, however, conservative. Tiwari et al.'s modification keeps coverage
    close to nominal with shorter upper limits, so it is the default; the original is
    available for comparison with epitools. Whether a rate is shown at all is decided by
    the small-numbers policy on ``count`` (:mod:`salto_analysis.reliability`), not here.

When one stratum is tiny
    ``W_a`` is largest where the district's population is smallest. The Fay–Feuer upper
    limit adds ``max W_a``, so one stratum of a dozen persons (0 events or not) can double
    the upper limit of the whole district: in the test case with 12 persons in one of six
    strata the 95 % upper limit is 1,131 per 100,000 against a DSR of 509 (Tiwari: 787).
    The Tiwari modification adds the *mean* weight, so one tiny stratum moves it by
    roughly ``1/k`` of that (``k`` strata). The point estimate is affected too: the events
    of a tiny stratum are multiplied by its large weight. Prefer strata that are not
    tiny in any district (for example three age bands × sex for ages 10–22 rather than
    single years). The column ``max_weight_share`` (``max W_a / Σ W_a``: ``1/k`` when the
    strata are balanced, near 1 when one tiny stratum dominates) shows where this
    happens. A stratum with **no**
    population in a district where the standard has weight is refused: the DSR is not
    defined there (merge age bands, or leave the district out and say so).

Counts must be of independent events for the Poisson variance: count persons (unique
suspects), not offences; repeat offences of one person make the interval too narrow.

With the default standard (the sum of the areas' populations in each group, i.e. Oslo's
population of the year when the areas are Oslo's districts) the DSR of the city as a whole
equals its crude rate, so standardising changes the districts and not the city figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from .estimates import estimate_table
from .stats import check_confidence_level, poisson_ci

__all__ = ["INTERVALS", "direct_standardised_rates"]

INTERVALS = ("tiwari", "fay-feuer")


# --------------------------------------------------------------------------------------
# shared input checks (also used by salto_analysis.small_area)
# --------------------------------------------------------------------------------------
def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _check_frame(df, columns: Sequence[str], numeric: Sequence[str], what: str, *,
                 nonnegative: bool = True) -> pd.DataFrame:
    """``df`` if it is a DataFrame with ``columns``, ``numeric`` of them numeric, complete (and non-negative)."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: column(s) {missing} not in the data (columns: {list(df.columns)})")
    for c in numeric:
        if not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]):
            raise ValueError(f"{what}: column {c!r} must be numeric, got dtype {df[c].dtype}")
        bad = df[c].isna() | ~np.isfinite(df[c].astype(float))
        if bad.any():
            rows = list(df.index[bad][:3])
            raise ValueError(f"{what}: column {c!r} has {int(bad.sum())} missing or infinite value(s), "
                             f"first at rows {rows}; fill or drop them explicitly")
        neg = df[c] < 0
        if nonnegative and neg.any():
            rows = list(df.index[neg][:3])
            raise ValueError(f"{what}: column {c!r} has {int(neg.sum())} negative value(s), first at rows {rows}")
    for c in columns:
        if c not in numeric and df[c].isna().any():
            rows = list(df.index[df[c].isna()][:3])
            raise ValueError(f"{what}: grouping column {c!r} has {int(df[c].isna().sum())} missing value(s), "
                             f"first at rows {rows}; give every row a value")
    return df


def _check_scale(scale) -> float:
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale={scale!r} must be a positive number (1000 for rates per 1,000)")
    return float(scale)


def _describe_cell(keys: Sequence[str], values) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in zip(keys, values))


class _Key:
    """One key column factorised over several frames: integer codes and the values in table order.

    Categorical columns keep their category order (values outside it follow); other
    columns are sorted (in order of appearance when their values cannot be sorted).
    """

    def __init__(self, name: str, *columns: pd.Series):
        self.name = name
        values = [c.to_numpy(dtype=object) for c in columns]
        allv = np.concatenate(values)
        cat = next((c for c in columns if isinstance(c.dtype, pd.CategoricalDtype)), None)
        if cat is not None:
            cats = list(cat.cat.categories)
            seen = set(cats)
            cats += [v for v in pd.unique(allv) if v not in seen]
            codes = pd.Categorical(allv, categories=cats).codes
            self.ordered, self.dtype = bool(cat.cat.ordered), None
        else:
            try:
                codes, uniq = pd.factorize(allv, sort=True)
            except TypeError:
                codes, uniq = pd.factorize(allv)
            cats, self.ordered, self.dtype = list(uniq), False, columns[0].dtype
        self.categories = cats
        self.size = len(cats)
        self.codes = np.split(np.asarray(codes, dtype=np.int64), np.cumsum([len(v) for v in values])[:-1])

    def values(self, codes: np.ndarray, extra=None):
        """The column for ``codes`` (``extra``: one more value after the categories, e.g. a total label)."""
        cats = [*self.categories, *([] if extra is None else [extra])]
        vals = np.empty(len(cats), dtype=object)
        vals[:] = cats
        vals = vals[codes]
        if self.dtype is None:
            return pd.Categorical(vals, categories=cats, ordered=self.ordered)
        try:
            return pd.Series(vals, dtype=object).astype(self.dtype).to_numpy()
        except (TypeError, ValueError):
            return vals


def _ravel(keys: list[_Key], which: int) -> tuple[np.ndarray | int, int]:
    """Flat index over ``keys`` of the rows of frame number ``which``, and the number of combinations."""
    if not keys:
        return 0, 1
    dims = [k.size for k in keys]
    return np.ravel_multi_index([k.codes[which] for k in keys], dims), int(np.prod(dims))


# --------------------------------------------------------------------------------------
# the estimator
# --------------------------------------------------------------------------------------
def _gamma_limits(y, v, upper_shift, upper_var_shift, level):
    """Fay–Feuer style gamma limits for a DSR ``y`` with variance ``v`` (arrays)."""
    a = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(y > 0, sps.gamma.ppf(a / 2, np.where(y > 0, y**2 / v, 1.0),
                                            scale=np.where(y > 0, v / y, 1.0)), 0.0)
        ys, vs = y + upper_shift, v + upper_var_shift
        high = sps.gamma.ppf(1 - a / 2, ys**2 / vs, scale=vs / ys)
    return low, high


def direct_standardised_rates(
    counts: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    by: str = "district",
    strata: str | Sequence[str] = ("age_group", "sex"),
    groups: str | Sequence[str] = (),
    standard: pd.DataFrame | pd.Series | None = None,
    count: str = "count",
    exposure: str = "population",
    scale: float = 1000,
    interval: str = "tiwari",
    total: str | None = None,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Directly standardised rates of each area (``by``) per ``scale`` residents, with the crude rate beside.

    Parameters
    ----------
    counts : DataFrame
        Events by ``groups`` (e.g. ``year``), ``by`` (the area) and ``strata``, in column
        ``count``; several rows per cell are summed, cells without a row count 0. Count
        persons, not offences (module docstring).
    population : DataFrame, optional
        Population by the same columns, in column ``exposure``. ``None``: ``counts`` holds
        the ``exposure`` column too. Every cell with events needs a population.
    by : str
        The area column; any set of area names (old or new districts) works.
    strata : str or sequence of str
        The standardisation strata (default age group × sex).
    groups : str or sequence of str
        Further grouping columns; each group is standardised on its own.
    standard : DataFrame or Series, optional
        The standard population by ``strata`` (a Series indexed by the strata, or a frame
        with the strata columns and the ``exposure`` column, summed over other columns).
        Group columns present in it are matched, so leave them out to use one standard for
        all groups (for example one reporting year's population for a ten-year series).
        Default: the sum of ``population`` over the areas within each group, i.e. the
        city's own population of each year.
    scale : float
        Rates per ``scale`` persons (1000: per 1,000).
    interval : {"tiwari", "fay-feuer"}
        Upper-limit version of the gamma interval (module docstring).
    total : str, optional
        If given, a row for all areas together with this label in ``by`` (its DSR equals its
        crude rate under the default standard); it is named in ``TableMeta.total_labels``.
    confidence_level : float
        Two-sided level of both intervals.

    Returns
    -------
    DataFrame
        Estimate table of kind ``rate``, groups ``[*groups, by]``: ``count`` (events),
        ``exposure`` (population), ``estimate`` (the DSR), ``se`` (``√v``), ``ci_low``,
        ``ci_high``, then ``crude``, ``crude_low``, ``crude_high`` (Garwood),
        ``relative_difference`` (``DSR / crude − 1``) and ``max_weight_share``
        (``max W_a / Σ W_a``: ``1/k`` for ``k`` balanced strata, near 1 when one tiny
        stratum dominates the upper limit). Ungraded: pass it to
        :func:`salto_analysis.reliability.grade` as any rate table.

    Raises
    ------
    ValueError
        Missing columns, negative or missing numbers, events without population, a stratum
        the standard does not cover, or an empty stratum (no population) with standard
        weight in some area, each named with the fix.

    Examples
    --------
    >>> c = pd.DataFrame({"district": ["A", "A", "B", "B"], "age_group": ["10-15", "16-22"] * 2,
    ...                   "count": [2, 30, 10, 10], "population": [1000, 1000, 3000, 1000]})
    >>> t = direct_standardised_rates(c, strata="age_group")
    >>> t[["district", "estimate", "crude"]].round(2)
      district  estimate  crude
    0        A     11.33   16.0
    1        B      5.56    5.0
    """
    level = check_confidence_level(confidence_level)
    scale = _check_scale(scale)
    if interval not in INTERVALS:
        raise ValueError(f"interval={interval!r} must be one of {', '.join(INTERVALS)}")
    strata, groups = _as_list(strata), _as_list(groups)
    if not strata:
        raise ValueError("strata must name at least one column (for example ('age_group', 'sex'))")
    if not isinstance(by, str):
        raise ValueError(f"by={by!r} must be one column name (the area)")
    if by in strata or by in groups or set(strata) & set(groups):
        raise ValueError(f"by={by!r}, strata={strata} and groups={groups} must be different columns")
    cell = [*groups, by, *strata]
    what = "direct_standardised_rates"
    if population is None:
        _check_frame(counts, [*cell, count, exposure], [count, exposure], f"{what} (counts)")
    else:
        _check_frame(counts, [*cell, count], [count], f"{what} (counts)")
        _check_frame(population, [*cell, exposure], [exposure], f"{what} (population)")
    std_groups: list[str] = []
    if standard is not None:
        if isinstance(standard, pd.Series):
            standard = standard.rename(exposure).reset_index()
        if not isinstance(standard, pd.DataFrame):
            raise ValueError(f"{what}: standard must be a DataFrame or Series by {strata}, "
                             f"got {type(standard).__name__}")
        std_groups = [g for g in groups if g in standard.columns]
        _check_frame(standard, [*std_groups, *strata, exposure], [exposure], f"{what} (standard)")
    frames = [counts] if population is None else [counts, population]
    keys = {c: _Key(c, *[f[c] for f in frames],
                    *([standard[c]] if standard is not None and c in (*std_groups, *strata) else []))
            for c in cell}
    gk, sk, ak = [keys[g] for g in groups], [keys[c] for c in strata], keys[by]
    A = ak.size

    def flat(which: int) -> np.ndarray:
        g, _ = _ravel(gk, which)
        s_, _ = _ravel(sk, which)
        return (g * A + ak.codes[which]) * S + s_

    def describe(gi, ai, si=None) -> str:
        vals = [*(k.categories[c] for k, c in zip(gk, np.unravel_index(gi, [k.size for k in gk]) if gk else ())),
                ak.categories[ai] if ai < A else total]
        if si is not None:
            vals += [k.categories[c] for k, c in zip(sk, np.unravel_index(si, [k.size for k in sk]))]
        return _describe_cell(cell, [v.item() if isinstance(v, np.generic) else v for v in vals])

    def refuse(mask: np.ndarray, message: str, fix: str):
        gi, ai, si = (int(v[0]) for v in np.nonzero(mask))
        raise ValueError(f"{what}: {int(mask.sum())} {message}, first: {describe(gi, ai, si)}; {fix}")

    _, G = _ravel(gk, 0)
    _, S = _ravel(sk, 0)
    size = G * A * S
    ic = flat(0)
    x = np.bincount(ic, weights=counts[count].to_numpy(float), minlength=size).reshape(G, A, S)
    rows_c = np.bincount(ic, minlength=size).reshape(G, A, S) > 0
    if population is None:
        n = np.bincount(ic, weights=counts[exposure].to_numpy(float), minlength=size).reshape(G, A, S)
        rows_p = rows_c
    else:
        ip = flat(1)
        n = np.bincount(ip, weights=population[exposure].to_numpy(float), minlength=size).reshape(G, A, S)
        rows_p = np.bincount(ip, minlength=size).reshape(G, A, S) > 0
        if ((x > 0) & ~rows_p).any():
            refuse((x > 0) & ~rows_p, "cell(s) have events but no row in the population", "add their population")
    if ((n == 0) & (x > 0)).any():
        refuse((n == 0) & (x > 0), "cell(s) have events but population 0", "check the population file")
    present = (rows_c | rows_p).any(axis=2)

    # the standard, by group x stratum
    if standard is None:
        w = n.sum(axis=1)
        has = rows_p.any(axis=1)
        std_desc = (f"sum of the areas' populations by {', '.join(strata)}"
                    + (f" within each {', '.join(groups)}" if groups else ""))
    else:
        which = len(frames)
        sub = [keys[g] for g in std_groups]
        sg, Gs = _ravel(sub, which)
        ss, _ = _ravel(sk, which)
        w_sub = np.bincount(sg * S + ss, weights=standard[exposure].to_numpy(float), minlength=Gs * S).reshape(Gs, S)
        has_sub = np.bincount(sg * S + ss, minlength=Gs * S).reshape(Gs, S) > 0
        if sub:
            multi = np.unravel_index(np.arange(G), [k.size for k in gk])
            gmap = np.ravel_multi_index([multi[groups.index(g)] for g in std_groups], [k.size for k in sub])
        else:
            gmap = np.zeros(G, dtype=np.int64)
        w, has = w_sub[gmap], has_sub[gmap]
        std_desc = f"given standard population by {', '.join(strata)}"
    wsum = w.sum(axis=1)
    no_std = present & ~(wsum > 0)[:, None]
    if no_std.any():
        gi, ai = (int(v[0]) for v in np.nonzero(no_std))
        raise ValueError(f"{what}: the standard has no population for {describe(gi, ai)}; "
                         "give a standard for every group")
    uncovered = ~has[:, None, :] & ((x > 0) | (n > 0))
    if uncovered.any():
        refuse(uncovered, "cell(s) fall in a stratum the standard does not have",
               "use the same strata in the standard")
    empty = present[:, :, None] & (w[:, None, :] > 0) & (n <= 0)
    if empty.any():
        refuse(empty, "stratum cell(s) have no population although the standard gives them weight",
               "the standardised rate is not defined there: merge strata (wider age bands) or leave that area "
               "out and say so")
    if total is not None:
        if total in ak.categories:
            raise ValueError(f"{what}: total={total!r} is already an area name in column {by!r}; choose another label")
        x = np.concatenate([x, x.sum(axis=1, keepdims=True)], axis=1)
        n = np.concatenate([n, n.sum(axis=1, keepdims=True)], axis=1)
        present = np.concatenate([present, present.any(axis=1, keepdims=True)], axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        W = np.where(n > 0, w[:, None, :] / (wsum[:, None, None] * n), 0.0)
    k = has.sum(axis=1)[:, None].astype(float)
    gi, ai = np.nonzero(present)
    y, v = (W * x).sum(axis=2)[gi, ai], (W**2 * x).sum(axis=2)[gi, ai]
    wmax, wtot, w2tot = W.max(axis=2)[gi, ai], W.sum(axis=2)[gi, ai], (W**2).sum(axis=2)[gi, ai]
    kk = np.broadcast_to(k, present.shape)[gi, ai]
    O, N = x.sum(axis=2)[gi, ai], n.sum(axis=2)[gi, ai]
    if interval == "fay-feuer":
        shift, var_shift = wmax, wmax**2
    else:
        shift, var_shift = wtot / kk, w2tot / kk
    low, high = _gamma_limits(y, v, shift, var_shift, level)
    crude_ci = poisson_ci(O, N, confidence_level=level)
    out = pd.DataFrame(index=np.arange(len(gi)))
    gmulti = np.unravel_index(gi, [kx.size for kx in gk]) if gk else ()
    for g, kx, codes in zip(groups, gk, gmulti):
        out[g] = kx.values(codes)
    out[by] = ak.values(ai, extra=total)
    out["count"] = O.astype(np.int64) if pd.api.types.is_integer_dtype(counts[count]) else O
    exp_col = (counts if population is None else population)[exposure]
    out["exposure"] = N.astype(np.int64) if pd.api.types.is_integer_dtype(exp_col) else N
    out["estimate"] = y * scale
    out["se"] = np.sqrt(v) * scale
    out["ci_low"], out["ci_high"] = low * scale, high * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        crude = O / N
        out["crude"] = crude * scale
        out["crude_low"], out["crude_high"] = crude_ci.low * scale, crude_ci.high * scale
        out["relative_difference"] = np.where(crude > 0, y / crude - 1, np.nan)
        out["max_weight_share"] = wmax / wtot
    name = "Tiwari, Clegg & Zou (2006) modification" if interval == "tiwari" else "original (max weight)"
    return estimate_table(
        out, groups=[*groups, by], kind="rate",
        measure=f"directly standardised rate by {', '.join(strata)}", unit=f"per {scale:g}",
        method=f"direct standardisation; Fay-Feuer (1997) gamma interval, {name}; crude rate with Garwood interval",
        confidence_level=level, scale=scale, standard=std_desc, strata=list(strata), interval=interval,
        area=by, rank_model={"distribution": "gamma-moments", "mean": "estimate", "sd": "se"},
        **({"total_labels": [total]} if total is not None else {}),
    )
