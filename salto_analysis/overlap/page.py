"""Notebook 02's page: every table computed, titled, graded and protected on a
:class:`salto_analysis.page.Page` (:func:`build`).

Tables keep their codes (``among`` = ``suspects``, ``temporal_order`` = ``victim_first``,
``sex`` = ``total``); the page writes them in words at display
(``value.<column>.<code>`` in :mod:`salto_analysis.labels`). :func:`note_fields` holds
the values the reading notes quote.
"""

from __future__ import annotations

from salto_analysis import labels, plots, schemas
from salto_analysis.page import Page
from salto_analysis.policy import Policy

from .matrix import type_matrix
from .order import left_censoring, temporal_order, time_to_suspect
from .population import EXACT_BELOW, coverage, relative_odds, suspect_shares
from .protect import protect
from .selection import Selection, row_accounting
from .shares import BREAKDOWNS, overlap_shares

__all__ = ["note_fields", "TABLES", "RATIO_COUNT_COLUMNS", "build"]


def note_fields(selection: Selection, policy: Policy) -> dict:
    """The values the notebook's reading notes quote (``overlap.note.*`` in :mod:`salto_analysis.labels`).

    Years, ages, window length, the selected offence types in the page's language, the
    first year of the data, the exact-interval threshold, the confidence level in percent
    and ``min_count``.
    """
    lang = policy.lang
    level = policy.confidence_level * 100
    if set(selection.offence_types) == set(schemas.OFFENCE_TYPE):
        types = labels.t("overlap.all_types", lang)
    else:
        names = [schemas.OFFENCE_TYPE[t][0 if lang == "nb" else 1] for t in selection.offence_types]
        joiner = " og " if lang == "nb" else " and "
        types = names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]
    return {
        "year": selection.year,
        "first": selection.first_window_year,
        "window": selection.window_years,
        "age_min": selection.age_min,
        "age_max": selection.age_max,
        "types": types,
        "first_data_year": selection.first_data_year,
        "exact_below": EXACT_BELOW,
        "level": f"{level:g}".replace(".", ",") if lang == "nb" else f"{level:g}",
        "min_count": policy.min_count,
    }


#: Count columns of the ratio table that the page does not show (the suspect-share table
#: shows the same counts with their meaning); the published table keeps them.
RATIO_COUNT_COLUMNS: tuple[str, ...] = ("numerator", "denominator", "count", "numerator_ref", "denominator_ref",
                                        "count_ref")

#: The tables of notebook 02 in the order they are recorded: title key and how the page uses them
#: (``relative_odds_total`` repeats rows of ``relative_odds`` for the briefing's index only).
TABLES: dict[str, dict] = {
    "shares_total": {"title": "overlap.title.shares_total", "headline": True},
    "shares_by_age_group": {"title": "overlap.title.shares_age_group"},
    "shares_by_sex": {"title": "overlap.title.shares_sex"},
    "shares_by_district": {"title": "overlap.title.shares_district"},
    "coverage": {"title": "overlap.title.coverage"},
    "suspect_shares": {"title": "overlap.title.suspect_shares"},
    "relative_odds": {"title": "overlap.title.relative_odds", "hide": RATIO_COUNT_COLUMNS},
    "relative_odds_total": {"title": "overlap.title.relative_odds_total", "headline": True, "shown": False},
    "temporal_order": {"title": "overlap.title.temporal_order", "headline": True},
    "left_censoring": {"title": "overlap.title.left_censoring"},
    "time_to_suspect": {"title": "overlap.title.time_to_suspect", "digits": 1},
    "type_matrix": {"title": "overlap.title.type_matrix", "pivot": "suspect_type"},
}


def _figure(page: Page):
    return plots.estimates(page["suspect_shares"], "sex", group="victim_status", kind="bar",
                           ylabel=labels.t("overlap.figure.ylabel", page.lang), **page.figure_kw("figure"))


def build(selection: Selection, population, policy: Policy) -> Page:
    """Every table of notebook 02 computed, titled, graded with ``policy`` and protected (:func:`protect`).

    The intervals are shown at ``policy.confidence_level``; the page's figure compares the
    share of suspects among victims and non-victims by sex.
    """
    if not isinstance(policy, Policy):
        raise ValueError(f"policy={policy!r} must be a salto_analysis.policy.Policy (salto_analysis.params.policy)")
    cl = policy.confidence_level
    page = Page(policy=policy, synthetic=bool(selection.synthetic), fields=note_fields(selection, policy))
    raw = {
        "shares_total": overlap_shares(selection, confidence_level=cl),
        **{f"shares_by_{by}": overlap_shares(selection, by, confidence_level=cl) for by in BREAKDOWNS},
        "coverage": coverage(selection, population, confidence_level=cl),
        "suspect_shares": suspect_shares(selection, population, confidence_level=cl),
        "relative_odds": relative_odds(selection, population, confidence_level=cl),
        "temporal_order": temporal_order(selection, confidence_level=cl),
        "left_censoring": left_censoring(selection, confidence_level=cl),
        "time_to_suspect": time_to_suspect(selection, confidence_level=cl),
        "type_matrix": type_matrix(selection, confidence_level=cl),
    }
    for name, table in raw.items():
        page.add(name, table, **TABLES[name])
    page.protect(protect)
    odds = page["relative_odds"]
    page.add("relative_odds_total", odds[(odds["sex"].cat.codes == 0).to_numpy()].reset_index(drop=True),
             grade=False, **TABLES["relative_odds_total"])
    page.arrange(list(TABLES))
    page.add_plain("rows", row_accounting(selection, policy.lang), title="overlap.title.rows")
    page.add_figure("figure", _figure, title="overlap.title.figure")
    return page
