"""The offender panel: person-year offence counts built once from the register, and shared helpers.

:func:`prepare` turns the loaded register into an :class:`OffenderPanel`; every table builder
of :mod:`salto_analysis.cohorts` starts from it. Also here: the labels of count groups
(``"4+"``, ``"1–3"``), the check of the notebook's own parameters, and the small helpers
that build estimate tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salto_analysis import labels, schemas, stats
from salto_analysis.estimates import estimate_table

__all__ = [
    "BANDS",
    "DEBUT_AGES",
    "DEBUT_AGE_GROUPS",
    "OffenderPanel",
    "band_label",
    "threshold_label",
    "below_label",
    "check_parameters",
    "prepare",
    "accounting_table",
]

#: Offence-count bands of the reporting year: (label, lowest, highest or None).
BANDS: tuple[tuple[str, int, int | None], ...] = (("1", 1, 1), ("2–3", 2, 3), ("4–9", 4, 9), ("10+", 10, None))
#: Age bands at the first registration (debut).
DEBUT_AGES: tuple[tuple[str, int, int], ...] = (("10–12", 10, 12), ("13–14", 13, 14), ("15–17", 15, 17))
#: Debut age groups of the re-registration curves (SaLTo's age groups under 18).
DEBUT_AGE_GROUPS: tuple[tuple[str, int, int], ...] = (("10–14", 10, 14), ("15–17", 15, 17))


# --------------------------------------------------------------------------------------
# labels of count groups
# --------------------------------------------------------------------------------------
def band_label(lo: int, hi: int | None) -> str:
    """``"4+"`` for an open band, ``"2–3"`` for a closed one, ``"1"`` for a single value."""
    if hi is None:
        return f"{lo}+"
    return f"{lo}" if hi == lo else f"{lo}–{hi}"


def threshold_label(threshold: int) -> str:
    """The label of the group at or above ``threshold`` offences, e.g. ``"4+"``."""
    return band_label(int(threshold), None)


def below_label(threshold: int) -> str:
    return band_label(1, int(threshold) - 1)


# --------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------
def check_parameters(*, thresholds, age_max_repeat: int = 17, follow_years: int = 3) -> tuple[tuple[int, ...], int, int]:
    """Check the notebook's own parameters; return ``(thresholds, age_max_repeat, follow_years)``.

    * ``thresholds``: a non-empty list of distinct whole numbers from 2 to 100 (returned sorted);
    * ``age_max_repeat``: a whole number from 10 to 22 (17: SaLTo counts under-18s);
    * ``follow_years``: a whole number from 1 to ``22 − age_max_repeat`` (persons are not
      followed past age 22, the end of the register's scope).

    Raises :class:`salto_analysis.params.ParameterError` (a ``ValueError``) naming every bad value.

    >>> check_parameters(thresholds=[10, 4])
    ((4, 10), 17, 3)
    """
    from salto_analysis.params import ParameterError

    problems = []

    def whole(v) -> bool:
        return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))

    if isinstance(thresholds, (int, np.integer)) and whole(thresholds):
        thresholds = [thresholds]
    if not isinstance(thresholds, (list, tuple)) or not thresholds:
        problems.append(f"thresholds={thresholds!r} must be a non-empty list of whole numbers such as [4, 10]")
        clean: tuple[int, ...] = ()
    else:
        bad = [v for v in thresholds if not whole(v) or not 2 <= int(v) <= 100]
        if bad:
            problems.append(f"thresholds={list(thresholds)!r} has value(s) {bad} that are not whole numbers "
                            "from 2 to 100 (offences in a year; SaLTo uses 4, the police 10)")
        elif len(set(int(v) for v in thresholds)) != len(thresholds):
            problems.append(f"thresholds={list(thresholds)!r} lists a value more than once")
        clean = tuple(sorted(int(v) for v in thresholds)) if not bad else ()
    if not whole(age_max_repeat) or not 10 <= int(age_max_repeat) <= 22:
        problems.append(f"age_max_repeat={age_max_repeat!r} must be a whole number from 10 to 22 "
                        "(17: SaLTo counts under-18s)")
    if not whole(follow_years) or int(follow_years) < 1:
        problems.append(f"follow_years={follow_years!r} must be a whole number of at least 1")
    elif whole(age_max_repeat) and 10 <= int(age_max_repeat) <= 22 and int(age_max_repeat) + int(follow_years) > 22:
        problems.append(f"follow_years={follow_years!r} with age_max_repeat={age_max_repeat!r} would follow "
                        f"persons past age 22, the end of the register's scope; use at most "
                        f"{22 - int(age_max_repeat)} follow-up years or a lower age_max_repeat")
    if problems:
        if len(problems) == 1:
            raise ParameterError(f"notebook parameter {problems[0]}")
        raise ParameterError(f"{len(problems)} notebook parameters are wrong: " + "; ".join(problems))
    return clean, int(age_max_repeat), int(follow_years)


def check_level(confidence_level: float) -> float:
    return stats.check_confidence_level(confidence_level)


def check_min_count(min_count) -> int:
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ValueError(f"min_count={min_count!r} must be a whole number of at least 1")
    return int(min_count)


# --------------------------------------------------------------------------------------
# the panel
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False, eq=False)
class OffenderPanel:
    """Person-level working data of the repeat-offender analyses. Never display it.

    Built by :func:`prepare`. Persons are integer codes (``0..n−1``), not the register's
    ``person_id``. The frames are:

    ``person_year``
        one row per person and year with a suspect registration in scope: ``person``,
        ``year``, ``offences`` (distinct cases at ages ``age_min..age_max``), ``offences_all``
        (distinct cases at all ages in scope), ``age`` (highest age among the counted
        registrations), ``sex`` and ``district`` (from the person's last counted registration
        that year; ``age``, ``sex``, ``district`` are missing when ``offences`` is 0).
    ``persons``
        one row per person (index = code) who was ever a suspect: ``first_date`` and
        ``first_age`` (first suspect registration in scope), ``next_date`` (first suspect
        registration on a later day, or missing), ``birth_year`` (from the register's
        ``birth_year``; where it is missing, ``year − age`` of the first row, which may be one
        year too late), ``first_victim_date`` (first registration as a victim, or missing).
    ``types``
        unique ``person``, ``year``, ``offence_type`` of the counted registrations.

    ``first_year`` and ``last_year`` are the years the register covers: those of all its rows,
    in any role and at any age (a year without suspects is a year with none, not a year
    outside the data). A register without suspects gives empty frames.
    """

    person_year: pd.DataFrame
    persons: pd.DataFrame
    types: pd.DataFrame
    first_year: int
    last_year: int
    age_min: int
    age_max: int
    accounting: Mapping[str, int] = field(default_factory=dict)
    synthetic: bool = False

    def __repr__(self) -> str:
        return (f"OffenderPanel({len(self.persons):,} suspects, {len(self.person_year):,} person-years, "
                f"{self.first_year}–{self.last_year}, repeat counts at ages {self.age_min}–{self.age_max})")

    __str__ = __repr__

    def _repr_html_(self) -> str:  # never render the frames in a notebook
        return f"<code>{self!r}</code>"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))

    def check_year(self, year) -> int:
        """``year`` if the panel covers it, else ``ValueError`` naming the years it has."""
        if not isinstance(year, (int, np.integer)) or isinstance(year, bool) or not self.first_year <= year <= self.last_year:
            raise ValueError(f"year={year!r} is not in the register, which covers "
                             f"{self.first_year}–{self.last_year}")
        return int(year)

    def counts(self, year: int) -> np.ndarray:
        """Offence counts (``offences`` ≥ 1) of the suspects of ``year``, one value per person."""
        py = self.person_year
        c = py.loc[py["year"].to_numpy() == year, "offences"].to_numpy()
        return c[c > 0]


_REQUIRED = ("case_id", "person_id", "role", "registered_date", "offence_type", "age", "sex", "district",
             "year", "in_scope")


def prepare(register: pd.DataFrame, *, age_min: int = schemas.SCOPE_AGE_MIN, age_max: int = 17) -> OffenderPanel:
    """Build the :class:`OffenderPanel` from a register loaded by :func:`salto_analysis.io.load_register`.

    All steps are vectorised group operations on integer codes (one sort of the suspect
    registrations by person and date, then ``numpy`` reductions over the runs of each person
    and person-year), with no loop over persons and no copy of the register. Rows are excluded, and counted in
    ``panel.accounting``, when they are outside SaLTo's scope (``in_scope`` false: age outside
    10–22) or lack a person, case, date or age. Suspect rows at ages above ``age_max`` are
    kept for follow-up but do not count towards the repeat groups (counted as
    ``suspect_rows_above_age_max``). A person registered twice as a suspect in the same case
    counts once (``duplicate_suspect_rows``).

    Raises ``ValueError`` when a needed column is missing or the ages are bad.
    """
    if not isinstance(register, pd.DataFrame):
        raise ValueError(f"register must be the loaded register (DataFrame), got {type(register).__name__}")
    missing = [c for c in _REQUIRED if c not in register.columns]
    if missing:
        raise ValueError(f"the register lacks column(s) {missing}; load it with salto_analysis.io.load_register")
    for name, value in (("age_min", age_min), ("age_max", age_max)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not 0 <= value <= 120:
            raise ValueError(f"{name}={value!r} must be a whole number of years")
    if age_min > age_max:
        raise ValueError(f"age_min={age_min!r} must not exceed age_max={age_max!r}")

    n_rows = len(register)
    in_scope = register["in_scope"].to_numpy(dtype=bool, na_value=False)
    complete = (register["person_id"].notna() & register["case_id"].notna() & register["registered_date"].notna()
                & register["age"].notna() & register["year"].notna()).to_numpy()
    rows = np.flatnonzero(in_scope & complete)

    def column(name: str) -> np.ndarray:
        return register[name].to_numpy(dtype=np.int64, na_value=-1)[rows]

    def codes(name: str) -> tuple[np.ndarray, list]:
        col = register[name]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype("category")
        return col.cat.codes.to_numpy()[rows], list(col.cat.categories)

    # integer codes and numbers only: no copy of the frame, no object arrays
    person = pd.factorize(register["person_id"].take(rows), sort=False)[0].astype(np.int64)
    n_persons = int(person.max()) + 1 if len(person) else 0
    day = register["registered_date"].to_numpy().astype("datetime64[D]").astype(np.int64)[rows]
    year, age = column("year"), column("age")
    role, role_cats = codes("role")
    suspect = role == (role_cats.index("suspect") if "suspect" in role_cats else -2)
    victim = role == (role_cats.index("victim") if "victim" in role_cats else -2)
    birth = register["birth_year"].to_numpy(dtype=float, na_value=np.nan)[rows] if "birth_year" in register.columns \
        else np.full(len(rows), np.nan)
    birth = np.where(np.isnan(birth), year - age, birth).astype(np.int64)
    sex, sex_cats = codes("sex")
    district, district_cats = codes("district")
    offence, offence_cats = codes("offence_type")

    # the years the register covers: of all its rows (any role, any age), as the reporting year is
    # checked against them (salto_analysis.params.resolve_year)
    covered = register["year"].dropna().to_numpy(dtype=np.int64)
    if not len(covered):
        raise ValueError("the register has no rows with a registration year; nothing to analyse")
    first_year, last_year = int(covered.min()), int(covered.max())

    # suspect registrations, unique per person and case
    s_idx = np.flatnonzero(suspect)
    if not len(s_idx):
        s_idx = np.zeros(0, np.int64)
    case = pd.factorize(register["case_id"].take(rows[s_idx]), sort=False)[0].astype(np.int64)
    if not len(case):
        case = np.zeros(0, np.int64)
    pair = person[s_idx] * (int(case.max(initial=-1)) + 1) + case
    order = np.argsort(pair, kind="stable")
    first_of_pair = np.ones(len(order), bool)
    first_of_pair[1:] = pair[order][1:] != pair[order][:-1]
    duplicates = int((~first_of_pair).sum())
    s_idx = s_idx[np.sort(order[first_of_pair])]

    # one sort by person, then date: persons and person-years are contiguous runs
    first_day = int(day.min(initial=0))
    key = person[s_idx] * (int(day.max(initial=0)) - first_day + 1) + (day[s_idx] - first_day)
    s_idx = s_idx[np.argsort(key, kind="stable")]
    sp, sy, sa, sd = person[s_idx], year[s_idx], age[s_idx], day[s_idx]
    counted = (sa >= age_min) & (sa <= age_max)

    new_person = np.ones(len(sp), bool)
    new_person[1:] = sp[1:] != sp[:-1]
    p_start = np.flatnonzero(new_person)
    new_py = new_person.copy()
    new_py[1:] |= sy[1:] != sy[:-1]
    py_start = np.flatnonzero(new_py)
    pos = np.arange(len(sp))
    off = np.add.reduceat(counted.astype(np.int64), py_start)
    off_all = np.diff(np.append(py_start, len(sp)))
    last = np.maximum.reduceat(np.where(counted, pos, -1), py_start)  # last counted registration
    has = last >= 0
    at = s_idx[np.where(has, last, 0)]
    py_age = pd.array(np.where(has, np.maximum.reduceat(np.where(counted, sa, -1), py_start), 0), dtype="Int64")
    py_age[~has] = pd.NA
    person_year = pd.DataFrame({
        "person": sp[py_start],
        "year": sy[py_start],
        "offences": off,
        "offences_all": off_all,
        "age": py_age,
        "sex": pd.Categorical.from_codes(np.where(has, sex[at], -1), categories=sex_cats),
        "district": pd.Categorical.from_codes(np.where(has, district[at], -1), categories=district_cats),
    })

    # persons: first suspect registration, the next one on a later day, first victimisation
    runs = np.diff(np.append(p_start, len(sp)))
    first_of = np.repeat(sd[p_start], runs)
    later = np.flatnonzero(sd > first_of)
    next_day = np.full(len(p_start), np.iinfo(np.int64).min)
    if len(later):
        lp = np.cumsum(new_person) - 1  # person number (0..) of each row
        first_later = np.ones(len(later), bool)
        first_later[1:] = lp[later][1:] != lp[later][:-1]
        next_day[lp[later][first_later]] = sd[later][first_later]
    victim_day = np.full(n_persons, np.iinfo(np.int64).max)
    np.minimum.at(victim_day, person[victim], day[victim])
    victim_day = victim_day[sp[p_start]]
    nat = np.datetime64("NaT", "D")
    persons = pd.DataFrame({
        "first_date": sd[p_start].astype("datetime64[D]"),
        "first_age": sa[p_start],
        "next_date": np.where(next_day == np.iinfo(np.int64).min, nat, next_day.astype("datetime64[D]")),
        "birth_year": birth[s_idx][p_start],
        "first_victim_date": np.where(victim_day == np.iinfo(np.int64).max, nat, victim_day.astype("datetime64[D]")),
    }, index=pd.Index(sp[p_start], name="person"))

    # offence types of the counted registrations
    c = np.flatnonzero(counted)
    types = pd.DataFrame({"person": sp[c], "year": sy[c],
                          "offence_type": pd.Categorical.from_codes(offence[s_idx][c], categories=offence_cats)})
    types = types.drop_duplicates(ignore_index=True)

    accounting = {
        "rows_read": n_rows,
        "rows_out_of_scope": int((~in_scope).sum()),
        "rows_incomplete": int((in_scope & ~complete).sum()),
        "victim_rows": int(victim.sum()),
        "suspect_rows": int(suspect.sum()),
        "duplicate_suspect_rows": duplicates,
        "suspect_rows_above_age_max": int((~counted & (sa > age_max)).sum()),
        "suspect_rows_below_age_min": int((~counted & (sa < age_min)).sum()),
        "suspect_rows_counted": int(counted.sum()),
    }
    return OffenderPanel(person_year=person_year, persons=persons, types=types, first_year=first_year,
                         last_year=last_year, age_min=int(age_min), age_max=int(age_max), accounting=accounting,
                         synthetic=bool(register.attrs.get("synthetic", False)))


def accounting_table(panel: OffenderPanel, lang: str = "nb") -> pd.DataFrame:
    """What :func:`prepare` did with the register rows: ``item`` (text in ``lang``) and ``rows``.

    Counts of register rows (registrations), not statistics about persons, as in
    :func:`salto_analysis.io.accounting_table`; display with :func:`salto_analysis.tables.plain`.
    """
    labels.check_lang(lang)
    a = panel.accounting
    items = [
        ("rows_read", a["rows_read"]),
        ("rows_out_of_scope", a["rows_out_of_scope"]),
        ("rows_incomplete", a["rows_incomplete"]),
        ("victim_rows", a["victim_rows"]),
        ("suspect_rows", a["suspect_rows"]),
        ("duplicate_suspect_rows", a["duplicate_suspect_rows"]),
        ("suspect_rows_above_age_max", a["suspect_rows_above_age_max"]),
        ("suspect_rows_counted", a["suspect_rows_counted"]),
    ]
    return pd.DataFrame({
        "item": [labels.t(f"cohorts.accounting.{k}", lang, age_min=panel.age_min, age_max=panel.age_max,
                          age_max_plus=panel.age_max + 1)
                 for k, _ in items],
        "rows": pd.array([v for _, v in items], dtype="Int64"),
    })


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def year_counts(panel: OffenderPanel, year: int) -> pd.DataFrame:
    py = panel.person_year
    sel = py[(py["year"].to_numpy() == year) & (py["offences"].to_numpy() > 0)]
    return sel


def proportion(num: np.ndarray, den: np.ndarray, confidence_level: float) -> dict[str, np.ndarray]:
    """``estimate``, ``ci_low``, ``ci_high`` of ``num / den`` with the Wilson interval.

    :func:`salto_analysis.stats.proportion_ci` (Wilson 1927; Brown, Cai & DasGupta 2001):
    its limits are exactly 0 at ``num = 0`` and exactly 1 at ``num = den``, and missing
    (like the estimate) where ``den = 0``.
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    low, high = stats.proportion_ci(num, den, confidence_level=confidence_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(den > 0, num / den, np.nan)
    return {"estimate": est, "ci_low": np.asarray(low, float), "ci_high": np.asarray(high, float)}


def link(kind: str, **info) -> dict:
    return {"kind": kind, **info}


def make_table(frame: pd.DataFrame, *, groups, kind, measure, unit, method, confidence_level, link=None, **attrs):
    frame = frame.reset_index(drop=True)
    for c in ("numerator", "denominator", "count"):
        if c in frame.columns:
            frame[c] = frame[c].astype(np.int64)
    if link is not None:
        attrs["cohorts_link"] = link
    return estimate_table(frame, groups=list(groups), kind=kind, measure=measure, unit=unit, method=method,
                          confidence_level=confidence_level, **attrs)
