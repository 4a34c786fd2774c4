"""salto_analysis.trends.page: notebook 01's tables graded and protected, text and figures,
on the hand-made register of tests/fixtures/trends_register.py (scenario in its docstring)."""

import re
import warnings

import matplotlib.figure
import pandas as pd
import pytest
from fixtures.trends_register import write_population, write_register
from scipy import stats as sps

from salto_analysis import io, labels, params, trends
from salto_analysis.briefing.records import small_count_cells
from salto_analysis.estimates import (
    check_estimate_table,
    meta_of,
)
from salto_analysis.page import graded
from salto_analysis.policy import SmallSampleWarning
from salto_analysis.trends import page as tp

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.fixture(scope="module")
def sel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page")
    return trends.select(io.load_register(write_register(folder)), io.load_population(write_population(folder)),
                         year=2025)


@pytest.fixture(scope="module")
def page(sel):
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmallSampleWarning)  # the page keeps them out of the notebook
        return tp.build(sel, params.policy(5, 0.95, "nb"))


@pytest.fixture(scope="module")
def page_en(sel):
    return tp.build(sel, params.policy(10, 0.95, "en"))


def _disclosed(t):
    return (t["flag"] == "suppressed") & t["flag_reason"].fillna("").str.match(r"D[12]\b")


def test_every_table_is_graded_and_publishable(page, page_en):
    for p, min_count in ((page, 5), (page_en, 10)):
        # three districts, two withheld: too few to compare with Oslo, and the page says so
        assert list(p.tables()) == [n for n in tp.TABLES if n != "district_ratios"]
        assert p.skipped("district_ratios") == p.text("trends.not_shown.comparison_few", n=1)
        for name, t in p.tables().items():
            check_estimate_table(t, graded=True, where=name)
            assert meta_of(t).policy.min_count == min_count
            assert not small_count_cells(t, min_count), name
            for col in ("count_ref",):
                if col in t.columns:
                    assert not t[col].dropna().astype(float).between(1, min_count - 1).any(), name
            assert not [c for c in t.columns if str(c).endswith("_id")]


def test_tables_keep_codes_and_the_page_shows_words(page, page_en):
    # the same codes in both languages: the published tables do not depend on the language
    for name in ("level", "districts", "offence_modus", "trend"):
        for col in meta_of(page[name]).groups:
            assert list(page[name][col].astype(object)) == list(page_en[name][col].astype(object)), (name, col)
    assert list(page["level"]["counted"].unique()) == ["cases", "suspects"]
    assert list(page["level"]["age_group"])[:4] == ["10-14", "15-17", "18-22", "total"]
    assert list(page["districts"]["district"].astype(object))[-1] == "city"
    # words at display, in the page's language
    nb, en = page.show("level").text, page_en.show("level").text
    assert "Anmeldte saker" in nb and "I alt" in nb and "Registered cases" in en and "Total" in en
    assert "Oslo" in page.show("districts").text
    assert "Committed in a group (several suspects)" in page_en.show("offence_modus").text


def test_headline_is_cut_from_the_series(page):
    s, lv = page["series"], page["level"]
    s25 = s[s["year"] == 2025].drop(columns="year").reset_index(drop=True)
    pd.testing.assert_frame_equal(lv, s25, check_dtype=False)
    # the briefing's headline figures are the total rows of the page's tables
    for name in ("level", "change_previous", "change_mean"):
        t = page[name]
        pd.testing.assert_frame_equal(page[f"{name}_total"], t[t["age_group"] == "total"].reset_index(drop=True))
    assert [n for n, spec in tp.TABLES.items() if spec.get("headline")] == [
        "level_total", "change_previous_total", "change_mean_total"]
    assert list(page["level_total"]["count"]) == [83, 84]
    # the 10-14 counts of 2025 are 3: withheld for privacy
    assert set(lv.loc[lv["age_group"] == "10-14", "flag_reason"].str[:2]) == {"D1"}


def test_changes_never_show_a_withheld_count(page):
    s = page["series"]
    hidden = {(c, a, y) for c, a, y in s.loc[_disclosed(s), ["counted", "age_group", "year"]].itertuples(
        index=False, name=None)}
    for name, years in (("change_previous", (2025, 2024)), ("change_mean", (2025, 2024, 2023, 2022))):
        t = page[name]
        for r in t.itertuples(index=False):
            if any((r.counted, r.age_group, y) in hidden for y in years):
                assert r.flag == "suppressed", (name, r.counted, r.age_group)
    # 10-14 uses the 3 suspects of 2025 (D1) and 2 of 2024 (D1)
    ch = page["change_previous"]
    assert (ch.loc[ch["age_group"] == "10-14", "flag"] == "suppressed").all()


def test_cross_table_protection_adds_d2(sel):
    """A change whose counts are shown in its own table but withheld (D2) in the series is withheld too."""
    policy = params.policy(5, 0.95, "nb")
    page = {name: graded(t, policy)[0] for name, t in {
        "series": trends.series(sel), "change_previous": trends.year_change(sel),
        "change_mean": trends.year_change(sel, reference="mean"), "victims": trends.series(sel, ("victims",)),
        "victim_change": trends.victim_change(sel), "offence_types": trends.offence_types(sel),
        "offence_modus": trends.offence_modus(sel), "districts": trends_districts_rates(sel),
        "district_ratios": trends_districts_ratios(sel)}.items()}
    s = page["series"]
    d2 = s[(s["year"] == 2025) & s["flag_reason"].fillna("").str.startswith("D2")]
    assert len(d2), "the fixture should give a D2 cell in 2025"
    counted, group = d2[["counted", "age_group"]].iloc[0]
    before = page["change_previous"]
    was = before[(before["counted"] == counted) & (before["age_group"] == group)].iloc[0]
    out = tp.protect(page, sel)
    now = out["change_previous"]
    now = now[(now["counted"] == counted) & (now["age_group"] == group)].iloc[0]
    assert now["flag"] == "suppressed" and now["flag_reason"].startswith("D2")
    if was["flag"] != "suppressed":
        assert pd.isna(now["count"]) and pd.isna(now["estimate"])
    # the district ratio of a district withheld in the rate table is withheld (Frogner D1, Sagene D2)
    r = out["district_ratios"]
    assert list(r.loc[r["flag"] == "suppressed", "district"]) == ["Sagene", "Frogner"]


def trends_districts_rates(sel):
    from salto_analysis.trends import districts

    return districts.rates(sel, min_count=5)


def trends_districts_ratios(sel):
    from salto_analysis.trends import districts

    return districts.ratios(sel, min_count=5)


def test_offence_modus_follows_the_offence_type_table(page):
    types, modus = page["offence_types"], page["offence_modus"]
    gone = set(types.loc[_disclosed(types), "offence_type"])
    # robbery 1, threats 2, drugs 1, vandalism 3, other 1 cases: all below 5
    assert {"robbery", "threats", "drugs", "vandalism", "other"} <= gone
    assert (modus.loc[modus["offence_type"].isin(gone), "flag"] == "suppressed").all()


def test_district_tables_follow_the_district_table(page):
    """Frogner (D1) and Sagene (D2) are withheld in every measure of the side-by-side table; the one
    district left cannot be compared with Oslo (a comparison needs 3), and the sentence says why."""
    r = page["district_rates"]
    gone = r[r["district"].isin(["Sagene", "Frogner"])]
    assert (gone["flag"] == "suppressed").all() and gone["estimate"].isna().all()
    assert page.district_findings().data == page.text("trends.not_shown.comparison_few", n=1)


def test_victim_sentence_reference_vector(page, sel):
    text = page.sentences("victim_change").data
    lines = text.splitlines()
    assert len(lines) == 4  # 2025 only: three age groups and the total
    # 30 -> 45 (R poisson.test): +50 % (95 % KI −8 % til +147 %); BH-adjusted p = 2 P(Bin(50,.5) <= 20) * 10/6
    p_adj = 2 * sps.binom.cdf(20, 50, 0.5) * 10 / 6
    assert f"{p_adj:.3f}" == "0.338"
    assert lines[0] == (f"- **Unike fornærmede, 10–14 år:** Endringen (+50{NBSP}%) er innenfor det som kan skyldes "
                        f"tilfeldig variasjon (95{NBSP}% KI {MINUS}8{NBSP}% til +147{NBSP}%); justert p = 0,338.")
    assert "kan ikke vises" in lines[1]  # 15-17 victims: 0 -> 0, no ratio
    en = tp.build(sel, params.policy(5, 0.95, "en")).sentences("victim_change").data
    assert en.splitlines()[0].startswith("- **Unique victims, 10–14 years:** The change (+50%) is within")


def test_change_sentences_show_p(page, sel):
    text = page.sentences("change_previous").data
    assert len(text.splitlines()) == 8
    line = [x for x in text.splitlines() if x.startswith("- **Unike mistenkte, 18–22 år:**")]
    if page["change_previous"].query("counted == 'suspects' and age_group == '18-22'")["flag"].iat[0] \
            != "suppressed":
        assert "; p " in line[0]
    with pytest.raises(ValueError, match="name='series'"):
        page.sentences("series")


def test_district_findings_say_why_no_district_is_compared(page):
    # one district left after withholding Frogner (D1) and Sagene (D2): no comparison, no ranking
    text = page.district_findings().data
    assert text == "Bydelene sammenlignes ikke med Oslo: bare 1 av bydelene har tall som kan vises, og sammenligningen " \
                   "trenger minst 3."


def test_note_fields_protect_small_counts(sel):
    f = tp.note_fields(sel, params.policy(5, 0.95, "nb"))
    assert f["unknown"].startswith("Færre enn 5 mistenkte") and f["online_unknown"] == "færre enn 5 saker"
    assert (f["year"], f["prev"], f["first"], f["ref_first"], f["ref_last"], f["count_first"]) == (
        2025, 2024, 2020, 2022, 2024, 2020)
    assert f["ages"] == "10–22 år" and f["ci_level"] == "95" and f["n_districts"] == 3 and f["crosswalk"] == ""
    f = tp.note_fields(sel, params.policy(1, 0.998, "en"))
    assert f["unknown"].startswith("1 suspect had") and f["online_unknown"] == "1 case"
    assert f["ci_level"] == "99.8" and f["alpha"] == "0.002" and f["ages"] == "aged 10–22"


def test_titles_and_accounting(sel, page):
    assert page.title("level").startswith("Anmeldte saker og unike mistenkte 10–22 år i 2025")
    assert tp.build(sel, params.policy(5, 0.95, "en")).title("change_mean").startswith(
        "Change from the average of 2022–2024 to 2025")
    with pytest.raises(ValueError, match="name='nope'"):
        page.title("nope")
    acc = tp.accounting(sel, params.policy(5, 0.95, "en"))
    assert list(acc.columns) == [labels.t("trends.col.item", "en"), labels.t("trends.col.rows", "en")]
    assert acc.iloc[-1, 0] == "Used (2020–2025)" and acc.iloc[1, 1] == 2


def test_figures(page, sel):
    for name in ("series_suspects", "series_cases", "offence_modus", "funnel", "victims"):
        fig = page.figure(name)
        assert isinstance(fig, matplotlib.figure.Figure)
        texts = [t.get_text() for t in fig.texts]
        assert labels.t("plots.synthetic", "nb") not in texts  # the fixture is not synthetic
    with pytest.raises(ValueError, match="name='pie'"):
        page.figure("pie")


def test_show_gives_title_and_hides_columns(page_en):
    out = page_en.show("change_previous").text
    assert page_en.title("change_previous") in out and "exposure_ref" not in out
    assert "exposure_ref" in page_en["change_previous"].columns  # hidden on the page, kept in the published table
    with pytest.raises(ValueError, match="name='x'"):
        page_en.show("x")


def test_the_page_shows_every_table_but_the_index_rows(page):
    shown = [e.name for e in page.shown()]
    assert shown == [n for n, spec in tp.TABLES.items() if spec.get("shown", True) and n in page]
    assert len(shown) == 11 and "district_rates" in shown
    assert all(e.title for e in page.shown())


def test_build_checks_policy(sel):
    with pytest.raises(ValueError, match="Policy"):
        tp.build(sel, {"min_count": 5})
    assert meta_of(tp.build(sel, params.policy(5, 0.9, "nb"))["level"]).confidence_level == 0.9


# ---- small data (issue 13): tables and figures that cannot be made say why in plain words
@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    return io.load_register(write_register(folder)), io.load_population(write_population(folder))


def test_changes_that_need_years_before_the_register_say_why(inputs):
    # the register starts in 2020: for 2022 the previous year is there, the three years 2019-2021 are not
    page = tp.build(trends.select(*inputs, year=2022), params.policy(5, 0.95, "nb"))
    assert "change_previous" in page and "change_previous_total" in page
    assert "change_mean" not in page and "change_mean_total" not in page
    assert page.show("change_mean").data == ("Sammenligningen med gjennomsnittet av de 3 foregående årene "
                                             "(2019–2021) kan ikke gjøres: registeret begynner i 2020.")
    assert page.sentences("change_mean").data == ""
    assert list(page.tables()) == [n for n in tp.TABLES if not n.startswith("change_mean")]
    # a single year: no change, no trend
    page = tp.build(trends.select(*inputs, year=2020), params.policy(5, 0.95, "en"))
    assert page.show("change_previous").data == ("The change from the year before cannot be computed: the "
                                                 "register starts in 2020, so there are no figures for 2019.")
    for name in ("trend", "victim_change"):
        assert page.show(name).data == ("The register starts in 2020, so the period has a single year and the "
                                        "development over time cannot be computed.")
    assert tp.skipped_tables(trends.select(*inputs, year=2025)) == {}


def test_funnel_without_a_reference_rate_says_why(inputs):
    # 10-14 in 2021: scenario (c) has no case that year, so no suspect at all
    page = tp.build(trends.select(*inputs, year=2021, age_groups=["10-14"]), params.policy(5, 0.95, "nb"))
    assert page.selection.district_counts["count"].sum() == 0
    assert page["districts"]["flag"].iloc[-1] == "suppressed"  # a rate of 0 events is not shown (C1)
    assert page.figure("funnel").data == ("Ingen unge 10–14 år med kjent bostedsbydel er registrert som mistenkt "
                                          "i 2021, så figuren med kontrollgrenser kan ikke tegnes.")
    # 15-17 in 2020: scenario (b) has one suspect, so the Oslo row is withheld and with it the reference line
    page = tp.build(trends.select(*inputs, year=2020, age_groups=["15-17"]), params.policy(5, 0.95, "en"))
    assert page["districts"]["flag"].iloc[-1] == "suppressed"
    assert page.figure("funnel").data.startswith("The figure with control limits is not shown: the rate for the "
                                                 "whole of Oslo in 2020 is withheld")


# --------------------------------------------------------------------------------------
# sentences against their tables (issue 12, item 3), on the sample data
# --------------------------------------------------------------------------------------
NUMBER = r"([+−-]?\d+(?:\.\d+)?)"


def _signed(text: str) -> float:
    return float(text.replace("−", "-").replace("+", ""))


@pytest.fixture(scope="module")
def sample_page():
    from fixtures.small_data.inputs import SAMPLE  # the sample data folder

    reg = io.load_register(io.find_input(SAMPLE, "register"))
    pop = io.load_population(io.find_input(SAMPLE, "population"))
    return tp.build(trends.select(reg, pop, year=2025), params.policy(5, 0.95, "en"))


@pytest.mark.parametrize("name", ["change_previous", "change_mean", "victim_change"])
def test_every_change_sentence_says_what_its_table_row_says(sample_page, name):
    table = sample_page[name]
    if name == "victim_change":
        table = table[table["year"] == 2025]
    lines = sample_page.sentences(name).data.splitlines()
    assert len(lines) == len(table) > 0
    p_col = "p_adjusted" if "p_adjusted" in table.columns else "p_value"
    for line, (_, row) in zip(lines, table.iterrows()):
        if row["flag"] == "suppressed":
            assert "%" not in line, line
            continue
        change = re.search(rf"The change \({NUMBER}%", line)
        moved = re.search(rf"went (up|down) {NUMBER}%", line)
        ci = re.search(rf"CI {NUMBER}% to {NUMBER}%", line)
        p = re.search(r"p (=|<) (\d\.\d+)", line)
        assert (change or moved) and ci and p, line
        said = _signed(change.group(1)) if change else (1 if moved.group(1) == "up" else -1) * _signed(moved.group(2))
        # the percentages are the table's ratio − 1, rounded as shown (whole per cent, or one decimal under 1 %)
        for text, value, ratio in ((change.group(1) if change else moved.group(2), said, row["estimate"]),
                                   (ci.group(1), _signed(ci.group(1)), row["ci_low"]),
                                   (ci.group(2), _signed(ci.group(2)), row["ci_high"])):
            tolerance = 0.05 if "." in text else 0.5
            assert abs(value - 100 * (ratio - 1)) <= tolerance + 1e-9, (line, ratio)
        if p.group(1) == "=":
            assert float(p.group(2)) == pytest.approx(row[p_col], abs=0.0005), line
        else:
            assert row[p_col] < float(p.group(2)), line
        # the words follow the numbers: "within chance" unless the interval excludes no change and p < 0.05
        differs = (row["ci_low"] > 1 or row["ci_high"] < 1) and row[p_col] < 0.05
        assert ("within what chance variation could produce" in line) == (not differs), line


def test_the_reviewer_layer_gives_the_totals_sentences_only(sample_page):
    full = sample_page.sentences("change_previous").data.splitlines()
    totals = sample_page.sentences("change_previous", total_only=True).data.splitlines()
    assert len(full) == 8 and len(totals) == 2
    assert [line for line in full if "Total:**" in line] == totals
    assert len(sample_page.sentences("victim_change", total_only=True).data.splitlines()) == 1
