"""Trend of every indicator over waves: survey-weighted logistic regression on the year.

``logit P(y=1) = β0 + β1·year``, the weighted maximum-likelihood fit with the design-based
(Binder 1983) sandwich variance ``H⁻¹ [Σ_h n_h/(n_h−1) Σ_k (s_hk − s̄_h)(s_hk − s̄_h)ᵀ] H⁻¹``,
schools as PSUs across waves — what R's ``svyglm(y ~ wave, family = quasibinomial)``
computes (tests/test_drug_use.py checks it against R); t quantiles with ``df = degf − 1`` as
``summary.svyglm``. Reported as the odds ratio per year.

Why not :func:`salto_analysis.change.survey_trend`: that function fits one row-level
statsmodels GLM per group, too slow for the 1,500,000-pupil benchmark
(``benchmarks/bench_drug_use.py`` measures both: about 50× apart per indicator). Here all
groups of an indicator are fitted at once from sufficient statistics (the weighted sums by
wave for the fit, the residual sums by school × wave for the sandwich); the estimates are
the same to 1e-12. It also uses district strata when the design has them, and R's
``svyglm`` variance: ``G/(G−1)`` with ``G`` every school of the design (R's domain
convention), where ``survey_trend`` uses statsmodels' ``G_g/(G_g−1)·(N−1)/(N−2)`` with the
group's own schools — a difference of a few per mille at these sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import expit

from salto_analysis import change, stats
from salto_analysis.estimates import estimate_table

from .changes import _blocked, _drop_blocked
from .frame import _frame_attrs, _group_columns, _pooled_strata

__all__ = ["logistic_trend", "trends"]



def _factor(values) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), len(uniques)


def _stratum_variance(totals: np.ndarray, psu_stratum: np.ndarray, n_h: np.ndarray) -> np.ndarray:
    """``Σ_h n_h/(n_h−1) Σ_k (t_hk − t̄_h)(t_hk − t̄_h)ᵀ`` for PSU totals ``totals[g, k, :]``.

    ``totals`` has shape (groups, PSUs, p); ``t̄_h`` is the mean over *all* ``n_h`` PSUs of
    stratum ``h`` (PSUs without members of a group contribute zeros, R's domain convention).
    Returns shape (groups, p, p).
    """
    n_groups, n_psu, p = totals.shape
    n_strata = len(n_h)
    onehot = np.zeros((n_psu, n_strata))
    onehot[np.arange(n_psu), psu_stratum] = 1.0
    s1 = np.einsum("gkp,kh->ghp", totals, onehot)  # stratum sums
    s2 = np.einsum("gkp,gkq,kh->ghpq", totals, totals, onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(n_h > 1, n_h / (n_h - 1), 0.0)
        centred = s2 - np.einsum("ghp,ghq->ghpq", s1, s1) / n_h[None, :, None, None]
    return np.einsum("ghpq,h->gpq", centred, scale)


def _psu_structure(cluster: pd.Series, strata: pd.Series | None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PSU code per row, stratum code per row, stratum of each PSU, PSUs per stratum."""
    h, n_strata = _factor(strata) if strata is not None else (np.zeros(len(cluster), np.int64), 1)
    c, _ = _factor(cluster)
    psu, n_psu = _factor(h * (c.max() + 1 if len(c) else 1) + c)
    psu_stratum = np.zeros(n_psu, np.int64)
    psu_stratum[psu] = h
    n_h = np.bincount(psu_stratum, minlength=n_strata).astype(float)
    return psu, h, psu_stratum, n_h


def _domain_df(group: np.ndarray, psu: np.ndarray, psu_stratum: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: PSUs with members minus strata with members (R's degf of the domain)."""
    n_psu = len(psu_stratum)
    present = np.zeros(n_groups * n_psu, bool)
    present[group * n_psu + psu] = True
    present = present.reshape(n_groups, n_psu)
    strata = np.zeros((n_groups, int(psu_stratum.max()) + 1 if n_psu else 0), bool)
    rows, cols = np.nonzero(present)
    strata[rows, psu_stratum[cols]] = True
    return (present.sum(1) - strata.sum(1)).astype(float)


def _groups(data: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per row (−1 where a ``by`` value is missing) and the group keys, sorted."""
    if not by:
        return np.zeros(len(data), np.int64), pd.DataFrame(index=[0])
    grouped = data[by].reset_index(drop=True).groupby(by, observed=True, sort=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().index.to_frame(index=False)
    return np.where(np.isnan(codes), -1, codes).astype(np.int64), keys


def _check_columns(data: pd.DataFrame, *cols) -> None:
    for col in cols:
        if col is not None and col not in data.columns:
            raise ValueError(f"column {col!r} is not in the data (columns: {list(data.columns)})")


@dataclass(frozen=True)
class _TrendDesign:
    """The parts of a trend fit that do not depend on the variable (built once for many items)."""

    groups: np.ndarray  # group code per row, -1 = a missing by value
    keys: pd.DataFrame  # one row per group
    waves: np.ndarray  # wave code per row
    years: np.ndarray  # the year of each wave code
    weights: np.ndarray
    psu: np.ndarray  # PSU code per row
    psu_stratum: np.ndarray  # stratum of each PSU
    n_h: np.ndarray  # PSUs per stratum


def _trend_design(data: pd.DataFrame, by: list[str], wave: str, cluster: str, strata: str | None,
                  weight: str | None) -> _TrendDesign:
    psu, _, psu_stratum, n_h = _psu_structure(data[cluster], data[strata] if strata else None)
    gcodes, gkeys = _groups(data, by)
    wcodes, wave_values = pd.factorize(data[wave], sort=True)
    w = data[weight].to_numpy(dtype=float) if weight else np.ones(len(data))
    return _TrendDesign(gcodes, gkeys, np.asarray(wcodes, np.int64), np.asarray(wave_values, dtype=float), w, psu,
                        psu_stratum, n_h)


def _fit_trend(td: _TrendDesign, y_all: np.ndarray, level: float, max_iter: int = 50) -> pd.DataFrame:
    """Weighted logistic fit on the year and its design-based sandwich, for every group at once."""
    n_groups, n_w, n_psu = len(td.keys), len(td.years), len(td.psu_stratum)
    valid = ~np.isnan(y_all) & (td.groups >= 0)
    g, y, k, wc, ww = td.groups[valid], y_all[valid], td.psu[valid], td.waves[valid], td.weights[valid]
    t = td.years - td.years.mean() if n_w else td.years
    X = np.stack([np.ones(n_w), t], axis=1)  # (waves, 2)
    gw = g * n_w + wc
    W = np.bincount(gw, weights=ww, minlength=n_groups * n_w).reshape(n_groups, n_w)
    Y = np.bincount(gw, weights=ww * y, minlength=n_groups * n_w).reshape(n_groups, n_w)
    beta = np.zeros((n_groups, 2))
    converged = np.zeros(n_groups, bool)
    cov = np.full((n_groups, 2, 2), np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        p0 = Y.sum(1) / W.sum(1)
        beta[:, 0] = np.log(p0 / (1 - p0))
        fit = np.isfinite(beta[:, 0]) & ((W > 0).sum(1) >= 2)  # both outcomes, two waves or more
        for _ in range(max_iter):
            mu = expit(beta @ X.T)  # (groups, waves)
            score = (Y - W * mu) @ X
            hess = np.einsum("gw,wp,wq->gpq", W * mu * (1 - mu), X, X)
            step = np.zeros_like(beta)
            step[fit] = np.linalg.solve(hess[fit], score[fit][..., None])[..., 0]
            beta = beta + step
            converged = fit & np.all(np.abs(step) < 1e-10, axis=1)
            if (converged == fit).all():
                break
        mu = expit(beta @ X.T)
        hess = np.einsum("gw,wp,wq->gpq", W * mu * (1 - mu), X, X)
        # score totals by PSU: the residual sums by (group, PSU, wave) times x of the wave
        key = (g * n_psu + k) * n_w + wc
        size = n_groups * n_psu * n_w
        resid = (np.bincount(key, weights=ww * y, minlength=size).reshape(n_groups, n_psu, n_w)
                 - np.bincount(key, weights=ww, minlength=size).reshape(n_groups, n_psu, n_w) * mu[:, None, :])
        meat = _stratum_variance(resid @ X, td.psu_stratum, td.n_h)
        if converged.any():
            bread = np.linalg.inv(hess[converged])
            cov[converged] = bread @ meat[converged] @ bread
        df = _domain_df(g, k, td.psu_stratum, n_groups) - 1
        b1 = beta[:, 1]
        se = np.sqrt(cov[:, 1, 1])
        ok = converged & np.isfinite(se) & (se > 0) & (df > 0)
        q = sps.t.ppf(0.5 + level / 2, np.where(ok, df, np.nan))
        pval = 2 * sps.t.sf(np.abs(b1 / se), np.where(ok, df, np.nan))
    out = td.keys.copy()
    out["numerator"] = np.bincount(g, weights=y, minlength=n_groups).round().astype(np.int64)
    out["denominator"] = np.bincount(g, minlength=n_groups)
    out["estimate"] = np.where(ok, np.exp(b1), np.nan)
    out["se"] = np.where(ok, se, np.nan)
    out["ci_low"] = np.where(ok, np.exp(b1 - q * se), np.nan)
    out["ci_high"] = np.where(ok, np.exp(b1 + q * se), np.nan)
    out["df"], out["p_value"] = np.where(df > 0, df, np.nan), np.where(ok, pval, np.nan)
    out.attrs["not_converged"] = int((fit & ~converged).sum())
    return out

_TREND_METHOD = ("survey-weighted logistic regression on the year, design-based sandwich variance with schools as "
                 "PSUs (R svyglm, quasibinomial); t interval and test")


def logistic_trend(data: pd.DataFrame, variable: str, *, by: Sequence[str] = (), wave: str = "wave",
                   cluster: str = "school_id", strata: str | None = None, weight: str | None = "weight",
                   confidence_level: float = 0.95, max_iter: int = 50) -> pd.DataFrame:
    """Trend of a 0/1 ``variable`` over waves: survey-weighted logistic regression on the year.

    For each ``by`` group, ``logit P(y=1) = β0 + β1·(year − ȳ)`` is fitted by weighted
    maximum likelihood (Newton–Raphson on the weighted sums by wave, which are sufficient
    because the only covariate is the wave). The variance is the design-based sandwich of
    R's ``svyglm`` (Binder 1983): ``H⁻¹ V H⁻¹`` with ``H = Σ w μ(1−μ) x xᵀ`` and ``V`` the
    with-replacement variance of the PSU totals of the scores ``w·x·(y − μ)``, centred within
    strata, times ``n_h/(n_h−1)``. PSUs are ``cluster`` (the school) across all waves; a
    group's PSUs without members count in ``n_h`` (R's domain convention). Interval and
    test use ``t`` with ``df = #PSU − #strata − 1`` of the group (R's ``summary.svyglm``:
    degf + 1 − number of coefficients). A group without both outcomes or with fewer than
    two waves gets no estimate.

    Returns an ungraded estimate table of kind ``ratio``: ``estimate`` is the odds ratio per
    year ``exp(β1)`` with its interval; ``se`` is the standard error of ``β1`` (log scale);
    ``numerator``/``denominator`` are the positives and answers summed over waves.
    """
    level = stats.check_confidence_level(confidence_level)
    by = list(by)
    _check_columns(data, variable, wave, cluster, strata, weight, *by)
    td = _trend_design(data, by, wave, cluster, strata, weight)
    out = _fit_trend(td, data[variable].to_numpy(dtype=float), level, max_iter)
    return estimate_table(
        out, groups=by, kind="ratio", measure="odds ratio per year", unit="odds ratio", method=_TREND_METHOD,
        confidence_level=level, design_based=True, waves=[int(v) for v in td.years],
        not_converged=out.attrs["not_converged"],
    )


def trends(frame: pd.DataFrame, prevalence: pd.DataFrame | None = None, *, confidence_level: float = 0.95
           ) -> pd.DataFrame:
    """Trend of every indicator over all selected waves by school level (× sex).

    :func:`logistic_trend` per indicator (odds ratio per year, schools as PSUs across waves,
    districts as strata when the prevalence design has them), then Benjamini–Hochberg across
    the whole table. With ``prevalence`` (graded), a group is computed only if none of its
    shares in any wave is suppressed. Needs at least two waves; otherwise the table is empty.
    """
    attrs = _frame_attrs(frame)
    groups = _group_columns(frame)
    strata = _pooled_strata(frame)
    parts = []
    if len(attrs["waves"]) > 1:
        level = stats.check_confidence_level(confidence_level)
        td = _trend_design(frame, groups, "wave", "school_id", strata, "weight")
        for name in attrs["indicators"]:
            t = pd.DataFrame(_fit_trend(td, frame[name].to_numpy(dtype=float), level))
            t.insert(0, "indicator", name)
            parts.append(t)
    cols = ["indicator", *groups, "numerator", "denominator", "estimate", "se", "ci_low", "ci_high", "df", "p_value"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    not_computed = []
    if prevalence is not None and len(table):
        table, not_computed = _drop_blocked(table, groups, _blocked(prevalence, groups, attrs["waves"]))
    waves = attrs["waves"]
    table = estimate_table(
        table.reset_index(drop=True), groups=["indicator", *groups], kind="ratio", measure="odds ratio per year",
        unit="odds ratio", method=_TREND_METHOD, confidence_level=confidence_level,
        design_based=True, wave_from=waves[0], wave_to=waves[-1], synthetic=attrs["synthetic"],
        not_computed=not_computed,
    )
    return change.adjust_pvalues(table, method="fdr_bh")
