"""How a notebook hands a graded estimate table to the briefing runner.

A notebook calls :func:`record` for every graded table it shows. During a
briefing run (the runner starts each kernel with the environment variable
:data:`ENV_FLAG` set) the call emits one display output with the custom
mimetype :data:`MIMETYPE`. The output travels inside the executed notebook, so
the runner collects the tables from the notebook itself, never by parsing HTML
(issue 7, item 5). No front end renders that mimetype, and the HTML export
strips it explicitly (:mod:`salto_analysis.briefing.html`).

Outside a briefing run (an analyst in JupyterLab) :func:`record` only checks
the table and returns it: it shows nothing and writes nothing.

This module is imported by every notebook, so it imports neither papermill nor
nbconvert; IPython is imported only when a payload is actually emitted.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re

import numpy as np
import pandas as pd

from salto_analysis.estimates import COUNT_COLUMNS, check_estimate_table, meta_of

__all__ = [
    "ENV_FLAG",
    "MIMETYPE",
    "PAYLOAD_VERSION",
    "identifier_columns",
    "record",
    "to_payload",
    "from_payload",
    "small_count_cells",
]

#: Environment variable set (to ``"1"``) in every kernel the briefing runner starts.
ENV_FLAG = "SALTO_BRIEFING"
#: Mimetype of the display output that carries one recorded table.
MIMETYPE = "application/vnd.salto.record+json"
#: Version of the payload layout, bumped when :func:`to_payload` changes shape.
PAYLOAD_VERSION = 1

_NAME = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")
_ATTR_KEYS = ("kind", "measure", "unit", "method", "confidence_level", "groups", "scale", "synthetic")


def identifier_columns(columns) -> list[str]:
    """The person or unit identifier columns among ``columns``.

    These are the ``id`` columns of the input schemas (``case_id``,
    ``person_id``, ``pupil_id``, ``school_id``) and, to be safe, any other
    column whose name ends in ``_id``.
    """
    from salto_analysis.schemas import SCHEMAS

    known = {c.name for s in SCHEMAS.values() for c in s.columns if c.kind == "id"}
    return [str(c) for c in columns if str(c) in known or str(c).lower().endswith("_id")]


def _min_count(table: pd.DataFrame) -> int:
    """The disclosure threshold of the policy that graded ``table``."""
    from salto_analysis.policy import policy_of

    return int(policy_of(table).min_count)


def small_count_cells(table: pd.DataFrame, min_count: int) -> list[str]:
    """Descriptions of published cells holding a count in ``1..min_count-1``.

    Checks ``numerator``, ``denominator``, ``count`` and the complement
    ``denominator - numerator`` of every row that is not suppressed
    (``docs/small-numbers.md#primary-suppression``). An empty list means the table is safe
    to publish.
    """
    shown = table if "flag" not in table.columns else table[table["flag"] != "suppressed"]
    found: list[str] = []
    cols = [c for c in ("numerator", "denominator", "count") if c in shown.columns]
    series = {c: pd.to_numeric(shown[c], errors="coerce") for c in cols}
    if "numerator" in series and "denominator" in series:
        series["denominator - numerator"] = series["denominator"] - series["numerator"]
    for col, values in series.items():
        small = (values >= 1) & (values < min_count)
        if small.any():
            found.append(f"{col} in {int(small.sum())} row(s)")
    return found


def _check(name: str, table: pd.DataFrame, title: str | None) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"record name {name!r} must be 1-60 lower-case letters, digits or '_' "
            "(it becomes part of the published file name)"
        )
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"record({name!r}): expected an estimate table (DataFrame), got {type(table).__name__}")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"record({name!r}): title={title!r} must be a string or None")
    ids = identifier_columns(table.columns)
    if ids:
        raise ValueError(
            f"record({name!r}): the table has person or unit identifier column(s) {ids}; "
            "only aggregated tables may be published"
        )
    check_estimate_table(table, graded=True, where=f"record({name!r})")
    min_count = _min_count(table)
    small = small_count_cells(table, min_count)
    if small:
        raise ValueError(
            f"record({name!r}): counts below min_count={min_count} are not suppressed ({'; '.join(small)}); "
            "grade the table with salto_analysis.reliability.grade before recording it"
        )


def _json_value(value):
    """One cell as a JSON value: None for missing, plain int/float/bool/str otherwise."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return value.isoformat()
    if isinstance(value, pd.Interval):
        return str(value)
    return str(value)


def to_payload(name: str, table: pd.DataFrame, *, title: str | None = None, headline: bool = False) -> dict:
    """The JSON-ready payload for one recorded table (columns, rows and the main fields of its
    :class:`~salto_analysis.estimates.TableMeta`).

    ``rows`` is what may be published: a withheld row's ``flag_reason`` is empty, because a
    withheld number has one public reason, the ``:`` (:func:`salto_analysis.policy.public_codes`).
    The full codes travel apart, under ``internal`` (``flag_reason`` per row), for the
    briefing's internal audit file; they are never written into a published table.
    """
    from salto_analysis.policy import public_codes

    meta = meta_of(table)
    internal = [None if pd.isna(r) else str(r) for r in table["flag_reason"]] if "flag_reason" in table else None
    if internal is not None:
        table = table.assign(flag_reason=[public_codes(f, r) for f, r in zip(table["flag"], table["flag_reason"])])
    attrs = {k: _json_value(getattr(meta, k)) if k != "groups" else [str(g) for g in meta.groups]
             for k in _ATTR_KEYS}
    attrs["min_count"] = _min_count(table)
    columns = [str(c) for c in table.columns]
    kinds = {}
    for col in table.columns:
        dtype = table[col].dtype
        if pd.api.types.is_bool_dtype(dtype):
            kinds[str(col)] = "bool"
        elif pd.api.types.is_integer_dtype(dtype):
            kinds[str(col)] = "int"
        elif pd.api.types.is_float_dtype(dtype):
            kinds[str(col)] = "float"
        else:
            kinds[str(col)] = "str"
    rows = [[_json_value(v) for v in row] for row in table.itertuples(index=False, name=None)]
    for col, kind in kinds.items():
        if kind == "float" and col in COUNT_COLUMNS:
            # counts stored as float because of missing (suppressed) cells are still whole numbers
            i = columns.index(col)
            if all(r[i] is None or float(r[i]).is_integer() for r in rows):
                kinds[col] = "int"
                for r in rows:
                    r[i] = None if r[i] is None else int(r[i])
    return {
        "version": PAYLOAD_VERSION,
        "name": name,
        "title": title,
        "headline": bool(headline),
        "attrs": attrs,
        "columns": columns,
        "dtypes": [kinds[c] for c in columns],
        "rows": rows,
        "internal": {"flag_reason": internal},
    }


def from_payload(payload: dict) -> pd.DataFrame:
    """Rebuild the published table of a payload.

    Its plain ``attrs`` hold the payload's copy of the table's metadata (``kind``, ``measure``,
    ``unit``, ``method``, ``confidence_level``, ``groups``, ``scale``, ``synthetic``,
    ``min_count``) plus ``record_name``, ``title`` and ``headline``.
    """
    if payload.get("version") != PAYLOAD_VERSION:
        raise ValueError(f"recorded table {payload.get('name')!r} has payload version "
                         f"{payload.get('version')!r}; this runner reads version {PAYLOAD_VERSION}")
    frame = pd.DataFrame(payload["rows"], columns=payload["columns"], dtype=object)
    for col, kind in zip(payload["columns"], payload["dtypes"]):
        if kind == "int":
            frame[col] = frame[col].astype("Int64")
        elif kind == "float":
            frame[col] = pd.to_numeric(frame[col]).astype("Float64")
        elif kind == "bool":
            frame[col] = frame[col].astype("boolean")
    frame.attrs = {**payload["attrs"], "record_name": payload["name"], "title": payload["title"],
                   "internal_flag_reason": (payload.get("internal") or {}).get("flag_reason"),
                   "headline": bool(payload["headline"])}
    return frame


def _published(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without the analyst-only ``raw_*`` columns that ``reliability.grade(keep_raw=True)`` adds."""
    if meta_of(table).has_raw or any(str(c).startswith("raw_") for c in table.columns):
        from salto_analysis.reliability import published

        return published(table)
    return table


def record(name: str, table: pd.DataFrame, *, title: str | None = None, headline: bool = False) -> pd.DataFrame:
    """Hand a graded estimate table to the yearly briefing, and return it unchanged.

    Parameters
    ----------
    name
        Short name of the table, unique within the notebook (``[a-z0-9_]``); the
        published file is ``tables/<notebook>__<name>.csv``.
    table
        An estimate table graded by :func:`salto_analysis.reliability.grade`.
        Refused (``ValueError``) if it is ungraded, has a person or unit
        identifier column, or shows a count in ``1..min_count-1``.
    title
        Caption for the index page and the workbook (in the notebook's language).
    headline
        Show the table's numbers on the briefing's index page.

    What is stored is the published table: ``raw_*`` columns kept for the
    analyst by ``reliability.grade(..., keep_raw=True)`` are dropped with
    :func:`salto_analysis.reliability.published` and never leave the kernel.

    Inside a briefing run the table is emitted as a display output of type
    :data:`MIMETYPE`; elsewhere nothing is shown.

    Examples
    --------
    >>> import pandas as pd
    >>> from salto_analysis.estimates import estimate_table
    >>> t = estimate_table(pd.DataFrame({"year": [2025], "count": [40], "estimate": [40.0],
    ...     "ci_low": [28.6], "ci_high": [54.5], "flag": ["ok"], "flag_reason": [""]}),
    ...     groups=["year"], kind="count", measure="cases", unit="cases", method="garwood",
    ...     confidence_level=0.95)
    >>> record("cases", t) is t
    True
    """
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"record({name!r}): expected an estimate table (DataFrame), got {type(table).__name__}")
    public = _published(table)
    _check(name, public, title)
    if os.environ.get(ENV_FLAG) == "1":
        from IPython.display import display

        display({MIMETYPE: to_payload(name, public, title=title, headline=headline)}, raw=True)
    return table
