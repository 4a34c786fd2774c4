"""Change and trend: two survey waves, trends over waves and years, year-over-year counts, many groups.

* :func:`survey_change` — change in a share between two survey waves with a design-based
  standard error, interval and p-value.
* :func:`survey_trend` — trend over several waves: survey-weighted logistic regression on the
  wave with R ``svyglm``'s design-based standard errors, all groups in one pass.
* :func:`count_change` / :func:`yearly_change` — year-over-year change in registered counts,
  with or without population offsets: rate ratio, percent change with exact interval, p-value.
* :func:`poisson_trend` — Poisson (or quasi-Poisson) regression of counts on the year with a
  log-population offset: the annual percent change.
* :func:`adjust_pvalues` — Benjamini–Hochberg false discovery rate (or Holm, Bonferroni)
  across the rows of a table.

Every table function returns an estimate table (:mod:`salto_analysis.estimates`) to be graded
by :func:`salto_analysis.reliability.grade`. The sentence a page writes for a change is
:func:`salto_analysis.sentences.change_sentence`; this module holds estimators only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from .estimates import (
    estimate_table,
    group_columns,
    has_meta,
    meta_of,
    with_facts,
    with_meta,
)
from .formatting import names
from .stats import Comparison, check_confidence_level, proportion_difference, rate_ratio
from .survey import Design

__all__ = [
    "survey_change",
    "survey_trend",
    "count_change",
    "yearly_change",
    "poisson_trend",
    "adjust_pvalues",
    "P_ADJUST_METHODS",
]

P_ADJUST_METHODS = {"fdr_bh": "Benjamini–Hochberg (1995) false discovery rate",
                    "holm": "Holm (1979) family-wise error rate",
                    "bonferroni": "Bonferroni family-wise error rate"}


def _levels(values: pd.Series, from_level, to_level, over: str):
    levels = sorted(pd.unique(values.dropna()))
    if len(levels) < 2 and (from_level is None or to_level is None):
        raise ValueError(f"column {over!r} needs at least two levels to compare; found {levels}")
    to_level = levels[-1] if to_level is None else to_level
    if from_level is None:
        earlier = [v for v in levels if v < to_level]
        if not earlier:
            raise ValueError(f"no level of {over!r} before to_level={to_level!r}")
        from_level = earlier[-1]
    for name, lev in (("from_level", from_level), ("to_level", to_level)):
        if lev not in levels:
            raise ValueError(f"{name}={lev!r} is not a level of {over!r} (levels: {levels})")
    return from_level, to_level


# --------------------------------------------------------------------------------------
# two survey waves
# --------------------------------------------------------------------------------------
def survey_change(source, variable: str | None = None, *, over: str = "wave", from_level=None, to_level=None,
                  by: str | Sequence[str] | None = None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Change in a share between two survey waves: difference, design-based SE, interval and p-value.

    Parameters
    ----------
    source : survey.Design or estimate table
        * A :class:`salto_analysis.survey.Design` of the pooled waves (recommended): the
          difference is a contrast of two domains of one design, so schools that take part
          in both waves contribute their covariance (:meth:`Design.difference`; agrees
          with R ``svyby(..., covmat=TRUE)`` + ``svycontrast``).
        * A proportion estimate table with ``over`` among its grouping columns. If it is
          design-based (``TableMeta.design_based``), the waves are treated as *independent*
          samples: ``se = sqrt(se₁² + se₀²)`` and the t reference distribution with
          ``df = min(df₁, df₀)`` (normal when the table has no ``df``).
          Positive correlation through shared schools makes this conservative. Otherwise
          (simple random sampling) Newcombe's hybrid score interval and the Pearson
          chi-square test are used (:func:`salto_analysis.stats.proportion_difference`).
    variable : str
        The 0/1 variable (only with a Design).
    over : str
        The column of the waves (default ``"wave"``).
    from_level, to_level
        The waves compared; default the last two levels.
    by : column name(s)
        Domains (only with a Design; a table's other grouping columns are used as they are).

    Returns
    -------
    DataFrame
        Estimate table of kind ``difference``: grouping columns, ``numerator``,
        ``denominator`` (``to_level``), ``numerator_ref``, ``denominator_ref`` (``from_level``),
        ``estimate`` (``p_to − p_from``), ``ci_low``, ``ci_high``, ``se``, ``df``, ``p_value``.
    """
    level = check_confidence_level(confidence_level)
    if isinstance(source, Design):
        if variable is None:
            raise ValueError("variable must be given when source is a survey.Design")
        if over not in source.data.columns:
            raise ValueError(f"over column {over!r} is not in the data")
        from_level, to_level = _levels(source.data[over], from_level, to_level, over)
        return source.difference(variable, over=over, from_level=from_level, to_level=to_level, by=by,
                                 confidence_level=level)
    table = source
    kind = meta_of(table).kind if has_meta(table) else None
    if kind != "proportion":
        raise ValueError("source must be a survey.Design or a proportion estimate table "
                         f"(got {type(source).__name__} with kind {kind!r})")
    groups = group_columns(table)
    if over not in groups:
        raise ValueError(f"over={over!r} is not a grouping column of the table (groups: {groups})")
    if by is not None:
        raise ValueError("by= is only used with a survey.Design; a table keeps its own grouping columns")
    from_level, to_level = _levels(table[over], from_level, to_level, over)
    others = [g for g in groups if g != over]
    cols = ["numerator", "denominator", "estimate"] + [c for c in ("se", "df") if c in table.columns]
    a = table.loc[table[over] == to_level, [*others, *cols]]
    b = table.loc[table[over] == from_level, [*others, *cols]]
    if others:
        m = a.merge(b, on=others, how="outer", suffixes=("", "_ref"), sort=True)
    else:
        m = pd.concat([a.reset_index(drop=True), b.reset_index(drop=True).add_suffix("_ref")], axis=1)
    out = m[others].copy() if others else pd.DataFrame(index=m.index)
    for c in ("numerator", "denominator"):
        out[c] = m[c]
        out[c + "_ref"] = m[c + "_ref"]
    if meta_of(table).design_based:
        diff = (m["estimate"] - m["estimate_ref"]).to_numpy(float)
        se = np.sqrt(m["se"] ** 2 + m["se_ref"] ** 2).to_numpy(float)
        if "df" in m.columns:
            df = np.fmin(m["df"].to_numpy(float), m["df_ref"].to_numpy(float))
            with np.errstate(invalid="ignore", divide="ignore"):
                q = sps.t.ppf(0.5 + level / 2, np.where(df > 0, df, np.nan))
                p = 2 * sps.t.sf(np.abs(diff / se), np.where(df > 0, df, np.nan))
        else:
            df = np.full(len(m), np.inf)
            q = sps.norm.ppf(0.5 + level / 2)
            with np.errstate(invalid="ignore", divide="ignore"):
                p = 2 * sps.norm.sf(np.abs(diff / se))
        out["estimate"], out["ci_low"], out["ci_high"] = diff, diff - q * se, diff + q * se
        out["se"], out["df"], out["p_value"] = se, df, p
        method = "difference of independent design-based estimates; t(min df) interval and test"
    else:
        r = proportion_difference(m["numerator"].to_numpy(float), m["denominator"].to_numpy(float),
                                  m["numerator_ref"].to_numpy(float), m["denominator_ref"].to_numpy(float),
                                  confidence_level=level)
        out["estimate"], out["ci_low"], out["ci_high"], out["p_value"] = r.estimate, r.ci_low, r.ci_high, r.p_value
        method = "Newcombe hybrid score interval; Pearson chi-square test"
    return estimate_table(out, groups=others, kind="difference", measure=f"change in {meta_of(table).measure}",
                          unit="proportion difference", method=method, confidence_level=level, over=over,
                          from_level=from_level, to_level=to_level)


# --------------------------------------------------------------------------------------
# trend over waves (logistic, cluster-robust)
# --------------------------------------------------------------------------------------
def survey_trend(data, variable: str, *, time: str = "wave", cluster: str | None = "school_id",
                 weight: str | None = None, by: str | Sequence[str] | None = None, strata: str | None = None,
                 centre: float | None = None, confidence_level: float = 0.95, few_clusters: int | None = None,
                 max_iter: int = 50) -> pd.DataFrame:
    """Trend of a 0/1 item over waves: survey-weighted logistic regression on ``time``, as R's ``svyglm``.

    For each domain of ``by``, ``logit P(y=1) = β₀ + β₁·(time − centre)`` is fitted by weighted
    maximum likelihood with the design-based sandwich variance of R
    ``svyglm(y ~ time, design, family = quasibinomial)`` (Binder 1983): schools (``cluster``)
    are the PSUs across waves, within optional ``strata``; ``n_h/(n_h − 1)`` counts every PSU of
    the design, also those without members of the domain (R's domain convention, so a domain's
    standard error is that of ``svyglm`` on ``subset(design, domain)``); interval and test use
    ``t`` with ``df = #PSU − #strata − 1`` of the domain (``summary.svyglm``). All domains are
    fitted at once from weighted sums by domain × wave (:meth:`salto_analysis.survey.Design.trend`
    has the method in full); tests/test_change.py checks it against R.

    Parameters
    ----------
    data : DataFrame or survey.Design
        One row per pupil, or a :class:`~salto_analysis.survey.Design` (then its cluster,
        strata and weights are used, and ``cluster``, ``strata`` and ``weight`` must be left
        out or agree with it). Pass a Design to fit several items on the same design.
    variable : str
        The 0/1 item; rows where it or ``time`` is missing are excluded and counted.
    time : str
        The numeric wave (year) column. The odds ratio is per unit of ``time``.
    cluster, strata, weight : str, optional
        Design columns (``cluster=None``: every row its own PSU).
    centre : float, optional
        Centring value of ``time`` (default: its mean over the rows used); it changes only
        the intercept, not the trend.
    few_clusters : int, optional
        Deprecated and ignored: intervals and tests always use ``t(df)`` as R's
        ``summary.svyglm`` (it used to switch between ``t(G−1)`` and the normal).

    Returns
    -------
    DataFrame
        Estimate table of kind ``ratio``: ``estimate`` is the odds ratio per unit of ``time``
        with its interval, ``se`` the SE of its log, ``p_value`` the test of no trend,
        ``numerator``/``denominator`` the pooled unweighted counts, ``n_clusters`` (PSUs with
        answers in the domain) and ``df``. Facts ``centre`` and ``excluded``.
    """
    level = check_confidence_level(confidence_level)
    if few_clusters is not None:
        warnings.warn("survey_trend(few_clusters=...) is ignored: intervals and tests use t(df) with "
                      "df = #PSU - #strata - 1, as R's summary.svyglm", DeprecationWarning, stacklevel=2)
    if isinstance(data, Design):
        design = data
        for role, given, used in (("cluster", cluster, design.cluster), ("strata", strata, design.strata),
                                  ("weight", weight, design.weight)):
            default = "school_id" if role == "cluster" else None
            if given not in (default, used):
                raise ValueError(f"{role}={given!r} differs from the design's {role} {used!r}; "
                                 f"leave it out when data is a survey.Design")
    else:
        if not isinstance(data, pd.DataFrame):
            raise ValueError(f"data must be a DataFrame or a survey.Design, got {type(data).__name__}")
        for role, col in (("variable", variable), ("time", time), ("cluster", cluster), ("strata", strata),
                          ("weight", weight), *(("by", b) for b in names(by))):
            if col is not None and col not in data.columns:
                raise ValueError(f"{role} column {col!r} is not in the data (columns: {list(data.columns)})")
        design = Design(data, cluster=cluster, strata=strata, weight=weight)
    return design.trend(variable, time=time, by=by, centre=centre, confidence_level=level, max_iter=max_iter)


# --------------------------------------------------------------------------------------
# year-over-year counts
# --------------------------------------------------------------------------------------
def count_change(count, count_ref, exposure=None, exposure_ref=None, *, confidence_level: float = 0.95) -> Comparison:
    """Change from ``count_ref`` (earlier) to ``count``, with population offsets when given.

    The rate ratio ``(count/exposure) / (count_ref/exposure_ref)`` with the exact conditional
    interval and p-value of R ``poisson.test`` (:func:`salto_analysis.stats.rate_ratio`);
    without exposures both are 1 (a plain ratio of counts). ``extra`` holds the percent change
    ``100·(RR − 1)`` and its interval. Example (R ``poisson.test(c(45, 30))``): 30 → 45 in the same
    population is "+50 % (95 % KI −8 % til +147 %), p = 0,11".
    """
    e1 = 1.0 if exposure is None else exposure
    e0 = 1.0 if exposure_ref is None else exposure_ref
    r = rate_ratio(count, e1, count_ref, e0, confidence_level=confidence_level)
    extra = {"percent_change": 100 * (r.estimate - 1), "percent_low": 100 * (r.ci_low - 1),
             "percent_high": 100 * (r.ci_high - 1)}
    return Comparison(r.estimate, r.ci_low, r.ci_high, r.p_value, statistic="rate ratio", method=r.method,
                      confidence_level=r.confidence_level, extra=extra)


def yearly_change(table: pd.DataFrame, *, over: str = "year", from_level=None, to_level=None,
                  count: str = "count", exposure: str | None = "exposure",
                  confidence_level: float = 0.95) -> pd.DataFrame:
    """Year-over-year change of counts or rates in a table, for every combination of its other groups.

    ``table`` is a count or rate estimate table (or any frame with ``over``, ``count`` and,
    optionally, ``exposure`` columns, one row per ``over`` × group). Compares ``to_level``
    (default the last year) with ``from_level`` (default the year before) by
    :func:`count_change`. Without an exposure column (or ``exposure=None``) the counts are
    compared directly. Returns an estimate table of kind ``ratio`` with ``count``,
    ``exposure``, ``count_ref``, ``exposure_ref``, ``estimate`` (rate ratio), ``ci_low``,
    ``ci_high``, ``p_value``, ``percent_change``, ``percent_low``, ``percent_high``.

    Poisson intervals assume independent events: counts of offences with repeat offenders
    and series are overdispersed and their intervals too narrow; prefer counts of persons.
    """
    level = check_confidence_level(confidence_level)
    if over not in table.columns or count not in table.columns:
        raise ValueError(f"table needs columns {over!r} and {count!r} (columns: {list(table.columns)})")
    use_exposure = exposure is not None and exposure in table.columns
    groups = group_columns(table) if has_meta(table) else [c for c in table.columns if c not in
                                                           (over, count, exposure)]
    others = [g for g in groups if g != over and g in table.columns]
    from_level, to_level = _levels(table[over], from_level, to_level, over)
    cols = [count] + ([exposure] if use_exposure else [])
    a = table.loc[table[over] == to_level, [*others, *cols]]
    b = table.loc[table[over] == from_level, [*others, *cols]]
    if others:
        dup = a.duplicated(others).any() or b.duplicated(others).any()
        if dup:
            raise ValueError(f"table has several rows per {others} within a year; aggregate it first")
        m = a.merge(b, on=others, how="outer", suffixes=("", "_ref"), sort=True)
    else:
        if len(a) != 1 or len(b) != 1:
            raise ValueError(f"table must have one row per {over!r} when it has no other grouping columns")
        m = pd.concat([a.reset_index(drop=True), b.reset_index(drop=True).add_suffix("_ref")], axis=1)
    c1 = m[count].to_numpy(float)
    c0 = m[count + "_ref"].to_numpy(float)
    e1 = m[exposure].to_numpy(float) if use_exposure else 1.0
    e0 = m[exposure + "_ref"].to_numpy(float) if use_exposure else 1.0
    missing = np.isnan(c1) | np.isnan(c0)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} group(s) lack a count in {from_level!r} or {to_level!r}, first: "
                         f"{m.loc[missing, others].head(1).to_dict('records')}")
    r = count_change(c1, c0, e1, e0, confidence_level=level)
    out = m[others].copy() if others else pd.DataFrame(index=m.index)
    out["count"], out["count_ref"] = c1, c0
    if use_exposure:
        out["exposure"], out["exposure_ref"] = e1, e0
    out["estimate"], out["ci_low"], out["ci_high"], out["p_value"] = r.estimate, r.ci_low, r.ci_high, r.p_value
    for k, v in r.extra.items():
        out[k] = v
    return estimate_table(out, groups=others, kind="ratio", measure=f"change in {meta_of(table).measure if has_meta(table) else count}",
                          unit="rate ratio" if use_exposure else "ratio of counts",
                          method="exact conditional rate ratio (R poisson.test)", confidence_level=level,
                          over=over, from_level=from_level, to_level=to_level)


def poisson_trend(table: pd.DataFrame, *, time: str = "year", count: str = "count", exposure: str | None = "exposure",
                  by: str | Sequence[str] | None = None, dispersion: str = "poisson",
                  confidence_level: float = 0.95) -> pd.DataFrame:
    """Annual percent change from a Poisson regression with a log-population offset.

    For each domain of ``by``: ``log E[count] = β₀ + β₁·time + log(exposure)`` (R ``glm(count ~
    time, family = poisson, offset = log(exposure))``); the annual rate ratio is ``exp(β₁)`` and
    the annual percent change ``100·(exp(β₁) − 1)`` with a Wald interval (the NCI
    Joinpoint "APC" for a single segment). ``dispersion="quasi"`` scales the covariance by the
    Pearson ``χ²/(n − 2)`` (quasi-Poisson) when counts are overdispersed; the Pearson
    dispersion is reported either way in the ``dispersion`` column.

    Returns an estimate table of kind ``ratio``: ``count`` (total events), ``estimate``
    (annual rate ratio), ``ci_low``, ``ci_high``, ``se`` (of β₁), ``p_value``,
    ``percent_change``, ``percent_low``, ``percent_high``, ``dispersion``, ``n_periods``.

    ``count`` must hold non-negative whole numbers, ``exposure`` positive finite numbers and
    ``time`` numbers, none missing (``ValueError`` naming the column and the first rows
    otherwise; drop or fill such rows explicitly).
    """
    level = check_confidence_level(confidence_level)
    if dispersion not in ("poisson", "quasi"):
        raise ValueError(f"dispersion={dispersion!r} must be 'poisson' or 'quasi'")
    by = names(by)
    needed = [time, count, *by] + ([exposure] if exposure else [])
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the table (columns: {list(table.columns)})")
    _check_trend_columns(table, time=time, count=count, exposure=exposure)
    q = sps.norm.ppf(0.5 + level / 2)
    rows = []
    groups = table.groupby(by, observed=True, sort=True) if by else [((), table)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        y = g[count].astype(float).to_numpy()
        x = sm.add_constant(g[time].astype(float).to_numpy(), has_constant="add")
        off = np.log(g[exposure].astype(float).to_numpy()) if exposure else None
        res = {"count": float(y.sum()), "n_periods": len(y)}
        n_needed = 3 if dispersion == "quasi" else 2  # quasi-Poisson needs a residual df
        if len(y) < n_needed or g[time].nunique() < 2 or y.sum() == 0:
            res.update(estimate=np.nan, ci_low=np.nan, ci_high=np.nan, se=np.nan, p_value=np.nan,
                       dispersion=np.nan)
        else:
            with warnings.catch_warnings():
                if len(y) == 2:  # saturated: exact fit, statsmodels warns about the zero residual df
                    warnings.simplefilter("ignore")
                fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=off).fit(
                    scale="X2" if dispersion == "quasi" else None)
            beta = float(fit.params[1])
            se = float(fit.bse[1])
            pearson = float(fit.pearson_chi2 / fit.df_resid) if fit.df_resid > 0 else np.nan
            if dispersion == "quasi":
                p = float(2 * sps.t.sf(abs(beta / se), fit.df_resid))
                qq = sps.t.ppf(0.5 + level / 2, fit.df_resid)
            else:
                p, qq = float(2 * sps.norm.sf(abs(beta / se))), q
            res.update(estimate=math.exp(beta), ci_low=math.exp(beta - qq * se), ci_high=math.exp(beta + qq * se),
                       se=se, p_value=p, dispersion=pearson)
        res["percent_change"] = 100 * (res["estimate"] - 1)
        res["percent_low"] = 100 * (res["ci_low"] - 1)
        res["percent_high"] = 100 * (res["ci_high"] - 1)
        rows.append({**dict(zip(by, key)), **res})
    out = pd.DataFrame(rows)
    how = "quasi-Poisson (Pearson scale), t interval" if dispersion == "quasi" else "Poisson, Wald interval"
    return estimate_table(out, groups=by, kind="ratio", measure=f"annual change in {count}",
                          unit=f"rate ratio per {time}", method=f"GLM {how}, log(exposure) offset",
                          confidence_level=level, time=time, dispersion_model=dispersion)


def _check_trend_columns(table: pd.DataFrame, *, time: str, count: str, exposure: str | None) -> None:
    """Refuse what a Poisson GLM cannot take, with the column and rows named (poisson_trend)."""
    rules = [(time, "numbers", lambda v: np.isfinite(v)),
             (count, "non-negative whole numbers (counts of events)", lambda v: (v >= 0) & (v == np.floor(v))
              & np.isfinite(v))]
    if exposure:
        rules.append((exposure, "positive numbers (population or person-time)", lambda v: (v > 0) & np.isfinite(v)))
    for col, what, ok in rules:
        s = table[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise ValueError(f"column {col!r} must hold {what}; got dtype {s.dtype}")
        v = s.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = ~ok(v)
        if bad.any():
            rows = list(table.index[bad][:3])
            kind = "missing" if np.isnan(v[bad]).all() else "invalid"
            raise ValueError(f"column {col!r} must hold {what}; {int(bad.sum())} {kind} value(s), first "
                             f"{[_plain(x) for x in v[bad][:3]]} at rows {rows}; drop or fix those rows first")


def _plain(x: float):
    return int(x) if np.isfinite(x) and float(x).is_integer() else float(x)


# --------------------------------------------------------------------------------------
# many comparisons
# --------------------------------------------------------------------------------------
def _pvalues(table: pd.DataFrame, column: str) -> np.ndarray:
    """The p-values of ``column`` as floats (missing as ``nan``); refuse anything that is not a number."""
    s = table[column]
    if pd.api.types.is_bool_dtype(s):
        raise ValueError(f"column {column!r} holds booleans, not p-values; pass the p-values themselves")
    if pd.api.types.is_numeric_dtype(s):
        return s.to_numpy(dtype=float, na_value=np.nan)
    values = s.to_numpy(dtype=object)
    number = np.array([isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
                       for v in values], dtype=bool)
    bad = ~number & ~pd.isna(s).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"column {column!r} must hold numbers (p-values) or missing values; {int(bad.sum())} "
                         f"value(s) are not, first {values[i]!r} ({type(values[i]).__name__}) at row "
                         f"{s.index[i]!r}; convert or drop them explicitly (left out, they would shrink the family)")
    return np.array([float(v) if n else np.nan for v, n in zip(values, number)], dtype=float)


def adjust_pvalues(table: pd.DataFrame, *, method: str = "fdr_bh", column: str = "p_value") -> pd.DataFrame:
    """Add ``p_adjusted`` to a table of comparisons, adjusting ``column`` across its rows.

    ``fdr_bh``: Benjamini & Hochberg (1995), *JRSS B* 57:289–300, step-up false discovery
    rate adjustment (statsmodels ``multipletests``, equal to R ``p.adjust(method="BH")``);
    ``holm`` and ``bonferroni`` control the family-wise error rate. Missing p-values (``nan``,
    ``None``, ``pd.NA``) are left out of the family and stay missing. Anything else that is
    not a number (a string, a boolean) raises ``ValueError``: left out, it would shrink the
    family and make the adjustment too lenient. Adjust *before* grading (grading removes the
    p-values of suppressed rows). The fact ``p_adjustment`` of an estimate table's metadata
    states the method and the number of tests.
    """
    if method not in P_ADJUST_METHODS:
        raise ValueError(f"method={method!r} must be one of {', '.join(P_ADJUST_METHODS)}")
    if column not in table.columns:
        raise ValueError(f"column {column!r} is not in the table (columns: {list(table.columns)})")
    p = _pvalues(table, column)
    ok = ~np.isnan(p)
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise ValueError(f"column {column!r} has values outside [0, 1]; first {p[ok][(p[ok] < 0) | (p[ok] > 1)][0]!r}")
    adj = np.full(len(p), np.nan)
    if ok.any():
        adj[ok] = multipletests(p[ok], method=method)[1]
    out = table.copy()
    out["p_adjusted"] = adj
    if not has_meta(table):
        return out
    flags = [c for c in ("flag", "flag_reason") if c in out.columns]  # keep the estimate-table column order
    out = out[[c for c in out.columns if c not in flags] + flags]
    return with_facts(with_meta(out, meta_of(table)),
                      p_adjustment={"method": P_ADJUST_METHODS[method], "n_tests": int(ok.sum()), "column": column})
