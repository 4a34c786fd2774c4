"""salto_analysis.continuity: what last year's briefing withheld stays withheld (issue 11)."""

import pandas as pd
import pytest

from salto_analysis.continuity import NOTEBOOK_ENV, PREVIOUS_ENV, carry_forward, withheld_before
from salto_analysis.page import Page
from salto_analysis.policy import Policy
from salto_analysis.reliability import grade
from salto_analysis.stats import count_table


def _coverage():
    """Register rows by year and district: every count is at least 20, so grading withholds nothing."""
    df = pd.DataFrame({"year": [2016, 2016, 2017, 2017], "district": ["Alna", "Nordstrand", "Alna", "Nordstrand"],
                       "rows": [40, 35, 52, 20]})
    return grade(count_table(df, count="rows", groups=["year", "district"]), Policy())


def _previous(folder, text):
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "00_data_quality__register_coverage.csv").write_text(text, encoding="utf-8")
    return {PREVIOUS_ENV: str(folder), NOTEBOOK_ENV: "00_data_quality"}


LAST_YEAR = ("year,district,count,estimate,ci_low,ci_high,flag,flag_reason\n"
             "2016,Alna,40,40.0,28.6,54.5,ok,\n"
             "2016,Nordstrand,,,,,suppressed,\n"
             "2017,Alna,,,,,ok,\n")


def test_a_cell_withheld_last_year_is_withheld_again_as_secondary(tmp_path):
    env = _previous(tmp_path / "2024", LAST_YEAR)
    table = _coverage()
    assert (table["flag"] == "ok").all()
    out = carry_forward(table, "register_coverage", env)
    assert out["flag"].tolist() == ["ok", "suppressed", "ok", "ok"]
    assert out.loc[1, "flag_reason"] == "D2" and pd.isna(out.loc[1, "count"]) and pd.isna(out.loc[1, "ci_high"])
    # matched on the grouping values as published text: year 2016 (an integer), not "2016.0"
    assert withheld_before(table, tmp_path / "2024" / "tables" / "00_data_quality__register_coverage.csv").tolist() \
        == [False, True, False, False]
    assert table["flag"].tolist() == ["ok"] * 4, "the input changed"


@pytest.mark.parametrize("env", [
    {},  # outside a briefing run
    {PREVIOUS_ENV: "", NOTEBOOK_ENV: "00_data_quality"},
    {NOTEBOOK_ENV: "00_data_quality"},
])
def test_nothing_is_carried_outside_a_briefing_with_a_previous_one(tmp_path, env):
    table = _coverage()
    assert carry_forward(table, "register_coverage", env) is table


def test_a_table_last_year_did_not_publish_or_with_other_columns_matches_nothing(tmp_path):
    env = _previous(tmp_path / "2024", "year,bydel,flag\n2016,Nordstrand,suppressed\n")
    table = _coverage()
    assert carry_forward(table, "register_coverage", env) is table  # no column "district" last year
    assert carry_forward(table, "cases_by_year", env) is table  # no such file last year


def test_the_page_carries_last_years_withheld_cells_into_every_table(tmp_path, monkeypatch):
    env = _previous(tmp_path / "2024", LAST_YEAR)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    page = Page(policy=Policy(lang="en"))
    df = pd.DataFrame({"year": [2016, 2016], "district": ["Alna", "Nordstrand"], "rows": [40, 35]})
    shown = page.add("register_coverage", count_table(df, count="rows", groups=["year", "district"]),
                     title="quality.table.register_coverage")
    assert shown["flag"].tolist() == ["ok", "suppressed"]
    # a table published under another name is matched under that name
    page2 = Page(policy=Policy(lang="en"))
    other = page2.add("coverage", count_table(df, count="rows", groups=["year", "district"]),
                      title="quality.table.register_coverage", record_name="register_coverage")
    assert other["flag"].tolist() == ["ok", "suppressed"]
