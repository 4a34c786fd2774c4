"""The estimate table: the one result shape of every analysis.

Every analysis function returns a tidy :class:`pandas.DataFrame` with

1. the grouping columns (for example ``year``, ``age_group``, ``district``);
2. the input counts: ``numerator`` and ``denominator`` for proportions, or
   ``count`` and ``exposure`` for counts and rates;
3. ``estimate``, ``ci_low``, ``ci_high``;
4. where they apply: ``se``, ``n_eff``, ``deff``, ``df``, ``p_value``, ``p_adjusted``;
5. ``flag`` (``ok`` | ``uncertain`` | ``suppressed``) and ``flag_reason``.

Its metadata (:class:`TableMeta`, kept under the one key ``attrs["meta"]`` and read
with :func:`meta_of`) say what was measured (``measure``), the ``unit``, the
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
``TableMeta.event_columns``. The grading reads the smallest of them (see
:mod:`salto_analysis.reliability`), so a ratio from few events is never shown as solid.

pandas keeps ``attrs`` through most operations (slicing, ``reset_index``, ``copy``) but
``concat`` and ``merge`` drop it (pandas marks ``attrs`` experimental): code that
builds a table with them calls :func:`estimate_table` or :func:`with_meta` on the result.
:class:`TableMeta` is frozen; :func:`with_meta` returns a copy of the table with changed
metadata, so a table is never changed behind the back of whoever holds it.

This module only builds and checks the shape; the numbers come from
:mod:`salto_analysis.stats`, :mod:`salto_analysis.survey` and the analysis modules,
and the flags from :mod:`salto_analysis.reliability`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "COUNT_COLUMNS",
    "ESTIMATE_COLUMNS",
    "EXTRA_COLUMNS",
    "FLAG_COLUMNS",
    "FLAGS",
    "KINDS",
    "TableMeta",
    "estimate_table",
    "meta_of",
    "has_meta",
    "with_meta",
    "with_facts",
    "group_columns",
    "column_values",
    "event_columns",
    "check_estimate_table",
]

COUNT_COLUMNS = ("numerator", "denominator", "count", "exposure")
ESTIMATE_COLUMNS = ("estimate", "ci_low", "ci_high")
EXTRA_COLUMNS = ("se", "n_eff", "deff", "df", "p_value", "p_adjusted")
FLAG_COLUMNS = ("flag", "flag_reason")
FLAGS = ("ok", "uncertain", "suppressed")
KINDS = ("proportion", "rate", "count", "ratio", "difference", "summary")
_KNOWN = (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS, *FLAG_COLUMNS)


def _names(value, field: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{field}={value!r} must be a list of column names")
    return tuple(value)


@dataclass(frozen=True)
class TableMeta:
    """What an estimate table holds: one frozen object under ``attrs["meta"]``.

    Attributes
    ----------
    kind, measure, unit, method, confidence_level
        The kind of statistic (one of :data:`KINDS`, which chooses the grading rules),
        what was measured and in which unit (English, for analysts; pages give tables a
        ``title`` in their language), the method of the interval, and its level.
    groups
        The grouping columns, in order.
    title
        The table's caption in the page's language (also its name in warnings).
    scale
        For rates: the rate is per ``scale`` units of exposure (1 000 residents).
    synthetic
        The table was computed from the synthetic sample data.
    design_based
        A survey table: ``se``, ``df`` and the effective sample size come from the
        design, and the proportion rules use Korn–Graubard limits.
    event_columns, disclosure_columns
        Counts under other names that a comparison is graded on, and the counts of
        persons that primary suppression checks, when they are not the standard
        columns (see :mod:`salto_analysis.reliability`).
    nonadditive
        Grouping columns whose values do not add up (different survey items), so
        secondary suppression treats each value as its own table.
    total_labels
        Values of a grouping column, beyond the policy's, that mark a total row.
    policy
        The :class:`salto_analysis.policy.Policy` the table was graded with; ``None``
        while it is ungraded.
    flag_codes
        The flag codes that occur in the graded table, in code order.
    secondary_unresolved
        Sensitive cells that no further suppression could protect (normally 0).
    has_raw
        The analyst asked for the withheld numbers in ``raw_*`` columns (never published).
    facts
        Other facts an analysis records about its table, by name (for example the
        bootstrap's ``n_boot`` and ``seed``, or the groups a change could not be computed
        for), read with :meth:`fact`. Kept as sorted pairs so the object stays hashable
        and copyable.
    """

    kind: str
    measure: str
    unit: str
    method: str
    confidence_level: float
    groups: tuple[str, ...] = ()
    title: str | None = None
    scale: float | None = None
    synthetic: bool = False
    design_based: bool = False
    event_columns: tuple[str, ...] | None = None
    disclosure_columns: tuple[str, ...] | None = None
    nonadditive: tuple[str, ...] = ()
    total_labels: tuple[str, ...] = ()
    policy: Any = None
    flag_codes: tuple[str, ...] = ()
    secondary_unresolved: int = 0
    has_raw: bool = False
    facts: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} must be one of {', '.join(KINDS)}")
        if not 0 < self.confidence_level < 1:
            raise ValueError(f"confidence_level={self.confidence_level!r} must be between 0 and 1")
        object.__setattr__(self, "groups", _names(self.groups, "groups") or ())
        object.__setattr__(self, "event_columns", _names(self.event_columns, "event_columns"))
        object.__setattr__(self, "disclosure_columns", _names(self.disclosure_columns, "disclosure_columns"))
        object.__setattr__(self, "nonadditive", _names(self.nonadditive, "nonadditive") or ())
        object.__setattr__(self, "total_labels", tuple(self.total_labels or ()))
        object.__setattr__(self, "flag_codes", tuple(self.flag_codes or ()))
        facts = dict(self.facts) if not isinstance(self.facts, Mapping) else self.facts
        object.__setattr__(self, "facts", tuple(sorted(facts.items())))

    @property
    def graded(self) -> bool:
        """True once :func:`salto_analysis.reliability.grade` has graded the table."""
        return self.policy is not None

    def fact(self, name: str, default=None):
        """The fact ``name`` (see ``facts``), or ``default``."""
        return dict(self.facts).get(name, default)


_FIELDS = {f.name for f in dataclasses.fields(TableMeta)}


def has_meta(table) -> bool:
    """True if ``table`` carries :class:`TableMeta` (an estimate table)."""
    return isinstance(getattr(table, "attrs", {}).get("meta"), TableMeta)


def meta_of(table: pd.DataFrame) -> TableMeta:
    """The :class:`TableMeta` of an estimate table; ``ValueError`` if it has none."""
    meta = table.attrs.get("meta") if isinstance(table, pd.DataFrame) else None
    if not isinstance(meta, TableMeta):
        raise ValueError("the table has no estimate-table metadata; build it with "
                         "salto_analysis.estimates.estimate_table (pandas concat and merge drop it)")
    return meta


def with_meta(table: pd.DataFrame, meta: TableMeta | None = None, /, **changes) -> pd.DataFrame:
    """A copy of ``table`` whose metadata is ``meta`` (default: its own) with ``changes``.

    >>> t = estimate_table(pd.DataFrame({"estimate": [1.0], "ci_low": [0.5], "ci_high": [2.0]}),
    ...     kind="ratio", measure="rate ratio", unit="ratio", method="exact", confidence_level=0.95)
    >>> meta_of(with_meta(t, title="Endring")).title, meta_of(t).title
    ('Endring', None)
    """
    base = meta if meta is not None else meta_of(table)
    unknown = set(changes) - _FIELDS
    if unknown:
        raise ValueError(f"TableMeta has no field(s) {sorted(unknown)}; other facts go to with_facts()")
    out = table.copy(deep=False)
    out.attrs = {"meta": dataclasses.replace(base, **changes)}
    return out


def with_facts(table: pd.DataFrame, **facts) -> pd.DataFrame:
    """A copy of ``table`` with ``facts`` added to (or replacing) its metadata's facts."""
    meta = meta_of(table)
    return with_meta(table, facts={**dict(meta.facts), **facts})


def estimate_table(
    data: pd.DataFrame,
    *,
    groups: Sequence[str] = (),
    kind: str,
    measure: str,
    unit: str,
    method: str,
    confidence_level: float,
    **metadata,
) -> pd.DataFrame:
    """Order the columns of ``data`` into the estimate-table shape and attach its :class:`TableMeta`.

    Grouping columns come first in the order given, then the known columns in
    the standard order; other columns (for example labels) follow before the
    flag columns. Missing ``flag``/``flag_reason`` columns are added as
    ungraded (``pd.NA``): only :func:`salto_analysis.reliability.grade` sets them.
    Keyword arguments that are fields of :class:`TableMeta` set them (``title``,
    ``scale``, ``synthetic``...); any other keyword is kept as a fact
    (:meth:`TableMeta.fact`). Metadata that ``data`` already carries is the base.

    Examples
    --------
    >>> t = estimate_table(pd.DataFrame({"year": [2025], "numerator": [3], "denominator": [10],
    ...     "estimate": [0.3], "ci_low": [0.1], "ci_high": [0.6]}), groups=["year"],
    ...     kind="proportion", measure="share", unit="proportion", method="wilson",
    ...     confidence_level=0.95)
    >>> list(t.columns)
    ['year', 'numerator', 'denominator', 'estimate', 'ci_low', 'ci_high', 'flag', 'flag_reason']
    >>> meta_of(t).kind, meta_of(t).groups
    ('proportion', ('year',))
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
    base = data.attrs.get("meta") if isinstance(data.attrs.get("meta"), TableMeta) else None
    fields = {k: v for k, v in metadata.items() if k in _FIELDS and k != "facts"}
    facts = {**(dict(base.facts) if base else {}), **dict(metadata.get("facts") or {}),
             **{k: v for k, v in metadata.items() if k not in _FIELDS}}
    core = dict(kind=kind, measure=measure, unit=unit, method=method, confidence_level=confidence_level,
                groups=tuple(groups))
    meta = (dataclasses.replace(base, **core, **fields, facts=facts) if base is not None
            else TableMeta(**core, **fields, facts=facts))
    out.attrs = {"meta": meta}
    return out


def column_values(table: pd.DataFrame, name: str):
    """Column ``name`` as a float array (missing values NaN), or ``None`` if the table has no such column."""
    if name not in table.columns:
        return None
    return pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float, na_value=float("nan"))


def event_columns(table: pd.DataFrame) -> list[str] | None:
    """``TableMeta.event_columns`` checked against the table's columns, or ``None`` if not set."""
    names = meta_of(table).event_columns
    if names is None:
        return None
    if not names:
        raise ValueError("TableMeta.event_columns must name at least one column")
    missing = [c for c in names if c not in table.columns]
    if missing:
        raise ValueError(f"TableMeta.event_columns names column(s) {missing} not in the table")
    return list(names)


def group_columns(table: pd.DataFrame) -> list[str]:
    """The grouping columns of an estimate table (from its metadata, else inferred)."""
    if has_meta(table):
        return list(meta_of(table).groups)
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
    if not has_meta(table):
        raise ValueError(f"{prefix}estimate table lacks its metadata (attrs['meta']); build it with "
                         "salto_analysis.estimates.estimate_table")
    if graded:
        bad = ~table["flag"].isin(FLAGS)
        if bad.any():
            raise ValueError(f"{prefix}{int(bad.sum())} row(s) have no valid flag; run reliability.grade first")
        numeric = [c for c in table.columns if c in (*COUNT_COLUMNS, *ESTIMATE_COLUMNS, *EXTRA_COLUMNS)]
        supp = table["flag"] == "suppressed"
        leaking = [c for c in numeric if table.loc[supp, c].notna().any()]
        if leaking:
            raise ValueError(f"{prefix}suppressed rows still carry numbers in {leaking}")
