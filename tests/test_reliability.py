"""Tests of salto_analysis.reliability: NCHS grading vectors, comparisons, warnings, footnotes.

Reference vectors: the NCHS 2017 proportion rules applied by hand to Clopper–Pearson widths
(Parker et al. 2017, the algorithm as implemented in CDCgov/surveytable ``R/z_lpe.R``), and the
NCHS 2023 count rules with Garwood relative widths (``docs/methods.md``).
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import estimates, reliability, stats, survey
from salto_analysis.estimates import with_meta
from salto_analysis.reliability import Policy, SmallSampleWarning, grade

FIX = Path(__file__).parent / "fixtures" / "stats"
NO_DISCLOSURE = Policy(min_count=1)


def _grade(table, policy=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return grade(table, policy, **kw)


def _codes(table):
    """The codes of each row, sorted (``flag_reason`` holds codes such as ``"P2;P3"``)."""
    return [None if pd.isna(r) else ";".join(sorted(r.split(";"))) for r in table["flag_reason"]]


# --------------------------------------------------------------------------------------
# NCHS 2017 proportions
# --------------------------------------------------------------------------------------
def test_nchs_proportion_vectors_srs():
    # NCHS 2017 steps applied by hand to Clopper-Pearson 95 % widths
    # (docs/small-numbers.md#proportions-nchs-2017): x/n -> outcome
    cases = pd.DataFrame({
        "case": ["3/20", "10/40", "12/40", "2/60", "95/100", "60/1000", "15/300", "0/200"],
        "x": [3, 10, 12, 2, 95, 60, 15, 0],
        "n": [20, 40, 40, 60, 100, 1000, 300, 200],
    })
    t = stats.proportion_table(cases, numerator="x", denominator="n", groups=["case"])
    g = _grade(t, NO_DISCLOSURE).set_index("case")
    expected = {
        "3/20": ("suppressed", "P1"),     # n < 30
        "10/40": ("ok", None),            # width 0.2850, rel 1.14
        "12/40": ("ok", None),            # width 0.2997 < 0.30, rel 0.999
        "2/60": ("suppressed", "P3"),     # rel width 3.34 > 1.30
        "95/100": ("uncertain", "Pc"),    # complement: 0.0964/0.05 = 1.93 > 1.30
        "60/1000": ("ok", None),          # width 0.0305 <= 0.05
        "15/300": ("ok", None),           # width 0.0529, rel 1.058
        "0/200": ("uncertain", "P0"),     # p = 0, statistical review
    }
    for case, (flag, code) in expected.items():
        row = g.loc[case]
        assert row.flag == flag, case
        assert (None if pd.isna(row.flag_reason) else row.flag_reason.split(":")[0]) == code, case


def test_nchs_thresholds_at_their_edges():
    # by hand: CP width of 10/40 is 0.4120 - 0.1269 = 0.2850; with abs_width_max 0.28 it is suppressed (P2)
    t = stats.proportion_table(pd.DataFrame({"x": [10], "n": [40]}), numerator="x", denominator="n")
    assert _grade(t, Policy(min_count=1, abs_width_max=0.28)).flag[0] == "suppressed"
    assert _codes(_grade(t, Policy(min_count=1, abs_width_max=0.28))) == ["P2"]
    assert _grade(t, Policy(min_count=1, min_n_eff=41)).flag_reason[0].startswith("P1")


def test_nchs_survey_proportion_dclus1():
    # R survey 4.1.1, dclus1, ell==0: n_eff = 41.8 >= 30 (Korn-Graubard n* = 35.4), KG width 0.137,
    # rel. width 6.3 -> suppress;
    # sch.wide: n_eff 265 capped at n = 183, width 0.091 -> show. Numerator 4 is also a small count (D1).
    d = pd.read_csv(FIX / "apiclus1.csv")
    d["ell0"] = (d["ell"] == 0).astype(int)
    d["schwide"] = (d["sch.wide"] == "Yes").astype(int)
    des = survey.Design(d, cluster="dnum", weight="pw", fpc="fpc")
    ell = _grade(des.proportion("ell0"), NO_DISCLOSURE)
    assert ell.flag[0] == "suppressed" and _codes(ell) == ["P3"]
    assert _codes(_grade(des.proportion("ell0"))) == ["D1"]
    sw = _grade(des.proportion("schwide"))
    assert sw.flag[0] == "ok"
    # by school type: E shown; H has 2 schools without a school-wide target (complement 1..4, D1);
    # M has n = 25 < 30 (P1). H and M share the stype margin, so two cells are hidden there.
    by = _grade(des.proportion("schwide", by="stype"))
    assert dict(zip(by.stype, _codes(by))) == {"E": None, "H": "D1", "M": "P1"}


def test_survey_df_flag():
    # 5 schools of 40 pupils, p around 0.5: df = 4 < 8 -> Pdf; widths are moderate so the value is shown
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"school": np.repeat(np.arange(5), 200), "y": rng.integers(0, 2, 1000)})
    g = _grade(survey.proportion(d, "y", cluster="school"))
    assert g.df[0] == 4 and g.flag[0] == "uncertain" and _codes(g) == ["Pdf"]


# --------------------------------------------------------------------------------------
# NCHS 2023 counts and rates
# --------------------------------------------------------------------------------------
def test_nchs_counts():
    # Garwood relative widths (R poisson.test(x)$conf.int): x=8 -> 1.539, x=10 -> 1.359, x=20 -> 0.93.
    # n >= 10 is required; under 20 events is unstable (C3).
    t = stats.count_table(pd.DataFrame({"g": list("abcde"), "n": [0, 8, 10, 19, 20]}), count="n", groups=["g"])
    g = _grade(t, secondary=False).set_index("g")
    assert g.flag.to_dict() == {"a": "suppressed", "b": "suppressed", "c": "uncertain", "d": "uncertain", "e": "ok"}
    assert _codes(g) == ["C1", "C1", "C3", "C3", None]


def test_nchs_count_relative_width_rule():
    # x = 10 has relative width 1.359 (by hand from the Garwood limits 4.7954, 18.3904);
    # a threshold of 1.3 suppresses it (C2), the default 1.6 does not.
    t = stats.count_table(pd.DataFrame({"n": [10]}), count="n")
    assert _codes(_grade(t, Policy(count_rel_width_max=1.3))) == ["C2"]
    assert _grade(t).flag[0] == "uncertain"


def test_rate_table_graded_on_counts():
    df = pd.DataFrame({"district": ["A", "B", "C"], "count": [3, 12, 40], "population": [1000, 2000, 5000]})
    g = _grade(stats.rate_table(df, count="count", exposure="population", groups=["district"]), secondary=False)
    assert g.flag.tolist() == ["suppressed", "uncertain", "ok"]
    assert _codes(g) == ["D1", "C3", None]
    assert g.loc[0, ["count", "exposure", "estimate", "ci_low", "ci_high"]].isna().all()


# --------------------------------------------------------------------------------------
# comparisons and summaries
# --------------------------------------------------------------------------------------
def test_ratio_and_summary_kinds():
    ratio = estimates.estimate_table(
        pd.DataFrame({"g": ["a", "b", "c", "d"], "count": [45, 3, 12, 100], "count_ref": [30, 40, 50, 80],
                      "estimate": [1.5, 0.1, 0.3, 1.2], "ci_low": [0.9, 0.01, 0.1, 0.9],
                      "ci_high": [2.5, 0.3, 0.6, 1.6]}),
        groups=["g"], kind="ratio", measure="rr", unit="ratio", method="x", confidence_level=0.95)
    g = _grade(ratio)
    assert g.flag.tolist() == ["ok", "suppressed", "uncertain", "ok"]
    assert _codes(g) == [None, "D1", "C3", None]
    summ = estimates.estimate_table(
        pd.DataFrame({"g": ["a", "b", "c"], "denominator": [25, 200, 400], "numerator": [30, 15, 900],
                      "estimate": [0.5, 0.6, 0.4], "ci_low": [0.3, 0.5, 0.35], "ci_high": [0.7, 0.7, 0.45]}),
        groups=["g"], kind="summary", measure="gini", unit="index", method="x", confidence_level=0.95)
    g = _grade(summ)
    assert _codes(g) == ["S1", "C3", None]


def _comparison(kind="ratio", **columns):
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"g": [f"r{i}" for i in range(n)], **columns,
                          "estimate": [1.0] * n, "ci_low": [0.5] * n, "ci_high": [2.0] * n})
    return estimates.estimate_table(frame, groups=["g"], kind=kind, measure="m", unit="ratio", method="x",
                                    confidence_level=0.95)


def test_rate_ratio_graded_on_the_smaller_event_count():
    # count / count_ref (events of each group): smaller of the two < 10 -> C1, < 20 -> C3
    # (min_count=1: disclosure off, so only the reliability rule is seen)
    t = _comparison(count=[120, 9, 19, 20, 300], count_ref=[80, 400, 300, 25, 9])
    g = _grade(t, NO_DISCLOSURE)
    # events: min(120,80)=80 ok; 9 C1; 19 C3; 20 ok (20 is not under 20); 9 C1
    assert _codes(g) == [None, "C1", "C3", None, "C1"]
    assert g.flag.tolist() == ["ok", "suppressed", "uncertain", "ok", "suppressed"]


def test_difference_of_shares_graded_on_the_2x2_cells():
    # numerator/denominator and their _ref: the cells a = numerator, b = denominator - numerator,
    # c = numerator_ref, d = denominator_ref - numerator_ref. Before the fix these tables got only P1.
    t = _comparison("difference",
                    numerator=[40, 8, 15, 95, 60],
                    denominator=[100, 100, 100, 100, 100],
                    numerator_ref=[50, 50, 50, 40, 50],
                    denominator_ref=[100, 100, 100, 100, 100])
    g = _grade(t, NO_DISCLOSURE)
    # smallest cells: 40 ok; a=8 C1; a=15 C3; b=100-95=5 C1 (95 % vs 40 % rests on 5 non-events); 40 ok
    assert _codes(g) == [None, "C1", "C3", "C1", None]
    # with the default policy a cell of 1..4 is a disclosure (D1) first
    d = _grade(_comparison("difference", numerator=[97], denominator=[100], numerator_ref=[50],
                           denominator_ref=[100]))
    assert _codes(d) == ["D1"]


def test_odds_ratio_graded_on_its_smallest_cell_and_group_size():
    # overlap.relative_odds shape: 2x2 as numerator/denominator pairs plus count/count_ref = a and c.
    # a=30, b=12, c=40, d=4000 -> smallest cell 12 -> C3 (the old rule read only a and c: ok)
    # second row: a=20, b=29-20=9, c=40, d=4000: smallest cell 9 -> C1, and 29 victims < 30 -> P1
    t = _comparison(numerator=[30, 20], denominator=[42, 29], numerator_ref=[40, 40],
                    denominator_ref=[4040, 4040], count=[30, 20], count_ref=[40, 40])
    assert reliability.comparison_events(t).tolist() == [12.0, 9.0]  # row 2: b = 29 - 20 = 9
    g = _grade(t, NO_DISCLOSURE)
    assert _codes(g) == ["C3", "C1;P1"]


def test_trend_of_one_group_uses_events_and_non_events():
    # a trend (odds ratio per year) has numerator/denominator of one group summed over years
    t = _comparison(numerator=[8, 490, 200], denominator=[500, 500, 500])
    # cells: min(8, 492)=8 C1; min(490, 10)=10 C3; min(200, 300) ok
    assert _codes(_grade(t, NO_DISCLOSURE)) == ["C1", "C3", None]


def test_event_columns_name_other_cells_and_count_for_disclosure():
    t = _comparison(a=[30, 12, 3], b=[50, 60, 70], c=[25, 30, 40], d=[900, 900, 900])
    with pytest.raises(ValueError, match="needs underlying counts"):
        _grade(t)
    t = with_meta(t, event_columns=["a", "b", "c", "d"])
    g = _grade(t)
    # smallest cell 25 ok; 12 C3; 3 is 1..4: disclosure D1 (the cells are persons)
    assert _codes(g) == [None, "C3", "D1"]
    assert g.loc[2, ["a", "b", "c", "d"]].isna().all()  # suppressed row: cells removed
    with pytest.raises(ValueError, match=r"\['nope'\]"):
        _grade(with_meta(t, event_columns=["a", "nope"]))
    with pytest.raises(ValueError, match="event_columns='a' must be a list of column names"):
        with_meta(t, event_columns="a")


def test_comparison_with_denominators_only_or_nothing():
    g = _grade(_comparison(denominator=[29, 30], denominator_ref=[100, 100]), NO_DISCLOSURE)
    assert _codes(g) == ["P1", None]
    with pytest.raises(ValueError, match="needs underlying counts"):
        _grade(_comparison(exposure=[1000.0]))


def test_warning_once_with_counts_and_language():
    df = pd.DataFrame({"g": list("abc"), "n": [3, 12, 40]})
    t = stats.count_table(df, count="n", groups=["g"], measure="anmeldelser")
    with pytest.warns(SmallSampleWarning) as rec:
        grade(t, secondary=False)
    assert len(rec) == 1
    assert "2 av 3 tall" in str(rec[0].message) and "1 skjult" in str(rec[0].message)
    with pytest.warns(SmallSampleWarning, match="2 of 3 figures"):
        g = grade(t, Policy(lang="en"), secondary=False)
    assert g.flag_reason[0] == "D1"  # a code: the same in every language
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grade(stats.count_table(pd.DataFrame({"n": [100]}), count="n"))  # nothing flagged, no warning


def _warned(table, policy=None) -> str:
    with pytest.warns(SmallSampleWarning) as rec:
        grade(table, policy, secondary=False)
    assert len(rec) == 1
    return str(rec[0].message)


def _rows_table(**attrs):
    # measures are written in English by the analysis modules (here as quality.py does)
    t = stats.count_table(pd.DataFrame({"g": list("abc"), "n": [3, 12, 40]}), count="n", groups=["g"],
                          measure="register rows in the analysis")
    return with_meta(t, **attrs)


def test_warning_in_norwegian_never_quotes_the_english_measure():
    msg = _warned(_rows_table())
    assert "register rows" not in msg
    assert msg == "2 av 3 tall i en tabell med antall er merket: 1 skjult (:), 1 usikre."
    # flag_summary uses the same rule
    g = _grade(_rows_table(), secondary=False)
    assert reliability.flag_summary(g, "nb") == msg


def test_warning_names_the_table_by_its_title_in_the_page_language():
    msg = _warned(_rows_table(title="Registerrader i analysen"))
    assert msg == "2 av 3 tall i tabellen «Registerrader i analysen» er merket: 1 skjult (:), 1 usikre."
    en = _warned(_rows_table(title="Register rows in the analysis"), Policy(lang="en"))
    assert en == ("2 of 3 figures in the table “Register rows in the analysis” are flagged: "
                  "1 suppressed (:), 1 uncertain.")


def test_warning_translates_a_measure_that_is_a_labels_key():
    # a measure given as a key of salto_analysis.labels (as the cohort tables do) is translated
    assert "«Rate»" in _warned(_rows_table(measure="tables.estimate.rate"))
    assert "“Rate”" in _warned(_rows_table(measure="tables.estimate.rate"), Policy(lang="en"))


def test_warning_in_english_quotes_the_english_measure_or_the_kind():
    msg = _warned(_rows_table(), Policy(lang="en"))
    assert msg == ("2 of 3 figures in the table “register rows in the analysis” are flagged: "
                   "1 suppressed (:), 1 uncertain.")
    nameless = _rows_table(measure="")
    assert _warned(nameless, Policy(lang="en")).startswith("2 of 3 figures in a table of counts are flagged")
    ratio = _comparison(count=[5, 50], count_ref=[50, 50])
    assert _warned(ratio).startswith("1 av 2 tall i en tabell med forholdstall er merket")


def test_flagged_summary_and_footnotes():
    df = pd.DataFrame({"g": list("abc"), "n": [3, 12, 40]})
    g = _grade(stats.count_table(df, count="n", groups=["g"]), secondary=False)
    f = reliability.flagged(g)
    assert list(f.columns) == ["g", "flag", "flag_reason"] and list(f.g) == ["a", "b"]
    assert reliability.flag_summary(g, "en").startswith("2 of 3 figures")
    notes = reliability.footnotes(g)
    # the withheld row (a, 3 persons: D1) is explained by ":" alone, never by its code
    assert len(notes) == 2 and notes[0].startswith("«:» betyr") and notes[1].startswith("C3")


# --------------------------------------------------------------------------------------
# the grading measures the intervals of salto_analysis.stats (one home for each formula)
# --------------------------------------------------------------------------------------
def test_proportion_rules_use_stats_clopper_pearson():
    # every x/n with n = 30..120: P2 (width >= 0.30) and P3 (width / p > 1.30) exactly where
    # stats.proportion_ci(method="clopper-pearson") says so
    xs, ns = zip(*[(x, n) for n in range(30, 121, 3) for x in range(1, n)])
    df = pd.DataFrame({"case": range(len(xs)), "x": xs, "n": ns})
    t = stats.proportion_table(df, numerator="x", denominator="n", groups=["case"])
    g = _grade(t, NO_DISCLOSURE, secondary=False)
    ci = stats.proportion_ci(np.array(xs), np.array(ns), method="clopper-pearson")
    width = np.asarray(ci.high) - np.asarray(ci.low)
    p = np.array(xs) / np.array(ns)
    codes = _codes(g)
    narrow = width <= 0.05
    expect_p2 = ~narrow & (width >= 0.30)
    expect_p3 = ~narrow & ~expect_p2 & (width / p > 1.30)
    assert [c == "P2" for c in codes] == expect_p2.tolist()
    assert [c == "P3" for c in codes] == expect_p3.tolist()
    assert expect_p2.any() and expect_p3.any() and (~expect_p2 & ~expect_p3).any()


def test_count_rules_use_stats_garwood():
    # C2 (relative width of the 95 % Garwood interval above the limit) exactly where stats.poisson_ci
    # says so; at the NCHS limit 1.60 no count from 10 events up is C2, so the limit is set to 1.0 here
    x = np.arange(10, 40)
    t = stats.count_table(pd.DataFrame({"g": x.astype(str), "n": x}), count="n", groups=["g"])
    g = _grade(t, Policy(min_count=1, count_rel_width_max=1.0), secondary=False)
    ci = stats.poisson_ci(x)
    rel = (np.asarray(ci.high) - np.asarray(ci.low)) / x
    assert [c == "C2" for c in _codes(g)] == (rel > 1.0).tolist()
    assert (rel > 1.0).any() and (rel <= 1.0).any()
