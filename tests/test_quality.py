"""salto_analysis.quality: the data page, on small hand-made inputs with hand-counted expectations.

The frames mimic what salto_analysis.io returns (typed columns, ``in_scope``,
``attrs["synthetic"]`` and ``attrs["accounting"]``).
"""

import warnings

import pandas as pd
import pytest

from salto_analysis import io, quality
from salto_analysis.estimates import meta_of
from salto_analysis.policy import Policy, SmallSampleWarning

DISTRICTS = ["Sagene", "Alna", "Uoppgitt"]


def make_register() -> pd.DataFrame:
    """Cases per year (one suspect each): 2019: 30, 2020: 30, 2021: 4, 2022: 30, 2023: 30, 2024: 30.

    2023: 20 rows Sagene, 7 Alna, 3 Uoppgitt (10 % unknown); last registration 15 June 2023;
    plus 2 rows in 2023 aged 9 (out of scope). 2024 is after the reporting year 2023.
    Sex is missing in 6 of the 126 rows up to 2023 (rows 0-5).
    """
    rows = []
    case = 0
    for year, n in [(2019, 30), (2020, 30), (2021, 4), (2022, 30), (2023, 30), (2024, 30)]:
        for k in range(n):
            case += 1
            if year == 2023:
                district = "Sagene" if k < 20 else ("Alna" if k < 27 else "Uoppgitt")
                date = pd.Timestamp(2023, 1 + k % 6, 15)  # January..June
            else:
                district = "Sagene" if k % 3 else "Alna"
                date = pd.Timestamp(year, 1 + k % 12, 10)
            rows.append({"case_id": f"c{case}", "person_id": f"p{case}", "role": "suspect", "registered_date": date,
                         "offence_type": "theft", "age": 15, "sex": "male", "district": district, "online": False})
    for k in range(2):  # aged 9: kept, out of scope
        case += 1
        rows.append({"case_id": f"c{case}", "person_id": f"q{k}", "role": "suspect",
                     "registered_date": pd.Timestamp(2023, 12, 20), "offence_type": "theft", "age": 9, "sex": "male",
                     "district": "Alna", "online": False})
    reg = pd.DataFrame(rows)
    reg.loc[0:5, "sex"] = None
    reg["district"] = pd.Categorical(reg["district"], categories=DISTRICTS)
    reg["year"] = reg["registered_date"].dt.year.astype("Int64")
    reg["in_scope"] = reg["age"].between(10, 22)
    reg.attrs = {"synthetic": True, "accounting": io.Accounting(
        kind="register", file="data/register.csv", sha256="0" * 64, format="csv", rows_read=len(reg) + 1,
        rows_kept=len(reg), rows_in_analysis=int(reg["in_scope"].sum()), rows_dropped_by_reason={"blank": 1},
        rows_excluded_by_reason={"age_outside_scope": 2}, synthetic=True).to_dict()}
    return reg


def make_population() -> pd.DataFrame:
    """Sagene and Alna 2019-2022, only Sagene in 2023; ages 9, 10, 22, 23 with 100, 200, 300, 400 persons."""
    rows = []
    for year in range(2019, 2024):
        for district in (["Sagene", "Alna"] if year < 2023 else ["Sagene"]):
            for age, n in [(9, 100), (10, 200), (22, 300), (23, 400)]:
                rows.append({"year": year, "district": district, "sex": "female", "age": age, "population": n})
    pop = pd.DataFrame(rows)
    pop["district"] = pd.Categorical(pop["district"], categories=DISTRICTS)
    pop.attrs = {"synthetic": True, "accounting": io.Accounting(
        kind="population", file="population.csv", sha256="1" * 64, format="csv", rows_read=len(pop),
        rows_kept=len(pop), rows_in_analysis=len(pop), rows_dropped_by_reason={"blank": 0}, synthetic=True).to_dict()}
    return pop


def make_survey() -> pd.DataFrame:
    """Wave 2021: 3 schools x 20 pupils; wave 2023: 12 schools x 10 pupils; wave 2025 (after 2023): 5 pupils."""
    rows = []
    for wave, schools, pupils in [(2021, 3, 20), (2023, 12, 10), (2025, 1, 5)]:
        for s in range(schools):
            for k in range(pupils):
                rows.append({"wave": wave, "pupil_id": f"{wave}-{s}-{k}", "school_id": f"s{s}",
                             "district": "Sagene" if s % 2 == 0 else "Alna", "grade": "10", "sex": "female",
                             "weight": 1.0, "cannabis_12m": "1" if k else None})
    sv = pd.DataFrame(rows)
    sv["district"] = pd.Categorical(sv["district"], categories=DISTRICTS)
    sv.attrs = {"synthetic": False, "accounting": io.Accounting(
        kind="survey", file="survey.sav", sha256="2" * 64, format="sav", rows_read=len(sv), rows_kept=len(sv),
        rows_in_analysis=len(sv), rows_dropped_by_reason={"blank": 0}).to_dict()}
    return sv


@pytest.fixture
def inputs():
    return io.Inputs(register=make_register(), population=make_population(), survey=make_survey())


@pytest.fixture
def policy():
    return Policy(min_count=5, lang="nb")


def shown(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["flag"] != "suppressed"]


#: A policy that suppresses nothing, to see the counts themselves (thresholds of 0 switch rules off).
SHOW_ALL = Policy(min_count=1, min_events=0, count_rel_width_max=1e9, unstable_events=0,
                              min_n_eff=0, abs_width_show=1.0, abs_width_max=1.0, rel_width_max=1e9)


def test_register_coverage_counts_rows_in_scope_up_to_the_year(inputs):
    t = quality.register_coverage(inputs.register, year=2023)
    assert not meta_of(t).graded and meta_of(t).kind == "count"  # the page grades it
    got = {(r.year, r.district): r.count for r in t.itertuples()}
    # 2019, 2020, 2022: k % 3 == 0 -> Alna (k = 0, 3, ..., 27: 10 rows), else Sagene (20 rows);
    # 2021: k = 0, 3 -> Alna (2), k = 1, 2 -> Sagene (2); 2023: 20 Sagene, 7 Alna (the two
    # 9-year-olds in Alna are out of scope), 3 Uoppgitt; 2024 is after the reporting year.
    assert got == {(2019, "Sagene"): 20, (2019, "Alna"): 10, (2020, "Sagene"): 20, (2020, "Alna"): 10,
                   (2021, "Sagene"): 2, (2021, "Alna"): 2, (2022, "Sagene"): 20, (2022, "Alna"): 10,
                   (2023, "Sagene"): 20, (2023, "Alna"): 7, (2023, "Uoppgitt"): 3}


def test_cases_by_year_counts_distinct_cases_in_scope(inputs):
    t = quality.cases_by_year(inputs.register, year=2023)
    # one suspect per case; the two out-of-scope cases of 2023 do not count; 2024 is left out
    assert dict(zip(t["year"], t["count"])) == {2019: 30, 2020: 30, 2021: 4, 2022: 30, 2023: 30}
    page = quality.build(inputs, year=2023, policy=Policy(lang="en"))
    assert page.title("cases_by_year") == "Cases with a suspect or victim aged 10–22 per year, up to 2023"
    assert page.title("register_coverage").startswith("Register rows in the analysis")


def test_register_coverage_is_graded_with_the_policy(inputs, policy):
    t = quality.build(inputs, year=2023, policy=policy)["register_coverage"]
    assert t.loc[(t["year"] == 2023) & (t["district"] == "Uoppgitt"), "flag"].item() == "suppressed"
    counts = shown(t)["count"].astype(float)
    assert not counts.between(1, 4).any()
    assert meta_of(t).policy.min_count == 5


def test_norwegian_warnings_name_the_table_by_its_title(inputs, policy):
    # the title is set before grading, so the grading's message quotes it (in the page language);
    # the page keeps the messages instead of warning (its warning box lists the numbers)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmallSampleWarning)
        messages = quality.build(inputs, year=2023, policy=policy).grading_messages
    assert any("i tabellen «Registreringer i analysen" in m for m in messages), messages


def test_population_coverage_sums_ages_10_to_22(inputs, policy):
    t = quality.build(inputs, year=2023, policy=policy)["population_coverage"]
    # ages 10 and 22 only: 200 + 300 = 500 per year and district
    assert set(t["count"]) == {500}
    assert len(t) == 4 * 2 + 1  # 2019-2022 both districts, 2023 Sagene only
    assert (t["flag"] == "ok").all()


def test_survey_coverage_by_wave_and_district(inputs, policy):
    t = quality.survey_coverage(inputs.survey, year=2023)
    got = {(r.wave, r.district): r.count for r in t.itertuples()}
    # 2021: schools 0 and 2 in Sagene (40 pupils), school 1 in Alna (20); 2023: 6 schools each x 10 = 60
    assert got == {(2021, "Sagene"): 40, (2021, "Alna"): 20, (2023, "Sagene"): 60, (2023, "Alna"): 60}


def test_missing_values_only_columns_with_missing(inputs):
    t = quality.missing_values(inputs, year=2023)
    assert meta_of(t).kind == "proportion"
    rows = {(r.input, r.column): r for r in t.itertuples()}
    assert set(rows) == {("register", "sex"), ("survey", "cannabis_12m")}
    sex = rows[("register", "sex")]
    # 6 of 126 register rows up to 2023 (30+30+4+30+30 cases + 2 out of scope)
    assert (sex.numerator, sex.denominator) == (6, 126)
    assert sex.estimate == pytest.approx(6 / 126)
    # survey: the first pupil of each school has no answer: 3 + 12 = 15 of 60 + 120 = 180
    can = rows[("survey", "cannabis_12m")]
    assert (can.numerator, can.denominator) == (15, 180)
    complete = quality.complete_columns(inputs, year=2023)
    assert "online" in complete["register"] and "sex" not in complete["register"]
    assert complete["survey"][:2] == ["wave", "pupil_id"]


def test_small_missing_counts_are_suppressed(inputs, policy):
    reg = inputs.register.copy()
    reg.attrs = inputs.register.attrs
    reg.loc[0:5, "sex"] = "male"
    reg.loc[0:1, "sex"] = None  # 2 missing: below min_count 5
    t = quality.build({"register": reg}, year=2023, policy=policy)["missing_values"]
    assert t["flag"].tolist() == ["suppressed"]
    assert t["numerator"].isna().all() and t["estimate"].isna().all()


def test_check_year_volumes_finds_the_low_year_without_leaking_the_count(inputs):
    c = quality.check_year_volumes(inputs.register, year=2023, min_count=5, lang="nb")
    assert not c.ok
    # 2021 has 4 cases (below min_count): no count and no percentage is shown
    assert c.detail == "2021: færre enn 5 anmeldelser, mot en median på 30 i årene rundt"
    c2 = quality.check_year_volumes(inputs.register, year=2023, min_count=3, lang="en")
    # with min_count 3 the count 4 may be shown: 4 / 30 = 13 %
    assert c2.detail == "2021: 4 cases, 13% of the median (30) of the years around it"


def test_check_year_volumes_ok_and_bad_ratio(inputs):
    reg = inputs.register[inputs.register["year"] >= 2022]
    c = quality.check_year_volumes(reg, year=2024, lang="en")
    assert c.ok and c.detail.startswith("No year in 2022–2024 stands out")
    with pytest.raises(ValueError, match="ratio=2"):
        quality.check_year_volumes(reg, year=2023, ratio=2)


def test_a_year_without_cases_is_a_gap_not_a_missing_year(inputs):
    # issue 13: a year inside the register's span without any case counts 0 (before, it was left out,
    # so neither the figure nor the check showed the gap)
    reg = inputs.register[inputs.register["year"] != 2021]
    c = quality.check_year_volumes(reg, year=2023, lang="en")
    assert not c.ok and c.detail == "2021: 0 cases, 0% of the median (30) of the years around it"
    t = quality.cases_by_year(reg, year=2023)
    assert dict(zip(t["year"], t["count"])) == {2019: 30, 2020: 30, 2021: 0, 2022: 30, 2023: 30}


def test_check_latest_year_complete(inputs):
    c = quality.check_latest_year_complete(inputs.register, year=2023, lang="nb")
    # the out-of-scope rows are dated December; the check looks at every registration
    assert c.ok and c.detail == "Registeret har registreringer fram til desember 2023."
    reg = inputs.register[inputs.register["in_scope"]]
    c = quality.check_latest_year_complete(reg, year=2023, lang="en")
    assert not c.ok and c.detail.startswith("The last registration in 2023 is in June")
    assert not quality.check_latest_year_complete(reg, year=2030).ok


def test_check_population_districts(inputs):
    c = quality.check_population_districts(inputs.register, inputs.population, year=2023, lang="nb")
    assert not c.ok
    assert c.detail == ("Mangler befolkning 10–22 år i 2023 for: Alna. "
                        "Rater for disse bydelene kan ikke beregnes.")
    ok = quality.check_population_districts(inputs.register, inputs.population, year=2022, lang="en")
    assert ok.ok and ok.detail == "All 2 districts with registrations in 2022 have population figures."
    missing_year = quality.check_population_districts(inputs.register, inputs.population, year=2024, lang="en")
    assert missing_year.detail == ("The population file lacks 2024 (it has 2019–2023); "
                                   "rates for 2024 cannot be computed.")
    assert not quality.check_population_districts(inputs.register, None, year=2023).ok


def test_check_unknown_district(inputs):
    c = quality.check_unknown_district(inputs.register, year=2023, lang="nb")
    # 3 of 30 rows in scope: 10,0 % > 5 %
    assert not c.ok and c.detail.startswith("10,0 % av radene i 2023 har ukjent bostedsbydel (grense 5 %)")
    assert quality.check_unknown_district(inputs.register, year=2022).ok


def test_check_survey_schools(inputs):
    c = quality.check_survey_schools(inputs.survey, year=2023, lang="en")
    assert not c.ok
    assert c.detail.startswith("2021: 3 schools, 2023: 12 schools. Fewer than 9 schools (2021)")
    assert quality.check_survey_schools(inputs.survey, year=2023, min_schools=3).ok
    assert not quality.check_survey_schools(None, year=2023).ok
    assert not quality.check_survey_schools(inputs.survey, year=2020).ok


def test_checks_table(inputs):
    t = quality.checks(inputs, year=2023, lang="en")
    assert list(t.columns) == ["check", "result", "detail"]
    assert len(t) == 5
    assert t["result"].tolist() == ["⚠ check this", "✓ fine", "⚠ check this", "⚠ check this", "⚠ check this"]


def test_accounting_shows_file_rows(inputs):
    t = quality.accounting(inputs, lang="nb")
    assert list(t.columns) == ["input", "file", "item", "rows"]
    reg = t[t["input"] == "Anmeldelsesregister"]
    assert reg["file"].iloc[0] == "register.csv"
    # 30 + 30 + 4 + 30 + 30 + 30 (2024) + 2 out of scope = 156 kept, plus 1 blank row read and dropped
    assert reg["rows"].tolist()[:3] == [157, 1, 156]


def test_build_makes_the_whole_page(inputs):
    q = quality.build(inputs, year=2023, policy=Policy(lang="en"))
    assert q.fields["year"] == 2023 and q.status == {"register": True, "population": True, "survey": False}
    assert q.synthetic
    assert q.synthetic_note().startswith("Some inputs are synthetic (Police register, Population)")
    assert q.title("missing_values") == "Share of missing values per column, data up to 2023"
    with pytest.raises(ValueError, match="name='nope'"):
        q.title("nope")
    assert [e.title for e in q.shown()] == [
        "Cases with a suspect or victim aged 10–22 per year, up to 2023",
        "Register rows in the analysis (case × person × role, ages 10–22) by year and home district, up to 2023",
        "Population aged 10–22 by year and district, up to 2023",
        "Ung i Oslo respondents by survey year and district, up to 2023",
        "Share of missing values per column, data up to 2023",
    ]
    assert "Police register: no missing values in Case id" in q.complete_note()
    assert q.show_plain("checks").text.count("\n") >= 5


def test_build_without_survey_and_bad_policy(inputs, policy):
    q = quality.build({"register": inputs.register, "population": inputs.population}, year=2023, policy=policy)
    assert "survey_coverage" not in q and "kan ikke lages" in q.show("survey_coverage").data
    assert "Ung i Oslo-fila mangler." in q.show_plain("checks").text
    with pytest.raises(ValueError, match="policy=5"):
        quality.build(inputs, year=2023, policy=5)
    with pytest.raises(ValueError, match=r"unknown kind\(s\) \['police'\]"):
        quality.build({"police": inputs.register}, year=2023, policy=policy)


def test_no_identifier_values_in_any_output(inputs, policy):
    q = quality.build(inputs, year=2023, policy=policy)
    ids = set(inputs.register["person_id"]) | set(inputs.register["case_id"]) | set(inputs.survey["pupil_id"])
    text = " ".join(t.astype(str).to_csv() for t in q.tables().values()) + q.complete_note() + q.synthetic_note()
    text += " ".join([q.show_plain("accounting").text, q.show_plain("checks").text, q.warning_box().text])
    words = set(text.replace(",", " ").split())
    assert not ids & words


def test_a_small_notice_count_of_persons_is_written_fewer_than_min_count(inputs):
    # issue 11: "pupils who answered none of the items: 2" counted persons on the published data page
    sv = inputs.survey.copy()
    d = dict(sv.attrs["accounting"])
    d["notices"] = [{"code": "no_items_answered", "fields": {}, "rows": 2}]
    sv.attrs = {**sv.attrs, "accounting": d}
    t = quality.accounting(io.Inputs(register=inputs.register, population=inputs.population, survey=sv), "en",
                           min_count=5)
    row = t[t["item"].str.startswith("Pupils who answered none of the items")]
    assert row["item"].tolist() == ["Pupils who answered none of the items (kept; they count in no item): "
                                    "fewer than 5"]
    assert row["rows"].isna().all()
    d["notices"] = [{"code": "no_items_answered", "fields": {}, "rows": 5}]
    t = quality.accounting(io.Inputs(register=inputs.register, population=inputs.population, survey=sv), "en",
                           min_count=5)
    assert t[t["item"].str.startswith("Pupils who answered none")]["rows"].tolist() == [5]


def test_counts_and_shares_of_whole_files_carry_no_interval(inputs):
    # issue 12: population counts "12 345 (12 100–12 590)" and missing shares "0,1 (0,1–0,1)" had intervals
    # for numbers that describe the whole file (no sampling error)
    q = quality.build(inputs, year=2024, policy=Policy(lang="en"))
    for name in ("population_coverage", "missing_values"):
        t = q[name]
        assert t["ci_low"].isna().all() and t["ci_high"].isna().all(), name
        assert "no interval" in meta_of(t).method
        view = q.show(name).text.split("\n")
        body = [line for line in view[1:] if not line.startswith("“") and not line.startswith("Cells")]
        assert not any("(" in line or "CI" in line for line in body), view
    # the cases per year are a count of events with a Poisson interval, as before
    assert q["cases_by_year"]["ci_high"].notna().any()
