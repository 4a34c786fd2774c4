"""The key findings on the briefing's index: a few sentences across the pages, made from the published tables.

Each finding is one sentence (or two) in plain words, built from rows of the tables the
notebooks recorded (the same numbers as ``tables/*.csv``, rounded as the pages round
them: :func:`~salto_analysis.briefing.index.format_estimate` and
:func:`~salto_analysis.briefing.index.format_interval`), with the interval and an
honest verb: a change is called a rise or a fall only when its interval excludes no
change (:func:`salto_analysis.sentences.change_sentence`, the pages' own rule), and a
ratio is called higher or lower only when its interval excludes 1. Each finding links
to the table or figure on its page that holds its numbers (the ``salto-<name>``
anchors of :meth:`salto_analysis.page.Page.anchor`).

A finding is left out, never guessed, when its table was not recorded (a partial run,
another briefing) or its rows are withheld; an uncertain row keeps its sentence with
the pages' note that the figures are uncertain. The index shows at most
:data:`MAX_FINDINGS` findings, in the order of the pages.

No test or estimator names appear here: the methods are on the pages and in
``docs/methods.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from salto_analysis import labels
from salto_analysis.formatting import number, percent_level
from salto_analysis.sentences import change_sentence

__all__ = ["MAX_FINDINGS", "Finding", "key_findings"]

#: Most findings the index shows (issue 12: five to eight).
MAX_FINDINGS = 8


@dataclass(frozen=True)
class Finding:
    """One key finding: its sentence, the page and anchor it links to, the tables it quotes."""

    notebook: str
    anchor: str
    text: str
    tables: tuple[str, ...]
    uncertain: bool = False

    @property
    def href(self) -> str:
        return f"{self.notebook}.html#{self.anchor}"


class _Tables:
    """The recorded tables of a run by record name (the first page that recorded a name wins)."""

    def __init__(self, tables: dict[str, list[pd.DataFrame]]):
        self.by_name: dict[str, tuple[str, pd.DataFrame]] = {}
        for notebook, items in tables.items():
            for table in items:
                name = table.attrs.get("record_name")
                if name and name not in self.by_name:
                    self.by_name[name] = (notebook, table)

    def row(self, name: str, **where) -> tuple[str, pd.DataFrame, pd.Series] | None:
        """The one row of table ``name`` whose columns equal ``where`` (``None`` if absent or withheld)."""
        if name not in self.by_name:
            return None
        notebook, table = self.by_name[name]
        if any(c not in table.columns for c in where):
            return None
        mask = pd.Series(True, index=table.index)
        for column, value in where.items():
            mask &= table[column].astype(str) == str(value)
        rows = table[mask]
        if len(rows) != 1 or rows.iloc[0].get("flag") == "suppressed" or pd.isna(rows.iloc[0].get("estimate")):
            return None
        return notebook, table, rows.iloc[0]


def _fmt(value, attrs, lang):
    from salto_analysis.briefing.index import format_estimate

    return format_estimate(value, attrs, lang)


def _ci(row: pd.Series, attrs: dict, lang: str) -> str:
    """``95 % KI 28,1–30,2 %``: the row's interval in the units of its estimate."""
    from salto_analysis.briefing.index import _is_percent, format_interval

    level = float(attrs.get("confidence_level") or 0.95)
    label = labels.t("change.ci_label", lang, level=percent_level(level, lang)).replace(" %", "\u00a0%")
    text = format_interval(row.get("ci_low"), row.get("ci_high"), attrs, lang)
    if _is_percent(attrs) and attrs.get("kind") != "difference":
        text += "\u00a0%" if lang == "nb" else "%"
    return f"{label} {text}"


def _count(value, lang) -> str:
    return number(float(value), 0, lang)


def _span(title: str | None) -> str | None:
    """The period ``2016–2024`` a table's title names, if any."""
    found = re.search(r"\b(\d{4})[–-](\d{4})\b", title or "")
    return f"{found.group(1)}–{found.group(2)}" if found else None


def _uncertain(*rows: pd.Series) -> bool:
    return any(r.get("flag") == "uncertain" for r in rows)


def _finish(text: str, uncertain: bool, lang: str) -> str:
    text = text.rstrip(". ") + "."
    return text + (" " + labels.t("change.uncertain_note", lang) if uncertain else "")


# --------------------------------------------------------------------------- the findings, page by page


def _trend_level(found: _Tables, lang: str, year: int) -> Finding | None:
    suspects = found.row("level_total", counted="suspects")
    cases = found.row("level_total", counted="cases")
    if suspects is None:
        return None
    notebook, table, row = suspects
    text = labels.t("briefing.finding.level", lang, year=year, count=_count(row["count"], lang),
                    rate=_fmt(row["estimate"], table.attrs, lang), ci=_ci(row, table.attrs, lang))
    rows = [row]
    if cases is not None:
        text += " " + labels.t("briefing.finding.level_cases", lang, count=_count(cases[2]["count"], lang))
        rows.append(cases[2])
    return Finding(notebook, "salto-level", _finish(text, _uncertain(*rows), lang), ("level_total",),
                   _uncertain(*rows))


def _trend_change(found: _Tables, lang: str, year: int) -> Finding | None:
    prev = found.row("change_previous_total", counted="suspects")
    mean = found.row("change_mean_total", counted="suspects")
    if prev is None:
        return None
    notebook, table, row = prev
    level = float(table.attrs.get("confidence_level") or 0.95)
    subject = labels.t("briefing.finding.change_subject", lang)
    text = labels.t("briefing.finding.change_previous", lang, prev=year - 1, year=year,
                    sentence=change_sentence(row.drop("flag", errors="ignore"), lang, subject=subject, confidence_level=level))
    rows, names = [row], ["change_previous_total"]
    if mean is not None:
        span = _span(mean[1].attrs.get("title"))
        key = "briefing.finding.change_mean" if span else "briefing.finding.change_mean_nospan"
        text += " " + labels.t(key, lang, span=span or "", year=year,
                               sentence=change_sentence(mean[2].drop("flag", errors="ignore"), lang, subject=subject, confidence_level=level))
        rows.append(mean[2])
        names.append("change_mean_total")
    return Finding(notebook, "salto-change_previous", _finish(text, _uncertain(*rows), lang), tuple(names),
                   _uncertain(*rows))


def _overlap_shares(found: _Tables, lang: str, year: int) -> Finding | None:
    suspects = found.row("shares_total", among="suspects")
    victims = found.row("shares_total", among="victims")
    if suspects is None or victims is None:
        return None
    notebook, table, s = suspects
    v = victims[2]
    span = _span(table.attrs.get("title"))
    text = labels.t("briefing.finding.overlap" if span else "briefing.finding.overlap_nospan", lang, span=span or "",
                    suspects=_fmt(s["estimate"], table.attrs, lang), suspects_ci=_ci(s, table.attrs, lang),
                    victims=_fmt(v["estimate"], table.attrs, lang), victims_ci=_ci(v, table.attrs, lang))
    return Finding(notebook, "salto-shares_total", _finish(text, _uncertain(s, v), lang), ("shares_total",),
                   _uncertain(s, v))


def _overlap_ratio(found: _Tables, lang: str, year: int) -> Finding | None:
    hit = found.row("relative_odds_total", sex="total", ratio_type="risk_ratio")
    if hit is None:
        return None
    notebook, table, row = hit
    low, high = float(row["ci_low"]), float(row["ci_high"])
    key = ("briefing.finding.ratio_higher" if low > 1 else
           "briefing.finding.ratio_lower" if high < 1 else "briefing.finding.ratio_chance")
    text = labels.t(key, lang, ratio=_fmt(row["estimate"], table.attrs, lang), ci=_ci(row, table.attrs, lang))
    return Finding(notebook, "salto-relative_odds", _finish(text, _uncertain(row), lang), ("relative_odds_total",),
                   _uncertain(row))


def _overlap_order(found: _Tables, lang: str, year: int) -> Finding | None:
    first = found.row("temporal_order", temporal_order="victim_first")
    second = found.row("temporal_order", temporal_order="suspect_first")
    if first is None or second is None:
        return None
    notebook, table, a = first
    b = second[2]
    text = labels.t("briefing.finding.order", lang, n=_count(a["denominator"], lang),
                    victim_first=_fmt(a["estimate"], table.attrs, lang), victim_ci=_ci(a, table.attrs, lang),
                    suspect_first=_fmt(b["estimate"], table.attrs, lang), suspect_ci=_ci(b, table.attrs, lang))
    return Finding(notebook, "salto-temporal_order", _finish(text, _uncertain(a, b), lang), ("temporal_order",),
                   _uncertain(a, b))


def _repeat_groups(found: _Tables, lang: str, year: int) -> Finding | None:
    hits = [found.row("group_shares", offence_threshold=t) for t in ("4+", "10+")]
    if hits[0] is None:
        return None
    notebook, table, row = hits[0]
    text = labels.t("briefing.finding.groups", lang, year=year, k=_count(row["numerator"], lang),
                    n=_count(row["denominator"], lang), threshold=str(row["offence_threshold"]).rstrip("+"),
                    share=_fmt(row["estimate"], table.attrs, lang), ci=_ci(row, table.attrs, lang))
    rows = [row]
    if hits[1] is not None:
        r10 = hits[1][2]
        text += " " + labels.t("briefing.finding.groups_more", lang, k=_count(r10["numerator"], lang),
                               threshold=str(r10["offence_threshold"]).rstrip("+"),
                               share=_fmt(r10["estimate"], table.attrs, lang), ci=_ci(r10, table.attrs, lang))
        rows.append(r10)
    return Finding(notebook, "salto-group_shares", _finish(text, _uncertain(*rows), lang), ("group_shares",),
                   _uncertain(*rows))


def _drug(indicator: str) -> Callable:
    def build(found: _Tables, lang: str, year: int) -> Finding | None:
        from salto_analysis.tables import value_label

        changes = {sex: found.row("drug_use_change", indicator=indicator, school_level="upper_secondary", sex=sex)
                   for sex in ("female", "male")}
        if any(c is None for c in changes.values()):
            return None
        notebook, table = changes["female"][0], changes["female"][1]
        level = float(table.attrs.get("confidence_level") or 0.95)
        parts, rows = [], []
        for sex, (_, _, row) in changes.items():
            share = {"kind": "proportion"}
            parts.append(labels.t(f"briefing.finding.drug_{sex}", lang, before=_fmt(row["estimate_ref"], share, lang),
                                  now=_fmt(row["estimate_to"], share, lang),
                                  sentence=change_sentence(row.drop("flag", errors="ignore"), lang, unit="points", confidence_level=level,
                                                           subject=labels.t("briefing.finding.drug_subject", lang))))
            rows.append(row)
        text = labels.t("briefing.finding.drug", lang, indicator=value_label("indicator", indicator, lang),
                        parts=". ".join(p.rstrip(". ") for p in parts))
        return Finding(notebook, "salto-change", _finish(text, _uncertain(*rows), lang), ("drug_use_change",),
                       _uncertain(*rows))

    build.__name__ = f"_drug_{indicator}"
    return build


#: The findings in the order the index shows them (the order of the pages).
BUILDERS: tuple[Callable, ...] = (_trend_level, _trend_change, _overlap_shares, _overlap_ratio, _overlap_order,
                                  _repeat_groups, _drug("cannabis"), _drug("drunk"))


def key_findings(tables: dict[str, list[pd.DataFrame]], lang: str, year: int,
                 max_findings: int = MAX_FINDINGS) -> list[Finding]:
    """The key findings of a run's recorded tables (``{notebook: [table, ...]}``), at most ``max_findings``.

    Only tables whose names and rows a finding knows are used; the others give no finding.
    """
    labels.check_lang(lang)
    found = _Tables(tables)
    out = []
    for build in BUILDERS:
        finding = build(found, lang, int(year))
        if finding is not None:
            out.append(finding)
    return out[:max_findings]
