"""The page of notebook 04: parameters, all graded tables in one call, and its texts.

:func:`check_options` checks the notebook's own parameters; :func:`analyse` computes and
grades every table (:class:`Results`); the note functions write the reading notes in the
page's language from :mod:`salto_analysis.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salto_analysis import labels, survey

from .changes import changes
from .display import _group_label, label
from .frame import BY_OPTIONS, _frame_attrs
from .indicators import INDICATORS
from .prevalence import ALL_GRADES, districts, item_nonresponse, prevalence
from .trend import trends

__all__ = ["HEADLINE_LEVEL", "check_options", "Results", "analyse", "intro", "reading_notes", "design_note", "excluded_note",
           "not_computed_note", "deff_note", "response_rate_note", "nonresponse_note", "method_note",
           "district_note"]



def check_options(*, indicators, by, district_breakdown, ci_method, waves=()) -> dict:
    """Check notebook 04's own parameters; raise one ``ParameterError`` naming every bad one.

    ``indicators``: names from :data:`INDICATORS`; ``by``: a list drawn from
    :data:`BY_OPTIONS` (may be empty); ``district_breakdown``: ``True``/``False``;
    ``ci_method``: one of :data:`salto_analysis.survey.CI_METHODS`; ``waves``: a list of
    survey years, empty for all waves in the data (checked against the data by
    :func:`prepare`). Returns the normalised values.
    """
    from salto_analysis.params import ParameterError

    problems, out = [], {}

    def as_list(name, value):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            problems.append(f"{name}={value!r} must be a list, for example {name}=[{value!r}]")
            return None
        return list(value)

    ind = as_list("indicators", indicators)
    if ind is not None:
        bad = [v for v in ind if v not in INDICATORS]
        if bad or not ind or len(set(ind)) != len(ind):
            why = (f"has unknown indicator(s) {bad}" if bad else "is empty" if not ind else "repeats an indicator")
            problems.append(f"indicators={ind!r} {why}; allowed: {', '.join(INDICATORS)}")
        else:
            out["indicators"] = tuple(ind)
    b = as_list("by", by)
    if b is not None:
        bad = [v for v in b if v not in BY_OPTIONS]
        if bad or len(set(b)) != len(b):
            problems.append(f"by={b!r} must list columns from {', '.join(BY_OPTIONS)} (each at most once); "
                            f"districts are shown with district_breakdown=True")
        else:
            out["by"] = tuple(v for v in BY_OPTIONS if v in b)
    if not isinstance(district_breakdown, (bool, np.bool_)):
        problems.append(f"district_breakdown={district_breakdown!r} must be True or False")
    else:
        out["district_breakdown"] = bool(district_breakdown)
    if ci_method not in survey.CI_METHODS:
        problems.append(f"ci_method={ci_method!r} must be one of {', '.join(survey.CI_METHODS)}")
    else:
        out["ci_method"] = ci_method
    w = as_list("waves", waves)
    if w is not None:
        bad = [v for v in w if isinstance(v, bool) or not isinstance(v, (int, np.integer))]
        if bad:
            problems.append(f"waves={w!r} must be whole survey years such as [2018, 2023], or [] for all waves")
        else:
            out["waves"] = tuple(sorted({int(v) for v in w}))
    if problems:
        head = "notebook parameter " if len(problems) == 1 else f"{len(problems)} notebook parameters are wrong: "
        raise ParameterError(head + "; ".join(problems))
    return out


#: The school level of the headline figures: upper secondary (VG1–VG3), where use is common
#: enough to read by sex (cannabis and cocaine among 8th–10th graders are mostly below 2–3 %).
HEADLINE_LEVEL = "upper_secondary"

_TITLES = {"nonresponse": "drug_use.t.nonresponse", "prevalence": "drug_use.t.prevalence",
           "latest": "drug_use.t.prevalence_latest", "change": "drug_use.t.change",
           "trend": "drug_use.t.trend", "districts": "drug_use.t.districts",
           "headline": "drug_use.t.headline"}


def _title(name: str, waves: list[int], lang: str) -> str:
    """The title of page table ``name`` for ``waves`` in ``lang``."""
    fields = {"wave": waves[-1], "wave_from": waves[0] if name == "trend" else waves[-2] if len(waves) > 1
              else waves[-1], "wave_to": waves[-1]}
    return labels.t(_TITLES[name], lang, **fields)


def _graded(name: str, table: pd.DataFrame, waves: list[int], policy) -> pd.DataFrame:
    """Title ``table`` in the policy's language, then grade it, so its warning names it."""
    from salto_analysis import reliability

    table.attrs["title"] = _title(name, waves, policy.lang)
    return reliability.grade(table, policy)


@dataclass
class Results:
    """Every graded table of notebook 04, with the page language and the analysis frame's facts.

    The tables are coded (``indicator`` names, ``school_level`` codes); :meth:`table`
    gives the labelled copy that is shown and recorded. ``districts`` is ``None`` without
    the district breakdown; ``change`` and ``trend`` are empty with a single wave.
    """

    lang: str
    waves: list[int]
    indicators: list[str]
    nonresponse: pd.DataFrame
    prevalence: pd.DataFrame
    change: pd.DataFrame
    trend: pd.DataFrame
    districts: pd.DataFrame | None

    def title(self, name: str) -> str:
        """The title of table ``name`` in the page's language."""
        return _title(name, self.waves, self.lang)

    def table(self, name: str) -> pd.DataFrame:
        """The labelled graded table ``name``: one of ``nonresponse``, ``prevalence``, ``latest``
        (the prevalence rows of the latest wave), ``change``, ``trend``, ``districts`` or
        ``headline`` (the latest wave's upper-secondary rows, all grades, of cannabis and cocaine,
        or of the first two indicators: four rows by sex, the few the briefing's index shows).
        Row subsets of a graded table are still graded."""
        if name in ("latest", "headline"):
            t = self.prevalence[self.prevalence["wave"] == self.waves[-1]]
            if name == "headline":
                if "grade" in t.columns:
                    t = t[t["grade"].astype(object) == ALL_GRADES]
                pick = [i for i in ("cannabis", "cocaine") if i in self.indicators] or self.indicators[:2]
                t = t[t["indicator"].astype(object).isin(pick)
                      & (t["school_level"].astype(object) == HEADLINE_LEVEL)]
            t = t.reset_index(drop=True)
            t.attrs = dict(self.prevalence.attrs)
        else:
            t = getattr(self, name)
            if t is None:
                raise ValueError(f"table {name!r} was not computed (district_breakdown=False)")
        return label(t, self.lang)

    def shown(self) -> list[tuple[str, pd.DataFrame]]:
        """(title, labelled table) of every table on the page, for the warning box."""
        names = ["nonresponse", "prevalence", "change", "trend"] + (["districts"] if self.districts is not None else [])
        return [(self.title(n), self.table(n)) for n in names]


def analyse(frame: pd.DataFrame, policy, *, confidence_level: float = 0.95, ci_method: str = "korn-graubard",
            district_breakdown: bool = False) -> Results:
    """Compute and grade every table of notebook 04 with ``policy`` (a :class:`reliability.Policy`).

    Item non-response, prevalence, change between the last two waves, trend over all
    waves and (with ``district_breakdown``) the latest wave by district. Change and trend
    use the *graded* prevalence so they are computed only where the shares they rest on
    can be shown (see :func:`changes`).
    """
    attrs = _frame_attrs(frame)
    waves = list(attrs["waves"])
    kw = {"confidence_level": confidence_level}
    prev = _graded("prevalence", prevalence(frame, ci_method=ci_method, **kw), waves, policy)
    return Results(
        lang=policy.lang,
        waves=waves,
        indicators=list(attrs["indicators"]),
        nonresponse=_graded("nonresponse", item_nonresponse(frame, **kw), waves, policy),
        prevalence=prev,
        change=_graded("change", changes(frame, prev, **kw), waves, policy),
        trend=_graded("trend", trends(frame, prev, **kw), waves, policy),
        districts=_graded("districts", districts(frame, ci_method=ci_method, **kw), waves, policy)
        if district_breakdown else None,
    )


def intro(frame: pd.DataFrame, lang: str = "nb") -> str:
    """The page's opening sentence: what it shows, for which indicators and waves."""
    attrs = _frame_attrs(frame)
    names = ", ".join(INDICATORS[i].label(lang).lower() for i in attrs["indicators"])
    return labels.t("drug_use.intro", lang, indicators=names, waves=", ".join(map(str, attrs["waves"])))


def reading_notes(survey_frame: pd.DataFrame, frame: pd.DataFrame, results: Results, min_count: int) -> str:
    """The reading notes as Markdown: census survey, response rate, design, design effect, flags."""
    lang = results.lang
    parts = [labels.t("drug_use.reading.census", lang), response_rate_note(survey_frame, lang),
             design_note(frame, lang), deff_note(results.prevalence, lang),
             labels.t("drug_use.reading.flags", lang, min_count=min_count)]
    return "\n\n".join(p for p in parts if p)


def design_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """One sentence on the design used: clusters, strata (or why none), weights."""
    d = _frame_attrs(frame)["design"]
    weights = labels.t("drug_use.note.weights" if d["weighted"] else "drug_use.note.no_weights", lang)
    if d["district_strata"]:
        return labels.t("drug_use.note.design.strata", lang, weights=weights)
    return labels.t("drug_use.note.design.no_strata", lang, weights=weights,
                    why=labels.t(f"drug_use.note.why.{d['why_not']}", lang))


def excluded_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """How many pupils were left out of every table, and why."""
    from salto_analysis import tables

    excluded = {k: v for k, v in _frame_attrs(frame)["excluded"].items() if v}
    if not excluded:
        return labels.t("drug_use.note.excluded_none", lang)
    return " ".join(labels.t("drug_use.note.excluded", lang, n=tables.format_number(v, 0, lang),
                             what=tables.column_label(k, lang).lower()) for k, v in excluded.items())


def not_computed_note(table: pd.DataFrame, lang: str = "nb") -> str | None:
    """The groups a change or trend table left out because a share was withheld (or ``None``)."""
    items = table.attrs.get("not_computed") or []
    if not items:
        return None
    texts = []
    for key in items:
        ind, level, *rest = key
        group = _group_label(level, rest[0] if rest else None, lang)
        texts.append(f"{INDICATORS[ind].label(lang)} ({group[:1].lower()}{group[1:]})")
    return labels.t("drug_use.note.not_computed", lang, groups="; ".join(texts))


def deff_note(prevalence: pd.DataFrame, lang: str = "nb") -> str:
    """The one-sentence design-effect explanation, with the median design effect of the shown rows.

    The median is over the most detailed shown rows (grades when the table has them, else
    school levels); it is left out when no row with a design effect is shown.
    """
    from salto_analysis import tables

    text = labels.t("drug_use.reading.deff", lang)
    shown = prevalence[(prevalence["flag"] != "suppressed") & prevalence["deff"].notna()]
    if "grade" in shown.columns and (shown["grade"].astype(object) != ALL_GRADES).any():
        shown = shown[shown["grade"].astype(object) != ALL_GRADES]
    if not len(shown):
        return text
    deff = float(np.median(shown["deff"]))
    n = float(np.median(shown["denominator"]))
    return text + " " + labels.t("drug_use.reading.deff_median", lang, deff=tables.format_number(deff, 1, lang),
                                 n=tables.format_number(round(n, -1), 0, lang),
                                 n_eff=tables.format_number(round(n / deff, -1) if deff > 0 else n, 0, lang))


def response_rate_note(survey_frame: pd.DataFrame, lang: str = "nb") -> str:
    """The response rate by wave when the data has it, else a sentence saying it is not in the data.

    The survey schema has no invitation counts; a response rate is taken from
    ``attrs["response_rate"]`` (a mapping wave → share) when a loader or the analyst
    provides it.
    """
    from salto_analysis import tables

    rates = survey_frame.attrs.get("response_rate")
    if not rates:
        return labels.t("drug_use.reading.no_response_rate", lang)
    parts = [f"{w}: {tables.format_number(100 * float(r), 0, lang)} %" for w, r in sorted(dict(rates).items())]
    return labels.t("drug_use.reading.response_rate", lang, rates=", ".join(parts))


def nonresponse_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """Who is left out of every table, and how item non-response is handled."""
    return excluded_note(frame, lang) + " " + labels.t("drug_use.note.nonresponse", lang)


def method_note(results: Results) -> str:
    """How change and trend were computed, with the Benjamini–Hochberg families and skipped groups."""
    lang = results.lang
    n_change = results.change.attrs.get("p_adjustment", {}).get("n_tests", 0)
    n_trend = results.trend.attrs.get("p_adjustment", {}).get("n_tests", 0)
    text = labels.t("drug_use.note.change", lang, wave_from=results.waves[-2], wave_to=results.waves[-1],
                    wave_first=results.waves[0], n_change=n_change, n_trend=n_trend)
    skipped = [n for n in (not_computed_note(results.change, lang), not_computed_note(results.trend, lang)) if n]
    return "\n\n".join([text, *skipped])


def district_note(lang: str = "nb") -> str:
    """What the district figures can and cannot say."""
    return labels.t("drug_use.note.districts", lang,
                    district_meaning=labels.t("drug_use.note.district_meaning", lang))
