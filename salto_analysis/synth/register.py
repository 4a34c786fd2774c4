"""Synthetic police register: cases x persons x roles for persons aged 10-22, 2016-2025.

Model (all of it vectorised over persons; Python loops run over the ten years only)
---------------------------------------------------------------------------------
*Offending.* Each pool member ``i`` has a latent propensity ``z_it``, a standard normal
that mixes a permanent part and a yearly AR(1) part (``corr(z_it, z_i,t+k) = w +
(1 - w) rho^k``), so repeat offenders persist from year to year and re-registration
curves are meaningful. The yearly number of registered offences is Poisson with a
log-normal rate (a Poisson-log-normal mixture: heavier-tailed than the negative
binomial, as concentration of offending requires; Wolfgang, Figlio & Sellin 1972;
SSB *Samfunnsspeilet* 2004/3)::

    log lambda_it = beta_t + a(age) + s(sex) + d(district) + sigma_t z_it,  lambda <= cap

The year level ``beta_t`` and tail ``sigma_t`` are calibrated to the SaLTo series of
persons aged 10-17 registered per year and of gjengangere (4+ offences) and persons
with 10+ offences (``published_figures.md`` section 5; see README.md).

*Victimisation.* A second latent ``v_it``, correlated with ``z_it`` (shared risky
lifestyle), drives a Poisson-log-normal count of victimisations with an age curve
shaped like Statistics Norway's 2014 single-age victim table and a spread calibrated to
SSB's 2018 repeat-victimisation table for ages 10-19 (section 7).

*Victim-offender overlap.* After a person's first victimisation, the offending rate is
multiplied by ``KAPPA`` for the rest of the period, so victimisation raises the odds of
later offending and often precedes it (Jennings, Piquero & Reingle 2012; Shaffer &
Ruback 2002, section 9).

*Cases.* Some offences are committed together: co-offenders are grouped by year, home
district and quarter into cases of 2-4 suspects (group offences). A case has one date,
offence type (probabilities by age group, sex, group and propensity; POD 2017 shares
of theft and drug offences by age, section 5), scene district (often the home district,
else weighted towards Sentrum and Gamle Oslo) and an ``online`` flag. Violent and
sexual cases get a victim: a youth victimisation event of the same type and year when
one is available (so over half of the violence cases of suspects under 18 have a victim
aged 10-22, SaLTo 2016, section 9), otherwise an adult victim. Victimisations that are
not linked to a youth suspect become cases with a victim only (perpetrator unknown or
adult). A few fights are mutual: both suspects are also victims of the same case, or
the two sides report each other on the same day in two cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salto_analysis.schemas import OFFENCE_TYPE, REGISTER

from .population import AGE_MAX, AGE_MIN, YEARS, Pool

__all__ = ["simulate_register", "REGISTER_COLUMNS", "TYPES"]

#: Columns written to register.csv.gz: the schema's input columns with birth_year, not age.
REGISTER_COLUMNS = tuple(c.name for c in REGISTER.input_columns if c.name != "age")
TYPES = tuple(OFFENCE_TYPE)  # violence, robbery, threats, theft, drugs, sexual, vandalism, other
_T = {t: i for i, t in enumerate(TYPES)}

# --------------------------------------------------------------------------- offending
#: Year level and tail of the log-rate (calibrated; see the module docstring).
BETA_YEAR = {2016: -4.95, 2017: -4.92, 2018: -5.66, 2019: -5.30, 2020: -5.58, 2021: -5.76, 2022: -6.03, 2023: -5.63, 2024: -5.67, 2025: -5.61}
SIGMA_YEAR = {2016: 2.33, 2017: 2.45, 2018: 2.83, 2019: 2.70, 2020: 2.76, 2021: 2.81, 2022: 2.86, 2023: 2.86, 2024: 2.89, 2025: 2.83}
RATE_CAP = 10.0  # offences per year: bounds the log-normal tail
#: Age curve of the log-rate (age-crime curve; POD 2017: most registered at 15-19).
AGE_EFFECT = np.array([-2.6, -1.9, -1.2, -0.6, -0.2, 0.0, 0.1, 0.15, 0.3, 0.3, 0.2, 0.1, 0.0])
FEMALE_EFFECT = -1.7  # girls' share of offences under 18 about 15-20 % (SaLTo 2015-16)
#: Home-district effect (log scale): higher in the inner east and the outer east.
DISTRICT_EFFECT = {
    "Gamle Oslo": 0.35, "Grünerløkka": 0.15, "Sagene": 0.0, "St. Hanshaugen": 0.05, "Frogner": -0.2,
    "Ullern": -0.45, "Vestre Aker": -0.55, "Nordre Aker": -0.45, "Bjerke": 0.2, "Grorud": 0.3,
    "Stovner": 0.3, "Alna": 0.3, "Østensjø": -0.1, "Nordstrand": -0.3, "Søndre Nordstrand": 0.3,
    "Sentrum": 0.4, "Marka": -1.2, "Uoppgitt": -0.3,
}
PERMANENT_SHARE, AR_RHO = 0.6, 0.7  # w and rho of the latent propensity
KAPPA = 3.0  # rate ratio for offending after a first victimisation
BURN_IN = 5  # years simulated before 2016 so that histories and latent states are warm

# --------------------------------------------------------------------------- victimisation
VICTIM_LEVEL = -5.15
#: Age curve of victimisation, log scale, shaped like SSB's 2014 victims per single age.
VICTIM_AGE_EFFECT = np.log(np.array([0.56, 0.66, 0.76, 1.2, 1.45, 1.86, 2.5, 3.2, 5.6, 5.8, 6.1, 6.0, 5.8]))
VICTIM_FEMALE_EFFECT = -0.05
VICTIM_SIGMA = 1.48
VICTIM_OFFENDER_CORR = 0.2
#: Yearly trend of victimisation by age group (slight rise, largest among 10-14).
VICTIM_TREND = {"10-14": 0.035, "15-17": 0.005, "18-22": 0.0}
VICTIM_RATE_CAP = 6.0

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


def age_group_index(age: np.ndarray) -> np.ndarray:
    """0 for 10-14, 1 for 15-17, 2 for 18-22."""
    return np.where(age <= 14, 0, np.where(age <= 17, 1, 2))


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


def _expand(rng: np.random.Generator, idx: np.ndarray, counts: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Repeat ``idx`` by ``counts``, with a uniform day in ``[lo, hi)`` for each event."""
    rep = np.repeat(np.arange(len(idx)), counts)
    lo_r, hi_r = lo[rep], hi[rep]
    day = lo_r + np.floor(rng.random(len(rep)) * (hi_r - lo_r)).astype(np.int64)
    return idx[rep], day


def simulate_events(pool: Pool, rng: np.random.Generator) -> dict[str, dict[str, np.ndarray]]:
    """Offending and victimisation events of the pool, year by year.

    Returns ``{"suspect": {...}, "victim": {...}}`` with arrays ``person`` (pool index),
    ``year``, ``day`` (0-based day of the year) and ``z`` (the person's propensity that
    year; used for offence types and grouping).
    """
    n = len(pool)
    dist_eff = np.array([DISTRICT_EFFECT[d] for d in pool.districts])[pool.district]
    perm_o, ar_o = rng.standard_normal(n), rng.standard_normal(n)
    perm_v, ar_v = rng.standard_normal(n), rng.standard_normal(n)
    victimised_before = np.zeros(n, dtype=bool)
    sus, vic = [], []
    for year in range(YEARS[0] - BURN_IN, YEARS[-1] + 1):
        keep = year >= YEARS[0]
        params = year if keep else YEARS[0]
        ndays = 366 if year % 4 == 0 else 365
        ar_o = AR_RHO * ar_o + np.sqrt(1 - AR_RHO**2) * rng.standard_normal(n)
        ar_v = AR_RHO * ar_v + np.sqrt(1 - AR_RHO**2) * rng.standard_normal(n)
        idx = np.flatnonzero(pool.present(year))
        z = np.sqrt(PERMANENT_SHARE) * perm_o[idx] + np.sqrt(1 - PERMANENT_SHARE) * ar_o[idx]
        own_v = np.sqrt(PERMANENT_SHARE) * perm_v[idx] + np.sqrt(1 - PERMANENT_SHARE) * ar_v[idx]
        v = VICTIM_OFFENDER_CORR * z + np.sqrt(1 - VICTIM_OFFENDER_CORR**2) * own_v
        age = (year - pool.birth_year[idx]).astype(np.int64)
        a = age - AGE_MIN
        female = pool.female[idx]

        # victimisation
        trend = np.array([VICTIM_TREND[g] for g in ("10-14", "15-17", "18-22")])[age_group_index(age)]
        nu = np.exp(VICTIM_LEVEL + VICTIM_AGE_EFFECT[a] + VICTIM_FEMALE_EFFECT * female
                    + 0.5 * dist_eff[idx] + trend * (params - YEARS[0]) + VICTIM_SIGMA * v)
        nv = rng.poisson(np.minimum(nu, VICTIM_RATE_CAP))
        zeros = np.zeros(len(idx), np.int64)
        v_person, v_day = _expand(rng, idx, nv, zeros, zeros + ndays)
        first = np.full(n, ndays, np.int64)
        np.minimum.at(first, v_person, v_day)
        first_day = np.where(victimised_before[idx], 0, first[idx])
        if keep:
            vic.append({"person": v_person, "year": np.full(len(v_person), year, np.int16), "day": v_day})

        # offending, with the rate raised after the first victimisation
        lam = np.exp(BETA_YEAR[params] + AGE_EFFECT[a] + FEMALE_EFFECT * female + dist_eff[idx]
                     + SIGMA_YEAR[params] * z)
        frac_pre = first_day / ndays
        n_pre = rng.poisson(np.minimum(lam, RATE_CAP) * frac_pre)
        n_post = rng.poisson(np.minimum(lam * KAPPA, RATE_CAP) * (1 - frac_pre))
        p1, d1 = _expand(rng, idx, n_pre, zeros, first_day)
        p2, d2 = _expand(rng, idx, n_post, first_day, zeros + ndays)
        z_full = np.zeros(n, np.float32)
        z_full[idx] = z
        person = np.concatenate([p1, p2])
        if keep:
            sus.append({"person": person, "year": np.full(len(person), year, np.int16),
                        "day": np.concatenate([d1, d2]), "z": z_full[person]})
        victimised_before[v_person] = True
    cat = lambda parts: {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}  # noqa: E731
    return {"suspect": cat(sus), "victim": cat(vic)}


# --------------------------------------------------------------------------- cases


def _group_cases(rng: np.random.Generator, person: np.ndarray, year: np.ndarray, district: np.ndarray,
                 day: np.ndarray, grouped: np.ndarray) -> np.ndarray:
    """Case number (0, 1, ...) of each suspect event; ``grouped`` events share cases.

    Grouped events are sorted by year, home district, quarter and a random key and cut
    into consecutive runs of 2-4 co-offenders, never across a change of year. A person
    never appears twice in one case: a repeated person gets a case of their own.
    """
    n = len(person)
    case = np.full(n, -1, np.int64)
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


def simulate_register(pool: Pool, rng: np.random.Generator) -> pd.DataFrame:
    """The register as written to ``register.csv.gz`` (columns :data:`REGISTER_COLUMNS`).

    One row per case x person x role, sorted by date, case, role and person. Suspects
    are pool members aged 10-22; victims are pool members aged 10-22 or adults.
    """
    ev = simulate_events(pool, rng)
    districts = pool.districts
    n_pool = len(pool)

    # ---- suspect events -> cases
    s = ev["suspect"]
    sp, sy, sd, sz = s["person"], s["year"].astype(np.int64), s["day"], s["z"].astype(float)
    s_age = sy - pool.birth_year[sp]
    s_ag = age_group_index(s_age)
    grouped = rng.random(len(sp)) < np.asarray(GROUP_PROB)[s_ag]
    case = _group_cases(rng, sp, sy, pool.district[sp], sd, grouped)
    n_case = int(case.max()) + 1 if len(case) else 0
    lead = np.full(n_case, len(sp), np.int64)
    np.minimum.at(lead, case, np.arange(len(sp)))
    size = np.bincount(case, minlength=n_case)
    c_year, c_day = sy[lead], sd[lead]
    l_ag, l_female, l_z = s_ag[lead], pool.female[sp[lead]], sz[lead]
    base = np.array([SUSPECT_TYPE_P[g] for g in ("10-14", "15-17", "18-22")])[l_ag]
    probs = (base * np.where(l_female[:, None] == 1, FEMALE_TYPE_MULT, 1.0)
             * np.where(size[:, None] > 1, GROUP_TYPE_MULT, 1.0))
    probs[:, _T["robbery"]] *= 1 + 0.3 * np.maximum(l_z, 0)  # persistent offenders rob more
    c_type = _draw_categorical(rng, probs)
    c_scene = _scene(rng, pool.district[sp[lead]], np.asarray(SCENE_HOME_PROB)[l_ag], districts)
    c_online = _online(rng, c_type, c_year)

    rows_case = [case]
    rows_person = [sp]
    rows_role = [np.zeros(len(sp), np.int8)]

    # ---- mutual fights: both suspects of a two-person violence case are also victims
    mutual = (c_type == _T["violence"]) & (size == 2) & (rng.random(n_case) < MUTUAL_FIGHT_P)
    m_rows = np.flatnonzero(mutual[case])
    rows_case.append(case[m_rows])
    rows_person.append(sp[m_rows])
    rows_role.append(np.ones(len(m_rows), np.int8))

    # ---- youth victimisations: offence type, then link to suspect cases of the same type and year
    v = ev["victim"]
    vp, vy, vd = v["person"], v["year"].astype(np.int64), v["day"]
    v_age = vy - pool.birth_year[vp]
    vprobs = _victim_type_probs()[v_age - AGE_MIN] * np.where(
        pool.female[vp][:, None] == 1, VICTIM_FEMALE_TYPE_MULT, VICTIM_MALE_TYPE_MULT)
    v_type = _draw_categorical(rng, vprobs)
    want_p = np.array([YOUTH_VICTIM_P[t] for t in TYPES])[c_type, (l_ag == 2).astype(int)]
    want = np.flatnonzero(~mutual & (rng.random(n_case) < want_p))
    # blocks: year x type x (under 18 or not), so minors' cases get minor victims
    block_case = ((c_year[want] - YEARS[0]) * 8 + c_type[want]) * 2 + (l_ag[want] < 2)
    block_vic = ((vy - YEARS[0]) * 8 + v_type) * 2 + (v_age <= 17)
    ia, ib = _pair_in_blocks(rng, block_case, c_day[want], block_vic, vd)
    link_case, link_vic = want[ia], ib
    # never link a suspect to their own case as victim
    own = np.isin(link_case * n_pool + vp[link_vic], case * n_pool + sp)
    link_case, link_vic = link_case[~own], link_vic[~own]
    rows_case.append(link_case)
    rows_person.append(vp[link_vic])
    rows_role.append(np.ones(len(link_case), np.int8))
    has_youth_victim = np.zeros(n_case, bool)
    has_youth_victim[link_case] = True

    # ---- counter cases: the victim of a one-suspect fight reports the suspect the same day
    counter = link_case[(c_type[link_case] == _T["violence"]) & (size[link_case] == 1)
                        & (rng.random(len(link_case)) < COUNTER_CASE_P)]
    counter_victim_person = vp[link_vic][np.isin(link_case, counter)]
    counter = link_case[np.isin(link_case, counter)]
    k = len(counter)
    new_case = n_case + np.arange(k)
    rows_case += [new_case, new_case]
    rows_person += [counter_victim_person, sp[lead[counter]]]
    rows_role += [np.zeros(k, np.int8), np.ones(k, np.int8)]
    c_year = np.r_[c_year, c_year[counter]]
    c_day = np.r_[c_day, c_day[counter]]
    c_type = np.r_[c_type, np.full(k, _T["violence"])]
    c_scene = np.r_[c_scene, c_scene[counter]]
    c_online = np.r_[c_online, np.zeros(k, bool)]
    n_case += k

    # ---- victimisations not linked to a youth suspect: cases with the victim only
    linked = np.zeros(len(vp), bool)
    linked[link_vic] = True
    free = np.flatnonzero(~linked)
    k = len(free)
    new_case = n_case + np.arange(k)
    rows_case.append(new_case)
    rows_person.append(vp[free])
    rows_role.append(np.ones(k, np.int8))
    c_year = np.r_[c_year, vy[free]]
    c_day = np.r_[c_day, vd[free]]
    c_type = np.r_[c_type, v_type[free]]
    c_scene = np.r_[c_scene, _scene(rng, pool.district[vp[free]], np.full(k, 0.5), districts)]
    c_online = np.r_[c_online, _online(rng, v_type[free], vy[free])]
    n_case += k

    # ---- adult victims of youth suspect cases without a youth victim
    n_susp_case = len(size)
    need = np.flatnonzero(~has_youth_victim & ~mutual
                          & (rng.random(n_susp_case) < np.asarray(ADULT_VICTIM_P)[c_type[:n_susp_case]]))
    k = len(need)
    adult_age = 23 + np.minimum(rng.geometric(1 / 18, size=k) - 1, 62)
    adult_birth = c_year[need] - adult_age
    adult_female = (rng.random(k) < np.asarray(ADULT_FEMALE_P)[c_type[need]]).astype(np.int8)
    adult_missing_sex = rng.random(k) < ADULT_MISSING_SEX_P
    resident_w = np.array([0.0 if d == "Uoppgitt" else 1.0 for d in districts])
    resident_w[[i for i, d in enumerate(districts) if d in ("Sentrum", "Marka")]] = 0.005
    adult_district = np.where(rng.random(k) < 0.1, districts.index("Uoppgitt"),
                              rng.choice(len(districts), size=k, p=resident_w / resident_w.sum()))
    rows_case.append(need)
    rows_person.append(n_pool + np.arange(k))
    rows_role.append(np.ones(k, np.int8))

    # ---- assemble
    r_case = np.concatenate(rows_case)
    r_person = np.concatenate(rows_person)
    r_role = np.concatenate(rows_role)
    birth = np.r_[pool.birth_year.astype(np.int64), adult_birth]
    female = np.r_[pool.female.astype(np.int8), adult_female]
    sex_missing = np.r_[np.zeros(n_pool, bool), adult_missing_sex]
    home = np.r_[pool.district.astype(np.int64), adult_district]

    # ids: cases numbered in date order, persons in random order
    case_order = np.lexsort((rng.random(n_case), c_day, c_year))
    case_no = np.empty(n_case, np.int64)
    case_no[case_order] = np.arange(1, n_case + 1)
    used = np.flatnonzero(np.bincount(r_person, minlength=len(birth)))
    person_no = np.zeros(len(birth), np.int64)
    person_no[used] = rng.permutation(len(used)) + 1

    dates = (c_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + c_day
    names = np.asarray(districts, dtype=object)
    scene = names[c_scene].copy()
    online = np.where(c_online, "true", "false").astype(object)
    scene[c_online & (rng.random(n_case) < ONLINE_NO_SCENE)] = ""
    out = pd.DataFrame({
        "case_no": case_no[r_case],
        "person_no": person_no[r_person],
        "role_no": r_role,
    })
    out["case_id"] = _format_ids("C", out["case_no"].to_numpy(), 7)
    out["person_id"] = _format_ids("P", out["person_no"].to_numpy(), 7)
    out["role"] = np.where(r_role == 0, "suspect", "victim")
    out["registered_date"] = np.datetime_as_string(dates[r_case], unit="D")
    out["offence_type"] = np.asarray(TYPES, dtype=object)[c_type[r_case]]
    out["birth_year"] = birth[r_person]
    out["sex"] = np.where(sex_missing[r_person], "", np.where(female[r_person] == 1, "female", "male"))
    out["district"] = names[home[r_person]]
    out["scene_district"] = scene[r_case]
    out["online"] = online[r_case]
    # case numbers follow the date, so this is date, case, role (suspects first), person
    order = np.lexsort((out["person_no"].to_numpy(), r_role, out["case_no"].to_numpy()))
    return out.loc[order, list(REGISTER_COLUMNS)].reset_index(drop=True)


def _format_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded number, for example ``P0000123`` (never 11 digits)."""
    if len(numbers) and numbers.max() >= 10**width:
        raise ValueError(f"{prefix}-ids need more than {width} digits: {numbers.max()}")
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width)).astype(object)
