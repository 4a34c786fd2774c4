"""Person-year processes of the pool: registered offending and victimisation, 2016-2025.

Model (vectorised over persons; the Python loop runs over years only)
---------------------------------------------------------------------
*Offending.* Each pool member ``i`` has a latent propensity ``z_it``, a standard normal
that mixes a permanent part and a yearly AR(1) part, ``corr(z_it, z_i,t+k) = w +
(1 - w) rho^k``, so repeat offenders persist from year to year and re-registration
curves are meaningful. The yearly number of registered offences is Poisson with a
log-normal rate, a Poisson-log-normal mixture: heavier-tailed than the negative binomial,
as the concentration of offending requires (Wolfgang, Figlio & Sellin 1972, *Delinquency in a
Birth Cohort*; SSB *Samfunnsspeilet* 2004/3, "Noen få veier tungt i kriminalitetsbildet")::

    log lambda_it = beta_t + a(age) + s(sex) + d(district) + sigma_t z_it,  lambda <= RATE_CAP

``beta_t`` and ``sigma_t`` were fitted by simulation (mean of six seeds other than the
default) to targets for persons aged 10-17 registered per year and for gjengangere (4+
offences), which restate the SaLTo figures where published (sources S34–S45 in
``data/sample/README.md``); ``beta_2022`` and ``beta_2025`` were then set by hand to the 2022
level below and to a fall in offences of about 5 % from 2024 to 2025:

====  =========  =====  ==========================================================
year  persons    4+     published
====  =========  =====  ==========================================================
2016  1,250      112    4+: 112 (S42); offences 2,200 (S42)
2017  1,483      151    persons 1,483, 4+ 151 (S42); 10+: 27 (S44)
2018  1,337      182    persons 1,337 (S40); 4+ 182 (S41)
2019  1,517      200    persons 1,517 (S39)
2020  1,350      175    (not published; pandemic years lower)
2021  1,250      160    (not published)
2022  1,150      145    "one of the lowest" (S94)
2023  1,480      217    4+ 217, 10+ 49 (S34); anmeldelser +56 % on 2022 (S36)
2024  1,500      225    (not published)
2025  1,450      212    offences about 5 % below 2024 (brief)
====  =========  =====  ==========================================================

*Victimisation.* A second latent ``v_it``, correlated with ``z_it`` (a shared risky
lifestyle), drives a Poisson-log-normal count of victimisations with an age curve shaped
like Statistics Norway's 2014 victims by single year of age (S61). Its spread
``VICTIM_SIGMA`` was fitted to SSB's 2018 repeat-victimisation table for ages 10-19
(87.3 % once, 10.3 % twice, 1.7 % three times, 0.75 % four or more; S60), and the level
to about 4,000-4,700 victims aged 10-22 a year, rising slightly, most among 10-14.

*Victim-offender overlap.* After a person's first victimisation the offending rate is
multiplied by ``KAPPA`` for the rest of the period, so victimisation raises the odds of
later offending and often precedes it (Jennings, Piquero & Reingle 2012, S75; Shaffer &
Ruback 2002, S78). ``BURN_IN`` years before 2016 are simulated and discarded, so the
histories and latent states of 2016 are already warm.
"""

from __future__ import annotations

import numpy as np

from .population import AGE_MIN, YEARS, Pool

__all__ = ["simulate_events", "age_group_index", "AGE_GROUP_NAMES"]

AGE_GROUP_NAMES = ("10-14", "15-17", "18-22")

# --------------------------------------------------------------------------- offending
#: Year level and tail of the log-rate (fitted; see the module docstring).
BETA_YEAR = {2016: -4.95, 2017: -4.92, 2018: -5.66, 2019: -5.30, 2020: -5.58,
             2021: -5.76, 2022: -6.03, 2023: -5.63, 2024: -5.67, 2025: -5.61}
SIGMA_YEAR = {2016: 2.33, 2017: 2.45, 2018: 2.83, 2019: 2.70, 2020: 2.76,
              2021: 2.81, 2022: 2.86, 2023: 2.86, 2024: 2.89, 2025: 2.83}
RATE_CAP = 10.0  # offences per year: bounds the log-normal tail
#: Age curve of the log-rate (age-crime curve: rising through the early teens, flat at 15-19).
AGE_EFFECT = np.array([-2.6, -1.9, -1.2, -0.6, -0.2, 0.0, 0.1, 0.15, 0.3, 0.3, 0.2, 0.1, 0.0])
FEMALE_EFFECT = -1.7  # girls' share of offences under 18 about 15-20 % (SaLTo 2015-16)
#: Home-district effect (log scale): higher in the inner east and the outer east.
DISTRICT_EFFECT = {
    "Gamle Oslo": 0.35, "Grünerløkka": 0.15, "Sagene": 0.0, "St. Hanshaugen": 0.05, "Frogner": -0.2,
    "Ullern": -0.45, "Vestre Aker": -0.55, "Nordre Aker": -0.45, "Bjerke": 0.2, "Grorud": 0.3,
    "Stovner": 0.3, "Alna": 0.3, "Østensjø": -0.1, "Nordstrand": -0.3, "Søndre Nordstrand": 0.3,
    "Sentrum": 0.4, "Marka": -1.2, "Uoppgitt": -0.3,  # Uoppgitt: non-residents, less time in Oslo
}
PERMANENT_SHARE, AR_RHO = 0.6, 0.7  # w and rho of the latent propensity
KAPPA = 3.0  # rate ratio for offending after a first victimisation
BURN_IN = 5  # years simulated before 2016 so that histories and latent states are warm

# --------------------------------------------------------------------------- victimisation
VICTIM_LEVEL = -5.15  # fitted (see the module docstring)
#: Age curve of victimisation, log scale, shaped like SSB's 2014 victims per single age.
VICTIM_AGE_EFFECT = np.log(np.array([0.56, 0.66, 0.76, 1.2, 1.45, 1.86, 2.5, 3.2, 5.6, 5.8, 6.1, 6.0, 5.8]))
VICTIM_FEMALE_EFFECT = -0.05
VICTIM_SIGMA = 1.48  # fitted to SSB 2018 repeat victimisation, ages 10-19
VICTIM_OFFENDER_CORR = 0.2  # correlation of the two latents
#: Yearly trend of victimisation by age group (slight rise, largest among 10-14).
VICTIM_TREND = {"10-14": 0.035, "15-17": 0.005, "18-22": 0.0}
VICTIM_RATE_CAP = 6.0  # victimisations per year


def age_group_index(age: np.ndarray) -> np.ndarray:
    """Index into :data:`AGE_GROUP_NAMES`: 0 for 10-14, 1 for 15-17, 2 for 18-22."""
    return np.where(age <= 14, 0, np.where(age <= 17, 1, 2))


def _expand(rng: np.random.Generator, idx: np.ndarray, counts: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Repeat ``idx`` by ``counts``, with a uniform day in ``[lo, hi)`` for each event."""
    rep = np.repeat(np.arange(len(idx)), counts)
    lo_r, hi_r = lo[rep], hi[rep]
    day = lo_r + np.floor(rng.random(len(rep)) * (hi_r - lo_r)).astype(np.int64)
    return idx[rep], day


def simulate_events(pool: Pool, rng: np.random.Generator) -> dict[str, dict[str, np.ndarray]]:
    """Offending and victimisation events of the pool, year by year.

    Returns ``{"suspect": {...}, "victim": {...}}`` with arrays ``person`` (pool index),
    ``year``, ``day`` (0-based day of the year) and, for suspects, ``z`` (the person's
    propensity that year; persistent offenders commit more robberies).
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
        trend = np.array([VICTIM_TREND[g] for g in AGE_GROUP_NAMES])[age_group_index(age)]
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
    return {"suspect": _concat(sus), "victim": _concat(vic)}


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
