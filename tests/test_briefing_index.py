"""salto_analysis.briefing.index: number formatting and the rows of the index page."""

from __future__ import annotations

import pandas as pd
import pytest

from salto_analysis.briefing.index import (
    MAX_HEADLINES,
    flagged_rows,
    format_estimate,
    format_interval,
    group_label,
    headline_rows,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "attrs", "lang", "text"), [
    (0.1234, {"kind": "proportion"}, "nb", f"12,3{NBSP}%"),
    (0.1234, {"kind": "proportion"}, "en", "12.3%"),
    (12.5274, {"kind": "rate", "scale": 1000}, "nb", f"12,5 per 1{NBSP}000"),
    (12.5274, {"kind": "rate", "scale": 1000}, "en", "12.5 per 1,000"),
    (1234.0, {"kind": "count"}, "nb", f"1{NBSP}234"),
    (0.851, {"kind": "ratio"}, "en", "0.85"),
    # a difference of shares is in percentage points, as on the pages
    (-0.05, {"kind": "difference", "unit": "proportion"}, "nb", "\u22125,0 prosentpoeng"),
    (0.023, {"kind": "difference", "unit": "proportion difference"}, "en", "2.3 percentage points"),
    (0.4512, {"kind": "summary", "unit": "proportion"}, "nb", f"45,1{NBSP}%"),
    (0.4512, {"kind": "summary", "unit": "gini"}, "en", "0.45"),
    (None, {"kind": "count"}, "nb", ":"),
    (float("nan"), {"kind": "proportion"}, "en", ":"),
])
def test_format_estimate(value, attrs, lang, text):
    assert format_estimate(value, attrs, lang) == text


def test_format_interval():
    assert format_interval(0.1806, 0.4546, {"kind": "proportion"}, "nb") == "18,1–45,5"
    assert format_interval(10.3312, 15.0441, {"kind": "rate"}, "en") == "10.3–15.0"
    assert format_interval(None, 2.0, {"kind": "rate"}, "en") == ""
    # a negative limit: "til"/"to", so the dash does not read as a minus
    assert format_interval(-0.08, -0.02, {"kind": "difference", "unit": "proportion difference"}, "nb") == \
        "\u22128,0 til \u22122,0"
    assert format_interval(-0.4, 2.0, {"kind": "ratio"}, "en") == "\u22120.40 to 2.00"


def tables():
    t = pd.DataFrame({"year": [2024, 2025], "district": ["Alna", "Marka"], "estimate": [0.25, None],
                      "ci_low": [0.2, None], "ci_high": [0.3, None], "flag": ["uncertain", "suppressed"],
                      "flag_reason": ["P1", "D1"]})
    t.attrs = {"kind": "proportion", "groups": ["year", "district"], "headline": True, "title": "Andel",
               "record_name": "share", "min_count": 5}
    u = pd.DataFrame({"estimate": [3.0], "ci_low": [1.0], "ci_high": [5.0], "flag": ["ok"], "flag_reason": [None]})
    u.attrs = {"kind": "count", "groups": [], "headline": False, "title": None, "record_name": "n"}
    return {"01_trends": [t, u]}


def test_headline_rows_only_from_headline_tables():
    rows = headline_rows(tables(), {"01_trends": "Trender"}, "nb")
    assert [(r["group"], r["estimate"], r["interval"], r["mark"]) for r in rows] == [
        ("2024, Alna", f"25,0{NBSP}%", "20,0–30,0", "usikker"),
        ("2025, Marka", ":", "", "skjult (:)"),
    ]
    assert rows[0]["href"] == "01_trends.html" and rows[0]["table"] == "Andel"


def test_flagged_rows_list_every_uncertain_and_suppressed_row_with_reason():
    rows = flagged_rows(tables(), {"01_trends": "Trends"}, "en")
    assert [(r["group"], r["mark"], r["reason"]) for r in rows] == [
        ("2024, Alna", "uncertain", "P1: effective sample size under 30"),
        ("2025, Marka (forest)", "withheld (:)", "too few or too uncertain to show"),
    ]
    # a shown (uncertain) figure carries its interval; a withheld one has none
    assert [(r["estimate"], r["interval"]) for r in rows] == [("25.0%", "20.0–30.0"), (":", "")]


def test_group_labels_are_the_pages_labels():
    t = pd.DataFrame({"counted": ["Unike mistenkte"], "age_group": ["10-14"], "sex": ["female"],
                      "offence_type": ["sexual"], "debut_age_group": ["15-17"], "years_after": [1],
                      "year": [2025], "estimate": [0.2], "ci_low": [0.1], "ci_high": [0.3], "flag": ["ok"],
                      "flag_reason": [""]})
    t.attrs = {"kind": "proportion",
               "groups": ["counted", "age_group", "sex", "offence_type", "debut_age_group", "years_after", "year"]}
    row = t.iloc[0]
    # labels from salto_analysis.schemas (age groups, sex, offence types); a bare number gets its
    # column's header (tables.col.years_after); a year reads as itself
    assert group_label(t, row, "nb") == ("Unike mistenkte, 10–14 år, jente/kvinne, seksuallovbrudd, 15–17 år, "
                                         "År etter: 1, 2025")
    assert group_label(t, row, "en") == ("Unike mistenkte, 10–14 years, female, sexual offences, 15–17 years, "
                                         "Years after: 1, 2025")


def headline_table(name: str, n: int) -> pd.DataFrame:
    t = pd.DataFrame({"sex": ["female", "male"] * (n // 2) + ["female"] * (n % 2), "estimate": [0.1] * n,
                      "ci_low": [0.05] * n, "ci_high": [0.15] * n, "flag": ["ok"] * n, "flag_reason": [""] * n})
    t.attrs = {"kind": "proportion", "groups": ["sex"], "headline": True, "title": name, "record_name": name}
    return t


def test_each_page_gives_at_most_a_few_headline_rows_in_whole_tables():
    assert MAX_HEADLINES == 4
    pages = {"01_a": "A", "02_b": "B", "04_c": "C"}
    found = {
        # 2 + 2 rows fit; the third table (2 more rows) is left out whole and counted
        "01_a": [headline_table("level", 2), headline_table("change", 2), headline_table("mean", 2)],
        # 2 + 3 > 4: the second table is left out whole, not cut in half
        "02_b": [headline_table("shares", 2), headline_table("order", 3)],
        # one table longer than the cap: its first 4 rows
        "04_c": [headline_table("prevalence", 8)],
    }
    rows = headline_rows(found, pages, "nb")
    shown = [(r["page"], r["table"]) for r in rows if not r["more"]]
    assert shown == [("A", "level")] * 2 + [("A", "change")] * 2 + [("B", "shares")] * 2 + [("C", "prevalence")] * 4
    more = [(r["page"], r["href"], r["more"], r["text"]) for r in rows if r["more"]]
    assert more == [("A", "01_a.html", 2, "… og 2 hovedtall til på siden"),
                    ("B", "02_b.html", 3, "… og 3 hovedtall til på siden"),
                    ("C", "04_c.html", 4, "… og 4 hovedtall til på siden")]
    assert len(headline_rows(found, pages, "en", max_rows=10)) == 6 + 5 + 8
    with pytest.raises(ValueError, match="max_rows=0"):
        headline_rows(found, pages, "nb", max_rows=0)
