"""Tests of salto_analysis.survey against R's survey package (api data).

The R values are printed by R 4.2.2 / survey 4.1.1 (tests/fixtures/stats/make_r_reference.R,
stored in r_reference.csv; the edge cases in r_edge_cases.csv, make_r_edge_cases.R).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import survey
from salto_analysis.estimates import meta_of

FIX = Path(__file__).parent / "fixtures" / "stats"
R = pd.read_csv(FIX / "r_reference.csv").set_index("name")["value"]


def _api(name):
    d = pd.read_csv(FIX / f"{name}.csv")
    d["ell0"] = (d["ell"] == 0).astype(int)
    d["schwide"] = (d["sch.wide"] == "Yes").astype(int)
    return d


@pytest.fixture(scope="module")
def designs():
    return {
        # dclus1 = svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)
        "dclus1": survey.Design(_api("apiclus1"), cluster="dnum", weight="pw", fpc="fpc"),
        # dstrat = svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
        "dstrat": survey.Design(_api("apistrat"), strata="stype", weight="pw", fpc="fpc"),
    }


def test_svymean_api00_matches_api_rout(designs):
    # survey tests/testoutput/api.Rout.saved: svymean(~api00, dstrat) 662.29 (SE 9.4089),
    # svymean(~api00, dclus1) 644.17 (SE 23.542) [R-out]
    c = designs["dclus1"].mean("api00")
    s = designs["dstrat"].mean("api00")
    assert (round(c.estimate[0], 2), round(c.se[0], 3)) == (644.17, 23.542)
    assert (round(s.estimate[0], 2), round(s.se[0], 4)) == (662.29, 9.4089)
    assert c.se[0] == pytest.approx(R["dclus1.api00.se"], rel=1e-10)
    assert s.se[0] == pytest.approx(R["dstrat.api00.se"], rel=1e-10)
    assert designs["dclus1"].degf == 14 and designs["dstrat"].degf == 197


# p (SE), beta (KG) and xlogit intervals: R svymean / svyciprop output to 7 decimals [R-out]; the
# wilson column is the Wilson formula with n_eff = p(1-p)/SE^2 and qt(0.975, degf) evaluated in R
REF_24 = {
    ("dclus1", "ell0"): (0.0218579, 0.0226225, (0.0002161, 0.1375078), (0.0023047, 0.1777478),
                         (0.0031788, 0.1353913)),
    ("dclus1", "schwide"): (0.8743169, 0.0203595, (0.8237022, 0.9147045), (0.8237989, 0.9119001),
                            (0.8241715, 0.9116935)),
    ("dstrat", "ell0"): (0.0530384, 0.0158933, (0.0263095, 0.0939867), (0.0291339, 0.0946447),
                         (0.0294097, 0.0938163)),
    ("dstrat", "schwide"): (0.8279480, 0.0243448, (0.7741713, 0.8734316), (0.7745397, 0.8708149),
                            (0.7748146, 0.8706376)),
}


@pytest.mark.parametrize("key", list(REF_24))
def test_svyciprop_reference_table(designs, key):
    d, v = key
    p, se, kg, xl, wil = REF_24[key]
    t = designs[d].proportion(v)
    assert t.estimate[0] == pytest.approx(p, abs=5e-8) and t.se[0] == pytest.approx(se, abs=5e-8)
    assert (t.ci_low[0], t.ci_high[0]) == pytest.approx(kg, abs=5e-8)
    x = designs[d].proportion(v, ci_method="xlogit")
    assert (x.ci_low[0], x.ci_high[0]) == pytest.approx(xl, abs=5e-8)
    # the wilson column: the formula evaluated in R (R 4.2 has no wilson method in svyciprop)
    w = designs[d].proportion(v, ci_method="wilson")
    assert (w.ci_low[0], w.ci_high[0]) == pytest.approx(wil, abs=5e-8)


@pytest.mark.parametrize("d", ["dclus1", "dstrat"])
@pytest.mark.parametrize("v", ["ell0", "schwide"])
def test_whole_design_matches_r_to_1e6(designs, d, v):
    # R svymean SE and svyciprop(method = "beta" / "xlogit" / "logit") [R-out, r_reference.csv]
    t = designs[d].proportion(v)
    assert t.se[0] == pytest.approx(R[f"{d}.{v}.se"], abs=1e-9)
    assert t.df[0] == R[f"{d}.degf"]
    for method, rname in (("korn-graubard", "beta"), ("xlogit", "xlogit"), ("logit", "logit")):
        t = designs[d].proportion(v, ci_method=method)
        # logit: R fits a quasi-binomial svyglm (convergence tolerance ~1e-10)
        assert t.ci_low[0] == pytest.approx(R[f"{d}.{v}.{rname}.low"], abs=1e-8)
        assert t.ci_high[0] == pytest.approx(R[f"{d}.{v}.{rname}.high"], abs=1e-8)


@pytest.mark.parametrize("d", ["dclus1", "dstrat"])
@pytest.mark.parametrize("v", ["ell0", "schwide"])
def test_domains_match_r_svyby(designs, d, v):
    # svyby(~I(...), ~stype + awards, design, svymean / svyciprop, method = "beta" / "xlogit"),
    # degf(subset(design, ...)) [R-out]. All PSUs stay in the variance.
    kg = designs[d].proportion(v, by=["stype", "awards"])
    xl = designs[d].proportion(v, by=["stype", "awards"], ci_method="xlogit")
    assert len(kg) == 6
    for i, row in kg.iterrows():
        key = f"{d}.{v}.by.{row.stype}.{row.awards}"
        assert row.estimate == pytest.approx(R[f"{key}.mean"], abs=1e-12)
        assert row.se == pytest.approx(R[f"{key}.se"], abs=1e-9)
        assert row.df == R[f"{key}.degf"]
        if not np.isnan(R[f"{key}.beta.low"]):  # R returns NA at p = 0 or 1
            assert (row.ci_low, row.ci_high) == pytest.approx((R[f"{key}.beta.low"], R[f"{key}.beta.high"]),
                                                              abs=1e-8)
            assert (xl.ci_low[i], xl.ci_high[i]) == pytest.approx(
                (R[f"{key}.xlogit.low"], R[f"{key}.xlogit.high"]), abs=1e-8)
        else:
            # our limit case: Clopper-Pearson with the domain's n (NCHS); by hand at p = 0:
            # (0, 1 - 0.025^(1/n)); at p = 1: (0.025^(1/n), 1)
            n = row.denominator
            assert row.estimate in (0.0, 1.0) and row.n_eff == n and np.isnan(row.deff)
            edge = 1 - 0.025 ** (1 / n)
            expected = (0.0, edge) if row.estimate == 0 else (1 - edge, 1.0)
            assert (row.ci_low, row.ci_high) == pytest.approx(expected, abs=1e-12)


def test_proportion_function_and_columns():
    d = _api("apiclus1")
    t = survey.proportion(d, "schwide", by="stype", cluster="dnum", weight="pw", fpc="fpc")
    assert list(t.columns) == ["stype", "numerator", "denominator", "estimate", "ci_low", "ci_high", "se",
                               "n_eff", "deff", "df", "flag", "flag_reason"]
    assert meta_of(t).kind == "proportion" and meta_of(t).design_based is True
    assert t["denominator"].sum() == 183 and t["flag"].isna().all()
    # n_eff and deff by hand from the design variance: n_eff = p(1-p)/se^2, deff = n/n_eff
    r = t.iloc[0]
    assert r.n_eff == pytest.approx(r.estimate * (1 - r.estimate) / r.se**2)
    assert r.deff == pytest.approx(r.denominator / r.n_eff)


def test_unweighted_srs_equals_binomial_variance():
    # No design: v = p(1-p)/(n-1) (with-replacement PSU variance, each row a PSU), by hand
    d = pd.DataFrame({"y": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]})
    t = survey.proportion(d, "y", ci_method="wilson")
    assert t.se[0] == pytest.approx(np.sqrt(0.3 * 0.7 / 9))
    assert t.df[0] == 9


def test_kish_weights_design_effect():
    # Kish (1965): w = (1,1,1,1,2,2,2,2), deff = n*sum(w^2)/(sum w)^2 = 1.1111, n_eff 7.2 (by hand).
    # With y alternating inside each weight class the linearised variance is Kish's:
    # p = 0.5, v = sum(w^2 (y-p)^2)/(sum w)^2 * n/(n-1) = 20*0.25/144 * 8/7
    d = pd.DataFrame({"w": [1, 1, 1, 1, 2, 2, 2, 2], "y": [1, 0, 1, 0, 1, 0, 1, 0]})
    t = survey.proportion(d, "y", weight="w")
    assert t.se[0] ** 2 == pytest.approx(20 * 0.25 / 144 * 8 / 7)


def test_item_nonresponse_is_excluded_and_counted(designs):
    d = _api("apiclus1")
    d["schwide_na"] = d["schwide"].astype(float)
    d.loc[d.index[:7], "schwide_na"] = np.nan
    t = survey.proportion(d, "schwide_na", cluster="dnum", weight="pw", fpc="fpc")
    assert meta_of(t).fact('excluded') == {"missing_variable": 7, "missing_domain": 0}
    assert t.denominator[0] == 176
    d["stype_na"] = d["stype"].where(d.index >= 3)
    t = survey.proportion(d, "schwide", by="stype_na", cluster="dnum", weight="pw", fpc="fpc")
    assert meta_of(t).fact('excluded')["missing_domain"] == 3 and t.denominator.sum() == 180


def test_categorical_by_keeps_category_order():
    d = pd.DataFrame({"g": pd.Categorical(["b", "a", "b", "a"], categories=["b", "a"]), "y": [1, 0, 0, 0]})
    t = survey.proportion(d, "y", by="g")
    assert list(t["g"]) == ["b", "a"]


@pytest.mark.parametrize("levels", [3, 150])
def test_domains_by_many_columns_equal_pandas_groupby(levels):
    # Domain coding: with few possible keys they are counted (levels=3), with more possible keys
    # than 4 x rows and 2^20 they are sorted (levels=150: 151^3 = 3.4 million keys for 3,000 rows).
    # Either way the domains, their order and their weighted shares are those of pandas groupby
    # (sorted keys, missing keys dropped; an independent computation).
    rng = np.random.default_rng(levels)
    n = 3000
    d = pd.DataFrame({"a": rng.integers(0, levels, n), "b": rng.choice([f"x{i}" for i in range(levels)], n),
                      "c": rng.integers(0, levels, n).astype(float), "w": rng.uniform(0.5, 2, n),
                      "y": rng.integers(0, 2, n)})
    d.loc[d.index[:5], "c"] = np.nan
    t = survey.proportion(d, "y", by=["a", "b", "c"], weight="w")
    g = d.dropna(subset=["c"]).assign(wy=lambda f: f.w * f.y).groupby(["a", "b", "c"], sort=True)
    expected = (g["wy"].sum() / g["w"].sum()).reset_index(name="share")
    assert meta_of(t).fact('excluded')["missing_domain"] == 5
    assert t[["a", "b", "c"]].to_numpy().tolist() == expected[["a", "b", "c"]].to_numpy().tolist()
    np.testing.assert_allclose(t["estimate"], expected["share"], rtol=1e-12)
    np.testing.assert_array_equal(t["denominator"], g.size().to_numpy())


def test_domain_codes_are_reused_and_protected(designs):
    # the codes of a by are computed once per design; results do not share mutable state
    des = designs["dclus1"]
    first = des.proportion("schwide", by=["stype", "awards"])
    first["stype"] = "changed"
    again = des.proportion("schwide", by=["stype", "awards"])
    assert set(again["stype"]) == {"E", "H", "M"}
    assert ("stype", "awards") in des._domain_cache
    dom = des._domains(["stype", "awards"])[0]
    with pytest.raises(ValueError, match="read-only"):
        dom[0] = 5
    other = des.proportion("ell0", by=["stype", "awards"])  # another item, same domains
    assert list(other["denominator"]) == list(again["denominator"])


def test_trend_with_many_cells_equals_separate_fits():
    # Design.trend sums by cell (domain, PSU, time value); with every row its own PSU and 300 time
    # values the 2 x 4,000 x 300 possible cells are kept as sorted codes, while each half alone
    # (about 2,000 x 300) is counted densely. Domain convention (R): a half's SE in the whole design
    # is its SE alone times sqrt((N/(N-1)) / (N_d/(N_d-1))), N = 4,000 PSUs, N_d those of the half.
    rng = np.random.default_rng(8)
    n = 4000
    t = rng.integers(0, 300, n)
    d = pd.DataFrame({"t": t, "half": rng.choice(["a", "b"], n), "w": rng.uniform(0.5, 2, n),
                      "y": (rng.random(n) < 1 / (1 + np.exp(1 - t / 150))).astype(int)})
    both = survey.Design(d, weight="w").trend("y", time="t", by="half")
    for half in ("a", "b"):
        sub = d[d.half == half]
        alone = survey.Design(sub, weight="w").trend("y", time="t")
        row = both[both.half == half].iloc[0]
        n_d = len(sub)
        assert row.estimate == pytest.approx(alone.estimate[0], rel=1e-10)
        assert row.se == pytest.approx(alone.se[0] * np.sqrt((n / (n - 1)) / (n_d / (n_d - 1))), rel=1e-8)
        assert row.n_clusters == n_d and row.df == n_d - 2 and row.denominator == n_d
    assert meta_of(both).fact('times') == sorted(set(t.tolist()))


@pytest.mark.parametrize("kwargs, text", [
    ({"variable": "nope"}, "variable 'nope'"),
    ({"variable": "stype"}, "variable 'stype' must be numeric"),
    ({"variable": "api00"}, "must be 0/1"),
    ({"variable": "schwide", "weight": "wt"}, "weight column 'wt'"),
    ({"variable": "schwide", "cluster": "school"}, "cluster column 'school'"),
    ({"variable": "schwide", "confidence_level": 1.2}, "confidence_level=1.2"),
    ({"variable": "schwide", "ci_method": "beta"}, "ci_method='beta'"),
    ({"variable": "schwide", "by": ["nope"]}, "by column"),
])
def test_bad_arguments(kwargs, text):
    d = _api("apiclus1")
    with pytest.raises(ValueError, match=text):
        survey.proportion(d, **kwargs)


def test_design_checks():
    d = _api("apistrat")
    d.loc[0, "pw"] = -1
    with pytest.raises(ValueError, match="weight column 'pw' must be positive"):
        survey.Design(d, weight="pw")
    d = pd.DataFrame({"s": [1, 1, 2], "c": [1, 2, 3], "y": [0, 1, 1]})
    with pytest.raises(ValueError, match="stratum 2 has only one PSU"):
        survey.Design(d, strata="s", cluster="c")
    t = survey.Design(d, strata="s", cluster="c", lonely_psu="certainty").proportion("y")
    assert t.df[0] == 1
    d = pd.DataFrame({"s": [1, 1, 2, 2], "c": [1, 2, 2, 3], "y": [0, 1, 1, 0]})
    with pytest.raises(ValueError, match="cluster 2 .* several strata"):
        survey.Design(d, strata="s", cluster="c")
    assert survey.Design(d, strata="s", cluster="c", nest=True).n_psu == 4
    with pytest.raises(ValueError, match="fpc column 'f' must be constant"):
        survey.Design(d.assign(f=[10, 11, 10, 10]), strata="s", cluster="c", nest=True, fpc="f")


# --------------------------------------------------------------------------------------
# edge cases (issue 13): R values from tests/fixtures/stats/make_r_edge_cases.R
# --------------------------------------------------------------------------------------
EDGE = pd.read_csv(FIX / "r_edge_cases.csv").set_index("name")["value"]


@pytest.mark.parametrize("share, y", [("0.25", [1, 0, 0, 0] * 4), ("0.5", [1, 0] * 8)])
def test_zero_variance_census_gives_the_point(share, y):
    # A census of 4 schools (fpc = 4), every school with the same share: svymean SE 0 [R-out].
    # The interval is the point (p, p) for every method: R's xlogit [R-out]; R's beta gives (0.5, 0.5)
    # whatever p (its n* is infinite and qbeta(., Inf, Inf) = 0.5), which we match only at p = 0.5.
    d = pd.DataFrame({"school": np.repeat([1, 2, 3, 4], 4), "y": y, "fpc": 4})
    des = survey.Design(d, cluster="school", fpc="fpc")
    p = EDGE[f"census.{share}.mean"]
    for method in survey.CI_METHODS:
        t = des.proportion("y", ci_method=method)
        assert t.estimate[0] == p and t.se[0] == EDGE[f"census.{share}.se"] == 0
        assert (t.ci_low[0], t.ci_high[0]) == (p, p)
        assert (t.ci_low[0], t.ci_high[0]) == (EDGE[f"census.{share}.xlogit.low"], EDGE[f"census.{share}.xlogit.high"])
    if share == "0.5":
        assert (EDGE["census.0.5.beta.low"], EDGE["census.0.5.beta.high"]) == (0.5, 0.5)
    else:
        assert (EDGE["census.0.25.beta.low"], EDGE["census.0.25.beta.high"]) == (0.5, 0.5)  # R's artefact


def test_domain_inside_one_psu_has_no_interval(designs):
    # apiclus1 by dnum: every domain is one PSU, degf(subset) = 0, and R's svyciprop gives NA for
    # beta and xlogit, also where p = 1 [R-out]. Ours: missing for every method, estimate kept.
    for method in survey.CI_METHODS:
        t = designs["dclus1"].proportion("schwide", by="dnum", ci_method=method)
        assert len(t) == 15
        for _, row in t.iterrows():
            key = f"single_psu.{row.dnum}"
            assert row.estimate == pytest.approx(EDGE[f"{key}.mean"], abs=1e-12)
            assert row.df == EDGE[f"{key}.degf"] == 0
            assert np.isnan(EDGE[f"{key}.beta.low"]) and np.isnan(EDGE[f"{key}.xlogit.high"])
            assert np.isnan(row.ci_low) and np.isnan(row.ci_high)
            assert row.denominator > 0  # the reason is df < 1, not "no answers"


def test_domain_without_answers_is_missing_with_its_reason():
    # By hand: domain "b" has 4 rows in 2 schools, every answer missing -> denominator 0, estimate,
    # se and interval missing for every method (the "no answers" case), whatever its df (1 here).
    d = pd.DataFrame({"school": [1, 1, 2, 2, 3, 3, 1, 2], "g": ["a"] * 6 + ["b", "b"],
                      "y": [1, 0, 1, 1, 0, 0, np.nan, np.nan]})
    for method in survey.CI_METHODS:
        t = survey.proportion(d, "y", by="g", cluster="school", ci_method=method).set_index("g")
        assert t.loc["b", "denominator"] == 0 and t.loc["b", "df"] == 1
        assert t.loc["b", ["estimate", "se", "ci_low", "ci_high", "n_eff", "deff"]].isna().all()
        assert t.loc["a", ["ci_low", "ci_high"]].notna().all() and t.loc["a", "df"] == 2
    m = survey.Design(d, cluster="school").mean("y", by="g").set_index("g")
    assert m.loc["b", ["estimate", "se", "ci_low", "ci_high"]].isna().all()


def test_empty_data_give_an_empty_table():
    d = pd.DataFrame({"school": pd.Series([], dtype="int64"), "g": pd.Series([], dtype=object),
                      "y": pd.Series([], dtype=float)})
    t = survey.proportion(d, "y", by="g", cluster="school")
    assert len(t) == 0 and list(t.columns) == ["g", "numerator", "denominator", "estimate", "ci_low", "ci_high",
                                               "se", "n_eff", "deff", "df", "flag", "flag_reason"]
    # without domains: the one (whole-population) row, with no answers
    t = survey.proportion(d, "y", cluster="school")
    assert len(t) == 1 and t.denominator[0] == 0 and t[["estimate", "ci_low", "ci_high"]].isna().all(axis=None)
    assert survey.Design(d, cluster="school").degf == 0


def _api_item_nonresponse():
    # as make_r_edge_cases.R: schwide missing for the 11 schools of dnum 637 and where snum %% 5 == 0
    d = _api("apiclus1")
    d["schwide_na"] = d["schwide"].astype(float).where(~((d.dnum == 637) | (d.snum % 5 == 0)))
    return d


def test_degrees_of_freedom_follow_r_with_item_nonresponse():
    # One district answers nothing: R keeps it in degf(design) = 14 and nrow(design) = 183 in the beta
    # interval (svyciprop(..., na.rm = TRUE)); Design.degf, proportion and mean agree [R-out].
    d = _api_item_nonresponse()
    assert int(d.schwide_na.isna().sum()) == EDGE["na.n_missing"]
    des = survey.Design(d, cluster="dnum", weight="pw", fpc="fpc")
    kg = des.proportion("schwide_na")
    assert des.degf == kg.df[0] == des.mean("schwide_na").df[0] == EDGE["na.degf"] == 14
    assert kg.estimate[0] == pytest.approx(EDGE["na.mean"], abs=1e-12)
    assert kg.se[0] == pytest.approx(EDGE["na.se"], abs=1e-9)
    assert (kg.ci_low[0], kg.ci_high[0]) == pytest.approx((EDGE["na.beta.low"], EDGE["na.beta.high"]), abs=1e-9)
    xl = des.proportion("schwide_na", ci_method="xlogit")
    assert (xl.ci_low[0], xl.ci_high[0]) == pytest.approx((EDGE["na.xlogit.low"], EDGE["na.xlogit.high"]), abs=1e-9)
    # domains: svyby(~schwide_na, ~stype, ..., svyciprop, na.rm = TRUE), degf(subset(design, stype == s))
    kg = des.proportion("schwide_na", by="stype")
    xl = des.proportion("schwide_na", by="stype", ci_method="xlogit")
    for i, row in kg.iterrows():
        key = f"na.by.{row.stype}"
        assert row.df == EDGE[f"{key}.degf"]
        assert row.estimate == pytest.approx(EDGE[f"{key}.mean"], abs=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx((EDGE[f"{key}.beta.low"], EDGE[f"{key}.beta.high"]),
                                                          abs=1e-9)
        assert (xl.ci_low[i], xl.ci_high[i]) == pytest.approx((EDGE[f"{key}.xlogit.low"],
                                                               EDGE[f"{key}.xlogit.high"]), abs=1e-9)


def test_difference_df_counts_the_waves_rows():
    # By hand: wave 1 in schools 1-3, wave 2 in schools 2-4; school 4 answers nothing in wave 2.
    # df = PSUs with rows in either wave (4) - strata (1) = 3, as the domain convention of proportion.
    d = pd.DataFrame({"school": [1, 1, 2, 2, 3, 3, 2, 2, 3, 3, 4, 4], "wave": [1] * 6 + [2] * 6,
                      "y": [1, 0, 1, 1, 0, 0, 1, 0, 0, 1, np.nan, np.nan]})
    des = survey.Design(d, cluster="school")
    t = des.difference("y", over="wave", from_level=1, to_level=2)
    assert t.df[0] == 3
    assert list(des.proportion("y", by="wave").df) == [2, 2]  # 3 schools each, one stratum
