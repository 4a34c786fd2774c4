"""Tests of salto_analysis.stats against published and R reference values.

Sources are named on each test.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salto_analysis import stats
from salto_analysis.estimates import meta_of

R = pd.read_csv(Path(__file__).parent / "fixtures" / "stats" / "r_reference.csv").set_index("name")["value"]

# --------------------------------------------------------------------------------------
# one proportion
# --------------------------------------------------------------------------------------
# R package `binom`, binom.confint(x, n, tol=1e-8), as stored in statsmodels
# statsmodels/stats/tests/results/results_proportion.py [R-out]
BINOM_R = {
    (18, 20): {"wilson": (0.6989663547715128, 0.972133518786232),
               "clopper-pearson": (0.6830172859809176, 0.9876514728297052),
               "agresti-coull": (0.6867561125596077, 0.984343760998137),
               "jeffreys": (0.716146742695748, 0.97862751197755)},
    (4, 20): {"wilson": (0.0806576625797981, 0.4160174322518935),
              "clopper-pearson": (0.05733399705003284, 0.436614002996668),
              "agresti-coull": (0.0749115102767071, 0.4217635845549845),
              "jeffreys": (0.07152005247873425, 0.4082257625169254)},
    (4, 200): {"wilson": (0.00780442641634947, 0.05028708690582643),
               "clopper-pearson": (0.005475565879556443, 0.05041360908989634),
               "agresti-coull": (0.005991954548218395, 0.0520995587739575),
               "jeffreys": (0.00678759879519299, 0.0468465669668423)},
    (190, 200): {"wilson": (0.910421851861224, 0.972617354399236),
                 "clopper-pearson": (0.9099724622986486, 0.975765834527891),
                 "agresti-coull": (0.909307307911624, 0.973731898348837)},
}


@pytest.mark.parametrize("case, method", [(c, m) for c in BINOM_R for m in BINOM_R[c]])
def test_proportion_ci_matches_r_binom(case, method):
    low, high = stats.proportion_ci(*case, method=method)
    assert (low, high) == pytest.approx(BINOM_R[case][method], abs=1e-8)


def test_proportion_ci_descTools_100_of_200():
    # R 4.3.3 DescTools BinomCI(100, 200), quoted in statsmodels test_proportion.py [R-out]
    assert stats.proportion_ci(100, 200) == pytest.approx((0.4313609, 0.5686391), abs=1e-7)
    assert stats.proportion_ci(100, 200, method="agresti-coull") == pytest.approx((0.4313609, 0.5686391), abs=1e-7)
    assert stats.proportion_ci(100, 200, method="clopper-pearson") == pytest.approx((0.4286584, 0.5713416), abs=1e-7)
    assert stats.proportion_ci(100, 200, method="jeffreys") == pytest.approx((0.4311217, 0.5688783), abs=1e-7)


def test_proportion_ci_binom_test_51_235():
    # R binom.test(51, 235)$conf.int [R-out]
    assert stats.proportion_ci(51, 235, method="clopper-pearson") == pytest.approx(
        (0.1660633298083073, 0.2752683640289254), abs=1e-10)


def test_proportion_ci_boundaries():
    # Closed forms at the boundary, by hand: CP upper at x=0 is 1-(a/2)^(1/n);
    # Wilson upper at x=0 is z^2/(n+z^2); BCD Jeffreys sets lower=0 at x=0 (BCD 2001 §4.1.2).
    z = 1.959963984540054
    assert stats.proportion_ci(0, 30, method="clopper-pearson") == pytest.approx((0, 1 - 0.025 ** (1 / 30)))
    assert stats.proportion_ci(0, 30, method="wilson") == pytest.approx((0, z**2 / (30 + z**2)))
    low, high = stats.proportion_ci(0, 30, method="jeffreys")
    assert low == 0.0 and high == pytest.approx(0.0796782, abs=1e-7)  # R qbeta(0.975, 0.5, 30.5) [R-out]
    low, high = stats.proportion_ci(30, 30, method="jeffreys")
    assert high == 1.0 and low == pytest.approx(0.9203218, abs=1e-7)
    low, high = stats.proportion_ci(1, 30, method="agresti-coull")
    assert low == 0.0  # by hand: p~ - z*sqrt(p~(1-p~)/n~) = -0.0083, clipped
    # statsmodels #9549: CP with x=0, n=500 and a tiny alpha; closed form 1-(a/2)^(1/n)
    a = 0.001 / 501
    assert stats.proportion_ci(0, 500, method="clopper-pearson", confidence_level=1 - a).high == pytest.approx(
        1 - (a / 2) ** (1 / 500), rel=1e-9)


@pytest.mark.parametrize("method", stats.PROPORTION_METHODS)
@pytest.mark.parametrize("n", [3, 10, 30, 1000])
def test_proportion_ci_exact_limits_at_the_boundaries(method, n):
    # By hand: at x = 0 the lower limit is 0 and at x = n the upper limit is 1 for every method
    # (Wilson: (z^2/2n - z*sqrt(z^2/4n^2)) / (1 + z^2/n) = 0 exactly; CP and BCD Jeffreys set them;
    # Agresti-Coull is clipped). Floating point gave 5.6e-17 (Wilson 0/3) and 0.9999999999999999
    # (Wilson 30/30), which put the limit on the wrong side of the estimate.
    assert stats.proportion_ci(0, n, method=method).low == 0.0
    assert stats.proportion_ci(n, n, method=method).high == 1.0
    ci = stats.proportion_ci(pd.Series([0, n, 1], index=list("abc")), pd.Series([n, n, n], index=list("abc")),
                             method=method)
    assert ci.low["a"] == 0.0 and ci.high["b"] == 1.0 and 0 <= ci.low["c"] < 1 / n < ci.high["c"] < 1


def test_proportion_ci_wilson_0_and_30_of_30_exactly():
    # the brief's vector: Wilson 0/30 lower = 0 and 30/30 upper = 1, exactly (not 5.6e-17 / 1 - 1.1e-16);
    # the other limits are the closed forms z^2/(n + z^2) and n/(n + z^2)
    z = 1.959963984540054
    low, high = stats.proportion_ci(0, 30, method="wilson")
    assert low == 0.0 and high == pytest.approx(z**2 / (30 + z**2), rel=1e-12)
    low, high = stats.proportion_ci(30, 30, method="wilson")
    assert high == 1.0 and low == pytest.approx(30 / (30 + z**2), rel=1e-12)
    arr = stats.proportion_ci(np.array([0, 30]), np.array([30, 30]))
    assert arr.low[0] == 0.0 and arr.high[1] == 1.0


def test_proportion_ci_vectorised_and_series():
    s = pd.Series([1, 3], index=["a", "b"])
    ci = stats.proportion_ci(s, pd.Series([10, 12], index=["a", "b"]))
    assert isinstance(ci.low, pd.Series) and list(ci.low.index) == ["a", "b"]
    # Wilson: R prop.test(1, 10, correct = FALSE) lower 0.0178762, prop.test(3, 12, ...) upper 0.5323053 [R-out]
    assert ci.low["a"] == pytest.approx(0.0179, abs=1e-4) and ci.high["b"] == pytest.approx(0.5323, abs=1e-4)
    arr = stats.proportion_ci(np.array([0, 1]), 10, method="clopper-pearson")
    assert arr.high == pytest.approx([0.3085, 0.4450], abs=1e-4)
    assert np.isnan(stats.proportion_ci(0, 0).low)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), frac=st.floats(0, 1), level=st.floats(0.5, 0.999),
       method=st.sampled_from(stats.PROPORTION_METHODS))
def test_proportion_ci_contains_estimate_and_is_in_bounds(n, frac, level, method):
    x = round(frac * n)
    low, high = stats.proportion_ci(x, n, confidence_level=level, method=method)
    assert 0 <= low <= x / n + 1e-12
    assert x / n - 1e-12 <= high <= 1


@pytest.mark.parametrize("kwargs, text", [
    ({"successes": -1, "trials": 10}, "successes"),
    ({"successes": 11, "trials": 10}, "successes=11 > trials=10"),
    ({"successes": 1, "trials": -5}, "trials"),
    ({"successes": 1, "trials": 10, "confidence_level": 1.5}, "confidence_level=1.5"),
    ({"successes": 1, "trials": 10, "confidence_level": 0}, "confidence_level=0"),
    ({"successes": 1, "trials": 10, "method": "wald"}, "method='wald'"),
    ({"successes": "a", "trials": 10}, "successes='a'"),
])
def test_proportion_ci_bad_arguments(kwargs, text):
    with pytest.raises(ValueError, match=text.replace("(", r"\(").replace(")", r"\)")):
        stats.proportion_ci(**kwargs)


# --------------------------------------------------------------------------------------
# Poisson
# --------------------------------------------------------------------------------------
def test_poisson_ci_r_poisson_test():
    # R poisson.test(137, 24.19893): rate 5.661407, CI (4.753125, 6.692709) [R-out]
    assert stats.poisson_ci(137, 24.19893) == pytest.approx((4.753125, 6.692709), abs=1e-6)


def test_poisson_ci_descTools():
    # DescTools PoissonCI(x=15, n=400, method="exact"), statsmodels test_rates_poisson.py [R-out]
    assert stats.poisson_ci(15, 400) == pytest.approx((0.0209884653319583, 0.0618505471787146), rel=1e-10)


@pytest.mark.parametrize("x, ci", [(0, (0, 3.6889)), (1, (0.0253, 5.5716)), (2, (0.2422, 7.2247)),
                                   (3, (0.6187, 8.7673)), (5, (1.6235, 11.6683)), (10, (4.7954, 18.3904)),
                                   (20, (12.2165, 30.8884)), (50, (37.111, 65.919))])
def test_poisson_ci_garwood_table(x, ci):
    # R poisson.test(x)$conf.int [R-out]; x=0 upper is -log(0.025) by hand
    assert stats.poisson_ci(x) == pytest.approx(ci, abs=1e-3)
    if x == 0:
        assert stats.poisson_ci(0).high == pytest.approx(-math.log(0.025))


def test_poisson_ci_bad_arguments():
    with pytest.raises(ValueError, match="count=-2"):
        stats.poisson_ci(-2)
    with pytest.raises(ValueError, match="exposure=0"):
        stats.poisson_ci(3, 0)
    with pytest.raises(ValueError, match="confidence_level=95"):
        stats.poisson_ci(3, confidence_level=95)


@settings(max_examples=200, deadline=None)
@given(x=st.integers(0, 10_000), e=st.floats(0.01, 1e6), level=st.floats(0.5, 0.999))
def test_poisson_ci_contains_rate(x, e, level):
    low, high = stats.poisson_ci(x, e, confidence_level=level)
    assert 0 <= low <= x / e * (1 + 1e-12) and x / e <= high * (1 + 1e-12)


# --------------------------------------------------------------------------------------
# limits on arrays (the helpers the survey intervals and the reliability grading call)
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
def test_clopper_pearson_limits_equal_proportion_ci_on_a_grid(level):
    # every (x, n) with n in 1..60 and x in 0..n, plus large n: bit for bit the checked function
    n = np.concatenate([np.repeat(np.arange(1, 61), np.arange(2, 62)), [1000, 1000, 1000, 250_000]])
    x = np.concatenate([np.arange(k + 1) for k in range(1, 61)] + [np.array([0, 17, 1000, 123_456])])
    low, high = stats.clopper_pearson_limits(x, n, confidence_level=level)
    ref = stats.proportion_ci(x, n, method="clopper-pearson", confidence_level=level)
    np.testing.assert_array_equal(low, ref.low)
    np.testing.assert_array_equal(high, ref.high)
    assert (low[x == 0] == 0).all() and (high[x == n] == 1).all()


def test_clopper_pearson_limits_effective_counts_and_missing_values():
    # Effective counts (Korn-Graubard): x = n*p with non-integer n; closed forms by hand at the
    # edges: x = 0 gives (0, 1 - (a/2)^(1/n)), x = n gives ((a/2)^(1/n), 1), also for n = 12.5
    low, high = stats.clopper_pearson_limits([0.0, 12.5, 3.75, np.nan, 2.0, 5.0, -1.0, 1.0],
                                             [12.5, 12.5, 12.5, 10.0, np.nan, 4.0, 3.0, 0.0])
    assert (low[0], high[0]) == (0.0, pytest.approx(1 - 0.025 ** (1 / 12.5), rel=1e-12))
    assert (low[1], high[1]) == (pytest.approx(0.025 ** (1 / 12.5), rel=1e-12), 1.0)
    assert 0 < low[2] < 3.75 / 12.5 < high[2] < 1
    # missing in -> missing out; x > n, x < 0 and n = 0 are not counts -> missing
    assert np.isnan(low[3:]).all() and np.isnan(high[3:]).all()
    # Series keep their index, as proportion_ci
    ci = stats.clopper_pearson_limits(pd.Series([1.0, np.nan], index=["a", "b"]), 4)
    assert list(ci.low.index) == ["a", "b"] and np.isnan(ci.high["b"])


@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_garwood_limits_equal_poisson_ci_on_a_grid(level):
    x = np.concatenate([np.arange(0, 200), [1000, 12_345, 1_000_000]]).astype(float)
    low, high = stats.garwood_limits(x, confidence_level=level)
    ref = stats.poisson_ci(x, confidence_level=level)
    np.testing.assert_array_equal(low, ref.low)
    np.testing.assert_array_equal(high, ref.high)
    assert low[0] == 0.0 and high[0] == pytest.approx(-math.log((1 - level) / 2))  # by hand at x = 0
    low, high = stats.garwood_limits([np.nan, -1.0, np.inf, 2.5])
    assert np.isnan(low[:3]).all() and np.isnan(high[:3]).all() and 0 < low[3] < 2.5 < high[3]


def test_korn_graubard_n_by_hand():
    # n* = n_eff (t_{n-1} / t_df)^2 with the 0.975 quantiles of t: t_99 = 1.984217, t_14 = 2.144787
    # (R qt(0.975, c(99, 14))), so n* = 40 * (1.984217/2.144787)^2 = 34.2353
    assert stats.korn_graubard_n(40, 100, 14) == pytest.approx(40 * (1.984217 / 2.144787) ** 2, rel=1e-6)
    out = stats.korn_graubard_n(np.array([40.0, 40, 40, np.nan, np.inf]), np.array([100, 100, 1, 100, 100]),
                                np.array([0, np.nan, 14, 14, 14]))
    assert np.isnan(out[:4]).all() and out[4] == np.inf
    # the Korn-Graubard interval of a design-based share is Clopper-Pearson with n*: R's
    # svyciprop(~I(sch.wide == "Yes"), dclus1, method = "beta") [R-out, r_reference.csv]
    p, se = R["dclus1.schwide.mean"], R["dclus1.schwide.se"]
    n_star = stats.korn_graubard_n(p * (1 - p) / se**2, 183, R["dclus1.degf"])
    low, high = stats.clopper_pearson_limits(n_star * p, n_star)
    assert (low, high) == pytest.approx((R["dclus1.schwide.beta.low"], R["dclus1.schwide.beta.high"]), abs=1e-9)


# --------------------------------------------------------------------------------------
# rate ratio
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["11_21_800_3011", "60_30_51477.5_54308.7", "45_30_1_1"])
def test_rate_ratio_matches_r_poisson_test(case):
    # R 4.2.2 poisson.test(c(c1, c0), c(e1, e0)), tests/fixtures/stats/make_r_reference.R [R-out]
    c1, c0, e1, e0 = (float(v) for v in case.split("_"))
    r = stats.rate_ratio(c1, e1, c0, e0)
    key = f"poisson.test.{case}"
    assert r.estimate == pytest.approx(R[f"{key}.estimate"], rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx((R[f"{key}.low"], R[f"{key}.high"]), rel=1e-8)
    assert r.p_value == pytest.approx(R[f"{key}.p"], rel=1e-8)


def test_rate_ratio_published_vectors():
    # R docs eba1977 example: RR 1.971488, CI (0.8584264, 4.2772659), p = 0.07967 [R-out]
    r = stats.rate_ratio(11, 800, 21, 3011)
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx((1.971488, 0.8584264, 4.2772659), abs=1e-6)
    # Gu et al. via exactci (minlike): p = 0.000675182658686321 [R-out] (the interval there
    # inverts the minlike test, unlike poisson.test, so only p and the estimate are compared)
    r = stats.rate_ratio(60, 51477.5, 30, 54308.7)
    assert r.p_value == pytest.approx(0.000675182658686321, rel=1e-9)
    assert r.estimate == pytest.approx(2.10999757175465, rel=1e-12)


def test_rate_ratio_zero_reference_count():
    # R poisson.test(c(7, 0), c(2, 3)): estimate Inf, upper limit Inf [R-out]
    r = stats.rate_ratio(7, 2, 0, 3)
    assert math.isinf(r.estimate) and math.isinf(r.ci_high)
    assert r.ci_low == pytest.approx(R["poisson.test.7_0_2_3.low"], rel=1e-8)
    assert r.p_value == pytest.approx(R["poisson.test.7_0_2_3.p"], rel=1e-8)
    assert np.isnan(stats.rate_ratio(0, 1, 0, 1).estimate)


def test_rate_ratio_vectorised_equals_scalar():
    c1, c0 = np.array([11, 45, 3, 0]), np.array([21, 30, 9, 4])
    e1, e0 = np.array([800, 1, 2, 1]), np.array([3011, 1, 5, 1])
    vec = stats.rate_ratio(c1, e1, c0, e0)
    for i in range(4):
        one = stats.rate_ratio(int(c1[i]), float(e1[i]), int(c0[i]), float(e0[i]))
        assert vec.p_value[i] == pytest.approx(one.p_value) and vec.ci_low[i] == pytest.approx(one.ci_low)
    assert list(vec.to_frame().columns) == ["estimate", "ci_low", "ci_high", "p_value"]


def test_binom_test_two_sided_hand_computed():
    # Bin(4, 0.5): pmf = (1, 4, 6, 4, 1)/16; k=0 -> outcomes with pmf <= 1/16 are 0 and 4: p = 2/16
    assert stats.binom_test_two_sided(0, 4, 0.5)[0] == pytest.approx(2 / 16)
    assert stats.binom_test_two_sided(1, 4, 0.5)[0] == pytest.approx(10 / 16)
    assert stats.binom_test_two_sided(2, 4, 0.5)[0] == pytest.approx(1.0)


# --------------------------------------------------------------------------------------
# difference of proportions (Newcombe)
# --------------------------------------------------------------------------------------
NEWCOMBE_TABLE_II = [  # Newcombe 1998, Stat Med 17:873-890, Table II, method 10 [PUB]
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


@pytest.mark.parametrize("counts, ci", NEWCOMBE_TABLE_II)
def test_newcombe_table_ii(counts, ci):
    r = stats.proportion_difference(*counts)
    assert (r.ci_low, r.ci_high) == pytest.approx(ci, abs=5e-5)


def test_newcombe_fagerland_example():
    # Fagerland, Lydersen & Laake 2015 (SMMR), 7/34 vs 1/34: Newcombe 0.019-0.34 [PUB]
    r = stats.proportion_difference(7, 34, 1, 34)
    assert round(r.ci_low, 3) == 0.019 and round(r.ci_high, 2) == 0.34
    assert r.estimate == pytest.approx(6 / 34)


def test_proportion_difference_p_value_hand():
    # Pearson chi-square without correction, by hand for 9/10 vs 3/10: pooled 0.6,
    # se0 = sqrt(0.6*0.4*(0.2)) = 0.219089, z = 0.6/0.219089 = 2.738613, p = 0.0061699
    assert stats.proportion_difference(9, 10, 3, 10).p_value == pytest.approx(0.00616990, rel=1e-5)


def test_proportion_difference_bad_arguments():
    with pytest.raises(ValueError, match="x1=12 > n1=10"):
        stats.proportion_difference(12, 10, 1, 10)
    with pytest.raises(ValueError, match="x0"):
        stats.proportion_difference(1, 10, -1, 10)


@settings(max_examples=200, deadline=None)
@given(n1=st.integers(1, 500), n0=st.integers(1, 500), f1=st.floats(0, 1), f0=st.floats(0, 1))
def test_newcombe_contains_difference(n1, n0, f1, f0):
    x1, x0 = round(f1 * n1), round(f0 * n0)
    r = stats.proportion_difference(x1, n1, x0, n0)
    assert -1 <= r.ci_low <= r.estimate + 1e-12 and r.estimate - 1e-12 <= r.ci_high <= 1


# --------------------------------------------------------------------------------------
# odds ratio
# --------------------------------------------------------------------------------------
def test_odds_ratio_fagerland_table():
    # [[7,27],[1,33]]: Woolf (0.99049, 73.90030) [CROSS vs PUB 0.99-74];
    # conditional MLE 8.3293, exact CI (0.97327, 396.994) [CROSS vs PUB Cornfield 0.97-397]
    w = stats.odds_ratio([[7, 27], [1, 33]])
    assert w.estimate == pytest.approx(7 * 33 / 27)
    assert (w.ci_low, w.ci_high) == pytest.approx((0.99049, 73.90030), rel=1e-5)
    e = stats.odds_ratio([[7, 27], [1, 33]], method="exact")
    assert e.estimate == pytest.approx(8.3293, rel=1e-4)
    assert (e.ci_low, e.ci_high) == pytest.approx((0.97327, 396.994), rel=1e-5)


def test_odds_ratio_tea_tasting():
    # R fisher.test(matrix(c(3,1,1,3),2)): p 0.4857, OR 6.408309, CI (0.2117329, 621.9337505) [R-out];
    # R's upper limit is loose (uniroot tolerance), hence rel=1e-2 there.
    e = stats.odds_ratio([[3, 1], [1, 3]], method="exact")
    assert e.p_value == pytest.approx(0.4857, abs=1e-4)
    assert e.estimate == pytest.approx(6.408309, rel=1e-5)
    assert e.ci_low == pytest.approx(0.2117329, rel=1e-4)
    assert e.ci_high == pytest.approx(621.9337505, rel=1e-2)
    # Woolf by hand: ln 9 ± z*sqrt(1/3+1+1+1/3) = (0.36664, 220.927) to 5 digits
    w = stats.odds_ratio([[3, 1], [1, 3]])
    half = 1.959963984540054 * math.sqrt(1 / 3 + 1 + 1 + 1 / 3)
    assert (w.ci_low, w.ci_high) == pytest.approx((9 * math.exp(-half), 9 * math.exp(half)), rel=1e-12)
    assert (w.ci_low, w.ci_high) == pytest.approx((0.36664, 220.927), rel=1e-5)


def test_odds_ratio_zero_cell_haldane_anscombe():
    # [[10,20],[30,0]] has a zero cell: 0.5 is added to all four cells (by hand:
    # OR = 10.5*0.5/(20.5*30.5), se = sqrt(1/10.5+1/20.5+1/30.5+1/0.5))
    w = stats.odds_ratio([[10, 20], [30, 0]])
    assert w.estimate == pytest.approx(10.5 * 0.5 / (20.5 * 30.5))
    se = math.sqrt(1 / 10.5 + 1 / 20.5 + 1 / 30.5 + 1 / 0.5)
    assert w.ci_high == pytest.approx(w.estimate * math.exp(1.959963984540054 * se))
    assert w.extra["zero_cell_corrected"] is True
    # a table without zeros is not changed
    assert stats.odds_ratio([[1, 2], [3, 4]]).estimate == pytest.approx(4 / 6)
    # exact interval with a zero cell: lower limit 0 (honest, no correction)
    assert stats.odds_ratio([[0, 5], [5, 5]], method="exact").ci_low == 0


def test_odds_ratio_stack_and_bad_arguments():
    r = stats.odds_ratio(np.array([[[7, 27], [1, 33]], [[3, 1], [1, 3]]]))
    assert r.estimate.shape == (2,)
    with pytest.raises(ValueError, match="shape"):
        stats.odds_ratio([1, 2, 3, 4])
    with pytest.raises(ValueError, match="table=-1"):
        stats.odds_ratio([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="method='bayes'"):
        stats.odds_ratio([[1, 1], [2, 3]], method="bayes")


# --------------------------------------------------------------------------------------
# risk ratio (Katz)
# --------------------------------------------------------------------------------------
Z95 = 1.959963984540054  # standard normal 97.5 % quantile


def test_risk_ratio_fagerland_example():
    # Fagerland, Lydersen & Laake (2015), 7/34 vs 1/34: RR 7, Katz log interval 0.91-54 [PUB]
    r = stats.risk_ratio(7, 34, 1, 34)
    assert r.estimate == pytest.approx(7.0)
    assert round(r.ci_low, 2) == 0.91 and round(r.ci_high) == 54
    assert r.statistic == "risk ratio" and r.confidence_level == 0.95


def test_risk_ratio_formula_and_checks():
    # hand: ln RR = ln 7, SE = sqrt(1/7 - 1/34 + 1/1 - 1/34), limits 7·exp(∓z·SE), Wald p [hand]
    r = stats.risk_ratio(7, 34, 1, 34)
    se = math.sqrt(1 / 7 - 1 / 34 + 1 / 1 - 1 / 34)
    assert (r.ci_low, r.ci_high) == pytest.approx((7 * math.exp(-Z95 * se), 7 * math.exp(Z95 * se)), rel=1e-12)
    assert r.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(math.log(7) / se / math.sqrt(2)))))
    with pytest.raises(ValueError, match="cannot exceed"):
        stats.risk_ratio(5, 4, 1, 10)
    with pytest.raises(ValueError, match="x1=-1"):
        stats.risk_ratio(-1, 4, 1, 10)


def test_risk_ratio_zero_cell_and_series():
    # 0/10 vs 2/10: Haldane-Anscombe, (0.5/11) / (2.5/11) = 0.2 [hand]
    r = stats.risk_ratio(0, 10, 2, 10)
    assert r.estimate == pytest.approx(0.2)
    se = math.sqrt(1 / 0.5 - 1 / 11 + 1 / 2.5 - 1 / 11)
    assert r.ci_high == pytest.approx(0.2 * math.exp(Z95 * se))
    # a Series in gives a Series with its index out; an empty group gives nan
    x1 = pd.Series([7, 0], index=["a", "b"])
    out = stats.risk_ratio(x1, pd.Series([34, 0], index=["a", "b"]), 1, 34)
    assert list(out.estimate.index) == ["a", "b"]
    assert out.estimate["a"] == pytest.approx(7.0) and math.isnan(out.estimate["b"])


# --------------------------------------------------------------------------------------
# quantiles (order-statistic intervals)
# --------------------------------------------------------------------------------------
def test_quantile_interval_order_statistics():
    # Conover (1999) §3.2: the interval [x_(l), x_(u)] from K ~ Bin(n, q) [hand]
    x = np.arange(1.0, 11.0) * 10  # x_(k) = 10k
    # n = 10, median: Bin(10, ½): F(1) = 11/1024 <= .025 < F(2) = 56/1024 -> l = 2;
    # F(7) = 968/1024 < .975 <= F(8) = 1013/1024 -> u = 9 (coverage (1013-11)/1024 = 0.979)
    est, low, high = stats.quantile_interval(x, 0.5)
    assert (est, low, high) == (55.0, 20.0, 90.0)
    y = np.arange(1.0, 21.0)
    # n = 20, median: F(5) = 21700/2^20 = .0207 <= .025 < F(6) = .0577 -> l = 6; by symmetry u = 15
    # n = 20, q = ¼: F(1) = .0243 <= .025 < F(2) = .0913 -> l = 2; F(8) = .9591 < .975 <= F(9) = .9861 -> u = 10
    est, low, high = stats.quantile_interval(y[::-1], [0.5, 0.25])
    assert low.tolist() == [6.0, 2.0] and high.tolist() == [15.0, 10.0]
    assert est.tolist() == [10.5, 5.75]
    with pytest.raises(ValueError, match="q=1.5"):
        stats.quantile_interval(y, 1.5)
    assert all(math.isnan(v) for v in stats.quantile_interval([], 0.5))


def test_quantile_interval_small_sample_has_no_limits():
    # n = 5, median at 95 %: F(0) = 1/32 = .031 > .025, so no lower limit; by symmetry no upper [hand]
    est, low, high = stats.quantile_interval([3.0, 1.0, 4.0, 1.0, 5.0], 0.5)
    assert est == 3.0 and math.isnan(low) and math.isnan(high)
    # at 90 %: F(0) = .031 <= .05 < F(1) = 6/32 -> l = 1; F(3) = 26/32 < .95 <= F(4) = 31/32 -> u = 5
    assert stats.quantile_interval([3.0, 1.0, 4.0, 1.0, 5.0], 0.5, confidence_level=0.90) == (3.0, 1.0, 5.0)


# --------------------------------------------------------------------------------------
# estimate tables
# --------------------------------------------------------------------------------------
def test_proportion_table_aggregates_and_shapes():
    df = pd.DataFrame({"district": ["A", "A", "B"], "x": [1, 3, 95], "n": [10, 10, 100]})
    t = stats.proportion_table(df, numerator="x", denominator="n", groups=["district"])
    assert list(t.columns) == ["district", "numerator", "denominator", "estimate", "ci_low", "ci_high",
                               "flag", "flag_reason"]
    assert meta_of(t).kind == "proportion" and meta_of(t).confidence_level == 0.95
    row = t.set_index("district").loc["A"]
    assert (row.numerator, row.denominator, row.estimate) == (4, 20, 0.2)
    assert (row.ci_low, row.ci_high) == pytest.approx(BINOM_R[(4, 20)]["wilson"])
    total = stats.proportion_table(df, numerator="x", denominator="n")
    assert len(total) == 1 and total.numerator[0] == 99


def test_rate_table_per_1000():
    # 15 offences among 4,000 youths -> 3.75 (2.0988, 6.1851) per 1,000: R poisson.test(15, 4) [R-out]
    df = pd.DataFrame({"year": [2025, 2025], "count": [10, 5], "population": [2000, 2000]})
    t = stats.rate_table(df, count="count", exposure="population", groups=["year"])
    assert t.estimate[0] == pytest.approx(3.75)
    assert (t.ci_low[0], t.ci_high[0]) == pytest.approx((2.0988, 6.1851), abs=1e-4)
    assert meta_of(t).kind == "rate" and meta_of(t).unit == "per 1000" and meta_of(t).scale == 1000


def test_count_table_and_bad_columns():
    df = pd.DataFrame({"g": ["a", "b"], "n": [10, 0]})
    t = stats.count_table(df, count="n", groups=["g"])
    assert t.ci_high.tolist() == pytest.approx([18.3904, 3.6889], abs=1e-4)
    with pytest.raises(ValueError, match="'nope'"):
        stats.count_table(df, count="nope")
    with pytest.raises(ValueError, match="must be numeric"):
        stats.count_table(df, count="g")
    with pytest.raises(ValueError, match="missing value"):
        stats.count_table(pd.DataFrame({"n": [1.0, np.nan]}), count="n")
    with pytest.raises(ValueError, match="per=0"):
        stats.rate_table(pd.DataFrame({"c": [1], "e": [2]}), count="c", exposure="e", per=0)


# --------------------------------------------------------------------------------------
# edge cases (issue 13); R values from tests/fixtures/stats/make_r_edge_cases.R
# --------------------------------------------------------------------------------------
EDGE = pd.read_csv(Path(__file__).parent / "fixtures" / "stats" / "r_edge_cases.csv").set_index("name")["value"]


@pytest.mark.parametrize("call", [
    lambda a, b: stats.proportion_ci(a, b),
    lambda a, b: stats.clopper_pearson_limits(a, b),
    lambda a, b: stats.poisson_ci(a, b),
    lambda a, b: stats.rate_ratio(a, b, 3, 30),
    lambda a, b: stats.proportion_difference(a, b, 3, 30),
    lambda a, b: stats.risk_ratio(a, b, 3, 30),
    lambda a, b: stats.binom_test_two_sided(a, b, 0.5),
    lambda a, b: stats.korn_graubard_n(a, b, 14),
])
def test_series_with_different_indexes_are_refused(call):
    # proportion_ci(Series([1, 2], index=["a", "b"]), Series([20, 10], index=["b", "a"])) paired "a" with 1/20
    x = pd.Series([1, 2], index=["a", "b"])
    with pytest.raises(ValueError, match="different indexes .* align them first"):
        call(x, pd.Series([20, 10], index=["b", "a"]))
    call(x, pd.Series([10, 20], index=["a", "b"]))  # equal indexes: fine
    call(x, np.array([10, 20]))  # a Series with an array: by position, as NumPy


# R binom.test(1, 10)$conf.int [R-out]
BINOM_CP_1_10 = (0.002528579, 0.445016117)


def test_series_with_equal_indexes_pair_by_label():
    # 1/10 and 2/20 by hand: both 0.1, so the two limits of each pair are equal
    ci = stats.proportion_ci(pd.Series([1, 2], index=["a", "b"]), pd.Series([10, 20], index=["a", "b"]),
                             method="clopper-pearson")
    assert ci.low["a"] == pytest.approx(BINOM_CP_1_10[0], abs=1e-7) and ci.high["a"] > ci.high["b"]



@pytest.mark.parametrize("k, n, p, text", [
    (11, 10, 0.5, "k cannot exceed n; got k=11 > n=10"),
    (-1, 10, 0.5, "k must be finite and non-negative; got k=-1"),
    (2.5, 10, 0.5, r"k must be whole numbers .* got k=2.5"),
    (2, 10.5, 0.5, r"n must be whole numbers .* got n=10.5"),
    (2, 10, 1.5, r"p must lie in \[0, 1\]; got p=1.5"),
    (2, 10, -0.1, r"p must lie in \[0, 1\]; got p=-0.1"),
    ("two", 10, 0.5, "k='two' must be numeric"),
])
def test_binom_test_two_sided_checks_its_input(k, n, p, text):
    # k > n and k = -1 used to give p = 0
    with pytest.raises(ValueError, match=text):
        stats.binom_test_two_sided(k, n, p)


def test_binom_test_two_sided_missing_and_valid_values():
    # by hand, Bin(10, 0.5): 2 * P(X <= 3) = 2 * (1 + 10 + 45 + 120) / 1024 = 0.34375 (R binom.test(3, 10))
    out = stats.binom_test_two_sided([3, np.nan, 0], [10, 10, 0], 0.5)
    assert out[0] == pytest.approx(0.34375, rel=1e-12) and np.isnan(out[1]) and out[2] == 1.0


@pytest.mark.parametrize("table", [[[0, 0], [3, 4]], [[3, 4], [0, 0]], [[0, 3], [0, 4]], [[3, 0], [4, 0]],
                                   [[0, 0], [0, 0]]])
def test_woolf_odds_ratio_of_an_empty_margin_is_missing(table):
    # an empty row or column: OR = 0/0, no odds ratio; the +0.5 correction used to give e.g.
    # (0.5 * 4.5)/(0.5 * 3.5) = 1.2857 for [[0, 0], [3, 4]] (by hand)
    r = stats.odds_ratio(table)
    assert all(np.isnan(v) for v in (r.estimate, r.ci_low, r.ci_high, r.p_value))
    both = stats.odds_ratio(np.array([table, [[3, 1], [1, 3]]]))
    assert np.isnan(both.estimate[0]) and both.estimate[1] == pytest.approx(9.0)  # others unchanged


def test_exact_odds_ratio_empty_row_as_r_except_the_estimate():
    # R fisher.test(matrix(c(0, 3, 0, 4), 2)): p 1, CI (0, Inf), estimate 0 [R-out]; a support of one
    # point has no estimate, so ours is missing (as scipy's)
    r = stats.odds_ratio([[0, 0], [3, 4]], method="exact")
    assert (r.ci_low, r.ci_high, r.p_value) == (EDGE["fisher.empty_row.low"], EDGE["fisher.empty_row.high"],
                                                EDGE["fisher.empty_row.p"]) == (0, np.inf, 1)
    assert np.isnan(r.estimate) and EDGE["fisher.empty_row.estimate"] == 0


def _close_to_uniroot(ours, r_value):
    # R's fisher.test solves on psi in (0, 1) or on 1/psi in (0, 1) with uniroot's default tolerance
    # .Machine$double.eps^0.25 = 1.22e-4 absolute: so ours and R's agree to that on that scale
    tol = 1.22e-4
    return abs(ours - r_value) <= tol if r_value < 1 else abs(1 / ours - 1 / r_value) <= tol


@pytest.mark.parametrize("cells", ["20000_30000_25000_28000", "7_27_1_33", "3_1_1_3", "120_80_95_130"])
def test_exact_odds_ratio_matches_r(cells):
    # R fisher.test [R-out] to its uniroot tolerance, and the same roots solved by R to 1e-14 from the
    # definition of Fisher's noncentral hypergeometric distribution (nc_or in make_r_edge_cases.R) [R-out]
    a, b, c, d = (int(v) for v in cells.split("_"))
    r = stats.odds_ratio([[a, b], [c, d]], method="exact")
    for name, ours in (("estimate", r.estimate), ("low", r.ci_low), ("high", r.ci_high)):
        assert ours == pytest.approx(EDGE[f"nc_or.{cells}.{name}"], rel=1e-9)
        assert _close_to_uniroot(ours, EDGE[f"fisher.{cells}.{name}"])
    assert r.p_value == pytest.approx(EDGE[f"fisher.{cells}.p"], rel=1e-9)


def test_exact_odds_ratio_equals_scipy_on_random_tables():
    # scipy's contingency.odds_ratio(kind="conditional") and fisher_exact (the implementation used
    # before, an independent one) on 60 random tables with cells 0..30, zero cells and margins included
    from scipy import stats as sps

    rng = np.random.default_rng(13)
    tables = np.concatenate([rng.integers(0, 31, (57, 2, 2)), [[[0, 0], [4, 2]], [[0, 3], [5, 0]], [[9, 0], [0, 2]]]])
    r = stats.odds_ratio(tables, method="exact")
    for i, t in enumerate(tables):
        s = sps.contingency.odds_ratio(t, kind="conditional")
        ci = s.confidence_interval(confidence_level=0.95)
        np.testing.assert_allclose([r.estimate[i], r.ci_low[i], r.ci_high[i], r.p_value[i]],
                                   [s.statistic, ci.low, ci.high, sps.fisher_exact(t).pvalue], rtol=1e-9)


def test_exact_odds_ratio_at_the_ends_of_the_support():
    # x at the lower end: estimate 0 and lower limit 0; upper limit by hand from
    # P(a <= 0) = C(10,5)/C(15,5) = 252/3003 at psi = 1 > 0.025, so the upper limit is above 1
    r = stats.odds_ratio([[0, 5], [5, 5]], method="exact")
    assert (r.estimate, r.ci_low) == (0.0, 0.0) and 1 < r.ci_high < np.inf
    r = stats.odds_ratio([[5, 0], [5, 5]], method="exact")  # the mirror: upper end
    assert (r.estimate, r.ci_high) == (np.inf, np.inf) and 0 < r.ci_low < 1


def test_rate_ratio_refuses_non_integer_counts():
    # used to return an interval with p = nan and no message
    with pytest.raises(ValueError, match=r"count1 must be whole numbers .* got count1=2.5"):
        stats.rate_ratio(2.5, 100, 3, 100)
    with pytest.raises(ValueError, match=r"count0 must be whole numbers .* got count0=0.2"):
        stats.rate_ratio(np.array([2, 3]), 100, np.array([1, 0.2]), 100)
    assert np.isnan(stats.rate_ratio(np.nan, 100, 3, 100).estimate)  # missing stays missing
