"""notebooks/00_data_quality.ipynb runs on data/sample/ in Norwegian and English.

Each parameter set executes the notebook once (module-scoped fixtures) with
papermill, kernel ``python3`` and ``cwd=notebooks/``, as the briefing runs it,
with the briefing's environment flag set so that the recorded tables travel in
the executed notebook. The tests then read the outputs:

* no error;
* no person, case, pupil or school identifier from the input files in any output;
* the synthetic banner and the warning box are there;
* every recorded table is graded and has no count from 1 to ``min_count - 1``;
* the English run shows none of the Norwegian texts the page uses (spot check
  on salto_analysis.labels).
"""

import pytest

import notebook_checks as nc
from notebook_checks import outputs, recorded, shown_text
from salto_analysis import io, labels
from salto_analysis.estimates import COUNT_COLUMNS

pytestmark = pytest.mark.slow

NOTEBOOK = nc.NOTEBOOKS / "00_data_quality.ipynb"


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("nb"))


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("en"), lang="en", min_count=10)


@pytest.fixture(scope="module")
def identifiers() -> set[str]:
    ids = nc.input_identifiers(io.load_all(nc.SAMPLE))
    assert ids, "the sample data should have identifiers to look for"
    return ids


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs(nb)), "the figure is missing"


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_no_identifier_in_any_output(which, request, identifiers):
    leaked = nc.leaked_identifiers(request.getfixturevalue(which), identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"


@pytest.mark.parametrize("which, min_count", [("nb_default", 5), ("nb_english", 10)])
def test_recorded_tables_have_no_small_counts(which, min_count, request):
    tables = recorded(request.getfixturevalue(which))
    names = sorted(t.attrs["record_name"] for t in tables)
    assert names == ["cases_by_year", "missing_values", "population_coverage", "register_coverage",
                     "survey_coverage"]
    for t in tables:
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all()
        assert t.attrs["min_count"] == min_count  # the threshold the table was graded with
        for col in COUNT_COLUMNS:
            if col in t.columns:
                assert not nc.small_values(t[col], min_count), (t.attrs["record_name"], col)


def test_banner_and_warning_box_are_shown(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert nc.has_banner(nb_html, "nb") and nc.has_warning_box(nb_html, "nb")
    en_html = shown_text(nb_english)
    assert nc.has_banner(en_html, "en") and nc.has_warning_box(en_html, "en")


def test_english_run_has_no_norwegian_labels(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = ["common.synthetic_banner", "report.warning.title", "quality.heading.accounting",
            "quality.heading.coverage", "quality.heading.missing", "quality.heading.checks",
            "quality.heading.reading", "quality.note.accounting", "quality.synthetic.yes", "quality.result.ok",
            "tables.col.exposure", "tables.note.empty", "io.rows_read", "io.rows_in_analysis",
            "plots.synthetic"]
    for key in keys:
        nb_text = labels.t(key, "nb")
        assert nb_text != labels.t(key, "en")
        assert nb_text not in text, f"Norwegian text of {key!r} in the English run"
    # words that only occur in Norwegian page text
    for word in ("Bydel", "skjult", "Rader lest", "Kontroller", "betyr"):
        assert word not in text, word
    # and the Norwegian run has them
    assert labels.t("quality.heading.accounting", "nb") in shown_text(nb_default)
