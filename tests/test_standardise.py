"""Tests of salto_analysis.standardise against R (epitools) and hand computations.

Reference values: tests/fixtures/small_area/r_reference.csv, written by
tests/fixtures/small_area/make_r_reference.R (R 4.2.2, epitools 0.5-10.1). The Fay–Feuer
limits are epitools::ageadjust.direct's output on its own example (Fay & Feuer 1997,
Table 1 data); the Tiwari upper limit is computed there by hand with qgamma.
"""

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salto_analysis import standardise
from salto_analysis.estimates import meta_of
from salto_analysis.standardise import direct_standardised_rates

FIX = Path(__file__).parent / "fixtures" / "small_area"
R = pd.read_csv(FIX / "r_reference.csv").set_index("name")["value"]
DSR_IN = pd.read_csv(FIX / "dsr_input.csv", dtype={"order": str})


def _case(case: str, level: float, interval: str = "tiwari") -> pd.Series:
    d = DSR_IN[DSR_IN["order"] == case]
    std = d[["age", "standard"]].rename(columns={"standard": "population"})
    t = direct_standardised_rates(d.assign(district=case), by="district", strata="age", standard=std,
                                  scale=1, interval=interval, confidence_level=level)
    assert len(t) == 1
    return t.iloc[0]


@pytest.mark.parametrize("case", ["1", "2", "3", "4", "5+", "tiny", "zero"])
@pytest.mark.parametrize("level", [0.95, 0.9])
def test_fay_feuer_matches_epitools(case, level):
    row = _case(case, level, interval="fay-feuer")
    key = f"dsr.{case}.{level:g}"
    assert row["estimate"] == pytest.approx(R[f"{key}.dsr"], rel=1e-12, abs=1e-15)
    assert row["crude"] == pytest.approx(R[f"{key}.crude"], rel=1e-12, abs=1e-15)
    assert row["se"] ** 2 == pytest.approx(R[f"{key}.var"], rel=1e-10, abs=1e-20)
    assert row["ci_high"] == pytest.approx(R[f"{key}.ff.high"], rel=1e-9)
    if case == "zero":
        assert row["ci_low"] == 0.0  # epitools gives NA; the limit is 0 (asht::wspoissonTest)
    else:
        assert row["ci_low"] == pytest.approx(R[f"{key}.ff.low"], rel=1e-9)


@pytest.mark.parametrize("case", ["1", "5+", "tiny", "zero"])
@pytest.mark.parametrize("level", [0.95, 0.9])
def test_tiwari_upper_limit_matches_r(case, level):
    row = _case(case, level)
    key = f"dsr.{case}.{level:g}"
    assert row["ci_high"] == pytest.approx(R[f"{key}.tcz.high"], rel=1e-9)
    lower = 0.0 if case == "zero" else R[f"{key}.ff.low"]  # same lower limit as Fay-Feuer
    assert row["ci_low"] == pytest.approx(lower, rel=1e-9)


def test_published_fay_feuer_table_birth_order_5():
    # Fay & Feuer (1997) Table 1 as epitools prints it with round(10^5 * ..., 1):
    # birth order 5+: crude 167.1, adjusted 75.5, 67.7 to 188.3 per 100,000
    row = _case("5+", 0.95, interval="fay-feuer")
    got = [round(1e5 * row[c], 1) for c in ("crude", "estimate", "ci_low", "ci_high")]
    assert got == [167.1, 75.5, 67.7, 188.3]


def test_tiny_stratum_widens_fay_feuer_more_than_tiwari():
    ff, tcz = _case("tiny", 0.95, "fay-feuer"), _case("tiny", 0.95)
    assert ff["estimate"] == tcz["estimate"]
    assert ff["ci_high"] / ff["estimate"] > 2.2  # one stratum of 12 persons more than doubles it
    assert tcz["ci_high"] < ff["ci_high"] * 0.75
    assert ff["max_weight_share"] > 0.5  # the tiny stratum carries the weight (balanced: 1/6)


def _district_frame():
    rng = np.random.default_rng(7)
    rows = []
    for year in (2024, 2025):
        for d, size in zip(["Alna", "Bjerke", "Sentrum"], [9000, 6000, 700]):
            for age in ("10-14", "15-17", "18-22"):
                for sex in ("F", "M"):
                    pop = int(size * rng.uniform(0.1, 0.25))
                    rows.append((year, d, age, sex, pop, int(rng.poisson(pop * 0.02))))
    return pd.DataFrame(rows, columns=["year", "district", "age_group", "sex", "population", "count"])


def test_default_standard_city_total_equals_crude_and_hand_formula():
    df = _district_frame()
    t = direct_standardised_rates(df, by="district", groups="year", total="Oslo")
    assert meta_of(t).kind == "rate" and meta_of(t).scale == 1000
    assert meta_of(t).total_labels == ("Oslo",)
    assert list(t.columns[:4]) == ["year", "district", "count", "exposure"]
    city = t[t["district"] == "Oslo"]
    assert np.allclose(city["estimate"], city["crude"], rtol=1e-12)
    # hand formula for one district: sum_a (w_a / W) * x_a / n_a
    d = df[(df.year == 2025)]
    w = d.groupby(["age_group", "sex"])["population"].sum()
    a = d[d.district == "Sentrum"].set_index(["age_group", "sex"])
    hand = 1000 * float(((w / w.sum()) * a["count"] / a["population"]).sum())
    got = t[(t.year == 2025) & (t.district == "Sentrum")].iloc[0]
    assert got["estimate"] == pytest.approx(hand, rel=1e-12)
    assert got["count"] == a["count"].sum() and got["exposure"] == a["population"].sum()
    assert got["ci_low"] < got["estimate"] < got["ci_high"]
    assert got["crude_low"] < got["crude"] < got["crude_high"]


def test_counts_and_population_in_separate_frames_and_missing_cells_count_zero():
    df = _district_frame()
    counts = df[df["count"] > 0].drop(columns="population")
    counts = counts[~((counts.district == "Sentrum") & (counts.age_group == "10-14"))]  # no events there
    pop = df.drop(columns="count")
    t = direct_standardised_rates(counts, pop, groups="year")
    expected = df.copy()
    expected.loc[(expected.district == "Sentrum") & (expected.age_group == "10-14"), "count"] = 0
    t2 = direct_standardised_rates(expected, groups="year")
    pd.testing.assert_frame_equal(t.reset_index(drop=True), t2.reset_index(drop=True))


def test_fixed_standard_for_all_years():
    df = _district_frame()
    std = df[df.year == 2025].drop(columns=["year", "count"])
    t = direct_standardised_rates(df, groups="year", standard=std)
    t25 = direct_standardised_rates(df[df.year == 2025], groups="year")
    assert np.allclose(t[t.year == 2025]["estimate"].to_numpy(), t25["estimate"].to_numpy())
    assert "given standard" in meta_of(t).fact('standard')


def test_any_area_names_and_categorical_order_kept():
    df = _district_frame()
    df["district"] = pd.Categorical(df["district"].map({"Alna": "Øst", "Bjerke": "Nord", "Sentrum": "Sentrum"}),
                                    categories=["Sentrum", "Øst", "Nord"], ordered=True)
    t = direct_standardised_rates(df, groups="year", total="By")
    assert list(t[t.year == 2024]["district"].astype(str)) == ["Sentrum", "Øst", "Nord", "By"]


def test_empty_stratum_is_refused_with_fix():
    df = _district_frame()
    df.loc[(df.district == "Sentrum") & (df.age_group == "18-22") & (df.sex == "F"), ["population", "count"]] = 0
    with pytest.raises(ValueError, match=r"no population.*district='Sentrum'.*merge strata"):
        direct_standardised_rates(df, groups="year")


def test_events_without_population_refused():
    df = _district_frame()
    pop = df.drop(columns="count")
    pop = pop[pop.district != "Sentrum"]
    with pytest.raises(ValueError, match="events but no row in the population"):
        direct_standardised_rates(df.drop(columns="population"), pop, groups="year")


@pytest.mark.parametrize("kwargs, msg", [
    ({"interval": "dobson"}, "interval='dobson' must be one of"),
    ({"scale": 0}, "scale=0 must be a positive number"),
    ({"confidence_level": 95}, "confidence_level=95"),
    ({"strata": ()}, "strata must name at least one column"),
    ({"strata": "agegroup"}, r"column\(s\) \['agegroup'\] not in the data"),
])
def test_bad_arguments(kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        direct_standardised_rates(_district_frame(), groups="year", **kwargs)


def test_negative_count_refused():
    df = _district_frame()
    df.loc[3, "count"] = -1
    with pytest.raises(ValueError, match="'count' has 1 negative value"):
        direct_standardised_rates(df, groups="year")


def test_doctests():
    assert doctest.testmod(standardise).failed == 0


def test_standard_errors_name_the_cell():
    df = _district_frame()
    std = df[df.year == 2025].drop(columns="count")  # keeps the year: matched by year
    with pytest.raises(ValueError, match=r"standard has no population for year=2024, district='Alna'"):
        direct_standardised_rates(df, groups="year", standard=std)
    std = df[(df.year == 2025) & (df.age_group != "18-22")].drop(columns=["year", "count"])
    with pytest.raises(ValueError, match=r"stratum the standard does not have, first: year=2024, district='Alna', "
                                         r"age_group='18-22', sex='F'"):
        direct_standardised_rates(df, groups="year", standard=std)


def test_series_standard_and_integer_counts():
    df = _district_frame()
    std = df[df.year == 2025].groupby(["age_group", "sex"])["population"].sum()
    t = direct_standardised_rates(df, groups="year", standard=std)
    t2 = direct_standardised_rates(df, groups="year", standard=std.reset_index())
    assert np.allclose(t["estimate"], t2["estimate"])
    assert t["count"].dtype == np.int64 and t["exposure"].dtype == np.int64
