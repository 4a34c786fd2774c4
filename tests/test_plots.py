"""salto_analysis.plots: intervals, faded uncertain values, suppressed values left out and noted."""

import io
import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from salto_analysis import plots
from salto_analysis.estimates import estimate_table, with_meta
from salto_analysis.policy import Policy, SmallSampleWarning

matplotlib.use("Agg")


def graded(frame, *, groups, kind, min_count=5, **attrs):
    t = estimate_table(frame, groups=groups, kind=kind, measure="test", unit="x", method="hand",
                       confidence_level=0.95, **attrs)
    t.attrs.update({"graded": True, "policy": {"min_count": min_count, "lang": "nb"}})
    return t


@pytest.fixture
def by_age() -> pd.DataFrame:
    # 2 years x 3 age groups; (2025, 15-17) uncertain, (2025, 18-22) suppressed
    return graded(pd.DataFrame({
        "year": [2024, 2024, 2024, 2025, 2025, 2025],
        "age_group": ["10-14", "15-17", "18-22"] * 2,
        "count": [40, 60, 80, 42, 15, np.nan],
        "exposure": [20000.0] * 5 + [np.nan],
        "estimate": [2.0, 3.0, 4.0, 2.1, 0.75, np.nan],
        "ci_low": [1.43, 2.29, 3.17, 1.51, 0.42, np.nan],
        "ci_high": [2.72, 3.86, 4.98, 2.84, 1.24, np.nan],
        "flag": ["ok", "ok", "ok", "ok", "uncertain", "suppressed"],
        "flag_reason": [pd.NA, pd.NA, pd.NA, pd.NA, "C3: ustabilt", "D1: færre enn 5"],
    }), groups=["year", "age_group"], kind="rate", scale=1000)


def figure_texts(fig) -> list[str]:
    texts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.texts]
        texts += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title(loc="left")]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_bar_plot_leaves_out_suppressed_and_fades_uncertain(by_age):
    fig = plots.estimates(by_age, "year", group="age_group", kind="bar", synthetic=False)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 5  # 6 rows, 1 suppressed
    faded = [b for b in bars if b.get_alpha() is not None and b.get_alpha() < 1]
    assert len(faded) == 1 and faded[0].get_hatch() == plots.HATCH
    assert faded[0].get_height() == pytest.approx(0.75)
    texts = figure_texts(fig)
    assert "1 verdi vises ikke: for få eller for usikker." in texts
    assert "År" in texts and "Rate per 1\u00a0000" in texts
    assert "Usikkert (lys, skravert)" in texts and "10–14 år" in texts
    assert "SYNTETISKE DATA" not in texts


def test_error_bars_span_the_interval(by_age):
    fig = plots.estimates(by_age, "age_group", kind="point", synthetic=False,
                          ylabel="Rate")
    ax = fig.axes[0]
    segments = np.concatenate([c.get_segments() for c in ax.collections if hasattr(c, "get_segments")])
    spans = sorted((round(s[:, 1].min(), 2), round(s[:, 1].max(), 2)) for s in segments if len(s) == 2)
    assert (1.43, 2.72) in spans and (0.42, 1.24) in spans
    assert len(spans) == 5


@pytest.mark.parametrize("kind", ["bar", "point"])
def test_bars_at_0_and_100_percent_draw(kind):
    # 0/30 and 30/30 with the Wilson interval (closed forms z^2/(n+z^2) and n/(n+z^2), z = 1.959964),
    # and two limits a rounding error on the wrong side of the estimate (5.6e-17 above 0, 1.1e-16
    # below 1): matplotlib refuses negative error bars, so they must be clipped to 0, not raise.
    z2 = 1.959963984540054**2
    t = graded(pd.DataFrame({
        "group": ["a", "b", "c", "d"],
        "numerator": [0, 30, 0, 10], "denominator": [30, 30, 3, 10],
        "estimate": [0.0, 1.0, 0.0, 1.0],
        "ci_low": [0.0, 30 / (30 + z2), 5.551115123125783e-17, 0.7224672001371107],
        "ci_high": [z2 / (30 + z2), 1.0, 0.5614970317550454, 0.9999999999999999],
        "flag": ["uncertain"] * 4, "flag_reason": ["P0: x"] * 4,
    }), groups=["group"], kind="proportion")
    fig = plots.estimates(t, "group", kind=kind, synthetic=False)
    png_bytes(fig)  # draws
    ax = fig.axes[0]
    segments = [s for c in ax.collections if hasattr(c, "get_segments") for s in c.get_segments()]
    spans = sorted((round(s[:, 1].min(), 4), round(s[:, 1].max(), 4)) for s in segments if len(s) == 2)
    # in percent: (0, 11.35), (88.65, 100), (0, 56.15), (72.25, 100); the rounding errors give zero-length arms
    assert spans == [(0.0, round(100 * z2 / (30 + z2), 4)), (0.0, 56.1497), (72.2467, 100.0),
                     (round(3000 / (30 + z2), 4), 100.0)]


def test_synthetic_banner_from_argument_or_attrs(by_age):
    assert "SYNTHETIC DATA" in figure_texts(plots.estimates(by_age, "year", group="age_group", lang="en",
                                                            synthetic=True))
    by_age = with_meta(by_age, synthetic=True)
    texts = figure_texts(plots.estimates(by_age, "year", group="age_group", kind="line"))
    assert "SYNTETISKE DATA" in texts


def test_english_labels_and_note(by_age):
    texts = figure_texts(plots.estimates(by_age, "year", group="age_group", lang="en", synthetic=False))
    assert "Year" in texts and "Rate per 1,000" in texts and "15–17 years" in texts
    assert "1 value is not shown: too few or too uncertain." in texts


def test_axis_numbers_follow_the_language():
    fmt = plots.NumberFormatter("nb")
    fmt.set_locs([0, 5000, 10000])
    assert [fmt(v) for v in (0, 5000, 10000)] == ["0", "5\u00a0000", "10\u00a0000"]
    fmt.set_locs([0, 0.5, 1.0])
    assert [fmt(v) for v in (0, 0.5, 1.0)] == ["0,0", "0,5", "1,0"]
    en = plots.NumberFormatter("en")
    en.set_locs([0.25, 0.5])
    assert en(0.25) == "0.25" and en(12000) == "12,000.00"


def test_figures_are_small(by_age):
    fig = plots.estimates(by_age, "year", group="age_group")
    assert fig.dpi == plots.DPI == 100
    assert len(png_bytes(fig)) < 150_000


def test_estimates_bad_arguments(by_age):
    with pytest.raises(ValueError, match="kind='pie'"):
        plots.estimates(by_age, "year", kind="pie")
    with pytest.raises(ValueError, match="x='month'"):
        plots.estimates(by_age, "month")
    with pytest.raises(ValueError, match="person_id"):
        plots.estimates(by_age.assign(person_id="p"), "year")
    with pytest.raises(ValueError, match="no valid flag"):
        plots.estimates(by_age.assign(flag=pd.NA), "year")


# --------------------------------------------------------------------------- funnel


def poisson_cdf(r: int, lam: float) -> float:
    return sum(math.exp(-lam) * lam**k / math.factorial(k) for k in range(r + 1))


def test_funnel_limits_by_hand():
    # Reference 1 per 1,000 and a population of 10,000: expected count lambda = 10.
    # Spiegelhalter (2005): r_p = smallest r with F(r) >= p, alpha = (F(r_p)-p)/(F(r_p)-F(r_p-1)),
    # limit = (r_p - alpha) / n.  Poisson(10) table: F(3)=0.01034, F(4)=0.02925,
    # F(16)=0.97296, F(17)=0.98572, F(20)=0.99841, F(21)=0.99930.
    assert poisson_cdf(4, 10) == pytest.approx(0.02925, abs=5e-6)
    assert poisson_cdf(17, 10) == pytest.approx(0.98572, abs=5e-6)
    lo95 = 4 - (poisson_cdf(4, 10) - 0.025) / (poisson_cdf(4, 10) - poisson_cdf(3, 10))  # 3.7752
    hi95 = 17 - (poisson_cdf(17, 10) - 0.975) / (poisson_cdf(17, 10) - poisson_cdf(16, 10))  # 16.160
    hi998 = 21 - (poisson_cdf(21, 10) - 0.999) / (poisson_cdf(21, 10) - poisson_cdf(20, 10))  # 20.66
    assert lo95 == pytest.approx(3.7752, abs=1e-3) and hi95 == pytest.approx(16.160, abs=1e-3)
    low, high = plots.funnel_limits(0.001, [10000.0], 0.95)
    assert low[0] == pytest.approx(lo95 / 10000, rel=1e-9)
    assert high[0] == pytest.approx(hi95 / 10000, rel=1e-9)
    _, high998 = plots.funnel_limits(0.001, [10000.0], 0.998)
    assert high998[0] == pytest.approx(hi998 / 10000, rel=1e-9)
    assert hi998 == pytest.approx(20.66, abs=0.01)


def test_funnel_limits_narrow_with_population_and_bad_arguments():
    low, high = plots.funnel_limits(0.01, [1000.0, 10000.0, 100000.0])
    assert np.all(np.diff(high) < 0) and np.all(np.diff(low) > 0)
    assert np.all(low < 0.01) and np.all(high > 0.01)
    with pytest.raises(ValueError, match="reference_rate=0"):
        plots.funnel_limits(0, [100.0])
    with pytest.raises(ValueError, match="confidence_level=95"):
        plots.funnel_limits(0.01, [100.0], 95)
    with pytest.raises(ValueError, match="exposure"):
        plots.funnel_limits(0.01, [0.0])


@pytest.fixture
def district_rates() -> pd.DataFrame:
    return graded(pd.DataFrame({
        "district": ["Gamle Oslo", "Sagene", "Alna", "Marka"],
        "count": [120, 80, 18, np.nan],
        "exposure": [8000.0, 6000.0, 9000.0, np.nan],
        "estimate": [15.0, 13.333, 2.0, np.nan],
        "ci_low": [12.4, 10.6, 1.2, np.nan],
        "ci_high": [17.9, 16.6, 3.2, np.nan],
        "flag": ["ok", "ok", "uncertain", "suppressed"],
        "flag_reason": [pd.NA, pd.NA, "C3: ustabilt", "D1: færre enn 5"],
    }), groups=["district"], kind="rate", scale=1000)


def test_funnel_plot(district_rates):
    fig = plots.funnel(district_rates, reference=10.0, label="district", synthetic=True)
    ax = fig.axes[0]
    texts = figure_texts(fig)
    assert "Referanse (10,0)" in texts and "95 % kontrollgrense" in texts and "99,8 % kontrollgrense" in texts
    assert "Befolkning" in texts and "SYNTETISKE DATA" in texts
    assert "1 verdi vises ikke: for få eller for usikker." in texts
    assert {"Gamle Oslo", "Sagene", "Alna"} <= set(texts) and "Marka" not in texts
    # the 95% upper limit line at the largest population is the hand-checked function's value
    line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"][1]
    x, y = line.get_data()
    assert y[-1] == pytest.approx(plots.funnel_limits(0.01, [x[-1]], 0.95)[1][0] * 1000)


def test_funnel_default_reference_is_pooled_rate_of_shown_rows(district_rates):
    fig = plots.funnel(district_rates, lang="en")
    # (120 + 80 + 18) / (8000 + 6000 + 9000) * 1000 = 218 / 23000 * 1000 = 9.478...
    assert "Reference (9.5)" in figure_texts(fig)


# --------------------------------------------------------------------------- survival


@pytest.fixture
def km() -> pd.DataFrame:
    # cumulative re-registration by sex; girls: row at day 365 suppressed, day 270 uncertain
    return graded(pd.DataFrame({
        "sex": ["female"] * 4 + ["male"] * 4,
        "time": [90, 180, 270, 365] * 2,
        "n_at_risk": [100, 40, 12, np.nan, 120, 60, 30, 4],
        "denominator": [150, 150, 150, np.nan, 160, 160, 160, 160],  # persons in the group
        "estimate": [0.10, 0.20, 0.25, np.nan, 0.12, 0.25, 0.33, 0.40],
        "ci_low": [0.05, 0.13, 0.16, np.nan, 0.07, 0.18, 0.25, 0.30],
        "ci_high": [0.16, 0.28, 0.36, np.nan, 0.18, 0.33, 0.42, 0.51],
        "flag": ["ok", "ok", "uncertain", "suppressed", "ok", "ok", "ok", "uncertain"],
        "flag_reason": [pd.NA, pd.NA, "S2: x", "S1: y", pd.NA, pd.NA, pd.NA, "S2: x"],
    }), groups=["sex", "time"], kind="summary")


def test_survival_plot_stops_at_suppressed_and_hides_small_at_risk(km):
    fig = plots.survival(km, group="sex", start=0.0, at_times=[0, 90, 180, 270, 365], percent=True,
                         synthetic=False, ylabel="Andel registrert på nytt (%)")
    curve, risk = fig.axes
    texts = figure_texts(fig)
    assert "Antall i risiko" in texts
    risk_texts = [t.get_text() for t in risk.texts]
    # at time 0 everyone in the group is at risk: 150 girls and 160 boys (the denominator), not the
    # first row's 100 and 120 (the number still at risk on day 90);
    # girls: 150 100 40 12 ':' (suppressed row) ; boys: 160 120 60 30 ':' (4 is below min_count 5)
    assert risk_texts == ["150", "100", "40", "12", ":", "160", "120", "60", "30", ":"]
    assert "1 verdi vises ikke: for få eller for usikker." in texts
    # no line reaches 365 for the girls: the highest y of a girls' segment is 25 %
    girls = [ln for ln in curve.get_lines() if ln.get_color() == plots.PALETTE[0]]
    assert max(max(ln.get_ydata()) for ln in girls) == pytest.approx(25.0)
    assert any(ln.get_linestyle() == "--" for ln in girls)  # the uncertain step is dashed


def test_survival_plot_of_a_persistence_table():
    # R survival example (statsmodels' duration/tests/test_survfunc.py): times (3,1,2,3,2,1,5,3),
    # events (0,1,1,1,0,0,1,0) -> n at risk 8, 6, 4, 1 at t = 1, 2, 3, 5 (R's n.risk).
    from salto_analysis import persistence, reliability

    data = pd.DataFrame({"days": [3, 1, 2, 3, 2, 1, 5, 3], "event": [0, 1, 1, 1, 0, 0, 1, 0]})
    km = persistence.kaplan_meier(data, time="days", event="event")
    show_all = Policy(min_count=1, min_units=0, min_events=0, min_at_risk=0)
    with pytest.warns(SmallSampleWarning):  # fewer than 20 events: uncertain (C3)
        graded_km = reliability.grade(km, show_all)
    fig = plots.survival(graded_km, start=0.0, at_times=[0, 1, 2, 3, 5], synthetic=False)
    curve, risk = fig.axes
    # at 0: all 8 persons (the denominator)
    assert [t.get_text() for t in risk.texts] == ["8", "8", "6", "4", "1"]
    # a cumulative share (unit "proportion") is drawn in percent; 1 - S(5) = 1 - 0 = 100 %
    assert max(max(ln.get_ydata()) for ln in curve.get_lines()) == pytest.approx(100.0)


def test_survival_without_denominator_shows_no_number_at_time_0(km):
    # the number at risk at the start is unknown without the group size: nothing, not day 90's 100
    fig = plots.survival(km.drop(columns="denominator"), group="sex", start=0.0, at_times=[0, 90, 180],
                         synthetic=False)
    risk = fig.axes[1]
    assert [(t.get_position()[0], t.get_text()) for t in risk.texts] == [
        (90, "100"), (180, "40"), (90, "120"), (180, "60")]


def _all_suppressed(frame, groups, kind, **attrs):
    numbers = [c for c in frame.columns if c not in (*groups, "flag", "flag_reason")]
    frame = frame.assign(**{c: np.nan for c in numbers}, flag="suppressed", flag_reason="D1: færre enn 5")
    return graded(frame, groups=groups, kind=kind, **attrs)


@pytest.mark.parametrize("kind", ["bar", "line", "point"])
def test_panel_with_every_value_suppressed_says_so_without_warnings(by_age, kind):
    import warnings

    hidden = _all_suppressed(pd.DataFrame(by_age), ["year", "age_group"], "rate", scale=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "All-NaN axis encountered" was raised here
        fig = plots.estimates(hidden, "year", group="age_group", kind=kind, synthetic=False)
        png_bytes(fig)
    texts = figure_texts(fig)
    assert "Ingen verdier kan vises her: alle er for få eller for usikre." in texts
    assert "6 verdier vises ikke: for få eller for usikre." in texts


def test_survival_and_funnel_with_every_value_suppressed_say_so(km, district_rates):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.survival(_all_suppressed(pd.DataFrame(km), ["sex", "time"], "summary"), group="sex",
                             start=0.0, at_times=[0, 90], lang="en", synthetic=False)
        png_bytes(fig)
        assert "No value can be shown here: all are too few or too uncertain." in figure_texts(fig)
        assert [t.get_text() for t in fig.axes[1].texts] == [":", ":", ":", ":"]
        fig = plots.funnel(_all_suppressed(pd.DataFrame(district_rates), ["district"], "rate", scale=1000),
                           reference=10.0, lang="en", synthetic=False)
        png_bytes(fig)
        assert "No value can be shown here: all are too few or too uncertain." in figure_texts(fig)


def test_survival_bad_arguments(km):
    with pytest.raises(ValueError, match="time='days'"):
        plots.survival(km, time="days")
    with pytest.raises(ValueError, match="min_count=0"):
        plots.survival(km, min_count=0)
