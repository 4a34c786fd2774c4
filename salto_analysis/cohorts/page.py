"""Everything notebook 03 shows, built and graded in one call: :func:`assess` → :class:`RepeatOffenders`.

Every table is built by the modules of :mod:`salto_analysis.cohorts`, graded with
:func:`salto_analysis.reliability.grade` under the notebook's policy, passed through
:func:`salto_analysis.cohorts.protect` (cross-table suppression), and given a title in the
page's language (``attrs["title"]``). The page also writes the notes whose wording depends on
the numbers (censoring, the chance level of the Gini, what the privacy rules hid) and draws
the figures. The notebook only calls it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from salto_analysis import labels, plots, reliability, report, tables

from . import figures
from .counts import band_table, threshold_series
from .groups import debut_table, left_censoring_table, offence_mix_table, victim_before_table
from .offence_shares import DEFAULT_SEED, concentration
from .panel import OffenderPanel, accounting_table, check_parameters, prepare, threshold_label
from .privacy import breakdown_shown, breakdown_tables, crossed_breakdown, protect, suppression_summary
from .reregistration_time import logrank_table, reregistration, reregistration_at
from .transitions import censoring, transition_table

__all__ = ["RepeatOffenders", "assess", "TABLES"]

#: The graded tables of the page, in the order shown (names are the briefing's record names).
TABLES = (
    "offence_bands", "threshold_series", "threshold_headline", "top_shares", "group_shares", "gini", "lorenz",
    "transitions", "debut_age", "victim_before", "left_censored", "reregistration_curve", "reregistration",
    "logrank", "offence_mix", "breakdown_sex", "breakdown_age_group", "breakdown_district",
)
#: Display options per table (see salto_analysis.tables.display).
_DISPLAY = {
    "top_shares": {"percent": True},
    "group_shares": {"percent": True},
    "gini": {"digits": 2, "percent": False},
    "lorenz": {"percent": True},
    "transitions": {"hide": ["denominator"]},
    "reregistration_curve": {"percent": True, "hide": ["numerator", "events"]},
    "reregistration": {"percent": True, "hide": ["numerator"]},
    "logrank": {"hide": ["count", "denominator", "count_ref", "denominator_ref"]},
}
_BREAKDOWNS = ("sex", "age_group", "district")


@dataclass
class RepeatOffenders:
    """The repeat-offender page for one reporting year (see :func:`assess`)."""

    year: int
    thresholds: tuple[int, ...]
    follow_years: int
    age_min: int
    age_max: int
    first_year: int
    lang: str
    policy: reliability.Policy
    synthetic: bool
    accounting: pd.DataFrame
    graded: dict[str, pd.DataFrame] = field(default_factory=dict)
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)
    crossed: dict[int, dict[str, int]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"RepeatOffenders(year={self.year}, thresholds={list(self.thresholds)}, "
                f"{len(self.graded)} graded tables)")

    # ------------------------------------------------------------------ tables
    @property
    def repeat_threshold(self) -> int:
        """The threshold that defines the repeat group of the debut and mix tables (the lowest)."""
        return self.thresholds[0]

    def table(self, name: str) -> pd.DataFrame:
        """Graded table ``name`` (one of :data:`TABLES`)."""
        try:
            return self.graded[name]
        except KeyError:
            raise ValueError(f"name={name!r} is not a table of the page; tables: {', '.join(self.graded)}") from None

    def title(self, name: str) -> str:
        """The caption of table ``name`` in the page's language."""
        return self.table(name).attrs["title"]

    def shown_breakdowns(self) -> list[str]:
        """The breakdown tables with at least one threshold group that survives suppression."""
        return [f"breakdown_{d}" for d in _BREAKDOWNS if len(self.graded[f"breakdown_{d}"])]

    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        """``(title, table)`` of every table the page shows, for :func:`salto_analysis.report.warning_box`."""
        return [(t.attrs["title"], t) for name, t in self.graded.items()
                if len(t) and name != "threshold_headline"]

    def show(self, name: str) -> report.Block:
        """Table ``name`` formatted for the page (with its title and footnotes)."""
        return report.block(self.table(name), title=self.title(name), lang=self.lang, **_DISPLAY.get(name, {}))

    # ------------------------------------------------------------------ figures
    def figure(self, name: str):
        """The figure of table ``name``; every figure draws intervals and leaves suppressed values out."""
        t, lang, title = self.table(name), self.lang, self.title(name)
        if name == "offence_bands":
            return plots.estimates(t, "offence_band", kind="bar", lang=lang, title=title)
        if name == "threshold_series":
            return plots.estimates(t, "year", group="offence_threshold", kind="line", lang=lang, title=title)
        if name == "lorenz":
            return figures.lorenz(t, lang=lang, title=title)
        if name == "transitions":
            return figures.transitions(t, lang=lang, title=title)
        if name == "debut_age":
            return plots.estimates(t, "debut_age", group="repeat_group", kind="bar", lang=lang, title=title)
        if name == "reregistration_curve":
            top = int(t["months"].max()) if len(t) else 12
            return plots.survival(t, time="months", group="debut_age_group", start=0.0, percent=True, lang=lang,
                                  title=title, at_times=list(range(0, top + 1, 12)),
                                  xlabel=tables.column_label("months", lang))
        if name == "offence_mix":
            return plots.estimates(t, "offence_type", group="repeat_group", kind="bar", lang=lang, title=title)
        raise ValueError(f"name={name!r} has no figure; figures: offence_bands, threshold_series, lorenz, "
                         "transitions, debut_age, reregistration_curve, offence_mix")

    # ------------------------------------------------------------------ text
    def _t(self, key: str, **fields) -> str:
        return labels.t(f"cohorts.{key}", self.lang, **fields)

    def _count(self, n: int) -> str:
        """A count for running text: 1..min_count−1 is written as "fewer than min_count"."""
        if 1 <= n < self.policy.min_count:
            return self._t("text.fewer_than", min_count=self.policy.min_count)
        return tables.format_number(n, 0, self.lang)

    def conventions(self) -> str:
        """How offences, ages and groups are counted on this page."""
        groups = ", ".join(f"«{threshold_label(t)}»" if self.lang == "nb" else f"“{threshold_label(t)}”"
                           for t in self.thresholds)
        return self._t("note.conventions", age_min=self.age_min, age_max=self.age_max, groups=groups,
                       year=self.year)

    def concentration_note(self) -> str:
        """What the shares are of, and how much concentration chance alone gives."""
        gini = self.graded["gini"]
        text = self._t("note.concentration")
        if (gini["flag"] != "suppressed").all() and len(gini):
            lo, hi = gini.attrs["chance_gini_ci"]
            fmt = partial(tables.format_number, digits=2, lang=self.lang)
            text += " " + self._t("note.chance_gini", chance=fmt(gini.attrs["chance_gini"]),
                                  chance_ci=f"{fmt(lo)}–{fmt(hi)}", observed=fmt(float(gini["estimate"].iloc[0])),
                                  observed_ci=f"{fmt(float(gini['ci_low'].iloc[0]))}–"
                                              f"{fmt(float(gini['ci_high'].iloc[0]))}",
                                  level=tables._level_text(gini, self.lang))
        return text + " " + self._t("note.bootstrap", n_boot=gini.attrs["n_boot"], seed=gini.attrs["seed"])

    def persistence_note(self) -> str:
        """How the cohorts are followed, and which ones the end of the data cuts short (right censoring)."""
        t = self.graded["transitions"]
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
        lr = self.graded["logrank"]
        row = lr.iloc[0]
        if row["flag"] == "suppressed" or pd.isna(row["p_value"]):
            return self._t("note.logrank_hidden")
        fmt = partial(tables.format_number, digits=2, lang=self.lang)
        return self._t("note.logrank", p=tables.format_p(row["p_value"], self.lang), hr=fmt(row["estimate"]),
                       hr_ci=f"{fmt(row['ci_low'])}–{fmt(row['ci_high'])}", level=tables._level_text(lr, self.lang))

    def privacy_note(self) -> str:
        """What the breakdowns hide, and which ones are therefore not shown."""
        lines = [self._t("note.privacy", min_count=self.policy.min_count)]
        for th, s in self.crossed.items():
            lines.append("- " + self._t("note.crossed", group=threshold_label(th), cells=s["cells"],
                                        hidden=s["hidden"], privacy=s["privacy"], secondary=s["secondary"],
                                        reliability=s["reliability"], min_count=self.policy.min_count))
        for d in _BREAKDOWNS:
            full = self.breakdowns[d]
            shown = set(self.graded[f"breakdown_{d}"]["offence_threshold"].astype(object))
            for label, part in full.groupby("offence_threshold", observed=True, sort=True):
                if label in shown:
                    continue
                lines.append("- " + self._t("note.breakdown_hidden", group=label, cells=len(part),
                                            dimension=tables.column_label(d, self.lang).lower(),
                                            hidden=int((part["flag"] == "suppressed").sum())))
        sex = self.graded["breakdown_sex"]
        shown_sex = set(sex["offence_threshold"].astype(object))
        for group, u in (sex.attrs.get("not_included") or {}).items():
            if u and group in shown_sex:
                lines.append("- " + self._t("note.sex_unknown", n=self._count(u), group=group))
        return "\n".join(lines)

    def suppression_summary(self) -> pd.DataFrame:
        """Withheld and uncertain cells per shown table (counts of cells, not of persons)."""
        return suppression_summary(dict(self.tables()), self.lang)

    def suppression_block(self) -> report.Block:
        """:meth:`suppression_summary` as a captioned table for the page."""
        view = tables.plain(self.suppression_summary(), self.lang, title=self._t("note.summary"))
        return report.Block(html=view.to_html(), text=view.to_text())


def assess(register: pd.DataFrame, *, year: int, thresholds=(4, 10), age_max_repeat: int = 17,
           follow_years: int = 3, policy: reliability.Policy, confidence_level: float = 0.95, lang: str = "nb",
           n_boot: int = 2000, seed: int = DEFAULT_SEED, panel: OffenderPanel | None = None) -> RepeatOffenders:
    """Build, grade and protect every table of the repeat-offender page for ``year``.

    ``register`` is the loaded register (:func:`salto_analysis.io.load_register`), ``policy``
    the notebook's :func:`salto_analysis.params.policy`. The repeat group of the debut and
    mix tables is the lowest threshold (SaLTo's 4+ by default). A prepared ``panel`` may be
    passed to skip :func:`salto_analysis.cohorts.prepare`. The grading warnings
    (:class:`salto_analysis.reliability.SmallSampleWarning`) are not repeated here: the
    page's warning box lists every flagged number.
    """
    labels.check_lang(lang)
    if not isinstance(policy, reliability.Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy (see salto_analysis.params.policy)")
    thresholds, age_max, follow_years = check_parameters(thresholds=thresholds, age_max_repeat=age_max_repeat,
                                                         follow_years=follow_years)
    if panel is None:
        panel = prepare(register, age_max=age_max)
    elif panel.age_max != age_max:
        raise ValueError(f"the panel counts offences up to age {panel.age_max}, not age_max_repeat={age_max}")
    year = panel.check_year(year)
    kw = {"confidence_level": confidence_level}
    rep = thresholds[0]
    built = {
        "offence_bands": band_table(panel, year, **kw),
        "threshold_series": threshold_series(panel, year, thresholds, **kw),
        **dict(zip(("top_shares", "group_shares", "gini", "lorenz"),
                   concentration(panel, year, thresholds, min_count=policy.min_count, n_boot=n_boot, seed=seed,
                                 **kw).tables().values())),
        "transitions": transition_table(panel, year, thresholds, follow_years=follow_years, **kw),
        "debut_age": debut_table(panel, year, rep, **kw),
        "victim_before": victim_before_table(panel, year, rep, **kw),
        "left_censored": left_censoring_table(panel, year, rep, **kw),
        "reregistration_curve": reregistration(panel, year, min_count=policy.min_count, **kw),
        "logrank": logrank_table(panel, year, **kw),
        "offence_mix": offence_mix_table(panel, year, rep, **kw),
        **{f"breakdown_{d}": t for d, t in breakdown_tables(panel, year, thresholds, **kw).items()},
    }
    # titles first, so that grading's warnings name each table by its title in the page language
    fields = {"year": year, "first": built["threshold_series"]["year"].min(), "group": threshold_label(rep),
              "follow_years": follow_years, "age_min": panel.age_min, "age_max": age_max}

    def titled(name: str, table: pd.DataFrame) -> pd.DataFrame:
        table.attrs["title"] = labels.t(f"cohorts.title.{name}", lang, **fields)
        return table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reliability.SmallSampleWarning)
        graded = {name: reliability.grade(titled(name, t), policy) for name, t in built.items()}
        crossed = {}
        for th in thresholds:
            c = reliability.grade(crossed_breakdown(panel, year, th, **kw), policy)
            summary = suppression_summary({"x": c}, lang).iloc[0].tolist()
            crossed[th] = {"cells": summary[1], "privacy": summary[2], "secondary": summary[3],
                           "reliability": summary[4], "hidden": summary[2] + summary[3] + summary[4]}
    graded = protect(graded, panel, policy)
    # derived views of graded tables (same numbers, same flags)
    series = graded["threshold_series"]
    headline = series[series["year"] == year].reset_index(drop=True)
    headline.attrs = dict(series.attrs)
    graded["threshold_headline"] = titled("threshold_headline", headline)
    graded["reregistration"] = titled("reregistration", reregistration_at(graded["reregistration_curve"]))
    # only the threshold groups whose breakdown survives suppression are shown
    full = {d: graded[f"breakdown_{d}"] for d in _BREAKDOWNS}
    for d, t in full.items():
        keep = t[t["offence_threshold"].astype(object).isin(breakdown_shown(t))].reset_index(drop=True)
        keep.attrs = dict(t.attrs)
        graded[f"breakdown_{d}"] = keep
    return RepeatOffenders(
        year=year, thresholds=thresholds, follow_years=follow_years, age_min=panel.age_min, age_max=age_max,
        first_year=panel.first_year, lang=lang, policy=policy, synthetic=panel.synthetic,
        accounting=accounting_table(panel, lang), graded={n: graded[n] for n in TABLES}, breakdowns=full,
        crossed=crossed)
