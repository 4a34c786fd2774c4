"""Every page runs on any valid input, however small (issue 13, item 1).

A real extract is not the sample: a special extract may cover a few hundred persons, a year
may have no cases, a district or a sex may be all there is, a survey wave may come from one
school, the survey may have no weights. The data folders here are cut from ``data/sample/``
(:mod:`fixtures.small_data.inputs`), and each notebook's cells run in this process on them
(:mod:`fixtures.small_data.pages`, the same calls as the notebook, without a kernel). Then
every table, figure, warning box and text of the page is shown and the page is recorded
(:func:`fixtures.small_data.pages.exercise`). Nothing may raise; where a table or figure
cannot be computed the page says why in plain words; and every published table still
passes the small-count rule (no count from 1 to ``min_count − 1`` shown,
:func:`salto_analysis.briefing.records.small_count_cells`).

* :func:`test_register_pages_on_random_small_registers` draws registers of 1, 10 and 60
  random persons with hypothesis (two draws in the unit tests; the slow
  :func:`test_register_pages_on_more_random_small_registers` draws twelve, up to 500
  persons). The cases that failed before the fix are kept as its ``@example`` cases and as
  the tests below them, each with what its page must now say.
* The variants (a reporting year with no cases, a single district, one sex, a survey wave
  from one school, a survey without weights) each have a test.
* :func:`test_small_briefing_publishes` (slow) runs ``salto-briefing`` on a 60-person
  folder and on a 10-person one.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fixtures.small_data.inputs import persons, register_rows, write_data_dir
from fixtures.small_data.pages import empty_shown, exercise, run_notebook
from salto_analysis import labels
from salto_analysis.briefing.records import small_count_cells
from salto_analysis.params import ParameterError
from salto_analysis.trends.yearly import trend

REGISTER_NOTEBOOKS = ("00_data_quality", "01_crime_trends", "02_victim_offender_overlap", "03_repeat_offenders")
SURVEY_NOTEBOOKS = ("00_data_quality", "04_drug_use_trends")


def run_pages(data_dir: Path, names=REGISTER_NOTEBOOKS, **parameters) -> dict:
    """Run each notebook here on ``data_dir``, show and record everything its page has; the pages.

    Asserts that no published table shows a count from 1 to ``min_count − 1`` and that no shown
    table is empty (the page must say why instead).
    """
    pages = {}
    for name in names:
        ns = run_notebook(name, data_dir, **parameters)
        page = ns["page"]
        published = exercise(page)
        assert not empty_shown(page), f"{name}: tables shown without a row: {empty_shown(page)}"
        min_count = page.policy.min_count
        small = {t: cells for t, table in published.items() if (cells := small_count_cells(table, min_count))}
        assert not small, f"{name}: small counts published: {small}"
        pages[name] = page
    return pages


def register_years(k: int, seed: int) -> list[int]:
    """The years of the registrations of the ``k`` persons drawn with ``seed``."""
    reg = register_rows()
    reg = reg[reg["person_id"].isin(set(persons(k, seed)))]
    return sorted({int(d[:4]) for d in reg["registered_date"]})


def text_of(shown) -> str:
    """The text of what a page shows: a Markdown sentence or a table block."""
    return shown.data if hasattr(shown, "data") else shown.text


def says(page, name: str, key: str, figure: bool = False, **fields) -> bool:
    """Whether ``page.show(name)`` (or ``page.figure(name)``) is exactly the sentence ``key``."""
    return text_of(page.figure(name) if figure else page.show(name)) == page.text(key, **fields)


# --------------------------------------------------------------------------------------
# random small registers
# --------------------------------------------------------------------------------------
def check_random_register(k: int, seed: int, year: int, lang: str) -> None:
    """Every register page on ``k`` persons drawn with ``seed``, for ``year`` (0: the latest)."""
    years = register_years(k, seed)
    with tempfile.TemporaryDirectory() as tmp:
        data = write_data_dir(Path(tmp), k=k, seed=seed)
        if year and not years[0] <= year <= years[-1]:
            # a year the register does not cover is a parameter error, said in one line
            for name in REGISTER_NOTEBOOKS:
                with pytest.raises(ParameterError, match=rf"year={year} is not in the data"):
                    run_notebook(name, data, year=year, lang=lang)
            return
        run_pages(data, year=year, lang=lang)


YEARS = st.one_of(st.just(0), st.integers(2016, 2025))


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.sampled_from([1, 10, 60]), seed=st.integers(0, 2**20), year=YEARS, lang=st.sampled_from(["nb", "en"]))
def test_register_pages_on_random_small_registers(k, seed, year, lang):
    check_random_register(k, seed, year, lang)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.sampled_from([1, 10, 60, 500]), seed=st.integers(0, 2**20), year=YEARS,
       lang=st.sampled_from(["nb", "en"]))
@example(k=60, seed=0, year=2024, lang="nb")  # the case: the funnel had no reference rate
@example(k=1, seed=4, year=0, lang="en")  # a trend whose slope diverges: math range error in the fit
@example(k=10, seed=3, year=2024, lang="nb")  # no suspect aged 10-17 in 2024
@example(k=1, seed=0, year=0, lang="nb")  # the register starts in the reporting year
@example(k=10, seed=1, year=0, lang="en")  # the reporting year has victims but no suspect
@example(k=60, seed=409093, year=0, lang="nb")  # a debut group without a month that can be shown
@example(k=2, seed=132344, year=0, lang="en")  # the latest year has only rows outside ages 10-22
@example(k=1, seed=872792, year=0, lang="nb")  # no cohort to follow (an empty table before)
@example(k=60, seed=58667, year=0, lang="nb")  # no Lorenz point can be shown (an empty table before)
@example(k=2, seed=475922, year=0, lang="nb")  # no row in scope at all (empty coverage tables before)
def test_register_pages_on_more_random_small_registers(k, seed, year, lang):
    check_random_register(k, seed, year, lang)


# --------------------------------------------------------------------------------------
# the cases hypothesis and the search found, with what the pages now say
# --------------------------------------------------------------------------------------
def _pages(tmp_path, k, seed, year, lang="nb", names=REGISTER_NOTEBOOKS, **variant):
    return run_pages(write_data_dir(tmp_path, k=k, seed=seed, **variant), names, year=year, lang=lang)


def test_60_persons_2024_funnel_and_reregistration(tmp_path):
    """The issue's case: 60 persons, 2024. Before: the funnel raised "no rows to compute a reference
    rate from"; then the re-registration curve raised IndexError (a debut group in which nobody was
    registered again) and the log-rank test LinAlgError (every event time with one group at risk)."""
    pages = _pages(tmp_path, 60, 0, 2024, names=("01_crime_trends", "03_repeat_offenders"))
    trends = pages["01_crime_trends"]
    # the Oslo row holds fewer than min_count suspects: withheld, so no reference line
    assert trends["districts"]["flag"].iloc[-1] == "suppressed"
    assert says(trends, "funnel", "trends.not_shown.funnel_withheld", figure=True)
    cohorts = pages["03_repeat_offenders"]
    curve = cohorts["reregistration_curve"]
    assert len(curve)
    # a debut group without re-registrations is the flat Kaplan-Meier curve: 0 % and the interval (0, 0)
    # (the published curve has no counts of re-registered persons, issue 11: a flat group is one whose
    # shown shares are all 0)
    shown = curve[curve["flag"] != "suppressed"]
    flat = shown.groupby("debut_age_group", observed=True)["estimate"].max()
    for group in flat.index[flat == 0]:
        rows = shown[shown["debut_age_group"] == group]
        assert (rows[["ci_low", "ci_high"]] == 0).all().all()


def test_register_that_starts_in_the_reporting_year(tmp_path):
    """One person registered only in 2024-2025; year 0 (the latest, 2025). Before: notebook 01 refused
    ("the comparison with the 3 previous years needs 2022-2024 in the register")."""
    assert register_years(1, 1) == [2025]
    pages = _pages(tmp_path, 1, 1, 0, lang="en", names=("00_data_quality", "01_crime_trends"))
    trends = pages["01_crime_trends"]
    assert trends.selection.year == 2025 and trends.selection.count_years == (2025,)
    assert says(trends, "change_previous", "trends.not_shown.no_previous")
    assert "the register starts in 2025, so there are no figures for 2024" in text_of(trends.show("change_previous"))
    assert says(trends, "change_mean", "trends.not_shown.no_reference")
    assert says(trends, "trend", "trends.not_shown.one_year")
    assert says(trends, "victim_change", "trends.not_shown.one_year")
    assert "change_previous_total" not in trends and "level_total" in trends
    assert text_of(trends.sentences("change_previous")) == ""


def test_trend_with_every_event_at_one_end_is_not_estimated(tmp_path):
    """One person with one case in 2024 (aged 17) and one in 2025 (aged 18): in each age group every
    event falls in the first or the last year, where the slope's estimate is infinite. Before:
    ``OverflowError: math range error`` in the fit; now those rows are missing ("..")."""
    pages = _pages(tmp_path, 1, 4, 0, names=("01_crime_trends",))
    selection = pages["01_crime_trends"].selection
    assert selection.years == (2024, 2025)
    rows = trend(selection).set_index(["counted", "age_group"])
    for group in ("15-17", "18-22"):
        assert rows.loc[("suspects", group), ["estimate", "ci_low", "ci_high"]].isna().all()
    # the total has one suspect in each year: the two-point fit is exact, the rate ratio of the two years
    pop = pd.read_csv(tmp_path / "population.csv")
    pop = pop[pop["age"].between(10, 22)].groupby("year")["population"].sum()
    assert rows.loc[("suspects", "total"), "count"] == 2
    assert rows.loc[("suspects", "total"), "estimate"] == pytest.approx(pop[2024] / pop[2025], rel=1e-9)


def test_register_without_suspects(tmp_path):
    """One person who is only ever a victim. Before: notebook 03 refused ("the register has no suspect
    registrations in scope"); now its page says that nobody was a suspect in the year."""
    reg = register_rows()
    victim = reg.groupby("person_id")["role"].agg(set)
    pid = sorted(victim.index[victim.map(lambda r: r == {"victim"})])[0]
    data = write_data_dir(tmp_path, person_ids=[pid])
    year = int(reg.loc[reg["person_id"] == pid, "registered_date"].str[:4].max())
    pages = run_pages(data, ("02_victim_offender_overlap", "03_repeat_offenders"), year=year, lang="nb")
    cohorts = pages["03_repeat_offenders"]
    for name in ("offence_bands", "top_shares", "offence_mix"):
        assert says(cohorts, name, "cohorts.not_shown.no_suspects_year")
    assert text_of(cohorts.show("gini")) == ""  # the table above it said why
    assert cohorts.markdown("concentration").data == ""
    assert (cohorts["threshold_series"]["count"] == 0).all()
    overlap = pages["02_victim_offender_overlap"]
    assert (overlap["shares_total"]["numerator"] == 0).all()


def test_year_without_suspects_of_the_counted_ages(tmp_path):
    """Ten persons, 2024: no suspect aged 10-17 that year. Before: notebook 03 raised ("no suspects
    aged 10-17 were registered in 2024")."""
    pages = _pages(tmp_path, 10, 3, 2024, lang="en", names=("03_repeat_offenders",))
    cohorts = pages["03_repeat_offenders"]
    assert text_of(cohorts.show("offence_bands")) == "No suspects aged 10–17 were registered in 2024, so the table " \
                                                 "cannot be made."
    assert says(cohorts, "offence_bands", "cohorts.not_shown.no_suspects_year", figure=True)
    assert "threshold_series" in cohorts and "debut_age" in cohorts  # the tables of earlier years are there


def test_year_in_the_register_without_suspects_at_all(tmp_path):
    """Ten persons whose suspects are registered in 2017-2023 only, reporting year 2025 (the latest, a
    year with victims only). Before: notebook 03 refused ("year=2025 is not in the register, which has
    suspects in 2017–2023")."""
    reg = register_rows()
    reg = reg[reg["person_id"].isin(set(persons(10, 1)))]
    suspects = sorted({int(d[:4]) for d in reg.loc[reg["role"] == "suspect", "registered_date"]})
    assert suspects[-1] < 2025 == max(int(d[:4]) for d in reg["registered_date"])
    pages = _pages(tmp_path, 10, 1, 0, names=("03_repeat_offenders",))
    assert says(pages["03_repeat_offenders"], "top_shares", "cohorts.not_shown.no_suspects_year")


def test_register_without_a_row_aged_10_to_22(tmp_path):
    """Two victims aged 37 and 39: nothing in scope. Before: the data page showed empty coverage tables."""
    pages = _pages(tmp_path, 2, 475922, 0, names=("00_data_quality", "01_crime_trends"))
    quality = pages["00_data_quality"]
    assert text_of(quality.show("register_coverage")) == ("Registeret har ingen rader med alder 10–22 år til og "
                                                          "med 2020, så tabellen kan ikke lages.")
    # the register covers 2018-2020 (rows of persons aged 37 and 39): no case with a person aged 10-22
    assert quality["cases_by_year"]["year"].tolist() == [2018, 2019, 2020]


def test_latest_year_with_rows_outside_the_ages_only(tmp_path):
    """A victim aged 19 in 2021 and one aged 24 in 2022; year 0 is 2022. Before: notebook 03 refused
    ("year=2022 is not in the register, which covers 2021–2021")."""
    pages = _pages(tmp_path, 2, 132344, 0, names=("03_repeat_offenders",))
    cohorts = pages["03_repeat_offenders"]
    assert cohorts.year == 2022 and (cohorts.first_year, cohorts.fields["first"]) == (2021, 2021)


def test_no_cohort_and_no_lorenz_point(tmp_path):
    """Before: notebook 03 showed the cohort and Lorenz tables without a row."""
    cohorts = _pages(tmp_path / "a", 1, 872792, 0, names=("03_repeat_offenders",))["03_repeat_offenders"]
    assert cohorts.year == 2020 == cohorts.first_year
    assert text_of(cohorts.show("transitions")) == ("Ingen kohort kan følges: ingen mistenkte i alderen 10–17 år "
                                                    "hadde 4+ lovbrudd i noen av de 3 årene før 2020 som "
                                                    "registeret dekker.")
    assert says(cohorts, "transitions", "cohorts.not_shown.no_cohorts", figure=True)
    # one suspect, first registered in 2020: no month of a curve can be shown
    assert says(cohorts, "reregistration_curve", "cohorts.not_shown.no_curve", figure=True)
    assert text_of(cohorts.show("reregistration")) == ""
    cohorts = _pages(tmp_path / "b", 60, 58667, 0, names=("03_repeat_offenders",))["03_repeat_offenders"]
    assert text_of(cohorts.figure("lorenz")) == ("Lorenzkurven kan ikke vises: de mistenkte i 2025 er så få at hvert "
                                                 "punkt på kurven ville avsløre en gruppe på færre enn 5 personer.")
    assert "gini" in cohorts  # the Gini itself is there (withheld or not, by the grading)


def test_reregistration_curve_without_a_month_to_show(tmp_path):
    """60 persons, 2025: in one debut group every month adds 1..4 re-registrations to the last shown one.
    Before: kaplan_meier raised "times=[] must be a non-empty list"; now that group has no curve."""
    cohorts = _pages(tmp_path, 60, 409093, 0, names=("03_repeat_offenders",))["03_repeat_offenders"]
    groups = set(cohorts["reregistration_curve"]["debut_age_group"].astype(object))
    assert len(groups) == 1


# --------------------------------------------------------------------------------------
# the variants of the issue
# --------------------------------------------------------------------------------------
def test_reporting_year_with_no_cases(tmp_path):
    """500 persons with every registration of 2024 removed; year 2024 (inside the register's span).
    Before: every register notebook refused the year ("year=2024 is not in the data")."""
    data = write_data_dir(tmp_path, k=500, seed=0, variant="no_cases_year", year=2024)
    pages = run_pages(data, year=2024, lang="nb")
    trends = pages["01_crime_trends"]
    counts = trends.selection.counts
    assert (counts.loc[counts["year"] == 2024, "count"] == 0).all()
    assert says(trends, "funnel", "trends.not_shown.funnel_none", figure=True)
    assert "Ingen unge 10–22 år med kjent bostedsbydel er registrert som mistenkt i 2024" in text_of(trends.figure("funnel"))
    assert says(pages["03_repeat_offenders"], "offence_bands", "cohorts.not_shown.no_suspects_year")
    quality = pages["00_data_quality"]
    assert 2024 in set(quality["cases_by_year"]["year"])  # the gap is a row, not a missing year
    assert "2024: 0 anmeldelser, 0 % av medianen" in quality.show_plain("checks").text


def test_single_district(tmp_path):
    """Only the rows of persons living in Gamle Oslo (500 persons drawn)."""
    data = write_data_dir(tmp_path, k=500, seed=1, variant="single_district", district="Gamle Oslo")
    pages = run_pages(data, ("01_crime_trends", "02_victim_offender_overlap"), year=0, lang="nb")
    rates = pages["01_crime_trends"]["districts"].set_index("district")
    assert (rates.drop(index=["Gamle Oslo", "city"])["count"].fillna(0) == 0).all()


def test_one_sex(tmp_path):
    """Only male suspects, victims and pupils (register of 500 persons, the whole survey)."""
    data = write_data_dir(tmp_path, k=500, seed=2, variant="one_sex", sex="male")
    pages = run_pages(data, ("02_victim_offender_overlap", "04_drug_use_trends"), year=0, lang="en")
    assert set(pages["02_victim_offender_overlap"]["shares_by_sex"]["sex"].astype(object)) <= {"male", "total"}
    assert set(pages["04_drug_use_trends"]["prevalence"]["sex"].astype(object)) == {"male"}


@pytest.mark.parametrize("wave", [None, "all"])
def test_survey_wave_from_one_school(tmp_path, wave):
    """The latest wave (or every wave) answered by one school. Before: notebook 04 raised "stratum 2023
    has only one PSU, so its variance cannot be estimated"; now the wave is left out and the page says so."""
    data = write_data_dir(tmp_path, k=10, seed=0, variant="one_school_wave", wave=wave)
    pages = run_pages(data, SURVEY_NOTEBOOKS, year=0, lang="nb")
    page = pages["04_drug_use_trends"]
    survey = pd.read_csv(data / "survey.csv")
    waves = sorted(survey["wave"].unique())
    gone = waves if wave == "all" else waves[-1:]
    intro = page.markdown("intro").data
    assert re.search(rf"bare én skole er ikke med i tabellene: {', '.join(map(str, gone))} \(", intro)
    if wave == "all":
        assert says(page, "nonresponse", "drug_use.not_shown.no_waves")
        assert text_of(page.show("prevalence")) == "" and text_of(page.figure("trends")) == ""
    else:
        assert sorted(page["prevalence"]["wave"].unique()) == waves[:-1]
    quality = pages["00_data_quality"]
    assert "quality.result.warning" not in quality.show_plain("checks").text  # words, not keys
    assert labels.t("quality.result.warning", "nb") in quality.show_plain("checks").text


def test_survey_waves_from_two_schools(tmp_path):
    """Two schools a wave: every share is withheld. Before: the change and trend tables were shown without
    a row; now they say why."""
    data = write_data_dir(tmp_path, k=10, seed=132344, variant="few_schools", schools=2)
    page = run_pages(data, ("04_drug_use_trends",), year=0, lang="en")["04_drug_use_trends"]
    assert not (page["prevalence"]["flag"] == "ok").any()
    assert says(page, "change", "drug_use.not_shown.no_change")
    assert says(page, "trend", "drug_use.not_shown.no_trend")


def test_survey_without_weights(tmp_path):
    """The survey without its weight column: every pupil weighs 1 and the page says the design is unweighted."""
    data = write_data_dir(tmp_path, k=10, seed=0, variant="no_weight")
    pages = run_pages(data, SURVEY_NOTEBOOKS, year=0, lang="en")
    reading = pages["04_drug_use_trends"].markdown("reading").data
    assert labels.t("drug_use.note.no_weights", "en") in reading


# --------------------------------------------------------------------------------------
# the briefing end to end
# --------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("k, seed", [(60, 0), (10, 2)])
def test_small_briefing_publishes(tmp_path, k, seed):
    """``salto-briefing --year 2024 --data-dir <k persons>`` publishes (issue 13: with 60 persons it failed
    in notebook 01's funnel). The wall time is printed (``pytest -s``) for the report."""
    from fixtures.briefing.support import run_cli

    data = write_data_dir(tmp_path / "data", k=k, seed=seed)
    out = tmp_path / "out"
    start = time.perf_counter()
    proc = run_cli("--year", "2024", "--data-dir", str(data), "--out", str(out), "--jobs", "2")
    wall = time.perf_counter() - start
    print(f"\nsalto-briefing --year 2024 on {k} persons (seed {seed}): {wall:.1f} s")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "index.html").is_file()
    tables = list((out / "tables").glob("*.csv"))
    assert tables
    for page in out.glob("*.html"):
        assert "Traceback" not in page.read_text(encoding="utf-8"), page.name
