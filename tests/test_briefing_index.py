"""salto_analysis.briefing.index: number formatting and the rows of the index page."""

from __future__ import annotations

import pandas as pd
import pytest

from salto_analysis.briefing.index import flagged_rows, format_estimate, format_interval, headline_rows

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "attrs", "lang", "text"), [
    (0.1234, {"kind": "proportion"}, "nb", f"12,3{NBSP}%"),
    (0.1234, {"kind": "proportion"}, "en", "12.3%"),
    (12.5274, {"kind": "rate", "scale": 1000}, "nb", f"12,5 per 1{NBSP}000"),
    (12.5274, {"kind": "rate", "scale": 1000}, "en", "12.5 per 1,000"),
    (1234.0, {"kind": "count"}, "nb", f"1{NBSP}234"),
    (0.851, {"kind": "ratio"}, "en", "0.85"),
    (-0.05, {"kind": "difference", "unit": "proportion"}, "nb", f"\u22125,0{NBSP}%"),
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


def tables():
    t = pd.DataFrame({"year": [2024, 2025], "district": ["Alna", "Marka"], "estimate": [0.25, None],
                      "ci_low": [0.2, None], "ci_high": [0.3, None], "flag": ["uncertain", "suppressed"],
                      "flag_reason": ["P1: n_eff under 30", "D1: fewer than 5 persons"]})
    t.attrs = {"kind": "proportion", "groups": ["year", "district"], "headline": True, "title": "Andel",
               "record_name": "share"}
    u = pd.DataFrame({"estimate": [3.0], "ci_low": [1.0], "ci_high": [5.0], "flag": ["ok"], "flag_reason": [""]})
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
        ("2024, Alna", "uncertain", "P1: n_eff under 30"),
        ("2025, Marka", "withheld (:)", "D1: fewer than 5 persons"),
    ]
