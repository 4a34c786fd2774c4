"""salto_analysis.plots: intervals, uncertain values drawn as the legend says, suppressed values left out
and noted, and the accessibility of every figure (alt text and data from the plotted numbers, series apart
without colour, no overlapping text, sharp and readable sizes)."""

import io
import math
import re

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
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
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


def test_bar_plot_leaves_out_suppressed_and_draws_uncertain_light_and_hatched(by_age):
    fig = plots.estimates(by_age, "year", group="age_group", kind="bar", synthetic=False)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 5  # 6 rows, 1 suppressed
    hatched = [b for b in bars if plots.HATCH in (b.get_hatch() or "")]
    assert len(hatched) == 1 and hatched[0].get_height() == pytest.approx(0.75)
    # light (a tint of the series colour, opaque) and hatched in a dark colour: visible, as the legend says
    face = hatched[0].get_facecolor()
    assert face[3] == 1 and min(face[:3]) > 0.6
    assert max(hatched[0].get_hatchcolor()[:3]) < 0.3
    texts = figure_texts(fig)
    assert "1 verdi vises ikke: for få eller for usikker." in texts
    assert "År" in texts and "Rate per 1\u00a0000" in texts
    assert "Usikkert (lys, skravert)" in texts and "10–14 år" in texts
    assert "SYNTETISKE DATA" not in texts
    legend_hatches = [h.get_hatch() for h in fig.legends[0].legend_handles if hasattr(h, "get_hatch")]
    assert plots.HATCH in legend_hatches


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


def test_figures_are_sharp_at_2x_and_small(by_age):
    from PIL import Image

    fig = plots.estimates(by_age, "year", group="age_group", kind="point")
    assert fig.dpi == plots.DPI == 100 and plots.SCALE == 2 and plots.FIGSIZE == (5.6, 3.6)
    # 3 series + interval + uncertain = 5 legend entries in 2 columns: 3 rows, one more than the figure
    # has room for, so it grows by one legend row (10 pt x 1.75 = 17.5 pt)
    assert fig.get_size_inches() == pytest.approx((5.6, 3.6 + 17.5 / 72))
    data = fig.png(captions=False)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1120, int(2 * 100 * (3.6 + 17.5 / 72)))  # 2 image pixels per CSS pixel
    assert len(data) < 60_000
    html = fig.to_html()
    assert f'width="560" height="{round(100 * (3.6 + 17.5 / 72))}"' in html and "max-width:100%" in html


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
    line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--" and len(ln.get_xdata()) > 2][1]
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
    assert max(max(ln.get_xdata()) for ln in girls) == pytest.approx(270.0)
    # the uncertain step (day 270, 25 %) carries an open symbol: white face, dark edge
    open_marks = [ln for ln in curve.get_lines() if ln.get_markerfacecolor() == "white"]
    assert [(list(ln.get_xdata()), list(ln.get_ydata())) for ln in open_marks] == [([270.0], [25.0]), ([365.0], [40.0])]


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


# --------------------------------------------------------------------------- accessibility
#
# Alt text and data table (WCAG 2.1 1.1.1, ONS chart guidance): the expected sentences are written
# by hand from the fixtures' numbers (rates with 1 decimal: 0.75 -> "0,8"), never from the code.


def test_line_alt_text_from_the_plotted_numbers(by_age):
    fig = plots.estimates(by_age, "year", group="age_group", kind="line", synthetic=False)
    assert fig.alt_text == (
        "Linjediagram: rate per 1\u00a0000, etter år og aldersgruppe. År fra 2024 til 2025. "
        "10–14 år: fra 2,0 (2024) til 2,1 (2025). 15–17 år: fra 3,0 (2024) til 0,8 (2025). "
        "18–22 år: 4,0 (2024). Verdiene går fra 0,8 til 4,0. "
        "Usikre verdier (1) er tegnet med åpne symboler. 1 verdi vises ikke: for få eller for usikker. "
        "Tallene står i tabellen under figuren.")
    en = plots.estimates(by_age, "year", group="age_group", kind="line", lang="en", title="Suspects per 1,000",
                         synthetic=False)
    assert en.alt_text == (
        "Line chart: suspects per 1,000, by year and age group. Year from 2024 to 2025. "
        "10–14 years: from 2.0 (2024) to 2.1 (2025). 15–17 years: from 3.0 (2024) to 0.8 (2025). "
        "18–22 years: 4.0 (2024). Values range from 0.8 to 4.0. "
        "Uncertain values (1) are drawn as open symbols. 1 value is not shown: too few or too uncertain. "
        "The numbers are in the table below the figure.")


def test_bar_alt_text_lists_few_values_and_names_extremes_of_many(by_age):
    fig = plots.estimates(by_age, "year", group="age_group", kind="bar", synthetic=False)
    assert fig.alt_text == (
        "Stolpediagram: rate per 1\u00a0000, etter år og aldersgruppe. 10–14 år: 2,0 (2024); 2,1 (2025). "
        "15–17 år: 3,0 (2024); 0,8 (2025). 18–22 år: 4,0 (2024). Verdiene går fra 0,8 til 4,0. "
        "Usikre verdier (1) er tegnet lyse og skraverte. 1 verdi vises ikke: for få eller for usikker. "
        "Tallene står i tabellen under figuren.")
    # 8 values in one series: the highest and the lowest, not all of them
    many = graded(pd.DataFrame({"age": [f"a{k}" for k in range(8)], "count": [10] * 8, "exposure": [1000.0] * 8,
                                "estimate": [1.0, 5.0, 2.0, 9.5, 3.0, 0.5, 4.0, 6.0],
                                "ci_low": [0.5] * 8, "ci_high": [10.0] * 8, "flag": ["ok"] * 8,
                                "flag_reason": [pd.NA] * 8}), groups=["age"], kind="rate", scale=1000)
    text = plots.estimates(many, "age", kind="point", synthetic=False, title="Test").alt_text
    assert text.startswith("Punktdiagram: test, etter alder. Høyest 9,5 (a3), lavest 0,5 (a5). Verdiene går fra 0,5 "
                           "til 9,5.")


def test_data_table_holds_the_plotted_numbers_with_colon_for_hidden(by_age):
    fig = plots.estimates(by_age, "year", group="age_group", kind="bar", synthetic=False)
    assert fig.data.columns == ["Aldersgruppe", "År", "Rate per 1\u00a0000", "95 % KI", "Merknad"]
    assert fig.data.rows == [
        ["10–14 år", "2024", "2,0", "1,4–2,7", ""],
        ["10–14 år", "2025", "2,1", "1,5–2,8", ""],
        ["15–17 år", "2024", "3,0", "2,3–3,9", ""],
        ["15–17 år", "2025", "0,8", "0,4–1,2", "usikker"],
        ["18–22 år", "2024", "4,0", "3,2–5,0", ""],
        ["18–22 år", "2025", ":", ":", "vises ikke"],
    ]
    assert fig.data.notes == ["«:» betyr at tallet ikke vises: for få eller for usikkert."]


def test_html_figure_has_alt_text_caption_and_folded_table(by_age):
    import html as html_

    fig = plots.estimates(by_age, "year", group="age_group", kind="line", title="Mistenkte <10–22>",
                          synthetic=True)
    page = fig.to_html()
    assert page.startswith('<figure class="salto-figure"') and page.endswith("</figure>")
    assert "No description has been provided" not in page
    alt = re.search(r'<img [^>]*alt="([^"]*)"', page).group(1)
    assert html_.unescape(alt) == fig.alt_text and alt.startswith("Linjediagram: mistenkte &lt;10–22&gt;")
    assert "<figcaption" in page and "Mistenkte &lt;10–22&gt;</figcaption>" in page
    assert re.search(r'<details[^>]*><summary>Tallene i figuren</summary><div [^>]*tabindex="0"[^>]*><table', page)
    assert page.count("<tr>") == 1 + 6 and '<th scope="col"' in page
    # the title and the note are HTML text beside the image, so they are not drawn in it
    assert "1 verdi vises ikke: for få eller for usikker." in page
    assert len(fig.png(captions=False)) != len(fig.png(captions=True))
    assert fig.axes[0].get_title(loc="left") == "Mistenkte <10–22>"  # still on the figure (for other front ends)


def test_notebook_display_gives_html_png_and_plain_text_once(by_age):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    fig = plots.estimates(by_age, "year", group="age_group", kind="point", synthetic=False)
    InteractiveShell.instance()
    with capture_output() as captured:
        from IPython.display import display

        display(fig)
    (output,) = captured.outputs
    assert output.data["text/html"].startswith("<figure") and 'alt="Punktdiagram' in output.data["text/html"]
    png = output.data["image/png"]  # for front ends without HTML, shown at the figure's CSS size
    assert png in output.data["text/html"]  # the same image as in the HTML: rendered once
    assert output.metadata["image/png"] == {"width": 560, "height": fig.css_size()[1]}
    assert output.data["text/plain"] == fig.alt_text
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"  # other tools: a PNG with the title drawn


def test_funnel_alt_text_names_the_units_outside_the_limits(district_rates):
    # Reference 10 per 1,000. Gamle Oslo: 15.0 at 8,000 (expected 80; the 99.8 % upper limit is about
    # 80 + 3.09 * sqrt(80) = 108 -> 13.5 per 1,000): above. Alna: 2.0 at 9,000 (expected 90, lower limit
    # about 90 - 3.09 * sqrt(90) = 61 -> 6.8): below. Sagene: 13.3 at 6,000 (95 % upper about
    # 60 + 1.96 * sqrt(60) = 75 -> 12.5; 99.8 % upper about 84 -> 14.0): between the two.
    fig = plots.funnel(district_rates, reference=10.0, label="district", synthetic=False)
    assert fig.alt_text == (
        "Traktdiagram: rate per 1\u00a0000 mot befolkning, 3 punkter, med referanse 10,0 og kontrollgrenser på "
        "95 % og 99,8 %. Over den øvre 99,8 %-grensen: Gamle Oslo. Under den nedre 99,8 %-grensen: Alna. "
        "De øvrige ligger innenfor 99,8 %-grensene. Verdiene går fra 2,0 til 15,0. "
        "Usikre verdier (1) er tegnet med åpne symboler. 1 verdi vises ikke: for få eller for usikker. "
        "Tallene står i tabellen under figuren.")
    assert [r[0] for r in fig.data.rows] == ["Gamle Oslo", "Sagene", "Alna", "Marka"]
    assert [r[4] for r in fig.data.rows] == ["over 99,8 %-grensen", "over 95 %-grensen", "under 99,8 %-grensen", ":"]
    assert fig.data.rows[1][:4] == ["Sagene", "6\u00a0000", "13,3", "10,6–16,6"]
    assert fig.data.rows[3][1:] == [":", ":", ":", ":", "vises ikke"]


def test_survival_alt_text_and_data(km):
    fig = plots.survival(km, group="sex", start=0.0, at_times=[0, 90, 180, 270, 365], percent=True,
                         synthetic=False, ylabel="Andel registrert på nytt (%)")
    assert fig.alt_text == (
        "Trappekurve: andel registrert på nytt (%), etter tid, fra 0 til 365. "
        "Ved siste viste tid: jente/kvinne: 25,0\u00a0% (270); gutt/mann: 40,0\u00a0% (365). "
        "Usikre verdier (2) er tegnet med åpne symboler. 1 verdi vises ikke: for få eller for usikker. "
        "Tallene står i tabellen under figuren.")
    rows = fig.data.rows
    assert rows[0] == ["jente/kvinne", "0", "0,0", "0,0–0,0", "150", ""]
    assert rows[3] == ["jente/kvinne", "270", "25,0", "16,0–36,0", "12", "usikker"]
    assert rows[4] == ["jente/kvinne", "365", ":", ":", ":", "vises ikke"]
    assert rows[9] == ["gutt/mann", "365", "40,0", "30,0–51,0", ":", "usikker"]


def test_reference_line_joins_legend_alt_text_and_data(by_age):
    fig = plots.estimates(by_age, "age_group", kind="point", synthetic=False)
    plots.add_reference(fig, 2.5, low=2.0, high=3.1, label="Hele byen")
    assert "Hele byen" in figure_texts(fig)
    assert "Hele byen: 2,5 (2,0–3,1)." in fig.alt_text and fig.data.notes[0] == "Hele byen: 2,5 (2,0–3,1)."


# Not colour alone (WCAG 1.4.1): series differ by marker and line style or by fill pattern.


def four_series() -> pd.DataFrame:
    rows = [(y, g, 10 + 5 * k + (y - 2020)) for k, g in enumerate(["10-14", "15-17", "18-22", "total"])
            for y in range(2020, 2024)]
    return graded(pd.DataFrame({
        "year": [r[0] for r in rows], "age_group": [r[1] for r in rows], "count": [50] * len(rows),
        "exposure": [5000.0] * len(rows), "estimate": [float(r[2]) for r in rows],
        "ci_low": [r[2] - 1.0 for r in rows], "ci_high": [r[2] + 1.0 for r in rows],
        "flag": ["ok"] * len(rows), "flag_reason": [pd.NA] * len(rows)}), groups=["year", "age_group"], kind="rate",
        scale=1000)


def test_series_have_distinct_markers_line_styles_and_patterns(by_age):
    fig = plots.estimates(four_series(), "year", group="age_group", kind="line", synthetic=False)
    series = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() not in ("None", None, "")]
    styles = {(ln.get_marker(), str(ln.get_linestyle())) for ln in series if len(ln.get_xdata()) == 4}
    assert len(styles) == 4
    legend = [(h.get_marker(), str(h.get_linestyle())) for h in fig.legends[0].legend_handles[:4]]
    assert len(set(legend)) == 4
    bars = plots.estimates(four_series(), "year", group="age_group", kind="bar", synthetic=False)
    patterns = {p.get_hatch() for p in bars.axes[0].patches}
    assert patterns == {None, "..", "--", "||"}


# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", IEEE TVCG 15(6):1291-1298: deuteranopia (severity 1.0), on linear RGB.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])


def simulate_deuteranopia(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` (h x w x 3, 0..1 sRGB) as seen with deuteranopia (sRGB, 0..1)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(linear @ DEUTERANOPIA.T, 0, 1)
    return np.where(seen <= 0.0031308, seen * 12.92, 1.055 * seen ** (1 / 2.4) - 0.055)


def legend_keys_as_seen(fig) -> list[np.ndarray]:
    """The legend keys of the first four series, rendered at 2x and seen with deuteranopia, as ink masks
    (pixels that differ from the white background)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(plots.DPI * plots.SCALE)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    grey = simulate_deuteranopia(image) @ np.array([0.2126, 0.7152, 0.0722])
    renderer = canvas.get_renderer()
    masks = []
    height = image.shape[0]
    for handle in fig.legends[0].legend_handles[:4]:
        box = handle.get_window_extent(renderer)
        x0, x1 = int(box.x0) - 2, int(box.x1) + 2
        y0, y1 = height - int(box.y1) - 6, height - int(box.y0) + 6  # the marker is taller than the line
        masks.append(grey[y0:y1, x0:x1] < 0.97)
    fig.set_dpi(plots.DPI)
    return masks


def aligned_iou(a: np.ndarray, b: np.ndarray, shift: int = 3) -> float:
    """Intersection over union of two masks at their best alignment (shifts up to ``shift`` pixels), so that
    sub-pixel placement of two identical keys does not count as a difference."""
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w], b[:h, :w]
    best = 0.0
    for dy in range(-shift, shift + 1):
        for dx in range(-shift, shift + 1):
            moved = np.roll(np.roll(b, dy, 0), dx, 1)
            best = max(best, float((a & moved).sum() / max((a | moved).sum(), 1)))
    return best


def test_series_stay_apart_under_deuteranopia_by_shape():
    # seen with deuteranopia the orange and vermillion series are both a dull yellow; what tells the
    # series apart is the shape of their keys (marker and line style): no two keys coincide
    masks = legend_keys_as_seen(plots.estimates(four_series(), "year", group="age_group", kind="line",
                                                synthetic=False))
    assert all(m.sum() > 50 for m in masks)
    overlaps = [aligned_iou(masks[i], masks[j]) for i in range(4) for j in range(i + 1, 4)]
    assert max(overlaps) < 0.8, overlaps


def test_the_deuteranopia_check_catches_colour_only_series():
    # negative control: four keys told apart by colour alone coincide in shape
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=plots.FIGSIZE, dpi=plots.DPI)
    plt.close(fig)
    ax = fig.add_subplot()
    lines = [ax.plot([0, 1], [k, k + 1], color=plots.PALETTE[k], label=str(k), linewidth=1.8)[0] for k in range(4)]
    fig.legend(handles=lines)
    masks = legend_keys_as_seen(fig)
    assert min(aligned_iou(masks[i], masks[j]) for i in range(4) for j in range(i + 1, 4)) > 0.9


def test_uncertain_point_is_a_large_open_symbol_that_shows(by_age):
    # 15-17 in 2025 is uncertain: a white-filled symbol with a 2-pt dark edge, bigger than the others
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.estimates(by_age, "year", group="age_group", kind="point", synthetic=False)
    ax = fig.axes[0]
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() == "white" and len(ln.get_xdata())]
    solid = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() != "white" and len(ln.get_xdata())
             and ln.get_marker() not in ("None", "")]
    assert len(hollow) == 1 and list(hollow[0].get_ydata()) == [0.75]
    assert hollow[0].get_markersize() > max(ln.get_markersize() for ln in solid)
    assert hollow[0].get_markeredgewidth() >= 2 and hollow[0].get_alpha() in (None, 1)
    # in the picture: a dark ring around a white centre
    fig.set_dpi(plots.DPI * plots.SCALE)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    x, y = ax.transData.transform((hollow[0].get_xdata()[0], 0.75))
    row, col = image.shape[0] - int(round(y)), int(round(x))
    linear = np.where(image <= 0.04045, image / 12.92, ((image + 0.055) / 1.055) ** 2.4)
    luminance = linear @ np.array([0.2126, 0.7152, 0.0722])  # WCAG relative luminance
    radius = int(hollow[0].get_markersize() / 2 * fig.dpi / 72)
    ring = luminance[row - radius - 2:row + radius + 3, col - radius - 2:col + radius + 3]
    assert 1.05 / (ring.min() + 0.05) >= 3.0  # the edge has 3:1 contrast with white (WCAG 1.4.11)
    assert luminance[row - 1:row + 2, col - 1:col + 2].mean() > 0.9  # the centre is open
    legend = fig.legends[0]
    assert "Usikkert (åpent symbol)" in [t.get_text() for t in legend.get_texts()]


# No overlapping text (labels, numbers at risk, legend) and readable sizes.


def crowded_districts() -> pd.DataFrame:
    names = ["Gamle Oslo", "Grünerløkka", "Sagene", "St. Hanshaugen", "Frogner", "Ullern", "Vestre Aker",
             "Nordre Aker", "Bjerke", "Grorud", "Stovner", "Alna", "Østensjø", "Nordstrand", "Søndre Nordstrand"]
    expo = [6300, 6400, 4650, 3400, 5800, 4900, 7650, 7600, 4450, 4000, 5100, 6750, 6250, 7400, 6250]
    rate = [50.2, 45.1, 37.8, 36.4, 32.5, 27.7, 26.3, 30.6, 45.0, 50.4, 47.9, 48.6, 35.1, 26.8, 42.6]
    return graded(pd.DataFrame({
        "district": names, "count": [round(r * e / 1000) for r, e in zip(rate, expo)], "exposure": expo,
        "estimate": rate, "ci_low": [r * 0.85 for r in rate], "ci_high": [r * 1.15 for r in rate],
        "flag": ["ok"] * 3 + ["uncertain"] + ["ok"] * 11, "flag_reason": [pd.NA] * 15}),
        groups=["district"], kind="rate", scale=1000)


def drawn_texts(fig) -> list:
    """The text artists a draw of ``fig`` paints: figure texts, legends, titles, axis labels, annotations,
    and the tick labels of the ticks inside the view (matplotlib keeps labels of ticks outside it, unpainted)."""
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += list(ax.texts) + [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9 and tick.label1.get_visible():
                    texts.append(tick.label1)
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def text_boxes(fig):
    """Display boxes of every text a draw of ``fig`` at 2x paints."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Annotation

    from salto_analysis.label_placement import text_box

    fig.set_dpi(plots.DPI * plots.SCALE)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    out = []
    for t in drawn_texts(fig):
        box = text_box(t, renderer) if isinstance(t, Annotation) else t.get_window_extent(renderer)
        out.append((t.get_text(), box, t))
    return out, renderer


def assert_no_overlap(fig):
    """No two painted texts overlap. Slanted tick labels are compared by their slant: the upright boxes of
    neighbours overlap although the text does not, so for them the distance between neighbouring
    baselines (tick spacing x sine of the angle) must be at least the text's height."""
    import math as m

    from salto_analysis.label_placement import overlaps

    boxes, renderer = text_boxes(fig)

    def slanted(artist):
        return artist.get_rotation() not in (0, 90, 270, 360) and artist.get_rotation() % 180 != 0

    clashes = [(a, b) for i, (a, ba, ta) in enumerate(boxes) for b, bb, tb in boxes[i + 1:]
               if overlaps(ba, bb) and not (slanted(ta) and slanted(tb))]
    assert clashes == []
    for ax in fig.axes:
        ticks = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text() and slanted(t)]
        if len(ticks) > 1:
            xs = sorted(ax.transData.transform((v, 0))[0] for v in ax.get_xticks()[:len(ticks)])
            spacing = min(b - a for a, b in zip(xs, xs[1:]))
            height = max(renderer.get_text_width_height_descent(t.get_text(), t.get_fontproperties(), False)[1]
                         for t in ticks)
            assert spacing * m.sin(m.radians(ticks[0].get_rotation())) >= height, (spacing, height)
    return boxes


def test_funnel_labels_do_not_overlap_each_other_or_the_points():
    from matplotlib.text import Annotation

    from salto_analysis.label_placement import overlaps

    fig = plots.funnel(crowded_districts(), reference=38.3, label="district", synthetic=True, lang="nb")
    boxes = assert_no_overlap(fig)
    labels_ = [(text, box) for text, box, artist in boxes if isinstance(artist, Annotation)]
    assert len(labels_) == 15  # here every district finds a free spot
    ax = fig.axes[0]
    frame = ax.get_window_extent()
    radius = 4.5 * fig.dpi / 72
    points = [ax.transData.transform(p) for p in zip(crowded_districts()["exposure"], crowded_districts()["estimate"])]
    from matplotlib.transforms import Bbox

    for text, box in labels_:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, text
        for x, y in points:
            assert not overlaps(box, Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)), text


def test_a_label_without_a_free_spot_is_left_out_and_noted():
    # 12 points on top of each other: at most a ring of labels fits, the rest are hidden and the page says so
    t = graded(pd.DataFrame({"district": [f"Bydel nummer {k}" for k in range(12)], "count": [100] * 12,
                             "exposure": [5000.0] * 12, "estimate": [20.0] * 12, "ci_low": [16.0] * 12,
                             "ci_high": [24.0] * 12, "flag": ["ok"] * 12, "flag_reason": [pd.NA] * 12}),
               groups=["district"], kind="rate", scale=1000)
    fig = plots.funnel(t, reference=20.0, label="district", synthetic=False)
    assert_no_overlap(fig)
    assert fig.notes == ["Ikke alle punkter har navn i figuren; tabellen under har alle."]
    assert len(fig.data.rows) == 12


def test_numbers_at_risk_keep_clear_of_their_group_names():
    # a start count of 5 digits centred on time 0 reaches left of the axis, where the names are
    km = graded(pd.DataFrame({
        "debut_age_group": ["10–14"] * 3 + ["15–17"] * 3, "months": [12, 24, 36] * 2,
        "n_at_risk": [21000, 15000, 9000, 11000, 8000, 4000], "denominator": [31613] * 3 + [15610] * 3,
        "estimate": [0.3, 0.4, 0.5, 0.35, 0.45, 0.55], "ci_low": [0.28, 0.38, 0.48, 0.33, 0.43, 0.52],
        "ci_high": [0.32, 0.42, 0.52, 0.37, 0.47, 0.58], "flag": ["ok"] * 6, "flag_reason": [pd.NA] * 6}),
        groups=["debut_age_group", "months"], kind="summary")
    fig = plots.survival(km, time="months", group="debut_age_group", start=0.0, at_times=[0, 12, 24, 36],
                         synthetic=False)
    boxes = assert_no_overlap(fig)
    assert "31\u00a0613" in [text for text, _, _ in boxes]


@pytest.mark.parametrize("kind", ["bar", "line", "point"])
def test_no_text_overlaps_and_every_text_is_at_least_the_minimum_size(by_age, kind):
    fig = plots.estimates(by_age, "age_group", group="year", kind=kind, title="Tittel", synthetic=True)
    for _, _, artist in assert_no_overlap(fig):
        assert artist.get_fontsize() >= plots.MIN_FONT_PT, artist.get_text()


def test_cohort_figures_have_no_overlapping_text():
    from salto_analysis.cohorts import figures

    t = graded(pd.DataFrame({
        "offence_threshold": pd.Categorical(["4+"] * 6, categories=["4+", "10+"]),
        "cohort": [2022] * 3 + [2023] * 3, "years_after": [1] * 6,
        "status": ["at_or_above", "below", "none"] * 2,
        "numerator": [40, 30, 30, 50, 25, 25], "denominator": [100] * 6,
        "estimate": [0.4, 0.3, 0.3, 0.5, 0.25, 0.25], "ci_low": [0.3, 0.2, 0.2, 0.4, 0.17, 0.17],
        "ci_high": [0.5, 0.4, 0.4, 0.6, 0.35, 0.35], "flag": ["ok"] * 5 + ["uncertain"],
        "flag_reason": [pd.NA] * 5 + ["P3: x"]}), groups=["offence_threshold", "cohort", "years_after", "status"],
        kind="proportion")
    fig = figures.transitions(t, lang="nb", title="Hva skjer", synthetic=True)
    assert_no_overlap(fig)
    assert fig.alt_text == (
        "Stablet stolpediagram: hva skjer; hver stolpe er delt i fortsatt over grensen, registrert, under grensen "
        "og ikke registrert. 4+: Fortsatt over grensen mellom 40,0\u00a0% og 50,0\u00a0%; Registrert, under "
        "grensen mellom 25,0\u00a0% og 30,0\u00a0%; Ikke registrert mellom 25,0\u00a0% og 30,0\u00a0%. "
        "Usikre verdier (1) er tegnet lyse og skraverte. Tallene står i tabellen under figuren.")
    assert fig.data.rows[5] == ["4+", "2023 +1", "Ikke registrert", "25,0", "17,0–35,0", "usikker"]


def test_many_slanted_category_labels_stay_apart():
    names = ["Gamle Oslo", "Grünerløkka", "Sagene", "St. Hanshaugen", "Frogner", "Ullern", "Vestre Aker",
             "Nordre Aker", "Bjerke", "Grorud", "Stovner", "Alna", "Østensjø", "Nordstrand", "Søndre Nordstrand"]
    t = graded(pd.DataFrame({"district": pd.Categorical(names, categories=names), "numerator": [30] * 15,
                             "denominator": [200] * 15, "estimate": [0.15] * 15, "ci_low": [0.1] * 15,
                             "ci_high": [0.2] * 15, "flag": ["ok"] * 15, "flag_reason": [pd.NA] * 15}),
               groups=["district"], kind="proportion")
    fig = plots.estimates(t, "district", kind="point", title="Cannabis, 2023", synthetic=True)
    plots.add_reference(fig, 15.0, low=13.0, high=17.0, label="Hele Oslo (95 % KI)", percent=True)
    assert_no_overlap(fig)
    assert fig.axes[0].get_xticklabels()[0].get_rotation() == 45


def test_text_stays_readable_at_phone_width():
    # the page gives a figure 374 CSS px at a 390 px wide phone (briefing.css); a 560 px figure is then
    # drawn at 374/560 of its size, and 10 pt = 10 * 100/72 = 13.9 CSS px becomes 9.3 px
    assert plots.MIN_FONT_PT * plots.DPI / 72 * 374 / (plots.FIGSIZE[0] * plots.DPI) >= 9.0
