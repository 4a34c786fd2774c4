"""Notebook 02's page: the report language, the titles and every table graded and protected.

Tables are computed with codes (``"victim_first"``, ``"total"``); :func:`label` turns
them into the report language, :func:`graded` labels and grades in one step, and
:func:`all_tables` computes, titles, grades and protects every table of :data:`TABLES`.
:func:`note_fields` holds the values the reading notes quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salto_analysis import labels, reliability, schemas, stats

from .matrix import type_matrix
from .order import left_censoring, temporal_order, time_to_suspect
from .population import EXACT_BELOW, coverage, relative_odds, suspect_shares
from .protect import protect
from .selection import TOTAL, UNKNOWN, Selection
from .shares import BREAKDOWNS, overlap_shares

__all__ = ["note_fields", "label", "graded", "TableSpec", "TABLES", "RATIO_COUNT_COLUMNS", "title", "shown",
           "all_tables"]


def note_fields(selection: Selection, lang: str = "nb", *, confidence_level: float = 0.95,
                min_count: int = 5) -> dict:
    """The values the notebook's reading notes quote (``overlap.note.*`` in :mod:`salto_analysis.labels`).

    Years, ages, window length, the selected offence types in ``lang``, the first year
    of the data, the exact-interval threshold, the confidence level in percent and
    ``min_count``.
    """
    labels.check_lang(lang)
    level = stats.check_confidence_level(confidence_level) * 100
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
        "min_count": min_count,
    }


#: Columns whose codes :func:`label` translates (keys ``overlap.value.<column>.<code>``).
_LABELLED = ("among", "victim_status", "temporal_order", "ratio_type", "time_quantile", "victim_type", "suspect_type",
             "left_out")


def label(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """A copy of an overlap table with its codes in the report language.

    Translates the codes of the overlap tables' grouping columns (``among``,
    ``temporal_order``, ``ratio_type``, ``victim_type`` ...), ``total`` and ``unknown`` in
    any grouping column, and ``attrs["measure"]``; a table without ``attrs["title"]`` gets
    the translated measure as its title (the table's name in the warnings of
    :func:`salto_analysis.reliability.grade`). Other values (age groups, sexes,
    districts) are left for :mod:`salto_analysis.tables`, which translates them from the
    schemas. Categories keep their order.
    """
    labels.check_lang(lang)
    out = table.copy()
    out.attrs = dict(table.attrs)
    for col in out.attrs.get("groups", []):
        if col not in out.columns:
            continue
        s = out[col]
        cats = list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype) else list(pd.unique(s.dropna()))

        def text(code, col=col):
            key = f"overlap.value.{col}.{code}"
            if col in _LABELLED and key in labels.TEXT:
                return labels.t(key, lang)
            if code in (TOTAL, UNKNOWN):
                return labels.t(f"overlap.value.{code}", lang)
            return code

        mapping = {c: text(c) for c in cats}
        if all(mapping[c] == c for c in cats):
            continue
        new_cats = list(dict.fromkeys(mapping[c] for c in cats))
        out[col] = pd.Categorical(s.astype("object").map(mapping), categories=new_cats, ordered=True)
    measure = out.attrs.get("measure")
    if isinstance(measure, str) and f"overlap.measure.{measure}" in labels.TEXT:
        out.attrs["measure"] = labels.t(f"overlap.measure.{measure}", lang)
        out.attrs.setdefault("title", out.attrs["measure"])
    return out


def graded(table: pd.DataFrame, policy: reliability.Policy) -> pd.DataFrame:
    """:func:`label` the table in the policy's language, then :func:`salto_analysis.reliability.grade` it."""
    if not isinstance(policy, reliability.Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy (salto_analysis.params.policy)")
    return reliability.grade(label(table, policy.lang), policy)


@dataclass(frozen=True)
class TableSpec:
    """How notebook 02 uses one table: its title (key in :mod:`salto_analysis.labels`),
    whether it is a headline on the briefing's index page, and whether the page shows it
    (``relative_odds_total`` repeats rows of ``relative_odds`` for the index only)."""

    title: str
    headline: bool = False
    shown: bool = True


#: The tables of notebook 02, in the order they are shown.
TABLES: dict[str, TableSpec] = {
    "shares_total": TableSpec("overlap.title.shares_total", headline=True),
    "shares_by_age_group": TableSpec("overlap.title.shares_age_group"),
    "shares_by_sex": TableSpec("overlap.title.shares_sex"),
    "shares_by_district": TableSpec("overlap.title.shares_district"),
    "coverage": TableSpec("overlap.title.coverage"),
    "suspect_shares": TableSpec("overlap.title.suspect_shares"),
    "relative_odds": TableSpec("overlap.title.relative_odds"),
    "relative_odds_total": TableSpec("overlap.title.relative_odds_total", headline=True, shown=False),
    "temporal_order": TableSpec("overlap.title.temporal_order", headline=True),
    "left_censoring": TableSpec("overlap.title.left_censoring"),
    "time_to_suspect": TableSpec("overlap.title.time_to_suspect"),
    "type_matrix": TableSpec("overlap.title.type_matrix"),
}

_OTHER_TITLES = {"figure": "overlap.title.figure", "rows": "overlap.title.rows"}

#: Count columns of the ratio table that the page does not show (the suspect-share table
#: shows the same counts with their meaning); the published table keeps them.
RATIO_COUNT_COLUMNS: tuple[str, ...] = ("numerator", "denominator", "count", "numerator_ref", "denominator_ref",
                                        "count_ref")


def title(name: str, selection: Selection, lang: str = "nb") -> str:
    """The title of table ``name`` of :data:`TABLES`, of the row accounting (``"rows"``) or of
    the figure (``"figure"``), in ``lang``."""
    key = _OTHER_TITLES.get(name) or (TABLES[name].title if name in TABLES else None)
    if key is None:
        raise ValueError(f"name={name!r} is not a table of notebook 02 ({', '.join(TABLES)}), 'rows' or 'figure'")
    return labels.t(key, lang, **note_fields(selection, lang))


def shown(tables_: Mapping[str, pd.DataFrame], selection: Selection,
          lang: str = "nb") -> list[tuple[str, pd.DataFrame]]:
    """``(title, table)`` pairs of the tables the page shows, for :func:`salto_analysis.report.warning_box`."""
    return [(title(name, selection, lang), tables_[name]) for name, spec in TABLES.items()
            if spec.shown and name in tables_]


def all_tables(selection: Selection, population: pd.DataFrame, policy: reliability.Policy, *,
               confidence_level: float = 0.95) -> dict[str, pd.DataFrame]:
    """Every table of notebook 02, labelled, graded and protected (names of :data:`TABLES`).

    The tables are computed at ``confidence_level``, given their page titles in
    ``policy.lang`` (``attrs["title"]``, :func:`title`; also the name in grading
    warnings), labelled, graded with ``policy`` (:func:`graded`) and passed through
    :func:`protect`.
    """
    if not isinstance(policy, reliability.Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy (salto_analysis.params.policy)")
    cl = stats.check_confidence_level(confidence_level)
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
    for name, t in raw.items():
        t.attrs["title"] = title(name, selection, policy.lang)
    out = protect({name: graded(t, policy) for name, t in raw.items()})
    out["relative_odds_total"].attrs["title"] = title("relative_odds_total", selection, policy.lang)
    return {name: out[name] for name in TABLES}
