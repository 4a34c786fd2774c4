"""The estimate table: the one result shape of every analysis.

Every analysis function returns a tidy :class:`pandas.DataFrame` with

1. the grouping columns (for example ``year``, ``age_group``, ``district``);
2. the input counts: ``numerator`` and ``denominator`` for proportions, or
   ``count`` and ``exposure`` for counts and rates;
3. ``estimate``, ``ci_low``, ``ci_high``;
4. where they apply: ``se``, ``n_eff``, ``deff``, ``df``, ``p_value``, ``p_adjusted``;
5. ``flag`` (``ok`` | ``uncertain`` | ``suppressed``) and ``flag_reason``.

Its ``attrs`` say what was measured (``measure``), the ``unit``, the
``confidence_level``, the ``method`` and the ``kind`` of statistic, which tells
:func:`salto_analysis.reliability.grade` which rules apply:

``proportion``  a share, numerator/denominator (NCHS 2017 proportion standard)
``rate``        count per ``exposure`` x ``scale`` (NCHS 2023 counts and rates)
``count``       a count of events or persons (NCHS 2023)
``ratio``       a rate ratio or odds ratio between two groups
``difference``  a difference of two proportions or a change
``summary``     anything else (median, Gini...): graded on its underlying counts

A ``ratio`` or ``difference`` carries the counts of both groups it compares, the
compared group under the plain names and the reference (earlier year, other group)
with the suffix ``_ref``: ``count``/``count_ref`` (events; with ``exposure``/
``exposure_ref`` for rates), or ``numerator``/``denominator`` and
``numerator_ref``/``denominator_ref`` for shares. A 2×2 table (odds ratio) is written
``numerator = a``, ``denominator = a + b``, ``numerator_ref = c``,
``denominator_ref = c + d``. Counts under other names are listed in
``attrs["event_columns"]``. The grading reads the smallest of them (see
:mod:`salto_analysis.reliability`), so a ratio from few events is never shown as solid.

This module only builds and checks the shape; the numbers come from
:mod:`salto_analysis.stats`, :mod:`salto_analysis.survey` and the analysis modules,
and the flags from :mod:`salto_analysis.reliability`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = [
    "COUNT_COLUMNS",
    "ESTIMATE_COLUMNS",
    "EXTRA_COLUMNS",
    "FLAG_COLUMNS",
    "FLAGS",
    "KINDS",
    "estimate_table",
    "group_columns",
    "check_estimate_table",
]

COUNT_COLUMNS = ("numerator", "denominator", "count", "exposure")
ESTIMATE_COLUMNS = ("estimate", "ci_low", "ci_high")
EXTRA_COLUMNS = ("se", "n_eff", "deff", "df", "p_value", "p_adjusted")
FLAG_COLUMNS = ("flag", "flag_reason")
FLAGS = ("ok", "uncertain", "suppressed")
KINDS = ("proportion", "rate", "count", "ratio", "difference", "summary")
_KNOWN = (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS, *FLAG_COLUMNS)


def estimate_table(
    data: pd.DataFrame,
    *,
    groups: Sequence[str] = (),
    kind: str,
    measure: str,
    unit: str,
    method: str,
    confidence_level: float,
    **attrs,
) -> pd.DataFrame:
    """Order the columns of ``data`` into the estimate-table shape and set its ``attrs``.

    Grouping columns come first in the order given, then the known columns in
    the standard order; other columns (for example labels) follow before the
    flag columns. Missing ``flag``/``flag_reason`` columns are added as
    ungraded (``pd.NA``): only :func:`salto_analysis.reliability.grade` sets them.

    Examples
    --------
    >>> t = estimate_table(pd.DataFrame({"year": [2025], "numerator": [3], "denominator": [10],
    ...     "estimate": [0.3], "ci_low": [0.1], "ci_high": [0.6]}), groups=["year"],
    ...     kind="proportion", measure="share", unit="proportion", method="wilson",
    ...     confidence_level=0.95)
    >>> list(t.columns)
    ['year', 'numerator', 'denominator', 'estimate', 'ci_low', 'ci_high', 'flag', 'flag_reason']
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} must be one of {', '.join(KINDS)}")
    if not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level={confidence_level!r} must be between 0 and 1")
    missing = [g for g in groups if g not in data.columns]
    if missing:
        raise ValueError(f"grouping column(s) {missing} not in the data (columns: {list(data.columns)})")
    out = data.copy()
    for col in FLAG_COLUMNS:
        if col not in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="object")
    known = [c for c in (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS) if c in out.columns]
    other = [c for c in out.columns if c not in groups and c not in _KNOWN]
    out = out[[*groups, *known, *other, *FLAG_COLUMNS]]
    out.attrs = {
        **data.attrs,
        "kind": kind,
        "measure": measure,
        "unit": unit,
        "method": method,
        "confidence_level": confidence_level,
        "groups": list(groups),
        **attrs,
    }
    return out


def group_columns(table: pd.DataFrame) -> list[str]:
    """The grouping columns of an estimate table (from ``attrs``, else inferred)."""
    if "groups" in table.attrs:
        return list(table.attrs["groups"])
    return [c for c in table.columns if c not in _KNOWN]


def check_estimate_table(table: pd.DataFrame, *, graded: bool = True, where: str = "") -> None:
    """Raise ``ValueError`` if ``table`` does not have the estimate-table shape.

    With ``graded=True`` every row must carry a flag from :data:`FLAGS`, and
    suppressed rows must carry no numbers.
    """
    prefix = f"{where}: " if where else ""
    for col in (*ESTIMATE_COLUMNS, *FLAG_COLUMNS):
        if col not in table.columns:
            raise ValueError(f"{prefix}estimate table lacks column {col!r}")
    for key in ("kind", "measure", "unit", "method", "confidence_level"):
        if key not in table.attrs:
            raise ValueError(f"{prefix}estimate table lacks attrs[{key!r}]")
    if graded:
        bad = ~table["flag"].isin(FLAGS)
        if bad.any():
            raise ValueError(f"{prefix}{int(bad.sum())} row(s) have no valid flag; run reliability.grade first")
        numeric = [c for c in table.columns if c in (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS)]
        supp = table["flag"] == "suppressed"
        leaking = [c for c in numeric if table.loc[supp, c].notna().any()]
        if leaking:
            raise ValueError(f"{prefix}suppressed rows still carry numbers in {leaking}")

