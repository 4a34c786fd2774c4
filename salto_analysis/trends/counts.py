"""Registered crime counted by the conventions of SaLTo's yearly report (notebook 01, issue 4).

:func:`select` turns the police register and the population (frames from
:mod:`salto_analysis.io`) into a :class:`Selection`: aggregated counts per year and age
group, the districts of the reporting year and the cases by offence type. It holds no
person-level row and no identifier. :mod:`salto_analysis.trends.yearly` and
:mod:`salto_analysis.trends.districts` build the estimate tables from it.

Counting conventions
--------------------
The register has one row per case × person × role (:data:`salto_analysis.schemas.REGISTER`;
``data/sample/DATA_DICTIONARY.md``). Only rows with an age
at registration of 10–22 (``in_scope``) in the chosen ``age_groups`` are used, and
:func:`row_accounting` counts every other row by reason.

* A **registered case** (anmeldelse) is a distinct ``case_id`` with at least one
  suspect in the age group. A case with suspects in two age groups counts once in
  each group and once in the total, so the groups of cases do not add up to the total.
  Its **year** is the year of the case's earliest ``registered_date`` (all roles),
  so a suspect added to an old case does not make it a new case.
* **Unique suspects** (and **victims**) are distinct persons. Each person is counted
  once per calendar year, with the age group and home district of their first
  registration in that role that year (earliest date, ties in file order). Groups
  of persons therefore add up to the total.
* **Rates** (in :mod:`salto_analysis.trends.yearly`) are per 1,000 residents of the same age
  group in the population file for the same year (all districts and both sexes
  summed; Statistics Norway counts residents on 1 January). Persons are placed by
  their age at registration. Every year and age the rates need must be in the
  population file, and every home district with suspects in the reporting year,
  or :func:`select` refuses with :class:`salto_analysis.io.InputError` (never a
  silent missing rate).
* The optional district crosswalk (:mod:`salto_analysis.geography`) maps the home
  district of the register and the districts of the population to the new districts.

Large registers (2,000,000 rows) are handled with integer codes: ids are factorised
once, distinct cases and persons are found by marking codes (linear time) and counts
by ``numpy.bincount``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salto_analysis import geography, schemas
from salto_analysis.io import InputError
from salto_analysis.params import ParameterError

__all__ = ["COUNTED", "TOTAL", "REFERENCE_YEARS", "Selection", "select", "row_accounting"]

#: What is counted, in display order.
COUNTED = ("cases", "suspects", "victims")
#: Code of the total row of the age groups (labelled "I alt" / "Total").
TOTAL = "total"
#: Years pooled for the comparison with "the average of the previous years".
REFERENCE_YEARS = 3


@dataclass(frozen=True)
class Selection:
    """The aggregated counts notebook 01 works from (no person-level rows, no identifiers).

    ``counts``: ``counted``, ``year``, ``age_group``, ``count`` for every year of
    ``count_years`` and every age group plus the total (zeros included).
    ``population``: ``year``, ``age_group``, ``population`` on the same grid.
    ``district_counts``: ``district``, ``count`` (unique suspects in ``year`` by home
    district) and ``district_population``: ``district``, ``population``; ``unknown_district``
    is the number of suspects in ``year`` without a known home district.
    ``district_strata``: ``district``, ``age_group``, ``sex``, ``count`` (unique suspects of
    ``year``) and ``population`` for every district × chosen age group × sex, for direct
    age–sex standardisation (:func:`salto_analysis.trends.districts.standardised`); suspects
    whose sex is not registered (``sex_unknown`` of them) are shared out over the two sexes
    of their district and age group (:func:`_district_strata`), so ``count`` may hold
    fractions and its sum over a district equals the district's count.
    ``case_types``: cases of ``year`` by ``offence_type``, ``group_offence`` and ``online``
    (``NA`` when unknown), column ``count``. ``rows``: the row accounting (see
    :func:`row_accounting`).
    """

    year: int
    years: tuple[int, ...]
    count_years: tuple[int, ...]
    age_groups: tuple[str, ...]
    first_data_year: int
    synthetic: bool
    counts: pd.DataFrame = field(repr=False)
    population: pd.DataFrame = field(repr=False)
    district_counts: pd.DataFrame = field(repr=False)
    district_population: pd.DataFrame = field(repr=False)
    unknown_district: int = 0
    case_types: pd.DataFrame = field(default=None, repr=False)
    rows: dict = field(default_factory=dict, repr=False)
    crosswalk: geography.Crosswalk | None = None
    district_strata: pd.DataFrame = field(default=None, repr=False)
    sex_unknown: int = 0

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def reference_years(self) -> tuple[int, ...]:
        return tuple(range(self.year - REFERENCE_YEARS, self.year))

    def covers(self, years) -> bool:
        """Whether the counts have every one of ``years`` (the register starts at ``first_data_year``)."""
        return set(years) <= set(self.count_years)

    @property
    def ages(self) -> tuple[int, int]:
        """Youngest and oldest age of the chosen age groups."""
        return (min(schemas.AGE_GROUPS[g][0] for g in self.age_groups),
                max(schemas.AGE_GROUPS[g][1] for g in self.age_groups))


# --------------------------------------------------------------------------------------
# selection
# --------------------------------------------------------------------------------------
def _check_age_groups(age_groups) -> tuple[str, ...]:
    if isinstance(age_groups, str) or not isinstance(age_groups, Sequence) or not age_groups:
        raise ParameterError(f"notebook parameter age_groups={age_groups!r} must be a non-empty list of "
                             f"age groups from {list(schemas.AGE_GROUPS)}")
    unknown = [g for g in age_groups if g not in schemas.AGE_GROUPS]
    if unknown or len(set(age_groups)) != len(age_groups):
        raise ParameterError(f"notebook parameter age_groups={list(age_groups)!r} must list each of "
                             f"{list(schemas.AGE_GROUPS)} at most once")
    return tuple(g for g in schemas.AGE_GROUPS if g in age_groups)


def _file(frame: pd.DataFrame, kind: str) -> str:
    acc = frame.attrs.get("accounting")
    return str(acc.get("file")) if isinstance(acc, dict) and acc.get("file") else kind


def _first_per_person_year(person: np.ndarray, year: np.ndarray, date: np.ndarray) -> np.ndarray:
    """Positions of each person's first row per year (earliest date, ties in file order)."""
    order = np.lexsort((np.arange(len(person)), date, year, person))
    p, y = person[order], year[order]
    first = np.ones(len(order), bool)
    first[1:] = (p[1:] != p[:-1]) | (y[1:] != y[:-1])
    return order[first]


def _grid(frame: pd.DataFrame, keys: dict[str, Sequence], value: str) -> pd.DataFrame:
    """``frame`` summed over ``keys`` and completed with zeros to the full grid of ``keys``."""
    index = pd.MultiIndex.from_product(list(keys.values()), names=list(keys))
    s = frame.groupby(list(keys), observed=True)[value].sum() if len(frame) else pd.Series(dtype=float)
    return s.reindex(index, fill_value=0).astype("int64").rename(value).reset_index()


def select(register: pd.DataFrame, population: pd.DataFrame, *, year: int, years_back: int = 10,
           age_groups: Sequence[str] = tuple(schemas.AGE_GROUPS), districts_file=None) -> Selection:
    """Count cases, unique suspects and victims per year and age group, and their populations.

    Parameters
    ----------
    register, population
        Frames from :func:`salto_analysis.io.load_register` / ``load_population``.
    year
        Reporting year; it must be in the register's span of years (use
        :func:`salto_analysis.params.resolve_year`). When the register starts less than
        :data:`REFERENCE_YEARS` years before it, the counts start at the register's first
        year and the changes that need an earlier year are not computed (:meth:`Selection.covers`).
    years_back
        Length of the series; it starts at ``year − years_back + 1`` or at the first year
        of the register, whichever is later. At least ``REFERENCE_YEARS + 1`` (4), so that
        the series shows every year the changes compare with: the series' small-number
        protection then also covers the counts the change tables use.
    age_groups
        Age groups of :data:`salto_analysis.schemas.AGE_GROUPS` to include.
    districts_file
        Optional crosswalk (:mod:`salto_analysis.geography`) applied to the home
        district of the register and to the population.

    Raises
    ------
    ParameterError
        ``year`` or ``age_groups`` do not fit the data.
    InputError
        The population file lacks a year, an age or a district that the counts need
        (never a silent missing rate).
    """
    groups = _check_age_groups(age_groups)
    if not isinstance(years_back, (int, np.integer)) or isinstance(years_back, bool) \
            or years_back < REFERENCE_YEARS + 1:
        raise ParameterError(f"notebook parameter years_back={years_back!r} must be a whole number of at least "
                             f"{REFERENCE_YEARS + 1}: the series shows the reporting year and the "
                             f"{REFERENCE_YEARS} years the changes compare with")
    data_years = register["year"].dropna().astype(int)
    first_data, last_data = int(data_years.min()), int(data_years.max())
    if not first_data <= year <= last_data:
        raise ParameterError(f"notebook parameter year={year} is outside the register ({first_data}–{last_data})")
    first = max(year - int(years_back) + 1, first_data)
    years = tuple(range(first, year + 1))
    # the register's years only: before its first year there are no figures (not zeros); the
    # changes that need such a year are not computed (:meth:`Selection.covers`)
    count_years = tuple(range(max(min(first, year - REFERENCE_YEARS), first_data), year + 1))
    crosswalk = geography.load_crosswalk(districts_file) if districts_file not in (None, "") else None
    register = geography.apply(register, crosswalk)
    population = geography.apply(population, crosswalk)

    # ---- rows used, and the accounting of the others
    ryear = register["year"].to_numpy(dtype="int64", na_value=-1)
    in_scope = register["in_scope"].to_numpy(dtype=bool)
    gidx = _codes(register["age_group"], groups)  # index into groups, -1 if not chosen
    rows = {"read": len(register), "age_outside": int((~in_scope).sum()),
            "age_group_not_chosen": int((in_scope & (gidx < 0)).sum())}
    chosen = in_scope & (gidx >= 0)
    rows["before_period"] = int((chosen & (ryear < count_years[0])).sum())
    rows["after_year"] = int((chosen & (ryear > year)).sum())
    use = chosen & (ryear >= count_years[0]) & (ryear <= year)
    rows["used"] = int(use.sum())

    # ---- cases (year of the case's earliest registration, all rows of the case) and persons
    case_code, case_year, sus_cases = _case_codes(register, ryear, use)
    person = pd.factorize(register["person_id"])[0]
    date = register["registered_date"].to_numpy(dtype="datetime64[s]").astype("int64")
    role = register["role"]
    firsts = {}
    grids = {"cases": _case_grid(case_code[sus_cases], case_year, gidx[sus_cases], count_years, len(groups))}
    for who, r in (("suspects", "suspect"), ("victims", "victim")):
        idx = np.flatnonzero(use & (role == r).to_numpy(dtype=bool, na_value=False))
        firsts[who] = idx[_first_per_person_year(person[idx], ryear[idx], date[idx])]
        grids[who] = _person_grid(ryear[firsts[who]], gidx[firsts[who]], count_years, len(groups))
    all_groups = [*groups, TOTAL]
    counts = pd.DataFrame({
        "counted": pd.Categorical(np.repeat(COUNTED, len(count_years) * len(all_groups)), categories=COUNTED,
                                  ordered=True),
        "year": np.tile(np.repeat(count_years, len(all_groups)), len(COUNTED)),
        "age_group": pd.Categorical(np.tile(all_groups, len(COUNTED) * len(count_years)), categories=all_groups,
                                    ordered=True),
        "count": np.concatenate([grids[c].ravel() for c in COUNTED]).astype("int64"),
    })

    # ---- population by year and age group (every age of every group must be there)
    pop, population_grid = _population(population, groups, count_years)

    # ---- districts: unique suspects of the reporting year by home district
    keep = firsts["suspects"][ryear[firsts["suspects"]] == year]
    district_counts, district_population, unknown = _districts(register, population, pop, keep,
                                                               use & (ryear == year), year, groups)
    district_strata, sex_unknown = _district_strata(register, population, keep, gidx, year, groups,
                                                    list(district_counts["district"].astype(object)))

    # ---- offence types of the reporting year's cases
    of_year = case_code[sus_cases][case_year[case_code[sus_cases]] == year]
    case_types = _case_types(register, case_code, _distinct(of_year, len(case_year)))
    return Selection(year=year, years=years, count_years=count_years, age_groups=groups, first_data_year=first_data,
                     synthetic=bool(register.attrs.get("synthetic", False)), counts=counts,
                     population=population_grid, district_counts=district_counts,
                     district_population=district_population, unknown_district=unknown, case_types=case_types,
                     rows=rows, crosswalk=crosswalk, district_strata=district_strata, sex_unknown=sex_unknown)


def _codes(values: pd.Series, levels: Sequence[str]) -> np.ndarray:
    """Position of each value in ``levels`` (−1 for any other value or a missing one), vectorised."""
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    lookup = np.array([levels.index(c) if c in levels else -1 for c in cat.categories] + [-1], dtype=np.int64)
    return lookup[np.asarray(cat.codes)]


def _case_codes(register: pd.DataFrame, ryear: np.ndarray, use: np.ndarray):
    """Integer case codes, each case's year (its earliest registration) and the used suspect rows."""
    case_code = pd.factorize(register["case_id"])[0]
    case_year = np.full(case_code.max() + 1 if len(case_code) else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(case_year, case_code, ryear)
    suspect = (register["role"] == "suspect").to_numpy(dtype=bool, na_value=False)
    return case_code, case_year, np.flatnonzero(use & suspect)


def _grid_of(year: np.ndarray, group: np.ndarray, count_years: Sequence[int], n_groups: int) -> np.ndarray:
    """Counts by year (rows, ``count_years``) and group (columns, ``0..n_groups-1``)."""
    yi = year - count_years[0]
    ok = (yi >= 0) & (yi < len(count_years)) & (group >= 0)
    flat = np.bincount(yi[ok] * n_groups + group[ok], minlength=len(count_years) * n_groups)
    return flat.reshape(len(count_years), n_groups)


def _distinct(codes: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of non-negative integer ``codes`` below ``size``, sorted (a mark per value:
    linear time, unlike a hash or sort)."""
    mark = np.zeros(size, bool)
    mark[codes] = True
    return np.flatnonzero(mark)


def _case_grid(cases: np.ndarray, case_year: np.ndarray, group: np.ndarray, count_years, n_groups) -> np.ndarray:
    """Distinct cases per year and age group (a case in each group it has a suspect in), total column last."""
    pairs = _distinct(cases * n_groups + group, len(case_year) * n_groups)
    per_group = _grid_of(case_year[pairs // n_groups], pairs % n_groups, count_years, n_groups)
    distinct = _distinct(cases, len(case_year))
    total = _grid_of(case_year[distinct], np.zeros(len(distinct), np.int64), count_years, 1)
    return np.hstack([per_group, total])


def _person_grid(year: np.ndarray, group: np.ndarray, count_years, n_groups) -> np.ndarray:
    """Persons (one row each per year) per year and age group, total column last."""
    g = _grid_of(year, group, count_years, n_groups)
    return np.hstack([g, g.sum(axis=1, keepdims=True)])


def _population(population: pd.DataFrame, groups: tuple[str, ...], count_years: tuple[int, ...]):
    """The population rows used (chosen ages and years) and their grid by year and age group.

    Raises :class:`InputError` when a year × age the rates need has no residents.
    """
    pop_file = _file(population, "population")
    ages = [a for g in groups for a in range(schemas.AGE_GROUPS[g][0], schemas.AGE_GROUPS[g][1] + 1)]
    pyear = population["year"].to_numpy(dtype="int64", na_value=-1)
    page = population["age"].to_numpy(dtype="int64", na_value=-1)
    pmask = np.isin(pyear, count_years) & np.isin(page, ages)
    pop = population.loc[pmask, ["year", "age", "district", "population"]].astype({"year": "int64", "age": "int64"})
    have = pop.groupby(["year", "age"])["population"].sum()
    need = pd.MultiIndex.from_product([count_years, ages], names=["year", "age"])
    lacking = need[~need.isin(have[have > 0].index)]
    if len(lacking):
        yrs = sorted({y for y, _ in lacking})
        raise InputError(pop_file, f"no population (or 0) for {len(lacking)} year × age combination(s) the rates "
                                   f"need, in year(s) {', '.join(map(str, yrs))}", column="year, age",
                         fix=f"add rows for every age {ages[0]}–{ages[-1]} in {count_years[0]}–{count_years[-1]} "
                             "(Statistics Norway table 07459), or choose a later year or fewer years_back")
    pop["age_group"] = schemas.age_group(pop["age"]).astype("object")
    all_groups = [*groups, TOTAL]
    grid = _grid(pd.concat([pop, pop.assign(age_group=TOTAL)]), {"year": count_years, "age_group": all_groups},
                 "population")
    grid["age_group"] = pd.Categorical(grid["age_group"], categories=all_groups, ordered=True)
    return pop, grid


def _districts(register: pd.DataFrame, population: pd.DataFrame, pop: pd.DataFrame, keep: np.ndarray,
               rows_of_year: np.ndarray, year: int, groups: tuple[str, ...]):
    """Unique suspects of ``year`` (rows ``keep``) by home district, the districts' population and the
    number with an unknown home district. Raises :class:`InputError` when a district with suspects
    has no population."""
    order = _district_order(register, population)
    known = [d for d in order if d not in _unknown_names()]
    code = _codes(register["district"], known)
    dpop = pop[pop["year"] == year].groupby("district", observed=True)["population"].sum()
    dpop = dpop[dpop > 0]
    counts = np.bincount(code[keep][code[keep] >= 0], minlength=len(known))
    missing = [d for d, n in zip(known, counts) if n > 0 and d not in dpop.index]
    if missing:
        lo, hi = schemas.AGE_GROUPS[groups[0]][0], schemas.AGE_GROUPS[groups[-1]][1]
        n_rows = int((rows_of_year & np.isin(code, [known.index(m) for m in missing])).sum())
        raise InputError(_file(population, "population"),
                         f"no population aged {lo}–{hi} in {year} for district(s) {', '.join(missing)}, where the "
                         f"register has persons (count: register rows of {year} with that home district)",
                         column="district", count=n_rows,
                         fix="add the population of those districts (or map them with districts_file); "
                             "a rate without its population would be missing, not zero")
    present = [k for k, d in enumerate(known) if d in dpop.index]
    names = [known[k] for k in present]
    district = pd.Categorical(names, categories=names, ordered=True)
    district_counts = pd.DataFrame({"district": district, "count": counts[present].astype("int64")})
    district_population = pd.DataFrame({"district": district,
                                        "population": dpop.reindex(names).to_numpy(dtype="int64")})
    unknown = int(len(keep) - counts.sum())
    return district_counts, district_population, unknown


def _district_strata(register: pd.DataFrame, population: pd.DataFrame, keep: np.ndarray, gidx: np.ndarray,
                     year: int, groups: tuple[str, ...], names: list[str]) -> tuple[pd.DataFrame, int]:
    """Unique suspects of ``year`` (rows ``keep``) and residents by district × age group × sex.

    Only the districts ``names`` (those with a population, in display order) are kept; a
    suspect without a known home district belongs to none (as in :func:`_districts`).
    A suspect whose sex is not registered is shared out over the two sexes in proportion
    to the suspects of known sex in the same district and age group, or, where there are
    none, to its residents (proportional allocation; the district's total is unchanged,
    so standardised and crude rates rest on the same persons). Returns the frame and the
    number of suspects shared out.
    """
    sexes = list(schemas.SEX)
    n_d, n_g, n_s = len(names), len(groups), len(sexes)
    dcode = _codes(register["district"], names)[keep]
    scode = _codes(register["sex"], sexes)[keep]
    gcode = gidx[keep]
    ok = (dcode >= 0) & (gcode >= 0)
    dg = dcode[ok] * n_g + gcode[ok]
    s = scode[ok]
    known = np.bincount(dg[s >= 0] * n_s + s[s >= 0], minlength=n_d * n_g * n_s).reshape(n_d * n_g, n_s).astype(float)
    unknown = np.bincount(dg[s < 0], minlength=n_d * n_g).astype(float)
    ages = {a: g for g in groups for a in range(schemas.AGE_GROUPS[g][0], schemas.AGE_GROUPS[g][1] + 1)}
    pyear = population["year"].to_numpy(dtype="int64", na_value=-1)
    page = population["age"].to_numpy(dtype="int64", na_value=-1)
    pmask = (pyear == year) & np.isin(page, list(ages))
    pdist = _codes(population["district"], names)[pmask]
    psex = _codes(population["sex"], sexes)[pmask]
    pgrp = np.array([groups.index(ages[a]) for a in page[pmask]], dtype=np.int64)
    pval = population["population"].to_numpy(dtype=float, na_value=0.0)[pmask]
    pok = (pdist >= 0) & (psex >= 0)
    pop = np.bincount((pdist[pok] * n_g + pgrp[pok]) * n_s + psex[pok], weights=pval[pok],
                      minlength=n_d * n_g * n_s).reshape(n_d * n_g, n_s)
    base = np.where(known.sum(axis=1, keepdims=True) > 0, known, pop)
    tot = base.sum(axis=1, keepdims=True)
    share = np.divide(base, tot, out=np.full_like(base, 1.0 / n_s), where=tot > 0)
    count = known + unknown[:, None] * share
    frame = pd.DataFrame({
        "district": pd.Categorical(np.repeat(names, n_g * n_s), categories=names, ordered=True),
        "age_group": pd.Categorical(np.tile(np.repeat(list(groups), n_s), n_d), categories=list(groups), ordered=True),
        "sex": pd.Categorical(np.tile(sexes, n_d * n_g), categories=sexes),
        "count": count.ravel(),
        "population": pop.ravel(),
    })
    return frame, int(unknown.sum())


def _unknown_names() -> list[str]:
    d = schemas.districts()
    return list(d.loc[d["kind"] == "unknown", "name_nb"])


def _district_order(register: pd.DataFrame, population: pd.DataFrame) -> list[str]:
    """Districts in display order: the (crosswalked) categories, else the official order."""
    for frame in (register, population):
        s = frame["district"]
        if isinstance(s.dtype, pd.CategoricalDtype):
            return [str(c) for c in s.cat.categories]
    return list(schemas.district_names())


def _case_types(register: pd.DataFrame, case_code: np.ndarray, cases: np.ndarray) -> pd.DataFrame:
    """Cases (codes ``cases``) by offence type, group offence and online (any row online; NA if all unknown)."""
    chosen = np.zeros(case_code.max() + 1 if len(case_code) else 0, bool)
    chosen[cases] = True
    rows = np.flatnonzero(chosen[case_code])
    part = register.iloc[rows]
    online = part["online"] if "online" in part.columns else pd.Series(pd.NA, index=part.index, dtype="boolean")
    f = pd.DataFrame({
        "case": case_code[rows],
        "offence_type": part["offence_type"].astype("object").to_numpy(),
        "group_offence": part["group_offence"].to_numpy(dtype=bool, na_value=False),
        "online": online.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
    })
    per_case = f.groupby("case", sort=False).agg(offence_type=("offence_type", "first"),
                                                 group_offence=("group_offence", "max"),
                                                 online=("online", "max"))
    per_case["online"] = per_case["online"].map({1.0: True, 0.0: False}).astype("boolean")
    out = per_case.groupby(["offence_type", "group_offence", "online"], dropna=False,
                           observed=True).size().rename("count").reset_index()
    return out


def row_accounting(selection: Selection) -> pd.DataFrame:
    """What happened to the register rows: ``item`` (a code) and ``rows``.

    Codes: ``read`` (rows loaded), ``age_outside`` (age outside 10–22),
    ``age_group_not_chosen``, ``before_period`` (earlier than the first year used),
    ``after_year`` (after the reporting year), ``used``. The last five add up to
    ``read``. These count register rows (case × person × role), not persons, and
    are not broken down by anything, as :func:`salto_analysis.io.accounting_table`.
    """
    items = ("read", "age_outside", "age_group_not_chosen", "before_period", "after_year", "used")
    return pd.DataFrame({"item": list(items), "rows": pd.array([selection.rows[k] for k in items], dtype="Int64")})
