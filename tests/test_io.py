"""Tests for salto_analysis.io: loaders, refusals, accounting and the identity-number check.

Fixtures are written by tests/fixtures/io/make_fixtures.py; its comments give the
file rows the expected messages name (header = row 1). Expected values below are
worked out by hand from those small tables.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import io, schemas
from salto_analysis.io import InputError, InputWarning

FIXTURES = Path(__file__).parent / "fixtures" / "io"


def fx(name: str) -> Path:
    return FIXTURES / name


def refuse(path, kind="register", **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        io.load(path, kind, **kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert "\n" not in str(err), "the message must be one line"
    assert str(path) in str(err), "the message must name the file"
    assert "Fix:" in str(err)
    return err


# --------------------------------------------------------------------------- valid register


@pytest.fixture(scope="module")
def register():
    return io.load_register(fx("register_ok.csv"))


def test_register_types_follow_the_schema(register):
    for col in schemas.REGISTER.columns:
        assert col.name in register.columns
        if col.kind == "category":
            assert isinstance(register[col.name].dtype, pd.CategoricalDtype)
            assert list(register[col.name].cat.categories) == list(col.values)
            assert register[col.name].cat.ordered
    assert register["birth_year"].dtype == "Int64"
    assert register["age"].dtype == "Int64"
    assert register["year"].dtype == "Int64"
    assert pd.api.types.is_datetime64_dtype(register["registered_date"])
    assert register["online"].dtype == "boolean"
    assert register["group_offence"].dtype == "boolean"
    assert register["in_scope"].dtype == bool
    assert pd.api.types.is_string_dtype(register["person_id"])
    # districts in the order of salto_analysis/data/districts.csv
    assert list(register["district"].cat.categories) == list(schemas.district_names())


def test_register_values_and_derived_columns(register):
    # rows 2-8 of register_ok.csv
    assert register["case_id"].tolist() == ["C001", "C001", "C001", "C002", "C003", "C004", "C005"]
    assert register["role"].tolist() == ["suspect", "suspect", "victim", "suspect", "suspect", "victim", "suspect"]
    assert register["registered_date"].iloc[0] == pd.Timestamp("2023-02-01")
    assert register["year"].tolist() == [2023, 2023, 2023, 2023, 2024, 2024, 2025]
    # age = year - birth_year: 2023-2008, 2023-2009, 2023-2007, 2023-2008, 2024-2005, 2024-2010, 2025-1990
    assert register["age"].tolist() == [15, 14, 16, 15, 19, 14, 35]
    assert register["age_group"].astype(object).where(register["age_group"].notna(), None).tolist() == \
        ["15-17", "10-14", "15-17", "15-17", "18-22", "10-14", None]
    # C001 has two suspects (P001, P002): all three rows of the case are a group offence
    assert register["group_offence"].tolist() == [True, True, True, False, False, False, False]
    # SSB 2015: violence, threats and robbery are "Vold og mishandling"; theft "Eiendomstyveri"
    assert register["ssb_offence_group"].tolist() == [
        "Vold og mishandling", "Vold og mishandling", "Vold og mishandling", "Eiendomstyveri",
        "Rusmiddellovbrudd", "Vold og mishandling", "Vold og mishandling"]
    assert register["district"].tolist()[:3] == ["Grünerløkka", "Gamle Oslo", "Sagene"]
    assert register["scene_district"].isna().tolist() == [False] * 5 + [True, False]
    assert register["online"].isna().tolist() == [False, False, False, True, False, False, False]
    assert register["online"].iloc[5]
    # the 35-year-old (row 8) stays in the frame but out of scope
    assert register["in_scope"].tolist() == [True] * 6 + [False]


def test_register_accounting(register):
    acc = io.Accounting.from_dict(register.attrs["accounting"])
    assert acc.kind == "register"
    assert acc.rows_read == 7 and acc.rows_kept == 7
    assert acc.rows_dropped_by_reason == {"blank": 0}
    assert acc.rows_excluded_by_reason == {"age_outside_scope": 1}
    assert acc.rows_in_analysis == 6
    assert acc.sha256 == hashlib.sha256(fx("register_ok.csv").read_bytes()).hexdigest()
    assert acc.encoding == "utf-8" and acc.separator == ","
    assert register.attrs["synthetic"] is False
    assert register.attrs["input"] == "register"


def test_register_with_age_instead_of_birth_year(tmp_path):
    text = fx("register_ok.csv").read_text(encoding="utf-8").replace("birth_year", "age")
    lines = text.splitlines()
    ages = ["15", "14", "16", "15", "19", "14", "35"]
    for i, age in enumerate(ages, start=1):
        fields = lines[i].split(",")
        fields[5] = age
        lines[i] = ",".join(fields)
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df = io.load_register(path)
    assert df["age"].tolist() == [15, 14, 16, 15, 19, 14, 35]
    assert df["birth_year"].isna().all()
    assert "absent_columns" in [n.code for n in io.Accounting.from_dict(df.attrs["accounting"]).notices]


def test_age_and_birth_year_must_agree(tmp_path):
    # registered 2023-02-01, born 2008: age 15 (year - birth_year) or 14 are both fine; 17 is not
    header = "case_id,person_id,role,registered_date,offence_type,birth_year,age,sex,district"
    rows = ["C1,P1,suspect,2023-02-01,theft,2008,15,male,Alna",
            "C2,P2,suspect,2023-02-01,theft,2008,14,male,Alna",
            "C3,P3,suspect,2023-02-01,theft,2008,17,male,Alna"]
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    err = refuse(path)
    assert err.column == "age" and err.rows == (4,) and err.count == 1
    assert "do not match birth_year" in str(err)


# --------------------------------------------------------------------------- the refusals, one fixture each

REFUSALS = [
    # fixture, kind, column, words in the message, first rows, affected count
    ("empty.csv", "register", None, ["empty"], (), None),
    ("header_only.csv", "register", None, ["header", "no data rows"], (), None),
    ("missing_column.csv", "register", "role", ["required column missing", "row 1"], (), None),
    ("unparseable_dates.csv", "register", "registered_date", ["dates that cannot be read"], (3, 6), 2),
    ("future_dates.csv", "register", "registered_date", ["dates in the future"], (4,), 1),
    ("age_out_of_range.csv", "register", "age", ["ages outside 0-120"], (5,), 1),
    ("birth_year_out_of_range.csv", "register", "birth_year", ["birth years giving ages outside 0-120"], (3, 6), 2),
    ("unknown_role.csv", "register", "role", ["unknown role", "'witness'", "allowed: suspect, victim"], (4,), 1),
    ("unknown_district.csv", "register", "district",
     ["unknown home district", "'Grunerlokka' (did you mean 'Grünerløkka'?)",
      "'st. hanshaugen' (did you mean 'St. Hanshaugen'?)"], (2, 7), 2),
    ("duplicate_rows.csv", "register", "case_id, person_id, role", ["duplicate rows"], (9,), 1),
    ("population_negative.csv", "population", "population", ["negative population counts"], (4,), 1),
    ("survey_weight_missing.csv", "survey", "weight", ["missing survey weights"], (5,), 1),
    ("survey_weight_zero.csv", "survey", "weight", ["weights that are zero or negative"], (5,), 1),
    ("survey_weight_negative.csv", "survey", "weight", ["weights that are zero or negative"], (7,), 1),
    ("survey_item_out_of_scale.csv", "survey", "cannabis_12m", ["outside the item's scale", "'7'"], (5,), 1),
    ("survey_wave_no_respondents.csv", "survey", "wave", ["wave 2021 has no respondents"], (5, 6), 2),
    ("not_a_table.csv", "register", None, ["not a readable table", "binary"], (), None),
    ("truncated.csv.gz", "register", None, ["not a readable table", "truncated"], (), None),
    ("national_ids.csv", "register", "person_id",
     ["national identity numbers", "must be pseudonymised first"], (3, 4, 7), 3),
]


@pytest.mark.parametrize("name, kind, column, words, rows, count", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal(name, kind, column, words, rows, count):
    err = refuse(fx(name), kind)
    for word in words:
        assert word in str(err), f"{word!r} not in: {err}"
    assert err.column == column
    assert err.rows == rows
    assert err.count == count
    if count is not None:
        assert f"{count} row{'' if count == 1 else 's'} affected" in str(err)
        assert "first rows: " + ", ".join(map(str, rows)) in str(err)


def test_identity_numbers_never_appear_in_the_message():
    err = refuse(fx("national_ids.csv"))
    for value in pd.read_csv(fx("national_ids.csv"), dtype=str)["person_id"]:
        assert value not in str(err)
    # and no digit run of 10 or more
    assert not any(len(tok) >= 10 and tok.isdigit() for tok in str(err).replace(",", " ").split())


def test_dates_and_ages_are_not_shown():
    assert "2023-13-45" not in str(refuse(fx("unparseable_dates.csv")))
    assert "yesterday" not in str(refuse(fx("unparseable_dates.csv")))
    assert "130" not in str(refuse(fx("age_out_of_range.csv")))
    assert "1901" not in str(refuse(fx("birth_year_out_of_range.csv")))


def test_unknown_extra_column_is_kept_with_a_notice():
    with pytest.warns(InputWarning, match="Unknown columns are kept unchanged but not used: note"):
        df = io.load_register(fx("extra_column.csv"))
    assert df["note"].tolist() == ["x"] * 7
    assert list(df.columns)[-1] == "note"
    notices = {n.code: n for n in io.Accounting.from_dict(df.attrs["accounting"]).notices}
    assert notices["extra_columns"].text("nb") == "Ukjente kolonner er beholdt uendret, men brukes ikke: note"


def test_expected_wave_without_rows(tmp_path):
    err = refuse(fx("survey_ok.csv"), "survey", expected_waves=(2015, 2018, 2021, 2023))
    assert err.column == "wave"
    assert "expected wave 2015 has no respondents" in str(err)
    df = io.load_survey(fx("survey_ok.csv"), expected_waves=[2018, 2021, 2023])
    assert sorted(df["wave"].unique()) == [2018, 2021, 2023]
    with pytest.raises(ValueError, match=r"expected_waves=\('2018',\)"):
        io.load_survey(fx("survey_ok.csv"), expected_waves=["2018"])


def test_several_problems_are_summarised_in_the_first_message(tmp_path):
    text = fx("unknown_role.csv").read_text(encoding="utf-8").replace("Sagene", "Sagen")
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    err = refuse(path)
    assert err.column == "role"
    assert "(1 more problem: column 'district'.)" in str(err)


# --------------------------------------------------------------------------- formats that load


def test_windows_1252_with_semicolons():
    df = io.load_register(fx("windows1252.csv"))
    acc = io.Accounting.from_dict(df.attrs["accounting"])
    assert (acc.encoding, acc.separator) == ("cp1252", ";")
    assert df["district"].tolist()[0] == "Grünerløkka" and df["district"].tolist()[4] == "Østensjø"
    assert df["role"].tolist()[2] == "victim"  # written as "fornærmet"
    ok = io.load_register(fx("register_ok.csv"))
    pd.testing.assert_frame_equal(df, ok)


def test_semicolons_with_decimal_commas():
    df = io.load_survey(fx("survey_semicolon_decimal_comma.csv"))
    # weights written as 1,25 0,8 1,0 2,5 0,75 1,1 1
    assert df["weight"].tolist() == [1.25, 0.8, 1.0, 2.5, 0.75, 1.1, 1.0]
    assert df["weight"].dtype == "float64"
    assert df.attrs["accounting"]["separator"] == ";"


def test_sav_value_labels_become_categories():
    df = io.load_survey(fx("survey_labels.sav"))
    # grade codes 1-6 carry labels "8. trinn" ... "VG3"; the codes alone are not grades
    assert df["grade"].tolist() == ["8", "VG1", "10", "9", "VG3", "VG2", "8"]
    assert df["sex"].tolist() == ["female", "male", "male", "female", "male", "female", "male"]
    assert df["district"].tolist() == ["Frogner", "Frogner", "Alna", "Frogner", "Alna", "Alna", "Grorud"]
    # drunk_12m labels are the schema's wording; cannabis_12m's are not, so its codes are used
    assert df["drunk_12m"].tolist() == ["1", "3", "1", "2", "5", "1", "1"]
    assert df["cannabis_12m"].astype(object).where(df["cannabis_12m"].notna(), None).tolist() == \
        ["1", "2", "1", "1", "4", None, "1"]
    notices = {n.code: n for n in io.Accounting.from_dict(df.attrs["accounting"]).notices}
    assert notices["value_labels"].fields["columns"] == "district, grade, sex, drunk_12m"
    assert "no_weight" in notices and (df["weight"] == 1.0).all()
    assert df.attrs["accounting"]["format"] == "sav"


def test_xlsx_loads_the_named_sheet():
    df = io.load_register(fx("register.xlsx"))
    notices = {n.code: n for n in io.Accounting.from_dict(df.attrs["accounting"]).notices}
    assert notices["sheet"].fields == {"sheet": "register", "n": "2"}
    pd.testing.assert_frame_equal(df, io.load_register(fx("register_ok.csv")))


@pytest.mark.parametrize("variant", ["bom", "gzip", "tab", "parquet", "crlf"])
def test_other_encodings_and_formats_give_the_same_frame(tmp_path, variant):
    text = fx("register_ok.csv").read_text(encoding="utf-8")
    if variant == "bom":
        path = tmp_path / "register.csv"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif variant == "gzip":
        path = tmp_path / "register.csv.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    elif variant == "tab":
        path = tmp_path / "register.csv"
        path.write_text(text.replace(",", "\t"), encoding="utf-8")
    elif variant == "crlf":
        path = tmp_path / "register.csv"
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        path = tmp_path / "register.parquet"
        pd.read_csv(fx("register_ok.csv"), dtype=str, keep_default_na=False).to_parquet(path)
    pd.testing.assert_frame_equal(io.load_register(path), io.load_register(fx("register_ok.csv")))


def test_typed_parquet_loads(tmp_path):
    ok = io.load_register(fx("register_ok.csv"))
    path = tmp_path / "register.parquet"
    # attrs (with the accounting) are plain values, so pandas can write them as JSON
    ok[[c.name for c in schemas.REGISTER.input_columns if c.name != "age"]].to_parquet(path)
    again = io.load_register(path)
    pd.testing.assert_frame_equal(again, ok)
    assert json.loads(json.dumps(again.attrs))["accounting"]["format"] == "parquet"


def test_blank_rows_are_dropped_counted_and_rows_keep_their_numbers(tmp_path):
    lines = fx("unknown_role.csv").read_text(encoding="utf-8").splitlines()
    # insert an empty line after row 2 and a line of bare separators after row 3:
    # the unknown role (row 4 before) is now on row 6
    lines[2:2] = [""]
    lines[4:4] = [",,,,,,,,,"]
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    err = refuse(path)
    assert err.rows == (6,)
    good = [line.replace("witness", "victim") for line in lines]
    path.write_text("\n".join(good) + "\n", encoding="utf-8")
    df = io.load_register(path)
    acc = io.Accounting.from_dict(df.attrs["accounting"])
    assert (acc.rows_read, acc.rows_kept, acc.rows_dropped_by_reason["blank"]) == (9, 7, 2)


def test_rows_with_the_wrong_number_of_fields(tmp_path):
    lines = fx("register_ok.csv").read_text(encoding="utf-8").splitlines()
    lines[3] += ",extra"
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refuse(path)
    assert err.rows == (4,) and err.count == 1
    assert "11 fields where the header has 10" in str(err)


def test_quoted_values_with_separators_and_line_breaks(tmp_path):
    path = tmp_path / "register.csv"
    text = fx("extra_column.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1][:-1] + '"a, b\nc"'
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.warns(InputWarning):
        df = io.load_register(path)
    assert df["note"].iloc[0] == "a, b\nc"
    assert len(df) == 7


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("spelling", ["01", "1", "030101", "Gamle Oslo", " Gamle  Oslo "])
def test_district_codes_and_official_names(tmp_path, spelling):
    path = tmp_path / "population.csv"
    path.write_text(f"year;district;sex;age;population\n2024;{spelling};K;15;10\n", encoding="utf-8")
    df = io.load_population(path)
    assert df["district"].tolist() == ["Gamle Oslo"]
    assert df["sex"].tolist() == ["female"]
    assert df["age_group"].tolist() == ["15-17"]


def test_district_case_must_match(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("year,district,sex,age,population\n2024,gamle oslo,male,15,10\n", encoding="utf-8")
    err = refuse(path, "population")
    assert "'gamle oslo' (did you mean 'Gamle Oslo'?)" in str(err)


def test_code_lists_match_case_insensitively(tmp_path):
    header = "Saksnummer;Person-ID;Rolle;Registreringsdato;Lovbruddstype;Fødselsår;Kjønn;Bydel (bosted);Digital arena"
    rows = ["C1;P1;Mistenkt;01.02.2023;VOLD;2008;Gutt;Alna;Ja",
            "C1;P2;FORNÆRMET;1.2.2023;Seksuallovbrudd;2009;jente;12;nei",
            "C2;P3;siktet;2023-02-01 13:45;Narkotika;2010;;030113;"]
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    df = io.load_register(path)
    assert df["role"].tolist() == ["suspect", "victim", "suspect"]
    assert df["offence_type"].tolist() == ["violence", "sexual", "drugs"]
    assert df["sex"].astype(object).where(df["sex"].notna(), None).tolist() == ["male", "female", None]
    assert df["district"].tolist() == ["Alna", "Alna", "Østensjø"]
    assert df["online"].astype(object).where(df["online"].notna(), None).tolist() == [True, False, None]
    assert (df["registered_date"] == pd.Timestamp("2023-02-01")).all()
    # only one suspect per case: no group offence
    assert not df["group_offence"].any()


def test_unknown_code_gets_a_suggestion(tmp_path):
    path = tmp_path / "register.csv"
    text = fx("register_ok.csv").read_text(encoding="utf-8").replace(",suspect,2023-05-17", ",suspekt,2023-05-17")
    path.write_text(text, encoding="utf-8")
    err = refuse(path)
    assert "'suspekt' (did you mean 'suspect'?)" in str(err)


def test_missing_values_in_required_columns(tmp_path):
    path = tmp_path / "register.csv"
    text = fx("register_ok.csv").read_text(encoding="utf-8").replace(",Sagene,", ",NA,")
    path.write_text(text, encoding="utf-8")
    err = refuse(path)
    assert err.column == "district" and err.rows == (4,) and "missing values" in str(err)


def test_survey_without_items_is_refused(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("wave,school_id,district,grade,sex\n2023,S1,Alna,8,female\n", encoding="utf-8")
    err = refuse(path, "survey")
    assert "none of the survey item columns" in str(err)


def test_pupils_with_no_answer_are_kept_and_counted():
    df = io.load_survey(fx("survey_ok.csv"))
    notices = {n.code: n for n in io.Accounting.from_dict(df.attrs["accounting"]).notices}
    # row 7 (wave 2023, pupil 1) answered drunk_12m only, so every pupil answered something
    assert "no_items_answered" not in notices
    assert len(df) == 7 and (df["weight"] == 1.0).all()


def test_duplicate_header_columns(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("year,district,bydel,sex,age,population\n2024,Alna,Alna,male,15,10\n", encoding="utf-8")
    err = refuse(path, "population")
    assert err.column == "district" and "two columns" in str(err)


# --------------------------------------------------------------------------- national identity numbers


def test_national_id_mask_hand_computed():
    # 018190 123 k1 k2 (synthetic month 01 + 80):
    # k1: 3*0+7*1+6*8+1*1+8*9+9*0+4*1+5*2+2*3 = 148; 148 mod 11 = 5; k1 = 11 - 5 = 6
    # k2: 5*0+4*1+3*8+2*1+7*9+6*0+5*1+4*2+3*3+2*6 = 127; 127 mod 11 = 6; k2 = 11 - 6 = 5
    valid = "01819012365"
    # 2032 rule (Skatteetaten): the first sum may leave remainder 1, 2 or 3.
    # k1 = 7 gives 148 + 7 = 155, 155 mod 11 = 1; k2: 5*0+4*1+3*8+2*1+7*9+6*0+5*1+4*2+3*3+2*7 = 129,
    # 129 mod 11 = 8, k2 = 3
    valid_2032 = "01819012373"
    values = pd.Series([valid, "01819012364", valid_2032, "1819012365", "018190 12365", "018190-12365",
                        "12345678901", "C0000001", None, "", "01819012365x"])
    assert io.national_id_mask(values).tolist() == [
        True, False, True, True, True, True, False, False, False, False, False]


def test_national_id_mask_on_numbers_and_d_numbers():
    # D-number (day 01 + 40 = 41), digits 4 1 8 1 9 0 1 2 3:
    # k1: 3*4+7*1+6*8+1*1+8*9+9*0+4*1+5*2+2*3 = 160; 160 mod 11 = 6; k1 = 5
    # k2: 5*4+4*1+3*8+2*1+7*9+6*0+5*1+4*2+3*3+2*5 = 145; 145 mod 11 = 2; k2 = 9
    assert io.national_id_mask(pd.Series(["41819012359"])).tolist() == [True]
    # a spreadsheet turned the number into an integer and dropped the leading zero
    assert io.national_id_mask(pd.Series([1819012365, 12345], dtype="int64")).tolist() == [True, False]


def test_identity_numbers_in_an_unknown_column_are_refused(tmp_path):
    lines = fx("register_ok.csv").read_text(encoding="utf-8").splitlines()
    lines[0] += ",fnr"
    lines[1:] = [line + ("," + "01819012365" if i == 2 else ",") for i, line in enumerate(lines[1:])]
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        err = refuse(path)
    assert err.column == "fnr" and err.rows == (4,)


def test_national_id_check_is_vectorised_and_scales():
    # 200,000 pseudonyms plus one identity number at the end: found, in one pass
    values = pd.Series([f"P{i:07d}" for i in range(200_000)] + ["01819012365"], dtype="str")
    mask = io.national_id_mask(values)
    assert mask.sum() == 1 and mask[-1]


# --------------------------------------------------------------------------- folders, synthetic marker, accounting


def _folder(tmp_path, names=("register_ok.csv", "population_ok.csv", "survey_ok.csv")):
    for name in names:
        shutil.copy(fx(name), tmp_path / name.replace("_ok", ""))
    return tmp_path


def test_find_input_and_load_all(tmp_path):
    folder = _folder(tmp_path)
    assert io.find_input(folder, "register") == folder / "register.csv"
    inputs = io.load_all(folder)
    assert [len(f) for f in inputs] == [7, 6, 7]
    assert inputs.population.attrs["input"] == "population"
    (folder / "survey.csv").unlink()
    with pytest.raises(InputError, match="no survey file"):
        io.load_all(folder)
    assert io.load_all(folder, optional=["survey"]).survey is None
    shutil.copy(fx("register.xlsx"), folder / "register.xlsx")
    with pytest.raises(InputError, match=r"2 register files \(register.csv, register.xlsx\)"):
        io.find_input(folder, "register")
    with pytest.raises(ValueError, match="kind='crimes'"):
        io.find_input(folder, "crimes")
    with pytest.raises(ValueError, match="optional="):
        io.load_all(folder, optional=["surveys"])


def test_synthetic_marker_from_manifest(tmp_path):
    folder = _folder(tmp_path)
    sha = hashlib.sha256((folder / "register.csv").read_bytes()).hexdigest()
    manifest = {"synthetic": True, "generator": "test", "seed": 1,
                "files": {"register.csv": {"synthetic": True, "sha256": sha, "rows": 7}}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    df = io.load_register(folder / "register.csv")
    assert df.attrs["synthetic"] is True and df.attrs["accounting"]["synthetic"] is True
    assert io.load_population(folder / "population.csv").attrs["synthetic"] is False  # not listed
    (folder / "register.csv").write_text((folder / "register.csv").read_text() + "\n", encoding="utf-8")
    with pytest.warns(InputWarning, match="checksum differs"):
        changed = io.load_register(folder / "register.csv")
    assert changed.attrs["synthetic"] is False


def test_accounting_table_in_both_languages():
    frames = [io.load_register(fx("register_ok.csv")), io.load_population(fx("population_ok.csv"))]
    nb = io.accounting_table(frames)
    assert list(nb.columns) == ["input", "file", "key", "item", "rows"]
    reg = nb[nb["file"] == "register_ok.csv"].set_index("key")
    assert reg.loc["rows_read", "rows"] == 7
    assert reg.loc["dropped.blank", "rows"] == 0
    assert reg.loc["rows_kept", "rows"] == 7
    assert reg.loc["excluded.age_outside_scope", "rows"] == 1
    assert reg.loc["rows_in_analysis", "rows"] == 6
    assert reg.loc["excluded.age_outside_scope", "item"] == "Holdt utenfor analysen: alder utenfor 10–22 år"
    assert reg.loc["rows_read", "input"] == "Anmeldelsesregister"
    en = io.accounting_table(io.Accounting.from_dict(frames[0].attrs["accounting"]), "en")
    assert en.set_index("key").loc["rows_in_analysis", "item"] == "Rows in the analysis"
    assert en["input"].iloc[0] == "Police register"
    with pytest.raises(ValueError, match="lang='de'"):
        io.accounting_table(frames, "de")
    with pytest.raises(ValueError, match="no attrs"):
        io.accounting_table(pd.DataFrame())


def test_accounting_must_add_up():
    with pytest.raises(ValueError, match="does not add up"):
        io.Accounting(kind="register", file="x", sha256="", format="csv", rows_read=5, rows_kept=3,
                      rows_in_analysis=3, rows_dropped_by_reason={"blank": 1})


def test_bad_arguments_and_paths(tmp_path):
    with pytest.raises(ValueError, match="kind='people'"):
        io.load(fx("register_ok.csv"), "people")
    err = refuse(tmp_path / "register.txt")
    assert "unsupported file type '.txt'" in str(err)
    err = refuse(tmp_path / "register.csv")
    assert "file not found" in str(err)
    with pytest.raises(ValueError, match="only to kind='survey'"):
        io.load(fx("register_ok.csv"), "register", expected_waves=(2023,))


def test_every_schema_column_name_is_accepted_in_norwegian(tmp_path):
    spellings = io.column_spellings(schemas.POPULATION)
    assert spellings["population"] == ("population", "befolkning")
    header = ";".join(spellings[c][1] for c in ("year", "district", "sex", "age", "population"))
    path = tmp_path / "population.csv"
    path.write_text(f"{header.upper()}\n2024;Alna;mann;15;1 234\n", encoding="utf-8")
    df = io.load_population(path)
    assert df["population"].tolist() == [1234]


def test_messages_are_one_line_for_every_fixture():
    for name, kind, *_ in REFUSALS:
        with pytest.raises(InputError) as info:
            io.load(fx(name), kind)
        assert "\n" not in str(info.value) and len(str(info.value)) < 600


def test_duplicate_check_when_the_key_codes_would_overflow():
    # Three key columns of (pretend) 2**40 distinct values each: 2**120 combinations do not fit
    # in int64, so the check re-factorises between columns. Records 1 and 3 (0-based) repeat
    # record 0's key, i.e. file rows 3 and 5 with the header as row 1; record 2 differs in year
    # and record 4 in district.
    from salto_analysis.io.checks import check_duplicates
    from salto_analysis.io.errors import Problems

    codes = {"year": np.array([5, 5, 7, 5, 5]), "district": np.array([1, 1, 1, 1, 2]),
             "sex": np.array([0, 0, 0, 0, 0]), "age": np.array([3, 3, 3, 3, 3])}
    frame = pd.DataFrame({c: v for c, v in codes.items()})
    problems = Problems("population.csv")
    check_duplicates(frame, schemas.POPULATION, {c: c for c in codes}, set(), np.arange(2, 7), problems,
                     lambda c: (codes[c], 2**40))
    err = problems.errors[0]
    assert err.rows == (3, 5) and err.count == 2


def test_zero_and_negative_weights_are_counted_together(tmp_path):
    lines = fx("survey_ok.csv").read_text(encoding="utf-8").splitlines()
    for row, w in ((3, "0"), (5, "-2"), (7, "0,0")):  # lines[row - 1] is file row `row`
        fields = lines[row - 1].split(",")
        fields[6] = f'"{w}"'
        lines[row - 1] = ",".join(fields)
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refuse(path, "survey")
    assert err.column == "weight" and err.rows == (3, 5, 7) and err.count == 3
