"""The briefing's front page, ``<out>/index.html`` (issue 7, item 5).

It shows, in the run's language:

* the synthetic-data banner when any input is synthetic;
* the headline figures that notebooks recorded with ``headline=True``, each
  with its confidence interval and its mark (uncertain or withheld);
* links to every page and to the published tables;
* the full list of uncertain and withheld figures across the briefing, with
  the reason each was flagged;
* the run details (parameters of every notebook, input hashes, versions, git
  state, start time and duration).

Like the pages it is fully self-contained: inline CSS, no scripts, no fonts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salto_analysis import labels
from salto_analysis.briefing import provenance
from salto_analysis.briefing.publish import WORKBOOK
from salto_analysis.briefing.templating import format_number, render_template, stylesheet
from salto_analysis.estimates import group_columns

__all__ = ["format_estimate", "format_interval", "group_label", "headline_rows", "flagged_rows", "write_index"]

_SHARE_UNITS = ("proportion", "share")


def _is_percent(attrs: dict) -> bool:
    """Shares (0..1) are shown as percent: proportions, and any estimate whose unit is a proportion."""
    return attrs.get("kind") == "proportion" or str(attrs.get("unit", "")).lower() in _SHARE_UNITS


def _digits(attrs: dict) -> int:
    return {"count": 0, "rate": 1, "ratio": 2, "summary": 2}.get(attrs.get("kind"), 1)


def format_estimate(value, attrs: dict, lang: str) -> str:
    """A headline estimate: percent for shares (0.123 -> 12,3 %), else a number (``:`` when withheld)."""
    if value is None or pd.isna(value):
        return ":"
    if _is_percent(attrs):
        return format_number(float(value) * 100, lang, 1) + ("\u00a0%" if lang == "nb" else "%")
    text = format_number(float(value), lang, _digits(attrs))
    scale = attrs.get("scale")
    if attrs.get("kind") == "rate" and scale:
        text += " per " + format_number(float(scale), lang, 0)
    return text


def format_interval(low, high, attrs: dict, lang: str) -> str:
    """``low–high`` in the estimate's units, or empty when not available."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    if _is_percent(attrs):
        return f"{format_number(float(low) * 100, lang, 1)}–{format_number(float(high) * 100, lang, 1)}"
    digits = _digits(attrs)
    return f"{format_number(float(low), lang, digits)}–{format_number(float(high), lang, digits)}"


def group_label(table: pd.DataFrame, row: pd.Series, lang: str) -> str:
    """The values of a row's grouping columns, or "all" for an ungrouped table."""
    values = [str(row[c]) for c in group_columns(table) if c in row.index and not pd.isna(row[c])]
    return ", ".join(values) if values else labels.t("briefing.all", lang)


def _mark(flag: str, lang: str) -> str:
    return labels.t(f"briefing.flag.{flag}", lang) if flag in ("ok", "uncertain", "suppressed") else str(flag)


def headline_rows(tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], lang: str) -> list[dict]:
    """One display row per row of every headline table, in briefing order."""
    out = []
    for notebook, items in tables.items():
        for table in items:
            if not table.attrs.get("headline"):
                continue
            for _, row in table.iterrows():
                out.append({
                    "page": page_titles[notebook], "href": f"{notebook}.html",
                    "table": table.attrs.get("title") or table.attrs.get("record_name"),
                    "group": group_label(table, row, lang),
                    "estimate": format_estimate(row.get("estimate"), table.attrs, lang),
                    "interval": format_interval(row.get("ci_low"), row.get("ci_high"), table.attrs, lang),
                    "flag": row.get("flag"), "mark": _mark(row.get("flag"), lang),
                    "reason": "" if pd.isna(row.get("flag_reason")) else str(row.get("flag_reason")),
                })
    return out


def flagged_rows(tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], lang: str) -> list[dict]:
    """Every uncertain or withheld row of every recorded table, with its reason."""
    out = []
    for notebook, items in tables.items():
        for table in items:
            if "flag" not in table.columns:
                continue
            for _, row in table[table["flag"].isin(["uncertain", "suppressed"])].iterrows():
                out.append({
                    "page": page_titles[notebook], "href": f"{notebook}.html",
                    "table": table.attrs.get("title") or table.attrs.get("record_name"),
                    "group": group_label(table, row, lang),
                    "estimate": format_estimate(row.get("estimate"), table.attrs, lang),
                    "flag": row["flag"], "mark": _mark(row["flag"], lang),
                    "reason": "" if pd.isna(row.get("flag_reason")) else str(row.get("flag_reason")),
                })
    return out


def write_index(path: str | Path, plan, *, outcomes, tables: dict[str, list[pd.DataFrame]], duration: float) -> Path:
    """Render the index page of a complete run to ``path``."""
    lang = plan.lang
    page_titles = {e.name: e.title[lang] for e in plan.briefing.notebooks}
    synthetic = any(plan.synthetic.values()) or any(
        t.attrs.get("synthetic") is True for items in tables.values() for t in items
    )
    flagged = flagged_rows(tables, page_titles, lang)
    levels = {t.attrs.get("confidence_level") for items in tables.values() for t in items} - {None}
    level = levels.pop() if len(levels) == 1 else 0.95
    html = render_template(
        "index.html.j2",
        lang=lang,
        css=stylesheet(lab=False),
        title=plan.briefing.title[lang],
        subtitle=labels.t("briefing.reporting_year", lang, year=plan.year),
        banner=labels.t("common.synthetic_banner", lang) if synthetic else "",
        partial=labels.t("briefing.partial_run", lang, names=", ".join(page_titles.values())) if plan.partial else "",
        pages=[{"title": page_titles[o.name], "href": Path(o.page).name} for o in outcomes],
        headlines=headline_rows(tables, page_titles, lang),
        interval_label=labels.t("briefing.col.interval", lang, level=format_number(level * 100, lang, 0)),
        flagged=flagged,
        n_uncertain=sum(r["flag"] == "uncertain" for r in flagged),
        n_suppressed=sum(r["flag"] == "suppressed" for r in flagged),
        workbook=f"tables/{WORKBOOK}",
        run_details=provenance.render(plan.details, parameters=plan.parameters, duration=duration, lang=lang),
    )
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path
