"""salto_analysis.trends.yearly on the hand-made register of tests/fixtures/trends_register.py.

Every expected number is worked out by hand from the scenario in that file's docstring,
from R or published reference values (named where used), or from the written-out
formula with scipy as the calculator (exact binomial tail, beta quantiles), never from the
code under test.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from fixtures.trends_register import write_population, write_register
from scipy import stats as sps
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from salto_analysis import change, io, trends
from salto_analysis.estimates import meta_of

Z95 = 1.959963984540054  # standard normal 97.5 % quantile


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trends")
    return io.load_register(write_register(folder)), io.load_population(write_population(folder))


@pytest.fixture(scope="module")
def sel(inputs):
    return trends.select(*inputs, year=2025)


def row(table, **where):
    mask = np.ones(len(table), bool)
    for k, v in where.items():
        mask &= (table[k] == v).to_numpy()
    assert mask.sum() == 1, where
    return table[mask].iloc[0]


def exact_rate_ratio(c1, e1, c0, e0, level=0.95):
    """R poisson.test written out: Clopper-Pearson limits of pi = X1/(X1+X0) mapped to the ratio,
    and the two-sided exact binomial test of pi0 = e1/(e1+e0) (scipy as the calculator)."""
    n, a = c1 + c0, 1 - level
    lo = sps.beta.ppf(a / 2, c1, n - c1 + 1)
    hi = sps.beta.ppf(1 - a / 2, c1 + 1, n - c1)
    to_rr = lambda p: p / (1 - p) * e0 / e1  # noqa: E731
    return (c1 / e1) / (c0 / e0), to_rr(lo), to_rr(hi), sps.binomtest(c1, n, e1 / (e1 + e0)).pvalue


# --------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------
def test_series_rates_and_intervals(sel):
    s = trends.series(sel)
    assert meta_of(s).kind == "rate" and meta_of(s).nonadditive == ("counted",) and meta_of(s).scale == 1000
    assert list(s.columns[:3]) == ["counted", "age_group", "year"]
    assert len(s) == 2 * 4 * 6
    r = row(s, counted="suspects", age_group="18-22", year=2025)
    assert (r["count"], r["exposure"]) == (49, 2500) and r["estimate"] == pytest.approx(49 / 2500 * 1000)
    r = row(s, counted="cases", age_group="total", year=2025)
    assert r["estimate"] == pytest.approx(83 / 6500 * 1000)
    # the year with zero cases: the interval starts at 0; Garwood upper limit for x = 0 is
    # chi2(0.975; 2)/2 = -ln(0.025) = 3.6889, per 1,000 of 2,500 residents
    r = row(s, counted="cases", age_group="10-14", year=2021)
    assert (r["count"], r["estimate"], r["ci_low"]) == (0, 0.0, 0.0)
    assert r["ci_high"] == pytest.approx(-math.log(0.025) / 2.5) and round(-math.log(0.025), 4) == 3.6889


def test_victim_series_matches_reference_interval(sel):
    v = trends.series(sel, ("victims",))
    # Garwood 95 % limits for x = 20 (R poisson.test(20)) are (12.2165, 30.8884); per 1,000 of 2,500
    r = row(v, counted="victims", age_group="10-14", year=2023)
    assert r["ci_low"] == pytest.approx(12.2165 / 2.5, abs=1e-4)
    assert r["ci_high"] == pytest.approx(30.8884 / 2.5, abs=1e-4)
    with pytest.raises(ValueError, match="counted"):
        trends.series(sel, ("offences",))


def test_level_is_the_reporting_year_of_the_series(sel):
    s = trends.series(sel)
    lv = trends.level(s, 2025)
    assert "year" not in lv.columns and list(meta_of(lv).groups) == ["counted", "age_group"] and meta_of(lv).fact('year') == 2025
    assert list(lv["count"]) == [3, 32, 49, 83, 3, 32, 49, 84]
    with pytest.raises(ValueError, match="year=2019"):
        trends.level(s, 2019)


def test_change_from_previous_year(sel):
    t = trends.year_change(sel, reference="previous")
    assert meta_of(t).kind == "ratio" and meta_of(t).fact('reference_years') == [2024]
    r = row(t, counted="suspects", age_group="18-22")
    assert (r["count"], r["count_ref"], r["exposure"], r["exposure_ref"]) == (49, 31, 2500, 2500)
    est, lo, hi, p = exact_rate_ratio(49, 2500, 31, 2500)
    assert est == pytest.approx(49 / 31)
    assert (r["estimate"], r["ci_low"], r["ci_high"], r["p_value"]) == pytest.approx((est, lo, hi, p), rel=1e-7)
    assert r["percent_change"] == pytest.approx(100 * (49 / 31 - 1))
    r = row(t, counted="cases", age_group="15-17")  # 16 -> 32, same population: a doubling
    assert r["estimate"] == pytest.approx(2.0)
    assert r["p_value"] == pytest.approx(sps.binomtest(32, 48, 0.5).pvalue, rel=1e-7)


def test_change_from_three_year_average(sel):
    t = trends.year_change(sel, reference="mean")
    assert meta_of(t).fact('reference_years') == [2022, 2023, 2024]
    r = row(t, counted="suspects", age_group="18-22")
    # 2022-2024: 30 + 30 + 31 = 91 suspects over 3 x 2,500 residents
    assert (r["count_ref"], r["exposure_ref"]) == (91, 7500)
    est, lo, hi, p = exact_rate_ratio(49, 2500, 91, 7500)
    assert est == pytest.approx(49 * 3 / 91)
    assert (r["estimate"], r["ci_low"], r["ci_high"], r["p_value"]) == pytest.approx((est, lo, hi, p), rel=1e-7)
    with pytest.raises(ValueError, match="reference='last'"):
        trends.year_change(sel, reference="last")


def test_trend_of_a_doubling_series(sel):
    t = trends.trend(sel)
    # 15-17 suspects and cases: 1, 2, 4, 8, 16, 32 in 2020-2025 over a constant population. The Poisson
    # fit is exact: rate ratio 2 per year. Information of the slope with fitted means mu = counts:
    # var = sum(mu) / (sum(mu) * sum(mu t^2) - (sum(mu t))^2) with t = 0..5:
    # sum(mu) = 63, sum(mu t) = 0+2+8+24+64+160 = 258, sum(mu t^2) = 0+2+16+72+256+800 = 1146
    se = math.sqrt(63 / (63 * 1146 - 258**2))
    for counted in ("suspects", "cases"):
        r = row(t, counted=counted, age_group="15-17")
        assert r["count"] == 63 and r["n_periods"] == 6
        assert r["estimate"] == pytest.approx(2.0, rel=1e-6) and r["se"] == pytest.approx(se, rel=1e-5)
        assert r["ci_low"] == pytest.approx(2 * math.exp(-Z95 * se), rel=1e-5)
        assert r["ci_high"] == pytest.approx(2 * math.exp(Z95 * se), rel=1e-5)
        assert r["p_value"] == pytest.approx(2 * sps.norm.sf(math.log(2) / se), rel=1e-4)
        assert r["dispersion"] == pytest.approx(0, abs=1e-8) and not r["quasi"]  # perfect fit: Poisson kept


def test_trend_uses_quasi_poisson_only_when_overdispersed(sel):
    t = trends.trend(sel)
    f = sel.counts[sel.counts["counted"].isin(["cases", "suspects"])].merge(sel.population, on=["year", "age_group"])
    f["counted"] = f["counted"].cat.remove_unused_categories()
    kw = dict(time="year", count="count", exposure="population", by=["counted", "age_group"])
    with warnings.catch_warnings():  # the doubling series is an exact fit ("perfect prediction")
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        quasi = change.poisson_trend(f, dispersion="quasi", **kw)
        pois = change.poisson_trend(f, dispersion="poisson", **kw)
    assert (t["quasi"].to_numpy() == (quasi["dispersion"] > 1).to_numpy()).all()
    assert t["quasi"].any() and not t["quasi"].all()
    for i in range(len(t)):
        src = quasi if t["quasi"].iat[i] else pois
        assert t["ci_low"].iat[i] == pytest.approx(src["ci_low"].iat[i])
        assert t["ci_high"].iat[i] == pytest.approx(src["ci_high"].iat[i])
    assert list(t["counted"].astype(str)) == ["cases"] * 4 + ["suspects"] * 4


def test_victim_change_reference_vector_and_bh(sel):
    t = trends.victim_change(sel)
    assert list(t.columns[:2]) == ["age_group", "year"] and len(t) == 4 * 5  # 2021-2025 x 4 groups
    r = row(t, age_group="10-14", year=2025)
    # R poisson.test(c(45, 30), c(1, 1)): 30 -> 45 in the same population: RR 1.5, exact CI (0.9244, 2.4660),
    # exact-conditional p = 0.10534
    assert (r["count"], r["count_ref"]) == (45, 30)
    assert r["estimate"] == pytest.approx(1.5)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.9244, 2.4660), abs=1e-4)
    assert r["p_value"] == pytest.approx(0.10534, abs=1e-5)
    # BH over the 10 p-values that exist (10-14 and the total, 2021-2025; the other groups are 0 -> 0):
    # 1, 1, 2*P(Bin(50, .5) <= 20) (20 vs 30), the same (30 vs 20), 0.10534, each twice. Sorted, the
    # step-up minimum for the smallest two is at rank 6: 0.2026 * 10 / 6.
    p_20_30 = 2 * sps.binom.cdf(20, 50, 0.5)
    assert r["p_adjusted"] == pytest.approx(p_20_30 * 10 / 6, rel=1e-6)
    assert meta_of(t).fact('p_adjustment')["n_tests"] == 10
    assert np.isnan(row(t, age_group="15-17", year=2025)["estimate"])


def _wilson(x, n, z=Z95):
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def test_offence_type_shares(sel):
    t = trends.offence_types(sel)
    assert list(t["offence_type"]) == ["violence", "robbery", "threats", "theft", "drugs", "sexual", "vandalism",
                                       "other"]
    assert list(t["numerator"]) == [30, 1, 2, 45, 1, 0, 3, 1] and set(t["denominator"]) == {83}
    r = row(t, offence_type="theft")
    assert r["estimate"] == pytest.approx(45 / 83)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(_wilson(45, 83))


def test_group_and_online_shares(sel):
    t = trends.offence_modus(sel)
    assert meta_of(t).nonadditive == ("aspect",) and meta_of(t).fact('online_unknown') == 1
    g = row(t, aspect="group", offence_type="robbery")
    assert (g["numerator"], g["denominator"]) == (1, 1)
    g = row(t, aspect="group", offence_type="total")
    assert (g["numerator"], g["denominator"]) == (1, 83)
    assert (g["ci_low"], g["ci_high"]) == pytest.approx(_wilson(1, 83))
    o = row(t, aspect="online", offence_type="total")  # N1's status is unknown: 82 cases
    assert (o["numerator"], o["denominator"]) == (1, 82)
    o = row(t, aspect="online", offence_type="drugs")
    assert (o["numerator"], o["denominator"]) == (0, 0) and np.isnan(o["estimate"])
    assert len(t) == 2 * 9


def test_tables_are_estimate_tables(sel):
    from salto_analysis.estimates import check_estimate_table

    for t in (trends.series(sel), trends.year_change(sel), trends.trend(sel), trends.victim_change(sel),
              trends.offence_types(sel), trends.offence_modus(sel)):
        check_estimate_table(t, graded=False)
        assert meta_of(t).synthetic is False and isinstance(t, pd.DataFrame)


def test_trend_not_estimable_when_all_events_fall_in_one_end_year(sel):
    import dataclasses

    c = sel.counts.copy()
    # suspects 10-14: 3 in 2025 and none before; the slope's likelihood keeps rising: no finite estimate
    only_last = (c["counted"] == "suspects") & (c["age_group"] == "10-14") & (c["year"] < 2025)
    c.loc[only_last, "count"] = 0
    t = trends.trend(dataclasses.replace(sel, counts=c))
    r = row(t, counted="suspects", age_group="10-14")
    assert r["count"] == 3 and np.isnan(r["estimate"]) and np.isnan(r["p_value"]) and not r["quasi"]
    assert not np.isnan(row(t, counted="cases", age_group="10-14")["estimate"])
