"""salto_analysis.briefing.publish: deterministic CSV files and the Excel workbook."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from salto_analysis.briefing.publish import FIXED_TIME, csv_value, write_csv, write_tables
from salto_analysis.briefing.records import from_payload, to_payload
from salto_analysis.estimates import estimate_table


def recorded(name="share_by_sex", title="Andel etter kjønn", numerator=(12, 30)):
    """A hand-made graded table as the runner rebuilds it from a notebook's record payload."""
    frame = pd.DataFrame({
        "sex": ["female", "male", "unknown"],
        "numerator": [numerator[0], numerator[1], None],
        "denominator": [40, 60, None],
        "estimate": [0.3, 0.5, None],
        "ci_low": [0.1806, 0.3773, None],
        "ci_high": [0.4546, 0.6227, None],
        "flag": ["uncertain", "ok", "suppressed"],
        "flag_reason": ["P1", None, "D1"],
    })
    table = estimate_table(frame, groups=["sex"], kind="proportion", measure="share of pupils",
                           unit="proportion", method="wilson", confidence_level=0.95)
    return from_payload(to_payload(name, table, title=title))


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (float("nan"), ""), (pd.NA, ""), (7, "7"), (0.1, "0.1"), (1e-07, "1e-07"),
    (2.0, "2.0"), (True, "true"), (False, "false"), ("Grünerløkka", "Grünerløkka"),
])
def test_csv_value(value, text):
    assert csv_value(value) == text


def test_csv_is_utf8_with_blank_suppressed_cells(tmp_path):
    path = write_csv(recorded(), tmp_path / "t.csv")
    assert path.read_bytes().decode("utf-8") == (
        "sex,numerator,denominator,estimate,ci_low,ci_high,flag,flag_reason\n"
        "female,12,40,0.3,0.1806,0.4546,uncertain,P1\n"
        "male,30,60,0.5,0.3773,0.6227,ok,\n"
        "unknown,,,,,,suppressed,\n"
    )


def test_tables_and_workbook(tmp_path):
    files = write_tables({"02_overlap": [recorded()], "00_data": [recorded("n", None)]}, tmp_path,
                         lang="nb", briefing_title="Test")
    assert [p.name for p in files] == ["02_overlap__share_by_sex.csv", "00_data__n.csv", "briefing.xlsx"]
    wb = load_workbook(tmp_path / "briefing.xlsx")
    assert wb.sheetnames == ["Forklaring", "02_overlap__share_by_sex", "00_data__n"]
    about = [c for row in wb["Forklaring"].iter_rows(values_only=True) for c in row if c]
    assert "Publiserte tabeller – Test" in about
    assert any(str(c).startswith("«:» Tallet kan ikke offentliggjøres: for få personer (færre enn 5)") for c in about)
    assert any("Kursiv grå skrift" in str(c) for c in about)
    assert "numerator" in about and "flag_reason" in about and "Andel etter kjønn" in about
    sheet = wb["02_overlap__share_by_sex"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("sex", "numerator", "denominator", "estimate", "ci_low", "ci_high", "flag", "flag_reason")
    assert rows[1] == ("female", 12, 40, 0.3, 0.1806, 0.4546, "uncertain", "P1")
    assert rows[3] == ("unknown", ":", ":", ":", ":", ":", "suppressed", None)
    assert sheet["D2"].font.italic and not sheet["D3"].font.italic


def test_workbook_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_tables({"x": [recorded()]}, a, lang="en", briefing_title="T")
    write_tables({"x": [recorded()]}, b, lang="en", briefing_title="T")
    assert (a / "briefing.xlsx").read_bytes() == (b / "briefing.xlsx").read_bytes()
    with zipfile.ZipFile(a / "briefing.xlsx") as zf:
        assert {info.date_time for info in zf.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert core.count(FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")) == 2  # created and modified


def test_publishing_refuses_small_counts_and_identifiers(tmp_path):
    small = recorded(numerator=(3, 30))  # 3 shown as "uncertain": never publishable with min_count 5
    with pytest.raises(ValueError, match=r"table x__share_by_sex: counts below min_count=5 \(numerator in 1 row"):
        write_tables({"x": [small]}, tmp_path, lang="nb", briefing_title="T")
    with_id = recorded()
    with_id["pupil_id"] = "p"
    with pytest.raises(ValueError, match=r"identifier column\(s\) \['pupil_id'\]"):
        write_tables({"x": [with_id]}, tmp_path, lang="nb", briefing_title="T")


def test_long_sheet_names_are_shortened_and_unique(tmp_path):
    long = "03_repeat_offenders_and_cohorts"
    write_tables({long: [recorded("persistence_by_age"), recorded("persistence_by_sex")]}, tmp_path,
                 lang="en", briefing_title="T")
    names = load_workbook(tmp_path / "briefing.xlsx").sheetnames
    assert names[0] == "About" and len(set(names)) == 3 and all(len(n) <= 31 for n in names)
