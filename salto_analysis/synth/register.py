"""Synthetic police register: cases x persons x roles, 2016-2025.

The person-year events of :mod:`.events` (who offends and who is victimised, when)
become cases here:

*Group offences.* Some offences are committed together: co-offenders are grouped by
year, home district and quarter into cases of 2-4 suspects.

*Case attributes.* A case has one date, one offence type, drawn from probabilities by
age group, sex, group and propensity (POD's 2016 shares: theft about 40 % of offences at
10-14 and 22 % at 15-17, drugs 25 % at 18-22, S50), one scene district (often the home
district, else weighted towards Sentrum and Gamle Oslo, the largest scenes in 2022, S38)
and an ``online`` flag (more often for sexual offences and threats, rising over time).

*Victims.* Violent, sexual and some theft cases get a victim: a youth victimisation of
the same type, year and side of 18 when one is available (so that just over half of the
violence cases of suspects under 18 have a victim under 18, SaLTo 2016, S45), otherwise
often an adult victim. Victimisations not linked to a youth suspect become cases with a
victim only (perpetrator unknown or adult). Some fights are mutual: both suspects of a
two-person violence case are also its victims, or the victim of a one-suspect fight
reports the suspect on the same day in a second case.

*Identifiers.* Cases are numbered in date order (``C0000001``), persons in random order
(``P0000001``); neither can look like an 11-digit national identity number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salto_analysis.schemas import OFFENCE_TYPE, REGISTER

from .events import AGE_GROUP_NAMES, age_group_index, simulate_events
from .population import AGE_MAX, AGE_MIN, UNKNOWN_DISTRICT, YEARS, Pool

__all__ = ["simulate_register", "REGISTER_COLUMNS", "TYPES"]

#: Columns written to register.csv.gz: the schema's input columns with birth_year, not age.
REGISTER_COLUMNS = tuple(c.name for c in REGISTER.input_columns if c.name != "age")
TYPES = tuple(OFFENCE_TYPE)  # violence, robbery, threats, theft, drugs, sexual, vandalism, other
_T = {t: i for i, t in enumerate(TYPES)}

# --------------------------------------------------------------------------- cases
#: P(an offence is committed together with others) by age group 10-14, 15-17, 18-22.
GROUP_PROB = (0.34, 0.30, 0.16)
GROUP_SIZES, GROUP_SIZE_P = np.array([2, 3, 4]), np.array([0.65, 0.25, 0.10])
#: Offence-type probabilities of suspects by age group (order as TYPES).
SUSPECT_TYPE_P = {
    "10-14": (0.28, 0.03, 0.10, 0.35, 0.02, 0.02, 0.11, 0.09),
    "15-17": (0.28, 0.05, 0.10, 0.22, 0.14, 0.02, 0.06, 0.13),
    "18-22": (0.21, 0.03, 0.08, 0.16, 0.26, 0.03, 0.04, 0.19),
}
FEMALE_TYPE_MULT = (0.9, 0.4, 1.0, 1.7, 0.6, 0.1, 0.8, 1.0)
GROUP_TYPE_MULT = (1.3, 2.0, 0.8, 1.0, 0.5, 0.6, 1.3, 0.8)
#: P(scene = home district) by age group; otherwise the scene follows SCENE_WEIGHT.
SCENE_HOME_PROB = (0.60, 0.45, 0.35)
SCENE_WEIGHT = {
    "Gamle Oslo": 0.18, "Grünerløkka": 0.10, "Sagene": 0.04, "St. Hanshaugen": 0.07, "Frogner": 0.07,
    "Ullern": 0.02, "Vestre Aker": 0.02, "Nordre Aker": 0.02, "Bjerke": 0.03, "Grorud": 0.03,
    "Stovner": 0.03, "Alna": 0.04, "Østensjø": 0.03, "Nordstrand": 0.02, "Søndre Nordstrand": 0.03,
    "Sentrum": 0.24, "Marka": 0.0005,
}
#: P(online) by type in 2016; rises by ONLINE_TREND per year.
ONLINE_P = (0.02, 0.01, 0.18, 0.04, 0.03, 0.32, 0.005, 0.08)
ONLINE_TREND = 0.08
ONLINE_NO_SCENE = 0.6  # share of online cases without a scene district
#: P(case has a victim aged 10-22) by type, for a lead suspect under 18 and 18-22.
YOUTH_VICTIM_P = {
    "violence": (0.80, 0.40), "robbery": (0.80, 0.45), "threats": (0.65, 0.35), "sexual": (0.70, 0.40),
    "theft": (0.15, 0.08), "vandalism": (0.02, 0.02), "other": (0.05, 0.03), "drugs": (0.0, 0.0),
}
#: P(an adult victim) for a case without a youth victim, by type.
ADULT_VICTIM_P = (0.70, 0.80, 0.70, 0.30, 0.0, 0.60, 0.20, 0.15)
ADULT_FEMALE_P = (0.35, 0.30, 0.45, 0.50, 0.5, 0.90, 0.40, 0.50)
#: Victim offence types by age 10-22 (violence and sexual shares from SSB 2014 by age;
#: the rest split over threats, robbery, theft, vandalism and other).
_VIOLENCE_SHARE = np.array([.49, .47, .37, .29, .27, .27, .22, .20, .18, .16, .18, .18, .18])
_SEXUAL_SHARE = np.array([.23, .24, .27, .28, .29, .22, .12, .07, .044, .029, .026, .025, .025])
_REST = {"threats": 0.25, "robbery": 0.12, "theft": 0.45, "vandalism": 0.05, "other": 0.13}
VICTIM_FEMALE_TYPE_MULT = (0.8, 0.5, 1.0, 1.0, 1.0, 1.7, 1.0, 1.0)
VICTIM_MALE_TYPE_MULT = (1.2, 1.5, 1.0, 1.0, 1.0, 0.3, 1.0, 1.0)
MUTUAL_FIGHT_P = 0.20  # two-suspect violence cases where both are also victims
COUNTER_CASE_P = 0.12  # one-suspect violence cases where the victim reports back the same day
ADULT_MISSING_SEX_P = 0.01


def _victim_type_probs() -> np.ndarray:
    """(age 10..22, type) probabilities of the offence type of a victimisation."""
    p = np.zeros((AGE_MAX - AGE_MIN + 1, len(TYPES)))
    p[:, _T["violence"]] = _VIOLENCE_SHARE
    p[:, _T["sexual"]] = _SEXUAL_SHARE
    rest = 1.0 - _VIOLENCE_SHARE - _SEXUAL_SHARE
    for name, share in _REST.items():
        p[:, _T[name]] = rest * share
    return p


def _draw_categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of an (n, k) matrix of unnormalised probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((cum < u[:, None]).sum(axis=1), probs.shape[1] - 1)


@dataclass
class _Cases:
    """Cases (attributes by case number) and their rows (case, person, role) as they are built."""

    year: np.ndarray
    day: np.ndarray
    type: np.ndarray
    scene: np.ndarray
    online: np.ndarray
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.year)

    def add_rows(self, case: np.ndarray, person: np.ndarray, role: int) -> None:
        self.rows.append((case, person, np.full(len(case), role, np.int8)))

    def add_cases(self, year, day, ctype, scene, online) -> np.ndarray:
        """Append cases; return their case numbers."""
        new = len(self) + np.arange(len(year))
        self.year, self.day = np.r_[self.year, year], np.r_[self.day, day]
        self.type, self.scene = np.r_[self.type, ctype], np.r_[self.scene, scene]
        self.online = np.r_[self.online, online]
        return new


def simulate_register(pool: Pool, rng: np.random.Generator) -> pd.DataFrame:
    """The register as written to ``register.csv.gz`` (columns :data:`REGISTER_COLUMNS`).

    One row per case x person x role, sorted by date, case, role (suspects first) and
    person. Suspects are pool members aged 10-22; victims are pool members aged 10-22
    or adults.
    """
    ev = simulate_events(pool, rng)
    districts = pool.districts
    n_pool = len(pool)

    # ---- suspect events -> cases
    s = ev["suspect"]
    sp, sy, sd, sz = s["person"], s["year"].astype(np.int64), s["day"], s["z"].astype(float)
    s_ag = age_group_index(sy - pool.birth_year[sp])
    grouped = rng.random(len(sp)) < np.asarray(GROUP_PROB)[s_ag]
    case = _group_cases(rng, sp, sy, pool.district[sp], sd, grouped)
    n_case = int(case.max()) + 1 if len(case) else 0
    lead = np.full(n_case, len(sp), np.int64)
    np.minimum.at(lead, case, np.arange(len(sp)))
    size = np.bincount(case, minlength=n_case)
    l_ag, l_female, l_z = s_ag[lead], pool.female[sp[lead]], sz[lead]
    base = np.array([SUSPECT_TYPE_P[g] for g in AGE_GROUP_NAMES])[l_ag]
    probs = (base * np.where(l_female[:, None] == 1, FEMALE_TYPE_MULT, 1.0)
             * np.where(size[:, None] > 1, GROUP_TYPE_MULT, 1.0))
    probs[:, _T["robbery"]] *= 1 + 0.3 * np.maximum(l_z, 0)  # persistent offenders rob more
    c_type = _draw_categorical(rng, probs)
    cases = _Cases(year=sy[lead], day=sd[lead], type=c_type,
                   scene=_scene(rng, pool.district[sp[lead]], np.asarray(SCENE_HOME_PROB)[l_ag], districts),
                   online=_online(rng, c_type, sy[lead]))
    cases.add_rows(case, sp, 0)

    # ---- mutual fights: both suspects of a two-person violence case are also victims
    mutual = (c_type == _T["violence"]) & (size == 2) & (rng.random(n_case) < MUTUAL_FIGHT_P)
    in_mutual = np.flatnonzero(mutual[case])
    cases.add_rows(case[in_mutual], sp[in_mutual], 1)

    # ---- youth victimisations: offence type, then link to suspect cases of the same type and year
    v = ev["victim"]
    vp, vy, vd = v["person"], v["year"].astype(np.int64), v["day"]
    v_age = vy - pool.birth_year[vp]
    vprobs = _victim_type_probs()[v_age - AGE_MIN] * np.where(
        pool.female[vp][:, None] == 1, VICTIM_FEMALE_TYPE_MULT, VICTIM_MALE_TYPE_MULT)
    v_type = _draw_categorical(rng, vprobs)
    want_p = np.array([YOUTH_VICTIM_P[t] for t in TYPES])[c_type, (l_ag == 2).astype(int)]
    want = np.flatnonzero(~mutual & (rng.random(n_case) < want_p))
    # blocks: year x type x (under 18 or not), so that minors' cases get minor victims
    block_case = ((cases.year[want] - YEARS[0]) * 8 + c_type[want]) * 2 + (l_ag[want] < 2)
    block_vic = ((vy - YEARS[0]) * 8 + v_type) * 2 + (v_age <= 17)
    ia, ib = _pair_in_blocks(rng, block_case, cases.day[want], block_vic, vd)
    link_case, link_vic = want[ia], ib
    own = np.isin(link_case * n_pool + vp[link_vic], case * n_pool + sp)  # never a victim of one's own case
    link_case, link_vic = link_case[~own], link_vic[~own]
    cases.add_rows(link_case, vp[link_vic], 1)
    has_youth_victim = np.zeros(n_case, bool)
    has_youth_victim[link_case] = True

    # ---- counter cases: the victim of a one-suspect fight reports the suspect the same day
    counter = link_case[(c_type[link_case] == _T["violence"]) & (size[link_case] == 1)
                        & (rng.random(len(link_case)) < COUNTER_CASE_P)]
    is_counter = np.isin(link_case, counter)
    counter = link_case[is_counter]
    new = cases.add_cases(cases.year[counter], cases.day[counter], np.full(len(counter), _T["violence"]),
                          cases.scene[counter], np.zeros(len(counter), bool))
    cases.add_rows(new, vp[link_vic][is_counter], 0)
    cases.add_rows(new, sp[lead[counter]], 1)

    # ---- victimisations not linked to a youth suspect: cases with the victim only
    linked = np.zeros(len(vp), bool)
    linked[link_vic] = True
    free = np.flatnonzero(~linked)
    new = cases.add_cases(vy[free], vd[free], v_type[free],
                          _scene(rng, pool.district[vp[free]], np.full(len(free), 0.5), districts),
                          _online(rng, v_type[free], vy[free]))
    cases.add_rows(new, vp[free], 1)

    # ---- adult victims of youth suspect cases without a youth victim
    need = np.flatnonzero(~has_youth_victim & ~mutual & (rng.random(n_case) < np.asarray(ADULT_VICTIM_P)[c_type]))
    adults = _adults(rng, cases.year[need], c_type[need], districts)
    cases.add_rows(need, n_pool + np.arange(len(need)), 1)

    persons = {
        "birth": np.r_[pool.birth_year.astype(np.int64), adults["birth"]],
        "female": np.r_[pool.female.astype(np.int8), adults["female"]],
        "sex_missing": np.r_[np.zeros(n_pool, bool), adults["sex_missing"]],
        "home": np.r_[pool.district.astype(np.int64), adults["district"]],
    }
    return _to_frame(rng, cases, persons, districts)


def _adults(rng: np.random.Generator, year: np.ndarray, ctype: np.ndarray, districts: tuple[str, ...]) -> dict:
    """Adult victims (23 and older), one new person per case."""
    k = len(year)
    age = 23 + np.minimum(rng.geometric(1 / 18, size=k) - 1, 62)
    female = (rng.random(k) < np.asarray(ADULT_FEMALE_P)[ctype]).astype(np.int8)
    sex_missing = rng.random(k) < ADULT_MISSING_SEX_P
    weight = np.array([0.0 if d == UNKNOWN_DISTRICT else 0.005 if d in ("Sentrum", "Marka") else 1.0
                       for d in districts])
    district = np.where(rng.random(k) < 0.1, districts.index(UNKNOWN_DISTRICT),
                        rng.choice(len(districts), size=k, p=weight / weight.sum()))
    return {"birth": year - age, "female": female, "sex_missing": sex_missing, "district": district}


def _to_frame(rng: np.random.Generator, cases: _Cases, persons: dict, districts: tuple[str, ...]) -> pd.DataFrame:
    """Number cases (date order) and persons (random order) and build the sorted table."""
    r_case = np.concatenate([r[0] for r in cases.rows])
    r_person = np.concatenate([r[1] for r in cases.rows])
    r_role = np.concatenate([r[2] for r in cases.rows])
    n_case = len(cases)
    case_no = np.empty(n_case, np.int64)
    case_no[np.lexsort((rng.random(n_case), cases.day, cases.year))] = np.arange(1, n_case + 1)
    used = np.flatnonzero(np.bincount(r_person, minlength=len(persons["birth"])))
    person_no = np.zeros(len(persons["birth"]), np.int64)
    person_no[used] = rng.permutation(len(used)) + 1

    dates = (cases.year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + cases.day
    names = np.asarray(districts, dtype=object)
    scene = names[cases.scene].copy()
    scene[cases.online & (rng.random(n_case) < ONLINE_NO_SCENE)] = ""
    online = np.where(cases.online, "true", "false").astype(object)
    sex = np.where(persons["sex_missing"], "", np.where(persons["female"] == 1, "female", "male"))
    out = pd.DataFrame({
        "case_id": _format_ids("C", case_no[r_case], 7),
        "person_id": _format_ids("P", person_no[r_person], 7),
        "role": np.where(r_role == 0, "suspect", "victim").astype(object),
        "registered_date": np.datetime_as_string(dates[r_case], unit="D").astype(object),
        "offence_type": np.asarray(TYPES, dtype=object)[cases.type[r_case]],
        "birth_year": persons["birth"][r_person],
        "sex": sex[r_person].astype(object),
        "district": names[persons["home"][r_person]],
        "scene_district": scene[r_case],
        "online": online[r_case],
    })
    # case numbers follow the date, so this sorts by date, case, role (suspects first), person
    order = np.lexsort((person_no[r_person], r_role, case_no[r_case]))
    return out.iloc[order].reset_index(drop=True)


def _group_cases(rng: np.random.Generator, person: np.ndarray, year: np.ndarray, district: np.ndarray,
                 day: np.ndarray, grouped: np.ndarray) -> np.ndarray:
    """Case number (0, 1, ...) of each suspect event; ``grouped`` events share cases.

    Grouped events are sorted by year, home district, quarter and a random key and cut
    into consecutive runs of 2-4 co-offenders, never across a change of year. A person
    never appears twice in one case: a repeated person gets a case of their own.
    """
    n = len(person)
    case = np.full(n, -1, np.int64)
    if n == 0:
        return case
    g = np.flatnonzero(grouped)
    order = g[np.lexsort((rng.random(len(g)), day[g] // 91, district[g], year[g]))]
    if len(order):
        y = year[order]
        block = np.cumsum(np.r_[True, y[1:] != y[:-1]]) - 1
        pos = np.arange(len(order)) - np.flatnonzero(np.r_[True, y[1:] != y[:-1]])[block]
        cum = np.cumsum(rng.choice(GROUP_SIZES, size=len(order), p=GROUP_SIZE_P))
        run_id = block.astype(np.int64) * (len(order) + 1) + np.searchsorted(cum, pos, side="right")
        run = np.r_[0, np.cumsum(run_id[1:] != run_id[:-1])]  # run_id never decreases along `order`
        case[order] = run
        # a person twice in one run: keep the first occurrence only
        key = np.lexsort((person[order], run))
        dup = np.zeros(len(order), bool)
        dup[key[1:]] = (run[key][1:] == run[key][:-1]) & (person[order][key][1:] == person[order][key][:-1])
        case[order[dup]] = -1
    solo = np.flatnonzero(case < 0)
    case[solo] = case.max() + 1 + np.arange(len(solo))
    used = np.zeros(int(case.max()) + 1, bool)
    used[case] = True
    return (np.cumsum(used) - 1)[case]  # dense numbering 0, 1, ... in the same order


def _pair_in_blocks(rng: np.random.Generator, block_a: np.ndarray, day_a: np.ndarray,
                    block_b: np.ndarray, day_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair items of A with items of B in the same block, as many as possible.

    In each block, a random subset of the larger side is kept and both sides are paired
    in date order, so paired items lie close in time. Returns index arrays into A and B.
    """
    n_blocks = int(max(block_a.max(initial=-1), block_b.max(initial=-1))) + 1
    ca, cb = np.bincount(block_a, minlength=n_blocks), np.bincount(block_b, minlength=n_blocks)
    m = np.minimum(ca, cb)

    def chosen(block: np.ndarray, day: np.ndarray) -> np.ndarray:
        order = np.lexsort((rng.random(len(block)), block))
        start = np.r_[0, np.cumsum(np.bincount(block, minlength=n_blocks))[:-1]]
        rank = np.empty(len(block), np.int64)
        rank[order] = np.arange(len(block)) - start[block[order]]
        keep = np.flatnonzero(rank < m[block])
        return keep[np.lexsort((day[keep], block[keep]))]

    return chosen(block_a, day_a), chosen(block_b, day_b)


def _scene(rng: np.random.Generator, home: np.ndarray, p_home: np.ndarray, districts: tuple[str, ...]) -> np.ndarray:
    """Scene district index: the home district with probability ``p_home``, else SCENE_WEIGHT."""
    w = np.array([SCENE_WEIGHT.get(d, 0.0) for d in districts])
    away = rng.choice(len(districts), size=len(home), p=w / w.sum())
    unknown_home = np.asarray(districts)[home] == "Uoppgitt"
    at_home = (rng.random(len(home)) < p_home) & ~unknown_home
    return np.where(at_home, home, away)


def _online(rng: np.random.Generator, ctype: np.ndarray, year: np.ndarray) -> np.ndarray:
    p = np.asarray(ONLINE_P)[ctype] * (1 + ONLINE_TREND * (year - YEARS[0]))
    return rng.random(len(ctype)) < p


def _format_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded number, for example ``P0000123`` (never 11 digits)."""
    if len(numbers) and numbers.max() >= 10**width:
        raise ValueError(f"{prefix}-ids need more than {width} digits: {numbers.max()}")
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width)).astype(object)
