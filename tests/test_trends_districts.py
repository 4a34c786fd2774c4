"""salto_analysis.trends.districts on the hand-made register of tests/fixtures/trends_register.py.

Reporting year 2025, unique suspects 10-22 by home district (worked out in the fixture's
docstring): Gamle Oslo 49 of 2,600 residents, Sagene 31 of 2,600, Frogner 3 of 1,300
(the district with 3 persons), and 1 suspect with an unknown home district.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from fixtures.trends_register import write_population, write_register
from scipy import stats as sps

from salto_analysis import io, reliability, trends
from salto_analysis.estimates import meta_of
from salto_analysis.policy import Policy, SmallSampleWarning
from salto_analysis.trends import districts


@pytest.fixture(scope="module")
def sel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("districts")
    return trends.select(io.load_register(write_register(folder)), io.load_population(write_population(folder)),
                         year=2025)


def grade(table, **policy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return reliability.grade(table, Policy(**policy))


def test_rates_by_district_and_city(sel):
    t = districts.rates(sel, min_count=5)
    assert meta_of(t).kind == "rate" and meta_of(t).fact('year') == 2025
    assert list(t["district"]) == ["Gamle Oslo", "Sagene", "Frogner", districts.CITY]
    # the one suspect with an unknown home district is fewer than min_count = 5: counted in the city row
    # (83 with a known district + 1), so that the city row does not give the number away
    assert list(t["count"]) == [49, 31, 3, 84] and list(t["exposure"]) == [2600, 2600, 1300, 6500]
    assert t["estimate"].tolist() == pytest.approx([49 / 2.6, 31 / 2.6, 3 / 1.3, 84 / 6.5])
    assert meta_of(t).fact('unknown_district') == 1 and meta_of(t).fact('city_includes_unknown') is True


def test_city_row_without_unknown_when_their_number_may_be_shown(sel):
    t = districts.rates(sel, min_count=1)
    assert t["count"].iloc[-1] == 83 and meta_of(t).fact('city_includes_unknown') is False
    with pytest.raises(ValueError, match="min_count=0"):
        districts.rates(sel, min_count=0)


def test_district_with_three_persons_is_suppressed(sel):
    g = grade(districts.rates(sel, min_count=5), min_count=5)
    frogner = g[g["district"] == "Frogner"].iloc[0]
    assert frogner["flag"] == "suppressed" and frogner["flag_reason"].startswith("D1")
    assert pd.isna(frogner["count"]) and pd.isna(frogner["estimate"])
    # secondary suppression: with the city row published, the smallest other district (Sagene) goes too
    sagene = g[g["district"] == "Sagene"].iloc[0]
    assert sagene["flag"] == "suppressed" and sagene["flag_reason"].startswith("D2")
    assert g["flag"].iloc[0] == "ok" and g["flag"].iloc[-1] == "ok"


def _exact(c1, e1, c0, e0):
    """R poisson.test written out (scipy as the calculator): Clopper-Pearson limits of
    pi = X1/(X1+X0) mapped to the rate ratio, and the exact binomial test of pi0 = e1/(e1+e0)."""
    n = c1 + c0
    to_rr = lambda p: p / (1 - p) * e0 / e1  # noqa: E731
    lo = sps.beta.ppf(0.025, c1, n - c1 + 1)
    hi = sps.beta.ppf(0.975, c1 + 1, n - c1)
    return to_rr(lo), to_rr(hi), sps.binomtest(c1, n, e1 / (e1 + e0)).pvalue


def test_ratios_against_the_rest_of_the_city(sel):
    t = districts.ratios(sel, min_count=5)
    assert list(t["district"]) == ["Gamle Oslo", "Sagene", "Frogner"]
    # the rest of the city: city row (84 of 6,500) minus the district
    assert list(t["count_ref"]) == [84 - 49, 84 - 31, 84 - 3]
    assert list(t["exposure_ref"]) == [3900, 3900, 5200]
    # Gamle Oslo: (49/2600) / (35/3900) = 49 * 1.5 / 35 = 2.1; Sagene 31 * 1.5 / 53; Frogner 3 * 4 / 81
    assert t["estimate"].tolist() == pytest.approx([2.1, 31 * 1.5 / 53, 3 * 4 / 81])
    p = []
    for i, (c1, e1) in enumerate([(49, 2600), (31, 2600), (3, 1300)]):
        lo, hi, pv = _exact(c1, e1, 84 - c1, 6500 - e1)
        assert (t["ci_low"].iat[i], t["ci_high"].iat[i], t["p_value"].iat[i]) == pytest.approx((lo, hi, pv),
                                                                                               rel=1e-7)
        p.append(pv)
    # Benjamini-Hochberg by hand for three tests: sort, p_(j) * 3 / j, running minimum from the top
    order = np.argsort(p)
    scaled = [p[k] * 3 / (j + 1) for j, k in enumerate(order)]
    adj_sorted = [min(scaled[j:]) for j in range(3)]
    expected = np.empty(3)
    expected[order] = np.minimum(adj_sorted, 1)
    assert t["p_adjusted"].tolist() == pytest.approx(expected.tolist(), rel=1e-9)
    assert meta_of(t).fact('p_adjustment')["n_tests"] == 3


def test_ratios_need_two_districts(sel):
    import dataclasses

    one = dataclasses.replace(sel, district_counts=sel.district_counts.iloc[:1],
                              district_population=sel.district_population.iloc[:1])
    with pytest.raises(ValueError, match="at least two districts"):
        districts.ratios(one)


def test_funnel_data(sel):
    g = grade(districts.rates(sel, min_count=5))
    points, reference = districts.funnel_data(g)
    assert list(points["district"]) == ["Gamle Oslo", "Sagene", "Frogner"]
    assert reference == pytest.approx(84 / 6.5) and meta_of(points).kind == "rate"
    hidden = g.copy()
    hidden.loc[hidden.index[-1], "flag"] = "suppressed"
    assert districts.funnel_data(hidden)[1] is None
    with pytest.raises(ValueError, match="districts.rates"):
        districts.funnel_data(g.drop(columns="district"))
