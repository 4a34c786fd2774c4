"""salto_analysis.trends.counts on the hand-made register of tests/fixtures/trends_register.py.

Every expected count is worked out by hand from the scenario in that file's docstring,
never from the code under test.
"""

import pandas as pd
import pytest
from fixtures.trends_register import ROWS, write_population, write_register

from salto_analysis import io
from salto_analysis.io import InputError
from salto_analysis.params import ParameterError
from salto_analysis.trends import counts as crime_counts
from salto_analysis.trends import yearly


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counts")
    return io.load_register(write_register(folder)), io.load_population(write_population(folder))


@pytest.fixture(scope="module")
def sel(inputs):
    return crime_counts.select(*inputs, year=2025)


def count(sel, counted, year, group):
    c = sel.counts
    row = c[(c["counted"] == counted) & (c["year"] == year) & (c["age_group"] == group)]
    assert len(row) == 1
    return int(row["count"].iloc[0])


# --------------------------------------------------------------------------------------
# counting
# --------------------------------------------------------------------------------------
def test_period_and_years(sel):
    assert sel.year == 2025 and sel.years == tuple(range(2020, 2026))
    assert sel.count_years == tuple(range(2020, 2026)) and sel.reference_years == (2022, 2023, 2024)
    assert sel.age_groups == ("10-14", "15-17", "18-22") and sel.ages == (10, 22)
    assert sel.first_data_year == 2020 and sel.synthetic is False


def test_unique_suspects_once_per_year_in_first_registration_group(sel):
    # 2025: 10-14: 3 (Frogner); 15-17: 30 (b) + G1's 15-year-old + R (first registration at 17) = 32;
    # 18-22: 45 (a) + G1's 18-year-old + L1's second suspect + (g) + N1 = 49; R is not counted again at 18.
    assert [count(sel, "suspects", 2025, g) for g in ("10-14", "15-17", "18-22", "total")] == [3, 32, 49, 84]
    # 2024: (a) 30 + L1's first suspect = 31; (b) 16; (c) 2
    assert [count(sel, "suspects", 2024, g) for g in ("10-14", "15-17", "18-22", "total")] == [2, 16, 31, 49]
    assert count(sel, "suspects", 2021, "10-14") == 0  # the year with no suspects aged 10-14


def test_cases_in_every_group_with_a_suspect_and_once_in_total(sel):
    # G1 (suspects aged 15 and 18) is one case in 15-17, one in 18-22 and one in the total;
    # R1 and R2 are two cases; L1 is a case of 2024 (its earliest registration), not of 2025.
    assert [count(sel, "cases", 2025, g) for g in ("10-14", "15-17", "18-22", "total")] == [3, 32, 49, 83]
    assert [count(sel, "cases", 2024, g) for g in ("10-14", "15-17", "18-22", "total")] == [2, 16, 31, 49]
    assert count(sel, "cases", 2021, "10-14") == 0


def test_victims_once_per_year_and_victim_only_cases_are_not_cases(sel):
    # 45 victims in 2025 (one of them registered twice); their cases have no suspect
    assert [count(sel, "victims", y, "10-14") for y in range(2020, 2026)] == [30, 30, 30, 20, 30, 45]
    assert count(sel, "victims", 2025, "15-17") == 0 and count(sel, "victims", 2025, "total") == 45
    assert count(sel, "cases", 2020, "10-14") == 4  # only (c), none of the 30 victim cases


def test_population_by_age_group(sel):
    p = sel.population
    got = p[p["year"] == 2025].set_index("age_group")["population"].to_dict()
    # per year: (100 + 100 + 50) residents per sex and age x 2 sexes = 500 per age
    assert got == {"10-14": 5 * 500, "15-17": 3 * 500, "18-22": 5 * 500, "total": 13 * 500}


def test_districts_of_the_reporting_year(sel):
    d = sel.district_counts.merge(sel.district_population, on="district")
    assert list(d["district"]) == ["Gamle Oslo", "Sagene", "Frogner"]  # official order
    assert list(d["count"]) == [45 + 2 + 1 + 1, 30 + 1, 3]
    assert list(d["population"]) == [2600, 2600, 1300]
    assert sel.unknown_district == 1  # (g)


def test_case_types_of_the_reporting_year(sel):
    t = sel.case_types
    by_type = t.groupby("offence_type")["count"].sum().to_dict()
    assert by_type == {"theft": 45, "violence": 30, "vandalism": 3, "threats": 2, "robbery": 1, "drugs": 1,
                       "other": 1}
    assert int(t.loc[t["group_offence"], "count"].sum()) == 1  # G1
    assert int(t.loc[t["online"].isna(), "count"].sum()) == 1  # N1
    assert int(t.loc[t["online"].fillna(False).astype(bool), "count"].sum()) == 1  # G1


def test_selection_holds_no_identifiers(sel):
    frames = [sel.counts, sel.population, sel.district_counts, sel.district_population, sel.case_types]
    for f in frames:
        assert not [c for c in f.columns if str(c).endswith("_id")]
        assert len(f) < 100


def test_row_accounting(inputs, sel):
    acc = crime_counts.row_accounting(sel).set_index("item")["rows"].to_dict()
    assert acc == {"read": ROWS["read"], "age_outside": 2, "age_group_not_chosen": 0, "before_period": 0,
                   "after_year": 0, "used": ROWS["read"] - 2}
    # reporting year 2024: the in-scope rows of 2025 come after it: (a) 45 + (b) 30 + (c) 3 + (d) 2 + (e) 2
    # + (f) 1 + (g) 1 + (h) 1 + (j) 46 = 131
    acc = crime_counts.row_accounting(crime_counts.select(*inputs, year=2024)).set_index("item")["rows"].to_dict()
    assert acc["after_year"] == 131 and acc["used"] == ROWS["read"] - 2 - 131
    # only 15-17: (b) 61 + G1's 15-year-old + R1 = 63 rows chosen of the 463 in scope
    only = crime_counts.select(*inputs, year=2025, age_groups=["15-17"])
    acc = crime_counts.row_accounting(only).set_index("item")["rows"]
    assert acc["age_group_not_chosen"] == 463 - 63 and acc["used"] == 63


def test_years_back_shortens_the_series(inputs):
    s = crime_counts.select(*inputs, year=2025, years_back=4)
    assert s.years == (2022, 2023, 2024, 2025) and s.count_years == s.years
    assert crime_counts.row_accounting(s).set_index("item")["rows"]["before_period"] == (
        # in-scope rows of 2020 and 2021: (a) 60 + (b) 3 + (c) 4 + (j) 60
        60 + 3 + 4 + 60)


def test_a_year_whose_reference_years_precede_the_register(inputs):
    # the register starts in 2020: for 2022 the counts start there (no zeros for 2019), and the
    # comparison with 2019-2021 is not possible; the page says so (tests/test_trends_page.py)
    s = crime_counts.select(*inputs, year=2022)
    assert s.years == s.count_years == (2020, 2021, 2022)
    assert s.covers([2021]) and not s.covers(s.reference_years)
    with pytest.raises(ValueError, match=r"compares with 2019, 2020, 2021, but the register starts in 2020"):
        yearly.year_change(s, reference="mean")


def test_parameter_errors(inputs):
    with pytest.raises(ParameterError, match=r"year=2030 is outside the register \(2020–2025\)"):
        crime_counts.select(*inputs, year=2030)
    with pytest.raises(ParameterError, match="age_groups"):
        crime_counts.select(*inputs, year=2025, age_groups=["10-13"])
    with pytest.raises(ParameterError, match="age_groups"):
        crime_counts.select(*inputs, year=2025, age_groups="10-14")
    with pytest.raises(ParameterError, match="years_back=3 must be a whole number of at least 4"):
        crime_counts.select(*inputs, year=2025, years_back=3)


def test_population_missing_a_district_is_a_clear_error(tmp_path, inputs):
    population = io.load_population(write_population(tmp_path, drop=("Frogner",)))
    with pytest.raises(InputError) as err:
        crime_counts.select(inputs[0], population, year=2025)
    e = err.value
    assert e.column == "district" and "Frogner" in e.problem and "population.csv" in e.file
    assert e.count == 3  # register rows of 2025 used with home district Frogner
    assert "\n" not in str(e) and "Fix:" in str(e)


def test_population_missing_a_year_is_a_clear_error(tmp_path, inputs):
    population = io.load_population(write_population(tmp_path, years=range(2021, 2026)))
    with pytest.raises(InputError, match=r"in year\(s\) 2020.*Fix:"):
        crime_counts.select(inputs[0], population, year=2025)


def test_district_crosswalk_merges_districts(inputs, tmp_path):
    from salto_analysis import schemas

    names = [n for n, k in zip(schemas.districts()["name_nb"], schemas.districts()["kind"]) if k != "unknown"]
    lines = ["old_district,new_district"] + [f"{n},{'Sagene' if n == 'Frogner' else n}" for n in names]
    path = tmp_path / "crosswalk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = crime_counts.select(*inputs, year=2025, districts_file=str(path))
    d = s.district_counts.merge(s.district_population, on="district")
    # Frogner's 3 suspects and 1,300 residents join Sagene's 31 and 2,600
    assert list(d["district"]) == ["Gamle Oslo", "Sagene"]
    assert list(d["count"]) == [49, 34] and list(d["population"]) == [2600, 3900]
    assert s.crosswalk.changed == {"Frogner": "Sagene"} and s.unknown_district == 1
    # the yearly counts do not depend on districts
    pd.testing.assert_frame_equal(s.counts, crime_counts.select(*inputs, year=2025).counts)
