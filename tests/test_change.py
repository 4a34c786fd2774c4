"""Tests of salto_analysis.change: survey change and trend, count change, Poisson trend, BH.

R values: tests/fixtures/stats/r_reference.csv (make_r_reference.R, R 4.2.2 / survey 4.1.1).
"""

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salto_analysis import change, estimates, stats, survey
from salto_analysis.estimates import meta_of

FIX = Path(__file__).parent / "fixtures" / "stats"
R = pd.read_csv(FIX / "r_reference.csv").set_index("name")["value"]
NBSP = "\u00a0"


def _api(name):
    d = pd.read_csv(FIX / f"{name}.csv")
    d["sw"] = (d["sch.wide"] == "Yes").astype(int)
    return d


# --------------------------------------------------------------------------------------
# two waves
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, kw", [("dclus1", {"cluster": "dnum", "weight": "pw", "fpc": "fpc"}),
                                      ("dstrat", {"strata": "stype", "weight": "pw", "fpc": "fpc"})])
def test_design_difference_matches_r_svycontrast(name, kw):
    # R: svyby(~sw, ~awards, design, svymean, covmat = TRUE) then svycontrast(No = -1, Yes = 1) [R-out]
    des = survey.Design(_api("apiclus1" if name == "dclus1" else "apistrat"), **kw)
    t = change.survey_change(des, "sw", over="awards", from_level="No", to_level="Yes")
    assert meta_of(t).kind == "difference"
    assert t.estimate[0] == pytest.approx(R[f"{name}.diff.awards.estimate"], abs=1e-12)
    assert t.se[0] == pytest.approx(R[f"{name}.diff.awards.se"], rel=1e-10)
    by = change.survey_change(des, "sw", over="awards", from_level="No", to_level="Yes", by="stype")
    for _, row in by.iterrows():
        assert row.estimate == pytest.approx(R[f"{name}.diff.awards.{row.stype}.estimate"], abs=1e-12)
        assert row.se == pytest.approx(R[f"{name}.diff.awards.{row.stype}.se"], rel=1e-10)
    # interval and test from the t distribution with the design df, by hand
    r = t.iloc[0]
    q = 2.1447866879169273 if name == "dclus1" else None  # qt(0.975, 14)
    if q is not None:
        assert r.df == 14 and r.ci_high == pytest.approx(r.estimate + q * r.se)


def test_independent_waves_from_tables_reference_example():
    # by hand from R's svymean of the two api designs as two waves (r_reference.csv), sch.wide:
    # 0.874317 - 0.827948 = 0.046369, SE 0.031736, z = 1.461, p = 0.144, CI (-0.0158, 0.1086) (normal)
    c = survey.Design(_api("apiclus1"), cluster="dnum", weight="pw", fpc="fpc").proportion("sw")
    s = survey.Design(_api("apistrat"), strata="stype", weight="pw", fpc="fpc").proportion("sw")
    both = pd.concat([c.assign(wave=2), s.assign(wave=1)], ignore_index=True).drop(columns="df")
    table = estimates.estimate_table(both, groups=["wave"], **{k: getattr(meta_of(c), k) for k in (
        "kind", "measure", "unit", "method", "confidence_level")}, design_based=True)
    t = change.survey_change(table, over="wave")
    r = t.iloc[0]
    assert r.estimate == pytest.approx(0.046369, abs=1e-6) and r.se == pytest.approx(0.031736, abs=1e-6)
    assert r.p_value == pytest.approx(0.144, abs=1e-3)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.0158, 0.1086), abs=1e-4)
    assert (r.numerator, r.denominator, r.numerator_ref, r.denominator_ref) == (160, 183, 152, 200)
    # with df columns: t with min(df) = 14 (by hand: 2 * pt(-1.4611, 14))
    with_df = estimates.estimate_table(pd.concat([c.assign(wave=2), s.assign(wave=1)], ignore_index=True),
                                       groups=["wave"], **{k: getattr(meta_of(c), k) for k in (
                                           "kind", "measure", "unit", "method", "confidence_level")},
                                       design_based=True)
    t2 = change.survey_change(with_df, over="wave").iloc[0]
    assert t2.df == 14 and t2.p_value == pytest.approx(0.16603, abs=2e-4)


def test_srs_table_change_uses_newcombe():
    df = pd.DataFrame({"wave": [2021, 2023], "x": [48, 56], "n": [80, 70]})
    t = change.survey_change(stats.proportion_table(df, numerator="x", denominator="n", groups=["wave"]))
    # Newcombe 1998 Table II, 56/70 - 48/80: (0.0524, 0.3339) [PUB]
    assert (t.ci_low[0], t.ci_high[0]) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert meta_of(t).fact('from_level') == 2021 and meta_of(t).fact('to_level') == 2023


def test_survey_change_bad_arguments():
    des = survey.Design(_api("apiclus1"), cluster="dnum", weight="pw")
    with pytest.raises(ValueError, match="to_level='Maybe'"):
        change.survey_change(des, "sw", over="awards", to_level="Maybe")
    with pytest.raises(ValueError, match="over column 'wave'"):
        change.survey_change(des, "sw")
    with pytest.raises(ValueError, match="variable must be given"):
        change.survey_change(des, over="awards")
    with pytest.raises(ValueError, match="source must be"):
        change.survey_change(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------------------
# trend over waves
# --------------------------------------------------------------------------------------
def test_survey_trend_matches_r_svyglm():
    # R svyglm(y ~ I(wave - 2019), svydesign(id = ~school_id, weights = ~weight), quasibinomial) [R-out].
    # (Until the vectorised fit, survey_trend used statsmodels' cluster correction, whose SE was
    # R's times sqrt((N-1)/(N-2)), and t(G-1); both now follow R.)
    d = pd.read_csv(FIX / "trend_survey.csv")
    t = change.survey_trend(d, "y", time="wave", cluster="school_id", weight="weight", centre=2019)
    assert math.log(t.estimate[0]) == pytest.approx(R["svyglm.trend.coef"], rel=1e-9)
    # R's bread is glm's cov.unscaled from the working weights of its last IRLS step (epsilon 1e-8),
    # so R's SE carries ~1e-7 relative convergence slack; ours is iterated to 1e-10.
    assert t.se[0] == pytest.approx(R["svyglm.trend.se"], rel=1e-6)
    assert t.denominator[0] == R["svyglm.trend.n"] and t.n_clusters[0] == R["svyglm.trend.nclusters"] == 12
    # summary.svyglm: df = degf + 1 - 2 coefficients = (12 - 1) + 1 - 2 = 10 (was t(G-1) = t(11))
    assert t.df[0] == 10
    q = 2.2281388519649385  # qt(0.975, 10)
    assert t.ci_high[0] == pytest.approx(math.exp(math.log(t.estimate[0]) + q * t.se[0]))
    assert meta_of(t).kind == "ratio" and meta_of(t).fact('centre') == 2019
    # the centring changes only the intercept
    t2 = change.survey_trend(d, "y", time="wave", cluster="school_id", weight="weight")
    assert t2.estimate[0] == pytest.approx(t.estimate[0], rel=1e-12) and t2.se[0] == pytest.approx(t.se[0], rel=1e-9)


def test_survey_trend_agrees_with_statsmodels_cluster_glm():
    # statsmodels GLM(Binomial, var_weights=w), cov_type="cluster", use_correction=True multiplies
    # the same sandwich by (N - 1)/(N - k) (statsmodels' small-sample correction); N = 960 rows, k = 2.
    import statsmodels.api as sm

    d = pd.read_csv(FIX / "trend_survey.csv")
    x = sm.add_constant(d["wave"] - 2019.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(d["y"], x, family=sm.families.Binomial(), var_weights=d["weight"]).fit(
            cov_type="cluster", cov_kwds={"groups": d["school_id"], "use_correction": True})
    t = change.survey_trend(d, "y", cluster="school_id", weight="weight")
    assert math.log(t.estimate[0]) == pytest.approx(fit.params.iloc[1], abs=1e-8)
    assert t.se[0] * math.sqrt(959 / 958) == pytest.approx(fit.bse.iloc[1], rel=1e-8)


def test_survey_trend_prop_trend_data_unweighted():
    # R's prop.trend.test example: smokers (83, 90, 129, 70) of (86, 93, 136, 82); R glm(cbind(smokers,
    # patients - smokers) ~ I(1:4), binomial) slope -0.6316 (model-based SE 0.2285) [R-out]. Each
    # patient as its own cluster gives the robust (sandwich) SE instead, so only the slope is compared.
    rows = []
    for g, (x, n) in enumerate(zip((83, 90, 129, 70), (86, 93, 136, 82))):
        rows += [{"group": g, "y": 1}] * x + [{"group": g, "y": 0}] * (n - x)
    d = pd.DataFrame(rows).reset_index()
    t = change.survey_trend(d, "y", time="group", cluster="index", centre=0)
    assert math.log(t.estimate[0]) == pytest.approx(-0.6316, abs=1e-4)
    # every row its own PSU (cluster=None) is the same design
    t0 = change.survey_trend(d, "y", time="group", cluster=None)
    assert t0.estimate[0] == pytest.approx(t.estimate[0], rel=1e-12) and t0.se[0] == pytest.approx(t.se[0], rel=1e-9)
    assert t0.n_clusters[0] == 397 and t0.df[0] == 395


# Two waves, four schools (the drug-use tests' hand survey). Answers per school:
#   2018: A 1,0,0,0   B 1,1,0,0   C 0,0,0   D 1,0,0    -> 4/14 = 2/7
#   2023: A 1,1,0     B 1,1,1,0   C 1,0,0,0 D 0,0,0    -> 6/14 = 3/7
# Schools A and B are in district Frogner, C and D in Alna; weights 1.
HAND = {2018: {"A": [1, 0, 0, 0], "B": [1, 1, 0, 0], "C": [0, 0, 0], "D": [1, 0, 0]},
        2023: {"A": [1, 1, 0], "B": [1, 1, 1, 0], "C": [1, 0, 0, 0], "D": [0, 0, 0]}}


def _hand_survey() -> pd.DataFrame:
    rows = [{"wave": w, "school": k, "district": "Frogner" if k in "AB" else "Alna", "y": y}
            for w, schools in HAND.items() for k, ys in schools.items() for y in ys]
    return pd.DataFrame(rows)


def test_survey_trend_two_waves_hand_computed_with_and_without_strata():
    # Two waves make the model saturated: beta1 = (logit 3/7 - logit 2/7)/5 = ln(15/8)/5.
    # Centred year t = -2.5, +2.5; W = 14 per wave:
    #   H = 14*(2/7)(5/7)*[1,-2.5;-2.5,6.25] + 14*(3/7)(4/7)*[1,2.5;2.5,6.25] = [308, 70; 70, 1925]/49
    #   residuals r = x - m*mu: 2018 A -1/7, B 6/7, C -6/7, D 1/7; 2023 A 5/7, B 9/7, C -5/7, D -9/7
    #   school score totals s = (r18 + r23, 2.5*(r23 - r18)): A (4, 15)/7, B (15, 7.5)/7,
    #   C (-11, 2.5)/7, D (-8, -25)/7.
    # One stratum: V = 4/3 * sum s s' = 4/3 * [426, 345; 345, 912.5]/49, df = 4 - 1 - 1 = 2.
    # District strata {A, B}, {C, D}: stratum means (9.5, 11.25)/7 and (-9.5, -11.25)/7, centred
    #   A (-5.5, 3.75), B (5.5, -3.75), C (-1.5, 13.75), D (1.5, -13.75) (/7), each stratum 2/1 *:
    #   V = 2 * [65, -82.5; -82.5, 406.25]/49, df = 4 - 2 - 1 = 1.
    d = _hand_survey()
    h_inv = np.linalg.inv(np.array([[308, 70], [70, 1925]]) / 49)
    for strata, meat, df in ((None, 4 / 3 * np.array([[426, 345], [345, 912.5]]) / 49, 2),
                             ("district", 2 * np.array([[65, -82.5], [-82.5, 406.25]]) / 49, 1)):
        t = change.survey_trend(d, "y", cluster="school", strata=strata, centre=2020.5)
        se = math.sqrt((h_inv @ meat @ h_inv)[1, 1])
        assert math.log(t.estimate[0]) == pytest.approx(math.log(15 / 8) / 5, rel=1e-10)
        assert t.se[0] == pytest.approx(se, rel=1e-9)
        assert t.df[0] == df and t.n_clusters[0] == 4
        q = sps.t.ppf(0.975, df)
        assert t.ci_low[0] == pytest.approx((15 / 8) ** 0.2 * math.exp(-q * se), rel=1e-9)
        assert t.p_value[0] == pytest.approx(2 * sps.t.sf(math.log(15 / 8) / 5 / se, df), rel=1e-9)
        assert (t.numerator[0], t.denominator[0]) == (10, 28)


def test_survey_trend_by_group_uses_every_school_of_the_design():
    # R's domain convention: a domain's PSUs without members count in n_h with zero scores, so the
    # SE of a half is that of the half alone times sqrt((12/11)/(6/5)) (12 schools in the design,
    # 6 in the half); df = 6 schools - 1 stratum - 1 = 4. (The former per-group statsmodels fit
    # used the group's own 6 schools, and t(G-1) = t(5).)
    d = pd.read_csv(FIX / "trend_survey.csv")
    d["half"] = np.where(d.school_id <= 6, "a", "b")
    t = change.survey_trend(d, "y", cluster="school_id", weight="weight", by="half")
    assert list(t.half) == ["a", "b"] and (t.n_clusters == 6).all() and (t.df == 4).all()
    for half in ("a", "b"):
        alone = change.survey_trend(d[d.half == half], "y", cluster="school_id", weight="weight")
        row = t[t.half == half].iloc[0]
        assert row.estimate == pytest.approx(alone.estimate[0], rel=1e-10)
        assert row.se == pytest.approx(alone.se[0] * math.sqrt((12 / 11) / (6 / 5)), rel=1e-8)
    # a Design gives the same table, and several items can share it
    des = survey.Design(d, cluster="school_id", weight="weight")
    t_des = change.survey_trend(des, "y", by="half")
    pd.testing.assert_frame_equal(pd.DataFrame(t_des), pd.DataFrame(t))
    with pytest.raises(ValueError, match="weight=None differs|weight='w' differs"):
        change.survey_trend(des, "y", weight="w")


def test_survey_trend_excludes_and_counts_missing_and_degenerate_groups():
    d = _hand_survey()
    d["sex"] = np.where(d.index % 2 == 0, "f", "m")
    d.loc[0, "y"] = np.nan
    d.loc[1, "wave"] = np.nan
    d.loc[2, "sex"] = None
    d["all_zero"] = 0
    t = change.survey_trend(d, "y", cluster="school", by="sex")
    assert meta_of(t).fact('excluded') == {"missing_variable": 1, "missing_time": 1, "missing_domain": 1}
    assert t.denominator.sum() == 28 - 3
    z = change.survey_trend(d, "all_zero", cluster="school")
    assert np.isnan(z.estimate[0]) and np.isnan(z.ci_low[0]) and z.numerator[0] == 0


def test_survey_trend_separation_is_not_converged():
    # y = 0 in 2018 and y = 1 in 2023 everywhere: the likelihood has no maximum (separation)
    d = _hand_survey()
    d["y"] = (d.wave == 2023).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = change.survey_trend(d, "y", cluster="school")
    assert np.isnan(t.estimate[0]) and meta_of(t).fact('not_converged') == 1


def test_survey_trend_bad_arguments():
    d = pd.read_csv(FIX / "trend_survey.csv")
    with pytest.raises(ValueError, match="cluster column 'school'"):
        change.survey_trend(d, "y", cluster="school")
    with pytest.raises(ValueError, match="must be 0/1"):
        change.survey_trend(d.assign(y=d.y * 2), "y")
    with pytest.raises(ValueError, match="time column 'w'"):
        change.survey_trend(d.assign(w="x"), "y", time="w")
    with pytest.warns(DeprecationWarning, match="few_clusters"):
        change.survey_trend(d, "y", few_clusters=40)


# --------------------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------------------
def test_count_change_reference_example():
    # same population, 30 -> 45: RR 1.5, exact CI (0.9244, 2.4660), p = 0.10534;
    # "+50 % (95 % CI -8 % to +147 %)"; R poisson.test(c(45, 30), c(1, 1)) [R-out]
    r = change.count_change(45, 30)
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx((1.5, 0.9244, 2.4660), abs=1e-4)
    assert r.p_value == pytest.approx(R["poisson.test.45_30_1_1.p"], rel=1e-9)
    assert round(r.extra["percent_low"]) == -8 and round(r.extra["percent_high"]) == 147


def test_yearly_change_with_and_without_population():
    df = pd.DataFrame({"district": ["A", "A", "B", "B"], "year": [2024, 2025, 2024, 2025],
                       "count": [21, 11, 30, 45], "exposure": [3011, 800, 1000, 1000]})
    rt = stats.rate_table(df, count="count", exposure="exposure", groups=["district", "year"])
    t = change.yearly_change(rt).set_index("district")
    # A: R poisson.test(c(11, 21), c(800, 3011)) [R-out]
    assert t.loc["A", "estimate"] == pytest.approx(R["poisson.test.11_21_800_3011.estimate"])
    assert t.loc["A", "p_value"] == pytest.approx(R["poisson.test.11_21_800_3011.p"], rel=1e-9)
    assert t.loc["B", "percent_change"] == pytest.approx(50)
    ct = stats.count_table(df, count="count", groups=["district", "year"])
    t2 = change.yearly_change(ct, exposure=None).set_index("district")
    assert t2.loc["A", "estimate"] == pytest.approx(11 / 21) and "exposure" not in t2.columns
    assert meta_of(t2).unit == "ratio of counts"
    with pytest.raises(ValueError, match="from_level=2020"):
        change.yearly_change(rt, from_level=2020)


def test_poisson_trend_matches_r_glm():
    # R glm(cnt ~ yr, family = poisson / quasipoisson, offset = log(pop)) [R-out]
    df = pd.DataFrame({"year": range(2019, 2025), "count": [120, 131, 118, 140, 152, 149],
                       "exposure": [50000, 50500, 51200, 51900, 52300, 53000]})
    p = change.poisson_trend(df)
    assert math.log(p.estimate[0]) == pytest.approx(R["poisson.trend.coef"], rel=1e-7)
    assert p.se[0] == pytest.approx(R["poisson.trend.se"], rel=1e-6)
    assert p.p_value[0] == pytest.approx(R["poisson.trend.p"], rel=1e-5)
    assert p.dispersion[0] == pytest.approx(R["quasipoisson.trend.dispersion"], rel=1e-5)
    assert p.percent_change[0] == pytest.approx(100 * (p.estimate[0] - 1))
    q = change.poisson_trend(df, dispersion="quasi")
    assert q.se[0] == pytest.approx(R["quasipoisson.trend.se"], rel=1e-6)


def test_poisson_trend_two_years_is_the_log_rate_ratio():
    # by hand: with two years the Poisson slope is log(45/30) and its SE sqrt(1/45 + 1/30)
    df = pd.DataFrame({"year": [2024, 2025], "count": [30, 45], "exposure": [1.0, 1.0]})
    p = change.poisson_trend(df)
    assert p["count"][0] == 75 and p.n_periods[0] == 2
    assert p.estimate[0] == pytest.approx(1.5, rel=1e-8)
    assert p.se[0] == pytest.approx(math.sqrt(1 / 45 + 1 / 30), rel=1e-6)
    assert np.isnan(change.poisson_trend(df, dispersion="quasi").estimate[0])  # no residual df
    with pytest.raises(ValueError, match="dispersion='nb'"):
        change.poisson_trend(df, dispersion="nb")


# --------------------------------------------------------------------------------------
# Benjamini-Hochberg
# --------------------------------------------------------------------------------------
BH_P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
        0.6528, 0.7590, 1.000]


def test_benjamini_hochberg_1995_example():
    # Benjamini & Hochberg 1995 §4 [PUB]: at q = 0.05 BH rejects 4; adjusted values as R p.adjust("BH") [R-out]
    t = pd.DataFrame({"g": range(15), "p_value": BH_P})
    t = estimates.estimate_table(t.assign(estimate=1.0, ci_low=0.5, ci_high=2.0), groups=["g"], kind="ratio",
                                 measure="m", unit="u", method="x", confidence_level=0.95)
    out = change.adjust_pvalues(t)
    assert (out.p_adjusted < 0.05).sum() == 4
    assert out.p_adjusted.tolist() == pytest.approx([R[f"bh1995.{i}"] for i in range(1, 16)], rel=1e-12)
    assert out.p_adjusted[:4].tolist() == pytest.approx([0.0015, 0.0030, 0.0095, 0.035625], abs=1e-6)
    assert meta_of(out).fact('p_adjustment')["n_tests"] == 15 and "Benjamini" in meta_of(out).fact('p_adjustment')["method"]
    assert list(out.columns)[-2:] == ["flag", "flag_reason"]
    holm = change.adjust_pvalues(t, method="holm")
    assert holm.p_adjusted[:2].tolist() == pytest.approx([0.0015, 0.0056], abs=1e-4)
    assert (change.adjust_pvalues(t, method="bonferroni").p_adjusted < 0.05).sum() == 3


def test_adjust_pvalues_skips_missing_and_checks():
    t = pd.DataFrame({"p_value": [0.01, np.nan, 0.04]})
    out = change.adjust_pvalues(t)
    assert np.isnan(out.p_adjusted[1]) and out.p_adjusted[2] == pytest.approx(0.04)
    assert "p_adjustment" not in out.attrs  # a plain frame gets the column only; an estimate table the fact
    with pytest.raises(ValueError, match="method='fdr'"):
        change.adjust_pvalues(t, method="fdr")
    with pytest.raises(ValueError, match="outside"):
        change.adjust_pvalues(pd.DataFrame({"p_value": [1.5]}))


# --------------------------------------------------------------------------------------
# bad input is refused (issue 13)
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("values, text", [
    ([0.01, "0.04", 0.2], r"first '0.04' \(str\) at row 1"),
    ([0.01, True, 0.2], r"first True \(bool\) at row 1"),
    ([0.01, "n/a", None], r"first 'n/a'"),
])
def test_adjust_pvalues_refuses_what_is_not_a_number(values, text):
    # left out of the family, a string or boolean made BH too lenient: with p = (0.01, 0.04, 0.2) the
    # adjusted 0.01 is 0.03 (by hand: 0.01 * 3 / 1), not 0.02 as in a family of two
    with pytest.raises(ValueError, match=text):
        change.adjust_pvalues(pd.DataFrame({"p_value": pd.Series(values, dtype=object)}))
    with pytest.raises(ValueError, match="booleans"):
        change.adjust_pvalues(pd.DataFrame({"p_value": [True, False]}))
    out = change.adjust_pvalues(pd.DataFrame({"p_value": pd.Series([0.01, 0.04, 0.2, None], dtype=object)}))
    assert out.p_adjusted[:3].tolist() == pytest.approx([0.03, 0.06, 0.2]) and np.isnan(out.p_adjusted[3])


@pytest.mark.parametrize("column, value, text", [
    ("count", -3, r"column 'count' must hold non-negative whole numbers .* first \[-3\] at rows \[2\]"),
    ("count", 2.5, r"column 'count' must hold non-negative whole numbers .* first \[2.5\] at rows \[2\]"),
    ("count", np.nan, r"column 'count' .* 1 missing value\(s\), first \[nan\] at rows \[2\]"),
    ("exposure", 0, r"column 'exposure' must hold positive numbers .* first \[0\] at rows \[2\]"),
    ("exposure", np.nan, r"column 'exposure' .* 1 missing value\(s\)"),
    ("year", np.nan, r"column 'year' must hold numbers; 1 missing value\(s\)"),
])
def test_poisson_trend_refuses_bad_counts_and_exposures(column, value, text):
    df = pd.DataFrame({"year": [2019.0, 2020, 2021, 2022], "count": [10.0, 12, 9, 14],
                       "exposure": [1000.0, 1000, 1000, 1000]})
    with pytest.raises(ValueError, match="column .count. must hold .* got dtype"):
        change.poisson_trend(df.assign(count=["1", "2", "3", "4"]))
    df.loc[2, column] = value
    with pytest.raises(ValueError, match=text):
        change.poisson_trend(df)
