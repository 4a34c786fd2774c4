"""The victim–offender overlap in the police register (notebook 02, issue 5).

Children exposed to violence are more likely to offend later: the victim–offender
overlap (Jennings, Piquero & Reingle 2012, *Aggression and Violent Behavior*
17:16–26). This module measures it in the register with intervals; every result is an
estimate table (:mod:`salto_analysis.estimates`) for :func:`salto_analysis.reliability.grade`.

Who is counted (:func:`select`)
-------------------------------
Register rows are used when the age at registration is ``age_min..age_max`` and the
offence type is one of ``offence_types`` (all by default). A person is a **suspect**
(S) or a **victim** (V) if they have such a row in that role in the *window*: the
``window_years`` calendar years up to and including ``year``. **Both** (B = S∩V) means
both roles in the window. Rows outside the window, ages or types are not dropped
silently: :func:`row_accounting` counts them by reason.

A person's **age group, sex and home district come from their first registration in
the window** (earliest date, either role; ties keep file order; sex is the first
non-missing value). Everything below uses that one definition.

What is measured
----------------
1. :func:`overlap_shares`: the share of suspects who were also victims (B/S) and of
   victims who were also suspects (B/V), by age group, sex or district; Wilson
   intervals (Brown, Cai & DasGupta 2001).
2. :func:`relative_odds` and :func:`suspect_shares`: the 2×2 table victim / not victim
   × suspect / not suspect with the **population of the same ages** as denominator. The
   persons not registered are ``population − registered``. Two approximations, stated
   in the notebook: the population counts residents at one date (1 January of
   ``year``) while the window spans several years, so more young people pass through
   these ages than the file shows. This undercounts the non-victims, which pulls the
   odds ratio towards 1. Registered persons may also live elsewhere: only persons whose
   home district is in the population file (and whose sex is registered, as the
   population is by sex) are counted, and :func:`coverage` says how many were left
   out. The odds ratio has Woolf's logit interval and, when a cell is small (under
   ``exact_below``), the exact conditional (Cornfield) interval
   (:func:`salto_analysis.stats.odds_ratio`). The risk ratio P(S | V) / P(S | not V)
   has the Katz log interval (:func:`risk_ratio`). These are associations in
   registered data, not causes.
3. :func:`temporal_order`, :func:`left_censoring`, :func:`time_to_suspect`: among
   persons in both roles, whether the first victim registration came before the first
   suspect registration, after it, or on the same day (which includes the same case).
   The first registrations are looked for in all years of the data up to ``year``, not
   only in the window. The time between them is summarised by quartiles with
   distribution-free order-statistic intervals (:func:`quantile_interval`). History
   before the data starts is unknown (left censoring): :func:`left_censoring` counts the
   persons whose first registration is in the first year of the data.
4. :func:`type_matrix`: persons in both roles by the type of offence they were a victim
   of × the type they were a suspect of, each person classified by their most serious
   type (:data:`TYPE_GROUPS`), with row and column totals so that
   :func:`~salto_analysis.reliability.grade` applies secondary suppression.

All person-level work is vectorised (NumPy group operations on integer person codes);
no Python loop runs over persons. No function returns a person-level row or identifier:
:class:`Selection` keeps the person frame with anonymous integer codes only.

Text: tables are computed with codes (``"victim_first"``, ``"total"``);
:func:`label` turns them into the report language and :func:`graded` labels and grades
in one step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as sps

from salto_analysis import labels, reliability, schemas, stats
from salto_analysis.estimates import estimate_table
from salto_analysis.params import ParameterError

__all__ = [
    "TYPE_GROUPS",
    "TYPE_SERIOUSNESS",
    "ORDER_CATEGORIES",
    "QUANTILES",
    "DAYS_PER_MONTH",
    "EXACT_BELOW",
    "BREAKDOWNS",
    "Selection",
    "check_parameters",
    "select",
    "row_accounting",
    "note_fields",
    "overlap_shares",
    "two_by_two",
    "coverage",
    "suspect_shares",
    "risk_ratio",
    "relative_odds",
    "temporal_order",
    "left_censoring",
    "quantile_interval",
    "time_to_suspect",
    "type_matrix",
    "label",
    "graded",
    "protect",
    "all_tables",
    "TABLES",
    "TableSpec",
    "RATIO_COUNT_COLUMNS",
    "title",
    "shown",
]

#: Offence-type groups of the type matrix, in display order. ``other`` holds theft,
#: drugs, vandalism and other offences.
TYPE_GROUPS: tuple[str, ...] = ("violence", "threats", "robbery", "sexual", "other")
#: Seriousness order used to classify a person with several types by the most serious
#: one (Statistics Norway counts persons charged by their most serious offence). The
#: order follows the maximum penalty of the basic offence in the Penal Code 2005:
#: rape §291 (10 years), robbery §327 (6), bodily harm §273 (3), threats §263 (1).
TYPE_SERIOUSNESS: tuple[str, ...] = ("sexual", "robbery", "violence", "threats", "other")
#: Temporal-order categories among persons in both roles.
ORDER_CATEGORIES: tuple[str, ...] = ("victim_first", "same_day", "suspect_first")
#: Quantiles of the time from first victimisation to first suspect registration.
QUANTILES: dict[str, float] = {"q25": 0.25, "median": 0.5, "q75": 0.75}
#: Days per month (365.25 / 12) for durations in months.
DAYS_PER_MONTH = 365.25 / 12
#: The exact conditional odds-ratio interval is computed when the smallest cell of the
#: 2×2 table is below this. With every cell at 100 or more Woolf's interval agrees
#: with it closely, and the exact one is slow for large tables.
EXACT_BELOW = 100
#: Breakdowns of :func:`overlap_shares`.
BREAKDOWNS: tuple[str, ...] = ("age_group", "sex", "district")

_TOTAL = "total"
_UNKNOWN = "unknown"
_REQUIRED = ("person_id", "role", "registered_date", "offence_type", "age", "sex", "district", "year")
_NO_DATE = np.iinfo(np.int64).max


# --------------------------------------------------------------------------------------
# parameters and selection
# --------------------------------------------------------------------------------------
def check_parameters(*, window_years=3, age_min=10, age_max=22, offence_types=()) -> dict:
    """Check the notebook's own parameters; raise one :class:`~salto_analysis.params.ParameterError`.

    ``window_years`` 1–20; ``age_min`` ≤ ``age_max`` within SaLTo's 10–22;
    ``offence_types`` a list of register offence types (``[]`` or ``"all"`` for all).
    Returns the normalised values (``offence_types`` as a tuple; all types when empty).

    >>> check_parameters(offence_types=["violence"])["offence_types"]
    ('violence',)
    """
    problems = []

    def whole(name, value, lo, hi):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            problems.append(f"{name}={value!r} must be a whole number from {lo} to {hi}")
            return None
        if not lo <= int(value) <= hi:
            problems.append(f"{name}={value!r} must be a whole number from {lo} to {hi}")
            return None
        return int(value)

    w = whole("window_years", window_years, 1, 20)
    lo = whole("age_min", age_min, schemas.SCOPE_AGE_MIN, schemas.SCOPE_AGE_MAX)
    hi = whole("age_max", age_max, schemas.SCOPE_AGE_MIN, schemas.SCOPE_AGE_MAX)
    if lo is not None and hi is not None and lo > hi:
        problems.append(f"age_min={age_min!r} must not exceed age_max={age_max!r}")
    allowed = tuple(schemas.OFFENCE_TYPE)
    if offence_types is None or (isinstance(offence_types, str) and offence_types.strip().lower() in ("", "all")):
        types = allowed
    elif isinstance(offence_types, str) or not isinstance(offence_types, (list, tuple)):
        problems.append(f"offence_types={offence_types!r} must be a list of offence types, e.g. "
                        f"['violence', 'threats'], or [] for all; allowed: {', '.join(allowed)}")
        types = allowed
    else:
        unknown = [t for t in offence_types if t not in allowed]
        if unknown:
            problems.append(f"offence_types={list(offence_types)!r} has unknown type(s) {unknown}; "
                            f"allowed: {', '.join(allowed)}")
        if len(set(offence_types)) != len(offence_types):
            problems.append(f"offence_types={list(offence_types)!r} lists a type more than once")
        types = tuple(t for t in allowed if t in offence_types) or allowed
    if problems:
        if len(problems) == 1:
            raise ParameterError(f"notebook parameter {problems[0]}")
        raise ParameterError(f"{len(problems)} notebook parameters are wrong: " + "; ".join(problems))
    return {"window_years": w, "age_min": lo, "age_max": hi, "offence_types": types}


@dataclass(frozen=True)
class Selection:
    """The persons of one overlap analysis: one row per person, anonymous codes only.

    ``persons`` has one row per person registered in the window, indexed 0..n−1 (no
    identifiers), with columns ``suspect``, ``victim`` (roles in the window),
    ``age_group``, ``sex``, ``district`` (from the first registration in the window),
    ``first_victim``, ``first_suspect``, ``first_registration`` (days since 1970-01-01
    of the first registration in that role, or in any role, in all data years up to
    ``year``; missing when none) and ``victim_type``, ``suspect_type`` (most serious
    :data:`TYPE_GROUPS` type in the window, missing when not in that role).
    ``rows`` counts the register rows by what happened to them (:func:`row_accounting`).
    """

    persons: pd.DataFrame = field(repr=False)
    year: int
    window_years: int
    age_min: int
    age_max: int
    offence_types: tuple[str, ...]
    first_data_year: int
    rows: dict = field(repr=False)
    synthetic: bool = False

    @property
    def first_window_year(self) -> int:
        return self.year - self.window_years + 1

    @property
    def type_groups(self) -> tuple[str, ...]:
        """The :data:`TYPE_GROUPS` that the selected offence types can produce."""
        present = {_type_group(t) for t in self.offence_types}
        return tuple(g for g in TYPE_GROUPS if g in present)

    def __repr__(self) -> str:  # counts of whole groups only, never persons' data
        p = self.persons
        return (f"Selection(year={self.year}, window={self.first_window_year}-{self.year}, "
                f"ages={self.age_min}-{self.age_max}, offence_types={list(self.offence_types)}, "
                f"persons={len(p)}, suspects={int(p['suspect'].sum())}, victims={int(p['victim'].sum())}, "
                f"both={int((p['suspect'] & p['victim']).sum())})")


def _type_group(offence_type: str) -> str:
    return offence_type if offence_type in TYPE_GROUPS else "other"


def _codes(values: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Integer codes of ``values`` into ``categories`` (−1 for missing or other values)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and tuple(values.cat.categories) == categories:
        return values.cat.codes.to_numpy().astype(np.int64)
    return pd.Categorical(values, categories=list(categories)).codes.astype(np.int64)


def _days(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates as whole days since 1970-01-01 (int64) and a mask of missing dates."""
    missing = dates.isna().to_numpy()
    values = dates.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
    days = values.astype("datetime64[D]").astype(np.int64)
    days[missing] = _NO_DATE
    return days, missing


def select(register: pd.DataFrame, *, year: int, window_years: int = 3, age_min: int = 10, age_max: int = 22,
           offence_types: Sequence[str] | None = (), first_data_year: int | None = None) -> Selection:
    """Find the suspects and victims of the window and their first registrations.

    Parameters
    ----------
    register
        The register as :func:`salto_analysis.io.load_register` returns it.
    year
        Reporting year, the last year of the window.
    window_years
        Number of calendar years in the window (default 3: ``year − 2`` to ``year``).
    age_min, age_max
        Ages at registration to include (default SaLTo's 10–22).
    offence_types
        Offence types to include; empty (default) for all.
    first_data_year
        First year of the data (default: the earliest year in ``register``); persons
        first registered in it have an unknown earlier history (left censoring).

    Raises :class:`~salto_analysis.params.ParameterError` for bad parameters and
    ``ValueError`` when the register lacks a column.
    """
    p = check_parameters(window_years=window_years, age_min=age_min, age_max=age_max, offence_types=offence_types)
    if not isinstance(register, pd.DataFrame):
        raise ValueError(f"register must be the register frame from salto_analysis.io.load_register, "
                         f"got {type(register).__name__}")
    missing_cols = [c for c in _REQUIRED if c not in register.columns]
    if missing_cols:
        raise ValueError(f"the register lacks column(s) {missing_cols}; load it with salto_analysis.io.load_register")
    if isinstance(year, (bool, np.bool_)) or not isinstance(year, (int, np.integer)):
        raise ParameterError(f"notebook parameter year={year!r} must be a whole number (resolve 0 with "
                             "params.resolve_year first)")
    year = int(year)
    reg_year = register["year"].to_numpy(dtype="float64", na_value=np.nan)
    if first_data_year is None:
        first_data_year = int(np.nanmin(reg_year)) if np.isfinite(reg_year).any() else year
    first_data_year = int(first_data_year)
    w, lo, hi, types = p["window_years"], p["age_min"], p["age_max"], p["offence_types"]

    # ---- rows: what is used, and why the others are not
    age = register["age"].to_numpy(dtype="float64", na_value=np.nan)
    days, no_date = _days(register["registered_date"])
    role = _codes(register["role"], tuple(schemas.ROLE))
    is_suspect, is_victim = role == 0, role == 1
    offence = _codes(register["offence_type"], tuple(schemas.OFFENCE_TYPE))
    person = register["person_id"]
    invalid = (np.isnan(reg_year) | np.isnan(age) | no_date | ~(is_suspect | is_victim)
               | (offence < 0) | person.isna().to_numpy())
    after = ~invalid & (reg_year > year)
    age_out = ~invalid & ~after & ((age < lo) | (age > hi))
    selected = np.array([t in types for t in schemas.OFFENCE_TYPE] + [False])
    type_out = ~invalid & ~after & ~age_out & ~selected[offence]
    history = ~(invalid | after | age_out | type_out)
    window = history & (reg_year >= year - w + 1)
    rows = {
        "read": len(register),
        "missing_values": int(invalid.sum()),
        "after_year": int(after.sum()),
        "age_outside": int(age_out.sum()),
        "type_not_selected": int(type_out.sum()),
        "before_window": int((history & ~window).sum()),
        "in_window": int(window.sum()),
    }

    # ---- persons: integer codes over the rows of the history (no identifiers kept)
    h = np.flatnonzero(history)
    codes, uniques = pd.factorize(person.iloc[h])
    n = len(uniques)
    del uniques
    d_h, s_h, v_h, w_h = days[h], is_suspect[h], is_victim[h], window[h]

    first_s = np.full(n, _NO_DATE, dtype=np.int64)
    first_v = np.full(n, _NO_DATE, dtype=np.int64)
    np.minimum.at(first_s, codes[s_h], d_h[s_h])
    np.minimum.at(first_v, codes[v_h], d_h[v_h])
    in_s = np.zeros(n, bool)
    in_v = np.zeros(n, bool)
    in_s[codes[w_h & s_h]] = True
    in_v[codes[w_h & v_h]] = True

    # most serious type group per role in the window (index into TYPE_SERIOUSNESS)
    rank_of_type = np.array([TYPE_SERIOUSNESS.index(_type_group(t)) for t in schemas.OFFENCE_TYPE] + [99])
    rank = rank_of_type[offence[h]]
    none = len(TYPE_SERIOUSNESS)
    type_s = np.full(n, none, dtype=np.int64)
    type_v = np.full(n, none, dtype=np.int64)
    np.minimum.at(type_s, codes[w_h & s_h], rank[w_h & s_h])
    np.minimum.at(type_v, codes[w_h & v_h], rank[w_h & v_h])

    # attributes from the first registration in the window (earliest date, file order on ties)
    wi = np.flatnonzero(w_h)
    wi = wi[np.argsort(d_h[wi], kind="stable")]
    keep, first_pos = np.unique(codes[wi], return_index=True)  # persons in the window, ascending code
    first_row = h[wi[first_pos]]
    sex = _codes(register["sex"], tuple(schemas.SEX))[h]
    sex_known = wi[sex[wi] >= 0]
    sex_persons, sex_pos = np.unique(codes[sex_known], return_index=True)
    person_sex = np.full(n, -1, dtype=np.int64)
    person_sex[sex_persons] = sex[sex_known[sex_pos]]

    age_first = register["age"].iloc[first_row].to_numpy(dtype="float64", na_value=np.nan)
    district_names = tuple(schemas.REGISTER["district"].values)
    district = _codes(register["district"], district_names)[first_row]
    sex_cat = pd.Categorical.from_codes(person_sex[keep], categories=list(schemas.SEX))
    persons = pd.DataFrame({
        "suspect": in_s[keep],
        "victim": in_v[keep],
        "age_group": schemas.age_group(pd.Series(age_first)).array,
        "sex": sex_cat,
        "district": pd.Categorical.from_codes(district, categories=list(district_names)),
        "first_victim": _days_or_na(first_v[keep]),
        "first_suspect": _days_or_na(first_s[keep]),
        "victim_type": pd.Categorical.from_codes(_type_codes(type_v[keep]), categories=list(TYPE_GROUPS)),
        "suspect_type": pd.Categorical.from_codes(_type_codes(type_s[keep]), categories=list(TYPE_GROUPS)),
    })
    persons["first_registration"] = _days_or_na(np.minimum(first_v[keep], first_s[keep]))
    return Selection(persons=persons, year=year, window_years=w, age_min=lo, age_max=hi, offence_types=types,
                     first_data_year=first_data_year, rows=rows,
                     synthetic=bool(register.attrs.get("synthetic", False)))


def _days_or_na(days: np.ndarray) -> pd.arrays.IntegerArray:
    missing = days == _NO_DATE
    return pd.arrays.IntegerArray(np.where(missing, 0, days).astype(np.int64), missing)


def _type_codes(rank: np.ndarray) -> np.ndarray:
    """Seriousness ranks (index into TYPE_SERIOUSNESS; ``len`` for none) as codes into TYPE_GROUPS."""
    lookup = np.array([TYPE_GROUPS.index(t) for t in TYPE_SERIOUSNESS] + [-1])
    return lookup[rank]


def row_accounting(selection: Selection, lang: str = "nb") -> pd.DataFrame:
    """What happened to the register rows: a small frame of items (text in ``lang``) and row counts.

    Counts of register rows (registrations), not statistics about persons, as in
    :func:`salto_analysis.io.accounting_table`; they are not broken down by anything and
    are not suppressed. Show it with :func:`salto_analysis.tables.plain`.
    """
    labels.check_lang(lang)
    r = selection.rows
    fields = {"year": selection.year, "first": selection.first_window_year, "age_min": selection.age_min,
              "age_max": selection.age_max}
    items = ["read", "missing_values", "after_year", "age_outside", "type_not_selected", "before_window",
             "in_window"]
    return pd.DataFrame({
        labels.t("overlap.col.item", lang): [labels.t(f"overlap.rows.{k}", lang, **fields) for k in items],
        labels.t("overlap.col.rows", lang): pd.array([r[k] for k in items], dtype="Int64"),
    })


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


# --------------------------------------------------------------------------------------
# 1. overlap shares
# --------------------------------------------------------------------------------------
def _with_total(counts: pd.DataFrame, by: str, categories: Sequence[str]) -> pd.DataFrame:
    """``counts`` (indexed by category) with a total row first, the index as an ordered categorical."""
    total = counts.sum().to_frame().T
    total.index = [_TOTAL]
    out = pd.concat([total, counts])
    out.index = pd.CategoricalIndex(out.index, categories=[_TOTAL, *categories], ordered=True, name=by)
    return out


def _breakdown(persons: pd.DataFrame, by: str) -> tuple[pd.Series, list[str]]:
    """The ``by`` column as text, with ``unknown`` for missing sex, and its ordered categories."""
    col = persons[by]
    values = col.astype("object").where(col.notna(), _UNKNOWN)
    cats = [c for c in col.cat.categories if (col == c).any()]
    if (values == _UNKNOWN).any():
        cats.append(_UNKNOWN)
    return values, cats


def overlap_shares(selection: Selection, by: str | None = None, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of suspects who were also victims, and of victims who were also suspects.

    Column ``among`` is ``suspects`` (B/S: numerator B, denominator S) or ``victims``
    (B/V). With ``by`` (``age_group``, ``sex`` or ``district``) there is one row per
    group and a ``total`` row; missing sex is its own group ``unknown`` so that the
    groups add up to the total. Wilson intervals; ungraded estimate table of kind
    ``proportion`` (``among`` is non-additive, so secondary suppression works within
    each share).
    """
    stats.check_confidence_level(confidence_level)
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"by={by!r} must be None or one of {', '.join(BREAKDOWNS)}")
    p = selection.persons
    both = p["suspect"] & p["victim"]
    frame = pd.DataFrame({"S": p["suspect"].astype(int), "V": p["victim"].astype(int), "B": both.astype(int)})
    if by is None:
        counts = frame.sum().to_frame().T
        groups = []
    else:
        values, cats = _breakdown(p, by)
        counts = _with_total(frame.groupby(values.to_numpy(), sort=False).sum().reindex(cats, fill_value=0),
                             by, cats).reset_index()
        groups = [by]
    parts = []
    for among, den in (("suspects", "S"), ("victims", "V")):
        part = counts.assign(among=among, numerator=counts["B"], denominator=counts[den])
        parts.append(part[["among", *groups, "numerator", "denominator"]])
    data = pd.concat(parts, ignore_index=True)
    data["among"] = pd.Categorical(data["among"], categories=["suspects", "victims"], ordered=True)
    table = stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                   groups=["among", *groups], confidence_level=confidence_level,
                                   measure="overlap_shares", unit="proportion", nonadditive=["among"],
                                   synthetic=selection.synthetic)
    return table


# --------------------------------------------------------------------------------------
# 2. relative odds against the population
# --------------------------------------------------------------------------------------
def _population_year(population: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    need = ("year", "district", "sex", "age", "population")
    missing = [c for c in need if c not in population.columns]
    if missing:
        raise ValueError(f"the population lacks column(s) {missing}; load it with salto_analysis.io.load_population")
    years = population["year"].to_numpy(dtype="float64", na_value=np.nan)
    pop = population[years == selection.year]
    if pop.empty:
        have = sorted({int(y) for y in years[np.isfinite(years)]})
        raise ValueError(f"the population file has no rows for year={selection.year} (it has "
                         f"{', '.join(map(str, have)) or 'no years'}); the overlap needs the population of the "
                         "reporting year as denominator")
    age = pop["age"].to_numpy(dtype="float64", na_value=np.nan)
    return pop[(age >= selection.age_min) & (age <= selection.age_max)]


def two_by_two(selection: Selection, population: pd.DataFrame) -> pd.DataFrame:
    """The 2×2 counts of victims × suspects against the population, overall and by sex.

    One row per ``sex`` (``total``, ``female``, ``male``) with ``population`` (residents
    aged ``age_min..age_max`` on 1 January of ``year``), ``registered`` (S ∪ V with a
    home district in the population file and a registered sex), ``victims``,
    ``suspects``, ``both``, and the cells ``a`` (victim and suspect), ``b`` (victim
    only), ``c`` (suspect only) and ``d`` (neither = population − registered), plus, in
    the ``total`` row, ``left_out_district`` (registered persons whose home district is
    not in the population file) and ``left_out_sex`` (persons with a district in it but
    no registered sex). Persons without a sex are left out of the total too, so that the
    total is the sum of the sexes, as in the population file.

    Raises ``ValueError`` when more persons are registered than live in a group.
    """
    pop = _population_year(population, selection)
    p = selection.persons
    pop_districts = set(pop["district"].astype("object").dropna().unique())
    in_pop = p["district"].astype("object").isin(pop_districts).to_numpy()
    sex = p["sex"].astype("object")
    usable = in_pop & sex.notna().to_numpy()
    rows = []
    for level in (_TOTAL, *schemas.SEX):
        sel = usable if level == _TOTAL else usable & (sex == level).to_numpy()
        q = p[sel]
        n = int(pop["population"].sum() if level == _TOTAL
                else pop.loc[pop["sex"].astype("object") == level, "population"].sum())
        s, v = int(q["suspect"].sum()), int(q["victim"].sum())
        b = int((q["suspect"] & q["victim"]).sum())
        registered = len(q)
        if registered > n:
            raise ValueError(f"{registered} persons registered in the window ({level}) but only {n} residents aged "
                             f"{selection.age_min}-{selection.age_max} in the population file for {selection.year}; "
                             "the population file does not match the register")
        rows.append({"sex": level, "population": n, "registered": registered, "victims": v, "suspects": s,
                     "both": b, "a": b, "b": v - b, "c": s - b, "d": n - registered,
                     "left_out_district": int((~in_pop).sum()) if level == _TOTAL else 0,
                     "left_out_sex": int((in_pop & ~usable).sum()) if level == _TOTAL else 0})
    out = pd.DataFrame(rows)
    out["sex"] = pd.Categorical(out["sex"], categories=[_TOTAL, *schemas.SEX], ordered=True)
    return out


def coverage(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Registered persons left out of the comparison with the population, as shares.

    ``left_out`` ``district_not_in_population``: persons (S ∪ V) whose home district is not
    in the population file (unknown district, or living outside Oslo), out of all
    registered persons; ``sex_unknown`` (only when there are any): persons with such a
    district but without a registered sex, out of those with such a district. Both are
    left out of the comparison (:func:`two_by_two`). Wilson intervals, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    t = two_by_two(selection, population).iloc[0]
    total = len(selection.persons)
    rows = [{"left_out": "district_not_in_population", "numerator": int(t["left_out_district"]),
             "denominator": total}]
    if t["left_out_sex"] > 0:
        rows.append({"left_out": "sex_unknown", "numerator": int(t["left_out_sex"]),
                     "denominator": total - int(t["left_out_district"])})
    data = pd.DataFrame(rows)
    data["left_out"] = pd.Categorical(data["left_out"], categories=["district_not_in_population", "sex_unknown"],
                                    ordered=True)
    return stats.proportion_table(data, numerator="numerator", denominator="denominator", groups=["left_out"],
                                  confidence_level=confidence_level, measure="overlap_coverage",
                                  nonadditive=["left_out"], synthetic=selection.synthetic)


def suspect_shares(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """P(suspect | victim) and P(suspect | not victim), overall and by sex (the figure's numbers).

    ``victim_status`` ``victim``: numerator ``a`` (victims who were suspects), denominator
    victims; ``not_victim``: numerator ``c`` (suspects who were not victims), denominator
    ``population − victims``. Wilson intervals, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    t = two_by_two(selection, population)
    parts = [
        pd.DataFrame({"sex": t["sex"], "victim_status": "victim", "numerator": t["a"], "denominator": t["victims"]}),
        pd.DataFrame({"sex": t["sex"], "victim_status": "not_victim", "numerator": t["c"],
                      "denominator": t["c"] + t["d"]}),
    ]
    data = pd.concat(parts, ignore_index=True)
    data["victim_status"] = pd.Categorical(data["victim_status"], categories=["victim", "not_victim"], ordered=True)
    return stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                  groups=["sex", "victim_status"], confidence_level=confidence_level,
                                  measure="overlap_suspect_shares", synthetic=selection.synthetic)


def risk_ratio(x1, n1, x0, n0, *, confidence_level: float = 0.95) -> stats.Comparison:
    """Risk ratio ``(x1/n1) / (x0/n0)`` with the Katz log interval.

    ``exp(ln RR ± z·sqrt(1/x1 − 1/n1 + 1/x0 − 1/n0))`` (Katz, Baptista, Azen & Pike
    1978, *Biometrics* 34:469–474) and a Wald z-test of ``ln RR = 0``. When ``x1`` or
    ``x0`` is 0, 0.5 is added to each count and 1 to each total (the Haldane–Anscombe
    correction on the 2×2 cells), as :func:`salto_analysis.stats.odds_ratio` does for
    Woolf. Vectorised. Written here because :mod:`salto_analysis.stats` has no risk
    ratio of two proportions.

    Examples
    --------
    Fagerland, Lydersen & Laake (2015), 7/34 vs 1/34, Katz log interval 0.91–54:

    >>> r = risk_ratio(7, 34, 1, 34)
    >>> round(r.estimate, 6), round(r.ci_low, 2), round(r.ci_high, 1)
    (7.0, 0.91, 53.9)
    """
    level = stats.check_confidence_level(confidence_level)
    arrays = []
    for name, v in (("x1", x1), ("n1", n1), ("x0", x0), ("n0", n0)):
        a = np.asarray(v, dtype=float)
        if np.any(~np.isfinite(a)) or np.any(a < 0):
            raise ValueError(f"{name}={v!r} must be finite and non-negative counts")
        arrays.append(a)
    a1, m1, a0, m0 = np.broadcast_arrays(*arrays)
    if np.any(a1 > m1) or np.any(a0 > m0):
        raise ValueError(f"counts cannot exceed their totals: x1={x1!r}, n1={n1!r}, x0={x0!r}, n0={n0!r}")
    zero = (a1 == 0) | (a0 == 0) | (a1 == m1) | (a0 == m0)
    a1c, a0c = a1 + 0.5 * zero, a0 + 0.5 * zero
    m1c, m0c = m1 + 1.0 * zero, m0 + 1.0 * zero
    z = float(sps.norm.ppf(0.5 + level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rr = np.log(a1c / m1c) - np.log(a0c / m0c)
        se = np.sqrt(1 / a1c - 1 / m1c + 1 / a0c - 1 / m0c)
        est, low, high = np.exp(log_rr), np.exp(log_rr - z * se), np.exp(log_rr + z * se)
        p = 2 * sps.norm.sf(np.abs(log_rr) / se)
    empty = (m1 == 0) | (m0 == 0)
    est, low, high, p = (np.where(empty, np.nan, v) for v in (est, low, high, p))
    out = [float(v) if v.ndim == 0 else v for v in (est, low, high, p)]
    return stats.Comparison(*out, statistic="risk ratio",
                            method="Katz log interval (Haldane-Anscombe +0.5 when a cell is zero)",
                            confidence_level=level)


def relative_odds(selection: Selection, population: pd.DataFrame, *, confidence_level: float = 0.95,
                  exact_below: int = EXACT_BELOW) -> pd.DataFrame:
    """Odds ratio and risk ratio of being a suspect for victims against non-victims.

    For each ``sex`` (``total``, ``female``, ``male``) of :func:`two_by_two`,
    ``ratio_type`` is

    * ``odds_ratio_woolf``: ``(a·d)/(b·c)`` with Woolf's logit interval and z-test;
    * ``odds_ratio_exact``: conditional maximum-likelihood estimate, exact conditional
      (Cornfield) interval and Fisher's exact test, as R ``fisher.test``; only when the
      smallest cell is below ``exact_below`` (default :data:`EXACT_BELOW`);
    * ``risk_ratio``: P(S | V) / P(S | not V) with the Katz log interval.

    Columns: ``numerator`` = ``a`` and ``denominator`` = victims (the exposed group),
    ``numerator_ref`` = ``c`` and ``denominator_ref`` = non-victims, and ``count`` /
    ``count_ref`` repeating ``a`` and ``c``: :func:`salto_analysis.reliability.grade`
    grades a ratio on the smallest cell of its 2×2 table (fewer than 10 → suppress,
    fewer than 20 → uncertain) and on its group sizes (the denominators). Kind ``ratio``.
    The ratios describe association in registered data, not cause.
    """
    level = stats.check_confidence_level(confidence_level)
    if isinstance(exact_below, bool) or not isinstance(exact_below, (int, np.integer)) or exact_below < 0:
        raise ValueError(f"exact_below={exact_below!r} must be a whole number >= 0")
    t = two_by_two(selection, population)
    a, b, c, d = (t[k].to_numpy(dtype=float) for k in ("a", "b", "c", "d"))
    tables = np.stack([np.stack([a, b], axis=-1), np.stack([c, d], axis=-1)], axis=-2)  # (k, 2, 2)
    woolf = stats.odds_ratio(tables, confidence_level=level, method="woolf")
    rr = risk_ratio(a, a + b, c, c + d, confidence_level=level)
    base = pd.DataFrame({"sex": t["sex"].astype("object"), "numerator": t["a"], "denominator": t["a"] + t["b"],
                         "numerator_ref": t["c"], "denominator_ref": t["c"] + t["d"], "count": t["a"],
                         "count_ref": t["c"]})
    parts = [base.assign(ratio_type="odds_ratio_woolf", estimate=woolf.estimate, ci_low=woolf.ci_low,
                         ci_high=woolf.ci_high, p_value=woolf.p_value)]
    small = tables.reshape(len(t), 4).min(axis=1) < exact_below
    if small.any():
        exact = stats.odds_ratio(tables[small], confidence_level=level, method="exact")
        parts.append(base[small].assign(ratio_type="odds_ratio_exact", estimate=exact.estimate, ci_low=exact.ci_low,
                                        ci_high=exact.ci_high, p_value=exact.p_value))
    parts.append(base.assign(ratio_type="risk_ratio", estimate=rr.estimate, ci_low=rr.ci_low, ci_high=rr.ci_high,
                             p_value=rr.p_value))
    data = pd.concat(parts, ignore_index=True)
    data["sex"] = pd.Categorical(data["sex"], categories=[_TOTAL, *schemas.SEX], ordered=True)
    data["ratio_type"] = pd.Categorical(data["ratio_type"],
                                       categories=["odds_ratio_woolf", "odds_ratio_exact", "risk_ratio"],
                                       ordered=True)
    data = data.sort_values(["sex", "ratio_type"], kind="stable").reset_index(drop=True)
    return estimate_table(data, groups=["sex", "ratio_type"], kind="ratio", measure="overlap_relative_odds",
                          unit="ratio", method="Woolf logit; exact conditional (Cornfield) when a cell < "
                          f"{exact_below}; Katz log for the risk ratio", confidence_level=level,
                          synthetic=selection.synthetic, exact_below=int(exact_below))


# --------------------------------------------------------------------------------------
# 3. temporal order
# --------------------------------------------------------------------------------------
def _both(selection: Selection) -> pd.DataFrame:
    p = selection.persons
    return p[(p["suspect"] & p["victim"]).to_numpy()]


def _order_codes(both: pd.DataFrame) -> np.ndarray:
    fv = both["first_victim"].to_numpy(dtype="int64")
    fs = both["first_suspect"].to_numpy(dtype="int64")
    return np.where(fv < fs, 0, np.where(fv == fs, 1, 2))


def temporal_order(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Which came first among persons in both roles: victim, suspect, or the same day.

    ``temporal_order`` is ``victim_first`` (first victim registration before the first
    suspect registration), ``same_day`` (both on the same day, which includes being
    registered in both roles in the same case) or ``suspect_first``. First registrations
    are taken over all data years up to ``year`` (not only the window). Numerator: persons
    in the category; denominator: persons in both roles. The ``victim_first`` row is the
    share victimised before their first suspect registration. Wilson intervals, kind
    ``proportion``; the three rows add up to the denominator.
    """
    stats.check_confidence_level(confidence_level)
    both = _both(selection)
    counts = np.bincount(_order_codes(both), minlength=3)
    data = pd.DataFrame({"temporal_order": pd.Categorical(list(ORDER_CATEGORIES), categories=list(ORDER_CATEGORIES),
                                                          ordered=True),
                         "numerator": counts, "denominator": len(both)})
    return stats.proportion_table(data, numerator="numerator", denominator="denominator", groups=["temporal_order"],
                                  confidence_level=confidence_level, measure="overlap_temporal_order",
                                  synthetic=selection.synthetic)


def left_censoring(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Persons in both roles whose first registration falls in the first year of the data.

    Their history before the data starts is unknown, so their temporal order may be
    wrong (left censoring). One row: numerator those persons, denominator all persons
    in both roles. Wilson interval, kind ``proportion``.
    """
    stats.check_confidence_level(confidence_level)
    both = _both(selection)
    first = both["first_registration"].to_numpy(dtype="int64").astype("datetime64[D]")
    first_year = first.astype("datetime64[Y]").astype(np.int64) + 1970
    data = pd.DataFrame({"numerator": [int((first_year == selection.first_data_year).sum())],
                         "denominator": [len(both)]})
    return stats.proportion_table(data, numerator="numerator", denominator="denominator",
                                  confidence_level=confidence_level, measure="overlap_left_censoring",
                                  synthetic=selection.synthetic, first_data_year=selection.first_data_year)


def quantile_interval(values, q, *, confidence_level: float = 0.95) -> tuple:
    """Sample quantiles with distribution-free order-statistic confidence intervals.

    The estimate is the sample quantile of type 7 (linear interpolation, NumPy's and
    R's default; for ``q = 0.5`` the usual median). The interval is
    ``[x_(l), x_(u)]`` between order statistics, with ``K ~ Bin(n, q)`` the number of
    observations below the true quantile: ``l − 1`` is the largest ``k`` with
    ``P(K ≤ k) ≤ α/2`` and ``u − 1`` the smallest ``k`` with ``P(K ≤ k) ≥ 1 − α/2``, so
    the coverage ``P(l ≤ K ≤ u − 1)`` is at least ``1 − α`` for continuous data
    (Conover 1999, *Practical Nonparametric Statistics*, 3rd ed., §3.2; Hahn & Meeker
    1991, *Statistical Intervals*, §5.2). When ``n`` is too small for a limit to exist
    it is missing. Returns ``(estimate, low, high)``: floats for a scalar ``q``, arrays
    for a sequence.

    Examples
    --------
    Median of 10 values at 95%: the interval is ``[x_(2), x_(9)]`` (coverage 0.979).

    >>> est, low, high = quantile_interval(np.arange(1.0, 11.0), 0.5)
    >>> float(est), float(low), float(high)
    (5.5, 2.0, 9.0)
    """
    level = stats.check_confidence_level(confidence_level)
    x = np.sort(np.asarray(values, dtype=float))
    if np.isnan(x).any():
        raise ValueError("values must not contain missing values")
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    if np.any(~((qs > 0) & (qs < 1))):
        raise ValueError(f"q={q!r} must lie strictly between 0 and 1")
    n = len(x)
    if n == 0:
        return _shaped(q, *(np.full(qs.shape, np.nan) for _ in range(3)))
    est = np.quantile(x, qs)
    a = 1 - level
    # l - 1 = largest k with F(k) <= a/2 ; u - 1 = smallest k with F(k) >= 1 - a/2
    k_lo = sps.binom.ppf(a / 2, n, qs)
    l_minus_1 = np.where(sps.binom.cdf(k_lo, n, qs) <= a / 2, k_lo, k_lo - 1)
    lower_rank = l_minus_1 + 1  # 1-based rank of the lower limit; 0 means no lower limit
    upper_rank = sps.binom.ppf(1 - a / 2, n, qs) + 1  # > n means no upper limit
    low = np.where(lower_rank >= 1, x[np.clip(lower_rank.astype(int) - 1, 0, n - 1)], np.nan)
    high = np.where(upper_rank <= n, x[np.clip(upper_rank.astype(int) - 1, 0, n - 1)], np.nan)
    return _shaped(q, est, low, high)


def _shaped(q, *arrays):
    """Floats for a scalar ``q``, arrays otherwise."""
    if np.ndim(q) == 0:
        return tuple(float(a[0]) for a in arrays)
    return arrays


def time_to_suspect(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Months from first victimisation to first suspect registration (victim-first persons).

    Rows ``time_quantile`` ``q25``, ``median``, ``q75`` (:data:`QUANTILES`), each with the
    order-statistic interval of :func:`quantile_interval`; ``denominator`` is the number
    of persons in both roles who were victims first. A month is 365.25/12 days. Only
    persons who became suspects by the end of ``year`` are included, so long times are
    under-represented (right truncation). Kind ``summary``: suppressed when based on
    fewer than 30 persons.
    """
    level = stats.check_confidence_level(confidence_level)
    both = _both(selection)
    first = _order_codes(both) == 0
    days = (both["first_suspect"].to_numpy(dtype="int64")[first]
            - both["first_victim"].to_numpy(dtype="int64")[first]).astype(float)
    est, low, high = quantile_interval(days, list(QUANTILES.values()), confidence_level=level)
    data = pd.DataFrame({
        "time_quantile": pd.Categorical(list(QUANTILES), categories=list(QUANTILES), ordered=True),
        "denominator": len(days),
        "estimate": est / DAYS_PER_MONTH,
        "ci_low": low / DAYS_PER_MONTH,
        "ci_high": high / DAYS_PER_MONTH,
    })
    return estimate_table(data, groups=["time_quantile"], kind="summary", measure="overlap_time_to_suspect",
                          unit="months", method="sample quantile (type 7) with order-statistic interval "
                          "(Conover 1999, section 3.2)", confidence_level=level,
                          disclosure_columns=["denominator"], synthetic=selection.synthetic)


# --------------------------------------------------------------------------------------
# 4. type-specific overlap
# --------------------------------------------------------------------------------------
def type_matrix(selection: Selection, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Persons in both roles by victim-of-type × suspect-of-type, with totals.

    Each person counts once: in the row of the most serious type they were registered
    as a victim of in the window and the column of the most serious type they were
    registered as a suspect of (:data:`TYPE_SERIOUSNESS`). Rows and columns are the
    :data:`TYPE_GROUPS` the selected offence types allow, plus ``total``; cells add up
    to the totals, so grading applies secondary suppression across rows and columns.
    Garwood intervals, kind ``count``.
    """
    stats.check_confidence_level(confidence_level)
    both = _both(selection)
    groups = list(selection.type_groups)
    k = len(TYPE_GROUPS)
    cell = both["victim_type"].cat.codes.to_numpy() * k + both["suspect_type"].cat.codes.to_numpy()
    m = np.bincount(cell, minlength=k * k).reshape(k, k)
    keep = [TYPE_GROUPS.index(g) for g in groups]
    m = m[np.ix_(keep, keep)]
    full = np.zeros((len(groups) + 1, len(groups) + 1), dtype=np.int64)
    full[:-1, :-1] = m
    full[:-1, -1] = m.sum(axis=1)
    full[-1, :-1] = m.sum(axis=0)
    full[-1, -1] = m.sum()
    names = [*groups, _TOTAL]
    vt, st_ = np.meshgrid(np.arange(len(names)), np.arange(len(names)), indexing="ij")
    data = pd.DataFrame({
        "victim_type": pd.Categorical.from_codes(vt.ravel(), categories=names, ordered=True),
        "suspect_type": pd.Categorical.from_codes(st_.ravel(), categories=names, ordered=True),
        "persons": full.ravel(),
    })
    return stats.count_table(data, count="persons", groups=["victim_type", "suspect_type"],
                             confidence_level=confidence_level, measure="overlap_type_matrix", unit="persons",
                             synthetic=selection.synthetic)


# --------------------------------------------------------------------------------------
# presentation
# --------------------------------------------------------------------------------------
#: Columns whose codes :func:`label` translates (keys ``overlap.value.<column>.<code>``).
_LABELLED = ("among", "victim_status", "temporal_order", "ratio_type", "time_quantile", "victim_type", "suspect_type",
             "left_out")


def label(table: pd.DataFrame, lang: str = "nb") -> pd.DataFrame:
    """A copy of an overlap table with its codes in the report language.

    Translates the codes of this module's grouping columns (``among``,
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
            if code in (_TOTAL, _UNKNOWN):
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


# --------------------------------------------------------------------------------------
# cross-table protection and the notebook's tables
# --------------------------------------------------------------------------------------
_DISCLOSURE = re.compile(r"(?:^|; )D[12]:")


def _disclosed(table: pd.DataFrame) -> np.ndarray:
    """Rows suppressed for disclosure (codes D1 or D2), not only for reliability."""
    reason = table["flag_reason"].astype("object").fillna("").astype(str)
    return (table["flag"] == "suppressed").to_numpy() & reason.str.contains(_DISCLOSURE).to_numpy()


def _policy_of(table: pd.DataFrame) -> reliability.Policy:
    pol = dict(table.attrs.get("policy") or {})
    if "total_labels" in pol:
        pol["total_labels"] = tuple(pol["total_labels"])
    return reliability.Policy(**pol)


def _suppress(table: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """Suppress the rows of ``mask`` that are still shown, with code D2, as grade does."""
    new = mask & (table["flag"] != "suppressed").to_numpy()
    if not new.any():
        return table
    out = table.copy()
    out.attrs = dict(table.attrs)
    groups = set(out.attrs.get("groups", []))
    for c in out.columns:
        if c in groups or c in ("flag", "flag_reason") or pd.api.types.is_bool_dtype(out[c]) \
                or not pd.api.types.is_numeric_dtype(out[c]):
            continue
        if pd.api.types.is_integer_dtype(out[c]):
            out[c] = out[c].astype("Int64")
        out.loc[new, c] = pd.NA if str(out[c].dtype) == "Int64" else np.nan
    out.loc[new, "flag"] = "suppressed"
    out.loc[new, "flag_reason"] = reliability.code_text("D2", _policy_of(table))
    codes = set(out.attrs.get("flag_codes", [])) | {"D2"}
    out.attrs["flag_codes"] = [c for c in reliability.CODES if c in codes]
    return out


def _left_out_levels(by_sex: pd.DataFrame | None, total: pd.DataFrame | None, compared: pd.DataFrame) -> set:
    """Sex levels of ``compared`` (suspect_shares) whose left-out counts are small (see :func:`protect`)."""
    if by_sex is None and total is None:
        return set()
    min_count = _policy_of(compared).min_count
    victim = (compared["victim_status"].cat.codes == 0).to_numpy()  # first category: victims
    levels = set()
    for level in compared["sex"].astype("object").unique():
        here = (compared["sex"].astype("object") == level).to_numpy()
        everyone = None
        if by_sex is not None and (by_sex["sex"].astype("object") == level).any():
            everyone = by_sex[(by_sex["sex"].astype("object") == level).to_numpy()]
        elif total is not None and (compared["sex"].cat.codes[here] == 0).all():
            everyone = total
        if everyone is None or not victim[here].any() or not (~victim)[here].any():
            continue
        among = everyone["among"].cat.codes.to_numpy()  # 0: suspects (B/S), 1: victims (B/V)
        s_row, v_row = everyone[among == 0], everyone[among == 1]
        c_vic, c_not = compared[here & victim], compared[here & ~victim]
        num = lambda frame, col: pd.to_numeric(frame[col], errors="coerce").astype("float64").iloc[0]  # noqa: E731
        a, v_pop, c = num(c_vic, "numerator"), num(c_vic, "denominator"), num(c_not, "numerator")
        both, suspects, victims = num(s_row, "numerator"), num(s_row, "denominator"), num(v_row, "denominator")
        d_both, d_victims, d_suspects = both - a, victims - v_pop, suspects - (a + c)
        diffs = np.array([d_both, d_victims, d_suspects, d_suspects + d_victims - d_both])
        if ((diffs >= 1) & (diffs < min_count)).any():  # nan (a withheld figure) never counts
            levels.add(level)
    return levels


def protect(graded_tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Cross-table suppression for the graded overlap tables (keys as in :data:`TABLES`).

    :func:`salto_analysis.reliability.grade` protects each table against its own totals.
    Two pairs of this notebook's tables show the same numbers:

    * ``suspect_shares`` and ``relative_odds`` show the same 2×2 cells for each sex (and
      the total). If either table withholds a row of a sex for disclosure (D1/D2), every
      row of that sex is withheld in both (D2), so the counts of one table cannot undo
      the suppression in the other.
    * ``time_to_suspect`` is based on the persons of the ``victim_first`` row of
      ``temporal_order`` (its denominator). If that row is withheld for disclosure, the
      whole ``time_to_suspect`` table is withheld (D2).

    And the comparison with the population leaves out persons without a home district in
    the population file or without a sex (:func:`two_by_two`), so the difference between
    ``shares_by_sex`` (everyone; ``shares_total`` for the total) and ``suspect_shares`` (the
    persons compared) counts the left-out suspects, victims, persons in both roles and
    persons in either role of each sex. When one of these differences can be worked out
    and is from 1 to ``min_count − 1``, that sex is withheld (D2) in ``suspect_shares``
    and ``relative_odds``.

    ``relative_odds_total`` (the headline rows: the total level) is rebuilt from the
    protected ``relative_odds``. Other tables are returned unchanged.
    """
    out = dict(graded_tables)
    for name, t in out.items():
        if not t.attrs.get("graded"):
            raise ValueError(f"table {name!r} has not been graded; call overlap.graded(table, policy) first")
    if "suspect_shares" in out and "relative_odds" in out:
        shares, odds = out["suspect_shares"], out["relative_odds"]
        levels = set(shares.loc[_disclosed(shares), "sex"].astype("object")) | \
            set(odds.loc[_disclosed(odds), "sex"].astype("object"))
        levels |= _left_out_levels(out.get("shares_by_sex"), out.get("shares_total"), shares)
        if levels:
            out["suspect_shares"] = _suppress(shares, shares["sex"].astype("object").isin(levels).to_numpy())
            out["relative_odds"] = _suppress(odds, odds["sex"].astype("object").isin(levels).to_numpy())
    if "relative_odds" in out:
        odds = out["relative_odds"]
        total = odds[(odds["sex"].cat.codes == 0).to_numpy()].reset_index(drop=True)
        total.attrs = dict(odds.attrs)
        out["relative_odds_total"] = total
    if "temporal_order" in out and "time_to_suspect" in out:
        order = out["temporal_order"]
        first = (order["temporal_order"].cat.codes == 0).to_numpy()
        if _disclosed(order)[first].any():
            time = out["time_to_suspect"]
            out["time_to_suspect"] = _suppress(time, np.ones(len(time), bool))
    return out


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
