"""Trend of every indicator over waves: survey-weighted logistic regression on the year.

``logit P(y=1) = β0 + β1·year`` with the design-based sandwich variance of R's
``svyglm(y ~ wave, family = quasibinomial)``, schools as PSUs across waves, districts as
strata where the pooled design has them: :func:`salto_analysis.change.survey_trend` on the
pooled design of :mod:`.frame` (all groups of an indicator in one pass; the method and its
R check are there). Reported as the odds ratio per year, with Benjamini–Hochberg across the
table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from salto_analysis import change, stats
from salto_analysis.estimates import estimate_table, meta_of

from .changes import _blocked, _drop_blocked
from .frame import _frame_attrs, _group_columns, _pooled_design

__all__ = ["logistic_trend", "trends"]

_TREND_METHOD = ("survey-weighted logistic regression on the year, design-based sandwich variance with schools as "
                 "PSUs (R svyglm, quasibinomial); t interval and test")
_COLUMNS = ["numerator", "denominator", "estimate", "se", "ci_low", "ci_high", "df", "p_value"]


def logistic_trend(data: pd.DataFrame, variable: str, *, by: Sequence[str] = (), wave: str = "wave",
                   cluster: str = "school_id", strata: str | None = None, weight: str | None = "weight",
                   confidence_level: float = 0.95, max_iter: int = 50) -> pd.DataFrame:
    """Trend of a 0/1 ``variable`` over waves: :func:`salto_analysis.change.survey_trend` with the
    column names of the drug-use frame (``wave``, ``school_id``, ``weight``).

    Returns an ungraded estimate table of kind ``ratio``: ``estimate`` is the odds ratio per
    year ``exp(β1)`` with its interval; ``se`` is the standard error of ``β1`` (log scale);
    ``numerator``/``denominator`` are the positives and answers summed over waves.
    """
    return change.survey_trend(data, variable, time=wave, cluster=cluster, strata=strata, weight=weight,
                               by=list(by), confidence_level=confidence_level, max_iter=max_iter)


def trends(frame: pd.DataFrame, prevalence: pd.DataFrame | None = None, *, confidence_level: float = 0.95
           ) -> pd.DataFrame:
    """Trend of every indicator over all selected waves by school level (× sex).

    :func:`salto_analysis.change.survey_trend` per indicator on the pooled design (odds ratio
    per year, schools as PSUs across waves, districts as strata when the prevalence design has
    them), then Benjamini–Hochberg across the whole table. With ``prevalence`` (graded), a
    group is computed only if none of its shares in any wave is suppressed. Needs at least
    two waves; otherwise the table is empty.
    """
    attrs = _frame_attrs(frame)
    groups = _group_columns(frame)
    parts = []
    not_converged = 0
    if len(attrs["waves"]) > 1:
        level = stats.check_confidence_level(confidence_level)
        design = _pooled_design(frame)
        for name in attrs["indicators"]:
            t = change.survey_trend(design, name, time="wave", by=groups, confidence_level=level)
            not_converged += meta_of(t).fact('not_converged')
            t = pd.DataFrame(t)[[*groups, *_COLUMNS]]
            t.insert(0, "indicator", name)
            parts.append(t)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["indicator", *groups, *_COLUMNS])
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    not_computed = []
    if prevalence is not None and len(table):
        table, not_computed = _drop_blocked(table, groups, _blocked(prevalence, groups, attrs["waves"]))
    waves = attrs["waves"]
    table = estimate_table(
        table.reset_index(drop=True), groups=["indicator", *groups], kind="ratio", measure="odds ratio per year",
        unit="odds ratio", method=_TREND_METHOD, confidence_level=confidence_level,
        design_based=True, wave_from=waves[0], wave_to=waves[-1], synthetic=attrs["synthetic"],
        not_computed=not_computed, not_converged=not_converged,
    )
    return change.adjust_pvalues(table, method="fdr_bh")
