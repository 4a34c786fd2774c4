"""Tests of salto_analysis.concentration (stats_reference.md §5 vectors, lorenzgini examples)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salto_analysis import concentration as cc

X = [10, 5, 3, 1, 1, 1, 1, 1, 1, 1]  # stats_reference §5 test vector [DERIVED]


def test_top_shares_reference_vector():
    # top 10 % (1 person) = 10/25 = 40 %, top 20 % = 15/25 = 60 %, top 50 % = 20/25 = 80 %
    assert cc.top_share(X, 0.1) == pytest.approx(0.40)
    assert cc.top_share(X, 0.2) == pytest.approx(0.60)
    assert cc.top_share(X, 0.5) == pytest.approx(0.80)
    # k = ceil(q n): 15 % of 10 units is 2 units; 0.1 * 30 must give 3 units, not 4
    assert cc.top_share(X, 0.15) == pytest.approx(0.60)
    assert cc.top_share([3] * 30, 0.1) == pytest.approx(0.10)


def test_gini_reference_vectors():
    # stats_reference §5: G = 0.4760 (n/(n-1) version 0.5289); (2,2,2,2) -> 0; (0,0,0,8) -> 0.75 (1.0 corrected)
    assert cc.gini(X) == pytest.approx(0.4760, abs=5e-5)
    assert cc.gini(X, small_sample=True) == pytest.approx(0.5289, abs=5e-5)
    assert cc.gini([2, 2, 2, 2]) == 0
    assert cc.gini([0, 0, 0, 8]) == pytest.approx(0.75)
    assert cc.gini([0, 0, 0, 8], small_sample=True) == pytest.approx(1.0)
    # by hand: order of the input (and of ties) does not matter
    assert cc.gini(X[::-1]) == pytest.approx(cc.gini(X))


def test_generalized_gini_lorenzgini_examples():
    # R package lorenzgini (Steenbeek), documented examples of gini():
    # c(10,8,2,0,...) (10 units, 20 crimes): standard 0.78 = generalized (crimes >= units)
    # c(5,2,1,0,...) (10 units, 8 crimes): standard 0.8, generalized 0.75
    a = [10, 8, 2] + [0] * 7
    b = [5, 2, 1] + [0] * 7
    assert cc.gini(a) == pytest.approx(0.78) and cc.gini(a, generalized=True) == pytest.approx(0.78)
    assert cc.gini(b) == pytest.approx(0.8) and cc.gini(b, generalized=True) == pytest.approx(0.75)
    # by hand: maximal equality given the data (C = 3 events on N = 10 units, one each) gives G' = 0,
    # while the ordinary Gini is 1 - C/N = 0.7
    c = [1, 1, 1] + [0] * 7
    assert cc.gini(c) == pytest.approx(0.7) and cc.gini(c, generalized=True) == pytest.approx(0.0)


def test_lorenz_curve():
    lc = cc.lorenz([0, 0, 0, 8])
    assert lc.share_units.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert lc.share_events.tolist() == [0, 0, 0, 0, 1.0]


def test_bootstrap_is_seeded_and_chance_gini():
    ci1 = cc.bootstrap_ci(X, cc.gini, n_boot=500, seed=1)
    ci2 = cc.bootstrap_ci(X, cc.gini, n_boot=500, seed=1)
    assert ci1 == ci2 and ci1.low <= cc.gini(X) <= ci1.high
    # 25 events on 10 units at random: chance Gini well below the observed 0.476, but above 0
    ch = cc.chance_gini(X, n_sim=300)
    assert 0 < ch < cc.gini(X)


def test_concentration_table():
    df = pd.DataFrame({"district": ["A"] * 10 + ["B"] * 4, "offences": X + [2, 2, 2, 2]})
    t = cc.concentration_table(df, count="offences", groups=["district"], shares=(0.1,), n_boot=200)
    assert t.attrs["kind"] == "summary" and t.attrs["units"] == "offenders"
    row = t.set_index(["district", "statistic"]).loc[("A", "top_10%")]
    assert row.estimate == pytest.approx(0.4) and row["count"] == 25 and row.denominator == 10
    pop = cc.concentration_table(df, count="offences", groups=["district"], population={"A": 20, "B": 4},
                                 shares=(0.1,), n_boot=200)
    assert pop.set_index(["district", "statistic"]).loc[("A", "top_10%"), "estimate"] == pytest.approx(15 / 25)
    assert pop.attrs["units"] == "population"


def test_bad_arguments():
    with pytest.raises(ValueError, match="x=-1"):
        cc.gini([1, -1])
    with pytest.raises(ValueError, match="q=0"):
        cc.top_share(X, 0)
    with pytest.raises(ValueError, match="empty"):
        cc.gini([])
    with pytest.raises(ValueError, match="n_boot=10"):
        cc.bootstrap_ci(X, cc.gini, n_boot=10)
    with pytest.raises(ValueError, match="population=5"):
        cc.concentration_table(pd.DataFrame({"n": X}), count="n", population=5)


@settings(max_examples=100, deadline=None)
@given(x=st.lists(st.integers(0, 50), min_size=2, max_size=60).filter(lambda v: sum(v) > 0),
       q=st.floats(0.01, 1))
def test_properties(x, q):
    g = cc.gini(x)
    assert 0 <= g <= 1 - 1 / len(x) + 1e-12
    assert 0 <= cc.gini(x, small_sample=True) <= 1 + 1e-12
    # the top ceil(q n) units hold at least the fraction q of all events
    assert q - 1e-9 <= cc.top_share(x, q) <= 1
