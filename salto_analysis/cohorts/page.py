"""Everything notebook 03 shows, built, graded and protected in one call: :func:`build` →
:class:`RepeatOffendersPage`, a :class:`salto_analysis.page.Page`.

Every table is built by the modules of :mod:`salto_analysis.cohorts`, titled and graded by
the page under the notebook's policy, and passed through
:func:`salto_analysis.cohorts.protect` (cross-table suppression). The page also writes the
notes whose wording depends on the numbers (censoring, the chance level of the Gini, what
the privacy rules hid) and draws the figures. The notebook only calls it.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from salto_analysis import formatting, labels, plots, report, tables
from salto_analysis.estimates import meta_of
from salto_analysis.page import Page, graded
from salto_analysis.policy import Policy

from . import figures
from .counts import band_table, threshold_series
from .groups import debut_table, left_censoring_table, offence_mix_table, victim_before_table
from .offence_shares import DEFAULT_SEED, as_published, concentration
from .panel import OffenderPanel, accounting_table, check_parameters, prepare, threshold_label
from .privacy import breakdown_shown, breakdown_tables, crossed_breakdown, protect, suppression_summary
from .reregistration_time import coarsened, logrank_table, reregistration, reregistration_at
from .transitions import censoring, transition_table

__all__ = ["RepeatOffendersPage", "build", "TABLES"]

#: The graded tables of the page, in the order recorded, with how the page shows them
#: (display options of :func:`salto_analysis.tables.display`).
TABLES: dict[str, dict] = {
    "offence_bands": {},
    "threshold_series": {},
    "threshold_headline": {"headline": True, "shown": False},
    "top_shares": {"percent": True},
    "group_shares": {"percent": True, "headline": True},
    "gini": {"digits": 2, "percent": False},
    "lorenz": {"percent": True},
    "transitions": {"hide": ["denominator"]},
    "debut_age": {},
    "victim_before": {},
    "left_censored": {},
    "reregistration_curve": {"percent": True},
    "reregistration": {"percent": True},
    "logrank": {"hide": ["count", "denominator", "count_ref", "denominator_ref"]},
    "offence_mix": {},
    "breakdown_sex": {},
    "breakdown_age_group": {},
    "breakdown_district": {},
}
_BREAKDOWNS = ("sex", "age_group", "district")


class RepeatOffendersPage(Page):
    """The repeat-offender page for one reporting year (see :func:`build`)."""

    def __init__(self, *, year: int, thresholds: tuple[int, ...], follow_years: int, age_min: int, age_max: int,
                 first_year: int, accounting: pd.DataFrame, **kw):
        super().__init__(**kw)
        self.year, self.thresholds, self.follow_years = year, thresholds, follow_years
        self.age_min, self.age_max, self.first_year = age_min, age_max, first_year
        self.accounting = accounting
        self.breakdowns: dict[str, pd.DataFrame] = {}
        self.crossed: dict[int, dict[str, int]] = {}

    @property
    def repeat_threshold(self) -> int:
        """The threshold that defines the repeat group of the debut and mix tables (the lowest)."""
        return self.thresholds[0]

    def shown_breakdowns(self) -> list[str]:
        """The breakdown tables with at least one threshold group that survives suppression."""
        return [f"breakdown_{d}" for d in _BREAKDOWNS if f"breakdown_{d}" in self]

    # ------------------------------------------------------------------ text
    # the notes are strings (tests read them); the notebook shows them with markdown()
    def markdown(self, name: str):
        """Note ``name`` (``conventions``, ``concentration``, ``persistence``, ``debut``,
        ``reregistration``, ``logrank``, ``privacy``) as Markdown for the page."""
        notes = {"conventions": self.conventions, "concentration": self.concentration_note,
                 "persistence": self.persistence_note, "debut": self.debut_note,
                 "reregistration": self.reregistration_note, "logrank": self.logrank_note,
                 "privacy": self.privacy_note}
        if name not in notes:
            raise ValueError(f"name={name!r} is not a note of the page; notes: {', '.join(notes)}")
        return report.text(notes[name]())

    def _t(self, key: str, **fields) -> str:
        return labels.t(f"cohorts.{key}", self.lang, **fields)

    def _count(self, n: int) -> str:
        """A count for running text: 1..min_count−1 is written as "fewer than min_count"."""
        if 1 <= n < self.policy.min_count:
            return self._t("text.fewer_than", min_count=self.policy.min_count)
        return formatting.number(n, 0, self.lang)

    def conventions(self) -> str:
        """How offences, ages and groups are counted on this page."""
        groups = ", ".join(f"«{threshold_label(t)}»" if self.lang == "nb" else f"“{threshold_label(t)}”"
                           for t in self.thresholds)
        return self._t("note.conventions", age_min=self.age_min, age_max=self.age_max, groups=groups,
                       year=self.year)

    def concentration_note(self) -> str:
        """What the shares are of, and how much concentration chance alone gives."""
        if "gini" not in self:  # no suspects in the year: the tables say so
            return ""
        gini = self["gini"]
        text = self._t("note.concentration")
        if (gini["flag"] != "suppressed").all() and len(gini):
            lo, hi = meta_of(gini).fact('chance_gini_ci')
            fmt = partial(formatting.number, digits=2, lang=self.lang)
            text += " " + self._t("note.chance_gini", chance=fmt(meta_of(gini).fact('chance_gini')),
                                  chance_ci=f"{fmt(lo)}–{fmt(hi)}", observed=fmt(float(gini["estimate"].iloc[0])),
                                  observed_ci=f"{fmt(float(gini['ci_low'].iloc[0]))}–"
                                              f"{fmt(float(gini['ci_high'].iloc[0]))}",
                                  level=formatting.percent_level(meta_of(gini).confidence_level, self.lang))
        return text + " " + self._t("note.bootstrap", n_boot=meta_of(gini).fact("n_boot"), seed=meta_of(gini).fact("seed"))

    def persistence_note(self) -> str:
        """How the cohorts are followed, and which ones the end of the data cuts short (right censoring)."""
        if "transitions" not in self:  # no cohort to follow: the table says why
            return ""
        t = self["transitions"]
        text = self._t("note.persistence", follow_years=self.follow_years)
        short = censoring(t)
        if short:
            parts = [f"{c} ({k} {self._t('text.year_one' if k == 1 else 'text.years')})"
                     for c, k in sorted(short.items())]
            text += " " + self._t("note.right_censoring", year=self.year, cohorts=", ".join(parts),
                                  follow_years=self.follow_years)
        return text

    def debut_note(self) -> str:
        return self._t("note.debut", first_year=self.first_year, year=self.year)

    def reregistration_note(self) -> str:
        return self._t("note.reregistration", first_year=self.first_year, year=self.year,
                       min_count=self.policy.min_count)

    def logrank_note(self) -> str:
        """The log-rank result in words (or why it cannot be shown)."""
        lr = self["logrank"]
        row = lr.iloc[0]
        if row["flag"] == "suppressed" or pd.isna(row["p_value"]):
            return self._t("note.logrank_hidden")
        fmt = partial(formatting.number, digits=2, lang=self.lang)
        return self._t("note.logrank", p=formatting.p_value(row["p_value"], self.lang), hr=fmt(row["estimate"]),
                       hr_ci=f"{fmt(row['ci_low'])}–{fmt(row['ci_high'])}", level=formatting.percent_level(meta_of(lr).confidence_level, self.lang))

    def privacy_note(self) -> str:
        """What the breakdowns hide, and which ones are therefore not shown."""
        lines = [self._t("note.privacy", min_count=self.policy.min_count)]
        for th in self.crossed:
            # how many cells and why stays internal: the numbers would tell empty cells from small ones
            lines.append("- " + self._t("note.crossed", group=threshold_label(th), min_count=self.policy.min_count))
        for d in _BREAKDOWNS:
            full = self.breakdowns[d]
            shown = self._shown_groups(d)
            for label, part in full.groupby("offence_threshold", observed=True, sort=True):
                if label in shown:
                    continue
                lines.append("- " + self._t("note.breakdown_hidden", group=label,
                                            dimension=tables.column_label(d, self.lang).lower()))
        shown_sex = self._shown_groups("sex")
        for group, u in (meta_of(self.breakdowns["sex"]).fact("not_included") or {}).items():
            if u and group in shown_sex:
                lines.append("- " + self._t("note.sex_unknown", n=self._count(u), group=group))
        return "\n".join(lines)

    def _shown_groups(self, dimension: str) -> set:
        name = f"breakdown_{dimension}"
        return set(self[name]["offence_threshold"].astype(object)) if name in self else set()

    def suppression_summary(self) -> pd.DataFrame:
        """Withheld and uncertain cells per shown table (counts of cells, not of persons)."""
        return suppression_summary({e.title: e.table for e in self.shown() if len(e.table)}, self.lang)

    def suppression_block(self) -> report.Block:
        """:meth:`suppression_summary` as a captioned table for the page."""
        view = tables.plain(self.suppression_summary(), self.lang, title=self._t("note.summary"))
        return report.Block(html=view.to_html(), text=view.to_text())


def _draw(name: str):
    def draw(page: RepeatOffendersPage):
        t, kw = page[name], page.figure_kw(name)
        if name == "offence_bands":
            return plots.estimates(t, "offence_band", kind="bar", **kw)
        if name == "threshold_series":
            return plots.estimates(t, "year", group="offence_threshold", kind="line", **kw)
        if name == "lorenz":
            return figures.lorenz(t, lang=kw["lang"], title=kw["title"])
        if name == "transitions":
            return figures.transitions(t, lang=kw["lang"], title=kw["title"])
        if name == "debut_age":
            return plots.estimates(t, "debut_age", group="repeat_group", kind="bar", **kw)
        if name == "reregistration_curve":
            top = int(t["months"].max()) if len(t) else 12
            return plots.survival(t, time="months", group="debut_age_group", start=0.0, percent=True,
                                  at_times=list(range(0, top + 1, 12)),
                                  xlabel=tables.column_label("months", kw["lang"]), **kw)
        return plots.estimates(t, "offence_type", group="repeat_group", kind="bar", **kw)
    return draw


_FIGURES = ("offence_bands", "threshold_series", "lorenz", "transitions", "debut_age", "reregistration_curve",
            "offence_mix")


def graded_on_offences(tables_: dict[str, pd.DataFrame], counts, policy: Policy) -> dict[str, pd.DataFrame]:
    """The fewer-than-20-events rule (``C3``) of the shares of offences, applied to offences.

    ``top_shares`` and ``group_shares`` are shares of the year's *offences*; their
    ``numerator`` counts the *persons* of the group, which the grading takes for the events.
    The events a share rests on are the offences the group holds: the sum of the ``k``
    largest offence counts (``top_shares``, ``k`` = numerator) or of the counts at or above
    the threshold (``group_shares``). A row flagged only ``C3`` whose group holds at least
    ``policy.unstable_events`` offences is not unstable by that rule (NCHS 2023: the count
    the estimate is based on), so its ``C3`` code is dropped (and the flag is ``ok`` when no
    other code remains). Other codes and withheld rows are left as they are.
    """
    from salto_analysis.policy import join_codes, split_codes

    counts = np.sort(np.asarray(counts))[::-1]
    changed = {}
    for name in ("top_shares", "group_shares"):
        if name not in tables_:
            continue
        table = tables_[name].copy()
        for i, row in table.iterrows():
            codes = split_codes(row["flag_reason"])
            if row["flag"] != "uncertain" or "C3" not in codes or pd.isna(row["numerator"]):
                continue
            if name == "top_shares":
                held = counts[: int(row["numerator"])].sum()
            else:
                held = counts[counts >= int(str(row["offence_threshold"]).rstrip("+"))].sum()
            if held >= policy.unstable_events:
                rest = [c for c in codes if c != "C3"]
                table.at[i, "flag_reason"] = join_codes(rest) if rest else pd.NA
                table.at[i, "flag"] = "uncertain" if rest else "ok"
        table.attrs = tables_[name].attrs
        changed[name] = table
    return changed


def build(register: pd.DataFrame, *, year: int, thresholds=(4, 10), age_max_repeat: int = 17,
          follow_years: int = 3, policy: Policy, n_boot: int = 2000, seed: int = DEFAULT_SEED,
          panel: OffenderPanel | None = None) -> RepeatOffendersPage:
    """Build, grade and protect every table of the repeat-offender page for ``year``.

    ``register`` is the loaded register (:func:`salto_analysis.io.load_register`), ``policy``
    the notebook's :func:`salto_analysis.params.policy` (its language is the page's, its
    ``confidence_level`` the intervals'). The repeat group of the debut and mix tables is
    the lowest threshold (SaLTo's 4+ by default). A prepared ``panel`` may be passed to
    skip :func:`salto_analysis.cohorts.prepare`.
    """
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (see salto_analysis.params.policy)")
    lang = policy.lang
    thresholds, age_max, follow_years = check_parameters(thresholds=thresholds, age_max_repeat=age_max_repeat,
                                                         follow_years=follow_years)
    if panel is None:
        panel = prepare(register, age_max=age_max)
    elif panel.age_max != age_max:
        raise ValueError(f"the panel counts offences up to age {panel.age_max}, not age_max_repeat={age_max}")
    year = panel.check_year(year)
    kw = {"confidence_level": policy.confidence_level}
    rep = thresholds[0]
    # the tables of the reporting year's suspects need at least one (a year without: the page says so)
    of_year = len(panel.counts(year)) > 0
    built = {
        "offence_bands": band_table(panel, year, **kw) if of_year else None,
        "threshold_series": threshold_series(panel, year, thresholds, **kw),
        **dict(zip(("top_shares", "group_shares", "gini", "lorenz"),
                   concentration(panel, year, thresholds, min_count=policy.min_count, n_boot=n_boot, seed=seed,
                                 **kw).tables().values() if of_year else (None,) * 4)),
        "transitions": transition_table(panel, year, thresholds, follow_years=follow_years, **kw),
        "debut_age": debut_table(panel, year, rep, **kw),
        "victim_before": victim_before_table(panel, year, rep, **kw),
        "left_censored": left_censoring_table(panel, year, rep, **kw),
        "reregistration_curve": reregistration(panel, year, min_count=policy.min_count, **kw),
        "logrank": logrank_table(panel, year, **kw),
        "offence_mix": offence_mix_table(panel, year, rep, **kw) if of_year else None,
        **{f"breakdown_{d}": t for d, t in breakdown_tables(panel, year, thresholds, **kw).items()},
    }
    fields = {"year": year, "first": built["threshold_series"]["year"].min(), "group": threshold_label(rep),
              "follow_years": follow_years, "age_min": panel.age_min, "age_max": age_max,
              "min_count": policy.min_count}
    page = RepeatOffendersPage(policy=policy, synthetic=bool(panel.synthetic), fields=fields, year=year,
                               thresholds=thresholds, follow_years=follow_years, age_min=panel.age_min,
                               age_max=age_max, first_year=panel.first_year, accounting=accounting_table(panel, lang))

    def spec(name: str) -> dict:
        return {"title": f"cohorts.title.{name}", **TABLES[name]}

    # tables that are there but hold nothing to show say why instead
    if of_year and not len(built["lorenz"]):
        built["lorenz"] = None
        page.skip("lorenz", "cohorts.not_shown.lorenz")
    if not (built["transitions"]["denominator"] > 0).any():
        built["transitions"] = None
        page.skip("transitions", "cohorts.not_shown.no_cohorts")
    if not len(built["reregistration_curve"]):
        built["reregistration_curve"] = None
        page.skip("reregistration_curve", "cohorts.not_shown.no_curve")
        page.skip("reregistration", None)
    # zero by construction: left_censoring_table counts suspects who were 11 or older in the first
    # year; a suspect of `year` was at most age_max at the offence, so at most age_max + 1 - (year -
    # first_year) then. A structural zero is no estimate: no interval, no flag (issue 12).
    oldest = age_max + 1 - (year - panel.first_year)
    if oldest < 11 and not (built["left_censored"]["numerator"] > 0).any():
        built["left_censored"] = None
        page.skip("left_censored", "cohorts.not_shown.left_censored_structural", before=max(oldest - 1, 0),
                  first_year=panel.first_year)
    for name, table in built.items():
        if table is not None:
            page.add(name, table, **spec(name))
    if of_year:
        page.protect(lambda tables_: graded_on_offences(tables_, panel.counts(year), policy))
    if not of_year:
        for name in ("offence_bands", "top_shares", "offence_mix"):  # the first table of each section says why
            page.skip(name, "cohorts.not_shown.no_suspects_year")
        for name in ("group_shares", "gini", "lorenz"):
            page.skip(name, None)
    for th in thresholds:
        c, _ = graded(crossed_breakdown(panel, year, th, **kw), policy)
        summary = suppression_summary({"x": c}, lang, detail=True).iloc[0].tolist()
        page.crossed[th] = {"cells": summary[1], "hidden": summary[2], "privacy": summary[3],
                            "secondary": summary[4], "reliability": summary[5]}
    page.protect(lambda tables_: protect(tables_, panel, policy))
    # the tables as published: rounded shares, no withheld Lorenz point, a coarsened curve (issue 11)
    page.protect(lambda tables_: {name: as_published(name, t) for name, t in tables_.items()
                                  if name in ("top_shares", "group_shares", "gini", "lorenz")})
    page.protect(lambda tables_: {name: coarsened(t) for name, t in tables_.items() if name == "reregistration_curve"})
    if "lorenz" in page and not len(page["lorenz"]):  # every point withheld, and so left out
        page.skip("lorenz", "cohorts.not_shown.lorenz")
    # derived views of graded tables (same numbers, same flags)
    series = page["threshold_series"]
    page.add("threshold_headline", series[series["year"] == year].reset_index(drop=True), grade=False,
             **spec("threshold_headline"))
    if "reregistration_curve" in page:
        page.add("reregistration", reregistration_at(page["reregistration_curve"]), grade=False,
                 **spec("reregistration"))
    # only the threshold groups whose breakdown survives suppression are shown; the others are told in a note
    names = [n for n in TABLES if not n.startswith("breakdown_") and n in page]
    entries = {d: page.entry(f"breakdown_{d}") for d in _BREAKDOWNS}
    page._entries = {n: e for n, e in page._entries.items() if not n.startswith("breakdown_")}
    for d, e in entries.items():
        page.breakdowns[d] = e.table
        keep = e.table[e.table["offence_threshold"].astype(object).isin(breakdown_shown(e.table))]
        if len(keep):
            page.add(f"breakdown_{d}", keep.reset_index(drop=True), grade=False, **spec(f"breakdown_{d}"))
            names.append(f"breakdown_{d}")
    page.arrange(names)
    page.add_plain("accounting", page.accounting)
    for name in _FIGURES:
        page.add_figure(name, _draw(name), title=f"cohorts.title.{name}")
    return page
