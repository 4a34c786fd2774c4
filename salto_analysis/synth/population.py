"""Synthetic residents of Oslo aged 10-22: the person pool and the population table.

Method
------
Every synthetic person who can appear in the register is drawn first, as a member of a
*pool*: birth year, sex, home district and the ages at which the person lives in Oslo
(entry and exit age). The population table (``population.csv``) is then simply the
number of pool members resident in each year x district x sex x single year of age, so
numerators drawn from the pool and the published denominators always agree.

Cohort sizes follow approximate district sizes (Oslo kommune, bydelsfakta; rounded
and scaled so that Oslo has about 47,000-48,000 residents aged 10-17, which with about
1,400 registered suspects gives the "about 97 % not registered" of the SaLTo reports,
S35 and S40 in ``data/sample/README.md``). Young adults move into the inner-city districts
(students), so the number of 18-22-year-olds rises steeply there and falls slightly in
the outer districts. Persons keep one home district (no moves inside Oslo).

Age is *the age reached during the year* (``year - birth_year``), the same age that
a loader derives from ``birth_year`` in the register, so rates need no adjustment.
Statistics Norway's tables use age on 1 January instead; README.md says so.

``Marka`` (a handful of residents) and ``Sentrum`` (few children) are deliberately
tiny, so that small-number suppression has real work.

A second, smaller pool holds young people who do not live in Oslo but may be
registered there (home district ``Uoppgitt``): they are not in the population table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salto_analysis.schemas import district_names

__all__ = ["YEARS", "AGES", "Pool", "DISTRICT_PARAMS", "build_pool", "population_table"]

YEARS = tuple(range(2016, 2026))
AGES = tuple(range(10, 23))
#: Ages at which pool members can be registered (the SaLTo target group).
AGE_MIN, AGE_MAX = 10, 22
BOY_SHARE = 0.513  # share of boys among births in Norway (SSB, about 51.3 %)

# Per district: residents aged 10-17 (rounded, about 2020, before scaling) and the ratio
# of 22-year-olds to 13-year-olds (above 1 where students move in). Approximate shapes
# of Oslo kommune's bydel statistics; not exact figures.
DISTRICT_PARAMS: dict[str, tuple[float, float]] = {
    "Gamle Oslo": (3230, 2.6),
    "Grünerløkka": (2500, 4.5),
    "Sagene": (2030, 3.6),
    "St. Hanshaugen": (1360, 4.5),
    "Frogner": (3260, 2.2),
    "Ullern": (3460, 0.95),
    "Vestre Aker": (5520, 0.85),
    "Nordre Aker": (5230, 1.0),
    "Bjerke": (2840, 1.4),
    "Grorud": (2770, 1.05),
    "Stovner": (3500, 1.0),
    "Alna": (4480, 1.1),
    "Østensjø": (4320, 1.0),
    "Nordstrand": (5250, 0.9),
    "Søndre Nordstrand": (4300, 0.95),
    "Sentrum": (22, 8.0),
    "Marka": (70, 0.9),
}
SCALE_10_17 = 0.88  # brings Oslo's 10-17-year-olds to about 47,500
#: Share of the way from age-17 size to age-22 size reached at each age 18..22.
_YOUNG_ADULT_STEP = {18: 0.10, 19: 0.35, 20: 0.60, 21: 0.82, 22: 1.0}
#: Yearly probability of leaving Oslo (churn on top of the net profile).
_EXIT_HAZARD = 0.012
#: Non-residents registered in Oslo: size relative to Oslo's cohort at the same age.
NONRESIDENT_SHARE = 0.06
UNKNOWN_DISTRICT = "Uoppgitt"


def cohort_factor(birth_year: np.ndarray) -> np.ndarray:
    """Relative size of a birth cohort: rising to the 2010 cohort, falling after it."""
    b = np.asarray(birth_year, dtype=float)
    return np.where(b <= 2010, 1.0 + 0.01 * (b - 2004), 1.06 - 0.015 * (b - 2010))


def expected_size(per_age_10_17: float, ratio_22: float, age: np.ndarray) -> np.ndarray:
    """Expected residents of one district, sex-neutral, by age for a cohort of factor 1."""
    age = np.asarray(age)
    step = np.array([_YOUNG_ADULT_STEP.get(int(a), 0.0) for a in age.ravel()]).reshape(age.shape)
    return per_age_10_17 * (1.0 + (ratio_22 - 1.0) * step)


@dataclass
class Pool:
    """Synthetic persons (one array element each).

    ``district`` indexes :attr:`districts`; index ``len(districts) - 1`` is
    ``Uoppgitt`` (non-residents). ``entry_age``/``exit_age`` bound the ages at which the
    person is resident (both inclusive).
    """

    birth_year: np.ndarray
    female: np.ndarray
    district: np.ndarray
    entry_age: np.ndarray
    exit_age: np.ndarray
    resident: np.ndarray
    districts: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.birth_year)

    def present(self, year: int) -> np.ndarray:
        """Boolean mask of persons aged 10-22 who can be registered in ``year``."""
        age = year - self.birth_year
        return (age >= self.entry_age) & (age <= self.exit_age) & (age >= AGE_MIN) & (age <= AGE_MAX)


def build_pool(rng: np.random.Generator, multiplier: float = 1.0) -> Pool:
    """Draw the person pool for all cohorts aged 10-22 at some time in 2016-2025.

    ``multiplier`` scales every district (``--scale national`` reuses Oslo's district
    names with a larger multiplier).
    """
    names = tuple(n for n in district_names() if n in DISTRICT_PARAMS)
    births = np.arange(YEARS[0] - AGE_MAX, YEARS[-1] - AGE_MIN + 1)  # 1994..2015
    ages = np.arange(AGE_MIN, AGE_MAX + 1)
    parts = []
    for d_idx, name in enumerate(names):
        per_age, ratio = DISTRICT_PARAMS[name]
        base = per_age / 8.0 * SCALE_10_17 * multiplier
        prof = expected_size(base, ratio, ages)  # expected size by age, factor-1 cohort
        for female in (0, 1):
            share = (1 - BOY_SHARE) if female else BOY_SHARE
            # expected size at each age for each cohort: (births, ages)
            exp = np.outer(cohort_factor(births), prof) * share
            # survivors of the churn at age a from age a-1, then net in-migration
            natives = exp[:, 0]
            arrive = np.maximum(exp[:, 1:] - exp[:, :-1] * (1 - _EXIT_HAZARD), 0.0)
            counts = rng.poisson(np.column_stack([natives, arrive]))  # (births, ages)
            n = int(counts.sum())
            entry = np.repeat(np.tile(ages, len(births)), counts.ravel())
            birth = np.repeat(np.repeat(births, len(ages)), counts.ravel())
            # exit age: churn hazard, plus outer districts losing young adults
            leave = np.full((len(ages),), _EXIT_HAZARD)
            if ratio < 1.0:
                leave = leave + np.where(ages >= 18, 1.0 - ratio ** (1 / 5), 0.0)
            exit_age = _draw_exit(rng, entry, ages, leave)
            parts.append((birth, np.full(n, female, np.int8), np.full(n, d_idx, np.int8), entry, exit_age))
    birth, female, district, entry, exit_age = (np.concatenate(p) for p in zip(*parts, strict=True))
    resident = np.ones(len(birth), dtype=bool)

    # non-residents: same cohorts, home district unknown, always "present" at 10-22
    total_by_age = sum(
        expected_size(p / 8.0 * SCALE_10_17 * multiplier, r, np.array([16]))[0] for p, r in DISTRICT_PARAMS.values()
    )
    nr_counts = rng.poisson(np.full((len(births), 2), total_by_age * NONRESIDENT_SHARE / 2))
    nr_birth = np.repeat(np.repeat(births, 2), nr_counts.ravel())
    nr_female = np.repeat(np.tile(np.array([0, 1], np.int8), len(births)), nr_counts.ravel())
    n_nr = len(nr_birth)
    unknown = len(names)
    return Pool(
        birth_year=np.concatenate([birth, nr_birth]).astype(np.int16),
        female=np.concatenate([female, nr_female]).astype(np.int8),
        district=np.concatenate([district, np.full(n_nr, unknown, np.int8)]).astype(np.int8),
        entry_age=np.concatenate([entry, np.full(n_nr, AGE_MIN)]).astype(np.int8),
        exit_age=np.concatenate([exit_age, np.full(n_nr, AGE_MAX)]).astype(np.int8),
        resident=np.concatenate([resident, np.zeros(n_nr, bool)]),
        districts=(*names, UNKNOWN_DISTRICT),
    )


def _draw_exit(rng: np.random.Generator, entry: np.ndarray, ages: np.ndarray, leave: np.ndarray) -> np.ndarray:
    """Last age of residence, by inverse CDF of an age-specific yearly leaving hazard."""
    # log-survival from age ages[0] to each age; leaving happens after a year of residence
    cum = np.concatenate([[0.0], np.cumsum(-np.log1p(-leave[1:]))])  # cum hazard to reach age index j
    start = cum[entry - ages[0]]
    threshold = start - np.log(rng.random(len(entry)))  # cumulative hazard at which the person leaves
    idx = np.searchsorted(cum, threshold, side="right") - 1  # last index with cum <= threshold
    return ages[np.clip(idx, 0, len(ages) - 1)]


def population_table(pool: Pool) -> pd.DataFrame:
    """Residents by ``year, district, sex, age`` (ages 10-22, years 2016-2025), all cells."""
    res = pool.resident
    n_d = len(pool.districts) - 1  # without Uoppgitt
    n_a = AGE_MAX - AGE_MIN + 1
    frames = []
    for year in YEARS:
        m = res & pool.present(year)
        age = (year - pool.birth_year[m]).astype(np.int64) - AGE_MIN
        key = (pool.district[m].astype(np.int64) * 2 + pool.female[m]) * n_a + age
        counts = np.bincount(key, minlength=n_d * 2 * n_a)
        d, s, a = np.unravel_index(np.arange(n_d * 2 * n_a), (n_d, 2, n_a))
        frames.append(pd.DataFrame({
            "year": year,
            "district": np.asarray(pool.districts)[d],
            "sex": np.where(s == 1, "female", "male"),
            "age": a + AGE_MIN,
            "population": counts,
        }))
    return pd.concat(frames, ignore_index=True)
