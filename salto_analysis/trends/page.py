"""The page of notebook 01 (registered youth crime): its tables graded and protected, titles,
sentences, figures and reading-note fields, built on :class:`salto_analysis.page.Page`.

The numbers come from :mod:`salto_analysis.trends.yearly` and
:mod:`salto_analysis.trends.districts` (counted by :mod:`salto_analysis.trends.counts`);
:func:`build` grades them with the notebook's policy and protects them across tables
(:func:`protect`), so that the notebook only calls the page's ``show``, ``figure`` and
``sentences``. The tables keep their codes (``counted`` = ``suspects``, ``age_group`` =
``total``, ``district`` = ``city``); the page writes them in words at display.

Cross-table protection
----------------------
Several tables publish the same counts. A cell withheld for privacy in one table
(codes D1/D2) must not be readable in another:

* the headline (:func:`salto_analysis.trends.yearly.level`) is cut from the graded series,
  so both hide the same cells;
* a change (previous year, three-year average, victims year to year) is withheld (D2)
  when a count it uses is withheld in the series it comes from, since the count, the
  rate ratio and the populations together give the hidden count back;
* a row of the offence-modus table is withheld when its offence type is withheld in
  the offence-type table (its denominator is that count);
* a district's comparison with Oslo is withheld when the district is withheld in the
  rate table (all of them when the city row is);
* a district's standardised and smoothed rates are withheld when the district is
  withheld in the rate table, and districts withheld for privacy never enter the models
  (:func:`salto_analysis.trends.districts.used_districts`).

Districts are compared with the whole city by one rule: the funnel limits of
:func:`salto_analysis.trends.districts.comparison` (widened for over-dispersion when it is
present). The funnel figure, the ``funnel_position`` column of ``district_ratios`` and
:meth:`TrendsPage.district_findings` read the same limits. Rank intervals (from the
smoothed rates' posterior, seeded simulation) are added to ``district_ratios`` after the
protection, for rows flagged ``ok`` only.

The trend table publishes each series' total over the period; the series' own
secondary suppression already treats those totals as known (:mod:`salto_analysis.disclosure`),
so it needs nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis import disclosure, formatting, labels, plots, report, sentences, tables
from salto_analysis.estimates import meta_of
from salto_analysis.page import Page
from salto_analysis.policy import Policy

from . import counts, districts, yearly

__all__ = ["TABLES", "FIGURES", "TrendsPage", "build", "protect", "rank", "skipped_tables", "note_fields",
           "accounting", "funnel_fields"]

_CHANGE_HIDE = ("exposure", "exposure_ref", "count_ref", "percent_change", "percent_low", "percent_high")

#: The tables of notebook 01 in the order they are recorded: title key and how the page uses
#: them (the ``*_total`` tables repeat rows of the page's tables for the briefing's index only).
TABLES: dict[str, dict] = {
    "level_total": {"title": "trends.title.level", "headline": True, "shown": False},
    "change_previous_total": {"title": "trends.title.change_previous", "headline": True, "shown": False},
    "change_mean_total": {"title": "trends.title.change_mean", "headline": True, "shown": False},
    "level": {"title": "trends.title.level"},
    "change_previous": {"title": "trends.title.change_previous", "hide": _CHANGE_HIDE},
    "change_mean": {"title": "trends.title.change_mean", "hide": _CHANGE_HIDE},
    "series": {"title": "trends.title.series"},
    "trend": {"title": "trends.title.trend",
              "hide": ("se", "dispersion", "n_periods", "percent_change", "percent_low", "percent_high")},
    "offence_types": {"title": "trends.title.offence_types"},
    "offence_modus": {"title": "trends.title.offence_modus"},
    "districts": {"title": "trends.title.districts"},
    "district_rates": {"title": "trends.title.district_rates", "pivot": "measure", "hide": ("count", "exposure")},
    "district_ratios": {"title": "trends.title.district_ratios",
                        "hide": ("exposure", "rate", "limit_low_95", "limit_high_95", "limit_low_99_8",
                                 "limit_high_99_8", "post_shape", "post_rate", "rankable", "rank", "rank_median")},
    "victims": {"title": "trends.title.victims"},
    "victim_change": {"title": "trends.title.victim_change", "hide": _CHANGE_HIDE},
}
#: The figures of notebook 01 and their title keys.
FIGURES = {"series_suspects": "trends.figure.series_suspects", "series_cases": "trends.figure.series_cases",
           "offence_modus": "trends.figure.offence_modus", "funnel": "trends.figure.funnel",
           "victims": "trends.figure.victims"}


# --------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------
def _ages_text(selection: counts.Selection, lang: str) -> str:
    lo, hi = selection.ages
    return labels.t("trends.ages", lang, low=lo, high=hi)


def _alpha_text(alpha: float, lang: str) -> str:
    """``1 − confidence_level`` with as many decimals as it needs (0,05; 0,002)."""
    digits = next(d for d in range(2, 7) if abs(alpha * 10**d - round(alpha * 10**d)) < 1e-9 or d == 6)
    return formatting.number(alpha, digits, lang)


def _small_text(n: int, key: str, lang: str, min_count: int) -> str:
    """``n`` for a reading note, or "fewer than ``min_count``" when it is a small count."""
    if n == 0:
        return labels.t(f"{key}.none", lang)
    if n < min_count:
        return labels.t(f"{key}.few", lang, min_count=min_count)
    if n == 1:
        return labels.t(f"{key}.one", lang)
    return labels.t(f"{key}.many", lang, n=formatting.number(n, 0, lang))


def note_fields(selection: counts.Selection, policy: Policy) -> dict:
    """The values that titles and reading notes quote (``trends.*`` in :mod:`salto_analysis.labels`).

    Counts of persons or cases quoted in a note (unknown home district, unknown online
    status) are given as "fewer than ``min_count``" when they are from 1 to ``min_count − 1``.
    """
    lang, min_count, level = policy.lang, policy.min_count, policy.confidence_level
    pct = level * 100
    level_text = formatting.number(pct, 0 if float(pct).is_integer() else 1, lang)
    alpha = 1 - level
    crosswalk = ("" if selection.crosswalk is None else
                 labels.t("trends.crosswalk", lang, file=Path(selection.crosswalk.file).name,
                          n_old=len(selection.crosswalk.mapping), n_new=len(selection.crosswalk.order)))
    ref = selection.reference_years
    types = selection.case_types
    online_unknown = int(types.loc[types["online"].isna(), "count"].sum()) if types is not None else 0
    return {
        "year": selection.year, "prev": selection.previous_year, "first": selection.years[0],
        "count_first": selection.count_years[0], "ref_first": ref[0], "ref_last": ref[-1], "n_ref": len(ref),
        "n_years": len(selection.years), "first_data_year": selection.first_data_year,
        "ages": _ages_text(selection, lang), "ci_level": level_text, "min_count": min_count,
        "alpha": _alpha_text(alpha, lang),
        "n_districts": len(selection.district_counts),
        "unknown": _small_text(selection.unknown_district, "trends.unknown", lang, min_count),
        "online_unknown": _small_text(online_unknown, "trends.online_unknown", lang, min_count),
        "crosswalk": crosswalk,
        # replaced by funnel_fields() once the comparison is computed
        "funnel_level": formatting.number(100 * max(districts.FUNNEL_LEVELS), 1, lang), "funnel_adjustment": "",
    }


def accounting(selection: counts.Selection, policy: Policy) -> pd.DataFrame:
    """:func:`salto_analysis.trends.counts.row_accounting` in the policy's language, for the page's frame ``rows``."""
    acc = counts.row_accounting(selection)
    lang = policy.lang
    fields = note_fields(selection, policy)
    return pd.DataFrame({
        labels.t("trends.col.item", lang): [labels.t(f"trends.rows.{k}", lang, **fields) for k in acc["item"]],
        labels.t("trends.col.rows", lang): acc["rows"],
    })


# --------------------------------------------------------------------------------------
# cross-table protection
# --------------------------------------------------------------------------------------
def _hidden_cells(series: pd.DataFrame, keys: list[str]) -> set[tuple]:
    """The ``keys`` values (with ``year``) of the disclosure-withheld rows of a graded series."""
    rows = series.loc[disclosure.disclosed(series), [*keys, "year"]]
    return {tuple(r) for r in rows.astype(object).itertuples(index=False, name=None)}


def _uses_hidden(table: pd.DataFrame, keys: list[str], hidden: set[tuple], years) -> np.ndarray:
    """Rows of ``table`` (one per ``keys`` value) whose count uses a hidden series cell of ``years``."""
    rows = table[keys].astype(object).itertuples(index=False, name=None)
    return np.array([any((*key, y) in hidden for y in years) for key in rows], bool)


def protect(page: Mapping[str, pd.DataFrame], selection: counts.Selection) -> dict[str, pd.DataFrame]:
    """Apply the cross-table protection of the module docstring to the graded tables of the page;
    returns the tables it changed. A change table the page does not have (not computed, see
    :func:`skipped_tables`) needs nothing."""
    out = {}
    hidden = _hidden_cells(page["series"], ["counted", "age_group"])
    for name, years in (("change_previous", (selection.year, selection.previous_year)),
                        ("change_mean", (selection.year, *selection.reference_years))):
        if name in page:
            mask = _uses_hidden(page[name], ["counted", "age_group"], hidden, years)
            out[name] = disclosure.withhold(page[name], mask)
    v_hidden = _hidden_cells(page["victims"], ["counted", "age_group"])
    if "victim_change" in page:
        v = page["victim_change"]
        mask = np.array([(("victims", a, y) in v_hidden) or (("victims", a, y - 1) in v_hidden)
                         for a, y in zip(v["age_group"].astype(object), v["year"])], bool)
        out["victim_change"] = disclosure.withhold(v, mask)
    types = page["offence_types"]
    gone = set(types.loc[disclosure.disclosed(types), "offence_type"].astype(object))
    modus = page["offence_modus"]
    out["offence_modus"] = disclosure.withhold(modus, modus["offence_type"].astype(object).isin(gone).to_numpy())
    rates = page["districts"]
    gone = disclosure.disclosed(rates)
    withheld = set(rates.loc[gone, "district"].astype(object))
    for name in ("district_ratios", "district_rates"):
        if name not in page:
            continue
        t = page[name]
        if gone[-1] and name == "district_ratios":  # the city row: every ratio's reference would give it back
            mask = np.ones(len(t), bool)
        else:
            mask = t["district"].astype(object).isin(withheld).to_numpy()
        out[name] = disclosure.withhold(t, mask)
    return out


def rank(page: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Rank intervals for the protected ``district_ratios`` table (a protector for :meth:`Page.protect`).

    :func:`salto_analysis.small_area.rank_intervals` from the smoothed rates' posterior
    (4,000 seeded draws; 1 = highest rate), for rows flagged ``ok`` only. The interval's
    ends are rounded outward to whole ranks (``rank_low`` down, ``rank_high`` up).
    """
    from salto_analysis import small_area
    from salto_analysis.estimates import meta_of, with_meta

    if "district_ratios" not in page:
        return {}
    t = page["district_ratios"]
    ranked = small_area.rank_intervals(t, area="district", groups=[],
                                       rankable=t["flag"].astype(object).eq("ok").to_numpy())
    out = t.copy()
    for c in ("rankable", "rank", "rank_median"):
        out[c] = ranked[c].to_numpy()
    out["rank_low"] = np.floor(ranked["rank_low"].to_numpy())
    out["rank_high"] = np.ceil(ranked["rank_high"].to_numpy())
    rmeta = meta_of(ranked)
    facts = {k: rmeta.fact(k) for k in ("rank_draws", "rank_seed", "rank_direction", "rank_confidence_level",
                                        "not_ranked")}
    meta = meta_of(t)
    return {"district_ratios": with_meta(out, meta, facts={**dict(meta.facts), **facts})}


# --------------------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------------------
class TrendsPage(Page):
    """Notebook 01's page: the tables of :data:`TABLES`, the figures of :data:`FIGURES`, and the
    sentences made from the change and district tables."""

    def __init__(self, selection: counts.Selection, **kw):
        super().__init__(**kw)
        self.selection = selection

    def sentences(self, name: str, *, total_only: bool = False):
        """The honest sentence (:func:`salto_analysis.sentences.change_sentence`) for each row of a change
        table, as a Markdown list; for ``victim_change`` only the reporting year's rows. ``total_only``:
        only the rows of all ages together (the reviewer layer; the age groups go to the appendix)."""
        if name not in ("change_previous", "change_mean", "victim_change"):
            raise ValueError(f"name={name!r} must be change_previous, change_mean or victim_change")
        if name not in self:  # not computed: show() says why
            return report.text("")
        lang = self.lang
        table = self[name]
        if name == "victim_change":
            table = table[table["year"] == self.selection.year]
        if total_only:
            table = table[table["age_group"].astype(str) == "total"]
        level = self.policy.confidence_level
        subject = labels.t("trends.sentence.subject", lang)
        lines = []
        for _, row in table.iterrows():
            counted = row["counted"] if "counted" in row.index else "victims"
            who = [tables.value_label("counted", counted, lang), tables.value_label("age_group", row["age_group"], lang)]
            text = sentences.change_sentence(row, lang, subject=subject, confidence_level=level)
            if row["flag"] != "suppressed":
                p_col = "p_adjusted" if "p_adjusted" in row.index else "p_value"
                p = formatting.p_value(row[p_col], lang)
                p = p.replace("<", "< ") if p.startswith("<") else "= " + p
                text += "; " + labels.t(f"trends.sentence.{p_col}", lang, p=p)
            lines.append(f"- **{', '.join(who)}:** {text}.")
        return report.text("\n".join(lines))

    def district_findings(self):
        """Which districts are higher or lower than the whole of Oslo, by the funnel's widest limits.

        The same comparison and rule as the funnel figure and the ``funnel_position`` column
        of ``district_ratios``: a district is named when its rate lies outside the widest
        (99.8 %) limit at its population. Withheld districts are not assessed; districts are
        named in district order (never ranked by value).
        """
        lang = self.lang
        if "district_ratios" not in self:
            return report.text(self.skipped("district_ratios") or "")
        t = self["district_ratios"]
        shown = t[t["flag"] != "suppressed"]
        pos = shown["funnel_position"]
        names = {k: [tables.value_label("district", d, lang) for d in shown.loc[sel, "district"]]
                 for k, sel in (("above", pos > 0), ("below", pos < 0))}
        none = labels.t("trends.districts.none", lang)
        return report.text(labels.t("trends.districts.findings", lang, above=", ".join(names["above"]) or none,
                                    below=", ".join(names["below"]) or none,
                                    n_flagged=int((t["flag"] == "suppressed").sum()),
                                    level=self.fields.get("funnel_level", "")))


def _series_figure(code: str, table: str):
    def draw(page: TrendsPage):
        t = page[table]
        part = t[t["counted"].astype(object) == code]
        return plots.estimates(part, "year", group="age_group", kind="line",
                               ylabel=labels.t("trends.figure.per_1000", page.lang),
                               **page.figure_kw("victims" if table == "victims" else f"series_{code}"))
    return draw


def _modus_figure(page: TrendsPage):
    return plots.estimates(page["offence_modus"], "offence_type", group="aspect", kind="bar",
                           **page.figure_kw("offence_modus"))


def _funnel_figure(page: TrendsPage):
    points, reference = districts.funnel_data(page["districts"])
    if int(page.selection.district_counts["count"].sum()) == 0:  # nobody to draw, and no reference rate
        return page.not_shown("trends.not_shown.funnel_none")
    if reference is None or not reference > 0:  # the city row is withheld: no reference line (nor districts)
        return page.not_shown("trends.not_shown.funnel_withheld")
    kw = {}
    if "district_ratios" in page:  # the limits of the comparison table (widened when over-dispersed)
        from salto_analysis import small_area

        table = page["district_ratios"]
        summary = meta_of(table).fact("funnel")[0]

        def limits(n, c):
            curve = small_area.funnel_curve(table, n)
            tag = small_area._level_tag(c)
            return curve[f"limit_low_{tag}"].to_numpy() / 1000, curve[f"limit_high_{tag}"].to_numpy() / 1000

        kw["limits"] = limits
        kw["confidence_levels"] = tuple(meta_of(table).fact("funnel_levels"))
        if summary["adjustment"] != "none":
            kw["limit_note"] = labels.t("trends.funnel.widened", page.lang)
        reference = summary["target"]
    return plots.funnel(points, reference=reference, label="district",
                        ylabel=labels.t("trends.figure.per_1000", page.lang), **kw, **page.figure_kw("funnel"))


def skipped_tables(selection: counts.Selection) -> dict[str, str]:
    """The tables of :data:`TABLES` that cannot be computed from ``selection``, each with the labels
    key of the sentence that says why: a change that needs a year before the register's first
    (a register that starts less than three years before the reporting year), and a trend or a
    year-to-year change from a single year."""
    out = {}
    if not selection.covers([selection.previous_year]):
        out["change_previous"] = "trends.not_shown.no_previous"
    if not selection.covers(selection.reference_years):
        out["change_mean"] = "trends.not_shown.no_reference"
    if len(selection.years) < 2:
        out["trend"] = "trends.not_shown.one_year"
        out["victim_change"] = "trends.not_shown.one_year"
    return out


def _add_district_models(page: TrendsPage, name: str, selection: counts.Selection, policy: Policy) -> None:
    """Add ``district_rates`` (crude, standardised, smoothed side by side) or ``district_ratios``
    (each district against the whole city by the funnel limits), from the graded district table:
    districts withheld for privacy are left out of the models. A model that cannot be fitted
    (too few districts, no suspects) is left out and the page says why."""
    cl = policy.confidence_level
    graded_rates = page["districts"]
    use = districts.used_districts(graded_rates)
    city = graded_rates.iloc[-1]
    target = None if city["flag"] == "suppressed" else float(city["estimate"])
    if name == "district_rates":
        try:
            standard = districts.standardised(selection, confidence_level=cl)
        except ValueError:
            standard = None
        try:
            smooth = districts.smoothed(selection, use, confidence_level=cl) if target else None
        except ValueError:
            smooth = None
        raw = districts.rates(selection, min_count=policy.min_count, confidence_level=cl)
        page.add(name, districts.side_by_side(raw, standard, smooth, year=selection.year,
                                              synthetic=selection.synthetic), **TABLES[name])
        return
    if not target:
        page.skip(name, "trends.not_shown.comparison_withheld")
        return
    if len(use) < 3:
        page.skip(name, "trends.not_shown.comparison_few", n=len(use))
        return
    page.add(name, districts.comparison(selection, target, use, confidence_level=cl), **TABLES[name])


def funnel_fields(page: TrendsPage) -> dict:
    """The fields the district notes quote: the funnel's widest level and which limits were used, and why."""
    lang = page.lang
    levels = districts.FUNNEL_LEVELS
    if "district_ratios" in page:
        levels = meta_of(page["district_ratios"]).fact("funnel_levels")
    widest = 100 * max(levels)
    out = {"funnel_level": formatting.number(widest, 0 if float(widest).is_integer() else 1, lang)}
    if "district_ratios" not in page:
        out["funnel_adjustment"] = ""
        return out
    s = meta_of(page["district_ratios"]).fact("funnel")[0]
    key = "trends.funnel.adjusted" if s["adjustment"] != "none" else "trends.funnel.plain"
    out["funnel_adjustment"] = labels.t(key, lang, phi=formatting.number(s["phi"], 1, lang),
                                        n=s["n_areas"], level=out["funnel_level"])
    return out


def build(selection: counts.Selection, policy: Policy) -> TrendsPage:
    """Every table and figure of notebook 01, graded with ``policy`` and protected.

    The intervals are shown at ``policy.confidence_level``. The ``*_total`` tables are the
    total rows (all chosen age groups) of the headline and change tables, recorded as the
    briefing's headline figures.
    """
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (salto_analysis.params.policy)")
    cl = policy.confidence_level
    page = TrendsPage(selection, policy=policy, synthetic=bool(selection.synthetic),
                      fields=note_fields(selection, policy))
    raw = {
        "series": lambda: yearly.series(selection, confidence_level=cl),
        "change_previous": lambda: yearly.year_change(selection, reference="previous", confidence_level=cl),
        "change_mean": lambda: yearly.year_change(selection, reference="mean", confidence_level=cl),
        "trend": lambda: yearly.trend(selection, confidence_level=cl),
        "offence_types": lambda: yearly.offence_types(selection, confidence_level=cl),
        "offence_modus": lambda: yearly.offence_modus(selection, confidence_level=cl),
        "districts": lambda: districts.rates(selection, min_count=policy.min_count, confidence_level=cl),
        "district_rates": None,
        "district_ratios": None,
        "victims": lambda: yearly.series(selection, ("victims",), confidence_level=cl),
        "victim_change": lambda: yearly.victim_change(selection, confidence_level=cl),
    }
    skipped = skipped_tables(selection)
    for name, make in raw.items():
        if name in skipped:
            page.skip(name, skipped[name])
        elif make is None:
            _add_district_models(page, name, selection, policy)
        else:
            page.add(name, make(), **TABLES[name])
    page.add("level", yearly.level(page["series"], selection.year), grade=False, **TABLES["level"])
    page.protect(lambda tables_: protect(tables_, selection))
    page.protect(rank)
    page.fields.update(funnel_fields(page))
    for name in ("level", "change_previous", "change_mean"):
        if name not in page:
            page.skip(f"{name}_total", None)
            continue
        t = page[name]
        page.add(f"{name}_total", t[(t["age_group"].astype(object) == counts.TOTAL).to_numpy()].reset_index(drop=True),
                 grade=False, **TABLES[f"{name}_total"])
    page.arrange([n for n in TABLES if n in page])
    page.add_plain("rows", accounting(selection, policy), title="trends.title.rows")
    for code in ("suspects", "cases"):
        page.add_figure(f"series_{code}", _series_figure(code, "series"), title=FIGURES[f"series_{code}"])
    page.add_figure("victims", _series_figure("victims", "victims"), title=FIGURES["victims"])
    page.add_figure("offence_modus", _modus_figure, title=FIGURES["offence_modus"])
    page.add_figure("funnel", _funnel_figure, title=FIGURES["funnel"])
    return page
