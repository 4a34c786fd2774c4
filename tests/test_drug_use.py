"""Tests of the salto_analysis.drug_use package (notebook 04's library).

Expected numbers are hand computations written out below, R's ``survey`` package (values in
``tests/fixtures/stats/r_reference.csv``, made by ``make_r_reference.R``) or published
reference vectors; none is produced by the code under test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salto_analysis import drug_use as du
from salto_analysis import reliability, survey, tables
from salto_analysis.estimates import meta_of
from salto_analysis.params import ParameterError
from salto_analysis.policy import Policy, SmallSampleWarning

FIXTURES = "tests/fixtures/stats"


def _r_reference() -> dict[str, float]:
    ref = pd.read_csv(f"{FIXTURES}/r_reference.csv")
    return dict(zip(ref["name"], ref["value"]))


def _grade(table, policy=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return reliability.grade(table, policy or Policy())


# --------------------------------------------------------------------------- a hand-made survey
# Two waves, four schools, grade 8 only. Cannabis answers (1 = used at least once):
#   2018: school A 1,0,0,0   B 1,1,0,0   C 0,0,0   D 1,0,0    -> 4/14 = 2/7
#   2023: school A 1,1,0     B 1,1,1,0   C 1,0,0,0 D 0,0,0    -> 6/14 = 3/7
# Schools A and B are in district Frogner, C and D in Alna. All weights 1.
WAVE_2018 = {"A": [1, 0, 0, 0], "B": [1, 1, 0, 0], "C": [0, 0, 0], "D": [1, 0, 0]}
WAVE_2023 = {"A": [1, 1, 0], "B": [1, 1, 1, 0], "C": [1, 0, 0, 0], "D": [0, 0, 0]}
DISTRICT = {"A": "Frogner", "B": "Frogner", "C": "Alna", "D": "Alna"}


def hand_survey() -> pd.DataFrame:
    rows = []
    n = 0
    for wave, answers in ((2018, WAVE_2018), (2023, WAVE_2023)):
        for school, ys in answers.items():
            for y in ys:
                n += 1
                rows.append({"wave": wave, "pupil_id": f"P{n:04d}", "school_id": school,
                             "district": DISTRICT[school], "grade": "8", "sex": "female",
                             "cannabis_12m": "3" if y else "1"})
    return pd.DataFrame(rows)


def _change_row(survey_frame):
    frame = du.prepare(survey_frame, indicators=["cannabis"], by=["grade"])
    t = du.changes(frame)
    assert len(t) == 1 and t["school_level"].iat[0] == "lower_secondary"
    return t.iloc[0]


def test_change_hand_computed_one_stratum():
    # Linearised difference with schools as PSUs across both waves. With W = 14 in each wave,
    # z_k = (x_k,2023 - m_k,2023 * 3/7)/14 - (x_k,2018 - m_k,2018 * 2/7)/14 per school:
    #   A: (2 - 9/7)/14 - (1 - 8/7)/14 = 5/98 + 1/98 = 6/98
    #   B: (3 - 12/7)/14 - (2 - 8/7)/14 = 9/98 - 6/98 = 3/98
    #   C: (1 - 12/7)/14 - (0 - 6/7)/14 = -5/98 + 6/98 = 1/98
    #   D: (0 - 9/7)/14 - (1 - 6/7)/14 = -9/98 - 1/98 = -10/98
    # one stratum (all four schools in one district), 4 PSUs:
    #   v = 4/3 * (36 + 9 + 1 + 100)/98^2 = 584/28812, df = 4 - 1 = 3
    row = _change_row(hand_survey().assign(district="Frogner"))
    se = math.sqrt(584 / 28812)
    assert row["estimate"] == pytest.approx(1 / 7, abs=1e-12)
    assert row["estimate_ref"] == pytest.approx(2 / 7, abs=1e-12)
    assert row["se"] == pytest.approx(se, rel=1e-12)
    assert row["df"] == 3
    q = sps.t.ppf(0.975, 3)
    assert row["ci_low"] == pytest.approx(1 / 7 - q * se, rel=1e-10)
    assert row["ci_high"] == pytest.approx(1 / 7 + q * se, rel=1e-10)
    assert row["p_value"] == pytest.approx(2 * sps.t.sf((1 / 7) / se, 3), rel=1e-10)
    assert row["p_adjusted"] == pytest.approx(row["p_value"])  # BH over one test
    assert (row["numerator"], row["denominator"], row["numerator_ref"], row["denominator_ref"]) == (6, 14, 4, 14)


def test_change_uses_the_school_covariance():
    # Treating the waves as independent would give v1 + v2 = 4/3*(1+36+36+1)/98^2 + 4/3*(25+81+25+81)/98^2
    # = 4/3*286/9604, larger than the 4/3*146/9604 above: the schools' persistence is used.
    se = _change_row(hand_survey().assign(district="Frogner"))["se"]
    assert se**2 < 4 / 3 * 286 / 9604
    assert se**2 == pytest.approx(4 / 3 * 146 / 9604, rel=1e-12)


def test_change_hand_computed_with_district_strata():
    # Strata Frogner {A: 6/98, B: 3/98} and Alna {C: 1/98, D: -10/98}; stratum means 4.5/98 and -4.5/98:
    # v = 2/1 * [(1.5^2 + 1.5^2) + (5.5^2 + 5.5^2)]/98^2 = 2 * 65/9604 = 130/9604, df = 4 PSUs - 2 strata = 2
    row = _change_row(hand_survey())
    assert row["se"] == pytest.approx(math.sqrt(130 / 9604), rel=1e-12)
    assert row["df"] == 2


def test_trend_two_waves_hand_computed():
    # Two waves make the logistic model saturated: beta1 = (logit 3/7 - logit 2/7)/5 = ln(15/8)/5.
    # Sandwich (R svyglm): centred year t = -2.5, +2.5; W = 14 per wave;
    #   H = 14*(2/7)(5/7)*[1,-2.5;-2.5,6.25] + 14*(3/7)(4/7)*[1,2.5;2.5,6.25] = [308, 70; 70, 1925]/49
    #   residuals r = x - m*mu: 2018 A -1/7, B 6/7, C -6/7, D 1/7; 2023 A 5/7, B 9/7, C -5/7, D -9/7
    #   school scores s = (r18 + r23, 2.5*(r23 - r18)): A (4, 15)/7, B (15, 7.5)/7, C (-11, 2.5)/7,
    #   D (-8, -25)/7, so M = sum s s' = [426, 345; 345, 912.5]/49, and V = H^-1 (4/3 M) H^-1.
    frame = du.derive(hand_survey(), ["cannabis"])
    t = du.logistic_trend(frame, "cannabis")
    h = np.array([[308, 70], [70, 1925]]) / 49
    m = np.array([[426, 345], [345, 912.5]]) / 49
    hi = np.linalg.inv(h)
    se = math.sqrt((hi @ (4 / 3 * m) @ hi)[1, 1])
    assert math.log(t["estimate"].iat[0]) == pytest.approx(math.log(15 / 8) / 5, rel=1e-10)
    assert t["se"].iat[0] == pytest.approx(se, rel=1e-9)
    assert t["df"].iat[0] == 2  # 4 schools - 1 stratum - 1 (R summary.svyglm)
    q = sps.t.ppf(0.975, 2)
    assert t["ci_low"].iat[0] == pytest.approx((15 / 8) ** 0.2 * math.exp(-q * se), rel=1e-9)
    assert (t["numerator"].iat[0], t["denominator"].iat[0]) == (10, 28)


def test_trends_use_district_strata_of_the_pooled_design():
    # du.trends runs change.survey_trend on the pooled design: schools A, B (Frogner) and C, D
    # (Alna) are strata there. Hand computation as above with the school scores centred within
    # their stratum: A (-5.5, 3.75), B (5.5, -3.75), C (-1.5, 13.75), D (1.5, -13.75) (/7), so
    # V = 2/1 * [65, -82.5; -82.5, 406.25]/49 and df = 4 schools - 2 strata - 1 = 1.
    # (The R check of the trend, statsmodels agreement and the domain convention are tested
    # with change.survey_trend in tests/test_change.py.)
    frame = du.prepare(hand_survey(), indicators=["cannabis"], by=["grade"])
    assert frame.attrs["design"]["district_strata"]
    t = du.trends(frame)
    h = np.array([[308, 70], [70, 1925]]) / 49
    m = 2 * np.array([[65, -82.5], [-82.5, 406.25]]) / 49
    hi = np.linalg.inv(h)
    se = math.sqrt((hi @ m @ hi)[1, 1])
    row = t.iloc[0]
    assert math.log(row["estimate"]) == pytest.approx(math.log(15 / 8) / 5, rel=1e-10)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert row["df"] == 1 and row["p_adjusted"] == pytest.approx(row["p_value"])
    assert list(t.columns[:2]) == ["indicator", "school_level"] and "n_clusters" not in t.columns


# --------------------------------------------------------------------------- indicators


def test_frequency_items_at_least_once_in_12_months():
    s = pd.DataFrame({"wave": 2023, "school_id": "S1", "grade": "VG1",
                      "cocaine_12m": ["1", "2", "3", "4", "5", None]})
    d = du.derive(s, ["cocaine"])
    assert d["cocaine"].tolist()[:5] == [0.0, 1.0, 1.0, 1.0, 1.0]
    assert np.isnan(d["cocaine"].iat[5])
    assert d.attrs["item_nonresponse"] == {"cocaine": 1}


def test_legalisation_dont_know_stays_in_denominator():
    s = pd.DataFrame({"wave": 2023, "school_id": "S1", "grade": "VG3",
                      "cannabis_legal": pd.Categorical(["1", "2", "3", "3", None], categories=["1", "2", "3"])})
    d = du.derive(s, ["pro_legalisation"])
    assert d["pro_legalisation"].tolist()[:4] == [1.0, 0.0, 0.0, 0.0]  # "Vet ikke" (3) is a no
    assert d.attrs["item_nonresponse"] == {"pro_legalisation": 1}


def test_numeric_codes_are_accepted():
    s = pd.DataFrame({"wave": [2021, 2021, 2021], "school_id": ["S1"] * 3, "grade": [8, 9, 10],
                      "drunk_12m": [1.0, 5.0, np.nan]})
    d = du.derive(s, ["drunk"])
    assert d["drunk"].tolist()[:2] == [0.0, 1.0]
    assert d["grade"].astype(str).tolist() == ["8", "9", "10"]
    assert d["school_level"].astype(str).tolist() == ["lower_secondary"] * 3


def test_out_of_scale_value_is_a_clear_error():
    s = pd.DataFrame({"wave": 2023, "school_id": "S1", "grade": "VG1", "cannabis_12m": ["1", "7", "7", "2"]})
    with pytest.raises(ValueError, match=r"'cannabis_12m'.*'7'.*outside its answer scale in 2 row\(s\)"):
        du.derive(s, ["cannabis"])
    s = pd.DataFrame({"wave": 2023, "school_id": "S1", "grade": "VG1", "cannabis_legal": ["1", "4"]})
    with pytest.raises(ValueError, match=r"'cannabis_legal'.*'4'.*allowed codes: 1, 2, 3"):
        du.derive(s, ["pro_legalisation"])


def test_missing_answers_are_counted_per_indicator_and_wave():
    s = pd.DataFrame({"wave": [2021, 2021, 2021, 2023, 2023], "school_id": ["S1", "S2", "S1", "S1", "S2"],
                      "grade": "8", "drunk_12m": ["1", None, None, "2", "1"],
                      "vaping_12m": ["1", "1", "2", None, "1"]})
    frame = du.prepare(s, indicators=["drunk", "vaping"], by=["grade"])
    assert frame.attrs["item_nonresponse"] == {"drunk": 2, "vaping": 1}
    t = du.item_nonresponse(frame)
    got = {(str(r.indicator), int(r.wave)): (r.numerator, r.denominator) for r in t.itertuples()}
    assert got == {("drunk", 2021): (2, 3), ("drunk", 2023): (0, 2), ("vaping", 2021): (0, 3),
                   ("vaping", 2023): (1, 2)}
    assert meta_of(t).kind == "proportion"


def test_derive_drops_pupil_id_and_checks_columns():
    d = du.derive(hand_survey(), ["cannabis"])
    assert "pupil_id" not in d.columns
    with pytest.raises(ValueError, match="no column.*'cocaine_12m'"):
        du.derive(hand_survey(), ["cocaine"])
    with pytest.raises(ValueError, match="indicator 'heroin' is not known"):
        du.derive(hand_survey(), ["heroin"])
    bad = hand_survey().assign(grade="7")
    with pytest.raises(ValueError, match="'grade' has value"):
        du.derive(bad, ["cannabis"])


def test_definitions_table():
    t = du.definitions(lang="en")
    assert len(t) == len(du.INDICATORS)
    rule = t.set_index("Indicator")["Rule"]
    assert "Don't know" in rule["In favour of legalising cannabis"]
    assert "answers 2–5" in rule["Cocaine in the last 12 months"]
    assert "at least once in the last 12 months" in t["Definition"].iat[0]


def test_check_options_names_bad_values():
    ok = du.check_options(indicators=["cocaine"], by=["sex", "grade"], district_breakdown=False,
                          ci_method="logit", waves=[2023, 2018])
    assert ok == {"indicators": ("cocaine",), "by": ("grade", "sex"), "district_breakdown": False,
                  "ci_method": "logit", "waves": (2018, 2023)}
    with pytest.raises(ParameterError, match=r"indicators=\['heroin'\]"):
        du.check_options(indicators=["heroin"], by=[], district_breakdown=True, ci_method="logit")
    with pytest.raises(ParameterError, match=r"2 notebook parameters.*by=\['district'\].*ci_method='wald'"):
        du.check_options(indicators=["cocaine"], by=["district"], district_breakdown=True, ci_method="wald")
    with pytest.raises(ParameterError, match="district_breakdown='yes'"):
        du.check_options(indicators=["cocaine"], by=[], district_breakdown="yes", ci_method="logit")


# --------------------------------------------------------------------------- prevalence and tables


def test_prevalence_hand_computed_and_school_level_rows():
    # Prevalence design: schools are the PSUs, each wave x district a stratum (every school is in one
    # district and each district has two schools per wave). In 2018 the z totals per school are
    # (x_k - m_k*2/7)/14: A -1/98, B 6/98 (Frogner, mean 2.5/98), C -6/98, D 1/98 (Alna, mean -2.5/98):
    # v = 2*[(3.5^2 + 3.5^2) + (3.5^2 + 3.5^2)]/98^2 = 98/9604 = 1/98, df = 4 - 2 = 2.
    frame = du.prepare(hand_survey(), indicators=["cannabis"], by=["grade", "sex"])
    assert frame.attrs["design"]["district_strata"] is True
    t = du.prevalence(frame)
    assert list(meta_of(t).groups) == ["indicator", "wave", "school_level", "grade", "sex"]
    r18 = t[(t["wave"] == 2018) & (t["grade"] == "8")].iloc[0]
    assert r18["estimate"] == pytest.approx(2 / 7, abs=1e-12)
    assert r18["se"] == pytest.approx(math.sqrt(1 / 98), rel=1e-12)
    assert r18["df"] == 2
    assert (r18["numerator"], r18["denominator"]) == (4, 14)
    # design effect: v / (p(1-p)/n) = (1/98) / ((10/49)/14) = 0.7; n_eff = p(1-p)/v = 20
    assert r18["deff"] == pytest.approx(0.7, rel=1e-12)
    assert r18["n_eff"] == pytest.approx(20, rel=1e-12)
    # the school-level subtotal (grade "all") has the same pupils here
    all18 = t[(t["wave"] == 2018) & (t["grade"] == du.ALL_GRADES)].iloc[0]
    assert all18["estimate"] == pytest.approx(2 / 7) and all18["school_level"] == "lower_secondary"
    assert meta_of(t).design_based and meta_of(t).nonadditive == ("indicator", "wave")


def test_strata_decision_without_nesting():
    s = hand_survey()
    s.loc[0, "district"] = "Alna"  # school A now has pupils from two districts
    frame = du.prepare(s, indicators=["cannabis"], by=["grade"])
    assert frame.attrs["design"] == {"district_strata": False, "why_not": "not_nested", "weighted": False,
                                     "schools": 8}
    assert "flere bydeler" in du.design_note(frame, "nb")


def test_prepare_waves_and_excluded_pupils():
    s = hand_survey()
    s.loc[[0, 1], "sex"] = None
    frame = du.prepare(s, indicators=["cannabis"], waves=[2023], by=["sex"])
    assert frame.attrs["waves"] == [2023]
    assert frame.attrs["excluded"] == {"sex": 0}  # the two pupils without sex are in 2018
    frame = du.prepare(s, indicators=["cannabis"], by=["sex"])
    assert frame.attrs["excluded"] == {"sex": 2} and len(frame) == 26
    assert "2 pupils without a recorded sex" in du.excluded_note(frame, "en")
    with pytest.raises(ParameterError, match=r"waves=\[2020\].*has 2018, 2023"):
        du.prepare(s, indicators=["cannabis"], waves=[2020])


def test_a_wave_answered_by_one_school_is_left_out_and_said(tmp_path):
    # issue 13: with one school (one PSU in the wave's stratum) the design has no variance; before,
    # Design raised "stratum 2023 has only one PSU". The hand survey's 2023 cut to school A (3 pupils).
    s = hand_survey()
    s = s[(s["wave"] == 2018) | (s["school_id"] == "A")]
    frame = du.prepare(s, indicators=["cannabis"], by=["grade"])
    assert frame.attrs["waves"] == [2018] and frame.attrs["one_school_waves"] == [2023]
    assert frame.attrs["one_school_pupils"] == 3 and len(frame) == 14
    assert du.intro(frame, "en").endswith("Survey years answered by one school only are not in the tables: 2023 "
                                          "(3 pupils). The schools are the clusters of the sample, so with one "
                                          "school the uncertainty cannot be estimated, and one school is not the "
                                          "whole city.")
    page = du.build(frame, s, Policy(min_count=1, lang="en"))
    assert sorted(page["prevalence"]["wave"].unique()) == [2018]
    assert page.show("change").data == "Only one survey year is selected, so change and trend cannot be computed."
    # every wave from one school: no table, and the page says why
    s = s[s["school_id"] == "A"]
    frame = du.prepare(s, indicators=["cannabis"], by=["grade"])
    assert frame.attrs["waves"] == [] and frame.attrs["one_school_waves"] == [2018, 2023] and len(frame) == 0
    page = du.build(frame, s, Policy(lang="nb"))
    assert page.tables() == {}
    assert page.show("nonresponse").data == ("Ingen av de valgte undersøkelsesårene har svar fra minst to skoler, "
                                             "så ingen andeler kan beregnes.")
    assert page.show("prevalence").data == "" and page.figure("trends").data == ""
    assert "Ung i Oslo er ikke et tilfeldig utvalg" in page.markdown("reading").data


def _mini_survey(seed=1, schools=6, per_school=40, waves=(2018, 2021, 2023)):
    """A larger seeded survey for structural tests (no expected numbers come from it)."""
    rng = np.random.default_rng(seed)
    rows = []
    districts = ["Frogner", "Alna", "Stovner"]
    grades = ["8", "9", "10", "VG1", "VG2", "VG3"]
    for wave in waves:
        for s in range(schools):
            level = grades[:3] if s % 2 == 0 else grades[3:]
            for i in range(per_school):
                g = level[i % 3]
                p = 0.03 + 0.1 * grades.index(g) / 5
                rows.append({"wave": wave, "school_id": f"S{s}", "district": districts[s % 3], "grade": g,
                             "sex": "male" if i % 2 else "female",
                             "cocaine_12m": "2" if rng.random() < p else "1",
                             "drunk_12m": "2" if rng.random() < 3 * p else "1"})
    return pd.DataFrame(rows)


def test_graded_tables_never_publish_small_counts():
    frame = du.prepare(_mini_survey(), indicators=["cocaine", "drunk"])
    policy = Policy(min_count=5)
    for table in (du.prevalence(frame), du.districts(frame), du.item_nonresponse(frame)):
        g = _grade(table, policy)
        assert g["flag"].isin(["ok", "uncertain", "suppressed"]).all()
        for col in ("numerator", "denominator"):
            v = g[col].astype(float)
            assert not ((v > 0) & (v < 5)).any()
        comp = (g["denominator"].astype(float) - g["numerator"].astype(float))
        assert not ((comp > 0) & (comp < 5)).any()


def test_change_and_trend_skip_groups_with_withheld_shares():
    frame = du.prepare(_mini_survey(), indicators=["cocaine", "drunk"])
    prev = _grade(du.prevalence(frame))
    all_rows = prev[prev["grade"] == du.ALL_GRADES]
    suppressed = {(str(r.indicator), str(r.school_level), str(r.sex))
                  for r in all_rows[all_rows["flag"] == "suppressed"].itertuples()}
    assert suppressed  # cocaine among the youngest is rare in this survey
    ch = du.changes(frame, prev)
    tr = du.trends(frame, prev)
    for table in (ch, tr):
        keys = {(str(r.indicator), str(r.school_level), str(r.sex)) for r in table.itertuples()}
        assert not keys & suppressed
        assert "p_adjusted" in table.columns
    assert set(map(tuple, meta_of(tr).fact('not_computed'))) >= {k for k in suppressed}
    assert meta_of(ch).fact('wave_from') == 2021 and meta_of(ch).fact('wave_to') == 2023
    note = du.not_computed_note(tr, "en")
    assert note.startswith("Not computed")


def test_one_wave_gives_empty_change_and_trend():
    frame = du.prepare(_mini_survey(), indicators=["drunk"], waves=[2023])
    assert len(du.changes(frame)) == 0 and len(du.trends(frame)) == 0


def test_districts_table_has_the_city_row_last():
    frame = du.prepare(_mini_survey(), indicators=["drunk"])
    t = du.districts(frame)
    # district codes 05, 11, 12, then the city
    assert t["district"].astype(str).tolist() == ["Frogner", "Stovner", "Alna", "Oslo"]
    city = t.iloc[-1]
    assert city["denominator"] == (frame["wave"] == 2023).sum()
    assert meta_of(t).fact('wave') == 2023 and "Oslo" in meta_of(t).total_labels


def test_codes_are_shown_in_words():
    frame = du.prepare(hand_survey(), indicators=["cannabis"])
    g = _grade(du.prevalence(frame))
    assert set(g["indicator"].astype(str)) == {"cannabis"} and set(g["grade"].astype(str)) == {"8", "all"}
    nb = tables.display(g, "nb").to_text()
    assert "Cannabis siste 12 måneder" in nb and "8. trinn" in nb and "Alle trinn" in nb
    assert "Lower secondary (grades 8–10)" in tables.display(g, "en").to_text()


def test_trend_figures_one_per_indicator():
    frame = du.prepare(_mini_survey(), indicators=["cocaine", "drunk"])
    figs = du.trend_figures(_grade(du.prevalence(frame)), "en")
    assert len(figs) == 2
    assert figs[0].axes[0].get_title(loc="left") == "Cocaine in the last 12 months"
    figs = du.district_figures(_grade(du.districts(frame)), "nb")
    assert len(figs) == 2


# --------------------------------------------------------------------------- the page


def test_change_sentences_name_the_group_and_respect_flags():
    frame = du.prepare(_mini_survey(), indicators=["drunk"], by=["sex"])
    table = _grade(du.changes(frame))
    text = du.change_sentences(table, "nb")
    lines = text.splitlines()
    assert len(lines) == len(table) == 4
    assert lines[0].startswith("- **Beruset siste 12 måneder, ungdomsskole (8.–10. trinn), jente/kvinne:** ")
    assert "videregående (VG1–VG3), gutt/mann" in lines[3]
    # the hand-made survey has 14 pupils per wave: the change is withheld (P1), and says so
    hand = _grade(du.changes(du.prepare(hand_survey(), indicators=["cannabis"])))
    assert hand["flag"].iat[0] == "suppressed"
    assert "kan ikke vises (:)" in du.change_sentences(hand, "nb")


def test_build_grades_every_table_and_builds_the_headline():
    survey_frame = _mini_survey(schools=18)  # enough schools for shares that change and trend can use
    frame = du.prepare(survey_frame, indicators=["drunk", "cocaine"])
    page = du.build(frame, survey_frame, Policy(lang="en"), district_breakdown=True)
    for name in ("nonresponse", "prevalence", "latest", "change", "trend", "districts", "headline"):
        t = page[name]
        assert meta_of(t).graded and t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
    head = page["headline"]
    assert set(head["wave"]) == {2023} and set(head["grade"].astype(str)) == {"all"}
    assert set(head["indicator"].astype(str)) == {"cocaine"}  # no cannabis selected
    # the few rows the briefing's index shows: upper secondary only, one row per sex
    assert set(head["school_level"].astype(str)) == {"upper_secondary"}
    assert sorted(head["sex"].astype(str)) == ["female", "male"]
    assert page.title("headline") == "Share of upper secondary pupils (VG1–VG3) in 2023"
    assert page.title("districts") == "Prevalence (%) by district in 2023, compared with the whole city"
    assert page.title("trend") == "Trend 2018–2023: odds ratio per year"
    notes = du.reading_notes(survey_frame, frame, page, min_count=5)
    assert "is not a random sample" in notes and "does not give the response rate" in notes
    assert "design effect" in notes and "5 pupils" in notes
    n_change, n_trend = len(page["change"]), len(page["trend"])
    assert n_change and n_trend
    assert f"({n_change} changes and {n_trend} trends)" in du.method_note(page)
    no_districts = du.build(frame, survey_frame, Policy())
    assert "districts" not in no_districts and no_districts.show("districts").data == no_districts.text(
        "drug_use.note.districts_off")


def test_change_and_trend_of_withheld_shares_say_why():
    # six schools a wave (three per school level): every share is withheld (few degrees of freedom), so
    # no change or trend can be computed; before issue 13 the page showed the two tables without a row
    frame = du.prepare(_mini_survey(), indicators=["drunk", "cocaine"])
    page = du.build(frame, _mini_survey(), Policy(lang="en"))
    assert (page["prevalence"]["flag"] == "suppressed").all()
    assert "change" not in page and "trend" not in page
    assert page.show("change").data == ("No change from 2021 to 2023 can be computed: every share it would rest "
                                        "on is withheld (:) in the table above.")
    assert page.show("trend").data == "No trend can be computed: every share it would rest on is withheld (:) " \
                                      "in the table above."
    assert page.markdown("change_sentences").data == "" and page.markdown("method").data == ""


def test_response_rate_note_uses_the_data_when_it_has_it():
    s = _mini_survey()
    assert "oppgir ikke svarprosenten" in du.response_rate_note(s, "nb")
    s.attrs["response_rate"] = {2023: 0.74, 2018: 0.8}
    assert du.response_rate_note(s, "en") == "Response rate in the data: 2018: 80 %, 2023: 74 %."


def test_districts_of_one_wave_equal_domains_of_the_pooled_design():
    # each wave is a stratum, so the latest wave's own rows give the pooled design's domain results
    frame = du.prepare(_mini_survey(), indicators=["drunk"])
    t = du.districts(frame).set_index("district")
    design = survey.Design(frame, cluster="school_id", strata="stratum", weight="weight", nest=True)
    pooled = design.proportion("drunk", by=["wave", "district"])
    pooled = pooled[pooled["wave"] == 2023].set_index("district")
    for d in ("Frogner", "Stovner", "Alna"):
        for col in ("estimate", "se", "df", "ci_low", "ci_high", "denominator"):
            assert t.loc[d, col] == pytest.approx(pooled.loc[d, col], rel=1e-12), (d, col)
