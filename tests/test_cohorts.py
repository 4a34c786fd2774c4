"""Tests of salto_analysis.cohorts on hand-made registers.

Every register below is written out row by row, loaded through salto_analysis.io (so the
frames have the loader's types), and every expected number is computed by hand in the test
(or, where named, from R or a published example). Wilson limits are written out with the
closed form of Brown, Cai & DasGupta (2001), eq. (4).
"""

import math
import warnings
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salto_analysis import cohorts, concentration, io, reliability
from salto_analysis.cohorts import offence_shares, reregistration_time
from salto_analysis.estimates import meta_of, with_meta
from salto_analysis.params import ParameterError
from salto_analysis.policy import Policy, SmallSampleWarning

Z95 = 1.959963984540054  # Φ⁻¹(0.975)


def wilson(x, n, z=Z95):
    """Wilson score interval written out (Brown, Cai & DasGupta 2001, eq. 4) for hand computations."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


class Register:
    """A register written row by row: one row per case × person × role."""

    def __init__(self):
        self.rows = []
        self.n_cases = 0

    def case(self, date, *suspects, victims=(), offence="theft", district="Alna"):
        """One case on ``date``; suspects and victims are (person, birth_year) or (person, birth_year, sex)."""
        self.n_cases += 1
        cid = f"C{self.n_cases:05d}"
        for role, people in (("suspect", suspects), ("victim", victims)):
            for person in people:
                pid, by, *sex = person
                self.rows.append({"case_id": cid, "person_id": pid, "role": role, "registered_date": date,
                                  "offence_type": offence, "birth_year": by, "sex": sex[0] if sex else "male",
                                  "district": district})
        return cid

    def cases(self, n, date, person, offence="theft", **kw):
        for i in range(n):
            d = pd.Timestamp(date) + pd.Timedelta(days=i)
            self.case(d.strftime("%Y-%m-%d"), person, offence=offence, **kw)

    def load(self, tmp_path, name="register.csv"):
        path = tmp_path / name
        pd.DataFrame(self.rows).to_csv(path, index=False)
        return io.load_register(path)


def grade(table, min_count=1):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return reliability.grade(table, Policy(min_count=min_count, lang="en"))


# --------------------------------------------------------------------------------------
# the panel and the offence-count convention
# --------------------------------------------------------------------------------------
@pytest.fixture
def ten(tmp_path):
    """Ten suspects aged 15 in 2025 with 10, 5, 3, 1, 1, 1, 1, 1, 1, 1 offences (test_concentration's vector)."""
    r = Register()
    for i, n in enumerate([10, 5, 3, 1, 1, 1, 1, 1, 1, 1], start=1):
        r.cases(n, "2025-02-01", (f"P{i:02d}", 2010))
    return r.load(tmp_path)


def test_offences_are_distinct_cases_as_suspect_at_ages_up_to_17(tmp_path):
    r = Register()
    # A: two cases alone, one case together with B (counts for both), one as victim (not an offence)
    r.case("2024-01-10", ("A", 2008))
    r.case("2024-02-10", ("A", 2008))
    r.case("2024-03-10", ("A", 2008), ("B", 2008))
    r.case("2024-04-10", ("X", 2006), victims=[("A", 2008)])
    # C: 17 in 2024 (counted), then 18 in 2025 (not counted, but seen in the follow-up)
    r.case("2024-05-01", ("C", 2007))
    r.case("2025-05-01", ("C", 2007))
    # D: 9 years old: outside the register's scope
    r.case("2024-06-01", ("D", 2015))
    reg = r.load(tmp_path)
    panel = cohorts.prepare(reg)
    py = panel.person_year.set_index(["person", "year"])
    # persons are integer codes; find them through their counts
    assert sorted(panel.counts(2024).tolist()) == [1, 1, 3]  # A 3, B 1, C 1; X (18 in 2024) not counted
    assert sorted(panel.counts(2025).tolist()) == []  # C is 18 in 2025
    c_2025 = py.xs(2025, level="year")
    assert c_2025["offences"].tolist() == [0] and c_2025["offences_all"].tolist() == [1]
    acc = panel.accounting
    assert acc["rows_read"] == 9
    assert acc["rows_out_of_scope"] == 1  # D, aged 9
    assert acc["victim_rows"] == 1
    assert acc["suspect_rows"] == 7  # A×3, B, X, C×2 (in scope)
    assert acc["suspect_rows_counted"] == 5  # A×3, B, C in 2024
    assert acc["suspect_rows_above_age_max"] == 2  # X (18) and C in 2025 (18)
    # the panel never shows its rows: only sizes
    assert repr(panel) == "OffenderPanel(4 suspects, 5 person-years, 2024–2025, repeat counts at ages 10–17)"
    assert panel._repr_html_() == f"<code>{panel!r}</code>"


def test_a_suspect_twice_in_one_case_counts_once(tmp_path):
    r = Register()
    r.case("2024-01-10", ("A", 2008))
    r.case("2024-02-10", ("A", 2008))
    reg = r.load(tmp_path)
    doubled = pd.concat([reg, reg.iloc[[0]]], ignore_index=True)
    doubled.attrs = reg.attrs
    panel = cohorts.prepare(doubled)
    assert panel.counts(2024).tolist() == [2]
    assert panel.accounting["duplicate_suspect_rows"] == 1


def test_prepare_refuses_bad_input(ten):
    with pytest.raises(ValueError, match="lacks column"):
        cohorts.prepare(pd.DataFrame({"person_id": ["a"]}))
    with pytest.raises(ValueError, match="age_min=18"):
        cohorts.prepare(ten, age_min=18, age_max=17)
    with pytest.raises(ValueError, match="year=2019 is not in the register"):
        cohorts.band_table(cohorts.prepare(ten), 2019)


def test_check_parameters_names_every_bad_value():
    assert cohorts.check_parameters(thresholds=[10, 4]) == ((4, 10), 17, 3)
    with pytest.raises(ParameterError, match=r"thresholds=\[4, 1\]"):
        cohorts.check_parameters(thresholds=[4, 1])
    with pytest.raises(ParameterError, match="more than once"):
        cohorts.check_parameters(thresholds=[4, 4])
    with pytest.raises(ParameterError, match="age_max_repeat='17'"):
        cohorts.check_parameters(thresholds=[4], age_max_repeat="17")
    with pytest.raises(ParameterError, match="past age 22"):
        cohorts.check_parameters(thresholds=[4], age_max_repeat=20, follow_years=3)
    with pytest.raises(ParameterError, match="2 notebook parameters are wrong"):
        cohorts.check_parameters(thresholds="4", follow_years=0)


# --------------------------------------------------------------------------------------
# 1. bands and the threshold series
# --------------------------------------------------------------------------------------
def test_wilson_limits_are_exact_at_0_and_100_percent(debut_register):
    # 0 of 2 and 2 of 2: the Wilson limits are exactly 0 and 1 (else an error bar would be negative)
    panel = cohorts.prepare(debut_register)
    t = cohorts.debut_table(panel, 2025, 4)
    zero = t[t["numerator"] == 0]
    assert len(zero) and (zero["ci_low"] == 0.0).all()
    all_ = cohorts.offence_mix_table(panel, 2025, 4)
    full = all_[(all_["numerator"] == all_["denominator"]) & (all_["denominator"] > 0)]
    assert len(full) and (full["ci_high"] == 1.0).all()


def test_band_table_by_hand(ten):
    panel = cohorts.prepare(ten)
    t = cohorts.band_table(panel, 2025)
    # bands 1 / 2–3 / 4–9 / 10+: persons with 1 (7 of them), 3, 5, 10 offences
    assert t["offence_band"].tolist() == ["1", "2–3", "4–9", "10+"]
    assert t["numerator"].tolist() == [7, 1, 1, 1]
    assert t["denominator"].tolist() == [10] * 4
    assert t["estimate"].tolist() == pytest.approx([0.7, 0.1, 0.1, 0.1])
    assert (t.loc[0, "ci_low"], t.loc[0, "ci_high"]) == pytest.approx(wilson(7, 10))
    assert meta_of(t).kind == "proportion"


def test_threshold_series_counts_persons_at_or_above_each_threshold(tmp_path):
    r = Register()
    r.cases(4, "2023-01-01", ("A", 2008))    # 4 in 2023: 4+
    r.cases(10, "2024-01-01", ("A", 2008))   # 10 in 2024: 4+ and 10+
    r.cases(3, "2024-03-01", ("B", 2008))    # 3: neither
    r.cases(5, "2024-05-01", ("C", 2009))    # 5: 4+
    r.cases(1, "2016-05-01", ("E", 2000))    # an early year, so the series starts in 2016
    panel = cohorts.prepare(r.load(tmp_path))
    t = cohorts.threshold_series(panel, 2024, [4, 10], n_years=10)
    wide = t.pivot(index="year", columns="offence_threshold", values="count")
    assert list(wide.index) == list(range(2016, 2025))  # 2015 is before the register
    assert meta_of(t).fact('years_missing') == [2015]
    assert wide.loc[2023].tolist() == [1, 0]
    assert wide.loc[2024].tolist() == [2, 1]
    assert wide.loc[2016].tolist() == [0, 0]
    # Garwood exact interval for 2 persons: χ²(0.025; 4)/2, χ²(0.975; 6)/2 (R poisson.test(2): 0.2422 to 7.2247)
    row = t[(t["year"] == 2024) & (t["offence_threshold"] == "4+")].iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((sps.chi2.ppf(0.025, 4) / 2, sps.chi2.ppf(0.975, 6) / 2))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.2422, 7.2247), abs=1e-4)


# --------------------------------------------------------------------------------------
# 2. concentration
# --------------------------------------------------------------------------------------
def test_concentration_reference_vector(ten):
    # by hand: x = (10,5,3,1,…,1): top 10 % (1 person) = 10/25 = 40 %, G = 0.4760
    panel = cohorts.prepare(ten)
    c = cohorts.concentration(panel, 2025, [4, 10], min_count=1, n_boot=500, seed=1)
    top = c.top.set_index("top_percent")
    # n = 10: k = ⌈0.01·10⌉ = ⌈0.05·10⌉ = ⌈0.10·10⌉ = 1 person, who holds 10 of 25 offences
    assert top["numerator"].tolist() == [1, 1, 1]
    assert top["estimate"].tolist() == pytest.approx([0.4, 0.4, 0.4])
    groups = c.groups.set_index("offence_threshold")
    assert groups["numerator"].tolist() == [2, 1]  # 4+: 10 and 5; 10+: 10
    assert groups["estimate"].tolist() == pytest.approx([15 / 25, 10 / 25])
    assert c.gini["estimate"].iloc[0] == pytest.approx(0.4760, abs=5e-5)
    # chance level at the mean count 25/10, with an interval from the same resamples
    assert meta_of(c.gini).fact('chance_gini') == cohorts.truncated_chance_gini(2.5)
    lo, hi = meta_of(c.gini).fact('chance_gini_ci')
    assert 0 <= lo <= hi <= meta_of(c.gini).fact('chance_gini') + 1e-9  # 2.5 is near the maximum of the chance level
    # Lorenz: bottom 9 hold 15/25, bottom 8 hold 10/25 (the 4+ group has 2 persons)
    lz = c.lorenz.set_index("numerator")["estimate"]
    assert lz[9] == pytest.approx(15 / 25) and lz[8] == pytest.approx(10 / 25)
    # the bottom half (5 persons with one offence each) hold 5/25
    assert lz[5] == pytest.approx(5 / 25)
    for t in c.tables().values():
        assert ((t["ci_low"] <= t["estimate"] + 1e-12) & (t["estimate"] <= t["ci_high"] + 1e-12)).all()


def test_concentration_uses_the_shared_bootstrap(ten):
    # the intervals come from salto_analysis.concentration (multinomial draws of the count
    # frequencies; its tests compare them with resampling persons): same seed, same resamples
    panel = cohorts.prepare(ten)
    c = cohorts.concentration(panel, 2025, [4, 10], min_count=1, n_boot=500, seed=1)
    counts = panel.counts(2025)
    ci = concentration.bootstrap_ci(counts, "gini", n_boot=500, seed=1)
    assert (c.gini["ci_low"].iloc[0], c.gini["ci_high"].iloc[0]) == pytest.approx(tuple(ci), rel=1e-12)
    top = concentration.bootstrap_ci(counts, "top_share", q=0.1, n_boot=500, seed=1)
    row = c.top.set_index("top_percent").loc[10]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(tuple(top), rel=1e-12)
    # the frequency forms stay importable from cohorts
    assert cohorts.gini_from_frequencies is concentration.gini_from_frequencies
    assert offence_shares.top_offences is concentration.top_events


def test_truncated_chance_gini_by_hand():
    # zero-truncated Poisson with mean 2: λ/(1−e^−λ) = 2 gives λ = 1.5936243; G = Σ F(j)(1−F(j)) / 2
    lam = 1.5936242600400401
    assert lam / (1 - math.exp(-lam)) == pytest.approx(2.0, abs=1e-9)
    p0 = math.exp(-lam)
    pmf = [math.exp(-lam) * lam**j / math.factorial(j) / (1 - p0) for j in range(1, 60)]
    cdf = np.cumsum(pmf)
    expected = float((cdf * (1 - cdf)).sum() / 2)
    assert cohorts.truncated_chance_gini(2.0) == pytest.approx(expected, abs=1e-9)
    assert cohorts.truncated_chance_gini(1.0) == 0.0
    with pytest.raises(ValueError, match="mean=0.5"):
        cohorts.truncated_chance_gini(0.5)


def test_groups_that_differ_by_a_few_persons_are_withheld(tmp_path):
    # 40 suspects: 5 with 10 offences, 1 with 4, 34 with 1. With min_count = 5:
    # 4+ has 6 persons and 10+ has 5: their difference (1 person) would reveal one person's count.
    r = Register()
    for i in range(5):
        r.cases(10, "2025-01-01", (f"T{i}", 2009))
    r.cases(4, "2025-01-01", ("F", 2009))
    for i in range(34):
        r.case("2025-03-01", (f"O{i}", 2010))
    panel = cohorts.prepare(r.load(tmp_path))
    c = cohorts.concentration(panel, 2025, [4, 10], min_count=5, n_boot=200)
    # 4+ (6) is accepted first; 10+ (5) differs from it by 1 → withheld
    g = c.groups.set_index("offence_threshold")
    assert np.isfinite(g.loc["4+", "estimate"]) and np.isnan(g.loc["10+", "estimate"])
    assert meta_of(c.groups).fact('withheld') == [1]
    # top 1, 5, 10 % = ⌈0.4⌉, ⌈2⌉, ⌈4⌉ = 1, 2, 4 persons: fewer than 5, suppressed by grading (D1)
    assert meta_of(c.top).fact('withheld') == []
    graded = cohorts.protect({"g": grade(c.groups, 5), "t": grade(c.top, 5)}, panel,
                             Policy(min_count=5, lang="en"))
    assert graded["g"]["flag"].tolist()[1] == "suppressed"
    assert graded["g"]["flag_reason"].iloc[1].startswith("D2")
    assert graded["t"]["flag"].tolist() == ["suppressed"] * 3


def test_accept_groups_by_hand():
    assert cohorts.accept_groups([45, 46, 60, 2], n=100, min_count=5) == [True, False, True, False]
    assert cohorts.accept_groups([97], n=100, min_count=5) == [False]  # 3 persons outside the group
    assert cohorts.accept_groups([10, 10], n=100, min_count=5) == [True, True]


# --------------------------------------------------------------------------------------
# 3. transitions
# --------------------------------------------------------------------------------------
@pytest.fixture
def cohort_register(tmp_path):
    """Threshold 2. Offences per year (all ages in scope):

    person  2022  2023  2024  2025
    A        2     2     0     1
    B        3     1     2     0
    C        2     0     1     0     (C is 17 in 2022, 19 in 2024: that offence counts in the follow-up)
    D        0     2     2     0
    """
    r = Register()
    plan = {("A", 2009): [2, 2, 0, 1], ("B", 2009): [3, 1, 2, 0], ("C", 2005): [2, 0, 1, 0], ("D", 2010): [0, 2, 2, 0]}
    for person, counts in plan.items():
        for year, n in zip(range(2022, 2026), counts):
            r.cases(n, f"{year}-03-01", person)
    return r.load(tmp_path)


def test_transition_table_by_hand(cohort_register):
    panel = cohorts.prepare(cohort_register)
    t = cohorts.transition_table(panel, 2025, [2], follow_years=3)
    got = {(r.cohort, r.years_after, r.follow_status): (r.numerator, r.denominator) for r in t.itertuples()}
    expected = {
        # cohort 2022 = A, B, C
        (2022, 1, "2+"): (1, 3), (2022, 1, "1"): (1, 3), (2022, 1, "0"): (1, 3),   # A 2, B 1, C 0
        (2022, 2, "2+"): (1, 3), (2022, 2, "1"): (1, 3), (2022, 2, "0"): (1, 3),   # A 0, B 2, C 1 (age 19)
        (2022, 3, "2+"): (0, 3), (2022, 3, "1"): (1, 3), (2022, 3, "0"): (2, 3),   # A 1, B 0, C 0
        # cohort 2023 = A, D
        (2023, 1, "2+"): (1, 2), (2023, 1, "1"): (0, 2), (2023, 1, "0"): (1, 2),   # A 0, D 2
        (2023, 2, "2+"): (0, 2), (2023, 2, "1"): (1, 2), (2023, 2, "0"): (1, 2),   # A 1, D 0
        # cohort 2024 = B, D
        (2024, 1, "2+"): (0, 2), (2024, 1, "1"): (0, 2), (2024, 1, "0"): (2, 2),   # B 0, D 0
    }
    assert got == expected
    row = t[(t["cohort"] == 2022) & (t["years_after"] == 1) & (t["follow_status"] == "2+")].iloc[0]
    assert row["estimate"] == pytest.approx(1 / 3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(1, 3))  # ≈ (0.0615, 0.7923)
    assert cohorts.censoring(t) == {2023: 2, 2024: 1}  # the data end in 2025


def test_transition_table_refuses_follow_up_past_22(cohort_register):
    panel = cohorts.prepare(cohort_register, age_max=21)
    with pytest.raises(ParameterError, match="past age 22"):
        cohorts.transition_table(panel, 2025, [2], follow_years=2)


# --------------------------------------------------------------------------------------
# 4. debut, victimisation before the first offence, left censoring; 6. offence mix
# --------------------------------------------------------------------------------------
@pytest.fixture
def debut_register(tmp_path):
    r = Register()
    r.case("2016-06-01", ("E", 1999))                       # 17 in 2016: the data start in 2016
    r.case("2020-05-01", ("X", 2000), victims=[("R1", 2009)])  # R1 victim at 11, before the first offence
    r.case("2021-05-01", ("R1", 2009))                      # R1 first offence at 12 (10–12)
    r.cases(3, "2025-01-10", ("R1", 2009), offence="theft")
    r.case("2025-02-10", ("R1", 2009), offence="robbery")   # R1: 4 in 2025, theft and robbery
    r.case("2025-03-01", ("R2", 2008), offence="violence", victims=[("V", 2008)])
    r.case("2025-03-01", ("V2", 2001), victims=[("R2", 2008)])  # R2 victim the same day: not before
    r.cases(3, "2025-04-01", ("R2", 2008), offence="violence")   # R2: 4 violence in 2025, first at 17
    r.case("2025-05-01", ("O1", 2011))                       # O1: first at 14 (13–14), theft
    r.case("2025-08-01", ("X", 2000), victims=[("O1", 2011)])   # victim after: not before
    r.case("2022-05-01", ("O2", 2010))                       # O2: first at 12
    r.case("2025-05-02", ("O2", 2010), offence="theft")
    r.case("2025-05-03", ("O2", 2010), offence="vandalism")  # O2: 2 in 2025
    return r.load(tmp_path)


def test_debut_table_by_hand(debut_register):
    panel = cohorts.prepare(debut_register)
    t = cohorts.debut_table(panel, 2025, 4)
    got = {(r.repeat_group, r.debut_age): (r.numerator, r.denominator) for r in t.itertuples()}
    assert got == {
        ("4+", "10–12"): (1, 2), ("4+", "13–14"): (0, 2), ("4+", "15–17"): (1, 2),    # R1 12, R2 17
        ("1–3", "10–12"): (1, 2), ("1–3", "13–14"): (1, 2), ("1–3", "15–17"): (0, 2),  # O2 12, O1 14
    }


def test_victim_before_first_offence_by_hand(debut_register):
    panel = cohorts.prepare(debut_register)
    t = cohorts.victim_before_table(panel, 2025, 4).set_index("repeat_group")
    assert t.loc["4+", ["numerator", "denominator"]].tolist() == [1, 2]   # R1 yes, R2 same day: no
    assert t.loc["1–3", ["numerator", "denominator"]].tolist() == [0, 2]  # O1 after, O2 never


def test_offence_mix_counts_persons_per_type(debut_register):
    panel = cohorts.prepare(debut_register)
    t = cohorts.offence_mix_table(panel, 2025, 4)
    got = {(r.offence_type, r.repeat_group): r.numerator for r in t.itertuples() if r.numerator}
    assert got == {("theft", "4+"): 1, ("robbery", "4+"): 1, ("violence", "4+"): 1,
                   ("theft", "1–3"): 2, ("vandalism", "1–3"): 1}
    assert set(t["denominator"]) == {2}


def test_left_censoring_by_hand(tmp_path):
    r = Register()
    r.case("2016-02-01", ("A", 2000))   # 16 in 2016
    r.case("2017-02-01", ("A", 2000))   # 17 in 2017: 11 or older in 2016 → may have debuted earlier
    r.case("2017-02-01", ("B", 2005))   # 11 in 2016 → may have debuted earlier (at 10, in 2015)
    r.case("2017-02-01", ("C", 2006))   # 10 in 2016 → the data see all of C's years from 10
    panel = cohorts.prepare(r.load(tmp_path))
    t = cohorts.left_censoring_table(panel, 2017, 4).set_index("repeat_group")
    assert t.loc["1–3", ["numerator", "denominator"]].tolist() == [2, 3]
    assert t.loc["4+", ["numerator", "denominator"]].tolist() == [0, 0]


# --------------------------------------------------------------------------------------
# 5. Kaplan–Meier re-registration
# --------------------------------------------------------------------------------------
@pytest.fixture
def km_register(tmp_path):
    """R survival reference (statsmodels' test_survfunc.py): times (3,1,2,3,2,1,5,3), events (0,1,1,1,0,0,1,0).

    Times are months, written as days: 1 → 30, 2 → 60, 3 → 91, 5 → 152 days (30.4375 days a month,
    so the order and ties are kept). Events are a second registration that many days after the
    first; censored persons are first registered that many days before 31 December 2020, where
    the data end. All are born in 2009 (aged 11 in 2020, 10–14 at debut, and at most 10 in 2015,
    when the data start with person E).
    """
    r = Register()
    r.case("2015-03-01", ("E", 2000))
    plan = [("p1", 91, 0), ("p2", 30, 1), ("p3", 60, 1), ("p4", 91, 1), ("p5", 60, 0), ("p6", 30, 0),
            ("p7", 152, 1), ("p8", 91, 0)]
    end = pd.Timestamp("2020-12-31")
    for pid, days, event in plan:
        if event:
            first = pd.Timestamp("2020-03-01")
            r.case(first.strftime("%Y-%m-%d"), (pid, 2009))
            r.case((first + pd.Timedelta(days=days)).strftime("%Y-%m-%d"), (pid, 2009))
        else:
            r.case((end - pd.Timedelta(days=days)).strftime("%Y-%m-%d"), (pid, 2009))
    return r.load(tmp_path)


def test_followup_times_and_events(km_register):
    panel = cohorts.prepare(km_register)
    fu = cohorts.followup(panel, 2020).sort_values(["months", "event"]).reset_index(drop=True)
    # E is left out: 15 in 2015, when the data start, so his first registration may be earlier
    assert len(fu) == 8
    days = np.round(fu["months"].to_numpy() * 365.25 / 12).astype(int).tolist()
    assert days == [30, 30, 60, 60, 91, 91, 91, 152]
    assert fu["event"].tolist() == [0, 1, 0, 1, 0, 0, 1, 1]
    assert set(fu["debut_age_group"]) == {"10–14"}


def test_kaplan_meier_matches_r_survival(km_register):
    panel = cohorts.prepare(km_register)
    t = cohorts.reregistration(panel, 2020, min_count=1)
    t = t[t["debut_age_group"] == "10–14"].set_index("months")
    # R: S = 0.875, 0.7291667, 0.546875 at t = 1, 2, 3; SE 0.1169268, 0.1649762, 0.2005800
    s = np.array([0.875, 0.7291667, 0.546875, 0.546875])
    se = np.array([0.1169268, 0.1649762, 0.2005800, 0.2005800])
    assert t.index.tolist() == [1, 2, 3, 4]  # whole months up to the last follow-up time (4.99)
    assert t["estimate"].to_numpy() == pytest.approx(1 - s, abs=1e-7)
    # persons still followed at 1, 2, 3, 4 months (time ≥ m): 6, 4, 1, 1; re-registered by then: 1, 2, 3, 3
    assert t["n_at_risk"].tolist() == [6, 4, 1, 1]
    assert t["numerator"].tolist() == [1, 2, 3, 3]
    assert set(t["denominator"]) == {8}
    # log-log interval of S written out: S^exp(±z·se/(S·|log S|)), then 1 − S
    theta = Z95 * se / (s * np.abs(np.log(s)))
    assert t["ci_low"].to_numpy() == pytest.approx(1 - s ** np.exp(-theta), abs=2e-6)
    assert t["ci_high"].to_numpy() == pytest.approx(1 - s ** np.exp(theta), abs=2e-6)


def test_curve_months_merge_so_every_step_has_min_count_persons(km_register):
    panel = cohorts.prepare(km_register)
    t = cohorts.reregistration(panel, 2020, min_count=2)
    # re-registrations by month 1..4: 1, 2, 3, 3. Month 1 adds 1 (< 2): merged; month 2 adds 2: kept;
    # months 3 and 4 add 1 since month 2: merged (and nothing after)
    assert t["months"].tolist() == [2]
    assert t["events"].tolist() == [2]
    assert reregistration_time.disclosure_months([0, 2, 6, 7, 7, 20], 5).tolist() == [True, False, True, False, False,
                                                                                  True]


def test_reregistration_at_picks_the_latest_kept_month(km_register):
    panel = cohorts.prepare(km_register)
    t = cohorts.reregistration_at(cohorts.reregistration(panel, 2020, min_count=1), months=(2, 6))
    assert t["months"].tolist() == [2, 4]


def test_expected_events_and_hazard_ratio_by_hand():
    # A: events at 1 and 3; B: event at 2, censored at 4. Risk sets: t=1: 4 (A 2), t=2: 3 (A 1), t=3: 2 (A 1)
    # E_A = 1·2/4 + 1·1/3 + 1·1/2 = 4/3; O_A = 2; E_B = 3 − 4/3 = 5/3; O_B = 1
    time = np.array([1.0, 3.0, 2.0, 4.0])
    event = np.array([1.0, 1.0, 1.0, 0.0])
    in_a = np.array([True, True, False, False])
    assert reregistration_time.expected_events(time, event, in_a) == pytest.approx(4 / 3)
    # HR = (2/(4/3)) / (1/(5/3)) = 2.5 (Bland & Altman 2004)


def test_logrank_table_by_hand(tmp_path):
    # the example above as a register: A = debut at 12 (10–14), B = debut at 16 (15–17); months as days
    r = Register()
    r.case("2010-01-05", ("E", 1995))  # the data start in 2010: persons born 2000 or later are followed
    first = pd.Timestamp("2020-03-01")
    for pid, by, later in (("a1", 2008, 30), ("a2", 2008, 91), ("b1", 2004, 60)):
        r.case(first.strftime("%Y-%m-%d"), (pid, by))
        r.case((first + pd.Timedelta(days=later)).strftime("%Y-%m-%d"), (pid, by))
    r.case((pd.Timestamp("2020-12-31") - pd.Timedelta(days=122)).strftime("%Y-%m-%d"), ("b2", 2004))
    panel = cohorts.prepare(r.load(tmp_path))
    t = cohorts.logrank_table(panel, 2020).iloc[0]
    assert (t["count"], t["count_ref"], t["denominator"], t["denominator_ref"]) == (2, 1, 2, 2)
    assert t["estimate"] == pytest.approx(2.5)
    se = math.sqrt(3 / 4 + 3 / 5)
    assert (t["ci_low"], t["ci_high"]) == pytest.approx((2.5 * math.exp(-Z95 * se), 2.5 * math.exp(Z95 * se)))
    # log-rank: V = 1/4 + 2/9 + 1/4 = 13/18; chi² = (2 − 4/3)² / V = 8/13; p = P(χ²₁ > 8/13)
    assert t["p_value"] == pytest.approx(math.erfc(math.sqrt(8 / 13 / 2)), abs=1e-9)


def test_logrank_is_no_test_when_only_one_group_is_at_risk_at_every_event(tmp_path):
    # a1 (debut at 12) is registered again after 30 days; b1 (debut at 16) is first registered 10 days
    # before the data end, so is no longer followed at a1's event: V = 0 at the one event time
    # (Mantel 1966; R survdiff gives var 0 and no test). Before issue 13 this raised LinAlgError.
    r = Register()
    r.case("2010-01-05", ("E", 1995))
    r.case("2020-03-01", ("a1", 2008))
    r.case("2020-03-31", ("a1", 2008))
    r.case("2020-12-21", ("b1", 2004))
    panel = cohorts.prepare(r.load(tmp_path))
    fu = cohorts.followup(panel, 2020)
    in_a = (fu["debut_age_group"].astype(object) == "10–14").to_numpy()
    assert reregistration_time.logrank_variance(fu["months"].to_numpy(), fu["event"].to_numpy(float), in_a) == 0
    t = cohorts.logrank_table(panel, 2020).iloc[0]
    assert (t["count"], t["count_ref"], t["denominator"], t["denominator_ref"]) == (1, 0, 1, 1)
    assert np.isnan(t["p_value"]) and np.isnan(t["estimate"])


def test_curve_of_a_group_nobody_re_registers_is_flat_at_zero(tmp_path):
    # two persons of 15–17 first registered 200 and 100 days before the data end, never again: S(t) = 1
    # throughout, so 1 − S(t) = 0 with the interval (0, 0) (R survfit: surv 1, std.err 0, lower = upper = 1).
    # Before issue 13 kaplan_meier raised IndexError on a group without events.
    r = Register()
    r.case("2010-01-05", ("E", 1995))
    r.case("2020-06-14", ("b1", 2004))
    r.case("2020-09-22", ("b2", 2004))
    panel = cohorts.prepare(r.load(tmp_path))
    t = cohorts.reregistration(panel, 2020, min_count=1)
    # followed 200/30.4375 = 6.57 and 100/30.4375 = 3.29 months: whole months 1..6
    assert t["months"].tolist() == [1, 2, 3, 4, 5, 6]
    assert set(t["debut_age_group"].astype(object)) == {"15–17"}
    assert t["n_at_risk"].tolist() == [2, 2, 2, 1, 1, 1]
    assert (t["numerator"] == 0).all() and (t["denominator"] == 2).all()
    assert (t[["estimate", "ci_low", "ci_high"]] == 0).all().all()


def test_a_register_without_suspects_gives_a_page_that_says_so(tmp_path):
    # before issue 13: "the register has no suspect registrations in scope"
    r = Register()
    r.case("2023-05-01", victims=[("V", 2008)])
    r.case("2024-05-01", victims=[("V", 2008)])
    panel = cohorts.prepare(r.load(tmp_path))
    assert (panel.first_year, panel.last_year) == (2023, 2024)  # the years the register covers
    assert len(panel.persons) == 0 and len(panel.person_year) == 0
    page = cohorts.build(r.load(tmp_path), year=2024, policy=Policy(min_count=5, lang="en"))
    assert page.show("offence_bands").data == "No suspects aged 10–17 were registered in 2024, so the table cannot " \
                                              "be made."
    assert page.show("gini").data == "" and page.concentration_note() == ""
    # 2023 and 2024, 4+ and 10+: zeros (on the page withheld as too few events, C1)
    assert cohorts.threshold_series(panel, 2024, (4, 10))["count"].tolist() == [0, 0, 0, 0]
    assert set(page["threshold_series"]["flag_reason"]) == {"C1"}
    assert page.logrank_note() == "The comparison of the curves cannot be shown because the groups are too small."


# --------------------------------------------------------------------------------------
# 7. privacy: breakdowns and cross-table protection
# --------------------------------------------------------------------------------------
def _counts_register(tmp_path, plan, sex_missing=0):
    """Suspects in 2025 with the given offence counts: plan = {count: persons}."""
    r = Register()
    k = 0
    for count, persons in plan.items():
        for _ in range(persons):
            k += 1
            sex = "" if k <= sex_missing else "male"
            r.cases(count, "2025-01-01", (f"S{k:04d}", 2009, sex))
    return r.load(tmp_path)


def test_protect_hides_a_threshold_group_that_would_reveal_a_small_band(tmp_path):
    # 20 persons with 10 offences, 3 with 5, 30 with 2, 100 with 1 (N = 153). min_count = 5.
    reg = _counts_register(tmp_path, {10: 20, 5: 3, 2: 30, 1: 100})
    panel = cohorts.prepare(reg)
    policy = Policy(min_count=5, lang="en")
    graded = {"bands": grade(cohorts.band_table(panel, 2025), 5),
              "series": grade(cohorts.threshold_series(panel, 2025, [4, 10], n_years=1), 5),
              "debut": grade(cohorts.debut_table(panel, 2025, 4), 5)}
    # grade: band 4–9 (3 persons) D1; the band line then hides one more band (all have the same
    # denominator, so the first: band 1). The series shows 4+ = 23 and 10+ = 20, and 23 − 20 = 3.
    assert graded["bands"]["flag"].tolist() == ["suppressed", "ok", "suppressed", "ok"]
    assert graded["series"]["flag"].tolist() == ["ok", "ok"]
    others = graded["debut"]["repeat_group"] == "1–3"  # 130 persons; the 4+ rows (23 < 30) are P1
    assert (graded["debut"]["flag"][others] != "suppressed").all()
    out = cohorts.protect(graded, panel, policy)
    # Published afterwards, as sums of the atoms (persons with 1 | 2–3 | 4–9 | 10+ offences):
    atoms_of = {"band 1": [1, 0, 0, 0], "band 2–3": [0, 1, 0, 0], "band 10+": [0, 0, 0, 1],
                "4+": [0, 0, 1, 1], "10+": [0, 0, 0, 1], "others": [1, 1, 0, 0], "N": [1, 1, 1, 1]}
    shown = ["N"]  # all suspects: the band denominators
    b = out["bands"].set_index("offence_band")["flag"]
    shown += [f"band {k}" for k in ("1", "2–3", "10+") if b[k] != "suppressed"]
    sr = out["series"].set_index("offence_threshold")["flag"]
    shown += [k for k in ("4+", "10+") if sr[k] != "suppressed"]
    if (out["debut"].loc[out["debut"]["repeat_group"] == "1–3", "flag"] != "suppressed").any():
        shown.append("others")  # their denominator is N − (4+)
    m = np.array([atoms_of[k] for k in shown], float)
    target = np.array([0, 0, 1, 0], float)  # band 4–9, 3 persons
    assert np.linalg.matrix_rank(np.vstack([m, target])) > np.linalg.matrix_rank(m), shown
    # and something was hidden for it, with the reason D2
    added = [(n, r) for n in out for r in range(len(out[n]))
             if out[n]["flag"].iat[r] == "suppressed" and graded[n]["flag"].iat[r] != "suppressed"]
    assert added and all(out[n]["flag_reason"].iat[r].startswith("D2") for n, r in added)
    for n, r in added:
        assert out[n].iloc[r][["estimate", "ci_low", "ci_high"]].isna().all()


def test_protect_hides_the_other_group_when_the_repeat_group_is_small(tmp_path):
    # 3 persons with 4+ (D1): the others' rows show N − 3, and N is in the band table
    reg = _counts_register(tmp_path, {4: 3, 1: 60})
    panel = cohorts.prepare(reg)
    policy = Policy(min_count=5, lang="en")
    graded = {"bands": grade(cohorts.band_table(panel, 2025), 5),
              "victim": grade(cohorts.victim_before_table(panel, 2025, 4), 5),
              "mix": grade(cohorts.offence_mix_table(panel, 2025, 4), 5)}
    out = cohorts.protect(graded, panel, policy)
    for name in ("victim", "mix"):
        assert (out[name]["flag"] == "suppressed").all(), name
        assert out[name]["denominator"].isna().all(), name


def test_protect_leaves_safe_tables_alone(ten):
    panel = cohorts.prepare(ten)
    graded = {"bands": grade(cohorts.band_table(panel, 2025), 1)}
    out = cohorts.protect(graded, panel, Policy(min_count=1, lang="en"))
    pd.testing.assert_frame_equal(out["bands"], graded["bands"])
    with pytest.raises(ValueError, match="not been graded"):
        cohorts.protect({"x": cohorts.band_table(panel, 2025)}, panel, Policy())


def test_sex_breakdown_is_withheld_when_few_lack_a_registered_sex(tmp_path):
    # 40 persons with 4+, 2 of them without a registered sex: the sex breakdown's denominator is 38,
    # and 40 − 38 = 2 (< 5) would be revealed next to the group's size
    reg = _counts_register(tmp_path, {4: 40, 1: 100}, sex_missing=2)
    panel = cohorts.prepare(reg)
    b = cohorts.breakdown_tables(panel, 2025, [4])
    assert meta_of(b["sex"]).fact("not_included") == {"4+": 2}
    assert b["sex"]["denominator"].tolist() == [38, 38]
    assert (grade(b["sex"], 5)["flag"] != "suppressed").all()  # 0 % and 100 % of 38: shown (P0)
    out = cohorts.protect({"sex": grade(b["sex"], 5)}, panel, Policy(min_count=5, lang="en"))
    assert (out["sex"]["flag"] == "suppressed").all()


def test_breakdowns_survive_only_with_enough_shown_cells(tmp_path):
    reg = _counts_register(tmp_path, {10: 6, 4: 60, 1: 100})
    panel = cohorts.prepare(reg)
    b = cohorts.breakdown_tables(panel, 2025, [4, 10])
    age = grade(b["age_group"], 5)
    # all are 16 (born 2009): 10–14 has 0 and 15–17 all of them; 0 and 100 % are shown (P0 flag)
    assert cohorts.breakdown_shown(age) == ["4+"]  # 10+ (6 persons): n_eff < 30 → both cells suppressed
    crossed = grade(cohorts.crossed_breakdown(panel, 2025, 10), 5)
    withheld = int((crossed["flag"] == "suppressed").sum())
    detail = cohorts.suppression_summary({"crossed": crossed}, "en", detail=True).iloc[0].tolist()
    assert detail[0] == "crossed" and detail[1] == len(crossed) and detail[2] == withheld
    assert detail[3] + detail[4] + detail[5] == withheld
    # what a page publishes: one number for the withheld cells, no reasons (issue 11)
    public = cohorts.suppression_summary({"crossed": crossed}, "en")
    assert list(public.columns) == ["Table", "Cells", "Withheld: too few or too uncertain", "Shown but uncertain"]
    assert public.iloc[0].tolist()[:3] == ["crossed", len(crossed), withheld]


# --------------------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------------------
def test_build_makes_graded_titled_tables_without_identifiers(debut_register):
    page = cohorts.build(debut_register, year=2025, thresholds=[4], follow_years=3,
                         policy=Policy(min_count=1, lang="en"), n_boot=200)
    assert list(page.tables()) == [n for n in cohorts.page.TABLES if n in page]
    assert set(cohorts.page.TABLES) - set(page.tables()) <= {"breakdown_sex", "breakdown_age_group",
                                                             "breakdown_district", "transitions", "left_censored"}
    # suspects of 2025 were at most 17 at the offence, so born 2007 or later: at most 8 in 2015, the year
    # before the data start; registrations count from 10, so "registered before the data" is 0 by construction
    assert "left_censored" not in page
    assert page.show("left_censored").data == (
        "None of the suspects of 2025 can have been registered before the data start in 2016: the year before, "
        "they were at most 8, and registrations count from age 10. The figure is therefore 0 for everyone, without uncertainty, "
        "and the table is not shown.")
    # nobody had 4+ offences in 2022-2024, so there is no cohort to follow (issue 13: an empty table before)
    assert page.show("transitions").data == ("No cohort can be followed: no suspect aged 10–17 had 4+ offences in "
                                             "any of the 3 years before 2025 that the register covers.")
    assert page.persistence_note() == ""
    for name, t in page.tables().items():
        assert meta_of(t).graded and meta_of(t).title, name
        assert not {"person_id", "case_id", "person"} & set(t.columns), name
    assert "R1" not in repr(page)
    assert page.title("offence_bands") == "Suspects aged 10–17 by number of offences in 2025"
    with pytest.raises(ValueError, match="not a table"):
        page["nope"]


def test_logrank_note_gives_the_hazard_ratio_with_its_interval(debut_register):
    page = cohorts.build(debut_register, year=2025, thresholds=[4], follow_years=3,
                         policy=Policy(min_count=1, lang="en"), n_boot=200)
    lr = pd.DataFrame({"estimate": [0.9412], "ci_low": [0.8571], "ci_high": [1.0336], "p_value": [0.1921],
                       "flag": ["ok"], "flag_reason": [pd.NA]})
    page.protect(lambda t: {"logrank": with_meta(lr, meta_of(t["logrank"]), confidence_level=0.95)})
    # two decimals by hand: 0.9412 -> 0.94, 0.8571 -> 0.86, 1.0336 -> 1.03; p three decimals: 0.192
    assert page.logrank_note().startswith("The hazard ratio 0.94 (95% CI 0.86–1.03) compares how fast")
    assert page.logrank_note().endswith("Log-rank test of equal curves: p = 0.192.")
    page.protect(lambda t: {"logrank": t["logrank"].assign(estimate=np.nan, ci_low=np.nan, ci_high=np.nan,
                                                           p_value=np.nan, flag="suppressed")})
    assert page.logrank_note() == "The comparison of the curves cannot be shown because the groups are too small."


def test_build_titles_tables_before_grading(debut_register, monkeypatch):
    # grading's messages name a table by its title: every shown table has it when graded
    seen = []
    grade = reliability.grade

    def recording_grade(table, policy=None):
        seen.append(meta_of(table).title)
        return grade(table, policy)

    monkeypatch.setattr(reliability, "grade", recording_grade)
    page = cohorts.build(debut_register, year=2025, thresholds=[4], follow_years=3,
                         policy=Policy(min_count=1, lang="en"), n_boot=200)
    derived = {"threshold_headline", "reregistration"}  # views of graded tables, titled afterwards
    assert {page.title(n) for n in page.tables() if n not in derived} <= set(seen)
    assert "Suspects aged 10–17 by number of offences in 2025" in seen
    assert seen.count(None) == 1  # only the crossed breakdown (counted, never shown) has no title


# --------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------
def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]


def _all_ok(table):
    """Mark every row shown (the hand-made groups are far too small to pass the NCHS rules)."""
    return with_meta(table.assign(flag="ok", flag_reason=pd.NA), policy=Policy())


def test_transitions_figure_leaves_out_bars_with_a_hidden_segment(cohort_register):
    panel = cohorts.prepare(cohort_register)
    t = _all_ok(cohorts.transition_table(panel, 2025, [2], follow_years=3))
    # hide one segment of the 2022 +1 bar by hand, as suppression would
    t.loc[0, ["numerator", "denominator", "estimate", "ci_low", "ci_high"]] = np.nan
    t.loc[0, "flag"] = "suppressed"
    fig = cohorts.figures.transitions(t, lang="en", title="T", synthetic=True)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0]
    # 6 bars of 3 segments; the 2022 +1 bar is left out whole; segments of height 0 are not counted
    shown = t[(t["flag"] != "suppressed") & ~((t["cohort"] == 2022) & (t["years_after"] == 1))]
    assert len(bars) == int((shown["estimate"] > 0).sum())
    assert [x.get_text() for x in ax.get_xticklabels()] == ["2022 +1", "2022 +2", "2022 +3", "2023 +1", "2023 +2",
                                                            "2024 +1"]
    texts = _texts(fig)
    assert "3 values are not shown: too few or too uncertain." in texts  # the whole bar (3 segments)
    assert "SYNTHETIC DATA" in texts


def test_lorenz_figure_has_the_line_of_equal_shares(ten):
    panel = cohorts.prepare(ten)
    t = _all_ok(cohorts.concentration(panel, 2025, [4, 10], min_count=1, n_boot=200).lorenz)
    fig = cohorts.figures.lorenz(t, lang="nb")
    ax = fig.axes[0]
    diagonal = [ln for ln in ax.lines if list(ln.get_xdata()) == [0, 100] and list(ln.get_ydata()) == [0, 100]]
    assert len(diagonal) == 1
    assert "Lik fordeling" in _texts(fig)
    assert ax.get_xlim() == (0, 100) and ax.get_ylim() == (0, 100)


def test_the_page_publishes_what_cannot_be_read_back(debut_register):
    # issue 11: a curve without counts of re-registered persons and with rounded numbers at risk;
    # shares and the Gini coefficient rounded to 0.001; no withheld Lorenz point; notes without counts
    page = cohorts.build(debut_register, year=2025, thresholds=[4, 10], follow_years=3,
                         policy=Policy(min_count=5, lang="en"), n_boot=200)
    curve = page["reregistration_curve"]
    assert len(curve) and not {"numerator", "events"} & set(curve.columns)
    assert (curve["n_at_risk"].dropna() % 10 == 0).all()
    assert "numerator" not in page["reregistration"].columns
    for name in ("top_shares", "group_shares", "gini", "lorenz", "reregistration_curve", "reregistration"):
        if name in page:
            values = page[name][["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float).ravel()
            values = values[~np.isnan(values)]
            assert np.allclose(values, np.round(values, 3), rtol=0, atol=1e-12), name
    if "lorenz" in page:
        assert (page["lorenz"]["flag"] != "suppressed").all()
    note = page.privacy_note()
    assert "is not shown: too many of its cells would have to be withheld" in note
    digits = re.sub(r"(fewer than|under) 5 persons|4\+|10\+|10–17", "", note)
    assert not re.search(r"\d", digits), note


def test_the_fewer_than_20_events_rule_counts_offences_not_persons():
    """Issue 12: the top-1 % row (15 persons) was flagged by a fewer-than-20-events rule although the
    persons hold many offences. By hand: counts 25, 2, 2, 1 x 7 (36 offences)."""
    from salto_analysis.cohorts.page import graded_on_offences

    counts = [1, 2, 25, 1, 1, 2, 1, 1, 1, 1]
    top = pd.DataFrame({"top_percent": [10, 30], "numerator": [1, 3], "estimate": [25 / 36, 29 / 36],
                        "flag": ["uncertain", "uncertain"], "flag_reason": ["C3", "C3;P2"]})
    groups = pd.DataFrame({"offence_threshold": ["2+", "4+"], "numerator": [3, 1], "estimate": [29 / 36, 25 / 36],
                           "flag": ["uncertain", "ok"], "flag_reason": ["C3", pd.NA]})
    out = graded_on_offences({"top_shares": top, "group_shares": groups}, counts, Policy())
    # the top person holds 25 offences (>= 20): not unstable; the top 3 hold 29, but P2 stays
    assert out["top_shares"]["flag"].tolist() == ["ok", "uncertain"]
    assert out["top_shares"]["flag_reason"].isna().tolist() == [True, False]
    assert out["top_shares"]["flag_reason"].iloc[1] == "P2"
    assert out["group_shares"]["flag"].tolist() == ["ok", "ok"]
    # a group holding fewer than 20 offences keeps its C3
    few = graded_on_offences({"top_shares": top.iloc[:1]}, [8, 2, 1, 1, 1, 1, 1, 1, 1, 1], Policy())
    assert few["top_shares"][["flag", "flag_reason"]].values.tolist() == [["uncertain", "C3"]]
