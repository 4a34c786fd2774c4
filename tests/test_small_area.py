"""Tests of salto_analysis.small_area against R and hand computations.

Reference values: tests/fixtures/small_area/r_reference.csv, written by
tests/fixtures/small_area/make_r_reference.R (R 4.2.2; metafor 3.8-1 for the Fay–Herriot
model variance and EBLUP, spdep 1.2-7 for Marshall's empirical Bayes; the MSE, posterior
quantiles, over-dispersion and exact binomial limits by hand in R from the published
formulas).
"""

import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from salto_analysis import geography, plots, reliability, small_area
from salto_analysis.estimates import meta_of
from salto_analysis.small_area import (
    empirical_bayes_rates,
    fay_herriot,
    funnel_comparison,
    funnel_curve,
    rank_intervals,
)
from salto_analysis.standardise import direct_standardised_rates

FIX = Path(__file__).parent / "fixtures" / "small_area"
R = pd.read_csv(FIX / "r_reference.csv").set_index("name")["value"]


def _grade(table):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reliability.SmallSampleWarning)
        return reliability.grade(table)


# ======================================================================================
# funnel plots with over-dispersion
# ======================================================================================
# FunnelPlotR's test data: observed O and expected E (standardised ratios, target 1).
CQC = pd.DataFrame({"district": list("abcdef"), "count": [100, 150, 180, 80, 120, 225],
                    "population": [108, 112, 165, 95, 100, 220]})


def test_overdispersion_phi_tau2_and_z_match_r():
    t = funnel_comparison(CQC, target=1, scale=1)
    assert t["z"].to_numpy() == pytest.approx([R[f"funnel.cqc.z{i}"] for i in range(1, 7)], rel=1e-12)
    assert t["phi"].iloc[0] == pytest.approx(R["funnel.cqc.phi"], rel=1e-12)
    assert t["phi"].iloc[0] == pytest.approx(2.327178, abs=1e-6)  # reference value quoted for FunnelPlotR's CQC
    assert t["tau2"].iloc[0] == pytest.approx(R["funnel.cqc.tau2"], rel=1e-12)
    assert t["phi_p_value"].iloc[0] == pytest.approx(R["funnel.cqc.p"], rel=1e-10)
    assert set(t["adjustment"]) == {"additive"} and set(t["adjustment_reason"]) == {"overdispersion"}
    s = meta_of(t).fact('funnel')[0]
    assert s["n_winsorised"] == 2 and s["adjustment"] == "additive"


def test_additive_and_multiplicative_limits_by_hand():
    tau2, phi = R["funnel.cqc.tau2"], R["funnel.cqc.phi"]
    E = CQC["population"].to_numpy(float)
    add = funnel_comparison(CQC, target=1, scale=1)
    mult = funnel_comparison(CQC, target=1, scale=1, adjustment="multiplicative")
    for level, tag in ((0.95, "95"), (0.998, "99_8")):
        z = sps.norm.ppf(0.5 + level / 2)
        # square-root scale: Y0 = 1, s = 1/(2 sqrt E); limits squared back
        assert add[f"limit_high_{tag}"].to_numpy() == pytest.approx((1 + z * np.sqrt(1 / (4 * E) + tau2)) ** 2)
        assert add[f"limit_low_{tag}"].to_numpy() == pytest.approx((1 - z * np.sqrt(1 / (4 * E) + tau2)) ** 2)
        assert mult[f"limit_high_{tag}"].to_numpy() == pytest.approx((1 + z * np.sqrt(phi) / (2 * np.sqrt(E))) ** 2)
    assert add["z_adjusted"].to_numpy() == pytest.approx(
        (np.sqrt(CQC["count"] / E) - 1) / np.sqrt(1 / (4 * E) + tau2))


def test_widened_limits_change_the_verdict_and_flag_matches_limits():
    # area b: 150 against 112 expected, z = 3.33
    plain = funnel_comparison(CQC, target=1, scale=1, overdispersion="never")
    wide = funnel_comparison(CQC, target=1, scale=1)
    b_plain, b_wide = plain.iloc[1], wide.iloc[1]
    assert set(plain["adjustment_reason"]) == {"never"}
    assert b_plain["position_99_8"] == 1 and b_plain["position_95"] == 1
    assert b_wide["position_95"] == 1 and b_wide["position_99_8"] == 0
    for t in (plain, wide):  # the flag is read off the same limits that are returned
        for tag in ("95", "99_8"):
            above = t["estimate"] > t[f"limit_high_{tag}"]
            below = t["estimate"] < t[f"limit_low_{tag}"]
            assert (t[f"position_{tag}"] == np.where(above, 1, np.where(below, -1, 0))).all()


def test_plain_rate_limits_are_the_exact_poisson_limits():
    t = funnel_comparison(CQC, target=1, scale=1, overdispersion="never")
    low, high = plots.funnel_limits(1.0, CQC["population"].to_numpy(float), 0.95)
    assert t["limit_low_95"].to_numpy() == pytest.approx(low)
    assert t["limit_high_95"].to_numpy() == pytest.approx(high)
    curve = funnel_curve(t, [108, 500])
    assert curve["limit_high_95"].iloc[0] == pytest.approx(t["limit_high_95"].iloc[0])


@pytest.mark.parametrize("n", [20, 100, 537])
def test_exact_binomial_limits_match_r(n):
    d = pd.DataFrame({"district": ["a", "b", "c"], "numerator": [3, 20, 100], "denominator": [20, 100, 537]})
    t = funnel_comparison(d, kind="proportion", target=0.2, overdispersion="never", confidence_levels=(0.95, 0.998))
    c = funnel_curve(t, [n])
    assert c["limit_low_95"].iloc[0] == pytest.approx(R[f"funnel.binom.{n}.0.025"], rel=1e-12)
    assert c["limit_high_95"].iloc[0] == pytest.approx(R[f"funnel.binom.{n}.0.975"], rel=1e-12)
    # R's unclipped formula gives -0.0457 for n = 20; a proportion's limit is clipped at 0
    assert c["limit_low_99_8"].iloc[0] == pytest.approx(max(0.0, R[f"funnel.binom.{n}.0.001"]), rel=1e-12)
    assert c["limit_high_99_8"].iloc[0] == pytest.approx(R[f"funnel.binom.{n}.0.999"], rel=1e-12)


def test_binomial_limits_reference_vector():
    # theta0 = 0.2, n = 100: 0.119742 / 0.276476 (95 %) and 0.080978 / 0.326766 (99.8 %)
    d = pd.DataFrame({"district": ["a", "b", "c"], "numerator": [3, 20, 100], "denominator": [20, 100, 537]})
    c = funnel_curve(funnel_comparison(d, kind="proportion", target=0.2, overdispersion="never"), [100])
    assert c.iloc[0, 1:].to_numpy() == pytest.approx([0.119742, 0.276476, 0.080978, 0.326766], abs=1e-6)


def test_proportion_funnel_arcsine_z_and_wilson_intervals():
    d = pd.DataFrame({"district": list("abcde"), "numerator": [10, 30, 12, 50, 7],
                      "denominator": [100, 150, 90, 400, 80]})
    t = funnel_comparison(d, kind="proportion")
    theta0 = 109 / 820
    z = (np.arcsin(np.sqrt(d.numerator / d.denominator)) - np.arcsin(np.sqrt(theta0))) * 2 * np.sqrt(d.denominator)
    assert t["z"].to_numpy() == pytest.approx(z.to_numpy())
    assert t["target"].iloc[0] == pytest.approx(theta0)
    assert meta_of(t).kind == "proportion" and meta_of(t).scale is None
    assert t["ci_low"].iloc[0] == pytest.approx(0.0552, abs=1e-4)  # Wilson 10/100


def test_no_overdispersion_keeps_plain_limits():
    # counts close to expected: phi well under 1
    d = pd.DataFrame({"district": [f"d{i}" for i in range(10)], "count": [10, 21, 29, 41, 50, 61, 70, 79, 91, 100],
                      "population": [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]})
    t = funnel_comparison(d)
    assert t["phi"].iloc[0] < 1 and t["tau2"].iloc[0] == 0
    assert set(t["adjustment"]) == {"none"} and set(t["adjustment_reason"]) == {"no_overdispersion"}
    assert t["target"].iloc[0] == pytest.approx(1000 * 552 / 55000)
    assert set(funnel_comparison(d, overdispersion="phi>1")["adjustment"]) == {"none"}
    assert set(funnel_comparison(d, overdispersion="always")["adjustment"]) == {"additive"}


def test_trim_zero_gives_mean_square_z():
    t = funnel_comparison(CQC, target=1, scale=1, trim=0)
    assert t["phi"].iloc[0] == pytest.approx(np.mean(t["z"] ** 2))


def test_funnel_groups_are_separate_and_curve_needs_a_group():
    d = pd.concat([CQC.assign(year=2024), CQC.assign(year=2025, count=CQC["count"] * 2)], ignore_index=True)
    t = funnel_comparison(d, groups="year", target=1, scale=1)
    assert t.groupby("year")["phi"].nunique().eq(1).all()
    assert len(meta_of(t).fact('funnel')) == 2
    with pytest.raises(ValueError, match="has 2 groups"):
        funnel_curve(t, [100])
    assert len(funnel_curve(t, [100, 200], group={"year": 2025})) == 2


@pytest.mark.parametrize("kwargs, msg", [
    ({"kind": "ratio"}, "kind='ratio' must be one of"),
    ({"adjustment": "both"}, "adjustment='both'"),
    ({"overdispersion": "maybe"}, "overdispersion='maybe'"),
    ({"trim": 0.5}, "trim=0.5"),
    ({"confidence_levels": ()}, "at least one level"),
    ({"target": -1}, "target=-1"),
    ({"test_level": 5}, "test_level=5"),
])
def test_funnel_bad_arguments(kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        funnel_comparison(CQC, **kwargs)


def test_funnel_bad_data():
    with pytest.raises(ValueError, match="at least 3 areas"):
        funnel_comparison(CQC.head(2))
    with pytest.raises(ValueError, match="more than one row"):
        funnel_comparison(pd.concat([CQC, CQC.head(1)]))
    with pytest.raises(ValueError, match="'population' must be positive"):
        funnel_comparison(CQC.assign(population=[0, 1, 2, 3, 4, 5]))
    with pytest.raises(ValueError, match="strictly inside its range"):
        funnel_comparison(CQC.assign(count=0))


# ======================================================================================
# empirical Bayes
# ======================================================================================
EB_IN = pd.read_csv(FIX / "eb_input.csv")


def test_empirical_bayes_matches_spdep_ebest_and_gamma_posterior():
    t = empirical_bayes_rates(EB_IN, area="area", scale=1).set_index("area").loc[EB_IN["area"]]
    prior = meta_of(t).fact('prior')[0]
    assert prior["a"] == pytest.approx(R["eb.a"], rel=1e-12)
    assert prior["b"] == pytest.approx(R["eb.b"], rel=1e-12)
    for c, r in (("estimate", "estimate"), ("ci_low", "low"), ("ci_high", "high")):
        assert t[c].to_numpy() == pytest.approx([R[f"eb.{a}.{r}"] for a in EB_IN["area"]], rel=1e-10)
    assert prior["pooling"] == "partial"
    # the small area (0 events in 320) moves most, the largest least
    assert t.loc["A1", "shrinkage"] > 0.8 and t.loc["A12", "shrinkage"] < 0.15
    assert t.loc["A1", "crude"] == 0 and t.loc["A1", "estimate"] > 0


def test_empirical_bayes_hand_computation_small_table():
    d = pd.DataFrame({"district": ["x", "y", "z"], "count": [5, 10, 30], "population": [100, 1000, 2000]})
    t = empirical_bayes_rates(d, scale=1)
    # by hand, exact fractions: b = 45/3100; s2 = sum n (r - b)^2 / sum n; a = s2 - b / (3100/3)
    O = [Fraction(5), Fraction(10), Fraction(30)]
    n = [Fraction(100), Fraction(1000), Fraction(2000)]
    b = sum(O) / sum(n)
    s2 = sum(ni * (oi / ni - b) ** 2 for oi, ni in zip(O, n)) / sum(n)
    a = s2 - b / (sum(n) / 3)
    assert a > 0
    C = [a / (a + b / ni) for ni in n]
    est = [b + c * (oi / ni - b) for c, oi, ni in zip(C, O, n)]
    assert t["estimate"].to_numpy() == pytest.approx([float(e) for e in est], rel=1e-13)
    assert t["shrinkage"].to_numpy() == pytest.approx([float(1 - c) for c in C], rel=1e-13)
    nu, alpha = float(b * b / a), float(b / a)
    assert t["post_shape"].to_numpy() == pytest.approx([nu + 5, nu + 10, nu + 30])
    assert t["ci_high"].iloc[0] == pytest.approx(sps.gamma.ppf(0.975, nu + 5, scale=1 / (alpha + 100)))
    # posterior mean of the gamma equals the shrinkage formula
    assert (t["post_shape"] / t["post_rate"]).to_numpy() == pytest.approx(t["estimate"].to_numpy())


def test_empirical_bayes_complete_pooling_when_no_extra_variation():
    d = pd.DataFrame({"district": list("abcd"), "count": [10, 20, 30, 40], "population": [1000, 2000, 3000, 4000]})
    t = empirical_bayes_rates(d)
    assert meta_of(t).fact('prior')[0]["pooling"] == "complete" and meta_of(t).fact('prior')[0]["a"] == 0
    assert t["estimate"].to_numpy() == pytest.approx(np.full(4, 10.0)) and (t["shrinkage"] == 1).all()
    low, high = sps.gamma.ppf([0.025, 0.975], 100.5, scale=1 / 10000)  # Jeffreys posterior of the city rate
    assert t["ci_low"].iloc[0] == pytest.approx(1000 * low) and t["ci_high"].iloc[0] == pytest.approx(1000 * high)


def _years_frame():
    rows = []
    for year, counts in zip(range(2021, 2026), ([2, 40, 60, 80], [4, 42, 58, 81], [1, 38, 65, 79],
                                                [3, 41, 61, 84], [5, 44, 59, 77])):
        for d, c, p in zip(["Marka", "Alna", "Bjerke", "Grorud"], counts, [150, 4000, 6000, 8000]):
            rows.append((year, d, c, p))
    return pd.DataFrame(rows, columns=["year", "district", "count", "population"])


def test_three_year_pooling_for_small_districts():
    d = _years_frame()
    t = empirical_bayes_rates(d, groups="year", pool_years=3).set_index(["year", "district"])
    # Marka expects about 1.5 events a year (< 20): pooled over the year and the two before it
    assert t.loc[(2025, "Marka"), "count"] == 1 + 3 + 5
    assert t.loc[(2025, "Marka"), "exposure"] == 450
    assert t.loc[(2025, "Marka"), "years_pooled"] == 3
    assert t.loc[(2022, "Marka"), "years_pooled"] == 2  # only 2021 and 2022 in the data
    assert t.loc[(2025, "Alna"), "count"] == 44 and t.loc[(2025, "Alna"), "years_pooled"] == 1
    assert meta_of(t).fact('prior')[-1]["n_pooled_areas"] == 1
    with pytest.raises(ValueError, match="year column 'year' among groups"):
        empirical_bayes_rates(d, pool_years=3)


def test_smoothed_rate_of_a_tiny_count_is_still_suppressed():
    d = _years_frame()
    g = _grade(empirical_bayes_rates(d[d.year == 2023], groups="year"))  # Marka: 1 event
    marka = g[g.district == "Marka"].iloc[0]
    assert marka["flag"] == "suppressed" and marka["flag_reason"].startswith("D1")
    assert pd.isna(marka["estimate"]) and pd.isna(marka["count"]) and pd.isna(marka["crude"])
    assert pd.isna(marka["post_shape"])  # nothing a reader could turn back into the count


def test_empirical_bayes_errors():
    with pytest.raises(ValueError, match="at least 3 areas"):
        empirical_bayes_rates(EB_IN.head(2), area="area")
    with pytest.raises(ValueError, match="pool_years=0"):
        empirical_bayes_rates(EB_IN, area="area", pool_years=0)
    with pytest.raises(ValueError, match="'population' must be positive"):
        empirical_bayes_rates(EB_IN.assign(population=0), area="area")


def test_new_districts_from_a_crosswalk():
    cw = geography.load_crosswalk(geography.example_path())
    rng = np.random.default_rng(3)
    names = [n for n in cw.mapping]
    d = pd.DataFrame({"district": names, "population": rng.integers(500, 9000, len(names)),
                      "count": rng.integers(0, 60, len(names))})
    new = geography.apply(d, cw)
    t = empirical_bayes_rates(new)
    assert list(t["district"].astype(str)) == list(cw.order)
    assert t["count"].sum() == d["count"].sum()
    f = funnel_comparison(new.groupby("district", observed=True)[["count", "population"]].sum().reset_index())
    assert len(f) == len(cw.order)


# ======================================================================================
# Fay-Herriot
# ======================================================================================
FH_IN = pd.read_csv(FIX / "fh_input.csv").assign(se=lambda f: np.sqrt(f["vi"]))
FH_CASES = [("reml", "yi", "REML", ()), ("ml", "yi", "ML", ()), ("pm", "yi", "FH", ()),
            ("reml_x", "yi", "REML", ("x",)), ("reml_flat", "yi_flat", "REML", ())]


@pytest.mark.parametrize("key, y, method, cov", FH_CASES)
def test_fay_herriot_matches_metafor(key, y, method, cov):
    t = fay_herriot(FH_IN, estimate=y, se="se", area="area", method=method, covariates=cov,
                    transform="none", n="n", df=None)
    assert t["tau2"].iloc[0] == pytest.approx(R[f"fh.{key}.tau2"], rel=1e-9, abs=1e-14)
    beta = meta_of(t).fact('fay_herriot')[0]["beta"]
    assert beta == pytest.approx([R[f"fh.{key}.beta{k}"] for k in range(len(beta))], rel=1e-9)
    assert t["eblup"].to_numpy() == pytest.approx([R[f"fh.{key}.{a}.eblup"] for a in FH_IN["area"]], rel=1e-10)
    assert t["mse"].to_numpy() == pytest.approx([R[f"fh.{key}.{a}.mse"] for a in FH_IN["area"]], rel=1e-9)
    assert t["estimate"].to_numpy() == pytest.approx(t["eblup"].to_numpy())
    z = sps.norm.ppf(0.975)
    assert t["ci_high"].to_numpy() == pytest.approx(t["eblup"] + z * np.sqrt(t["mse"]))
    assert meta_of(t).fact('fay_herriot')[0]["converged"]


def test_fay_herriot_boundary_gives_synthetic_estimate():
    t = fay_herriot(FH_IN, estimate="yi_flat", area="area", transform="none", n="n", df=None)
    assert (t["tau2"] == 0).all() and (t["gamma"] == 0).all()
    assert t["eblup"].nunique() == 1
    assert (t["mse"] < t["psi"]).all()


def _survey_direct():
    """A direct table shaped like survey.proportion(by='district'), with one district at 0 %."""
    n = FH_IN["n"].to_numpy()
    p = np.clip(FH_IN["yi"].to_numpy() - 0.4, 0.0, None) / 2 + 0.01
    p[3] = 0.0
    deff = np.linspace(1.2, 2.0, len(n))
    se = np.sqrt(deff * p * (1 - p) / n)
    return pd.DataFrame({"district": FH_IN["area"], "numerator": np.round(p * n).astype(int), "denominator": n,
                         "estimate": p, "se": se, "ci_low": p - 2 * se, "ci_high": p + 2 * se,
                         "df": np.r_[np.full(8, 12.0), np.full(9, 4.0)], "deff": deff})


def test_arcsine_scale_and_variance_function():
    d = _survey_direct()
    t = fay_herriot(d)
    assert meta_of(t).kind == "proportion" and meta_of(t).design_based is True
    # zero variance (0 %) and df < 8 are smoothed; the others keep their direct variance
    assert t["variance_note"].iloc[3] == "zero"
    assert (t["variance_note"].iloc[8:] == "few_df").all()
    assert not t["variance_smoothed"].iloc[:3].any()
    p, se, n = d["estimate"].to_numpy(), d["se"].to_numpy(), d["denominator"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = n * se**2 / (p * (1 - p))
    d_bar = np.median(deff[np.isfinite(deff) & (deff > 0)])
    assert meta_of(t).fact('fay_herriot')[0]["gvf_design_effect"] == pytest.approx(d_bar)
    assert t["psi"].iloc[3] == pytest.approx(d_bar / (4 * n[3]))
    assert t["psi"].iloc[0] == pytest.approx(se[0] ** 2 / (4 * p[0] * (1 - p[0])))
    # same fit as the identity scale on asin(sqrt p) with those variances
    same = fay_herriot(pd.DataFrame({"district": d["district"], "y": np.arcsin(np.sqrt(p)), "s": np.sqrt(t["psi"])}),
                       estimate="y", se="s", transform="none", n=None, df=None)
    assert t["eblup"].to_numpy() == pytest.approx(same["eblup"].to_numpy(), rel=1e-9)
    # back-transform: sin^2 of the EBLUP and of its limits; the 0 % district gets a positive estimate
    z = sps.norm.ppf(0.975)
    assert t["estimate"].to_numpy() == pytest.approx(np.sin(t["eblup"]) ** 2)
    assert t["ci_high"].to_numpy() == pytest.approx(np.sin(t["eblup"] + z * np.sqrt(t["mse"])) ** 2)
    assert t["estimate"].iloc[3] > 0 and t["ci_low"].iloc[3] >= 0
    assert (t["ci_low"] <= t["estimate"]).all() and (t["estimate"] <= t["ci_high"]).all()
    assert t["n_eff"].to_numpy() == pytest.approx(1 / (4 * t["mse"].to_numpy()))
    assert t["direct"].iloc[3] == 0 and "direct_low" in t.columns


def test_variance_smoothing_options():
    d = _survey_direct()
    assert fay_herriot(d, smooth_variance="all")["variance_smoothed"].all()
    assert fay_herriot(d, min_df=None)["variance_note"].tolist().count("") == 16
    with pytest.raises(ValueError, match="smooth_variance='unstable'"):
        fay_herriot(d, smooth_variance="none")
    with pytest.raises(ValueError, match="logit is not defined at a direct estimate of 0"):
        fay_herriot(d, transform="logit")
    lg = fay_herriot(d.drop(index=3), transform="logit")
    assert (lg["ci_low"] <= lg["estimate"]).all() and (lg["estimate"] <= lg["ci_high"]).all()


def test_fay_herriot_table_grades_and_suppresses_small_counts():
    d = _survey_direct()
    d.loc[5, "numerator"] = 3  # 1-4 persons: the smoothed share must not be shown either
    g = _grade(fay_herriot(d))
    row = g.iloc[5]
    assert row["flag"] == "suppressed" and row["flag_reason"].startswith("D1")
    assert pd.isna(row["estimate"]) and pd.isna(row["eblup"]) and pd.isna(row["direct"])


def test_fay_herriot_groups_fit_separately():
    d = pd.concat([_survey_direct().assign(wave=2023), _survey_direct().assign(wave=2025)], ignore_index=True)
    d.loc[d.wave == 2025, "estimate"] = d.loc[d.wave == 2025, "estimate"] * 1.5
    t = fay_herriot(d, groups="wave")
    assert len(meta_of(t).fact('fay_herriot')) == 2
    assert t.groupby("wave")["tau2"].nunique().eq(1).all()
    assert t.loc[t.wave == 2023, "tau2"].iloc[0] != t.loc[t.wave == 2025, "tau2"].iloc[0]


def test_fay_herriot_errors():
    d = _survey_direct()
    with pytest.raises(ValueError, match="method='OLS'"):
        fay_herriot(d, method="OLS")
    with pytest.raises(ValueError, match="more than one row"):
        fay_herriot(pd.concat([d, d.head(1)]))
    with pytest.raises(ValueError, match="missing estimate"):
        fay_herriot(d.assign(estimate=np.where(d.index == 2, np.nan, d.estimate)))
    with pytest.raises(ValueError, match="the model needs at least 3"):
        fay_herriot(d.head(2))
    with pytest.raises(ValueError, match=r"estimate column 'prevalence' not in the data"):
        fay_herriot(d, estimate="prevalence")
    with pytest.raises(ValueError, match="needs proportions in"):
        fay_herriot(d.assign(estimate=d.estimate + 1))


# ======================================================================================
# rank intervals
# ======================================================================================
def _normal_table(estimates, se, flags=None):
    k = len(estimates)
    from salto_analysis.estimates import estimate_table

    t = estimate_table(pd.DataFrame({"district": [f"d{i:02d}" for i in range(k)], "count": np.full(k, 100),
                                     "estimate": estimates, "se": se,
                                     "ci_low": np.asarray(estimates) - 1, "ci_high": np.asarray(estimates) + 1}),
                       groups=["district"], kind="rate", measure="m", unit="per 1000", method="x",
                       confidence_level=0.95)
    t["flag"] = flags if flags is not None else "ok"
    return t


def test_equal_rates_have_rank_intervals_spanning_almost_everything():
    t = rank_intervals(_normal_table(np.full(17, 10.0), np.full(17, 1.0)))
    assert (t["rank_low"] <= 2).all() and (t["rank_high"] >= 16).all()
    assert (t["rank"] == 1).all()  # all tied at the point estimate
    assert meta_of(t).fact('rank_direction') == "1 = highest" and meta_of(t).fact('not_ranked') == 0


def test_well_separated_rates_have_exact_ranks():
    t = rank_intervals(_normal_table(np.arange(17.0), np.full(17, 0.01)))
    assert (t["rank"] == np.arange(17, 0, -1)).all()
    assert (t["rank_low"] == t["rank"]).all() and (t["rank_high"] == t["rank"]).all()
    asc = rank_intervals(_normal_table(np.arange(17.0), np.full(17, 0.01)), descending=False)
    assert (asc["rank"] == np.arange(1, 18)).all()


def test_flagged_rows_are_never_ranked_and_seed_reproduces():
    flags = ["ok"] * 17
    flags[2], flags[5] = "uncertain", "suppressed"
    t = _normal_table(np.linspace(5, 20, 17), np.full(17, 2.0), flags)
    r = rank_intervals(t, seed=11)
    assert r["rank"].isna().tolist() == [i in (2, 5) for i in range(17)]
    assert not r["rankable"].iloc[2] and meta_of(r).fact('not_ranked') == 2
    assert sorted(r["rank"].dropna()) == list(range(1, 16))
    assert r["rank_high"].max() <= 15
    again = rank_intervals(t, seed=11)
    pd.testing.assert_frame_equal(r, again)
    assert meta_of(r).fact('rank_seed') == 11 and meta_of(r).fact('rank_draws') == 4000


def test_ranking_needs_a_graded_table_or_explicit_rankable():
    t = _normal_table(np.arange(5.0), np.ones(5))
    t["flag"] = pd.NA
    with pytest.raises(ValueError, match="grade the table first"):
        rank_intervals(t)
    r = rank_intervals(t, rankable=np.array([True, True, False, True, True]))
    assert r["rank"].isna().sum() == 1
    with pytest.raises(ValueError, match="one boolean per row"):
        rank_intervals(t, rankable=[True])
    with pytest.raises(ValueError, match="n_draws=10"):
        rank_intervals(t, rankable="flag", n_draws=10)


def test_rank_models_of_each_table():
    d = _years_frame()
    eb = _grade(empirical_bayes_rates(d[d.year == 2025]))
    r = rank_intervals(eb)
    assert meta_of(r).fact('rank_model')["distribution"] == "gamma"
    assert r.loc[r.district == "Marka", "rank"].isna().all()  # suppressed: not ranked
    fh = _grade(fay_herriot(_survey_direct()))
    rf = rank_intervals(fh)
    ok = rf["flag"] == "ok"
    assert rf.loc[ok, "rank"].notna().all() and rf.loc[~ok, "rank"].isna().all()
    assert ((rf["rank_low"] <= rf["rank"]) | rf["rank"].isna()).all()
    rows = [(dist, age, 1000 + 100 * i, 20 + 3 * i) for i, dist in enumerate("abcdef") for age in ("10-14", "15-22")]
    dsr = _grade(direct_standardised_rates(pd.DataFrame(rows, columns=["district", "age_group", "population",
                                                                       "count"]), strata="age_group"))
    rd = rank_intervals(dsr)
    assert meta_of(rd).fact('rank_model')["distribution"] == "gamma-moments" and rd["rank"].notna().all()


def test_public_names():
    assert set(small_area.__all__) >= {"funnel_comparison", "funnel_curve", "empirical_bayes_rates",
                                       "fay_herriot", "rank_intervals"}
