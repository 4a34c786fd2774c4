"""The briefing's front page, ``<out>/index.html`` (issues 7 and 12), and its appendix of flagged figures.

The index is the briefing a reader takes in first. It shows, in the run's language:

* the title and the synthetic-data banner when any input is synthetic;
* the key findings across the pages (:mod:`salto_analysis.briefing.findings`): five to
  eight sentences in plain words from the published tables, each with its interval
  and an honest verb, each linking to the table or figure on its page;
* links to every page and to the published tables;
* one short summary of what is uncertain: the uncertain figures by name, and how many
  figures each page withholds, with a link to the appendix page
  ``<out>/flagged.html`` (:data:`FLAGGED_PAGE`), which lists every uncertain and
  withheld figure with its interval and the reason it was flagged;
* on every page, links to the previous and next page (:func:`salto_analysis.briefing.html.link_pages`,
  written here because only now are all pages of the run in place);
* the run details (parameters of every notebook, input hashes, versions, git
  state, start time and duration).

No test or estimator names appear on the index: they are on the pages.

Numbers follow the pages' conventions (:mod:`salto_analysis.tables`): shares
in percent (differences of shares in percentage points), and group values as
labels in the run's language (``10-14`` → ``10–14 år``, ``female`` →
``jente/kvinne``), a bare number with its column's name.

Like the pages it is fully self-contained: inline CSS, no scripts, no fonts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salto_analysis import labels, schemas
from salto_analysis.briefing import html as page_html
from salto_analysis.briefing import provenance
from salto_analysis.briefing.findings import key_findings
from salto_analysis.briefing.publish import WORKBOOK
from salto_analysis.briefing.templating import render_template, stylesheet
from salto_analysis.formatting import MINUS, SUPPRESSED, number
from salto_analysis.estimates import group_columns
from salto_analysis.tables import column_label, value_label

__all__ = ["FLAGGED_PAGE", "MAX_HEADLINES", "headline_findings", "uncertainty_summary", "write_flagged_page", "format_estimate", "format_interval", "group_label", "headline_rows", "flagged_rows",
           "write_index"]

#: The appendix page with every uncertain and withheld figure (next to ``index.html``).
FLAGGED_PAGE = "flagged.html"

#: Most headline rows one page contributes to the index (the page keeps its full tables).
MAX_HEADLINES = 4

_SHARE_UNITS = ("proportion", "share")
#: Grouping columns whose bare numbers read as themselves (years), not as codes.
_SELF_EXPLAINING = ("year", "wave")


def _is_percent(attrs: dict) -> bool:
    """Shares (0..1) are shown as percent, as on the pages (:mod:`salto_analysis.tables`): proportions,
    any estimate whose unit is a proportion, and differences or summaries measured in proportions."""
    unit = str(attrs.get("unit", "")).lower()
    return (attrs.get("kind") == "proportion" or unit in _SHARE_UNITS
            or (attrs.get("kind") in ("difference", "summary") and "proportion" in unit))


def _digits(attrs: dict) -> int:
    return {"count": 0, "rate": 1, "ratio": 2, "summary": 2}.get(attrs.get("kind"), 1)


def format_estimate(value, attrs: dict, lang: str) -> str:
    """A headline estimate: percent for shares (0.123 -> 12,3 %), percentage points for differences of
    shares, else a number (``:`` when withheld)."""
    if value is None or pd.isna(value):
        return SUPPRESSED
    if _is_percent(attrs) and attrs.get("kind") == "difference":
        return number(float(value) * 100, 1, lang) + " " + labels.t("tables.unit.points", lang)
    if _is_percent(attrs):
        return number(float(value) * 100, 1, lang) + ("\u00a0%" if lang == "nb" else "%")
    text = number(float(value), _digits(attrs), lang)
    scale = attrs.get("scale")
    if attrs.get("kind") == "rate" and scale:
        text += " per " + number(float(scale), 0, lang)
    return text


def format_interval(low, high, attrs: dict, lang: str) -> str:
    """``low–high`` in the estimate's units (``low til high`` / ``low to high`` when a limit is
    negative, so the dash does not read as a minus), or empty when not available."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    scale, digits = (100.0, 1) if _is_percent(attrs) else (1.0, _digits(attrs))
    lo, hi = number(float(low) * scale, digits, lang), number(float(high) * scale, digits, lang)
    sep = f" {labels.t('tables.interval_to', lang)} " if MINUS in lo + hi else "–"
    return f"{lo}{sep}{hi}"


def _value_text(column: str, value, lang: str) -> str:
    """One grouping value as the pages show it: its label (``10-14`` → ``10–14 år``, ``female`` →
    ``jente/kvinne``), and a bare number after its column's name (``År etter: 1``)."""
    text = value_label(column, value, lang)
    if text == str(value) and str(value) in schemas.AGE_GROUP:  # an age-group code in a derived column
        nb, en = schemas.AGE_GROUP[str(value)]
        text = nb if lang == "nb" else en
    header = column_label(column, lang)
    numeric = text.replace(",", "").replace(".", "").replace("\u00a0", "").isdigit()
    if numeric and column not in _SELF_EXPLAINING and header != column:
        return f"{header}: {text}"
    return text


def group_label(table: pd.DataFrame, row: pd.Series, lang: str) -> str:
    """The labelled values of a row's grouping columns, or "all" for an ungrouped table."""
    values = [_value_text(c, row[c], lang) for c in group_columns(table) if c in row.index and not pd.isna(row[c])]
    return ", ".join(values) if values else labels.t("briefing.all", lang)


def reason_words(reason, attrs: dict, lang: str, flag: str | None = None) -> str:
    """A published ``flag_reason`` (codes such as ``"P2;P3"``) in words, with the table's ``min_count``;
    a withheld row gets the one public reason ("too few or too uncertain to show")."""
    from salto_analysis.policy import Policy, code_text, split_codes

    if flag == "suppressed":
        return labels.t("common.withheld_reason", lang)
    if reason is None or pd.isna(reason):
        return ""
    policy = Policy(min_count=int(attrs.get("min_count") or Policy().min_count))
    return "; ".join(code_text(c, policy, lang) for c in split_codes(reason))


def _mark(flag: str, lang: str) -> str:
    return labels.t(f"briefing.flag.{flag}", lang) if flag in ("ok", "uncertain", "suppressed") else str(flag)


def _capped(items: list[pd.DataFrame], cap: int) -> tuple[list[pd.DataFrame], int]:
    """The headline tables of one page that fit in ``cap`` rows, and how many rows are left out.

    Whole tables in the order recorded, up to the first that does not fit (a table cut
    in half would read as if its other rows did not exist); a first table longer than
    ``cap`` gives its first ``cap`` rows.
    """
    heads = [t for t in items if t.attrs.get("headline")]
    total = sum(len(t) for t in heads)
    kept, used = [], 0
    for table in heads:
        if used + len(table) > cap:
            if not kept:
                part = table.iloc[:cap]
                part.attrs = dict(table.attrs)
                kept, used = [part], len(part)
            break
        kept.append(table)
        used += len(table)
    return kept, total - used


def headline_rows(tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], lang: str,
                  max_rows: int = MAX_HEADLINES) -> list[dict]:
    """One display row per row of every headline table, in briefing order, at most ``max_rows`` per page.

    When a page has more, a last row for that page has ``more`` (how many rows are left out)
    and ``text`` saying so; its other rows have ``more`` = 0.
    """
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"max_rows={max_rows!r} must be a whole number >= 1")
    out = []
    for notebook, items in tables.items():
        kept, left_out = _capped(items, max_rows)
        for table in kept:
            for _, row in table.iterrows():
                out.append({
                    "page": page_titles[notebook], "href": f"{notebook}.html",
                    "table": table.attrs.get("title") or table.attrs.get("record_name"),
                    "group": group_label(table, row, lang),
                    "estimate": format_estimate(row.get("estimate"), table.attrs, lang),
                    "interval": format_interval(row.get("ci_low"), row.get("ci_high"), table.attrs, lang),
                    "flag": row.get("flag"), "mark": _mark(row.get("flag"), lang),
                    "reason": reason_words(row.get("flag_reason"), table.attrs, lang, row.get("flag")),
                    "more": 0,
                })
        if left_out:
            out.append({"page": page_titles[notebook], "href": f"{notebook}.html", "more": left_out,
                        "text": labels.t("briefing.more_headlines", lang, n=left_out)})
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
                    "interval": format_interval(row.get("ci_low"), row.get("ci_high"), table.attrs, lang),
                    "flag": row["flag"], "mark": _mark(row["flag"], lang),
                    "reason": reason_words(row.get("flag_reason"), table.attrs, lang, row.get("flag")),
                })
    return out


def headline_findings(tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], lang: str,
                      level: float = 0.95) -> list[dict]:
    """The index's findings when no page has a finding of :mod:`salto_analysis.briefing.findings`: the
    rows of the headline tables (:func:`headline_rows`) as short lines, "table, group: estimate
    (interval)", marked when uncertain, each linking to its page; at most
    :data:`~salto_analysis.briefing.findings.MAX_FINDINGS`."""
    from salto_analysis.briefing.findings import MAX_FINDINGS

    ci = labels.t("change.ci_label", lang, level=number(level * 100, 0, lang)).replace(" %", "\u00a0%")
    out = []
    for row in headline_rows(tables, page_titles, lang):
        if row["more"]:
            continue
        text = f"{row['table']}, {row['group']}: {row['estimate']}"
        if row["interval"]:
            text += f" ({ci} {row['interval']})"
        if row["flag"] != "ok":
            text += f" – {row['mark']}" + (f": {row['reason']}" if row["reason"] else "")
        out.append({"text": text + ".", "href": row["href"], "page": row["page"], "uncertain": row["flag"] == "uncertain",
                    "tables": ""})
    return out[:MAX_FINDINGS]


def uncertainty_summary(tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], lang: str) -> dict:
    """What the index says about uncertain and withheld figures.

    ``uncertain``: one item per table or figure with uncertain rows (page, link, title and how
    many rows; ``n_uncertain`` counts the rows); ``withheld``: per page, in briefing order, how many figures it withholds.
    """
    rows = flagged_rows(tables, page_titles, lang)
    uncertain: dict[tuple, dict] = {}
    for r in rows:
        if r["flag"] == "uncertain":
            item = uncertain.setdefault((r["href"], r["table"]), {"page": r["page"], "href": r["href"],
                                                                 "table": r["table"], "n": 0})
            item["n"] += 1
    for item in uncertain.values():
        item["name"] = item["table"] + " – " + (labels.t("briefing.uncertain_one", lang) if item["n"] == 1 else
                                                 labels.t("briefing.uncertain_in_table", lang, n=item["n"]))
    n_uncertain = sum(r["flag"] == "uncertain" for r in rows)
    uncertain = list(uncertain.values())
    withheld = [{"page": page_titles[nb], "href": f"{nb}.html",
                 "n": sum(r["flag"] == "suppressed" and r["page"] == page_titles[nb] for r in rows)}
                for nb in tables]
    return {"uncertain": uncertain, "withheld": withheld, "n_uncertain": n_uncertain,
            "n_suppressed": sum(w["n"] for w in withheld)}


def write_flagged_page(path: str | Path, *, lang: str, title: str, subtitle: str, banner: str,
                       tables: dict[str, list[pd.DataFrame]], page_titles: dict[str, str], level: float,
                       run_details: str) -> Path:
    """Render the appendix page with every uncertain and withheld figure, its interval and reason."""
    flagged = flagged_rows(tables, page_titles, lang)
    html = render_template(
        "flagged.html.j2", lang=lang, css=stylesheet(lab=False), title=title, subtitle=subtitle, banner=banner,
        flagged=flagged,
        interval_label=labels.t("briefing.col.interval", lang, level=number(level * 100, 0, lang)),
        n_uncertain=sum(r["flag"] == "uncertain" for r in flagged),
        n_suppressed=sum(r["flag"] == "suppressed" for r in flagged),
        run_details=run_details,
    )
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path


def write_index(path: str | Path, plan, *, outcomes, tables: dict[str, list[pd.DataFrame]], duration: float) -> Path:
    """Render the index page of a complete run to ``path``."""
    lang = plan.lang
    page_titles = {e.name: e.title[lang] for e in plan.briefing.notebooks}
    synthetic = any(plan.synthetic.values()) or any(
        t.attrs.get("synthetic") is True for items in tables.values() for t in items
    )
    levels = {t.attrs.get("confidence_level") for items in tables.values() for t in items} - {None}
    level = levels.pop() if len(levels) == 1 else 0.95
    title = plan.briefing.title[lang]
    subtitle = labels.t("briefing.reporting_year", lang, year=plan.year)
    banner = labels.t("common.synthetic_banner", lang) if synthetic else ""
    run_details = provenance.render(plan.details, parameters=plan.parameters, duration=duration, lang=lang)
    pages = [{"title": page_titles[o.name], "href": Path(o.page).name} for o in outcomes]
    page_html.link_pages([(o.page, page_titles[o.name]) for o in outcomes if o.page and Path(o.page).is_file()], lang)
    findings = [{"text": f.text, "href": f.href, "page": page_titles.get(f.notebook, f.notebook),
                 "uncertain": f.uncertain, "tables": " ".join(f.tables)} for f in key_findings(tables, lang, plan.year)]
    if not findings:  # pages the findings do not know (another briefing): their headline rows, in words
        findings = headline_findings(tables, page_titles, lang, level)
    write_flagged_page(Path(path).parent / FLAGGED_PAGE, lang=lang, title=labels.t("briefing.flagged_page_title", lang),
                       subtitle=f"{title} – {subtitle}", banner=banner, tables=tables, page_titles=page_titles,
                       level=level, run_details=run_details)
    html = render_template(
        "index.html.j2",
        lang=lang,
        css=stylesheet(lab=False),
        title=title,
        subtitle=subtitle,
        banner=banner,
        partial=labels.t("briefing.partial_run", lang, names=", ".join(page_titles.values())) if plan.partial else "",
        pages=pages,
        findings=findings,
        level=number(level * 100, 0, lang),
        summary=uncertainty_summary(tables, page_titles, lang),
        flagged_page=FLAGGED_PAGE,
        workbook=f"tables/{WORKBOOK}",
        run_details=run_details,
    )
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path
