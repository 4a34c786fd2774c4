"""Tests of salto_analysis.concentration (hand-computed vectors, lorenzgini examples).

The methods and their sources are in docs/methods.md#concentration.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salto_analysis import concentration as cc
from salto_analysis.estimates import meta_of

X = [10, 5, 3, 1, 1, 1, 1, 1, 1, 1]  # hand-computed test vector


def test_top_shares_reference_vector():
    # top 10 % (1 person) = 10/25 = 40 %, top 20 % = 15/25 = 60 %, top 50 % = 20/25 = 80 %
    assert cc.top_share(X, 0.1) == pytest.approx(0.40)
    assert cc.top_share(X, 0.2) == pytest.approx(0.60)
    assert cc.top_share(X, 0.5) == pytest.approx(0.80)
    # k = ceil(q n): 15 % of 10 units is 2 units; 0.1 * 30 must give 3 units, not 4
    assert cc.top_share(X, 0.15) == pytest.approx(0.60)
    assert cc.top_share([3] * 30, 0.1) == pytest.approx(0.10)


def test_gini_reference_vectors():
    # by hand: G = Σ(2i−n−1)x₍ᵢ₎/(n·Σx) = 119/250 = 0.4760 (×n/(n−1): 0.5289); (2,2,2,2) -> 0;
    # (0,0,0,8) -> 0.75 (1.0 corrected)
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
    assert cc.bootstrap_ci(X, "gini", n_boot=500, seed=1) == pytest.approx(ci1, rel=1e-12)
    # 25 events on 10 units at random: chance Gini well below the observed 0.476, but above 0
    ch = cc.chance_gini(X, n_sim=300)
    assert 0 < ch < cc.gini(X)


def test_chance_gini_by_hand_and_in_chunks(monkeypatch):
    # 2 events on 2 units: (2, 0) or (0, 2) with probability 1/2, Gini (−0 + 2)/(2·2) = 0.5;
    # (1, 1) with probability 1/2, Gini 0. Expected chance Gini 0.25 (Monte Carlo SE 0.25/sqrt(40000)) [hand]
    assert cc.chance_gini([2, 0], n_sim=40_000) == pytest.approx(0.25, abs=0.01)
    # small_sample multiplies each Gini by n/(n − 1) = 2: expected 0.5
    assert cc.chance_gini([1, 1], n_sim=40_000, small_sample=True) == pytest.approx(0.5, abs=0.02)
    # the draws are consecutive draws of one generator: the chunk size does not change the result
    whole = cc.chance_gini(X, n_sim=300, seed=4)
    monkeypatch.setattr(cc, "CHANCE_CHUNK_CELLS", 7 * len(X))  # 7 simulations per chunk
    assert cc.chance_gini(X, n_sim=300, seed=4) == pytest.approx(whole, rel=1e-12)
    assert math.isnan(cc.chance_gini([0, 0, 0], n_sim=5))
    with pytest.raises(ValueError, match="n_sim=0"):
        cc.chance_gini(X, n_sim=0)


def test_frequency_forms_equal_the_per_unit_statistics():
    # gini_from_frequencies and top_events against gini / top_share on the same data
    # (moved here from the cohorts tests with the frequency forms)
    rng = np.random.default_rng(3)
    x = rng.geometric(0.4, size=257)
    v, f = cc.value_frequencies(x)
    assert list(v) == sorted(set(x.tolist()), reverse=True) and f.sum() == 257
    assert cc.gini_from_frequencies(v, f)[0] == pytest.approx(cc.gini(x), rel=1e-12)
    for kw in ({"small_sample": True}, {"generalized": True}, {"generalized": True, "small_sample": True}):
        assert cc.gini_from_frequencies(v, f, **kw)[0] == pytest.approx(cc.gini(x, **kw), rel=1e-12)
    sparse = [3, 1, 0, 0, 0, 0, 0, 0]  # fewer events than units: the generalized Gini differs
    vs, fs = cc.value_frequencies(sparse)
    assert cc.gini_from_frequencies(vs, fs, generalized=True)[0] == pytest.approx(cc.gini(sparse, generalized=True))
    for q in (0.01, 0.05, 0.1, 0.5):
        k = math.ceil(q * 257 - 1e-9)
        assert cc.top_events(v, f, [k])[0, 0] / x.sum() == pytest.approx(cc.top_share(x, q), rel=1e-12)
    # by hand: X sorted is 10, 5, 3, 1 x 7; the top 1, 2 and 5 units hold 10, 15 and 20 events
    vx, fx = cc.value_frequencies(X)
    assert cc.top_events(vx, fx, [1, 2, 5]).tolist() == [[10.0, 15.0, 20.0]]


def test_statistic_on_fixed_resamples_equals_the_person_resample():
    # Exact agreement on fixed resamples: for a given resample of persons (indices drawn here),
    # the statistic of the resampled persons equals the frequency form evaluated on how many
    # resampled persons hold each distinct value.
    x = np.array(X, dtype=float)
    v, _ = cc.value_frequencies(x)
    rng = np.random.default_rng(11)
    for _ in range(50):
        units = x[rng.integers(0, x.size, size=x.size)]
        freq = np.array([[np.sum(units == value) for value in v]], dtype=float)
        assert cc.gini_from_frequencies(v, freq)[0] == pytest.approx(cc.gini(units), rel=1e-12, abs=1e-15)
        k = math.ceil(0.2 * x.size - 1e-9)
        assert cc.top_events(v, freq, [k])[0, 0] / units.sum() == pytest.approx(cc.top_share(units, 0.2),
                                                                                 rel=1e-12)
    # a hand-made resample: values 10, 5, 3, 1 held by 0, 2, 1, 7 persons -> (5, 5, 3, 1 x 7)
    draw = np.array([[0, 2, 1, 7]], float)
    assert cc.gini_from_frequencies(v, draw)[0] == pytest.approx(cc.gini([5, 5, 3] + [1] * 7), rel=1e-12)
    # the generic path (a function of the units) sees the same resamples as the named one
    named = cc.bootstrap_replicates(X, "gini", n_boot=300, seed=5)
    generic = cc.bootstrap_replicates(X, cc.gini, n_boot=300, seed=5)
    np.testing.assert_allclose(generic, named, rtol=1e-12, atol=1e-15)
    share = cc.bootstrap_replicates(X, "top_share", q=0.2, n_boot=300, seed=5)
    np.testing.assert_allclose(cc.bootstrap_replicates(X, lambda a: cc.top_share(a, 0.2), n_boot=300, seed=5),
                               share, rtol=1e-12)


def test_multinomial_bootstrap_agrees_with_resampling_persons():
    # Distributional agreement with the direct bootstrap (n persons drawn with replacement,
    # Efron & Tibshirani 1993) on a small vector, with different random streams: quantiles of
    # 4,000 replicates each. The Monte Carlo SE of a 2.5 % quantile of B = 4,000 replicates is
    # about 0.04 sd (sqrt(p(1-p)/B) / density), so two independent runs differ by about
    # 0.06 sd; the tolerance is 0.25 sd. A two-sample Kolmogorov-Smirnov test must not reject.
    from scipy import stats as sps

    x = np.random.default_rng(2).geometric(0.35, size=150).astype(float)
    b = 4000
    idx = np.random.default_rng(99).integers(0, x.size, size=(b, x.size))
    direct_gini = np.array([cc.gini(x[i]) for i in idx])
    direct_top = np.array([cc.top_share(x[i], 0.1) for i in idx])
    ours_gini = cc.bootstrap_replicates(x, "gini", n_boot=b, seed=1)
    ours_top = cc.bootstrap_replicates(x, "top_share", q=0.1, n_boot=b, seed=1)
    for direct, ours in ((direct_gini, ours_gini), (direct_top, ours_top)):
        sd = direct.std()
        for q in (0.025, 0.5, 0.975):
            assert abs(np.quantile(ours, q) - np.quantile(direct, q)) < 0.25 * sd
        assert abs(ours.mean() - direct.mean()) < 0.1 * sd
        assert sps.ks_2samp(ours, direct).pvalue > 0.001
    ci = cc.bootstrap_ci(x, "gini", n_boot=b, seed=1)
    assert ci == (np.quantile(ours_gini, 0.025), np.quantile(ours_gini, 0.975))


def test_resample_frequencies_is_the_seeded_multinomial():
    # documented draw: default_rng(seed).multinomial(n, freq / n, size=n_boot)
    boot = cc.resample_frequencies([1, 2, 7], n_boot=200, seed=4)
    expected = np.random.default_rng(4).multinomial(10, np.array([1, 2, 7]) / 10, size=200)
    assert boot.shape == (200, 3) and (boot == expected).all() and (boot.sum(axis=1) == 10).all()
    with pytest.raises(ValueError, match="freq="):
        cc.resample_frequencies([1.5, 2], n_boot=200)
    with pytest.raises(ValueError, match="n_boot=99"):
        cc.resample_frequencies([1, 2], n_boot=99)


def test_concentration_table():
    df = pd.DataFrame({"district": ["A"] * 10 + ["B"] * 4, "offences": X + [2, 2, 2, 2]})
    t = cc.concentration_table(df, count="offences", groups=["district"], shares=(0.1,), n_boot=200)
    assert meta_of(t).kind == "summary" and meta_of(t).fact('units') == "offenders"
    row = t.set_index(["district", "statistic"]).loc[("A", "top_10%")]
    assert row.estimate == pytest.approx(0.4) and row["count"] == 25 and row.denominator == 10
    pop = cc.concentration_table(df, count="offences", groups=["district"], population={"A": 20, "B": 4},
                                 shares=(0.1,), n_boot=200)
    assert pop.set_index(["district", "statistic"]).loc[("A", "top_10%"), "estimate"] == pytest.approx(15 / 25)
    assert meta_of(pop).fact('units') == "population"


def test_bad_arguments():
    with pytest.raises(ValueError, match="x=-1"):
        cc.gini([1, -1])
    with pytest.raises(ValueError, match="q=0"):
        cc.top_share(X, 0)
    with pytest.raises(ValueError, match="empty"):
        cc.gini([])
    with pytest.raises(ValueError, match="n_boot=10"):
        cc.bootstrap_ci(X, cc.gini, n_boot=10)
    with pytest.raises(ValueError, match="statistic='mean'"):
        cc.bootstrap_ci(X, "mean")
    with pytest.raises(ValueError, match="needs q="):
        cc.bootstrap_ci(X, "top_share")
    with pytest.raises(ValueError, match="q=2"):
        cc.bootstrap_ci(X, "top_share", q=2)
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
