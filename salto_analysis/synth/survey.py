"""Synthetic Ung i Oslo school survey: one row per responding pupil, 8th grade to VG3.

Model
-----
*Design.* A fixed set of schools (lower secondary, grades 8-10, and upper secondary,
VG1-VG3) spread over the districts takes part in each wave, as in Ung i Oslo (84 schools
and 25,348 respondents in 2018; response 86 % in lower and 72 % in upper secondary in
2015; S1, S4, S8 and S9 in ``data/sample/README.md``). Respondents per school and grade are Poisson
around a log-normal school size. Lower-secondary pupils mostly live in the school's
district; upper-secondary pupils come from all over the city. A school-level response
rate gives non-response weights near 1 (mean 1 in each wave).

*Items.* Each item is "at least once in the last 12 months" on the Ungdata frequency scale
(codes "1"-"5", ``schemas.FREQUENCY_12M``). Use is a random-intercept logistic model::

    logit P(use) = alpha(item, wave, grade, sex) + d(item, district) + u(item, school) + l(item) r_i

with a school effect ``u`` (part shared by all items of a school, part item-specific) that
makes design effects clearly larger than 1, and a pupil risk ``r_i`` shared by all items
so that drinking, cannabis and other drugs go together. ``alpha`` is solved numerically
(Gauss-Hermite quadrature over ``u + l r``, averaged over the pupils' districts) so that
the expected prevalence equals the target of each wave x grade x sex cell in
:data:`TARGETS`. The targets restate published Ung i Oslo figures where they exist
(drunk 4 % in 8th grade to 69 % in VG3 in 2015; cannabis among boys 30 % and girls 20 %
in VG3 2015, 38 % and 23 % in 2018; cocaine 3 % of upper-secondary pupils in 2018 and
8 % in 2023, 17 % of VG3 boys in 2023) and interpolate smoothly elsewhere.
District effects give the west-east gradient (cannabis about twice as common in
Frogner/Ullern as in Stovner/Alna, 2018; drunk 45 % in Vestre Aker and 16 % in
Grorud, 2021). Frequencies among users follow fixed shares by item (Cann2021: 56 % of
past-year users used 1-2 times). "Other illegal drugs" includes cocaine: cocaine use is
drawn among the users of other drugs (with probability target cocaine / target other), so
the other-drugs answer is never below the cocaine answer. A pupil-level tendency to skip
questions gives item non-response of a few per cent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from salto_analysis.schemas import GRADE, SURVEY, SURVEY_ITEMS

from .population import DISTRICT_PARAMS, UNKNOWN_DISTRICT

__all__ = ["simulate_survey", "SURVEY_COLUMNS", "WAVES", "TARGETS", "solve_intercepts"]

SURVEY_COLUMNS = tuple(c.name for c in SURVEY.input_columns)
WAVES = (2015, 2018, 2021, 2023)
GRADES = tuple(GRADE)  # 8, 9, 10, VG1, VG2, VG3
USE_ITEMS = ("drunk_12m", "cannabis_12m", "other_drugs_12m", "cocaine_12m", "nitrous_oxide_12m", "vaping_12m")

# --------------------------------------------------------------------------- design
N_LOWER, N_UPPER = 58, 27  # schools: ungdomsskoler and videregående skoler
#: Upper-secondary schools per district (inner city has more).
UPPER_SCHOOLS = {"Gamle Oslo": 2, "Grünerløkka": 2, "Sagene": 2, "St. Hanshaugen": 3, "Frogner": 3,
                 "Ullern": 2, "Vestre Aker": 2, "Nordre Aker": 2, "Bjerke": 1, "Grorud": 1, "Stovner": 1,
                 "Alna": 2, "Østensjø": 1, "Nordstrand": 2, "Søndre Nordstrand": 1}
#: Respondents per wave and grade (before Poisson noise).
RESPONDENTS = {"8": 5000, "9": 4950, "10": 4900, "VG1": 3900, "VG2": 3400, "VG3": 3000}
WAVE_SIZE = {2015: 0.97, 2018: 1.0, 2021: 0.93, 2023: 1.01}
RESPONSE_RATE = {"lower": 0.86, "upper": 0.72}  # Ung i Oslo 2015 (section 1)
PARTICIPATION = 0.95  # chance that a school takes part in a wave
OPENS_2021 = 2  # lower-secondary schools that open in 2021 (absent in 2015 and 2018)
HOME_IN_SCHOOL_DISTRICT = {"lower": 0.92, "upper": 0.35}
UNKNOWN_HOME = 0.01  # pupils who do not give a home district
MISSING_SEX = 0.01

# --------------------------------------------------------------------------- items
#: Target prevalence (at least once in the last 12 months) by item, wave and sex:
#: one value per grade 8, 9, 10, VG1, VG2, VG3. "both" applies to boys and girls.
_DRUNK_2015 = (0.04, 0.11, 0.24, 0.45, 0.58, 0.69)
_DRUNK_ODDS = {2015: 1.0, 2018: 0.85, 2021: 0.62, 2023: 0.45}


def _odds_scale(p: tuple[float, ...], k: float) -> tuple[float, ...]:
    return tuple(round(float(expit(np.log(x / (1 - x)) + np.log(k))), 4) for x in p)


TARGETS: dict[str, dict[int, dict[str, tuple[float, ...]]]] = {
    "drunk_12m": {w: {"both": _odds_scale(_DRUNK_2015, k)} for w, k in _DRUNK_ODDS.items()},
    "cannabis_12m": {
        2015: {"male": (0.005, 0.02, 0.045, 0.17, 0.24, 0.30), "female": (0.003, 0.01, 0.025, 0.08, 0.13, 0.20)},
        2018: {"male": (0.01, 0.035, 0.075, 0.27, 0.35, 0.38), "female": (0.005, 0.02, 0.04, 0.14, 0.22, 0.23)},
        2021: {"male": (0.008, 0.03, 0.065, 0.22, 0.30, 0.34), "female": (0.005, 0.015, 0.035, 0.12, 0.18, 0.20)},
        2023: {"male": (0.009, 0.032, 0.07, 0.24, 0.33, 0.39), "female": (0.005, 0.017, 0.038, 0.13, 0.20, 0.23)},
    },
    "cocaine_12m": {
        2015: {"male": (0.002, 0.003, 0.006, 0.018, 0.028, 0.04), "female": (0.001, 0.002, 0.004, 0.01, 0.015, 0.022)},
        2018: {"male": (0.002, 0.004, 0.008, 0.025, 0.04, 0.06), "female": (0.001, 0.002, 0.005, 0.012, 0.02, 0.03)},
        2021: {"male": (0.003, 0.005, 0.01, 0.03, 0.05, 0.075), "female": (0.002, 0.003, 0.006, 0.015, 0.025, 0.035)},
        2023: {"male": (0.004, 0.007, 0.014, 0.06, 0.11, 0.17), "female": (0.002, 0.004, 0.008, 0.03, 0.05, 0.08)},
    },
    "other_drugs_12m": {
        2015: {"male": (0.006, 0.01, 0.018, 0.05, 0.06, 0.075), "female": (0.004, 0.007, 0.012, 0.03, 0.035, 0.045)},
        2018: {"male": (0.006, 0.012, 0.02, 0.05, 0.065, 0.085), "female": (0.004, 0.008, 0.013, 0.03, 0.04, 0.05)},
        2021: {"male": (0.008, 0.014, 0.025, 0.06, 0.08, 0.10), "female": (0.005, 0.01, 0.016, 0.035, 0.045, 0.06)},
        2023: {"male": (0.01, 0.018, 0.03, 0.09, 0.14, 0.20), "female": (0.006, 0.012, 0.02, 0.05, 0.07, 0.10)},
    },
    "nitrous_oxide_12m": {
        2015: {"both": (0.01, 0.015, 0.02, 0.03, 0.04, 0.04)},
        2018: {"both": (0.015, 0.02, 0.03, 0.05, 0.06, 0.06)},
        2021: {"both": (0.03, 0.04, 0.05, 0.08, 0.09, 0.08)},
        2023: {"both": (0.03, 0.04, 0.05, 0.08, 0.09, 0.09)},
    },
    "vaping_12m": {
        2015: {"both": (0.02, 0.04, 0.06, 0.08, 0.10, 0.11)},
        2018: {"both": (0.02, 0.04, 0.06, 0.07, 0.09, 0.10)},
        2021: {"both": (0.04, 0.07, 0.10, 0.14, 0.16, 0.17)},
        2023: {"both": (0.08, 0.13, 0.18, 0.25, 0.27, 0.28)},
    },
    # "yes, cannabis should be legalised" (boys in upper secondary most positive)
    "cannabis_legal": {
        2015: {"male": (0.08, 0.09, 0.11, 0.22, 0.25, 0.27), "female": (0.05, 0.05, 0.06, 0.12, 0.14, 0.15)},
        2018: {"male": (0.10, 0.11, 0.13, 0.28, 0.32, 0.34), "female": (0.06, 0.06, 0.08, 0.15, 0.18, 0.19)},
        2021: {"male": (0.10, 0.11, 0.13, 0.27, 0.31, 0.33), "female": (0.06, 0.06, 0.08, 0.15, 0.17, 0.18)},
        2023: {"male": (0.10, 0.12, 0.14, 0.29, 0.33, 0.35), "female": (0.06, 0.07, 0.08, 0.16, 0.18, 0.20)},
    },
}
#: Boys' odds relative to girls where TARGETS gives "both".
_BOY_ODDS = {"drunk_12m": 1.0, "nitrous_oxide_12m": 1.3, "vaping_12m": 1.2}
DONT_KNOW = {"lower": 0.35, "upper": 0.20}  # share "don't know" among those not answering yes

#: Loading of the shared pupil risk, school-effect SD (logit scale) and item non-response.
LOADING = {"drunk_12m": 2.0, "cannabis_12m": 2.4, "cocaine_12m": 2.6, "other_drugs_12m": 2.6,
           "nitrous_oxide_12m": 1.8, "vaping_12m": 1.8, "cannabis_legal": 1.2}
SCHOOL_SD = {"drunk_12m": 0.35, "cannabis_12m": 0.40, "cocaine_12m": 0.45, "other_drugs_12m": 0.45,
             "nitrous_oxide_12m": 0.40, "vaping_12m": 0.40, "cannabis_legal": 0.25}
MISSING = {"drunk_12m": 0.02, "cannabis_12m": 0.03, "cocaine_12m": 0.035, "other_drugs_12m": 0.035,
           "nitrous_oxide_12m": 0.035, "vaping_12m": 0.03, "cannabis_legal": 0.05}
#: Frequency among users: shares of codes 2 (once), 3 (2-5), 4 (6-10), 5 (11+).
FREQUENCY = {"drunk_12m": (0.30, 0.40, 0.15, 0.15), "cannabis_12m": (0.40, 0.33, 0.12, 0.15),
             "cocaine_12m": (0.45, 0.35, 0.10, 0.10), "other_drugs_12m": (0.45, 0.35, 0.10, 0.10),
             "nitrous_oxide_12m": (0.45, 0.35, 0.12, 0.08), "vaping_12m": (0.20, 0.25, 0.15, 0.40)}

#: District effects on the logit scale (0 for districts not listed).
DISTRICT_EFFECT = {
    "drunk_12m": {"Vestre Aker": 1.3, "Ullern": 1.2, "Frogner": 1.0, "Nordre Aker": 1.0, "Nordstrand": 0.8,
                  "St. Hanshaugen": 0.5, "Sagene": 0.4, "Østensjø": 0.4, "Bjerke": -0.6, "Gamle Oslo": -0.8,
                  "Grorud": -1.4, "Stovner": -1.4, "Alna": -1.4, "Søndre Nordstrand": -1.4, "Marka": 0.8},
    "cannabis_12m": {"Frogner": 0.95, "Ullern": 0.85, "Vestre Aker": 0.6, "St. Hanshaugen": 0.7,
                     "Grünerløkka": 0.6, "Sagene": 0.4, "Nordre Aker": 0.2, "Østensjø": -0.2, "Bjerke": -0.4,
                     "Grorud": -0.75, "Stovner": -0.75, "Alna": -0.75, "Søndre Nordstrand": -0.75},
    "nitrous_oxide_12m": {"Gamle Oslo": 0.3, "Grorud": 0.3, "Stovner": 0.3, "Alna": 0.3, "Søndre Nordstrand": 0.3,
                          "Frogner": -0.15, "Ullern": -0.15, "Vestre Aker": -0.15, "Nordre Aker": -0.15},
    "vaping_12m": {"Frogner": 0.3, "Ullern": 0.3, "Vestre Aker": 0.3, "Nordre Aker": 0.15},
}
DISTRICT_EFFECT["other_drugs_12m"] = {**DISTRICT_EFFECT["cannabis_12m"], "Grünerløkka": 0.7}
DISTRICT_EFFECT["cannabis_legal"] = {k: 0.5 * v for k, v in DISTRICT_EFFECT["cannabis_12m"].items()}

_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(40)  # nodes for a standard normal
_GH_W = _GH_W / _GH_W.sum()


def target_prevalence(item: str, wave: int, grade_idx: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Target prevalence for each pupil's cell; waves between the anchors interpolate on the logit scale."""
    anchors = np.array(sorted(TARGETS[item]))
    w = float(np.clip(wave, anchors[0], anchors[-1]))
    hi = int(anchors[np.searchsorted(anchors, w, side="left")])
    lo = int(anchors[max(np.searchsorted(anchors, w, side="right") - 1, 0)])
    frac = 0.0 if hi == lo else (w - lo) / (hi - lo)

    def cells(year: int) -> np.ndarray:  # (sex, grade) logits
        t = TARGETS[item][year]
        if "both" in t:
            base = np.log(np.asarray(t["both"]) / (1 - np.asarray(t["both"])))
            k = np.log(_BOY_ODDS.get(item, 1.0))
            # boys' odds k times girls', centred so that the average stays at the target
            return np.vstack([base + k / 2, base - k / 2])
        return np.vstack([np.log(np.asarray(t[s]) / (1 - np.asarray(t[s]))) for s in ("male", "female")])

    logit = (1 - frac) * cells(lo) + frac * cells(hi)
    return expit(logit[female, grade_idx])


def solve_intercepts(target: np.ndarray, offsets: np.ndarray, weights: np.ndarray, sd: float) -> np.ndarray:
    """Intercepts ``a`` with ``sum_d w_d E[expit(a + o_d + sd X)] = target`` (X standard normal).

    ``target`` has one value per cell; ``offsets`` and ``weights`` are (cells, districts).
    Solved by 60 bisection steps on [-20, 20] (monotone in ``a``); the expectation uses
    40-point Gauss-Hermite quadrature.
    """
    lo, hi = np.full(len(target), -20.0), np.full(len(target), 20.0)
    w = weights / weights.sum(axis=1, keepdims=True)
    for _ in range(60):
        mid = (lo + hi) / 2
        p = expit(mid[:, None, None] + offsets[:, :, None] + sd * _GH_X[None, None, :]) @ _GH_W
        too_high = (p * w).sum(axis=1) > target
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    return (lo + hi) / 2


def _schools(rng: np.random.Generator, multiplier: int, districts: tuple[str, ...]) -> pd.DataFrame:
    """The school frame: id, level, district index and a relative size."""
    youth = np.array([DISTRICT_PARAMS.get(d, (0.0, 1.0))[0] for d in districts])
    youth[[i for i, d in enumerate(districts) if d in ("Sentrum", "Marka", UNKNOWN_DISTRICT)]] = 0.0
    n_lower = N_LOWER * multiplier
    # lower-secondary schools by largest remainder of the youth population
    quota = youth / youth.sum() * n_lower
    n_by = np.floor(quota).astype(int)
    n_by[np.argsort(-(quota - n_by), kind="stable")[: n_lower - n_by.sum()]] += 1
    lower = np.repeat(np.arange(len(districts)), n_by)
    upper = np.repeat([districts.index(d) for d in UPPER_SCHOOLS], [v * multiplier for v in UPPER_SCHOOLS.values()])
    frame = pd.DataFrame({
        "level": ["lower"] * len(lower) + ["upper"] * len(upper),
        "district": np.r_[lower, upper],
    })
    frame["size"] = np.exp(rng.normal(0, 0.35, len(frame)))
    frame["opens_2021"] = False
    frame.loc[rng.choice(len(lower), OPENS_2021 * multiplier, replace=False), "opens_2021"] = True
    # school numbers in random order, so the id says nothing about district or level
    width = 3 if len(frame) < 1000 else 4
    frame["school_id"] = [f"S{n:0{width}d}" for n in rng.permutation(len(frame)) + 1]
    return frame


def simulate_survey(rng: np.random.Generator, districts: tuple[str, ...], waves: tuple[int, ...] = WAVES,
                    multiplier: int = 1, pupils_per_wave: float | None = None) -> pd.DataFrame:
    """The survey as written to ``survey.csv.gz`` (columns :data:`SURVEY_COLUMNS`)."""
    schools = _schools(rng, multiplier, districts)
    n_s = len(schools)
    level = schools["level"].to_numpy()
    is_upper = level == "upper"
    items = (*USE_ITEMS, "cannabis_legal")
    # school effects: shared culture + item-specific part, centred within level by size
    culture = rng.standard_normal(n_s)
    school_eff = {}
    for item in items:
        u = SCHOOL_SD[item] * (0.7 * culture + np.sqrt(1 - 0.49) * rng.standard_normal(n_s))
        for lv in (False, True):
            m = is_upper == lv
            u[m] -= np.average(u[m], weights=schools["size"].to_numpy()[m])
        school_eff[item] = u
    youth = np.array([DISTRICT_PARAMS.get(d, (0.0, 1.0))[0] for d in districts])
    youth[districts.index(UNKNOWN_DISTRICT)] = 0.0
    home_p = youth / youth.sum()

    frames = []
    for wave in waves:
        present = rng.random(n_s) < PARTICIPATION
        present &= ~(schools["opens_2021"].to_numpy() & (wave < 2021))
        rr = np.where(is_upper, RESPONSE_RATE["upper"], RESPONSE_RATE["lower"])
        rr = np.clip(rr + rng.normal(0, 0.06, n_s), 0.45, 0.98)
        size = schools["size"].to_numpy() * present
        scale = WAVE_SIZE.get(wave, 1.0) if pupils_per_wave is None else 1.0
        counts = []
        for g in GRADES:
            upper_g = g.startswith("VG")
            m = size * (is_upper == upper_g)
            expected = m / m.sum() * RESPONDENTS[g] * multiplier * scale * rr / rr[m > 0].mean()
            counts.append(rng.poisson(expected))
        counts = np.column_stack(counts)  # (schools, grades)
        if pupils_per_wave is not None:  # national scale: exact total per wave
            counts = _rescale_counts(rng, counts, int(pupils_per_wave))
        school = np.repeat(np.repeat(np.arange(n_s), len(GRADES)), counts.ravel())
        grade = np.repeat(np.tile(np.arange(len(GRADES)), n_s), counts.ravel())
        n = len(school)
        upper = is_upper[school]
        home_here = rng.random(n) < np.where(upper, HOME_IN_SCHOOL_DISTRICT["upper"], HOME_IN_SCHOOL_DISTRICT["lower"])
        home = np.where(home_here, schools["district"].to_numpy()[school],
                        rng.choice(len(districts), size=n, p=home_p))
        home[rng.random(n) < UNKNOWN_HOME] = districts.index(UNKNOWN_DISTRICT)
        female = (rng.random(n) < 0.5).astype(np.int64)
        risk = rng.standard_normal(n)
        skip = rng.standard_normal(n)
        weight = 1.0 / rr[school]
        weight = weight / weight.mean()

        out = pd.DataFrame({"wave": wave, "school_no": school, "grade_no": grade})
        answers = {}
        for item in items:
            p_target = target_prevalence(item, wave, grade, female)
            if item == "cocaine_12m":
                # cocaine is one of the "other illegal drugs": drawn among their users
                other_use = answers["other_drugs_12m"][0] > 1
                p_other = target_prevalence("other_drugs_12m", wave, grade, female)
                use = other_use & (rng.random(n) < p_target / p_other)
                missing = rng.random(n) < MISSING[item] * np.exp(0.8 * skip - 0.32) * np.where(use, 1.3, 1.0)
                code = np.where(use, np.minimum(answers["other_drugs_12m"][0], _frequency_codes(
                    rng, use, risk, FREQUENCY[item])), 1)
                answers[item] = (code, missing)
                continue
            eff = np.array([DISTRICT_EFFECT.get(item, {}).get(d, 0.0) for d in districts])
            # one intercept per (grade, sex) cell, averaging over the cell's districts
            cell = grade * 2 + female
            n_cells = len(GRADES) * 2
            wts = np.zeros((n_cells, len(districts)))
            np.add.at(wts, (cell, home), 1.0)
            wts += 1e-9
            tgt = np.zeros(n_cells)
            tgt[cell] = p_target
            sd = np.sqrt(LOADING[item] ** 2 + SCHOOL_SD[item] ** 2)
            alpha = solve_intercepts(tgt, np.broadcast_to(eff, wts.shape), wts, sd)
            eta = alpha[cell] + eff[home] + school_eff[item][school] + LOADING[item] * risk
            use = rng.random(n) < expit(eta)
            missing = rng.random(n) < MISSING[item] * np.exp(0.8 * skip - 0.32) * np.where(use, 1.3, 1.0)
            if item == "cannabis_legal":
                dk = rng.random(n) < np.where(upper, DONT_KNOW["upper"], DONT_KNOW["lower"])
                code = np.where(use, 1, np.where(dk, 3, 2))
            else:
                code = _frequency_codes(rng, use, risk, FREQUENCY[item])
            answers[item] = (code, missing)
        for item in SURVEY_ITEMS:
            code, missing = answers[item]
            out[item] = np.where(missing, "", code.astype(str)).astype(object)
        out["district_no"] = home
        out["female"] = female
        out["sex_missing"] = rng.random(n) < MISSING_SEX
        out["weight"] = weight
        frames.append(out)

    df = pd.concat(frames, ignore_index=True)
    df["pupil_no"] = rng.permutation(len(df)) + 1
    order = np.lexsort(tuple(df[c].to_numpy() for c in ("pupil_no", "grade_no", "school_no", "wave")))
    df = df.iloc[order].reset_index(drop=True)
    width = max(6, len(str(len(df))))
    df["pupil_id"] = np.char.add("E", np.char.zfill(df["pupil_no"].to_numpy().astype(str), width)).astype(object)
    df["school_id"] = schools["school_id"].to_numpy()[df["school_no"].to_numpy()]
    df["district"] = np.asarray(districts, dtype=object)[df["district_no"].to_numpy()]
    df["grade"] = np.asarray(GRADES, dtype=object)[df["grade_no"].to_numpy()]
    df["sex"] = np.where(df["sex_missing"], "", np.where(df["female"] == 1, "female", "male")).astype(object)
    df["weight"] = np.char.mod("%.4f", df["weight"].to_numpy())
    return df.loc[:, list(SURVEY_COLUMNS)]


def _frequency_codes(rng: np.random.Generator, use: np.ndarray, risk: np.ndarray,
                     shares: tuple[float, float, float, float]) -> np.ndarray:
    """Codes 1 (no use) to 5; users are cut into codes 2-5 by rank of a noisy risk score."""
    code = np.ones(len(use), np.int64)
    users = np.flatnonzero(use)
    if len(users):
        score = 0.8 * risk[users] + rng.logistic(size=len(users))
        rank = np.empty(len(users), np.int64)
        rank[np.argsort(score, kind="stable")] = np.arange(len(users))
        cuts = np.cumsum(shares)[:-1] * len(users)
        code[users] = 2 + np.searchsorted(cuts, rank, side="right")
    return code


def _rescale_counts(rng: np.random.Generator, counts: np.ndarray, total: int) -> np.ndarray:
    """Multinomial counts with the same expected pattern and an exact ``total``."""
    p = counts.ravel() / counts.sum()
    return rng.multinomial(total, p).reshape(counts.shape)
