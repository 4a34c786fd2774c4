"""The page of notebook 04: parameters, every graded table on a :class:`DrugUsePage`, and its texts.

:func:`check_options` checks the notebook's own parameters; :func:`build` computes and
grades every table (:data:`TABLES`) on a :class:`salto_analysis.page.Page`; the note
functions write the reading notes in the page's language from :mod:`salto_analysis.labels`.
The tables keep their codes (indicator names, school-level codes); the page writes them in
words at display.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis import formatting, labels, report, survey
from salto_analysis.estimates import meta_of
from salto_analysis.page import Page
from salto_analysis.policy import Policy

from .changes import changes
from .display import _group_label, change_sentences, district_figures, trend_figures
from .frame import BY_OPTIONS, _frame_attrs
from .indicators import INDICATORS, definitions
from .prevalence import ALL_GRADES, districts, districts_side_by_side, item_nonresponse, prevalence, smoothed_districts
from .trend import trends

__all__ = ["HEADLINE_LEVEL", "TABLES", "DrugUsePage", "check_options", "build", "intro", "reading_notes",
           "design_note", "excluded_note", "one_school_note", "not_computed_note", "deff_note", "response_rate_note", "nonresponse_note",
           "method_note", "district_note", "smoothed_note", "protect"]

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

_CHANGE_HIDE = ["numerator", "denominator", "numerator_ref", "denominator_ref", "estimate_ref", "estimate_to"]

#: The tables of notebook 04: title key, how the page uses them and the name they are recorded
#: under (``latest`` repeats rows of the prevalence table on the page only; ``headline`` repeats
#: rows of it for the briefing's index only).
TABLES: dict[str, dict] = {
    "nonresponse": {"title": "drug_use.t.nonresponse", "pivot": "wave", "record_name": "drug_use_nonresponse"},
    "prevalence": {"title": "drug_use.t.prevalence", "pivot": "wave", "split": "indicator",
                   "record_name": "drug_use_prevalence"},
    "headline": {"title": "drug_use.t.headline", "headline": True, "shown": False,
                 "record_name": "drug_use_headline"},
    "latest": {"title": "drug_use.t.prevalence_latest", "hide": ["wave"], "split": "indicator", "record": False},
    "change": {"title": "drug_use.t.change", "hide": _CHANGE_HIDE, "record_name": "drug_use_change"},
    "trend": {"title": "drug_use.t.trend", "hide": ["numerator", "denominator"], "record_name": "drug_use_trend"},
    "districts": {"title": "drug_use.t.districts", "pivot": "indicator", "record_name": "drug_use_districts"},
    "districts_smoothed": {"title": "drug_use.t.districts_smoothed", "pivot": "indicator",
                           "record_name": "drug_use_districts_smoothed"},
    "districts_compare": {"title": "drug_use.t.districts_compare", "pivot": "measure", "split": "indicator",
                          "hide": ["numerator", "denominator", "se"], "record": False, "shown": False},
}


class DrugUsePage(Page):
    """Notebook 04's page: every table graded, the trend and district figures and the notes."""

    def __init__(self, *, frame: pd.DataFrame, survey_frame: pd.DataFrame, **kw):
        super().__init__(**kw)
        self.frame, self.survey_frame = frame, survey_frame
        attrs = _frame_attrs(frame)
        self.waves, self.indicators = list(attrs["waves"]), list(attrs["indicators"])

    def markdown(self, name: str):
        """Note ``name`` as Markdown: ``intro``, ``nonresponse``, ``change_sentences``, ``method``,
        ``districts``, ``districts_smoothed`` or ``reading``."""
        lang = self.lang
        if name == "intro":
            text = intro(self.frame, lang)
        elif name == "nonresponse":
            text = nonresponse_note(self.frame, lang)
        elif name == "change_sentences":
            text = change_sentences(self["change"], lang) if "change" in self else ""
        elif name == "method":
            text = method_note(self) if "change" in self or "trend" in self else ""
        elif name == "districts":
            text = district_note(lang) if "districts" in self else ""
        elif name == "districts_smoothed":
            text = smoothed_note(self) if "districts_smoothed" in self else (self.skipped("districts_smoothed") or "")
        elif name == "reading":
            text = reading_notes(self.survey_frame, self.frame, self, self.policy.min_count)
        else:
            raise ValueError(f"name={name!r} is not a note of the page")
        return report.text(text)


def _trend_figures(page: DrugUsePage):
    return trend_figures(page["prevalence"], page.lang)


def _district_figures(page: DrugUsePage):
    return district_figures(page["districts"], page.lang)


def build(frame: pd.DataFrame, survey_frame: pd.DataFrame, policy: Policy, *, ci_method: str = "korn-graubard",
          district_breakdown: bool = False) -> DrugUsePage:
    """Every table of notebook 04 computed and graded with ``policy`` (a :class:`Policy`).

    Item non-response, prevalence, change between the last two waves, trend over all
    waves and (with ``district_breakdown``) the latest wave by district. Change and trend
    use the *graded* prevalence so they are computed only where the shares they rest on
    can be shown (see :func:`changes`); with a single wave they are not computed and the
    page says so. ``survey_frame`` is the loaded survey (for the response rate note).
    """
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (salto_analysis.params.policy)")
    attrs = _frame_attrs(frame)
    waves = list(attrs["waves"])
    kw = {"confidence_level": policy.confidence_level}
    last = waves[-1] if waves else "–"
    fields = {"wave": last, "wave_to": last, "wave_from": waves[-2] if len(waves) > 1 else last,
              "wave_first": waves[0] if waves else last, "min_count": policy.min_count,
              "level": f"{100 * policy.confidence_level:g}"}
    page = DrugUsePage(policy=policy, synthetic=bool(survey_frame.attrs.get("synthetic", False)), fields=fields,
                       frame=frame, survey_frame=survey_frame)
    if not waves:  # every chosen wave was answered by one school only (prepare left them out)
        page.skip("nonresponse", "drug_use.not_shown.no_waves")
        for name in ("prevalence", "latest", "change", "trend", "districts", "districts_smoothed", "districts_compare",
                     "trends"):
            page.skip(name, None)
        page.add_plain("definitions", definitions(attrs["indicators"], policy.lang))
        return page
    page.add("nonresponse", item_nonresponse(frame, **kw), **TABLES["nonresponse"])
    prev = page.add("prevalence", prevalence(frame, ci_method=ci_method, **kw), **TABLES["prevalence"])
    latest = prev[prev["wave"] == waves[-1]]
    page.add("latest", latest.reset_index(drop=True), grade=False, **TABLES["latest"])
    head = latest
    if "grade" in head.columns:
        head = head[head["grade"].astype(object) == ALL_GRADES]
    pick = [i for i in ("cannabis", "cocaine") if i in page.indicators] or page.indicators[:2]
    head = head[head["indicator"].astype(object).isin(pick) & (head["school_level"].astype(object) == HEADLINE_LEVEL)]
    page.add("headline", head.reset_index(drop=True), grade=False, **TABLES["headline"])
    if len(waves) > 1:
        # computed only where the shares they rest on are shown; none of them: the page says why
        for name, table, title_fields in (("change", changes(frame, prev, **kw), None),
                                          ("trend", trends(frame, prev, **kw), {"wave_from": waves[0]})):
            if len(table):
                page.add(name, table, **TABLES[name], title_fields=title_fields)
            else:
                page.skip(name, f"drug_use.not_shown.no_{name}")
    else:
        page.skip("change", "drug_use.note.one_wave")
        page.skip("trend", None)
    if district_breakdown:
        direct = districts(frame, ci_method=ci_method, **kw)
        page.add("districts", direct, **TABLES["districts"])
        page.add_figure("districts", _district_figures, title="drug_use.t.districts")
        fh = smoothed_districts(direct, page["districts"], **kw)
        if fh["estimate"].notna().any():
            page.add("districts_smoothed", fh, **TABLES["districts_smoothed"])
            page.protect(protect)
            page.protect(_without_counts)
            page.add("districts_compare", districts_side_by_side(page["districts"], page["districts_smoothed"]),
                     grade=False, **TABLES["districts_compare"])
        else:
            page.skip("districts_smoothed", "drug_use.not_shown.smoothed_few")
            page.skip("districts_compare", None)
    else:
        page.skip("districts", "drug_use.note.districts_off")
        page.skip("districts_smoothed", None)
        page.skip("districts_compare", None)
    page.arrange([n for n in ("nonresponse", "prevalence", "headline", "latest", "change", "trend", "districts",
                              "districts_smoothed", "districts_compare") if n in page])
    page.add_plain("definitions", definitions(attrs["indicators"], policy.lang))
    page.add_figure("trends", _trend_figures, title="drug_use.h.trends")
    return page


def protect(tables: dict) -> dict:
    """A smoothed district estimate is withheld (D2) where the direct one is withheld for privacy
    (the smoothed table publishes the same counts), so a model estimate never shows a district
    with 1–4 persons; :func:`smoothed_districts` also leaves those districts out of the model."""
    from salto_analysis import disclosure

    direct, fh = tables["districts"], tables["districts_smoothed"]
    gone = disclosure.disclosed(direct)
    keys = set(zip(direct.loc[gone, "indicator"].astype(object), direct.loc[gone, "district"].astype(object)))
    mask = np.array([k in keys for k in zip(fh["indicator"].astype(object), fh["district"].astype(object))], bool)
    return {"districts_smoothed": disclosure.withhold(fh, mask)}


def _without_counts(tables: dict) -> dict:
    """The smoothed table publishes no pupil counts (the direct table has them): its estimate is not
    numerator / denominator, so the counts beside it would only mislead a reader (or an attacker
    who takes the estimate for the share of those counts). Graded and protected first, with the counts."""
    from salto_analysis.estimates import meta_of, with_meta

    t = tables["districts_smoothed"]
    return {"districts_smoothed": with_meta(t.drop(columns=["numerator", "denominator"]), meta_of(t))}


def smoothed_note(page: DrugUsePage) -> str:
    """What the smoothed district estimates are, what shrinkage means, and which districts have a smoothed variance."""
    from salto_analysis import tables

    lang = page.lang
    t = page["districts_smoothed"]
    shown = t[(t["flag"] != "suppressed") & (t["variance_smoothed"] == 1)]
    marked = []
    for name in t["indicator"].cat.categories:
        ds = [tables.value_label("district", d, lang) for d in shown.loc[shown["indicator"] == name, "district"]]
        if ds:
            marked.append(f"{INDICATORS[name].label(lang)}: {', '.join(ds)}")
    text = labels.t("drug_use.note.smoothed", lang)
    extra = (labels.t("drug_use.note.smoothed_variance", lang, districts="; ".join(marked)) if marked
             else labels.t("drug_use.note.smoothed_variance_none", lang))
    return text + "\n\n" + extra


def intro(frame: pd.DataFrame, lang: str = "nb") -> str:
    """The page's opening sentence: what it shows, for which indicators and waves."""
    attrs = _frame_attrs(frame)
    names = ", ".join(INDICATORS[i].label(lang).lower() for i in attrs["indicators"])
    text = labels.t("drug_use.intro", lang, indicators=names, waves=", ".join(map(str, attrs["waves"])) or "–")
    return " ".join([text, one_school_note(frame, lang)]).strip()


def one_school_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """The waves left out because a single school answered them (:func:`prepare`), or ``""``."""
    attrs = _frame_attrs(frame)
    waves = attrs.get("one_school_waves") or []
    if not waves:
        return ""
    return labels.t("drug_use.note.one_school", lang, waves=", ".join(map(str, waves)),
                    n=formatting.number(attrs.get("one_school_pupils", 0), 0, lang))


def reading_notes(survey_frame: pd.DataFrame, frame: pd.DataFrame, page: DrugUsePage, min_count: int) -> str:
    """The reading notes as Markdown: census survey, response rate, design, design effect, flags."""
    lang = page.lang
    parts = [labels.t("drug_use.reading.census", lang), response_rate_note(survey_frame, lang),
             design_note(frame, lang), deff_note(page["prevalence"], lang) if "prevalence" in page else "",
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
    return " ".join(labels.t("drug_use.note.excluded", lang, n=formatting.number(v, 0, lang),
                             what=tables.column_label(k, lang).lower()) for k, v in excluded.items())


def not_computed_note(table: pd.DataFrame, lang: str = "nb") -> str | None:
    """The groups a change or trend table left out because a share was withheld (or ``None``)."""
    items = meta_of(table).fact('not_computed') or []
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

    text = labels.t("drug_use.reading.deff", lang)
    shown = prevalence[(prevalence["flag"] != "suppressed") & prevalence["deff"].notna()]
    if "grade" in shown.columns and (shown["grade"].astype(object) != ALL_GRADES).any():
        shown = shown[shown["grade"].astype(object) != ALL_GRADES]
    if not len(shown):
        return text
    deff = float(np.median(shown["deff"]))
    n = float(np.median(shown["denominator"]))
    return text + " " + labels.t("drug_use.reading.deff_median", lang, deff=formatting.number(deff, 1, lang),
                                 n=formatting.number(round(n, -1), 0, lang),
                                 n_eff=formatting.number(round(n / deff, -1) if deff > 0 else n, 0, lang))


def response_rate_note(survey_frame: pd.DataFrame, lang: str = "nb") -> str:
    """The response rate by wave when the data has it, else a sentence saying it is not in the data.

    The survey schema has no invitation counts; a response rate is taken from
    ``attrs["response_rate"]`` (a mapping wave → share) when a loader or the analyst
    provides it.
    """

    rates = survey_frame.attrs.get("response_rate")
    if not rates:
        return labels.t("drug_use.reading.no_response_rate", lang)
    parts = [f"{w}: {formatting.number(100 * float(r), 0, lang)} %" for w, r in sorted(dict(rates).items())]
    return labels.t("drug_use.reading.response_rate", lang, rates=", ".join(parts))


def nonresponse_note(frame: pd.DataFrame, lang: str = "nb") -> str:
    """Who is left out of every table, and how item non-response is handled."""
    return excluded_note(frame, lang) + " " + labels.t("drug_use.note.nonresponse", lang)


def method_note(page: DrugUsePage) -> str:
    """How change and trend were computed, with the Benjamini–Hochberg families and skipped groups."""
    lang, waves = page.lang, page.waves
    present = [page[n] for n in ("change", "trend") if n in page]  # a table without any row is not on the page
    n_change, n_trend = (meta_of(page[n]).fact("p_adjustment", {}).get("n_tests", 0) if n in page else 0
                         for n in ("change", "trend"))
    text = labels.t("drug_use.note.change", lang, wave_from=waves[-2], wave_to=waves[-1],
                    wave_first=waves[0], n_change=n_change, n_trend=n_trend)
    skipped = [n for n in (not_computed_note(t, lang) for t in present) if n]
    return "\n\n".join([text, *skipped])


def district_note(lang: str = "nb") -> str:
    """What the district figures can and cannot say."""
    return labels.t("drug_use.note.districts", lang,
                    district_meaning=labels.t("drug_use.note.district_meaning", lang))
