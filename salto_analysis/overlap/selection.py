"""Who is counted: the suspects and victims of the window and their first registrations.

Register rows are used when the age at registration is ``age_min..age_max`` and the
offence type is one of ``offence_types`` (all by default). A person is a **suspect**
(S) or a **victim** (V) if they have such a row in that role in the *window*: the
``window_years`` calendar years up to and including ``year``. **Both** (B = S∩V) means
both roles in the window. Rows outside the window, ages or types are not dropped
silently: :func:`row_accounting` counts them by reason.

A person's **age group, sex and home district come from their first registration in
the window** (earliest date, either role; ties keep file order; sex is the first
non-missing value). Every table of the overlap uses that one definition.

All person-level work is vectorised (NumPy group operations on integer person codes);
no Python loop runs over persons. :class:`Selection` keeps the person frame with
anonymous integer codes only: no identifier leaves :func:`select`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas
from salto_analysis.params import ParameterError

__all__ = ["TYPE_GROUPS", "TYPE_SERIOUSNESS", "TOTAL", "UNKNOWN", "Selection", "check_parameters", "select",
           "row_accounting"]

#: Offence-type groups of the type matrix, in display order. ``other`` holds theft,
#: drugs, vandalism and other offences.
TYPE_GROUPS: tuple[str, ...] = ("violence", "threats", "robbery", "sexual", "other")

#: Seriousness order used to classify a person with several types by the most serious
#: one (Statistics Norway counts persons charged by their most serious offence). The
#: order follows the maximum penalty of the basic offence in the Penal Code 2005:
#: rape §291 (10 years), robbery §327 (6), bodily harm §273 (3), threats §263 (1).
TYPE_SERIOUSNESS: tuple[str, ...] = ("sexual", "robbery", "violence", "threats", "other")

#: Code of the total row or column (:func:`~salto_analysis.overlap.page.label` translates it).
TOTAL = "total"

#: Code of the group of persons without a registered sex.
UNKNOWN = "unknown"

_REQUIRED = ("person_id", "role", "registered_date", "offence_type", "age", "sex", "district", "year")

_NO_DATE = np.iinfo(np.int64).max


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
    def both(self) -> pd.DataFrame:
        """The rows of ``persons`` in both roles in the window (B = S∩V)."""
        p = self.persons
        return p[(p["suspect"] & p["victim"]).to_numpy()]

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
