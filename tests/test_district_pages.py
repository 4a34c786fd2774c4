"""The district tables of pages 01 and 04 (issue 14): standardised, smoothed and compared districts.

Page 01 (:mod:`salto_analysis.trends.page`) on the synthetic sample register: the side-by-side
table of crude, age–sex standardised and empirical Bayes rates, the comparison with the whole
city by the funnel limits, rank intervals, the district sentence and the funnel figure. Page 04
(:mod:`salto_analysis.drug_use.page`) on the sample survey: the Fay–Herriot estimates beside the
direct ones. The numbers are checked against the library functions (tested against R and by
hand in tests/test_standardise.py and tests/test_small_area.py) and, for the standardised rate,
by a hand computation from the register; the page-level checks are that the same numbers reach
the page, that withheld districts stay withheld and out of the models, that flagged rows are
never ranked, and that the sentence, the table and the figure use one comparison.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest

from salto_analysis import (
    disclosure,
    drug_use,
    io,
    params,
    small_area,
    standardise,
    trends,
)
from salto_analysis.estimates import meta_of
from salto_analysis.page import graded
from salto_analysis.trends import districts
from salto_analysis.trends import page as tp

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
YEAR = 2024


@pytest.fixture(scope="module")
def inputs():
    return (io.load_register(io.find_input(SAMPLE, "register")),
            io.load_population(io.find_input(SAMPLE, "population")))


@pytest.fixture(scope="module")
def sel(inputs):
    return trends.select(*inputs, year=YEAR)


@pytest.fixture(scope="module")
def page(sel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tp.build(sel, params.policy(5, 0.95, "nb"))


def _rows(t, measure):
    part = t[t["measure"] == measure]
    return part.set_index(part["district"].astype(object))


# --------------------------------------------------------------------------------------
# page 01: crude, standardised and smoothed side by side
# --------------------------------------------------------------------------------------
def test_strata_count_the_same_persons_as_a_plain_pandas_count(inputs, sel):
    """Unique suspects of the year by district × age group × sex, counted here with pandas:
    each person once, at their first registration as a suspect in the year."""
    register = inputs[0]
    r = register[(register["role"] == "suspect") & register["in_scope"] & (register["year"] == YEAR)]
    r = r.reset_index().sort_values(["registered_date", "index"], kind="stable").drop_duplicates("person_id")
    expected = r.groupby(["district", "age_group", "sex"], observed=True).size()
    got = sel.district_strata.set_index(["district", "age_group", "sex"])["count"]
    for key, n in expected.items():
        if key[0] in got.index.get_level_values(0):
            assert got.loc[key] == n, key
    assert got.sum() == sel.district_counts["count"].sum()


def test_standardised_rate_by_hand(page, sel):
    """DSR = Σ (x_a / n_a) w_a / Σ w_a, with w the city's population of the year by age group × sex."""
    s = sel.district_strata
    w = s.groupby(["age_group", "sex"], observed=True)["population"].sum()
    t = _rows(page["district_rates"], "standardised")
    for name in ("Gamle Oslo", "Alna", "Vestre Aker"):
        d = s[s["district"] == name].set_index(["age_group", "sex"])
        dsr = float(((d["count"] / d["population"]) * w).sum() / w.sum() * 1000)
        assert t.loc[name, "flag"] == "ok"
        assert t.loc[name, "estimate"] == pytest.approx(dsr, rel=1e-12)
    # the city is the standard: its standardised rate is its crude rate
    crude = _rows(page["district_rates"], "crude")
    assert t.loc[districts.CITY, "estimate"] == pytest.approx(crude.loc[districts.CITY, "estimate"])


def test_side_by_side_numbers_are_the_library_functions(page, sel):
    t = page["district_rates"]
    crude, std, eb = (_rows(t, m) for m in districts.MEASURES)
    rates = page["districts"].set_index(page["districts"]["district"].astype(object))
    ok = rates.index[rates["flag"] == "ok"]
    assert len(ok) >= 10
    for c in ("count", "estimate", "ci_low", "ci_high"):
        assert np.allclose(crude.loc[ok, c].astype(float), rates.loc[ok, c].astype(float))
    ref = standardise.direct_standardised_rates(sel.district_strata, by="district", strata=("age_group", "sex"),
                                                count="count", exposure="population", scale=1000)
    ref = ref.set_index(ref["district"].astype(object))
    for c in ("estimate", "ci_low", "ci_high"):
        assert np.allclose(std.loc[ok.drop(districts.CITY), c].astype(float), ref.loc[ok.drop(districts.CITY), c])
    used = districts.used_districts(page["districts"])
    d = sel.district_counts.merge(sel.district_population, on="district")
    d = d[d["district"].astype(object).isin(used)].assign(district=lambda f: f["district"].astype(object))
    ref = small_area.empirical_bayes_rates(d, area="district", count="count", exposure="population", scale=1000)
    ref = ref.set_index("district")
    names = [n for n in ok if n != districts.CITY]
    for c in ("estimate", "ci_low", "ci_high"):
        assert np.allclose(eb.loc[names, c].astype(float), ref.loc[names, c])
    # shrinkage towards the city: every smoothed rate lies between its crude rate and the prior mean
    b = ref["prior_mean"].iloc[0]
    for n in names:
        lo, hi = sorted([crude.loc[n, "estimate"], b])
        assert lo - 1e-9 <= eb.loc[n, "estimate"] <= hi + 1e-9


def test_withheld_districts_stay_withheld_and_out_of_the_models(page):
    rates = page["districts"]
    gone = set(rates.loc[disclosure.disclosed(rates), "district"].astype(object))
    assert gone, "the sample has districts withheld for privacy (Sentrum D1 and its partner D2)"
    for name in ("district_rates", "district_ratios"):
        t = page[name]
        part = t[t["district"].astype(object).isin(gone)]
        assert (part["flag"] == "suppressed").all() and part["estimate"].isna().all(), name
        assert part["count"].isna().all(), name
    used = districts.used_districts(rates)
    assert not gone & set(used)
    ratios = meta_of(page["district_ratios"])
    assert ratios.fact("funnel")[0]["n_areas"] == len(used)
    assert ratios.fact("prior")[0]["n_areas"] == len(used)


def test_flagged_rows_are_never_ranked(page):
    t = page["district_ratios"]
    ok = t["flag"] == "ok"
    assert ok.sum() >= 10 and (~ok).sum() >= 1
    assert t.loc[~ok, ["rank", "rank_low", "rank_high"]].isna().all().all()
    assert not t.loc[~ok, "rankable"].fillna(False).astype(bool).any()
    r = t[ok]
    assert (r["rank_low"] <= r["rank"]).all() and (r["rank"] <= r["rank_high"]).all()
    assert sorted(r["rank"].astype(int)) == list(range(1, ok.sum() + 1))  # ranks among the ok rows only
    assert meta_of(t).fact("not_ranked") == int((~ok).sum())
    assert (r["rank_high"] == np.ceil(r["rank_high"])).all()


def test_comparison_is_with_the_whole_city(page):
    t = page["district_ratios"]
    city = page["districts"].iloc[-1]
    summary = meta_of(t).fact("funnel")[0]
    assert summary["target"] == pytest.approx(city["estimate"])  # the Oslo row: all districts together
    rates = page["districts"].set_index(page["districts"]["district"].astype(object))
    shown = t[t["flag"] != "suppressed"].set_index(t.loc[t["flag"] != "suppressed", "district"].astype(object))
    assert np.allclose(shown["estimate"], rates.loc[shown.index, "estimate"] / city["estimate"])


# --------------------------------------------------------------------------------------
# one comparison: the sentence, the table and the figure agree
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def distorted_page(inputs):
    """The sample with Gamle Oslo's residents cut to a fifth and Vestre Aker's tripled: one
    district far above and one far below Oslo, whatever the widening."""
    register, population = inputs
    pop = population.copy()
    factor = pop["district"].astype(object).map({"Gamle Oslo": 0.2, "Vestre Aker": 3.0}).fillna(1.0)
    pop["population"] = (pop["population"].astype(float) * factor).round().astype("Int64")
    pop.attrs = dict(population.attrs)
    s = trends.select(register, pop, year=YEAR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tp.build(s, params.policy(5, 0.95, "en"))


def _names(text, label):
    part = text.split(label, 1)[1].split(";")[0].split(". ")[0]
    return {n.strip() for n in part.split(",")}


def test_sentence_flag_and_figure_use_the_same_limits(distorted_page, page):
    for p in (distorted_page, page):
        t = p["district_ratios"]
        shown = t[t["flag"] != "suppressed"]
        above = set(shown.loc[shown["funnel_position"] > 0, "district"].astype(object))
        below = set(shown.loc[shown["funnel_position"] < 0, "district"].astype(object))
        text = p.district_findings().data
        none = p.text("trends.districts.none")
        higher, lower = ("higher:", "lower:") if p.lang == "en" else ("høyere:", "lavere:")
        assert _names(text, higher) == (above or {none})
        assert _names(text, lower) == (below or {none})
        # the table's position is the position against the limits the table carries
        widest = max(meta_of(t).fact("funnel_levels"))
        tag = small_area._level_tag(widest)
        rate = shown["rate"]
        expect = np.where(rate > shown[f"limit_high_{tag}"], 1, np.where(rate < shown[f"limit_low_{tag}"], -1, 0))
        assert (shown["funnel_position"].to_numpy() == expect).all()
        # the figure draws the same limits and names the same districts outside them
        fig = p.figure("funnel")
        alt = " ".join(fig.alt)
        for name in above | below:
            assert name in alt
    t = distorted_page["district_ratios"]
    assert "Gamle Oslo" in set(t.loc[t["funnel_position"] > 0, "district"].astype(object))
    assert "Vestre Aker" in set(t.loc[t["funnel_position"] < 0, "district"].astype(object))


def test_page_says_which_limits_and_why(page):
    s = meta_of(page["district_ratios"]).fact("funnel")[0]
    assert s["adjustment"] == "additive" and s["adjustment_reason"] == "overdispersion"
    note = page.note("trends.note.funnel").data
    assert page.text("trends.funnel.adjusted", phi=f"{s['phi']:.1f}".replace(".", ","), n=s["n_areas"]) in note
    assert "hele Oslo" in note
    plain = graded(districts.comparison(page.selection, s["target"], districts.used_districts(page["districts"])),
                   page.policy)[0]
    assert meta_of(plain).fact("funnel")[0]["adjustment"] == "additive"


# --------------------------------------------------------------------------------------
# district reform
# --------------------------------------------------------------------------------------
def test_district_tables_on_the_new_districts(inputs):
    crosswalk = ROOT / "salto_analysis" / "data" / "district_crosswalk_example.csv"
    s = trends.select(*inputs, year=YEAR, districts_file=str(crosswalk))
    new = [str(d) for d in s.district_counts["district"]]
    assert len(new) < 17
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = tp.build(s, params.policy(5, 0.95, "nb"))
    t = p["district_rates"]
    assert set(t["district"].astype(object)) == {*new, districts.CITY}
    std = _rows(t, "standardised")
    shown = std[std["flag"] == "ok"]
    assert len(shown) >= 3
    # the strata of a merged district are the sums of its old districts
    w = s.district_strata.groupby(["age_group", "sex"], observed=True)["population"].sum()
    name = shown.index[0]
    d = s.district_strata[s.district_strata["district"] == name].set_index(["age_group", "sex"])
    assert shown.loc[name, "estimate"] == pytest.approx(float(((d["count"] / d["population"]) * w).sum() / w.sum()
                                                              * 1000))
    assert set(p["district_ratios"]["district"].astype(object)) == set(new)
    assert p.district_findings().data


# --------------------------------------------------------------------------------------
# page 04: Fay-Herriot beside the direct estimates
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def survey_page():
    survey = io.load_survey(io.find_input(SAMPLE, "survey"))
    frame = drug_use.prepare(survey, indicators=["drunk", "cannabis", "cocaine"], waves=[], by=[])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return drug_use.build(frame, survey, params.policy(5, 0.95, "nb"), district_breakdown=True)


def test_fay_herriot_table_is_the_library_fit_on_the_districts_not_withheld(survey_page):
    from salto_analysis.drug_use.prevalence import CITY
    from salto_analysis.drug_use.prevalence import districts as direct_districts

    direct = direct_districts(survey_page.frame)
    graded_direct = survey_page["districts"]
    gone = disclosure.disclosed(graded_direct)
    keys = set(zip(graded_direct.loc[gone, "indicator"].astype(object),
                   graded_direct.loc[gone, "district"].astype(object)))
    fh = survey_page["districts_smoothed"]
    n_checked = 0
    for name in ("drunk", "cannabis", "cocaine"):
        part = direct[(direct["indicator"] == name) & ~direct["district"].astype(object).isin([CITY, "Uoppgitt"])]
        part = part[[(name, d) not in keys for d in part["district"].astype(object)]]
        part = part.assign(district=part["district"].astype(object))
        ref = small_area.fay_herriot(part, estimate="estimate", se="se", area="district", n="denominator", df="df")
        ref = ref.set_index("district")
        got = fh[(fh["indicator"] == name) & (fh["flag"] != "suppressed")]
        got = got.set_index(got["district"].astype(object))
        for c in ("estimate", "ci_low", "ci_high", "se"):
            assert np.allclose(got[c].astype(float), ref.loc[got.index, c]), (name, c)
        assert np.allclose(got["shrinkage"], 1 - ref.loc[got.index, "gamma"])
        n_checked += len(got)
        # a district withheld for privacy in the direct table is withheld here too
        hidden = fh[(fh["indicator"] == name) & fh["district"].astype(object).isin({d for i, d in keys if i == name})]
        assert (hidden["flag"] == "suppressed").all() and hidden["estimate"].isna().all()
    assert n_checked >= 30
    # the pupil counts are published in the direct table only (the smoothed estimate is not their share)
    assert not {"numerator", "denominator"} & set(fh.columns)
    fits = meta_of(fh).fact("fay_herriot")
    assert [f["transform"] for f in fits] == ["arcsine"] * 3 and all(f["method"] == "REML" for f in fits)


def test_direct_and_smoothed_side_by_side(survey_page):
    both = survey_page["districts_compare"]
    fh = survey_page["districts_smoothed"]
    sm = both[both["measure"] == "smoothed"].reset_index(drop=True)
    assert list(sm["flag"]) == list(fh["flag"])
    assert np.allclose(sm["estimate"].astype(float).fillna(-1), fh["estimate"].astype(float).fillna(-1))
    direct = both[both["measure"] == "direct"]
    assert not direct["district"].astype(object).isin(["Oslo", "Uoppgitt"]).any()
    text = survey_page.show("districts_compare").text
    assert "Direkte" in text and "Utjevnet" in text
    note = survey_page.markdown("districts_smoothed").data
    assert survey_page.text("drug_use.note.smoothed") in note
    # some districts withheld as too uncertain directly are shown smoothed (the point of the model),
    # never one withheld for privacy
    d = both[both["measure"] == "direct"].set_index(["indicator", "district"])
    s = sm.set_index(["indicator", "district"])
    rescued = [k for k in s.index if s.loc[k, "flag"] != "suppressed" and d.loc[k, "flag"] == "suppressed"]
    assert rescued
    assert all(not str(d.loc[k, "flag_reason"]).startswith("D") for k in rescued)


def test_smoothed_variance_is_marked(survey_page):
    """A district whose direct variance was replaced is named in the note."""
    from salto_analysis.drug_use import page as dp

    t = survey_page["districts_smoothed"].copy()
    i = t.index[(t["flag"] != "suppressed") & (t["indicator"] == "cocaine")][0]
    t.loc[i, "variance_smoothed"] = 1.0
    fake = {"districts_smoothed": t}

    class P:
        lang = "en"

        def __getitem__(self, k):
            return fake[k]

    text = dp.smoothed_note(P())
    from salto_analysis import tables

    assert tables.value_label("district", t.loc[i, "district"], "en") in text.split("\n\n")[1]


# --------------------------------------------------------------------------------------
# small data: the district tables on tiny registers and surveys do not break the pages
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("k", "seed", "variant"), [(1, 0, {}), (10, 7, {}), (60, 3, {}),
                                                    (10, 132344, {"variant": "few_schools", "schools": 2})])
def test_district_tables_on_small_data(tmp_path, k, seed, variant):
    """Pages 01 and 04 (with the district breakdown) on a few persons: every table and figure is
    shown or says why, nothing small is published, and the district sentence follows the table."""
    from fixtures.small_data.inputs import write_data_dir
    from test_small_data import run_pages

    data = write_data_dir(tmp_path, k=k, seed=seed, **variant)
    pages = run_pages(data, ("01_crime_trends",), year=0, lang="nb")
    pages.update(run_pages(data, ("04_drug_use_trends",), year=0, lang="en", district_breakdown=True))
    p01 = pages["01_crime_trends"]
    assert "district_rates" in p01
    if "district_ratios" in p01:
        t = p01["district_ratios"]
        assert t.loc[t["flag"] != "ok", "rank"].isna().all()
    else:
        assert p01.district_findings().data == p01.skipped("district_ratios")
    p04 = pages["04_drug_use_trends"]
    for name in ("districts_smoothed", "districts_compare"):
        assert name in p04 or p04.skipped(name) is not None
