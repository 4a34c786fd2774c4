"""Display of graded estimate tables for notebooks and the reviewer HTML.

:func:`display` turns a graded estimate table (see :mod:`salto_analysis.estimates`)
into a :class:`TableView`: an object that renders as a small self-contained HTML
table in JupyterLab and in nbconvert HTML (inline styles only, no scripts, no
external resources) and as aligned plain text everywhere else.

Conventions, so that every notebook reads the same way:

* **Symbols** follow Statistics Norway's standard table symbols ("Standardtegn i
  tabeller", ssb.no): ``:`` for a figure that may not be published (suppressed
  for privacy or because it is too uncertain) and ``..`` for a figure that is
  missing or cannot be computed. Every symbol used gets a footnote.
* **Uncertain figures** (``flag == "uncertain"``, and any shown row whose
  ``flag_reason`` holds a code) get a superscript mark (¹, ², ...) after
  the estimate, one mark per distinct reason, and a footnote with the reason
  from :func:`salto_analysis.reliability.grade` (its codes written out in the page's
  language, :func:`salto_analysis.policy.code_text`). Uncertain rows are faded: text colour ``#666666``, which keeps
  the WCAG 2.1 AA contrast ratio of 4.5:1 on white (5.7:1) and on JupyterLab's striped
  rows ``#f5f5f5`` (5.3:1).
* **Numbers, intervals and symbols** are written as :mod:`salto_analysis.formatting`
  says (decimal comma and no-break space in Norwegian, the minus sign, ``:`` and ``..``).
* **Every shown estimate carries its interval**, in pivoted (wide) views too:
  each cell reads ``12,3 (10,1–14,8)`` and a footnote names what the cells hold.
  In HTML a wide table may break a cell between the estimate and its interval
  (never inside either), so it stays within the page.
* **Identifiers are never shown.** A table with a person, case, pupil or school
  identifier column (a schema ``id`` column or any name ending in ``_id``) is
  refused with ``ValueError``: such a table holds person- or unit-level rows, and
  dropping the column would still show them.

Column headers and category values come from :mod:`salto_analysis.labels` and
:mod:`salto_analysis.schemas` (Norwegian by default, English with ``lang="en"``).
Headers are unique: when several columns of one view would get the same header (in
Norwegian ``numerator`` and ``count`` are both «Antall»), each of them is followed by
its column name in the published table, ``Antall (numerator)`` and ``Antall (count)``,
so a reader can match the column with the published CSV/XLSX.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas
from salto_analysis.estimates import (
    COUNT_COLUMNS,
    ESTIMATE_COLUMNS,
    EXTRA_COLUMNS,
    FLAG_COLUMNS,
    check_estimate_table,
    group_columns,
    has_meta,
    meta_of,
)
from salto_analysis import formatting
from salto_analysis.formatting import MISSING, NBSP, SUPPRESSED, isna, number, p_value
from salto_analysis.policy import Policy, code_text, policy_of, split_codes

__all__ = [
    "FADED_COLOUR",
    "MAX_WIDE_COLUMNS",
    "IDENTIFIER_COLUMNS",
    "TableView",
    "display",
    "plain",
    "column_label",
    "count_label",
    "value_label",
    "GENERIC_CODES",
    "superscript",
    "reason_text",
    "check_no_identifiers",
    "min_count_of",
]

#: Text colour of uncertain figures (WCAG AA 4.5:1 on white and on the striped rows #f5f5f5).
FADED_COLOUR = "#666666"
#: Most value columns of one HTML table in a pivoted view: a cell ``1 047 (985–1 112)`` is
#: about 9 em wide, so six of them and the label columns fit a page of about 70 em.
MAX_WIDE_COLUMNS = 6

#: Columns that identify a person, case, pupil or school (schema kind ``id``).
IDENTIFIER_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(c.name for s in schemas.SCHEMAS.values() for c in s.columns if c.kind == "id")
)

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Extra columns shown by default (se and df are kept for the published tables only).
_DEFAULT_EXTRAS = ("n_eff", "deff", "p_value", "p_adjusted")
_INTEGER_COLUMNS = ("numerator", "denominator", "count", "exposure", "n_eff", "df")
#: The same counts of the reference (earlier year, other group) in ratio and difference tables.
_REF_COUNT_COLUMNS = tuple(f"{c}_ref" for c in COUNT_COLUMNS)


# --------------------------------------------------------------------------- marks


def superscript(n: int) -> str:
    """The footnote mark for the ``n``-th reason: ``superscript(12) == '¹²'``."""
    return str(int(n)).translate(_SUPERSCRIPT)




def _unique_headers(headers: Sequence[str], sources: Sequence[str]) -> list[str]:
    """Headers made unique: a header shared by several columns gets ``" (<source>)"``.

    ``sources`` are the column names in the published table (for a pivoted view, the
    pivoted column). Should that still leave two equal headers, later ones are numbered.

    >>> _unique_headers(["Antall", "Av totalt", "Antall"], ["numerator", "denominator", "count"])
    ['Antall (numerator)', 'Av totalt', 'Antall (count)']
    """
    seen = pd.Series(list(headers), dtype="object")
    shared = seen.duplicated(keep=False).to_numpy()
    out = [f"{h} ({src})" if dup else h for h, src, dup in zip(headers, sources, shared)]
    counts: dict[str, int] = {}
    for i, h in enumerate(out):
        counts[h] = counts.get(h, 0) + 1
        if counts[h] > 1:
            out[i] = f"{h} ({counts[h]})"
    return out


def _frame(columns: Sequence[tuple[str, str, list[str]]]) -> pd.DataFrame:
    """A text frame from ``(header, source column, cells)`` triples, headers made unique."""
    headers = _unique_headers([c[0] for c in columns], [c[1] for c in columns])
    return pd.DataFrame({h: c[2] for h, c in zip(headers, columns)}, dtype="object")


# --------------------------------------------------------------------------- labels


@cache
def _schema_columns() -> dict[str, schemas.Column]:
    out: dict[str, schemas.Column] = {}
    for schema in schemas.SCHEMAS.values():
        for col in schema.columns:
            out.setdefault(col.name, col)
    return out


def column_label(name: str, lang: str = "nb") -> str:
    """Header for column ``name``: the labels key ``tables.col.<name>``, else the
    schema's nb/en name (capitalised), else the name itself."""
    key = f"tables.col.{name}"
    if key in labels.TEXT:
        return labels.t(key, lang)
    col = _schema_columns().get(name)
    if col is not None:
        text = col.nb if lang == "nb" else col.en
        return text[:1].upper() + text[1:]
    return str(name)


def count_label(table: pd.DataFrame, name: str, lang: str = "nb") -> str:
    """Header of count column ``name`` of ``table``: the labels key ``<measure>.col.<name>`` when the
    table's measure has one (a share of offences whose numerator and denominator count persons
    says so: "Personer i gruppen", "Mistenkte i alt"), else :func:`column_label`."""
    measure = meta_of(table).measure if has_meta(table) else None
    key = f"{measure}.col.{name}"
    if isinstance(measure, str) and key in labels.TEXT:
        return labels.t(key, lang)
    return column_label(name, lang)


#: Codes that mean the same in every grouping column (``value.<code>`` in :mod:`salto_analysis.labels`).
GENERIC_CODES = ("total", "city", "unknown")


def value_label(column: str, value, lang: str = "nb") -> str:
    """Display text of one category value (district, age group, sex, offence type, a page's codes...).

    Tables hold codes in their grouping columns; the words come, in order, from the
    labels key ``value.<column>.<code>`` (codes of the analyses, such as ``counted`` =
    ``suspects`` or ``indicator`` = ``cannabis``), the schema's value labels (sex,
    offence type, grade...), and ``value.<code>`` for the codes of :data:`GENERIC_CODES`
    (``total``, ``city``, ``unknown``) in any column. Other values are shown as they are.

    >>> value_label("counted", "suspects", "en"), value_label("age_group", "total", "nb")
    ('Unique suspects', 'I alt')
    """
    if isna(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return labels.t("tables.yes" if value else "tables.no", lang)
    if column == "input" and str(value) in schemas.SCHEMAS:
        schema = schemas.SCHEMAS[str(value)]
        return schema.nb if lang == "nb" else schema.en
    if column == "column":
        return column_label(str(value), lang)
    key = f"value.{column}.{value}"
    if key in labels.TEXT:
        return labels.t(key, lang)
    col = _schema_columns().get(column)
    if col is not None and col.value_labels is not None:
        pair = col.value_labels.get(str(value))
        if pair is not None:
            return pair[0] if lang == "nb" else pair[1]
    if str(value) in GENERIC_CODES:
        return labels.t(f"value.{value}", lang)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def check_no_identifiers(frame: pd.DataFrame, where: str = "table") -> None:
    """Raise ``ValueError`` if ``frame`` has an identifier column.

    Identifier columns are the ``id`` columns of the input schemas (``case_id``,
    ``person_id``, ``pupil_id``, ``school_id``) and, to be safe, any column whose
    name ends in ``_id`` (the rule :func:`salto_analysis.briefing.record` applies too).
    """
    ids = [c for c in frame.columns if str(c) in IDENTIFIER_COLUMNS or str(c).lower().endswith("_id")]
    if ids:
        raise ValueError(
            f"{where} has identifier column(s) {ids}: person- or unit-level rows are never shown; "
            "aggregate first (for example with salto_analysis.stats)"
        )


def min_count_of(table: pd.DataFrame, min_count: int | None = None) -> int:
    """The ``min_count`` of the policy a table was graded with.

    Taken from ``min_count`` if given, else from the policy the table was graded with
    (:func:`salto_analysis.policy.policy_of`, which gives the default policy otherwise).
    """
    if min_count is not None:
        if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
            raise ValueError(f"min_count={min_count!r} must be a whole number >= 1")
        return int(min_count)
    return int(policy_of(table).min_count)


# --------------------------------------------------------------------------- the view


@dataclass
class TableView:
    """A formatted table: cells as text, which cells are faded, and footnotes.

    ``frame`` holds the display text (headers translated); ``faded`` is a boolean
    frame of the same shape; ``align`` says ``"left"`` or ``"right"`` per column.
    Renders as HTML (``_repr_html_``) in JupyterLab and nbconvert, as text in
    ``repr``.
    """

    frame: pd.DataFrame
    faded: pd.DataFrame
    align: list[str]
    footnotes: list[str] = field(default_factory=list)
    title: str | None = None
    #: A pivoted view: in HTML its cells ``estimate (low–high)`` and its headers may wrap
    #: (between the estimate and the interval), and its value columns are split over
    #: several tables when there are more than :data:`MAX_WIDE_COLUMNS`.
    wide: bool = False

    def to_html(self) -> str:
        """Self-contained HTML (inline styles only).

        A pivoted view (``wide``) with more than :data:`MAX_WIDE_COLUMNS` value
        columns is shown as several tables one below the other, each with the
        label columns and an even share of the value columns, so that cells with
        intervals fit the page; the caption heads the first, the footnotes follow
        the last.
        """
        esc = html.escape
        # numbers never wrap; text columns may (long check details), within a readable width
        cell = "padding:2px 10px;border:none;vertical-align:top"
        wrap = {"left": ";white-space:normal;max-width:40em", "right": ";white-space:nowrap"}
        head_wrap = dict(wrap, right=";white-space:normal") if self.wide else wrap
        values = self.frame.to_numpy()
        faded = self.faded.to_numpy()
        n_cols = len(self.align)
        lead = next((j for j, al in enumerate(self.align) if al != "left"), n_cols) if self.wide else n_cols
        rest = list(range(lead, n_cols))
        n_parts = max(1, math.ceil(len(rest) / MAX_WIDE_COLUMNS)) if self.wide else 1
        size = math.ceil(len(rest) / n_parts) if rest else 0
        chunks = [list(range(lead)) + rest[k * size:(k + 1) * size] for k in range(n_parts)] if rest else [
            list(range(n_cols))]
        parts = ['<div class="salto-table" style="margin:0.4em 0 1.2em 0">']
        for k, cols in enumerate(chunks):
            margin = "0" if k == 0 else "0.8em 0 0 0"
            parts.append(f'<table style="border-collapse:collapse;font-variant-numeric:tabular-nums;margin:{margin}">')
            if self.title and k == 0:
                parts.append('<caption style="caption-side:top;text-align:left;font-weight:bold;'
                             f'padding:0 0 0.4em 0">{esc(self.title)}</caption>')
            parts.append("<thead><tr>")
            for j in cols:
                al = self.align[j]
                parts.append(f'<th style="{cell}{head_wrap[al]};text-align:{al};border-bottom:1px solid #444">'
                             f"{esc(str(self.frame.columns[j]))}</th>")
            parts.append("</tr></thead><tbody>")
            for i in range(values.shape[0]):
                parts.append("<tr>")
                for j in cols:
                    al = self.align[j]
                    text = str(values[i, j])
                    est, sep, interval = text.partition(" (")
                    if self.wide and al == "right" and sep:
                        # the estimate and its interval each stay whole; the cell may wrap between them
                        style = f"{cell};white-space:normal;text-align:{al}"
                        content = (f'<span style="white-space:nowrap">{esc(est)}</span> '
                                   f'<span style="white-space:nowrap">({esc(interval)}</span>')
                    else:
                        style = f"{cell}{wrap[al]};text-align:{al}"
                        content = esc(text)
                    if faded[i, j]:
                        style += f";color:{FADED_COLOUR}"
                    parts.append(f'<td style="{style}">{content}</td>')
                parts.append("</tr>")
            parts.append("</tbody></table>")
        if self.footnotes:
            parts.append('<div style="font-size:0.85em;margin-top:0.4em;border-top:1px solid #444;'
                         'padding-top:0.2em;display:inline-block">')
            parts.extend(f'<p style="margin:0.1em 0">{esc(n)}</p>' for n in self.footnotes)
            parts.append("</div>")
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_text(self) -> str:
        """Plain text: title, aligned columns, footnotes."""
        lines = [self.title] if self.title else []
        if len(self.frame.columns):
            cols = [[str(h)] + [str(v) for v in self.frame[h]] for h in self.frame.columns]
            widths = [max(len(v) for v in col) for col in cols]
            for i in range(len(cols[0])):
                cells = [col[i].ljust(w) if al == "left" else col[i].rjust(w)
                         for col, w, al in zip(cols, widths, self.align)]
                lines.append("  ".join(cells).rstrip().replace(NBSP, " "))
        lines.extend(self.footnotes)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    __str__ = __repr__


# --------------------------------------------------------------------------- display


def _percent_default(table: pd.DataFrame) -> bool:
    """Shares are shown in percent: proportions, differences of proportions, and
    summaries measured as a proportion (for example Kaplan–Meier curves)."""
    meta = meta_of(table)
    kind, unit = meta.kind, str(meta.unit)
    return kind == "proportion" or (kind in ("difference", "summary") and "proportion" in unit)


def _default_digits(kind: str, percent: bool) -> int:
    if percent:
        return 1
    return {"proportion": 3, "rate": 1, "count": 0, "ratio": 2, "difference": 2}.get(kind, 2)


def _estimate_header(table: pd.DataFrame, lang: str, percent: bool) -> str:
    meta = meta_of(table)
    kind, measure = meta.kind, meta.measure
    if isinstance(measure, str) and measure in labels.TEXT:
        base = labels.t(measure, lang)
    elif kind == "rate" and meta.scale:
        per = meta.scale
        base = labels.t("tables.estimate.rate_per", lang, per=number(per, 0, lang))
    else:
        base = labels.t(f"tables.estimate.{kind if kind in _KINDS_WITH_LABEL else 'summary'}", lang)
    if percent:
        unit = labels.t("tables.unit.points" if kind == "difference" else "tables.unit.percent", lang)
        base = f"{base} ({unit})" if kind == "difference" else f"{base}, {unit}"
    return base


_KINDS_WITH_LABEL = ("proportion", "rate", "count", "ratio", "difference", "summary")


def _level_text(table: pd.DataFrame, lang: str) -> str:
    return formatting.percent_level(meta_of(table).confidence_level, lang)


def _reason_marks(table: pd.DataFrame) -> tuple[pd.Series, dict[str, str]]:
    """Mark per row ('' for none) and the ordered map reason → mark."""
    flag = table["flag"].astype("object")
    reason = table["flag_reason"].astype("object")
    shown = flag.ne("suppressed")
    has_reason = reason.notna() & reason.astype(str).str.strip().ne("") & shown
    needs = (flag.eq("uncertain") | has_reason) & shown
    order: dict[str, str] = {}
    marks = []
    for needs_mark, r, f in zip(needs, reason, flag):
        if not needs_mark:
            marks.append("")
            continue
        key = str(r).strip() if not isna(r) and str(r).strip() else f"{f}"
        if key not in order:
            order[key] = superscript(len(order) + 1)
        marks.append(order[key])
    return pd.Series(marks, index=table.index, dtype="object"), order


def display(
    table: pd.DataFrame,
    lang: str = "nb",
    *,
    digits: int | None = None,
    percent: bool | None = None,
    title: str | None = None,
    interval: str = "joined",
    pivot: str | None = None,
    hide: Sequence[str] = (),
    min_count: int | None = None,
) -> TableView:
    """Format a graded estimate table for reading.

    Parameters
    ----------
    table
        An estimate table graded by :func:`salto_analysis.reliability.grade`
        (every row has ``flag`` ok/uncertain/suppressed).
    lang
        ``"nb"`` (default) or ``"en"``.
    digits
        Decimals of the estimate and its limits; default 1 for percentages and
        rates, 0 for counts, 2 for ratios.
    percent
        Show shares as percentages (default for ``kind="proportion"`` and for
        differences of proportions, then in percentage points).
    title
        Caption above the table.
    interval
        ``"joined"``: one column ``12,3 (10,1–14,8)``; ``"separate"``: estimate,
        lower and upper limit in three columns (not with ``pivot``).
    pivot
        A grouping column whose values become columns (for example ``"year"``);
        each cell then shows the estimate with its mark and its interval,
        ``12,3¹ (10,1–14,8)``, or ``:`` or ``..``; a footnote names what the cells
        hold (for example "Andel, % (95 % KI)").
    hide
        Columns not to show (for example ``["denominator"]``).
    min_count
        For the footnote on ``:``; default from the policy the table was graded with.

    Examples
    --------
    >>> from salto_analysis.estimates import estimate_table
    >>> t = estimate_table(pd.DataFrame({"district": ["Sagene", "Alna"], "count": [None, 120],
    ...     "estimate": [None, 120.0], "ci_low": [None, 99.5], "ci_high": [None, 143.5],
    ...     "flag": ["suppressed", "ok"], "flag_reason": ["D1", None]}),
    ...     groups=["district"], kind="count", measure="persons", unit="persons",
    ...     method="exact Poisson", confidence_level=0.95)
    >>> print(display(t, "en", min_count=5))
    Home district  Count (95% CI)
    Sagene                      :
    Alna            120 (100–144)
    “:” means the figure is withheld to protect privacy (fewer than 5) or because it is too uncertain to show.
    """
    lang = labels.check_lang(lang)
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"display() needs an estimate table (DataFrame), got {type(table).__name__}")
    check_no_identifiers(table)
    check_estimate_table(table, graded=True, where="display()")
    if interval not in ("joined", "separate"):
        raise ValueError(f"interval={interval!r} must be 'joined' or 'separate'")
    hide = [hide] if isinstance(hide, str) else list(hide)
    unknown = [h for h in hide if h not in table.columns]
    if unknown:
        raise ValueError(f"hide={unknown} names no column of the table (columns: {list(table.columns)})")
    kind = meta_of(table).kind
    if percent is None:
        percent = _percent_default(table)
    if digits is None:
        digits = _default_digits(kind, bool(percent))
    scale = 100.0 if percent else 1.0
    groups = [g for g in group_columns(table) if g in table.columns]
    if pivot is not None and pivot not in groups:
        raise ValueError(f"pivot={pivot!r} must be one of the grouping columns {groups}")
    if pivot is not None and interval != "joined":
        raise ValueError(f"interval={interval!r} cannot be used with pivot={pivot!r}: a pivoted cell shows "
                         "the estimate and its interval together ('joined')")

    flag = table["flag"].astype("object")
    suppressed = flag.eq("suppressed").to_numpy()
    uncertain = flag.eq("uncertain").to_numpy()
    marks, reasons = _reason_marks(table)
    level = _level_text(table, lang)
    est_header = _estimate_header(table, lang, bool(percent))

    def est_text(i: int, row) -> str:
        if suppressed[i]:
            return SUPPRESSED
        e = row["estimate"]
        e = e * scale if not isna(e) else e
        if interval == "joined":
            lo, hi = row["ci_low"], row["ci_high"]
            return formatting.interval(e, lo * scale if not isna(lo) else lo,
                                   hi * scale if not isna(hi) else hi, digits, lang, marks.iat[i])
        text = number(e, digits, lang)
        return text + marks.iat[i] if text != MISSING else text

    rows = list(table.itertuples(index=False, name=None))
    colpos = {c: k for k, c in enumerate(table.columns)}

    def get(row, col):
        return row[colpos[col]]

    used_symbols: set[str] = set()

    if pivot is not None:
        frame, faded, align = _pivot_view(table, groups, pivot, lang, rows, colpos, est_text,
                                          suppressed, uncertain, hide)
        used_symbols.update(v for v in np.unique(frame.to_numpy().astype(str)) if v in (SUPPRESSED, MISSING))
    else:
        # (header, column in the published table, cells); headers are made unique at the end
        out: list[tuple[str, str, list[str]]] = []
        align: list[str] = []
        for g in groups:
            if g in hide:
                continue
            out.append((column_label(g, lang), g, [value_label(g, get(r, g), lang) for r in rows]))
            align.append("left")
        for c in (*COUNT_COLUMNS, *_REF_COUNT_COLUMNS):
            # in a count table the estimate column already is the count
            if c in table.columns and c not in hide and not (kind == "count" and c == "count"):
                out.append((count_label(table, c, lang), c, [
                    SUPPRESSED if suppressed[i] else number(get(r, c), 0, lang) for i, r in enumerate(rows)
                ]))
                align.append("right")
        ci = labels.t("tables.ci", lang, level=level)
        # a table without any interval (a complete count of a file) does not announce one
        with_ci = (~suppressed & table["ci_low"].notna().to_numpy() & table["ci_high"].notna().to_numpy()).any()
        if interval == "joined":
            out.append((f"{est_header} ({ci})" if with_ci else est_header, "estimate",
                        [est_text(i, dict(zip(table.columns, r))) for i, r in enumerate(rows)]))
            align.append("right")
        else:
            out.append((est_header, "estimate", [est_text(i, dict(zip(table.columns, r))) for i, r in enumerate(rows)]))
            for c, key in (("ci_low", "tables.ci_low"), ("ci_high", "tables.ci_high")):
                out.append((labels.t(key, lang, level=level), c, [
                    SUPPRESSED if suppressed[i] else number(
                        get(r, c) * scale if not isna(get(r, c)) else get(r, c), digits, lang)
                    for i, r in enumerate(rows)
                ]))
            align += ["right"] * 3
        for c in _DEFAULT_EXTRAS:
            if c in table.columns and c not in hide:
                if c in ("p_value", "p_adjusted"):
                    vals = [SUPPRESSED if suppressed[i] else p_value(get(r, c), lang) for i, r in enumerate(rows)]
                else:
                    d = 0 if c in _INTEGER_COLUMNS else 2
                    vals = [SUPPRESSED if suppressed[i] else number(get(r, c), d, lang)
                            for i, r in enumerate(rows)]
                out.append((column_label(c, lang), c, vals))
                align.append("right")
        known = (set(groups) | set(COUNT_COLUMNS) | set(_REF_COUNT_COLUMNS) | set(ESTIMATE_COLUMNS)
                 | set(EXTRA_COLUMNS) | set(FLAG_COLUMNS))
        for c in table.columns:
            if c in known or c in hide:
                continue
            dtype = table[c].dtype
            if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                # other counts (for example the number at risk): numbers like the counts, ':' when withheld
                out.append((column_label(c, lang), str(c), [
                    SUPPRESSED if suppressed[i] else number(get(r, c), 0, lang) for i, r in enumerate(rows)
                ]))
                align.append("right")
                continue
            out.append((column_label(c, lang), str(c), [value_label(c, get(r, c), lang) for r in rows]))
            align.append("left")
        frame = _frame(out)
        # every cell of an uncertain row is faded
        faded = pd.DataFrame(np.repeat(uncertain[:, None], len(out), axis=1), columns=frame.columns)
        for col in frame.columns:
            vals = frame[col].astype(str)
            if vals.eq(SUPPRESSED).any():
                used_symbols.add(SUPPRESSED)
            if vals.eq(MISSING).any() or vals.str.startswith(MISSING).any():
                used_symbols.add(MISSING)

    notes: list[str] = []
    if SUPPRESSED in used_symbols or suppressed.any():
        notes.append(labels.t("common.suppressed_symbol_note", lang, min_count=min_count_of(table, min_count)))
    for reason, mark in reasons.items():
        notes.append(f"{mark} " + labels.t("tables.note.uncertain", lang, reason=reason_text(reason, lang, table)))
    if MISSING in used_symbols:
        notes.append(labels.t("tables.note.missing", lang))
    if pivot is not None:
        if (frame == "").to_numpy().any():
            notes.append(labels.t("tables.note.empty", lang))
        shown = ~suppressed & table["ci_low"].notna().to_numpy() & table["ci_high"].notna().to_numpy()
        cells = f"{est_header} ({labels.t('tables.ci', lang, level=level)})" if shown.any() else est_header
        notes.insert(0, labels.t("tables.note.pivot", lang, cells=cells))
    return TableView(frame=frame, faded=faded, align=align, footnotes=notes, title=title,
                     wide=pivot is not None)


def reason_text(reason, lang: str, table: pd.DataFrame | None = None) -> str:
    """A ``flag_reason`` in ``lang``.

    :func:`salto_analysis.reliability.grade` writes codes (``"P2;P3"``); each is written
    out in ``lang`` (:func:`salto_analysis.policy.code_text`, with the thresholds of the
    policy the table was graded with) and joined by ``"; "``. The words ``uncertain`` and
    ``suppressed`` (a flag without a code) are translated too.
    """
    if isna(reason) or str(reason).strip() == "":
        return ""
    reason = str(reason).strip()
    if reason in ("uncertain", "suppressed"):
        return labels.t(f"report.flag.{reason}", lang)
    policy = policy_of(table) if table is not None else Policy()
    return "; ".join(code_text(code, policy, lang) for code in split_codes(reason))


def _pivot_view(table, groups, pivot, lang, rows, colpos, est_text, suppressed, uncertain, hide):
    """Wide view: one row per combination of the other groups, one column per pivot value."""
    others = [g for g in groups if g != pivot and g not in hide]
    pcol = table[pivot]
    if isinstance(pcol.dtype, pd.CategoricalDtype):
        pvalues = [v for v in pcol.cat.categories if (pcol == v).any()]
    else:
        pvalues = list(pd.unique(pcol.dropna()))
        try:
            pvalues = sorted(pvalues)
        except TypeError:
            pass
    # rows in the order of the other grouping columns (category order, else the schema's
    # value order, else sorted values), not in the order a row happens to appear first
    seen: dict[tuple, int] = {}
    for r in rows:
        seen.setdefault(tuple(r[colpos[g]] for g in others), len(seen))

    def rank(g: str, v):
        col = table[g]
        if isinstance(col.dtype, pd.CategoricalDtype) and v in col.cat.categories:
            return (0, col.cat.categories.get_loc(v))
        schema_col = _schema_columns().get(g)
        if schema_col is not None and schema_col.values is not None and str(v) in schema_col.values:
            return (0, schema_col.values.index(str(v)))  # official order (districts by code...)
        return (1, v) if isinstance(v, (int, float, np.integer, np.floating, str)) and not isna(v) else (2, 0)

    def order(k: tuple):
        try:
            return (tuple(rank(g, v) for g, v in zip(others, k)), seen[k])
        except TypeError:
            return ((), seen[k])

    try:
        ordered = sorted(seen, key=order)
    except TypeError:  # values of mixed types: keep the order of appearance
        ordered = list(seen)
    keys = {k: i for i, k in enumerate(ordered)}
    cells = np.full((len(keys), len(pvalues)), "", dtype=object)
    fade = np.zeros((len(keys), len(pvalues)), dtype=bool)
    ppos = {v: j for j, v in enumerate(pvalues)}
    for i, r in enumerate(rows):
        pv = r[colpos[pivot]]
        if isna(pv):
            continue
        k = keys[tuple(r[colpos[g]] for g in others)]
        cells[k, ppos[pv]] = est_text(i, dict(zip(table.columns, r)))
        fade[k, ppos[pv]] = bool(uncertain[i])
    data = [(column_label(g, lang), g, [value_label(g, k[gi], lang) for k in keys]) for gi, g in enumerate(others)]
    data += [(value_label(pivot, v, lang), pivot, list(cells[:, j])) for j, v in enumerate(pvalues)]
    frame = _frame(data)
    faded = pd.DataFrame(
        np.concatenate([np.zeros((len(keys), len(others)), dtype=bool), fade], axis=1),
        columns=frame.columns,
    )
    align = ["left"] * len(others) + ["right"] * len(pvalues)
    return frame, faded, align


# --------------------------------------------------------------------------- plain frames


def plain(frame: pd.DataFrame, lang: str = "nb", *, title: str | None = None, digits: int = 1,
          notes: Sequence[str] = (), missing: str = "") -> TableView:
    """Display a small descriptive frame that is not an estimate table.

    For processing facts such as the loaders' row accounting (file rows, not
    persons) or a list of checks. Headers and category values are translated as
    in :func:`display`, whole numbers get thousands separators, other numbers
    ``digits`` decimals; a missing value is written ``missing`` (default empty:
    in such frames it means "not applicable", for example a notice without a row
    count). Identifier columns are refused as in :func:`display`.
    """
    lang = labels.check_lang(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"plain() needs a DataFrame, got {type(frame).__name__}")
    check_no_identifiers(frame)
    out: list[tuple[str, str, list[str]]] = []
    align: list[str] = []
    for k in range(frame.shape[1]):
        c, s = str(frame.columns[k]), frame.iloc[:, k]
        if pd.api.types.is_bool_dtype(s.dtype) or not pd.api.types.is_numeric_dtype(s.dtype):
            out.append((column_label(c, lang), c, [value_label(c, v, lang) for v in s]))
            align.append("left")
        else:
            whole = s.dropna().map(lambda v: float(v).is_integer()).all()
            d = 0 if whole else digits
            if c in ("year", "wave"):
                out.append((column_label(c, lang), c, [value_label(c, v, lang) for v in s]))
            else:
                out.append((column_label(c, lang), c, [missing if isna(v) else number(v, d, lang) for v in s]))
            align.append("right")
    view = _frame(out)
    return TableView(frame=view, faded=pd.DataFrame(False, index=view.index, columns=view.columns),
                     align=align, footnotes=list(notes), title=title)
