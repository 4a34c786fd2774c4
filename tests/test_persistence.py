"""Tests of salto_analysis.persistence against R survival."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import persistence
from salto_analysis.estimates import meta_of

R = pd.read_csv(Path(__file__).parent / "fixtures" / "stats" / "r_reference.csv").set_index("name")["value"]

# R survival, quoted in statsmodels duration/tests/test_survfunc.py [R-out]
G1 = pd.DataFrame({"t": [3, 1, 2, 3, 2, 1, 5, 3], "e": [0, 1, 1, 1, 0, 0, 1, 0]})
G2 = pd.DataFrame({"t": [1, 1, 2, 3, 7, 1, 5, 3, 9], "e": [0, 1, 0, 0, 1, 0, 1, 0, 1]})


def test_km_matches_r_survival():
    t = persistence.kaplan_meier(G1, time="t", event="e", cumulative=False)
    assert t.time.tolist() == [1, 2, 3, 5]
    assert t.estimate.tolist() == pytest.approx([0.8750000, 0.7291667, 0.5468750, 0], abs=1e-7)
    assert t.se[:3].tolist() == pytest.approx([0.1169268, 0.1649762, 0.2005800], abs=1e-7)
    assert t.n_at_risk.tolist() == [8, 6, 4, 1]
    # log-log limits from R survfit(conf.type = "log-log") [R-out]; NA at S = 0
    for i, time in enumerate([1, 2, 3]):
        assert (t.ci_low[i], t.ci_high[i]) == pytest.approx(
            (R[f"km.loglog.{time}.low"], R[f"km.loglog.{time}.high"]), rel=1e-8)
    assert np.isnan(t.ci_low[3])
    g2 = persistence.kaplan_meier(G2, time="t", event="e", cumulative=False)
    assert g2.estimate.tolist() == pytest.approx([0.8888889, 0.5925926, 0.2962963, 0], abs=1e-7)


def test_km_freireich_6mp():
    # Freireich 6-MP arm [PUB/CROSS]; + = censored
    times = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    event = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    t = persistence.kaplan_meier(pd.DataFrame({"t": times, "e": event}), time="t", event="e", cumulative=False)
    ref = {6: (0.8571, 0.0764), 7: (0.8067, 0.0869), 10: (0.7529, 0.0963), 13: (0.6902, 0.1068),
           16: (0.6275, 0.1141), 22: (0.5378, 0.1282), 23: (0.4482, 0.1346)}
    got = t.set_index("time")
    for time, (s, se) in ref.items():
        assert got.loc[time, "estimate"] == pytest.approx(s, abs=5e-5)
        assert got.loc[time, "se"] == pytest.approx(se, abs=5e-5)


def test_km_grid_cumulative_and_groups():
    d = pd.concat([G1.assign(g="a"), G2.assign(g="b")], ignore_index=True)
    t = persistence.kaplan_meier(d, time="t", event="e", by="g", times=[0, 2, 4, 10])
    a = t[t.g == "a"].reset_index(drop=True)
    # by hand for group a: S(0) = 1, S(2) = 0.7291667, S(4) = 0.546875, S(10) = 0
    assert a.estimate.tolist() == pytest.approx([0, 1 - 0.7291667, 1 - 0.546875, 1], abs=1e-7)
    assert a.n_at_risk.tolist() == [8, 6, 1, 0]       # times >= t
    assert a.numerator.tolist() == [0, 2, 3, 4]        # events up to t
    assert a.events.tolist() == [0, 2, 1, 1]           # events in (previous, t]
    assert (a.denominator == 8).all()
    assert meta_of(t).kind == "summary" and list(meta_of(t).groups) == ["g", "time"]
    # cumulative limits are 1 - the survival limits, swapped
    s = persistence.kaplan_meier(G1, time="t", event="e", times=[2], cumulative=False)
    c = persistence.kaplan_meier(G1, time="t", event="e", times=[2])
    assert c.ci_low[0] == pytest.approx(1 - s.ci_high[0]) and c.ci_high[0] == pytest.approx(1 - s.ci_low[0])


def test_km_other_interval_types_by_hand():
    s = persistence.kaplan_meier(G1, time="t", event="e", times=[1], cumulative=False, conf_type="plain")
    z = 1.959963984540054
    assert (s.ci_low[0], s.ci_high[0]) == pytest.approx((0.875 - z * 0.1169268, 1.0), abs=1e-7)
    lg = persistence.kaplan_meier(G1, time="t", event="e", times=[1], cumulative=False, conf_type="log")
    assert lg.ci_low[0] == pytest.approx(0.875 * np.exp(-z * 0.1169268 / 0.875), abs=1e-7)


def test_logrank_matches_r_survdiff():
    d = pd.concat([G1.assign(g=1), G2.assign(g=2)], ignore_index=True)
    r = persistence.logrank(d, time="t", event="e", group="g")
    assert r.statistic == pytest.approx(R["survdiff.chisq"], rel=1e-9)
    assert r.p_value == pytest.approx(R["survdiff.p"], rel=1e-9) and r.df == 1


def test_bad_arguments_and_missing_rows():
    with pytest.raises(ValueError, match="event column 'e' must be 0/1"):
        persistence.kaplan_meier(G1.assign(e=G1.e * 2), time="t", event="e")
    with pytest.raises(ValueError, match="negative"):
        persistence.kaplan_meier(G1.assign(t=-G1.t), time="t", event="e")
    with pytest.raises(ValueError, match="conf_type='arcsine'"):
        persistence.kaplan_meier(G1, time="t", event="e", conf_type="arcsine")
    with pytest.raises(ValueError, match=r"\['x'\]"):
        persistence.kaplan_meier(G1, time="x", event="e")
    with pytest.raises(ValueError, match="at least two groups"):
        persistence.logrank(G1.assign(g=1), time="t", event="e", group="g")
    d = pd.concat([G1, pd.DataFrame({"t": [np.nan], "e": [1]})], ignore_index=True)
    assert meta_of(persistence.kaplan_meier(d, time="t", event="e")).fact("excluded") == {"missing_time_or_event": 1}


EDGE = pd.read_csv(Path(__file__).parent / "fixtures" / "stats" / "r_edge_cases.csv").set_index("name")["value"]
KM5 = pd.DataFrame({"t": [1, 2, 3, 4, 5], "e": [0, 1, 0, 1, 1]})


@pytest.mark.parametrize("conf_type", persistence.CONF_TYPES)
def test_km_interval_is_1_1_before_the_first_event(conf_type):
    # R: summary(survfit(Surv(t, e) ~ 1, conf.type = "log-log"), times = c(0.5, 2, 6), extend = TRUE)
    # [R-out, r_edge_cases.csv]: (1, 1) at S = 1 (time 0.5), R's limits at S = 0.75, NA at S = 0 (time 6).
    # At time 1 (a censoring before the first event, S still 1, SE 0) we give (1, 1) as well.
    s = persistence.kaplan_meier(KM5, time="t", event="e", times=[0.5, 1, 2, 6], cumulative=False,
                                 conf_type=conf_type)
    assert s.estimate.tolist() == [EDGE["km.0.5.surv"], 1.0, EDGE["km.2.surv"], EDGE["km.6.surv"]]
    assert (s.ci_low[0], s.ci_high[0]) == (EDGE["km.0.5.low"], EDGE["km.0.5.high"]) == (1.0, 1.0)
    assert (s.ci_low[1], s.ci_high[1]) == (1.0, 1.0)
    if conf_type == "log-log":
        assert (s.ci_low[2], s.ci_high[2]) == pytest.approx((EDGE["km.2.low"], EDGE["km.2.high"]), rel=1e-8)
        assert np.isnan(EDGE["km.6.low"]) and np.isnan(s.ci_low[3]) and np.isnan(s.ci_high[3])
    c = persistence.kaplan_meier(KM5, time="t", event="e", times=[0.5], conf_type=conf_type)
    assert (c.estimate[0], c.ci_low[0], c.ci_high[0]) == (0.0, 0.0, 0.0)  # cumulative share: 1 - S


def test_logrank_without_events_is_zero_with_missing_p():
    # R survdiff(Surv(c(1, 2, 3, 4), c(0, 0, 0, 0)) ~ c(1, 1, 2, 2)): chisq 0, pvalue NaN [R-out]
    # (statsmodels raised LinAlgError on the singular variance)
    d = pd.DataFrame({"t": [1, 2, 3, 4], "e": [0, 0, 0, 0], "g": [1, 1, 2, 2]})
    r = persistence.logrank(d, time="t", event="e", group="g")
    assert r.statistic == EDGE["survdiff.censored.chisq"] == 0
    assert np.isnan(r.p_value) and np.isnan(EDGE["survdiff.censored.p"]) and r.df == 1
