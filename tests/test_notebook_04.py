"""notebooks/04_drug_use_trends.ipynb runs on data/sample/ with the parameter sets of issue 6.

Each parameter set executes the notebook once (module-scoped fixtures) with papermill,
kernel ``python3`` and ``cwd=notebooks/``, as the briefing runs it, with the briefing's
environment flag set so that the recorded tables travel in the executed notebook:

* ``nb_default``: the defaults (Norwegian, grade and sex, all waves, Korn–Graubard);
* ``nb_english``: ``lang="en"``, ``district_breakdown=True``;
* ``nb_logit``: ``ci_method="logit"``, ``waves=[2018, 2023]``.

The tests read the outputs: no error; no pupil or school identifier from the input file
in any output or recorded table; every recorded table graded, every row flagged and no
published count (or complement) from 1 to ``min_count - 1``; the banner, the warning box
and the notes that must be there; the English run without the page's Norwegian texts.
"""

import pytest

import notebook_checks as nc
from notebook_checks import outputs, recorded_by_name, shown_text
from salto_analysis import drug_use, io, labels

pytestmark = pytest.mark.slow

NOTEBOOK = nc.NOTEBOOKS / "04_drug_use_trends.ipynb"


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("english"), lang="en", district_breakdown=True)


@pytest.fixture(scope="module")
def nb_logit(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("logit"), ci_method="logit", waves=[2018, 2023])


RUNS = ["nb_default", "nb_english", "nb_logit"]


@pytest.fixture(scope="module")
def identifiers() -> set[str]:
    survey = io.load_survey(io.find_input(nc.SAMPLE, "survey"))
    ids = nc.input_identifiers([survey], ("pupil_id", "school_id"))
    assert len(ids) > 1000, "the sample survey should have identifiers to look for"
    return ids


@pytest.mark.parametrize("which", RUNS)
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    figures = sum("image/png" in o.get("data", {}) for o in outputs(nb))
    assert figures >= len(drug_use.DEFAULT_INDICATORS), "one trend figure per indicator"


@pytest.mark.parametrize("which", RUNS)
def test_no_identifier_in_any_output(which, request, identifiers):
    nb = request.getfixturevalue(which)
    leaked = nc.leaked_identifiers(nb, identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"
    for t in recorded_by_name(nb).values():
        assert not {"pupil_id", "school_id"} & set(t.columns)


@pytest.mark.parametrize("which", RUNS)
def test_recorded_tables_are_graded_without_small_counts(which, request):
    tables = recorded_by_name(request.getfixturevalue(which))
    expected = {"drug_use_nonresponse", "drug_use_prevalence", "drug_use_headline", "drug_use_change",
                "drug_use_trend"} | ({"drug_use_districts"} if which == "nb_english" else set())
    assert set(tables) == expected
    assert [n for n, t in tables.items() if t.attrs.get("headline")] == ["drug_use_headline"]
    for name, t in tables.items():
        assert len(t) > 0, name
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
        assert t.attrs["min_count"] == 5
        shown = t[t["flag"] != "suppressed"]
        for suffix in ("", "_ref"):
            if "numerator" + suffix not in t.columns:
                continue
            num = shown["numerator" + suffix].astype(float)
            den = shown["denominator" + suffix].astype(float)
            for label, values in (("numerator", num), ("denominator", den), ("complement", den - num)):
                assert not nc.small_values(values, 5), (name, label + suffix)
        supp = t[t["flag"] == "suppressed"]
        numeric = [c for c in ("numerator", "denominator", "estimate", "ci_low", "ci_high", "se") if c in t.columns]
        assert supp[numeric].isna().all().all(), name


def test_prevalence_has_intervals_and_design_columns(nb_default, nb_logit):
    for nb, method in ((nb_default, "korn-graubard"), (nb_logit, "logit")):
        t = recorded_by_name(nb)["drug_use_prevalence"]
        assert t.attrs["method"].endswith(f"{method} interval")  # the payload keeps "method"
        shown = t[t["flag"] != "suppressed"]
        for col in ("ci_low", "ci_high", "n_eff", "deff", "df", "se"):
            assert shown[col].notna().all(), col
        assert (shown["ci_low"] <= shown["estimate"]).all() and (shown["estimate"] <= shown["ci_high"]).all()
    assert sorted(recorded_by_name(nb_logit)["drug_use_prevalence"]["wave"].unique()) == [2018, 2023]
    change = recorded_by_name(nb_logit)["drug_use_change"]
    assert "2018" in change.attrs["title"] and "2023" in change.attrs["title"]
    assert change["p_adjusted"].notna().any()


def test_banner_warning_box_and_notes(nb_default, nb_english):
    text = shown_text(nb_default)
    assert nc.has_banner(text, "nb") and nc.has_warning_box(text, "nb")
    assert "Benjamini–Hochberg" in text
    assert labels.t("drug_use.reading.census", "nb") in text
    assert labels.t("drug_use.reading.deff", "nb") in text
    assert labels.t("drug_use.note.districts_off", "nb") in text
    en = shown_text(nb_english)
    assert nc.has_warning_box(en, "en")
    assert drug_use.district_note("en") in en
    districts = recorded_by_name(nb_english)["drug_use_districts"]
    assert (districts["flag"] != "ok").any(), "district cells are flagged, and shown as such"
    assert "Oslo" in set(districts["district"].astype(str))


def test_english_run_has_no_norwegian_page_text(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = [k for k in labels.TEXT if k.startswith("drug_use.h.") or k.startswith("drug_use.indicator.")]
    keys += ["common.synthetic_banner", "report.warning.title", "drug_use.reading.census", "plots.synthetic"]
    for key in keys:
        assert labels.t(key, "nb") not in text, f"Norwegian text of {key!r} in the English run"
    for word in ("skjult", "Ungdomsskole", "Andel", "betyr"):
        assert word not in text, word
    assert labels.t("drug_use.h.trends", "nb") in shown_text(nb_default)
