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


def _with_total(frame: pd.DataFrame, by: str, total: str, keys: list[str], value_cols: list[str]) -> pd.DataFrame:
    """``frame`` plus rows summing ``value_cols`` over ``by`` within ``keys`` (``by`` = ``total``)."""
    tot = frame.groupby(keys, observed=True, sort=False)[value_cols].sum().reset_index() if keys else \
        frame[value_cols].sum().to_frame().T
    tot[by] = total
    out = pd.concat([frame.astype({by: "object"}), tot[frame.columns]], ignore_index=True)
    if isinstance(frame[by].dtype, pd.CategoricalDtype):
        cats = [*frame[by].cat.categories, total]
        out[by] = pd.Categorical(out[by], categories=cats, ordered=frame[by].cat.ordered)
    return out


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
        crude rate under the default standard); it is named in ``attrs["total_labels"]``.
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
        c_agg = counts.groupby(cell, observed=True, sort=False)[[count, exposure]].sum()
    else:
        _check_frame(counts, [*cell, count], [count], f"{what} (counts)")
        _check_frame(population, [*cell, exposure], [exposure], f"{what} (population)")
        cs = counts.groupby(cell, observed=True, sort=False)[count].sum()
        ps = population.groupby(cell, observed=True, sort=False)[exposure].sum()
        orphan = cs.index.difference(ps.index)
        orphan = orphan[cs.loc[orphan].to_numpy() > 0] if len(orphan) else orphan
        if len(orphan):
            raise ValueError(f"{what}: {len(orphan)} cell(s) have events but no row in the population, first: "
                             f"{_describe_cell(cell, orphan[0])}; add their population")
        c_agg = pd.concat([cs.reindex(ps.index, fill_value=0), ps], axis=1)
    c_agg = c_agg.reset_index()
    no_pop = (c_agg[exposure] == 0) & (c_agg[count] > 0)
    if no_pop.any():
        first = c_agg.loc[no_pop, cell].iloc[0].tolist()
        raise ValueError(f"{what}: {int(no_pop.sum())} cell(s) have events but population 0, first: "
                         f"{_describe_cell(cell, first)}; check the population file")

    # the standard: by strata (and the group columns it has)
    if standard is None:
        std = c_agg.groupby([*groups, *strata], observed=True, sort=False)[exposure].sum().reset_index()
        std_keys = [*groups, *strata]
        std_desc = (f"sum of the areas' populations by {', '.join(strata)}"
                    + (f" within each {', '.join(groups)}" if groups else ""))
    else:
        if isinstance(standard, pd.Series):
            standard = standard.rename(exposure).reset_index()
        std_keys = [*[g for g in groups if g in standard.columns], *strata]
        _check_frame(standard, [*std_keys, exposure], [exposure], f"{what} (standard)")
        std = standard.groupby(std_keys, observed=True, sort=False)[exposure].sum().reset_index()
        std_desc = f"given standard population by {', '.join(strata)}"
    std = std.rename(columns={exposure: "_w"})
    std["_wsum"] = std.groupby([g for g in std_keys if g in groups], observed=True)["_w"].transform("sum") \
        if any(g in groups for g in std_keys) else std["_w"].sum()
    std["_k"] = std.groupby([g for g in std_keys if g in groups], observed=True)["_w"].transform("size") \
        if any(g in groups for g in std_keys) else len(std)
    if (std["_wsum"] <= 0).any():
        raise ValueError(f"{what}: the standard population is 0 in some group; give it positive weights")

    # every area gets every stratum of the standard (missing cells: no events, no population)
    if total is not None:
        if (c_agg[by].astype("object") == total).any():
            raise ValueError(f"{what}: total={total!r} is already an area name in column {by!r}; choose another label")
        c_agg = _with_total(c_agg, by, total, [*groups, *strata], [count, exposure])
    areas = c_agg[[*groups, by]].drop_duplicates()
    join_on = [g for g in groups if g in std_keys]
    grid = areas.merge(std, on=join_on, how="inner") if join_on else areas.merge(std, how="cross")
    lost = areas.merge(grid[[*groups, by]].drop_duplicates(), how="left", indicator=True)
    if (lost["_merge"] == "left_only").any():
        first = lost.loc[lost["_merge"] == "left_only", [*groups, by]].iloc[0].tolist()
        raise ValueError(f"{what}: the standard has no rows for {_describe_cell([*groups, by], first)}; "
                         "give a standard for every group")
    full = grid.merge(c_agg, on=cell, how="left", indicator=True)
    covered = c_agg.merge(std[std_keys], on=std_keys, how="left", indicator=True)
    uncovered = (covered["_merge"] == "left_only") & ((covered[count] > 0) | (covered[exposure] > 0))
    if uncovered.any():
        first = covered.loc[uncovered, cell].iloc[0].tolist()
        raise ValueError(f"{what}: {int(uncovered.sum())} cell(s) fall in a stratum the standard does not have, "
                         f"first: {_describe_cell(cell, first)}; use the same strata in the standard")
    full[count] = full[count].fillna(0.0)
    full[exposure] = full[exposure].fillna(0.0)
    empty = (full[exposure] <= 0) & (full["_w"] > 0)
    if empty.any():
        first = full.loc[empty, cell].iloc[0].tolist()
        raise ValueError(f"{what}: {int(empty.sum())} stratum cell(s) have no population although the standard "
                         f"gives them weight, first: {_describe_cell(cell, first)}; the standardised rate is not "
                         "defined there: merge strata (wider age bands) or leave that area out and say so")

    x = full[count].to_numpy(float)
    n = full[exposure].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        W = np.where(n > 0, full["_w"].to_numpy(float) / (full["_wsum"].to_numpy(float) * n), 0.0)
    full = full.assign(_y=W * x, _v=W**2 * x, _W=W, _W2=W**2)
    agg = full.groupby([*groups, by], observed=True, sort=True).agg(
        count=(count, "sum"), exposure=(exposure, "sum"), _y=("_y", "sum"), _v=("_v", "sum"),
        _wmax=("_W", "max"), _wmean=("_W", "mean"), _w2mean=("_W2", "mean"), _k=("_k", "first")).reset_index()
    y, v = agg["_y"].to_numpy(), agg["_v"].to_numpy()
    if interval == "fay-feuer":
        shift, var_shift = agg["_wmax"].to_numpy(), agg["_wmax"].to_numpy() ** 2
    else:
        shift, var_shift = agg["_wmean"].to_numpy(), agg["_w2mean"].to_numpy()
    low, high = _gamma_limits(y, v, shift, var_shift, level)
    crude_ci = poisson_ci(agg["count"].to_numpy(float), agg["exposure"].to_numpy(float), confidence_level=level)
    out = agg[[*groups, by, "count", "exposure"]].copy()
    out["estimate"] = y * scale
    out["se"] = np.sqrt(v) * scale
    out["ci_low"], out["ci_high"] = low * scale, high * scale
    with np.errstate(invalid="ignore", divide="ignore"):
        crude = agg["count"].to_numpy(float) / agg["exposure"].to_numpy(float)
        out["crude"] = crude * scale
        out["crude_low"], out["crude_high"] = crude_ci.low * scale, crude_ci.high * scale
        out["relative_difference"] = np.where(crude > 0, y / crude - 1, np.nan)
        out["max_weight_share"] = agg["_wmax"].to_numpy() / (agg["_wmean"].to_numpy() * agg["_k"].to_numpy())
    name = "Tiwari, Clegg & Zou (2006) modification" if interval == "tiwari" else "original (max weight)"
    return estimate_table(
        out, groups=[*groups, by], kind="rate",
        measure=f"directly standardised rate by {', '.join(strata)}", unit=f"per {scale:g}",
        method=f"direct standardisation; Fay-Feuer (1997) gamma interval, {name}; crude rate with Garwood interval",
        confidence_level=level, scale=scale, standard=std_desc, strata=list(strata), interval=interval,
        area=by, rank_model={"distribution": "gamma-moments", "mean": "estimate", "sd": "se"},
        **({"total_labels": [total]} if total is not None else {}),
    )
