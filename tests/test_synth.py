"""The committed synthetic sample data: calibration, structure, privacy and regeneration.

Expected values are the published figures listed in ``data/sample/README.md`` ("Published
figures it mimics", by source id S..) with tolerances stated here by hand; none is computed by
the generator. The files are read with plain pandas, independently of the loaders.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import io, schemas
from salto_analysis.synth import DEFAULT_SEED, FILES, generate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
YEARS = range(2016, 2026)
ITEMS = ("drunk_12m", "cannabis_12m", "other_drugs_12m", "cocaine_12m", "nitrous_oxide_12m", "vaping_12m")


# --------------------------------------------------------------------------- reading (plain pandas)


def read_register(folder: Path = SAMPLE) -> pd.DataFrame:
    df = pd.read_csv(folder / "register.csv.gz", dtype=str, keep_default_na=False)
    df["year"] = df["registered_date"].str[:4].astype(int)
    df["age"] = df["year"] - df["birth_year"].astype(int)
    return df


def read_population(folder: Path = SAMPLE) -> pd.DataFrame:
    return pd.read_csv(folder / "population.csv", dtype={"district": str, "sex": str})


def read_survey(folder: Path = SAMPLE) -> pd.DataFrame:
    df = pd.read_csv(folder / "survey.csv.gz", dtype=str, keep_default_na=False)
    df["wave"] = df["wave"].astype(int)
    df["w"] = df["weight"].astype(float)
    return df


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return read_register()


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return read_population()


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return read_survey()


def suspects(register: pd.DataFrame, lo: int = 10, hi: int = 17) -> pd.DataFrame:
    s = register[register["role"] == "suspect"]
    return s[s["age"].between(lo, hi)]


def offences_per_person(register: pd.DataFrame, year: int) -> pd.Series:
    """Registered offences (case x suspect rows) per person aged 10-17 in ``year``."""
    s = suspects(register)
    return s[s["year"] == year].groupby("person_id").size()


def share(d: pd.DataFrame, item: str, yes: str | None = None) -> float:
    """Weighted share answering ``yes`` (default: any use, codes 2-5) among those who answered."""
    answered = d[d[item] != ""]
    hit = answered[item] == yes if yes else answered[item] != "1"
    return float(np.average(hit, weights=answered["w"]))


def upper_secondary(survey: pd.DataFrame) -> pd.DataFrame:
    return survey[survey["grade"].str.startswith("VG")]


# --------------------------------------------------------------------------- manifest and privacy


def test_manifest_marks_every_file_synthetic_and_hashes_match():
    manifest = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert manifest["generator"] == "salto_analysis.synth"
    assert manifest["seed"] == DEFAULT_SEED and manifest["scale"] == "sample"
    assert set(manifest["files"]) == set(FILES)
    for name, entry in manifest["files"].items():
        data = (SAMPLE / name).read_bytes()
        content = gzip.decompress(data) if name.endswith(".gz") else data
        assert entry["synthetic"] is True
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["content_sha256"] == hashlib.sha256(content).hexdigest(), name
        assert entry["rows"] == content.count(b"\n") - 1, name


def test_sample_folder_stays_small():
    total = sum(p.stat().st_size for p in SAMPLE.iterdir() if p.is_file())
    assert total < 25 * 1024**2


def test_ids_are_pseudonymous_never_national_identity_numbers(register, survey):
    assert register["person_id"].str.fullmatch(r"P\d{7}").all()
    assert register["case_id"].str.fullmatch(r"C\d{7}").all()
    assert survey["school_id"].str.fullmatch(r"S\d{3}").all()
    assert survey["pupil_id"].str.fullmatch(r"E\d{6}").all()
    # a national identity number has 11 digits; no value in any text column has 11 digits in a row
    eleven = re.compile(r"\d{11}")
    for frame in (register, survey):
        for col in frame.columns:
            if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                assert not frame[col].astype(str).str.contains(eleven).any(), col


def test_gzip_files_have_no_name_and_no_timestamp():
    for name in ("register.csv.gz", "survey.csv.gz"):
        head = (SAMPLE / name).read_bytes()[:10]
        assert head[:3] == b"\x1f\x8b\x08"
        assert head[3] == 0, "FLG must be 0: no file name or comment in the header"
        assert head[4:8] == b"\x00\x00\x00\x00", "MTIME must be 0"


# --------------------------------------------------------------------------- register and population: structure


def test_register_columns_keys_and_values(register):
    expected = [c.name for c in schemas.REGISTER.input_columns if c.name != "age"]
    assert list(register.columns[: len(expected)]) == expected
    assert not register.duplicated(["case_id", "person_id", "role"]).any()
    assert set(register["year"]) == set(YEARS)
    assert set(register["role"]) == {"suspect", "victim"}
    assert set(register["offence_type"]) == set(schemas.OFFENCE_TYPE)
    names = set(schemas.district_names())
    assert set(register["district"]) <= names
    assert set(register["scene_district"]) - {""} <= names
    assert set(register["sex"]) <= {"female", "male", ""}
    assert set(register["online"]) == {"true", "false"}
    # a case has one date, type, scene and online flag
    per_case = register.groupby("case_id")[["registered_date", "offence_type", "scene_district", "online"]].nunique()
    assert (per_case == 1).all().all()
    # a person has one birth year, sex and home district
    per_person = register.groupby("person_id")[["birth_year", "sex", "district"]].nunique()
    assert (per_person == 1).all().all()
    # suspects are 10-22; every case has a row; victims may be adults
    s = register[register["role"] == "suspect"]
    assert s["age"].between(10, 22).all()
    assert register.loc[register["role"] == "victim", "age"].max() > 22


def test_population_covers_all_cells_and_oslo_size(population):
    districts = schemas.districts()
    names = set(districts.loc[districts["kind"].isin(["bydel", "other"]), "name_nb"])
    assert set(population["district"]) == names
    assert set(population["age"]) == set(range(10, 23))
    assert set(population["year"]) == set(YEARS)
    assert len(population) == 10 * len(names) * 2 * 13
    assert not population.duplicated(["year", "district", "sex", "age"]).any()
    assert (population["population"] >= 0).all()
    # Oslo 10-17 about 45,000-50,000 (brief; with ~1,400 registered this gives ~97 % not registered)
    young = population[population["age"] <= 17].groupby("year")["population"].sum()
    assert young.between(45_000, 50_000).all(), young.to_dict()


# --------------------------------------------------------------------------- register: calibration


def test_persons_10_17_registered_per_year(register):
    persons = suspects(register).groupby("year")["person_id"].nunique()
    # SaLTo: 1,483 (2017), 1,337 (2018), 1,517 (2019) persons 10-17 (S42, S40, S39); 1,033 in 2015
    assert persons.between(1_050, 1_700).all(), persons.to_dict()  # 2022: "one of the lowest" (S94)
    assert 1_300 <= persons.mean() <= 1_500
    for year, published in {2017: 1483, 2018: 1337, 2019: 1517}.items():
        assert abs(persons[year] / published - 1) <= 0.12, (year, persons[year])


def test_about_97_percent_of_10_17_not_registered(register, population):
    s = suspects(register)
    residents = s[s["district"] != "Uoppgitt"].groupby("year")["person_id"].nunique()
    pop = population[population["age"] <= 17].groupby("year")["population"].sum()
    not_registered = 1 - residents / pop
    # "about 97 %" (2023, S35), "above 97 %" (2018, S40)
    assert not_registered.between(0.965, 0.98).all(), not_registered.round(4).to_dict()
    assert not_registered[2018] > 0.97


def test_repeat_offenders_4_plus_and_10_plus(register):
    counts = {y: offences_per_person(register, y) for y in YEARS}
    n4 = {y: int((c >= 4).sum()) for y, c in counts.items()}
    n10 = {y: int((c >= 10).sum()) for y, c in counts.items()}
    # SaLTo 2023: 49 persons with 10+ and 217 with 4+ (S34); 2018: 182 gjengangere (S41);
    # 2016: 112, 2017: 151 (S42); 10+ in 2017: 27 (S44)
    assert 35 <= n10[2023] <= 65, n10
    assert 160 <= n4[2023] <= 270, n4
    assert 140 <= n4[2018] <= 230, n4
    assert 75 <= n4[2016] <= 150, n4
    assert 110 <= n4[2017] <= 200, n4
    assert 15 <= n10[2017] <= 45, n10
    assert n4[2016] < min(n4[2018], n4[2023])  # record numbers after 2016 (S41, S34)


def test_offence_counts_are_skewed(register):
    c18 = offences_per_person(register, 2018)
    # gjengangere (4+) "stood behind nearly half of crime among under-18s" in 2018 (S41)
    assert 0.35 <= c18[c18 >= 4].sum() / c18.sum() <= 0.60
    # Gini of offences among registered persons (docs/methods.md#gini-coefficient)
    x = np.sort(c18.to_numpy())
    n = len(x)
    gini = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * x.sum())
    assert gini > 0.35
    # offences (forhold) by 10-17-year-olds: 2,200 in 2016 and 2,795 in 2017 (S42)
    total = suspects(register).groupby("year").size()
    assert 1_800 <= total[2016] <= 2_700 and 2_300 <= total[2017] <= 3_300, total.to_dict()


def test_repeat_offenders_persist_across_years(register):
    c22, c23 = offences_per_person(register, 2022), offences_per_person(register, 2023)
    gj22 = set(c22[c22 >= 4].index)
    again = len(gj22 & set(c23.index)) / len(gj22)
    others = (set(c22[c22 < 4].index) & set(c23.index))
    # a latent propensity that persists: most gjengangere are registered again next year,
    # far more often than one-to-three-offence persons
    assert again >= 0.5
    assert again > 2 * len(others) / (c22 < 4).sum()


def test_offences_down_about_5_percent_2024_to_2025(register):
    rows = suspects(register, 10, 22).groupby("year").size()
    assert 0.90 <= rows[2025] / rows[2024] <= 0.99, (rows[2024], rows[2025])


def test_cases_with_suspects_10_17_rise_from_2022_to_2023(register):
    cases = suspects(register).groupby("year")["case_id"].nunique()
    # SaLTo: anmeldelser with suspects 10-17 +56 % from 2022 to 2023 (S36); 2022 one of the lowest (S94)
    assert 1.25 <= cases[2023] / cases[2022] <= 1.85
    assert cases[2022] in cases.loc[2016:2022].nsmallest(2).to_numpy()


def test_repeat_victimisation_like_ssb_2018(register):
    v = register[(register["role"] == "victim") & register["age"].between(10, 19)]
    per = v.groupby(["year", "person_id"]).size().clip(upper=4).value_counts(normalize=True)
    # SSB 2018, victims 10-19 by number of offences: 13,448 / 1,585 / 263 / 116 of 15,412
    # = 87.3 % / 10.3 % / 1.7 % / 0.75 % (S60)
    assert 0.83 <= per[1] <= 0.91, per.to_dict()
    assert 0.07 <= per[2] <= 0.135, per.to_dict()
    assert 0.009 <= per[3] <= 0.03, per.to_dict()
    assert 0.003 <= per[4] <= 0.018, per.to_dict()


def test_victims_rise_slightly_most_among_10_14(register):
    v = register[(register["role"] == "victim") & register["age"].between(10, 22)]
    group = pd.cut(v["age"], [9, 14, 17, 22], labels=["10-14", "15-17", "18-22"])
    persons = v.groupby([v["year"], group], observed=True)["person_id"].nunique().unstack()
    early, late = persons.loc[[2016, 2017]].sum(), persons.loc[[2024, 2025]].sum()
    ratio = late / early
    assert 1.0 <= late.sum() / early.sum() <= 1.35
    assert ratio["10-14"] > ratio["15-17"] and ratio["10-14"] > ratio["18-22"], ratio.to_dict()
    # victims are registered at every age 10-22, more often at older ages (SSB 2014 by age, S61)
    by_age = v.groupby("age")["person_id"].nunique()
    assert by_age.loc[18:22].mean() > by_age.loc[15:17].mean() > by_age.loc[10:14].mean()


def test_victim_offender_overlap(register, population):
    r = register[register["age"].between(10, 22) & (register["district"] != "Uoppgitt")]
    vic = r[r["role"] == "victim"][["person_id", "year"]].drop_duplicates()
    sus = r[r["role"] == "suspect"][["person_id", "year"]].drop_duplicates()
    sus_next = sus.assign(year=sus["year"] - 1)
    years = range(2016, 2025)
    a = len(vic.merge(sus_next, on=["person_id", "year"]))  # victim in t and suspect in t+1
    n_vic = int(vic["year"].isin(years).sum())
    n_sus = int(sus_next["year"].isin(years).sum())
    n_pop = int(population.loc[population["year"].isin(years), "population"].sum())
    b, c = n_vic - a, n_sus - a
    d = n_pop - a - b - c
    # victimisation raises the odds of later offending (Shaffer & Ruback 2002, S78; overlap review S75)
    assert a * d / (b * c) >= 2.0
    # ... and often precedes it: first victim registration before first suspect registration
    first = r.groupby(["person_id", "role"])["registered_date"].min().unstack().dropna()
    first = first[first["victim"] != first["suspect"]]
    assert len(first) > 1000 and (first["victim"] < first["suspect"]).mean() >= 0.45
    # same-case pairs (mutual fights) and same-day cross reports
    roles = register.groupby(["case_id", "person_id"])["role"].nunique()
    assert (roles == 2).sum() >= 20
    s_day = register[register["role"] == "suspect"][["person_id", "registered_date", "case_id"]]
    v_day = register[register["role"] == "victim"][["person_id", "registered_date", "case_id"]]
    cross = s_day.merge(v_day, on=["person_id", "registered_date"])
    assert (cross["case_id_x"] != cross["case_id_y"]).sum() >= 20


def test_violence_cases_of_under_18s_often_have_victims_under_18(register):
    v = register[register["offence_type"] == "violence"]
    sus_minor = v[(v["role"] == "suspect") & (v["age"] <= 17)]["case_id"].unique()
    vic_minor = v[(v["role"] == "victim") & v["age"].between(10, 17)]["case_id"].unique()
    # SaLTo 2016: just over half of violence reports with a perpetrator under 18 had a victim under 18 (S45)
    assert 0.45 <= np.isin(sus_minor, vic_minor).mean() <= 0.75


def test_group_offences_involve_gjengangere(register):
    s = suspects(register)
    size = register[register["role"] == "suspect"].groupby("case_id").size()
    cases = size[size.index.isin(s["case_id"])]
    assert 0.10 <= (cases >= 2).mean() <= 0.40
    # 2018: about two thirds of multi-perpetrator reports with under-18s involved a gjenganger (S43)
    c18 = offences_per_person(register, 2018)
    gj = set(c18[c18 >= 4].index)
    s18 = s[s["year"] == 2018]
    multi = s18[s18["case_id"].isin(size[size >= 2].index)]
    with_gj = multi.groupby("case_id")["person_id"].agg(lambda p: bool(gj & set(p)))
    assert 0.5 <= with_gj.mean() <= 0.85


def test_offence_types_online_and_sex_by_age(register):
    s = suspects(register, 10, 22)
    group = pd.cut(s["age"], [9, 14, 17, 22], labels=["10-14", "15-17", "18-22"])
    shares = pd.crosstab(group, s["offence_type"], normalize="index")
    # POD 2016 (S50): vinning 40 % of offences at 10-14, 22 % at 15-17; narcotics 25 % at 18-22
    assert 0.30 <= shares.loc["10-14", ["theft", "robbery"]].sum() <= 0.50
    assert 0.15 <= shares.loc["15-17", "theft"] <= 0.32
    assert 0.15 <= shares.loc["18-22", "drugs"] <= 0.35
    for year in YEARS:
        assert set(s.loc[s["year"] == year, "offence_type"]) == set(schemas.OFFENCE_TYPE)
    # boys 84 % of offences 10-22 (S50); girls 13-21 % of offences under 18 (S45)
    assert 0.78 <= (s["sex"] == "male").mean() <= 0.90
    assert 0.12 <= (suspects(register)["sex"] == "female").mean() <= 0.25
    cases = register.drop_duplicates("case_id")
    online = cases.groupby("year")["online"].apply(lambda x: (x == "true").mean())
    assert (online > 0).all() and 0.03 <= (cases["online"] == "true").mean() <= 0.20
    by_type = cases.groupby("offence_type")["online"].apply(lambda x: (x == "true").mean())
    assert by_type["sexual"] > by_type["theft"] > by_type["vandalism"]


def test_scene_districts_sentrum_and_gamle_oslo_largest(register):
    s = suspects(register, 10, 22)
    scenes = s.drop_duplicates("case_id")["scene_district"].value_counts()
    # 2022: Gamle Oslo 1,039 and Sentrum 841 offences with young perpetrators, most of all (S38)
    assert set(scenes.index[:2]) == {"Gamle Oslo", "Sentrum"}
    assert scenes["Sentrum"] > 10 * (s["district"] == "Sentrum").sum()
    for west in ("Ullern", "Nordre Aker", "Vestre Aker"):
        assert scenes[west] < scenes["Gamle Oslo"] / 3


def test_small_districts_and_rare_events_exist(register, population):
    marka = population[population["district"] == "Marka"]
    assert marka["population"].max() <= 12 and marka["population"].sum() > 0  # a handful per cell
    s = register[register["role"] == "suspect"]
    marka_suspects = s[s["district"] == "Marka"].groupby("year")["person_id"].nunique()
    assert 1 <= marka_suspects.sum() and marka_suspects.max() <= 10
    sentrum_young = population[(population["district"] == "Sentrum") & (population["age"] <= 17)]
    assert sentrum_young.groupby("year")["population"].sum().max() < 60
    sexual_10_14 = suspects(register, 10, 14).query("offence_type == 'sexual'").groupby("year").size()
    assert sexual_10_14.reindex(YEARS, fill_value=0).between(1, 40).all()


# --------------------------------------------------------------------------- survey


def test_survey_design(survey):
    assert list(survey.columns[: len(schemas.SURVEY.input_columns)]) == [c.name for c in schemas.SURVEY.input_columns]
    assert set(survey["wave"]) == {2015, 2018, 2021, 2023}
    per_wave = survey.groupby("wave").agg(n=("pupil_id", "size"), schools=("school_id", "nunique"))
    # Ung i Oslo: >24,000 (2015), 25,348 at 84 schools (2018), >25,000 and 83 schools (2023) (S1, S4, S8, S9)
    assert per_wave["n"].between(20_000, 26_500).all(), per_wave.to_dict()
    assert per_wave["schools"].between(70, 90).all(), per_wave.to_dict()
    assert not survey.duplicated(["wave", "pupil_id"]).any()
    levels = survey.groupby("school_id")["grade"].agg(lambda g: {x.startswith("VG") for x in g})
    assert (levels.map(len) == 1).all(), "a school is lower or upper secondary, not both"
    assert set(survey["grade"]) == set(schemas.GRADE)
    assert set(survey["district"]) <= set(schemas.district_names())
    assert set(survey["sex"]) <= {"female", "male", ""}
    for item in ITEMS:
        assert set(survey[item]) <= {"", "1", "2", "3", "4", "5"}
    assert set(survey["cannabis_legal"]) <= {"", "1", "2", "3"}
    w = survey.groupby("wave")["w"]
    assert (survey["w"] > 0).all() and w.mean().between(0.98, 1.02).all()
    assert survey["w"].between(0.5, 2.0).all()


def test_item_nonresponse_a_few_percent(survey):
    for item in (*ITEMS, "cannabis_legal"):
        missing = (survey[item] == "").mean()
        assert 0.01 <= missing <= 0.08, (item, missing)


def test_drunk_last_year_2015_by_grade(survey):
    s15 = survey[survey["wave"] == 2015]
    # Ung i Oslo 2015: 4 % in 8th grade, 69 % in VG3, about a third of all (S18)
    assert 0.02 <= share(s15[s15["grade"] == "8"], "drunk_12m") <= 0.07
    assert 0.62 <= share(s15[s15["grade"] == "VG3"], "drunk_12m") <= 0.76
    assert 0.27 <= share(s15, "drunk_12m") <= 0.38
    by_grade = [share(s15[s15["grade"] == g], "drunk_12m") for g in schemas.GRADE]
    assert by_grade == sorted(by_grade)


def test_cannabis_vg3_by_sex(survey):
    vg3 = survey[survey["grade"] == "VG3"]
    cells = {(w, sex): share(vg3[(vg3["wave"] == w) & (vg3["sex"] == sex)], "cannabis_12m")
             for w in (2015, 2018) for sex in ("male", "female")}
    # Ung i Oslo VG3: boys 30 % (2015) and 38 % (2018), girls 20 % and 23 % (S4)
    assert 0.24 <= cells[2015, "male"] <= 0.36, cells
    assert 0.32 <= cells[2018, "male"] <= 0.44, cells
    assert 0.15 <= cells[2015, "female"] <= 0.25, cells
    assert 0.18 <= cells[2018, "female"] <= 0.28, cells
    # all pupils: boys 10 % -> 17 %, girls 5 % -> 9 % (S4, S20)
    for w, boys, girls in ((2015, 0.10, 0.05), (2018, 0.17, 0.09)):
        d = survey[survey["wave"] == w]
        assert abs(share(d[d["sex"] == "male"], "cannabis_12m") - boys) <= 0.04
        assert abs(share(d[d["sex"] == "female"], "cannabis_12m") - girls) <= 0.03


def test_cocaine_upper_secondary_rises(survey):
    vgs = upper_secondary(survey)
    coc = {w: share(vgs[vgs["wave"] == w], "cocaine_12m") for w in (2015, 2018, 2021, 2023)}
    # Ung i Oslo VGS: 3 % (2018) -> 8 % (2023), about twice 2021 (S22, S9); VG3 boys 17 % (2023)
    assert 0.02 <= coc[2018] <= 0.045, coc
    assert 0.06 <= coc[2023] <= 0.10, coc
    assert 1.5 <= coc[2023] / coc[2021] <= 3.0, coc
    vg3b = survey[(survey["wave"] == 2023) & (survey["grade"] == "VG3") & (survey["sex"] == "male")]
    assert 0.13 <= share(vg3b, "cocaine_12m") <= 0.21


def test_use_rises_2021_to_2023_most_among_the_oldest(survey):
    def rise(item, grade):
        d = survey[survey["grade"] == grade]
        return share(d[d["wave"] == 2023], item) - share(d[d["wave"] == 2021], item)

    for item in ("cocaine_12m", "other_drugs_12m", "cannabis_12m"):
        assert rise(item, "VG3") > rise(item, "8") + 0.01, item


def test_other_drugs_include_cocaine(survey):
    both = survey[(survey["cocaine_12m"] != "") & (survey["other_drugs_12m"] != "")]
    assert (both["other_drugs_12m"].astype(int) >= both["cocaine_12m"].astype(int)).all()


def test_nitrous_oxide_and_vaping_present(survey):
    for item in ("nitrous_oxide_12m", "vaping_12m"):
        for w in (2015, 2018, 2021, 2023):
            assert 0.01 <= share(survey[survey["wave"] == w], item) <= 0.40, (item, w)


def test_boys_in_upper_secondary_more_positive_to_legalisation(survey):
    vgs = upper_secondary(survey)
    for w in (2015, 2018, 2021, 2023):
        d = vgs[vgs["wave"] == w]
        boys = share(d[d["sex"] == "male"], "cannabis_legal", yes="1")
        girls = share(d[d["sex"] == "female"], "cannabis_legal", yes="1")
        assert boys - girls >= 0.05, (w, boys, girls)


def test_west_east_differences(survey):
    s18 = survey[survey["wave"] == 2018]
    west = share(s18[s18["district"].isin(["Frogner", "Ullern"])], "cannabis_12m")
    east = share(s18[s18["district"].isin(["Stovner", "Alna"])], "cannabis_12m")
    # cannabis "twice as many" in Frogner and Ullern as in Stovner and Alna, 2018 (S4)
    assert 1.5 <= west / east <= 3.0, (west, east)
    s21 = survey[survey["wave"] == 2021]
    # drunk last year 2021: Vestre Aker 45 %, Grorud 16 % (S21)
    assert share(s21[s21["district"] == "Vestre Aker"], "drunk_12m") > 1.8 * share(
        s21[s21["district"] == "Grorud"], "drunk_12m")


def test_school_clustering_gives_design_effects_above_one(survey):
    vgs = upper_secondary(survey)
    for w in (2015, 2018, 2021, 2023):
        d = vgs[(vgs["wave"] == w) & (vgs["cannabis_12m"] != "")]
        y = (d["cannabis_12m"] != "1").to_numpy(float)
        wt = d["w"].to_numpy()
        p = np.sum(wt * y) / np.sum(wt)
        # Taylor linearisation of the weighted mean with school clusters (with-replacement PSUs):
        # v = G/(G-1) * sum_g (z_g - mean z)^2, z_g = sum_{i in g} w_i (y_i - p) / sum w
        z = pd.Series(wt * (y - p) / np.sum(wt)).groupby(d["school_id"].to_numpy()).sum()
        g = len(z)
        var = g / (g - 1) * np.sum((z - z.mean()) ** 2)
        deff = var / (p * (1 - p) / len(y))
        assert deff >= 1.5, (w, deff)


# --------------------------------------------------------------------------- regeneration and arguments


def test_regeneration_is_byte_identical(tmp_path):
    generate(tmp_path, seed=DEFAULT_SEED, scale="sample")
    for name in (*FILES, "manifest.json"):
        new, old = (tmp_path / name).read_bytes(), (SAMPLE / name).read_bytes()
        if name.endswith(".gz"):
            assert gzip.decompress(new) == gzip.decompress(old), (
                f"{name}: content differs; regenerate with `make sample` after a model change "
                f"(NumPy {np.__version__}; see data/sample/README.md)")
        assert new == old, f"{name} differs from the committed file (if only the .gz bytes differ: zlib version)"


def test_bad_arguments_name_the_value(tmp_path):
    with pytest.raises(ValueError, match="'tiny'"):
        generate(tmp_path, scale="tiny")
    with pytest.raises(ValueError, match="-1"):
        generate(tmp_path, seed=-1)


def test_loaders_read_every_sample_file_as_synthetic():
    register = io.load_register(SAMPLE / "register.csv.gz")
    population = io.load_population(SAMPLE / "population.csv")
    survey = io.load_survey(SAMPLE / "survey.csv.gz")
    for frame, name in ((register, "register.csv.gz"), (population, "population.csv"), (survey, "survey.csv.gz")):
        assert frame.attrs["synthetic"] is True, name
        acc = frame.attrs["accounting"]
        assert acc["rows_read"] == acc["rows_kept"] == len(frame)
    # the only rows kept out of analysis are adult victims (ages outside 10-22), and they are counted
    excluded = register.attrs["accounting"]["rows_excluded_by_reason"]
    assert set(excluded) <= {"age_outside_scope"}
    assert excluded["age_outside_scope"] == int((~register["age"].between(10, 22)).sum()) > 0


@pytest.mark.slow
def test_national_scale_sizes(tmp_path):
    manifest = generate(tmp_path, seed=1, scale="national")
    assert manifest["files"]["register.csv.gz"]["rows"] == 2_000_000
    assert manifest["files"]["survey.csv.gz"]["rows"] == 1_500_000
    survey = pd.read_csv(tmp_path / "survey.csv.gz", usecols=["wave", "school_id"], dtype=str)
    assert survey["wave"].nunique() == 10
    assert survey.groupby("wave").size().eq(150_000).all()
    register = pd.read_csv(tmp_path / "register.csv.gz", usecols=["case_id", "person_id", "role"], dtype=str)
    assert not register.duplicated().any()
    assert register["person_id"].str.fullmatch(r"P\d{7}").all()
