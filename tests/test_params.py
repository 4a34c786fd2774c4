"""salto_analysis.params: one clear message naming the parameter, its value and what is allowed."""

import warnings

import pytest

from salto_analysis import params
from salto_analysis.policy import Policy


@pytest.fixture
def data_dir(tmp_path):
    for name in ("register.csv", "population.csv", "survey.csv.gz"):
        (tmp_path / name).write_text("x\n1\n", encoding="utf-8")
    return tmp_path


def test_valid_parameters_are_normalised(data_dir):
    p = params.validate(data_dir=str(data_dir), year=2025, years_back=10, lang="en", min_count=5,
                        confidence_level=0.95, age_groups=["10-14", "18-22"], districts=["Grünerløkka"],
                        waves=[2018, 2023], items=["cannabis_12m"], districts_file="")
    assert p.data_dir == data_dir and p["year"] == 2025 and p.lang == "en"
    assert p.age_groups == ("10-14", "18-22") and p.waves == (2018, 2023)
    assert p.districts_file is None
    assert set(p) == {"data_dir", "year", "years_back", "lang", "min_count", "confidence_level", "age_groups",
                      "districts", "waves", "items", "districts_file"}
    with pytest.raises(AttributeError, match="read-only"):
        p.year = 2020


def test_year_zero_means_latest():
    assert params.validate(year=0).year == 0


@pytest.mark.parametrize("name, value, words", [
    ("lang", "se", "lang='se' must be 'nb' (Norwegian bokmål) or 'en' (English)"),
    ("year", True, "year=True must be 0 (the latest year in the data) or a year from 1990 to 2100, got bool"),
    ("year", "2025", "year='2025' must be 0"),
    ("year", 25, "year=25 must be 0 (the latest year in the data) or a year from 1990 to 2100"),
    ("min_count", 0, "min_count=0 must be a whole number of at least 1"),
    ("min_count", 2.5, "min_count=2.5 must be a whole number of at least 1 (5 is the project default), got float"),
    ("confidence_level", 95, "confidence_level=95 must be a number strictly between 0 and 1, such as 0.95 "
                             "(not a percentage)"),
    ("confidence_level", "0.95", "confidence_level='0.95' must be a number between 0 and 1"),
    ("age_groups", "10-14", "age_groups='10-14' must be a list"),
    ("age_groups", ["10-15"], "age_groups=['10-15'] has unknown age group(s) ['10-15']; allowed: 10-14, 15-17, 18-22"),
    ("districts", ["Grunerlokka"], "districts=['Grunerlokka'] has unknown district(s) ['Grunerlokka']"),
    ("districts", [], "districts=[] must list at least one district"),
    ("waves", [2018, "2023"], "waves=[2018, '2023'] must be a list of survey years from 1990 to 2100"),
    ("items", ["weed"], "items=['weed'] has unknown survey item(s) ['weed']"),
    ("years_back", 0, "years_back=0 must be a whole number of years from 1 to 50"),
])
def test_bad_values_give_one_message_naming_parameter_value_and_allowed(name, value, words):
    with pytest.raises(params.ParameterError) as exc:
        params.validate(**{name: value})
    message = str(exc.value)
    assert message.startswith(f"notebook parameter {name}=")
    assert words in message
    assert "\n" not in message
    assert isinstance(exc.value, ValueError)


def test_several_problems_in_one_message():
    with pytest.raises(params.ParameterError) as exc:
        params.validate(lang="fr", min_count=-1)
    assert str(exc.value).startswith("2 notebook parameters are wrong: lang='fr' must be")
    assert "; min_count=-1 must be" in str(exc.value)


def test_data_dir_must_exist_and_hold_the_inputs(tmp_path, data_dir):
    with pytest.raises(params.ParameterError, match=r"data_dir='.*nowhere' is not an existing folder"):
        params.validate(data_dir=str(tmp_path / "nowhere"))
    (data_dir / "survey.csv.gz").unlink()
    with pytest.raises(params.ParameterError, match=r"does not hold the inputs \(survey: no survey file\)"):
        params.validate(data_dir=str(data_dir))
    # a notebook that reads only register and population does not need the survey
    assert params.validate(data_dir=str(data_dir), inputs=("register", "population")).data_dir == data_dir
    with pytest.raises(params.ParameterError, match="data_dir=3 must be the path of the data folder"):
        params.validate(data_dir=3)


def test_districts_file_must_exist(tmp_path):
    with pytest.raises(params.ParameterError, match="districts_file='.*missing.csv' is not an existing file"):
        params.validate(districts_file=str(tmp_path / "missing.csv"))
    f = tmp_path / "crosswalk.csv"
    f.write_text("old,new\n", encoding="utf-8")
    assert params.validate(districts_file=str(f)).districts_file == f


def test_low_min_count_warns_below_statistics_norways_example_threshold():
    with pytest.warns(UserWarning, match="min_count=2 is below 3"):
        params.validate(min_count=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params.validate(min_count=3)


def test_unknown_parameter_names_are_refused():
    with pytest.raises(ValueError, match=r"does not know parameter\(s\) \['yaer'\]"):
        params.validate(yaer=2025)
    with pytest.raises(ValueError, match=r"inputs=\('registry',\)"):
        params.validate(inputs=("registry",))


def test_resolve_year():
    years = [2016, 2017, 2018, 2019, 2020]
    assert params.resolve_year(0, years) == 2020
    assert params.resolve_year(2018, years) == 2018
    with pytest.raises(params.ParameterError, match=r"year=2022 is not in the data, which has 2016–2020; "
                                                    r"use one of those years or 0 for the latest \(2020\)"):
        params.resolve_year(2022, years)
    with pytest.raises(params.ParameterError, match="which has 2015, 2018, 2021"):
        params.resolve_year(2019, [2015, 2018, 2021, 2018], exact=True)
    # a year inside the data's span without rows is a year with no cases (issue 13): accepted
    assert params.resolve_year(2019, [2015, 2018, 2021, 2018]) == 2019
    with pytest.raises(params.ParameterError, match="year=2014 is not in the data, which has 2015, 2018, 2021"):
        params.resolve_year(2014, [2015, 2018, 2021])
    with pytest.raises(params.ParameterError, match="year=1.5"):
        params.resolve_year(1.5, years)


def test_resolve_year_from_a_frame_column():
    import pandas as pd

    frame = pd.DataFrame({"wave": pd.array([2015, 2018, None], dtype="Int64")})
    assert params.resolve_year(0, frame, column="wave", name="wave") == 2018
    with pytest.raises(ValueError, match="no column 'year'"):
        params.resolve_year(0, frame)


def test_policy_from_parameters():
    pol = params.policy(10, 0.9, "en")
    assert isinstance(pol, Policy)
    assert pol.min_count == 10 and pol.lang == "en"
    # the grading level stays the NCHS 95 % whatever level the tables show
    assert pol.grading_confidence_level == 0.95
    with pytest.raises(params.ParameterError, match="min_count=0"):
        params.policy(0, 0.95, "nb")
    with pytest.raises(params.ParameterError, match="lang='no'"):
        params.policy(5, 0.95, "no")
