"""Tests of salto_analysis.overlap on hand-made registers.

Every expected number is worked out by hand in the comments next to it, from the register
below, or taken from a published or R reference (named where used).
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from salto_analysis import io, overlap, reliability, schemas, stats
from salto_analysis.estimates import (
    check_estimate_table,
    meta_of,
    with_meta,
)
from salto_analysis.params import ParameterError
from salto_analysis.policy import Policy, SmallSampleWarning

Z95 = 1.959963984540054  # standard normal 97.5 % quantile
MONTH = 365.25 / 12

# Reporting year 2025, window 2023-2025, data from 2020.
#   A: victim 2023-03-01, suspect 2023-09-01          -> both, victim first (184 days)
#   B: suspect and victim 2024-05-05 in two cases     -> both, same day
#   C: suspect and victim in the same case            -> both, same day
#   D: suspect 2021 (before window), victim 2024, suspect 2025 -> both, suspect first
#   E: victim 2020 (first data year), victim 2023, suspect 2023 -> both, victim first (1095 days), left-censored
#   F: suspect only; G: victim only, unknown district; G2: victim only; J: suspect only, sex missing
#   H: age 23 (outside 10-22); I: registered 2026 (after the year); K: 2020 only (before the window)
REGISTER = """case_id,person_id,role,registered_date,offence_type,age,sex,district
k1,P-A,victim,2023-03-01,violence,14,male,Sagene
k2,P-A,suspect,2023-09-01,violence,14,male,Sagene
k3,P-B,suspect,2024-05-05,robbery,16,female,Alna
k4,P-B,victim,2024-05-05,threats,16,female,Alna
k5,P-C,suspect,2025-01-10,violence,17,male,Alna
k5,P-C,victim,2025-01-10,violence,17,male,Alna
k6,P-D,suspect,2021-06-01,theft,16,male,Grorud
k7,P-D,victim,2024-02-01,sexual,19,male,Grorud
k8,P-D,suspect,2025-02-01,violence,20,male,Grorud
k9,P-E,victim,2020-04-01,violence,15,female,Stovner
k10,P-E,victim,2023-01-15,robbery,18,female,Stovner
k11,P-E,suspect,2023-04-01,threats,18,female,Stovner
k12,P-F,suspect,2024-08-01,theft,15,male,Sagene
k13,P-G,victim,2025-06-01,violence,12,female,Uoppgitt
k14,P-G2,victim,2024-03-03,threats,20,female,Frogner
k15,P-H,suspect,2025-02-02,violence,23,male,Sagene
k16,P-I,victim,2026-01-05,violence,15,male,Sagene
k17,P-J,suspect,2023-07-07,drugs,20,,Frogner
k18,P-K,suspect,2020-01-05,other,15,male,Sagene
"""
IDS = ["P-A", "P-B", "P-C", "P-D", "P-E", "P-F", "P-G", "P-G2", "P-H", "P-I", "P-J", "P-K"]
IDS += [f"k{i}" for i in range(1, 19)]

# Residents on 1 January 2025 aged 10-22: 40+40+30+30+10+25+25 = 200 (female 105, male 95).
# The age-30 row and the 2024 row must be left out.
POPULATION = """year,district,sex,age,population
2025,Sagene,male,15,40
2025,Sagene,female,15,40
2025,Alna,male,16,30
2025,Alna,female,16,30
2025,Frogner,female,20,10
2025,Stovner,female,18,25
2025,Grorud,male,19,25
2025,Grorud,male,30,1000
2024,Sagene,male,15,999
"""


def _load(tmp_path, register=REGISTER, population=POPULATION):
    (tmp_path / "register.csv").write_text(register, encoding="utf-8")
    (tmp_path / "population.csv").write_text(population, encoding="utf-8")
    return io.load_register(tmp_path / "register.csv"), io.load_population(tmp_path / "population.csv")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return _load(tmp_path_factory.mktemp("overlap"))


@pytest.fixture(scope="module")
def sel(data):
    return overlap.select(data[0], year=2025, window_years=3)


def _rows(table, **where):
    mask = np.ones(len(table), bool)
    for col, value in where.items():
        mask &= (table[col].astype("object") == value).to_numpy()
    assert mask.sum() == 1, (where, mask.sum())
    return table[mask].iloc[0]


# --------------------------------------------------------------------------------------
# selection
# --------------------------------------------------------------------------------------
def test_row_accounting_counts_every_row(sel):
    # 19 rows: I (2026) after the year, H (23) outside the ages, D 2021 + E 2020 + K 2020
    # before the window, the other 14 in the window.
    assert sel.rows == {"read": 19, "missing_values": 0, "after_year": 1, "age_outside": 1,
                        "type_not_selected": 0, "before_window": 3, "in_window": 14}
    assert sel.first_data_year == 2020
    assert sel.first_window_year == 2023


def test_row_accounting_table(sel):
    t = overlap.row_accounting(sel, "en")
    assert list(t.columns) == ["Register rows", "Rows"]
    assert t["Rows"].tolist() == [19, 0, 1, 1, 0, 3, 14]
    assert "after 2025" in t.iloc[2, 0] and "2023–2025" in t.iloc[6, 0]


def test_persons_and_roles(sel):
    p = sel.persons
    # persons in the window: A, B, C, D, E, F, G, G2, J
    assert len(p) == 9
    assert int(p["suspect"].sum()) == 7  # A B C D E F J
    assert int(p["victim"].sum()) == 7  # A B C D E G G2
    assert int((p["suspect"] & p["victim"]).sum()) == 5  # A B C D E
    assert len(sel.both) == 5 and sel.both["suspect"].all() and sel.both["victim"].all()
    assert "person_id" not in p.columns and "case_id" not in p.columns
    text = repr(sel)
    assert "both=5" in text and not any(i in text for i in IDS)


def test_attributes_come_from_first_registration_in_window(sel):
    p = sel.persons
    # D: first window row is the 2024 victim row at age 19 (the 2021 row at 16 is before the window)
    d = p[(p["district"] == "Grorud").to_numpy()]
    assert list(d["age_group"].astype(str)) == ["18-22"]
    # A: age 14 -> 10-14; J has no sex
    assert int(p["sex"].isna().sum()) == 1
    assert sorted(p["age_group"].astype(str).value_counts().items()) == [("10-14", 2), ("15-17", 3), ("18-22", 4)]


# --------------------------------------------------------------------------------------
# 1. shares
# --------------------------------------------------------------------------------------
def test_overlap_shares_total(sel):
    t = overlap.overlap_shares(sel)
    s = _rows(t, among="suspects")
    v = _rows(t, among="victims")
    assert (s.numerator, s.denominator) == (5, 7)  # B/S
    assert (v.numerator, v.denominator) == (5, 7)  # B/V
    assert s.estimate == pytest.approx(5 / 7)
    # Wilson 95 % for 5/7 written out: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    p, n = 5 / 7, 7
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    assert (s.ci_low, s.ci_high) == pytest.approx((centre - half, centre + half), rel=1e-12)
    assert meta_of(t).kind == "proportion" and meta_of(t).nonadditive == ("among",)


def test_overlap_shares_by_age_group(sel):
    t = overlap.overlap_shares(sel, "age_group")
    expected = {  # (B, S) and (B, V) by the age at the first registration in the window
        "total": ((5, 7), (5, 7)),
        "10-14": ((1, 1), (1, 2)),  # S: A; V: A, G
        "15-17": ((2, 3), (2, 2)),  # S: B, C, F; V: B, C
        "18-22": ((2, 3), (2, 3)),  # S: D, E, J; V: D, E, G2
    }
    for group, (s, v) in expected.items():
        rs, rv = _rows(t, among="suspects", age_group=group), _rows(t, among="victims", age_group=group)
        assert (rs.numerator, rs.denominator) == s
        assert (rv.numerator, rv.denominator) == v
    assert list(t["age_group"].astype(str))[:4] == ["total", "10-14", "15-17", "18-22"]


def test_overlap_shares_by_sex_keeps_unknown_so_groups_add_up(sel):
    t = overlap.overlap_shares(sel, "sex")
    # female: S = B, E; V = B, E, G, G2.  male: S = A, C, D, F; V = A, C, D.  unknown: S = J.
    assert (_rows(t, among="suspects", sex="female")[["numerator", "denominator"]].tolist()) == [2, 2]
    assert (_rows(t, among="suspects", sex="male")[["numerator", "denominator"]].tolist()) == [3, 4]
    assert (_rows(t, among="suspects", sex="unknown")[["numerator", "denominator"]].tolist()) == [0, 1]
    assert (_rows(t, among="victims", sex="female")[["numerator", "denominator"]].tolist()) == [2, 4]
    assert (_rows(t, among="victims", sex="unknown")[["numerator", "denominator"]].tolist()) == [0, 0]
    sub = t[(t["among"] == "suspects").to_numpy() & (t["sex"] != "total").to_numpy()]
    assert sub["denominator"].sum() == 7


def test_overlap_shares_by_district(sel):
    t = overlap.overlap_shares(sel, "district")
    assert (_rows(t, among="suspects", district="Alna")[["numerator", "denominator"]].tolist()) == [2, 2]
    assert (_rows(t, among="victims", district="Uoppgitt")[["numerator", "denominator"]].tolist()) == [0, 1]
    # districts in code order after the total
    assert list(t.loc[t["among"] == "suspects", "district"].astype(str)) == [
        "total", "Sagene", "Frogner", "Grorud", "Stovner", "Alna", "Uoppgitt"]


def test_overlap_shares_rejects_bad_breakdown(sel):
    with pytest.raises(ValueError, match="by='bydel'"):
        overlap.overlap_shares(sel, "bydel")


# --------------------------------------------------------------------------------------
# 2. relative odds against the population
# --------------------------------------------------------------------------------------
def test_two_by_two(sel, data):
    t = overlap.two_by_two(sel, data[1])
    t = t.set_index(t["sex"].astype(str))
    # compared: everyone but G (Uoppgitt) and J (no sex) -> A B C D E F G2
    # total: a = A B C D E = 5, b = G2 = 1, c = F = 1, d = 200 - 7 = 193
    assert t.loc["total", ["a", "b", "c", "d"]].tolist() == [5, 1, 1, 193]
    assert t.loc["total", ["population", "registered", "left_out_district", "left_out_sex"]].tolist() == [200, 7, 1, 1]
    # female: B E G2 -> a = 2, b = 1, c = 0, d = 105 - 3; male: A C D F -> a = 3, b = 0, c = 1, d = 95 - 4
    assert t.loc["female", ["a", "b", "c", "d"]].tolist() == [2, 1, 0, 102]
    assert t.loc["male", ["a", "b", "c", "d"]].tolist() == [3, 0, 1, 91]


def test_relative_odds_woolf_and_risk_ratio(sel, data):
    t = overlap.relative_odds(sel, data[1])
    assert meta_of(t).kind == "ratio"
    w = _rows(t, sex="total", ratio_type="odds_ratio_woolf")
    # OR = a·d / (b·c) = 5·193 / (1·1) = 965; Woolf SE = sqrt(1/5 + 1/1 + 1/1 + 1/193)
    se = math.sqrt(1 / 5 + 1 / 1 + 1 / 1 + 1 / 193)
    assert w.estimate == pytest.approx(965)
    assert (w.ci_low, w.ci_high) == pytest.approx((965 * math.exp(-Z95 * se), 965 * math.exp(Z95 * se)), rel=1e-9)
    assert (w.numerator, w.denominator, w.numerator_ref, w.denominator_ref) == (5, 6, 1, 194)
    assert (w["count"], w["count_ref"]) == (5, 1)
    r = _rows(t, sex="total", ratio_type="risk_ratio")
    # RR = (5/6) / (1/194); Katz SE = sqrt(1/5 - 1/6 + 1/1 - 1/194)
    rr = (5 / 6) / (1 / 194)
    se = math.sqrt(1 / 5 - 1 / 6 + 1 / 1 - 1 / 194)
    assert r.estimate == pytest.approx(rr)
    assert (r.ci_low, r.ci_high) == pytest.approx((rr * math.exp(-Z95 * se), rr * math.exp(Z95 * se)), rel=1e-9)
    # the smallest cell (1) is below 100, so the exact conditional row is there for every level
    assert (t["ratio_type"] == "odds_ratio_exact").sum() == 3


def test_relative_odds_zero_cell_uses_haldane_anscombe(sel, data):
    t = overlap.relative_odds(sel, data[1])
    m = _rows(t, sex="male", ratio_type="odds_ratio_woolf")
    # male cells 3, 0, 1, 91 have a zero: +0.5 to all -> 3.5·91.5 / (0.5·1.5)
    assert m.estimate == pytest.approx(3.5 * 91.5 / (0.5 * 1.5))


def _fagerland(tmp_path):
    """A register and population whose 2×2 is [[7, 27], [1, 33]] (Fagerland, Lydersen & Laake 2015)."""
    lines = ["case_id,person_id,role,registered_date,offence_type,age,sex,district"]
    for i in range(34):  # 34 victims, 7 of them also suspects
        lines.append(f"v{i},X{i},victim,2025-03-01,violence,15,male,Sagene")
        if i < 7:
            lines.append(f"s{i},X{i},suspect,2025-04-01,violence,15,male,Sagene")
    lines.append("s99,X99,suspect,2025-05-01,violence,15,male,Sagene")  # 1 suspect who was not a victim
    population = "year,district,sex,age,population\n2025,Sagene,male,15,68\n"  # d = 68 - 35 = 33
    reg, pop = _load(tmp_path, "\n".join(lines) + "\n", population)
    return overlap.select(reg, year=2025, window_years=1), pop


def test_relative_odds_reference_table(tmp_path):
    s, pop = _fagerland(tmp_path)
    t = overlap.relative_odds(s, pop)
    w = _rows(t, sex="total", ratio_type="odds_ratio_woolf")
    # Woolf (0.99049, 73.90030); Fagerland, Lydersen & Laake (2015) publish 0.99 to 74
    assert (w.ci_low, w.ci_high) == pytest.approx((0.99049, 73.90030), rel=1e-5)
    e = _rows(t, sex="total", ratio_type="odds_ratio_exact")
    # conditional MLE 8.3293, exact conditional CI (0.97327, 396.994) [CROSS vs PUB Cornfield 0.97-397]
    assert e.estimate == pytest.approx(8.3293, rel=1e-4)
    assert (e.ci_low, e.ci_high) == pytest.approx((0.97327, 396.994), rel=1e-4)
    r = _rows(t, sex="total", ratio_type="risk_ratio")
    # Fagerland et al. (2015): Katz log interval 0.91-54 for 7/34 vs 1/34 [PUB]
    assert r.estimate == pytest.approx(7.0)
    assert round(r.ci_low, 2) == 0.91 and round(r.ci_high) == 54


def test_risk_ratio_and_quantile_interval_are_reexported_from_stats():
    # moved to salto_analysis.stats (tested in test_stats.py); still importable from overlap
    assert overlap.risk_ratio is stats.risk_ratio
    assert overlap.quantile_interval is stats.quantile_interval


def test_suspect_shares(sel, data):
    t = overlap.suspect_shares(sel, data[1])
    # victims: a / (a + b); not victims: c / (c + d)
    assert _rows(t, sex="total", victim_status="victim")[["numerator", "denominator"]].tolist() == [5, 6]
    assert _rows(t, sex="total", victim_status="not_victim")[["numerator", "denominator"]].tolist() == [1, 194]
    assert _rows(t, sex="female", victim_status="not_victim")[["numerator", "denominator"]].tolist() == [0, 102]


def test_coverage(sel, data):
    t = overlap.coverage(sel, data[1])
    # G of 9 persons has no district in the population file; J of the 8 others has no sex
    assert _rows(t, left_out="district_not_in_population")[["numerator", "denominator"]].tolist() == [1, 9]
    assert _rows(t, left_out="sex_unknown")[["numerator", "denominator"]].tolist() == [1, 8]


def test_population_problems_are_named(sel, data, tmp_path):
    pop = data[1]
    with pytest.raises(ValueError, match="no rows for year=2025.*2024"):
        overlap.two_by_two(sel, pop[pop["year"] == 2024])
    small = pop.copy()
    small["population"] = 1
    # 7 residents in all (7 rows of 1), 3 of them male: the 4 registered males do not fit
    with pytest.raises(ValueError, match=r"4 persons registered in the window \(male\) but only 3 residents"):
        overlap.two_by_two(sel, small)


# --------------------------------------------------------------------------------------
# 3. temporal order
# --------------------------------------------------------------------------------------
def test_temporal_order_with_same_day_and_same_case(sel):
    t = overlap.temporal_order(sel)
    # victim first: A, E; same day: B (two cases), C (one case); suspect first: D (2021 before the window)
    assert t["numerator"].tolist() == [2, 2, 1]
    assert t["denominator"].tolist() == [5, 5, 5]
    assert list(t["temporal_order"].astype(str)) == ["victim_first", "same_day", "suspect_first"]


def test_left_censoring(sel):
    t = overlap.left_censoring(sel)
    # E's first registration is in 2020, the first year of the data
    assert t[["numerator", "denominator"]].iloc[0].tolist() == [1, 5]


def test_time_to_suspect(sel):
    t = overlap.time_to_suspect(sel)
    # A: 2023-03-01 -> 2023-09-01 = 184 days; E: 2020-04-01 -> 2023-04-01 = 1095 days.
    # type 7: q25 = 184 + 0.25·911, median = 639.5, q75 = 184 + 0.75·911
    assert t["estimate"].tolist() == pytest.approx([411.75 / MONTH, 639.5 / MONTH, 867.25 / MONTH])
    assert t["denominator"].tolist() == [2, 2, 2]
    assert t[["ci_low", "ci_high"]].isna().all().all()  # n = 2 is too small for any limit
    assert meta_of(t).kind == "summary" and meta_of(t).unit == "months"


# --------------------------------------------------------------------------------------
# 4. type matrix
# --------------------------------------------------------------------------------------
def test_type_matrix(sel):
    t = overlap.type_matrix(sel)
    assert meta_of(t).kind == "count"
    cells = {(str(r.victim_type), str(r.suspect_type)): r.count for r in t.itertuples()}
    # A, C: violence × violence; B: threats × robbery; D: sexual × violence (2021 theft is before
    # the window); E: robbery × threats (2020 violence is before the window)
    assert cells[("violence", "violence")] == 2
    assert cells[("threats", "robbery")] == 1
    assert cells[("sexual", "violence")] == 1
    assert cells[("robbery", "threats")] == 1
    assert sum(v for (a, b), v in cells.items() if "total" not in (a, b)) == 5
    assert [cells[(g, "total")] for g in overlap.TYPE_GROUPS] == [2, 1, 1, 1, 0]
    assert [cells[("total", g)] for g in overlap.TYPE_GROUPS] == [3, 1, 1, 0, 0]
    assert cells[("total", "total")] == 5


def test_type_matrix_uses_most_serious_type(tmp_path):
    reg = """case_id,person_id,role,registered_date,offence_type,age,sex,district
a1,Q1,victim,2025-01-01,threats,15,male,Sagene
a2,Q1,victim,2025-02-01,sexual,15,male,Sagene
a3,Q1,victim,2025-03-01,violence,15,male,Sagene
a4,Q1,suspect,2025-04-01,theft,15,male,Sagene
a5,Q1,suspect,2025-05-01,robbery,15,male,Sagene
"""
    r, _ = _load(tmp_path, reg)
    t = overlap.type_matrix(overlap.select(r, year=2025, window_years=1))
    # sexual beats violence and threats; robbery beats theft (other)
    hit = t[(t["count"] == 1).to_numpy() & (t["victim_type"] != "total").to_numpy()
            & (t["suspect_type"] != "total").to_numpy()]
    assert [(str(a), str(b)) for a, b in zip(hit["victim_type"], hit["suspect_type"])] == [("sexual", "robbery")]


def test_offence_type_filter(data):
    s = overlap.select(data[0], year=2025, offence_types=["violence"])
    # violence rows: A ×2, C ×2, D 2025, G in the window; E 2020 before it; H and I excluded first
    assert s.rows["type_not_selected"] == 10 and s.rows["in_window"] == 6 and s.rows["before_window"] == 1
    p = s.persons
    assert (int(p["suspect"].sum()), int(p["victim"].sum()), int((p["suspect"] & p["victim"]).sum())) == (3, 3, 2)
    assert overlap.temporal_order(s)["numerator"].tolist() == [1, 1, 0]  # A victim first, C same case
    m = overlap.type_matrix(s)
    assert list(m["victim_type"].astype(str)) == ["violence", "violence", "total", "total"]
    assert m["count"].tolist() == [2, 2, 2, 2]


# --------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"window_years": 0}, "window_years=0"),
    ({"age_min": 9}, "age_min=9"),
    ({"age_min": 18, "age_max": 15}, "age_min=18 must not exceed age_max=15"),
    ({"offence_types": ["arson"]}, "unknown type.*arson"),
    ({"offence_types": "violence"}, "must be a list"),
])
def test_check_parameters_names_bad_values(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        overlap.check_parameters(**kwargs)


def test_check_parameters_defaults():
    p = overlap.check_parameters()
    assert p == {"window_years": 3, "age_min": 10, "age_max": 22, "offence_types": tuple(schemas.OFFENCE_TYPE)}
    assert overlap.check_parameters(offence_types="all")["offence_types"] == p["offence_types"]
    assert overlap.check_parameters(offence_types=["threats", "violence"])["offence_types"] == ("violence", "threats")


def test_select_rejects_bad_input(data):
    with pytest.raises(ValueError, match="lacks column"):
        overlap.select(data[0].drop(columns=["role"]), year=2025)
    with pytest.raises(ParameterError, match="year='2025'"):
        overlap.select(data[0], year="2025")


# --------------------------------------------------------------------------------------
# labels, grading, protection
# --------------------------------------------------------------------------------------
def test_tables_keep_codes_and_the_page_shows_words(sel, data):
    t = overlap.overlap_shares(sel, "sex")
    assert list(t["among"].cat.categories) == ["suspects", "victims"]
    assert list(t["sex"].cat.categories) == ["total", "female", "male", "unknown"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        en = overlap.build(sel, data[1], Policy(lang="en"))
        nb = overlap.build(sel, data[1], Policy(lang="nb"))
    text = en.show("shares_by_sex").text
    assert "Suspects: share who were also victims" in text and "Total" in text
    assert "Fornærmet først" in nb.show("temporal_order").text
    assert "Samme dag (også samme sak)" in nb.show("temporal_order").text


def test_all_tables_are_graded_and_carry_no_identifiers(sel, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        out = overlap.build(sel, data[1], Policy(min_count=3, lang="en")).tables()
    assert list(out) == list(overlap.TABLES)
    for name, t in out.items():
        check_estimate_table(t, graded=True, where=name)
        assert reliability.published(t) is not None
        cells = t.astype("object").to_numpy().ravel().tolist()
        assert not any(str(v) in IDS for v in cells), name
        assert not {"person_id", "case_id"} & set(t.columns)
        # no shown count of 1 or 2 persons (min_count = 3)
        shown = t[t["flag"] != "suppressed"]
        for col in ("numerator", "denominator", "count"):
            if col in shown:
                v = pd.to_numeric(shown[col], errors="coerce")
                assert not ((v >= 1) & (v < 3)).any(), (name, col)
        if {"numerator", "denominator"} <= set(shown.columns):
            comp = pd.to_numeric(shown["denominator"]) - pd.to_numeric(shown["numerator"])
            assert not ((comp >= 1) & (comp < 3)).any(), name


def test_grading_messages_name_the_table_in_the_page_language(sel, data):
    # notebook 02 in Norwegian: every grading message names its table by the page title, never in English
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmallSampleWarning)  # the page keeps them out of the notebook
        page = overlap.build(sel, data[1], Policy(lang="nb"))
    titles = {page.title(name) for name in overlap.TABLES}
    messages = page.grading_messages
    assert messages and all(any(f"«{t}»" in m for t in titles) for m in messages)
    assert not any("overlap_" in m or "Overlap of" in m for m in messages)
    assert {name: meta_of(t).title for name, t in page.tables().items()} == {
        name: page.title(name) for name in overlap.TABLES}


def _graded_table(rows, groups, kind, **cols):
    from salto_analysis.estimates import estimate_table
    frame = pd.DataFrame(rows)
    t = estimate_table(frame, groups=groups, kind=kind, measure="m", unit="u", method="x", confidence_level=0.95)
    return with_meta(t, policy=Policy(min_count=5, lang="en"))


def test_protect_links_suspect_shares_and_relative_odds():
    sexes = pd.Categorical(["Total", "Total", "female", "female", "male", "male"],
                           categories=["Total", "female", "male"], ordered=True)
    shares = _graded_table({
        "sex": sexes, "victim_status": ["v", "n"] * 3, "numerator": [50, 40, np.nan, 20, np.nan, 20],
        "denominator": [100, 900, np.nan, 400, np.nan, 500], "estimate": [.5, .04, np.nan, .05, np.nan, .04],
        "ci_low": [.4] * 6, "ci_high": [.6] * 6,
        "flag": ["ok", "ok", "suppressed", "ok", "suppressed", "ok"],
        "flag_reason": [None, None, "D1", None,
                        "D2", None],
    }, ["sex", "victim_status"], "proportion")
    odds = _graded_table({
        "sex": pd.Categorical(["Total", "female", "male"], categories=["Total", "female", "male"], ordered=True),
        "ratio_type": ["w", "w", "w"], "numerator": [50, 30, 20], "denominator": [100, 40, 60],
        "estimate": [3.0, 2.0, 4.0], "ci_low": [2.0, 1.0, 2.0], "ci_high": [4.0, 5.0, 8.0],
        "flag": ["ok", "ok", "ok"], "flag_reason": [None, None, None],
    }, ["sex", "ratio_type"], "ratio")
    out = overlap.protect({"suspect_shares": shares, "relative_odds": odds})
    # female and male each have a withheld row in suspect_shares: all their rows go in both tables
    assert out["suspect_shares"]["flag"].tolist() == ["ok", "ok"] + ["suppressed"] * 4
    assert out["relative_odds"]["flag"].tolist() == ["ok", "suppressed", "suppressed"]
    assert out["relative_odds"]["numerator"].isna().tolist() == [False, True, True]
    assert out["relative_odds"]["flag_reason"].iloc[1] == "D2"
    assert "D2" in meta_of(out["relative_odds"]).flag_codes


def test_protect_withholds_time_when_victim_first_is_withheld():
    order = _graded_table({
        "temporal_order": pd.Categorical(["vf", "sd", "sf"], categories=["vf", "sd", "sf"], ordered=True),
        "numerator": [np.nan, np.nan, 40], "denominator": [np.nan, np.nan, 83], "estimate": [np.nan, np.nan, .48],
        "ci_low": [np.nan, np.nan, .4], "ci_high": [np.nan, np.nan, .6],
        "flag": ["suppressed", "suppressed", "ok"],
        "flag_reason": ["D2", "D1", None],
    }, ["temporal_order"], "proportion")
    time = _graded_table({"time_quantile": ["q25", "median", "q75"], "denominator": [40, 40, 40],
                          "estimate": [1.0, 2.0, 3.0], "ci_low": [0.5, 1.5, 2.5], "ci_high": [1.5, 2.5, 3.5],
                          "flag": ["ok"] * 3, "flag_reason": [None] * 3}, ["time_quantile"], "summary")
    out = overlap.protect({"temporal_order": order, "time_to_suspect": time})
    assert out["time_to_suspect"]["flag"].tolist() == ["suppressed"] * 3
    assert out["time_to_suspect"]["denominator"].isna().all()
    # a row withheld only for reliability (not disclosure) does not withhold the time table
    order2 = order.copy()
    order2["flag_reason"] = ["P3", "P1", None]
    out2 = overlap.protect({"temporal_order": order2, "time_to_suspect": time})
    assert out2["time_to_suspect"]["flag"].eq("ok").all()


def test_protect_refuses_ungraded(sel):
    with pytest.raises(ValueError, match="not been graded"):
        overlap.protect({"temporal_order": overlap.temporal_order(sel)})


def test_note_fields(sel):
    f = overlap.note_fields(sel, Policy(confidence_level=0.9))
    assert (f["first"], f["year"], f["window"], f["first_data_year"], f["level"]) == (2023, 2025, 3, 2020, "90")
    assert f["types"] == "alle lovbruddstyper"


def test_note_fields_names_selected_types(data):
    s = overlap.select(data[0], year=2025, offence_types=["threats", "violence"])
    assert overlap.note_fields(s, Policy(lang="en"))["types"] == "violence and threats"
    assert overlap.note_fields(s, Policy(lang="nb"))["types"] == "vold og trusler"


def test_protect_withholds_a_sex_whose_left_out_persons_are_few():
    cats = ["Total", "female", "male"]
    among = pd.Categorical(["S"] * 3 + ["V"] * 3, categories=["S", "V"], ordered=True)
    by_sex = _graded_table({  # everyone registered: (B, S) and (B, V) per sex
        "among": among, "sex": pd.Categorical(cats * 2, categories=cats, ordered=True),
        "numerator": [100, 40, 60] * 2, "denominator": [300, 100, 200, 400, 150, 250],
        "estimate": [.3] * 6, "ci_low": [.2] * 6, "ci_high": [.4] * 6, "flag": ["ok"] * 6, "flag_reason": [None] * 6,
    }, ["among", "sex"], "proportion")
    status = pd.Categorical(["v", "n"] * 3, categories=["v", "n"], ordered=True)
    compared = _graded_table({  # persons compared with the population: (a, V) and (c, N - V) per sex
        "sex": pd.Categorical(["Total", "Total", "female", "female", "male", "male"], categories=cats, ordered=True),
        "victim_status": status,
        # total: a = 100, V = 390, c = 190 -> left out: both 0, victims 10, suspects 10, either 20: fine
        # female: a = 40, V = 147, c = 60 -> left out victims 3: withheld
        # male: a = 60, V = 243, c = 130 -> left out victims 7, suspects 10, either 17: fine
        "numerator": [100, 190, 40, 60, 60, 130], "denominator": [390, 5000, 147, 2500, 243, 2500],
        "estimate": [.3] * 6, "ci_low": [.2] * 6, "ci_high": [.4] * 6, "flag": ["ok"] * 6, "flag_reason": [None] * 6,
    }, ["sex", "victim_status"], "proportion")
    odds = _graded_table({
        "sex": pd.Categorical(cats, categories=cats, ordered=True), "ratio_type": ["w"] * 3,
        "numerator": [100, 40, 60], "denominator": [390, 147, 243], "estimate": [3.0] * 3, "ci_low": [2.0] * 3,
        "ci_high": [4.0] * 3, "flag": ["ok"] * 3, "flag_reason": [None] * 3,
    }, ["sex", "ratio_type"], "ratio")
    out = overlap.protect({"shares_by_sex": by_sex, "suspect_shares": compared, "relative_odds": odds})
    assert out["suspect_shares"]["flag"].tolist() == ["ok", "ok", "suppressed", "suppressed", "ok", "ok"]
    assert out["relative_odds"]["flag"].tolist() == ["ok", "suppressed", "ok"]
    assert out["shares_by_sex"]["flag"].eq("ok").all()


def test_type_matrix_grading_hides_partners_of_a_small_cell(tmp_path):
    # victim type x suspect type per person: 40 violence x violence, 30 threats x threats,
    # 20 violence x threats, 3 threats x violence (the small cell)
    plan = [("violence", "violence")] * 40 + [("threats", "threats")] * 30 + [("violence", "threats")] * 20 \
        + [("threats", "violence")] * 3
    lines = ["case_id,person_id,role,registered_date,offence_type,age,sex,district"]
    for i, (vt, st) in enumerate(plan):
        lines.append(f"v{i},Y{i},victim,2025-02-01,{vt},16,male,Sagene")
        lines.append(f"s{i},Y{i},suspect,2025-03-01,{st},16,male,Sagene")
    reg, _ = _load(tmp_path, "\n".join(lines) + "\n")
    s = overlap.select(reg, year=2025, window_years=1, offence_types=["violence", "threats"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        g = reliability.grade(overlap.type_matrix(s), Policy(min_count=5, min_events=1, unstable_events=1,
                                                             lang="en"))
    flags = {(str(a), str(b)): (f, r) for a, b, f, r in zip(g["victim_type"], g["suspect_type"], g["flag"],
                                                            g["flag_reason"])}
    assert flags[("threats", "violence")][0] == "suppressed" and flags[("threats", "violence")][1].startswith("D1")
    # its row (threats) and column (violence) each need a second hidden cell: the other inner cells
    assert flags[("threats", "threats")][0] == "suppressed" and flags[("threats", "threats")][1].startswith("D2")
    assert flags[("violence", "violence")][0] == "suppressed"
    assert flags[("total", "total")][0] == "ok"


def test_protect_withholds_a_breakdown_value_in_both_lines_of_the_shared_numerator():
    # the persons in both roles are the numerator of the suspect line and of the victim line:
    # Sentrum is withheld among suspects (D1) and district C among victims (D2); shown in the other
    # line, either numerator would fill in the sum of the withheld cells of its line
    among = pd.Categorical(["suspects"] * 4 + ["victims"] * 4, categories=["suspects", "victims"], ordered=True)
    district = ["total", "A", "C", "Sentrum"] * 2
    shown = [True, True, True, False, True, True, False, True]
    by_district = _graded_table({
        "among": among, "district": district,
        "numerator": [v if s else np.nan for v, s in zip([120, 60, 57, 3, 120, 60, 57, 3], shown)],
        "denominator": [v if s else np.nan for v, s in zip([400, 200, 190, 10, 300, 150, 140, 10], shown)],
        "estimate": [.3 if s else np.nan for s in shown], "ci_low": [.2 if s else np.nan for s in shown],
        "ci_high": [.4 if s else np.nan for s in shown],
        "flag": ["ok" if s else "suppressed" for s in shown],
        "flag_reason": [None, None, None, "D1", None, None, "D2", None],
    }, ["among", "district"], "proportion")
    out = overlap.protect({"shares_by_district": by_district})["shares_by_district"]
    hidden = out.loc[out["flag"] == "suppressed", ["among", "district"]].astype(str).values.tolist()
    assert hidden == [["suspects", "C"], ["suspects", "Sentrum"], ["victims", "C"], ["victims", "Sentrum"]]
    assert out.loc[out["flag"] == "suppressed", "numerator"].isna().all()
