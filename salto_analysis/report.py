"""The pieces of a notebook page around the numbers: banner, warning box, tables, notes.

Each function returns (or displays) an object with an HTML form for JupyterLab
and nbconvert (inline styles only: the reviewer HTML must work offline and
survive JupyterLab's sanitiser) and a plain-text form for ``repr``, so that a
notebook cell stays one or two calls::

    report.banner(data.attrs["synthetic"], lang)
    report.show(table, title=..., lang=lang)
    report.warning_box(table_a, table_b, lang=lang)
    report.note("trends.reading_note", lang)

The rules behind them are in ``docs/small-numbers.md#how-a-flagged-number-looks``: a flagged number
is never shown as if it were solid. Tables mark it (:mod:`salto_analysis.tables`),
plots fade or hatch it (:mod:`salto_analysis.plots`), and the warning box lists
every flagged number of the page with its reason.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from salto_analysis import labels, tables
from salto_analysis.estimates import check_estimate_table, group_columns, has_meta, meta_of

__all__ = ["Block", "banner", "flagged", "warning_box", "block", "show", "show_plain", "note", "text", "heading"]

_BANNER_STYLE = ("background:#fde2e1;border:2px solid #b00020;color:#5c0011;padding:0.6em 1em;"
                 "margin:0.5em 0;font-weight:bold;border-radius:4px")
_WARNING_STYLE = ("background:#fff4e5;border:1px solid #b35900;border-left:6px solid #b35900;color:#3d1f00;"
                  "padding:0.6em 1em;margin:0.8em 0;border-radius:4px")
_OK_STYLE = ("background:#eef6ee;border:1px solid #2e7d32;border-left:6px solid #2e7d32;color:#10310f;"
             "padding:0.6em 1em;margin:0.8em 0;border-radius:4px")
#: Above this many flagged numbers the list in the warning box starts folded.


@dataclass
class Block:
    """Rendered content: ``html`` for notebooks and HTML export, ``text`` for ``repr``."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def banner(synthetic: bool, lang: str = "nb") -> Block | None:
    """The synthetic-data banner: a red box, or ``None`` (nothing shown) for real data.

    ``synthetic`` is the loaders' ``df.attrs["synthetic"]``.

    >>> banner(True, "en").text[:14]
    'SYNTHETIC DATA'
    >>> banner(False, "en") is None
    True
    """
    labels.check_lang(lang)
    if not isinstance(synthetic, bool):
        raise ValueError(f"synthetic={synthetic!r} must be True or False")
    if not synthetic:
        return None
    text = labels.t("common.synthetic_banner", lang)
    return Block(html=f'<div class="salto-banner" role="note" style="{_BANNER_STYLE}">{html.escape(text)}</div>',
                 text=text)


def _named(items: Iterable) -> list[tuple[str, pd.DataFrame]]:
    out = []
    for k, item in enumerate(items, start=1):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], pd.DataFrame):
            name, table = item
        elif isinstance(item, pd.DataFrame):
            table = item
            name = meta_of(table).title if has_meta(table) else None
        else:
            raise ValueError(
                f"argument {k} is a {type(item).__name__}; pass graded estimate tables or (title, table) pairs"
            )
        out.append((name, table))
    return out


def _row_label(table: pd.DataFrame, row: pd.Series, lang: str) -> str:
    groups = [g for g in group_columns(table) if g in table.columns]
    if not groups:
        return labels.t("report.all_rows", lang)
    return ", ".join(tables.value_label(g, row[g], lang) for g in groups)


def flagged(*tables_, lang: str = "nb") -> pd.DataFrame:
    """Every flagged number of the given tables: one row per uncertain or suppressed row.

    Columns: ``table`` (title), ``row`` (the grouping values as text), ``flag``
    and ``reason``: the review codes of an uncertain number in words, and for a withheld
    number the one public reason ("too few or too uncertain to show"), never its code. Tables may be given as ``(title, table)`` pairs; otherwise
    the title is the table's own title or "Table k". Rows whose flag is ``ok`` are
    not listed.
    """
    labels.check_lang(lang)
    records = []
    for k, (name, table) in enumerate(_named(tables_), start=1):
        check_estimate_table(table, graded=True, where=f"table {k}")
        tables.check_no_identifiers(table, where=f"table {k}")
        title = name or f"{labels.t('report.table', lang)} {k}"
        for _, row in table[table["flag"].isin(["uncertain", "suppressed"])].iterrows():
            # one public reason for every withheld number (salto_analysis.policy.public_codes)
            reason = (labels.t("common.withheld_reason", lang) if row["flag"] == "suppressed"
                      else tables.reason_text(row["flag_reason"], lang, table))
            records.append({
                "table": title,
                "row": _row_label(table, row, lang),
                "flag": row["flag"],
                "reason": reason,
            })
    return pd.DataFrame(records, columns=["table", "row", "flag", "reason"])


def warning_box(*tables_, lang: str = "nb") -> Block:
    """A visible box listing every uncertain and suppressed number, with reasons.

    Give it all graded tables of the page (or ``(title, table)`` pairs). When
    nothing is flagged it says so in a green box, so the reader knows the check
    was made. The list starts folded (``<details>``, no script needed) under a line with the
    counts, on every page alike; printing unfolds it.
    """
    items = flagged(*tables_, lang=lang)
    n_unc = int((items["flag"] == "uncertain").sum())
    n_sup = int((items["flag"] == "suppressed").sum())
    title = labels.t("report.warning.title", lang)
    if items.empty:
        text = labels.t("report.warning.none", lang)
        return Block(html=f'<div class="salto-warning" role="note" style="{_OK_STYLE}">'
                          f"<strong>{html.escape(title)}</strong><br>{html.escape(text)}</div>",
                     text=f"{title}\n{text}")
    intro = labels.t("report.warning.intro", lang, uncertain=n_unc, suppressed=n_sup)
    lines_html, lines_text = [], []
    for name, group in items.groupby("table", sort=False):
        entries = []
        for row in group.itertuples(index=False):
            what = labels.t(f"report.flag.{row.flag}", lang)
            detail = f"{row.row}: {what}" + (f" – {row.reason}" if row.reason else "")
            entries.append(detail)
            lines_text.append(f"- {name}: {detail}")
        lines_html.append(
            f"<li><strong>{html.escape(str(name))}</strong><ul style=\"margin:0.1em 0 0.3em 0\">"
            + "".join(f"<li>{html.escape(e)}</li>" for e in entries) + "</ul></li>"
        )
    listing = f'<ul style="margin:0.3em 0">{"".join(lines_html)}</ul>'
    # folded on every page, the counts in the summary line: the box behaves the same everywhere
    # (print unfolds it, briefing.css)
    body = (f'<details class="salto-caution"><summary><strong>⚠ {html.escape(title)}</strong>: '
            f"{html.escape(intro)}</summary>{listing}</details>")
    return Block(
        html=f'<div class="salto-warning" role="note" style="{_WARNING_STYLE}">{body}</div>',
        text="\n".join([f"⚠ {title}", intro, *lines_text]),
    )


def _split_parts(table: pd.DataFrame, split: str) -> list[tuple[object, pd.DataFrame]]:
    """``(value, rows)`` for each value of grouping column ``split``, in category order (else as they come)."""
    groups = [g for g in group_columns(table) if g in table.columns]
    if split not in groups:
        raise ValueError(f"split={split!r} must be one of the grouping columns {groups}")
    col = table[split]
    if isinstance(col.dtype, pd.CategoricalDtype):
        values = [v for v in col.cat.categories if (col == v).any()]
    else:
        values = list(pd.unique(col.dropna()))
    parts = []
    for value in values:
        part = table[col == value].reset_index(drop=True)
        part.attrs = dict(table.attrs)
        parts.append((value, part))
    return parts


def block(table: pd.DataFrame, *, title: str | None = None, lang: str = "nb", note: str | None = None,
          split: str | None = None, anchor: str | None = None, **display_options) -> Block:
    """The table as :func:`salto_analysis.tables.display` formats it, plus an optional note below.

    The caption is ``title``, else the table's own title if it has one. ``anchor`` is the
    ``id`` of the block in HTML, so that the briefing's index can link to the table.

    ``note`` is plain text (for example from :func:`salto_analysis.labels.t`);
    ``display_options`` go to :func:`salto_analysis.tables.display` (``digits``,
    ``percent``, ``pivot``, ``hide``, ``interval``...).

    ``split`` names a grouping column: one table per value of it, one below the
    other, captioned ``"<title>: <value>"`` and without that column. Use it when one
    table with every interval would be too wide to read (for example a pivot by
    wave of several indicators). Each part keeps its own footnotes.
    """
    if title is None and isinstance(table, pd.DataFrame):
        title = meta_of(table).title if has_meta(table) else None
    if note is not None and not isinstance(note, str):
        raise ValueError(f"note={note!r} must be text")
    if split is None:
        views = [tables.display(table, lang, title=title, **display_options)]
    else:
        if not isinstance(table, pd.DataFrame):
            raise ValueError(f"block() needs an estimate table (DataFrame), got {type(table).__name__}")
        hide = display_options.pop("hide", ())
        hide = [hide] if isinstance(hide, str) else list(hide)
        views = []
        for value, part in _split_parts(table, split):
            name = tables.value_label(split, value, lang)
            views.append(tables.display(part, lang, title=f"{title}: {name}" if title else name,
                                        hide=[*hide, split], **display_options))
    html_text = "".join(v.to_html() for v in views)
    if anchor is not None:
        html_text = f'<div id="{html.escape(anchor)}">{html_text}</div>'
    plain_text = "\n\n".join(v.to_text() for v in views)
    if note is None:
        return Block(html=html_text, text=plain_text)
    return Block(html=html_text + f'<p style="margin:0 0 1em 0">{html.escape(note)}</p>',
                 text=plain_text + "\n" + note)


def show(table: pd.DataFrame, *, title: str | None = None, lang: str = "nb", note: str | None = None,
         split: str | None = None, **display_options) -> None:
    """Display a graded table with its footnotes (and an optional note) in the notebook;
    ``split`` shows one table per value of a grouping column (see :func:`block`)."""
    from IPython.display import display

    display(block(table, title=title, lang=lang, note=note, split=split, **display_options))


def show_plain(frame: pd.DataFrame, *, title: str | None = None, lang: str = "nb", note: str | None = None,
               **plain_options) -> None:
    """Display a descriptive frame that is not an estimate table (see :func:`salto_analysis.tables.plain`),
    such as the loaders' row accounting or a list of checks."""
    from IPython.display import display

    view = tables.plain(frame, lang, title=title, **plain_options)
    text_note = "" if note is None else note
    display(Block(html=view.to_html() + (f'<p style="margin:0 0 1em 0">{html.escape(text_note)}</p>' if note else ""),
                  text=view.to_text() + ("\n" + text_note if note else "")))


def note(key: str, lang: str = "nb", /, **fields):
    """A reading note from :mod:`salto_analysis.labels` as rendered Markdown."""
    from IPython.display import Markdown

    return Markdown(labels.t(key, lang, **fields))


def text(markdown: str):
    """Text that a library function has already put together in the page's language, as Markdown."""
    from IPython.display import Markdown

    if not isinstance(markdown, str):
        raise ValueError(f"markdown={markdown!r} must be text")
    return Markdown(markdown)


def heading(key: str, lang: str = "nb", /, level: int = 2, **fields):
    """A section heading from :mod:`salto_analysis.labels` (Markdown ``##``), so that
    headings follow ``lang`` and appear in the briefing's table of contents."""
    from IPython.display import Markdown

    if level not in (1, 2, 3, 4):
        raise ValueError(f"level={level!r} must be 1, 2, 3 or 4")
    return Markdown("#" * level + " " + labels.t(key, lang, **fields))
