"""salto_analysis.tables: ':' for suppressed cells, marks for uncertain ones, codes in words.

Every expected string is written out by hand from the input numbers and the
conventions in the module docstring (decimal comma and no-break space for nb,
U+2212 minus, Statistics Norway's ':' and '..').
"""

import re

import numpy as np
import pandas as pd
import pytest

from salto_analysis import tables
from salto_analysis.estimates import estimate_table, with_meta
from salto_analysis.policy import Policy

NBSP = "\u00a0"
MINUS = "\u2212"


def graded(frame: pd.DataFrame, *, groups, kind, min_count=5, lang="nb", **attrs) -> pd.DataFrame:
    """An estimate table with flags filled in by hand (as reliability.grade would)."""
    t = estimate_table(frame, groups=groups, kind=kind, measure="test", unit=attrs.pop("unit", "x"),
                       method="hand", confidence_level=attrs.pop("confidence_level", 0.95), **attrs)
    return with_meta(t, policy=Policy(min_count=min_count, lang=lang))


@pytest.fixture
def shares() -> pd.DataFrame:
    # 3 districts: ok, uncertain (graded in Norwegian), suppressed (numbers removed)
    return graded(pd.DataFrame({
        "district": ["Sagene", "Alna", "Grorud"],
        "numerator": [25, 12, np.nan],
        "denominator": [100, 40, np.nan],
        "estimate": [0.25, 0.30, np.nan],
        "ci_low": [0.175, 0.181, np.nan],
        "ci_high": [0.3425, 0.4535, np.nan],
        "flag": ["ok", "uncertain", "suppressed"],
        "flag_reason": [pd.NA, "C3", "D1"],
    }), groups=["district"], kind="proportion")


# --------------------------------------------------------------------------- formatting


def test_superscript_marks():
    assert tables.superscript(1) == "¹"
    assert tables.superscript(12) == "¹²"


# --------------------------------------------------------------------------- display


def test_display_shows_colon_for_suppressed_and_marks_uncertain(shares):
    view = tables.display(shares, "nb")
    frame = view.frame
    assert list(frame.columns) == ["Bydel (bosted)", "Antall", "Av totalt", "Andel, % (95 % KI)"]
    # ok row: 0.25 -> 25,0 %, limits 17,5 and 34,25 -> 34,2 (half-even on 34.25 gives 34,2)
    assert frame.iloc[0].tolist() == ["Sagene", "25", "100", "25,0 (17,5–34,2)"]
    # uncertain row: mark right after the estimate; 0.181 -> 18,1 (0.4535 -> 45.35 sits on a
    # rounding half in binary floating point, so only the start of the cell is checked)
    assert frame.iloc[1, 3].startswith("30,0¹ (18,1–45,")
    # suppressed row: every number is ':'
    assert frame.iloc[2].tolist() == ["Grorud", ":", ":", ":"]
    # faded: the uncertain row only
    assert view.faded.iloc[1].all() and not view.faded.iloc[0].any() and not view.faded.iloc[2].any()


def test_display_footnotes_explain_every_mark_and_colon(shares):
    view = tables.display(shares, "nb")
    assert view.footnotes[0] == (
        "«:» betyr at tallet er skjult for å verne personvernet (færre enn 5) "
        "eller fordi det er for usikkert til å vises."
    )
    assert view.footnotes[1] == ("¹ Usikkert tall – les med forsiktighet "
                                 "(C3: ustabilt, bygger på færre enn 20 hendelser).")
    assert len(view.footnotes) == 2


def test_display_min_count_comes_from_the_policy(shares):
    shares = with_meta(shares, policy=Policy(min_count=10))
    assert "(færre enn 10)" in tables.display(shares, "nb").footnotes[0]
    assert "(fewer than 3)" in tables.display(shares, "en", min_count=3).footnotes[0]


def test_display_words_the_codes_in_the_page_language(shares):
    view = tables.display(shares, "en")
    assert list(view.frame.columns) == ["Home district", "Number", "Out of", "Share, % (95% CI)"]
    assert view.frame.iloc[1, 3].startswith("30.0¹ (18.1–45.")
    notes = "\n".join(view.footnotes)
    # the code C3 is written again from the English labels, with the policy's threshold (20)
    assert "¹ Uncertain figure – read with caution (C3: unstable, based on fewer than 20 events)." in notes
    assert "færre" not in notes and "betyr" not in notes


def test_display_html_and_text_both_show_colon(shares):
    view = tables.display(shares, "nb", title="Andel etter bydel")
    html = view._repr_html_()
    assert "<table" in html and "<caption" in html and "Andel etter bydel" in html
    assert ">:</td>" in html
    assert tables.FADED_COLOUR in html  # the uncertain row is faded
    assert "<script" not in html and "http" not in html  # self-contained
    text = repr(view)
    lines = text.splitlines()
    assert lines[0] == "Andel etter bydel"
    assert lines[4].split() == ["Grorud", ":", ":", ":"]
    assert "«:»" in text and NBSP not in text


def test_display_separate_interval_columns(shares):
    view = tables.display(shares, "en", interval="separate", hide=["numerator", "denominator"])
    assert list(view.frame.columns) == ["Home district", "Share, %", "Lower limit (95% CI)", "Upper limit (95% CI)"]
    assert view.frame.iloc[0].tolist() == ["Sagene", "25.0", "17.5", "34.2"]
    assert view.frame.iloc[2].tolist() == ["Grorud", ":", ":", ":"]


def test_display_rates_counts_and_category_labels():
    t = graded(pd.DataFrame({
        "year": [2024, 2025],
        "age_group": ["10-14", "10-14"],
        "count": [1500, 1620],
        "exposure": [31250.0, 32000.0],
        "estimate": [48.0, 50.625],
        "ci_low": [45.61, 48.19],
        "ci_high": [50.49, 53.14],
        "flag": ["ok", "ok"],
        "flag_reason": [pd.NA, pd.NA],
    }), groups=["year", "age_group"], kind="rate", scale=1000)
    view = tables.display(t, "nb")
    assert list(view.frame.columns) == ["År", "Aldersgruppe", "Antall", "Befolkning", f"Rate per 1{NBSP}000 (95 % KI)"]
    # years are not given thousands separators; categories get their Norwegian labels
    assert view.frame.iloc[1].tolist() == ["2025", "10–14 år", f"1{NBSP}620", f"32{NBSP}000", "50,6 (48,2–53,1)"]
    assert view.footnotes == []
    en = tables.display(t, "en")
    assert en.frame.iloc[1].tolist() == ["2025", "10–14 years", "1,620", "32,000", "50.6 (48.2–53.1)"]


def test_display_count_table_and_p_values():
    t = graded(pd.DataFrame({
        "offence_type": ["violence", "theft"],
        "count": [120, 45],
        "estimate": [120.0, 45.0],
        "ci_low": [99.5, 32.8],
        "ci_high": [143.5, 60.2],
        "p_value": [0.0004, 0.2],
        "flag": ["ok", "ok"],
        "flag_reason": [pd.NA, pd.NA],
    }), groups=["offence_type"], kind="count")
    view = tables.display(t, "en")
    # in a count table the estimate column is the count: no separate count column
    assert list(view.frame.columns) == ["Offence type", "Count (95% CI)", "p-value"]
    # 99.5 and 143.5 with no decimals: Python rounds halves to even -> 100 and 144
    assert view.frame.iloc[0].tolist() == ["violence", "120 (100–144)", "<0.001"]
    assert tables.display(t, "nb").frame.iloc[1].tolist() == ["tyveri", "45 (33–60)", "0,200"]


def test_display_pivot_puts_years_in_columns():
    t = graded(pd.DataFrame({
        "district": ["Sagene", "Sagene", "Alna"],
        "year": [2024, 2025, 2025],
        "count": [40, np.nan, 30],
        "estimate": [40.0, np.nan, 30.0],
        "ci_low": [28.6, np.nan, 20.2],
        "ci_high": [54.5, np.nan, 42.8],
        "flag": ["ok", "suppressed", "uncertain"],
        "flag_reason": [pd.NA, "D1", "C3"],
    }), groups=["district", "year"], kind="count")
    view = tables.display(t, "nb", pivot="year")
    assert list(view.frame.columns) == ["Bydel (bosted)", "2024", "2025"]
    # every cell carries its interval, rounded to the count's 0 decimals by hand:
    # 28.6 -> 29, 54.5 -> 54 (Python rounds halves to even), 20.2 -> 20, 42.8 -> 43
    assert view.frame.values.tolist() == [["Sagene", "40 (29–54)", ":"], ["Alna", "", "30¹ (20–43)"]]
    assert view.faded.values.tolist() == [[False, False, False], [False, False, True]]
    notes = "\n".join(view.footnotes)
    assert view.footnotes[0] == "Tallene i cellene: Antall (95 % KI)."
    assert "Tom celle" in notes and "¹ Usikkert tall" in notes
    assert "uten intervall" not in notes
    # in HTML a cell may wrap between the estimate and its interval, never inside either
    html = view.to_html()
    assert ('<span style="white-space:nowrap">30¹</span> <span style="white-space:nowrap">(20–43)</span>'
            in html)
    assert "white-space:nowrap\">Sagene" not in html
    # the long view keeps each cell on one line
    assert "<span" not in tables.display(t, "nb").to_html()


def test_display_pivot_with_many_columns_is_split_into_narrower_html_tables():
    years = list(range(2016, 2026))
    t = graded(pd.DataFrame({"district": ["Alna"] * 10, "year": years, "count": [100] * 10,
                             "estimate": [100.0] * 10, "ci_low": [81.4] * 10, "ci_high": [121.6] * 10,
                             "flag": ["ok"] * 10, "flag_reason": [pd.NA] * 10}),
               groups=["district", "year"], kind="count")
    view = tables.display(t, "nb", pivot="year", title="Registreringer")
    assert view.frame.shape == (1, 11), "the text view stays one table"
    page = view.to_html()
    # ten year columns > MAX_WIDE_COLUMNS (6): two tables of five, each with the district column
    assert tables.MAX_WIDE_COLUMNS == 6
    assert page.count("<table") == 2 and page.count("<caption") == 1
    heads = [re.findall(r"<th[^>]*>([^<]*)</th>", part) for part in page.split("<table")[1:]]
    assert heads == [["Bydel (bosted)", "2016", "2017", "2018", "2019", "2020"],
                     ["Bydel (bosted)", "2021", "2022", "2023", "2024", "2025"]]
    assert page.count("Tallene i cellene") == 1
    # 100 (81.4-121.6) rounded to whole numbers by hand: 100 (81-122)
    assert page.count('<span style="white-space:nowrap">(81–122)</span>') == 10


def test_display_other_whole_number_columns_read_like_counts():
    # a Kaplan–Meier table's number at risk: thousands separator, right-aligned, ':' when withheld
    t = graded(pd.DataFrame({"months": [6, 12], "denominator": [3161, np.nan], "estimate": [0.182, np.nan],
                             "ci_low": [0.169, np.nan], "ci_high": [0.197, np.nan],
                             "n_at_risk": pd.array([2412, 1955], dtype="Int64"), "flag": ["ok", "suppressed"],
                             "flag_reason": [pd.NA, "D1"]}),
               groups=["months"], kind="proportion")
    t = with_meta(t, unit="proportion")
    view = tables.display(t, "nb")
    assert view.frame["Antall i risiko"].tolist() == ["2\u00a0412", ":"]
    assert view.align[-1] == "right"


def test_display_pivot_refuses_separate_intervals():
    t = graded(pd.DataFrame({"year": [2024, 2025], "count": [40, 41], "estimate": [40.0, 41.0],
                             "ci_low": [28.6, 29.4], "ci_high": [54.5, 55.6], "flag": ["ok", "ok"],
                             "flag_reason": [pd.NA, pd.NA]}), groups=["year"], kind="count")
    with pytest.raises(ValueError, match="interval='separate' cannot be used with pivot='year'"):
        tables.display(t, pivot="year", interval="separate")


def test_display_pivot_without_intervals_says_so_in_the_note():
    # counts without an interval (for example a register total): the note names only the estimate
    t = graded(pd.DataFrame({"year": [2024, 2025], "count": [40, 41], "estimate": [40.0, 41.0],
                             "ci_low": [np.nan, np.nan], "ci_high": [np.nan, np.nan], "flag": ["ok", "ok"],
                             "flag_reason": [pd.NA, pd.NA]}), groups=["year"], kind="count")
    view = tables.display(t, "en", pivot="year")
    assert view.frame.values.tolist() == [["40", "41"]]
    assert view.footnotes == ["Figures in the cells: Count."]


def test_display_pivot_rows_follow_the_category_order():
    # Marka has no row in 2024, so it first appears after Uoppgitt; the rows still follow
    # the district order of the categorical column (Marka before Uoppgitt)
    order = ["Sagene", "Marka", "Uoppgitt"]
    t = graded(pd.DataFrame({
        "district": pd.Categorical(["Sagene", "Uoppgitt", "Sagene", "Uoppgitt", "Marka"], categories=order),
        "year": [2024, 2024, 2025, 2025, 2025],
        "count": [40, 30, 41, 31, 20], "estimate": [40.0, 30.0, 41.0, 31.0, 20.0],
        "ci_low": [28.6, 20.2, 29.4, 21.1, 12.2], "ci_high": [54.5, 42.8, 55.6, 44.0, 30.9],
        "flag": ["ok"] * 5, "flag_reason": [pd.NA] * 5,
    }), groups=["district", "year"], kind="count")
    view = tables.display(t, "en", pivot="year")
    # intervals rounded by hand: 28.6-54.5 -> 29-54, 29.4-55.6 -> 29-56, 12.2-30.9 -> 12-31,
    # 20.2-42.8 -> 20-43, 21.1-44.0 -> 21-44
    assert view.frame.values.tolist() == [["Sagene", "40 (29–54)", "41 (29–56)"], ["Marka (forest)", "", "20 (12–31)"],
                                          ["Unknown", "30 (20–43)", "31 (21–44)"]]


def test_display_missing_estimate_in_shown_row_is_two_dots():
    t = graded(pd.DataFrame({"year": [2025], "numerator": [0], "denominator": [0], "estimate": [np.nan],
                             "ci_low": [np.nan], "ci_high": [np.nan], "flag": ["ok"], "flag_reason": [pd.NA]}),
               groups=["year"], kind="proportion")
    view = tables.display(t, "en")
    assert view.frame.iloc[0, -1] == ".."
    assert view.footnotes == ["“..” means the figure cannot be computed or is missing."]


def test_display_refuses_identifier_columns(shares):
    persons = shares.assign(person_id=["p1", "p2", "p3"])
    with pytest.raises(ValueError, match=r"identifier column\(s\) \['person_id'\]"):
        tables.display(persons)
    with pytest.raises(ValueError, match="school_id"):
        tables.plain(pd.DataFrame({"school_id": ["s1"], "n": [3]}))
    with pytest.raises(ValueError, match="student_id"):
        tables.plain(pd.DataFrame({"student_id": ["s1"], "n": [3]}))


def test_display_refuses_ungraded_and_leaking_tables(shares):
    ungraded = shares.assign(flag=pd.NA)
    with pytest.raises(ValueError, match="no valid flag"):
        tables.display(ungraded)
    leaking = shares.copy()
    leaking.loc[2, "numerator"] = 3
    with pytest.raises(ValueError, match="suppressed rows still carry numbers"):
        tables.display(leaking)


def test_display_bad_arguments_name_the_value(shares):
    with pytest.raises(ValueError, match="interval='both'"):
        tables.display(shares, interval="both")
    with pytest.raises(ValueError, match="pivot='year'"):
        tables.display(shares, pivot="year")
    with pytest.raises(ValueError, match=r"hide=\['nope'\]"):
        tables.display(shares, hide=["nope"])
    with pytest.raises(ValueError, match="lang='sv'"):
        tables.display(shares, "sv")


def test_plain_formats_numbers_and_translates_headers():
    frame = pd.DataFrame({"input": ["register"], "item": ["Rader lest fra fila"], "rows": [123456]})
    view = tables.plain(frame, "nb", title="Radregnskap")
    assert list(view.frame.columns) == ["Datafil", "Post", "Rader"]
    assert view.frame.iloc[0].tolist() == ["Anmeldelsesregister", "Rader lest fra fila", f"123{NBSP}456"]
    assert repr(view).splitlines()[0] == "Radregnskap"
    # a missing count (a notice without rows) is left empty, or written as asked
    notice = pd.DataFrame({"item": ["Lest som CSV"], "rows": pd.array([None], dtype="Int64")})
    assert tables.plain(notice, "nb").frame.iloc[0].tolist() == ["Lest som CSV", ""]
    assert tables.plain(notice, "nb", missing="..").frame.iloc[0, 1] == ".."


def test_value_and_column_labels():
    assert tables.value_label("district", "Marka", "en") == "Marka (forest)"
    assert tables.value_label("sex", "female", "nb") == "jente/kvinne"
    assert tables.value_label("online", True, "en") == "yes"
    assert tables.value_label("column", "sex", "en") == "Sex"
    assert tables.column_label("p_adjusted", "nb") == "Justert p-verdi"
    assert tables.column_label("something_else", "nb") == "something_else"


# --------------------------------------------------------------------------- unique headers


@pytest.fixture
def ratio() -> pd.DataFrame:
    # a ratio table as overlap.relative_odds builds it: numerator and count (both "Antall" in
    # Norwegian) and the reference group's counts; second row suppressed
    return graded(pd.DataFrame({
        "sex": ["female", "male"],
        "numerator": [30, np.nan], "denominator": [1200, np.nan], "count": [30, np.nan],
        "estimate": [2.5, np.nan], "ci_low": [1.75, np.nan], "ci_high": [3.5, np.nan],
        "numerator_ref": [40, np.nan], "denominator_ref": [4000, np.nan], "count_ref": [40, np.nan],
        "flag": ["ok", "suppressed"], "flag_reason": [pd.NA, "D1"],
    }), groups=["sex"], kind="ratio")


def test_display_headers_are_unique_when_two_columns_share_a_label(ratio):
    # numerator and count are both "Antall" in Norwegian: this used to raise a broadcast
    # ValueError. A shared header is followed by the column's name in the published table.
    view = tables.display(ratio, "nb")
    assert list(view.frame.columns) == [
        "Kjønn", "Antall (numerator)", "Av totalt", "Antall (count)",
        "Antall, referanse (numerator_ref)", "Av totalt, referanse", "Antall, referanse (count_ref)",
        "Forhold (95 % KI)",
    ]
    # the reference counts are counts: thousands separator, right-aligned, ':' when suppressed
    assert view.frame.iloc[0].tolist() == ["jente/kvinne", "30", f"1{NBSP}200", "30", "40",
                                           f"4{NBSP}000", "40", "2,50 (1,75–3,50)"]
    assert view.frame.iloc[1].tolist()[1:] == [":"] * 7
    assert view.align == ["left"] + ["right"] * 7
    assert view.faded.shape == view.frame.shape
    assert "Antall (count)" in view.to_html() and "Antall (numerator)" in view.to_text()


def test_display_headers_in_english_are_distinct_labels(ratio):
    # English has distinct words, so no column name is added
    view = tables.display(ratio, "en")
    assert list(view.frame.columns) == [
        "Sex", "Number", "Out of", "Count", "Number, reference", "Out of, reference", "Count, reference",
        "Ratio (95% CI)",
    ]


def test_display_pivot_and_plain_headers_are_unique(ratio):
    view = tables.plain(pd.DataFrame({"numerator": [3], "count": [4]}), "nb")
    assert list(view.frame.columns) == ["Antall (numerator)", "Antall (count)"]
    assert view.frame.iloc[0].tolist() == ["3", "4"]
    # a pivot value that reads like a grouping column's header
    t = graded(pd.DataFrame({"item": ["År", "År"], "year": [2024, 2025], "count": [40, 41],
                             "estimate": [40.0, 41.0], "ci_low": [28.6, 29.4], "ci_high": [54.5, 55.6],
                             "flag": ["ok", "ok"], "flag_reason": [pd.NA, pd.NA]}),
               groups=["year", "item"], kind="count")
    wide = tables.display(t, "nb", pivot="item")
    assert list(wide.frame.columns) == ["År (year)", "År (item)"]
    assert wide.frame.values.tolist() == [["2024", "40 (29–54)"], ["2025", "41 (29–56)"]]


def test_share_of_offences_columns_say_they_count_persons():
    """Issue 12: "4+: 186, of 1 423, share of offences 44,8 %" read as if all three were offences."""
    from salto_analysis.estimates import estimate_table

    t = estimate_table(pd.DataFrame({"offence_threshold": ["4+"], "numerator": [227], "denominator": [1510],
                                     "estimate": [0.5056], "ci_low": [0.4661], "ci_high": [0.5439]}),
                       groups=["offence_threshold"], kind="proportion", measure="cohorts.measure.share_of_offences",
                       unit="proportion", method="bootstrap", confidence_level=0.95)
    assert tables.count_label(t, "numerator", "nb") == "Personer i gruppen"
    assert tables.count_label(t, "denominator", "en") == "All suspects"
    assert tables.count_label(t, "numerator", "en") != tables.column_label("numerator", "en")
    other = estimate_table(pd.DataFrame({"numerator": [3], "denominator": [10], "estimate": [0.3], "ci_low": [0.1],
                                         "ci_high": [0.6]}), groups=[], kind="proportion", measure="share",
                           unit="proportion", method="Wilson", confidence_level=0.95)
    assert tables.count_label(other, "numerator", "nb") == tables.column_label("numerator", "nb")
