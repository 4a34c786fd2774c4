"""Change of every indicator between two survey waves (notebook 04).

The difference of two domain shares of the *pooled* design, in which the school is the PSU
across waves (:meth:`salto_analysis.survey.Design.difference` through
:func:`salto_analysis.change.survey_change`), so the covariance from the same schools taking
part in both waves is in the standard error (``docs/methods.md#survey-change-between-two-waves``;
Lumley 2010, domain contrasts); t interval and test
with ``df = #PSU − #strata`` of the two domains, as R's ``svyby`` domains. Benjamini–Hochberg
across the whole table (:func:`salto_analysis.change.adjust_pvalues`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from salto_analysis import change
from salto_analysis.estimates import estimate_table, meta_of

from .frame import _frame_attrs, _group_columns, _pooled_design
from .prevalence import ALL_GRADES

__all__ = ["changes"]



def _blocked(shown: pd.DataFrame, groups: list[str], waves: Iterable[int]) -> set[tuple]:
    """(indicator, *group values) with a suppressed school-level prevalence row in ``waves``."""
    if not meta_of(shown).graded:
        raise ValueError("prevalence= must be the graded prevalence table (reliability.grade(prevalence(...)))")
    sub = shown
    if "grade" in sub.columns:
        sub = sub[sub["grade"].astype(object) == ALL_GRADES]
    sub = sub[sub["wave"].isin(list(waves)) & (sub["flag"] == "suppressed")]
    return {tuple(str(v) for v in r) for r in sub[["indicator", *groups]].itertuples(index=False)}


def _drop_blocked(table: pd.DataFrame, groups: list[str], blocked: set) -> tuple[pd.DataFrame, list]:
    keys = [tuple(str(v) for v in r) for r in table[["indicator", *groups]].itertuples(index=False)]
    drop = np.array([k in blocked for k in keys], dtype=bool)
    out = table.loc[~drop].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out, [k for k, d in zip(keys, drop) if d]


def changes(frame: pd.DataFrame, prevalence: pd.DataFrame | None = None, *, confidence_level: float = 0.95,
            wave_from: int | None = None, wave_to: int | None = None) -> pd.DataFrame:
    """Change in every indicator between two waves (default: the last two) by school level (× sex).

    :func:`wave_difference` for each indicator (schools as PSUs across the two waves,
    districts as strata when the prevalence design has them), then Benjamini–Hochberg across
    the whole table (:func:`adjust_bh`). With ``prevalence`` (the *graded* prevalence table),
    a group is computed only where both shares are shown there (not suppressed), so the
    change cannot reveal a withheld share; the others are listed in the fact ``not_computed``.
    Returns an ungraded estimate table (kind ``difference``), or an empty one when fewer than
    two waves are selected.
    """
    attrs = _frame_attrs(frame)
    waves = attrs["waves"]
    wave_from = waves[-2] if wave_from is None and len(waves) > 1 else wave_from
    wave_to = waves[-1] if wave_to is None else wave_to
    groups = _group_columns(frame)
    parts = []
    if wave_from is not None and wave_from != wave_to:
        design = _pooled_design(frame)
        for name in attrs["indicators"]:
            t = pd.DataFrame(change.survey_change(design, name, over="wave", from_level=wave_from, to_level=wave_to,
                                                  by=groups, confidence_level=confidence_level))
            t.insert(0, "indicator", name)
            parts.append(t)
    cols = ["indicator", *groups, "numerator", "denominator", "numerator_ref", "denominator_ref", "estimate",
            "ci_low", "ci_high", "se", "df", "p_value", "estimate_ref", "estimate_to"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    table["indicator"] = pd.Categorical(table["indicator"], categories=attrs["indicators"], ordered=True)
    table = table[(table["denominator"] > 0) & (table["denominator_ref"] > 0)] if len(table) else table
    not_computed = []
    if prevalence is not None and len(table):
        table, not_computed = _drop_blocked(table, groups, _blocked(prevalence, groups, [wave_from, wave_to]))
    table = estimate_table(
        table.reset_index(drop=True), groups=["indicator", *groups], kind="difference",
        measure=f"change {wave_from}-{wave_to}", unit="proportion difference",
        method="difference of two domain shares of the pooled design (schools as PSUs across waves, covariance "
               "included; survey.Design.difference); t interval and test", confidence_level=confidence_level,
        design_based=True, wave_from=wave_from, wave_to=wave_to, synthetic=attrs["synthetic"],
        not_computed=not_computed,
    )
    return change.adjust_pvalues(table, method="fdr_bh")
