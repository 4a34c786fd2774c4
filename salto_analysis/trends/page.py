"""The page of notebook 01 (registered youth crime): its tables graded and protected, titles,
sentences, figures and reading-note fields.

The numbers come from :mod:`salto_analysis.trends.yearly` and :mod:`salto_analysis.trends.districts`
(counted by :mod:`salto_analysis.trends.counts`); this module puts them in the report
language (:func:`label`), grades them with the notebook's policy
(:func:`salto_analysis.reliability.grade`) and protects them across tables (:func:`protect`),
so that the notebook only calls :func:`all_tables`, :func:`show`, :func:`figure` and
:func:`sentences`.

Cross-table protection
----------------------
Several tables publish the same counts. A cell withheld for privacy in one table
(codes D1/D2) must not be readable in another:

* the headline (:func:`salto_analysis.yearly.level`) is cut from the graded series, so
  both hide the same cells;
* a change (previous year, three-year average, victims year to year) is withheld (D2)
  when a count it uses is withheld in the series it comes from, since the count, the
  rate ratio and the populations together give the hidden count back;
* a row of the offence-modus table is withheld when its offence type is withheld in
  the offence-type table (its denominator is that count);
* a district's rate ratio is withheld when the district is withheld in the rate table
  (all of them when the city row is).

The trend table publishes each series' total over the period; the series' own
secondary suppression already treats those totals as known (reliability module
docstring), so it needs nothing more.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from salto_analysis import change, labels, plots, reliability, report, stats, tables

from . import counts, districts, yearly

__all__ = ["TABLES", "TableSpec", "label", "graded", "protect", "all_tables", "title", "shown", "show",
           "sentences", "figure", "note_fields", "accounting", "district_findings"]


@dataclass(frozen=True)
class TableSpec:
    """How notebook 01 uses a table: title key, whether it is a headline on the briefing's index
    page, whether the page shows it (the ``*_total`` tables repeat rows of the page's tables for
    the index only), and the columns the page hides (kept in the published table)."""

    title: str
    headline: bool = False
    shown: bool = True
    hide: tuple[str, ...] = ()


_CHANGE_HIDE = ("exposure", "exposure_ref", "count_ref", "percent_change", "percent_low", "percent_high")

#: The tables of notebook 01, in the order they are shown.
TABLES: dict[str, TableSpec] = {
    "level_total": TableSpec("trends.title.level", headline=True, shown=False),
    "change_previous_total": TableSpec("trends.title.change_previous", headline=True, shown=False),
    "change_mean_total": TableSpec("trends.title.change_mean", headline=True, shown=False),
    "level": TableSpec("trends.title.level"),
    "change_previous": TableSpec("trends.title.change_previous", hide=_CHANGE_HIDE),
    "change_mean": TableSpec("trends.title.change_mean", hide=_CHANGE_HIDE),
    "series": TableSpec("trends.title.series"),
    "trend": TableSpec("trends.title.trend",
                       hide=("se", "dispersion", "n_periods", "percent_change", "percent_low", "percent_high")),
    "offence_types": TableSpec("trends.title.offence_types"),
    "offence_modus": TableSpec("trends.title.offence_modus"),
    "districts": TableSpec("trends.title.districts"),
    "district_ratios": TableSpec("trends.title.district_ratios",
                                 hide=("exposure", "exposure_ref", "count_ref", "percent_change", "percent_low",
                                       "percent_high")),
    "victims": TableSpec("trends.title.victims"),
    "victim_change": TableSpec("trends.title.victim_change", hide=_CHANGE_HIDE),
}
_FIGURES = {"series_suspects": "trends.figure.series_suspects", "series_cases": "trends.figure.series_cases",
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
    return tables.format_number(alpha, digits, lang)


def _small_text(n: int, key: str, lang: str, min_count: int) -> str:
    """``n`` for a reading note, or "fewer than ``min_count``" when it is a small count."""
    if n == 0:
        return labels.t(f"{key}.none", lang)
    if n < min_count:
        return labels.t(f"{key}.few", lang, min_count=min_count)
    if n == 1:
        return labels.t(f"{key}.one", lang)
    return labels.t(f"{key}.many", lang, n=tables.format_number(n, 0, lang))


def note_fields(selection: counts.Selection, lang: str = "nb", *, confidence_level: float = 0.95,
                min_count: int = 5) -> dict:
    """The values that titles and reading notes quote (``trends.*`` in :mod:`salto_analysis.labels`).

    Counts of persons or cases quoted in a note (unknown home district, unknown online
    status) are given as "fewer than ``min_count``" when they are from 1 to ``min_count − 1``.
    """
    labels.check_lang(lang)
    level = stats.check_confidence_level(confidence_level)
    pct = level * 100
    level_text = tables.format_number(pct, 0 if float(pct).is_integer() else 1, lang)
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
    }


def title(name: str, selection: counts.Selection, lang: str = "nb") -> str:
    """Title of table ``name`` of :data:`TABLES`, of a figure (``series_suspects``, ``series_cases``,
    ``offence_modus``, ``funnel``, ``victims``) or of the row accounting (``rows``), in ``lang``."""
    key = TABLES[name].title if name in TABLES else _FIGURES.get(name) or {"rows": "trends.title.rows"}.get(name)
    if key is None:
        raise ValueError(f"name={name!r} is not a table ({', '.join(TABLES)}), a figure ({', '.join(_FIGURES)}) "
                         "or 'rows'")
    return labels.t(key, lang, **note_fields(selection, lang))


def _value(column: str, code, lang: str):
    if column == "counted":
        return labels.t(f"trends.value.counted.{code}", lang)
    if column == "aspect":
        return labels.t(f"trends.value.aspect.{code}", lang)
    if code == counts.TOTAL:
        return labels.t("trends.value.total", lang)
    if code == districts.CITY and column == "district":
        return labels.t("trends.value.city", lang)
    return code


def label(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """A copy of a table with this module's codes in ``lang``: ``counted``, ``aspect``, the total
    row (``total``) and the city row (``city``). Age groups, offence types and districts are
    left for :mod:`salto_analysis.tables`, which translates them from the schemas."""
    labels.check_lang(lang)
    out = table.copy()
    out.attrs = dict(table.attrs)
    for col in out.attrs.get("groups", []):
        s = out[col]
        if not isinstance(s.dtype, pd.CategoricalDtype):
            continue
        mapping = {c: _value(col, c, lang) for c in s.cat.categories}
        if all(mapping[c] == c for c in mapping):
            continue
        out[col] = pd.Categorical(s.astype("object").map(mapping), categories=list(dict.fromkeys(mapping.values())),
                                  ordered=True)
    if "total_labels" in out.attrs:
        out.attrs["total_labels"] = [*out.attrs["total_labels"], labels.t("trends.value.city", lang),
                                     labels.t("trends.value.total", lang)]
    return out


def graded(table: pd.DataFrame, policy: reliability.Policy) -> pd.DataFrame:
    """:func:`label` the table in the policy's language, then grade it.

    The :class:`~salto_analysis.reliability.SmallSampleWarning` of each table is not
    repeated: the page's warning box lists every flagged number.
    """
    if not isinstance(policy, reliability.Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy (salto_analysis.params.policy)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reliability.SmallSampleWarning)
        return reliability.grade(label(table, policy.lang), policy)


# --------------------------------------------------------------------------------------
# cross-table protection
# --------------------------------------------------------------------------------------
def _hidden_cells(series: pd.DataFrame, keys: list[str]) -> set[tuple]:
    """The ``keys`` values (with ``year``) of the disclosure-withheld rows of a graded series."""
    rows = series.loc[reliability.disclosed(series), [*keys, "year"]]
    return {tuple(r) for r in rows.itertuples(index=False, name=None)}


def _uses_hidden(table: pd.DataFrame, keys: list[str], hidden: set[tuple], years) -> np.ndarray:
    """Rows of ``table`` (one per ``keys`` value) whose count uses a hidden series cell of ``years``."""
    rows = table[keys].itertuples(index=False, name=None)
    return np.array([any((*key, y) in hidden for y in years) for key in rows], bool)


def protect(page: Mapping[str, pd.DataFrame], selection: counts.Selection,
            policy: reliability.Policy) -> dict[str, pd.DataFrame]:
    """Apply the cross-table protection of the module docstring to graded tables (names of
    :data:`TABLES`, plus ``series`` and ``victims`` which the others are checked against)."""
    out = dict(page)
    hidden = _hidden_cells(out["series"], ["counted", "age_group"])
    for name, years in (("change_previous", (selection.year, selection.previous_year)),
                        ("change_mean", (selection.year, *selection.reference_years))):
        mask = _uses_hidden(out[name], ["counted", "age_group"], hidden, years)
        out[name] = reliability.withhold(out[name], mask, policy)
    v_hidden = _hidden_cells(out["victims"], ["counted", "age_group"])
    victims_label = labels.t("trends.value.counted.victims", policy.lang)
    v = out["victim_change"]
    mask = np.array([((victims_label, a, y) in v_hidden) or ((victims_label, a, y - 1) in v_hidden)
                     for a, y in zip(v["age_group"], v["year"])], bool)
    out["victim_change"] = reliability.withhold(v, mask, policy)
    types = out["offence_types"]
    gone = set(types.loc[reliability.disclosed(types), "offence_type"])
    modus = out["offence_modus"]
    out["offence_modus"] = reliability.withhold(modus, modus["offence_type"].isin(gone).to_numpy(), policy)
    rates = out["districts"]
    gone = reliability.disclosed(rates)
    ratios = out["district_ratios"]
    if gone[-1]:  # the city row: every ratio's reference would give it back
        mask = np.ones(len(ratios), bool)
    else:
        mask = ratios["district"].isin(set(rates.loc[gone, "district"])).to_numpy()
    out["district_ratios"] = reliability.withhold(ratios, mask, policy)
    return out


def all_tables(selection: counts.Selection, policy: reliability.Policy, *,
               confidence_level: float = 0.95) -> dict[str, pd.DataFrame]:
    """Every table of notebook 01 (names of :data:`TABLES`), labelled, graded and protected.

    The ``*_total`` tables are the total rows (all chosen age groups) of the headline and
    change tables, recorded as the briefing's headline figures.
    """
    if not isinstance(policy, reliability.Policy):
        raise ValueError(f"policy={policy!r} must be a reliability.Policy (salto_analysis.params.policy)")
    cl = stats.check_confidence_level(confidence_level)
    raw = {
        "series": yearly.series(selection, confidence_level=cl),
        "change_previous": yearly.year_change(selection, reference="previous", confidence_level=cl),
        "change_mean": yearly.year_change(selection, reference="mean", confidence_level=cl),
        "trend": yearly.trend(selection, confidence_level=cl),
        "offence_types": yearly.offence_types(selection, confidence_level=cl),
        "offence_modus": yearly.offence_modus(selection, confidence_level=cl),
        "districts": districts.rates(selection, min_count=policy.min_count, confidence_level=cl),
        "district_ratios": districts.ratios(selection, min_count=policy.min_count, confidence_level=cl),
        "victims": yearly.series(selection, ("victims",), confidence_level=cl),
        "victim_change": yearly.victim_change(selection, confidence_level=cl),
    }
    page = {name: graded(t, policy) for name, t in raw.items()}
    page["level"] = yearly.level(page["series"], selection.year)
    page = protect(page, selection, policy)
    total = labels.t("trends.value.total", policy.lang)
    for name in ("level", "change_previous", "change_mean"):
        page[f"{name}_total"] = _rows_of(page[name], page[name]["age_group"] == total)
    return {name: page[name] for name in TABLES}


def _rows_of(table: pd.DataFrame, mask) -> pd.DataFrame:
    """The rows of ``mask`` of a graded table, with its attrs (flags and suppression unchanged)."""
    out = table[np.asarray(mask, bool)].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out


# --------------------------------------------------------------------------------------
# showing
# --------------------------------------------------------------------------------------
def shown(page: Mapping[str, pd.DataFrame], selection: counts.Selection,
          lang: str = "nb") -> list[tuple[str, pd.DataFrame]]:
    """``(title, table)`` pairs of the tables the page shows, for :func:`salto_analysis.report.warning_box`."""
    return [(title(name, selection, lang), page[name]) for name, spec in TABLES.items() if spec.shown and name in page]


def show(page: Mapping[str, pd.DataFrame], name: str, selection: counts.Selection, lang: str = "nb",
         note: str | None = None) -> None:
    """Display table ``name`` with its title, hiding the columns :data:`TABLES` lists."""
    if name not in TABLES:
        raise ValueError(f"name={name!r} is not a table of notebook 01 ({', '.join(TABLES)})")
    report.show(page[name], title=title(name, selection, lang), lang=lang, note=note, hide=TABLES[name].hide)


def accounting(selection: counts.Selection, lang: str = "nb") -> pd.DataFrame:
    """:func:`salto_analysis.trends.counts.row_accounting` in ``lang``, for :func:`salto_analysis.report.show_plain`."""
    acc = counts.row_accounting(selection)
    fields = note_fields(selection, lang)
    return pd.DataFrame({
        labels.t("trends.col.item", lang): [labels.t(f"trends.rows.{k}", lang, **fields) for k in acc["item"]],
        labels.t("trends.col.rows", lang): acc["rows"],
    })


def sentences(page: Mapping[str, pd.DataFrame], name: str, selection: counts.Selection, lang: str = "nb") -> str:
    """The honest sentence (:func:`salto_analysis.change.sentence`) for each row of a change
    table, as a Markdown list; for ``victim_change`` only the reporting year's rows."""
    if name not in ("change_previous", "change_mean", "victim_change"):
        raise ValueError(f"name={name!r} must be change_previous, change_mean or victim_change")
    table = page[name]
    if name == "victim_change":
        table = table[table["year"] == selection.year]
    level = float(table.attrs.get("confidence_level", 0.95))
    subject = labels.t("trends.sentence.subject", lang)
    lines = []
    for _, row in table.iterrows():
        who = [str(row["counted"])] if "counted" in row.index else [str(labels.t("trends.value.counted.victims", lang))]
        who.append(tables.value_label("age_group", row["age_group"], lang))
        text = change.sentence(row, lang, subject=subject, confidence_level=level)
        if row["flag"] != "suppressed":
            p_col = "p_adjusted" if "p_adjusted" in row.index else "p_value"
            p = tables.format_p(row[p_col], lang)
            p = p.replace("<", "< ") if p.startswith("<") else "= " + p
            text += "; " + labels.t(f"trends.sentence.{p_col}", lang, p=p)
        lines.append(f"- **{', '.join(who)}:** {text}.")
    return "\n".join(lines)


def district_findings(page: Mapping[str, pd.DataFrame], lang: str = "nb") -> str:
    """Which districts differ from the rest of the city after the Benjamini–Hochberg adjustment.

    Only rows flagged ``ok`` are named, in district order (never ranked by value); a
    district differs when its adjusted p-value is below ``1 − confidence_level``.
    """
    t = page["district_ratios"]
    level = float(t.attrs.get("confidence_level", 0.95))
    ok = t[(t["flag"] == "ok") & (t["p_adjusted"] < 1 - level)]
    names = {k: [tables.value_label("district", d, lang) for d in ok.loc[sel, "district"]]
             for k, sel in (("above", ok["estimate"] > 1), ("below", ok["estimate"] < 1))}
    none = labels.t("trends.districts.none", lang)
    alpha = 1 - level
    return labels.t("trends.districts.findings", lang, above=", ".join(names["above"]) or none,
                    below=", ".join(names["below"]) or none, n_flagged=int((t["flag"] != "ok").sum()),
                    alpha=_alpha_text(alpha, lang))


def figure(page: Mapping[str, pd.DataFrame], name: str, selection: counts.Selection, lang: str = "nb"):
    """One of the page's figures (see :func:`title` for the names), with intervals; flagged
    values are faded or left out as :mod:`salto_analysis.plots` does."""
    kw = dict(lang=lang, title=title(name, selection, lang), synthetic=selection.synthetic)
    if name in ("series_suspects", "series_cases", "victims"):
        table = page["victims"] if name == "victims" else page["series"]
        code = {"series_suspects": "suspects", "series_cases": "cases", "victims": "victims"}[name]
        part = table[table["counted"] == labels.t(f"trends.value.counted.{code}", lang)].copy()
        part.attrs = dict(table.attrs)
        return plots.estimates(part, "year", group="age_group", kind="line",
                               ylabel=labels.t("trends.figure.per_1000", lang), **kw)
    if name == "offence_modus":
        return plots.estimates(page["offence_modus"], "offence_type", group="aspect", kind="bar", **kw)
    if name == "funnel":
        points, reference = districts.funnel_data(page["districts"])
        return plots.funnel(points, reference=reference, label="district",
                            ylabel=labels.t("trends.figure.per_1000", lang), **kw)
    raise ValueError(f"name={name!r} is not a figure of notebook 01 ({', '.join(_FIGURES)})")
