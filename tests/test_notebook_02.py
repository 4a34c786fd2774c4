"""notebooks/02_victim_offender_overlap.ipynb runs on data/sample/ in Norwegian and English.

Each parameter set executes the notebook once (module-scoped fixtures) with papermill,
kernel ``python3`` and ``cwd=notebooks/``, as the briefing runs it, with the briefing's
environment flag set so that the recorded tables travel in the executed notebook. The
tests then read the outputs:

* no error, and the figure is there;
* no person or case identifier from the input files in any output or recorded table;
* no count from 1 to ``min_count − 1`` in any recorded table or in any shown table;
* the synthetic banner and the warning box are there; the English run has no Norwegian text;
* a bad parameter stops the notebook in the validation cell with a clear message.
"""

import re

import nbformat
import pytest

import notebook_checks as nc
from notebook_checks import html_tables, outputs, recorded, shown_text
from salto_analysis import labels, overlap
from salto_analysis.briefing.records import small_count_cells

pytestmark = pytest.mark.slow

NOTEBOOK = nc.NOTEBOOKS / "02_victim_offender_overlap.ipynb"


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("nb"))


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("en"), lang="en", min_count=10)


# --------------------------------------------------------------------------------------
def test_committed_notebook_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and "answers" in nb.cells[0].source
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[1]
    for line in tagged[0].source.splitlines():
        assert re.match(r"^\w+: \w+ = .+  # .+", line), line  # annotated default with a help comment
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None
            assert not re.search(r"^\s*(def|class)\s", c.source, re.M)
    assert "validate" in nb.cells[2].source and "check_parameters" in nb.cells[2].source


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == 1, "the figure is missing"


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_no_identifier_in_any_output(which, request, register_identifiers):
    leaked = nc.leaked_identifiers(request.getfixturevalue(which), register_identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"


@pytest.mark.parametrize("which, min_count", [("nb_default", 5), ("nb_english", 10)])
def test_recorded_tables_have_no_small_counts(which, min_count, request):
    tables = recorded(request.getfixturevalue(which))
    assert [t.attrs["record_name"] for t in tables] == list(overlap.TABLES)
    assert [t.attrs["record_name"] for t in tables if t.attrs["headline"]] == [
        "shares_total", "relative_odds_total", "temporal_order"]
    for t in tables:
        name = t.attrs["record_name"]
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
        assert t.attrs["min_count"] == min_count, name
        assert not small_count_cells(t, min_count), name
        for col in ("numerator_ref", "count_ref"):
            if col in t.columns:
                assert not nc.small_values(t[col], min_count), (name, col)
        if "denominator_ref" in t.columns:
            assert not nc.small_values(t["denominator_ref"] - t["numerator_ref"], min_count), name
        assert not {"person_id", "case_id"} & set(t.columns)


@pytest.mark.parametrize("which, lang, min_count", [("nb_default", "nb", 5), ("nb_english", "en", 10)])
def test_shown_tables_have_no_small_counts(which, lang, min_count, request):
    tables = html_tables(request.getfixturevalue(which))
    assert len(tables) >= 12
    count_headers = {labels.t(f"tables.col.{c}", lang) for c in ("numerator", "denominator", "count")}
    matrix_title = labels.t("overlap.title.type_matrix", lang)

    def is_count(t, head):
        return head in count_headers or (t["caption"] == matrix_title and head != t["head"][0])

    checked = 0
    for caption, head, cell, value in nc.count_cells(tables, is_count):
        checked += value is not None
        assert value is None or not 1 <= value < min_count, (caption, head, cell)
    assert checked > 50


def test_banner_warning_box_and_sections(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert nc.has_banner(nb_html, "nb") and nc.has_warning_box(nb_html, "nb")
    for key in ("overlap.heading.persons", "overlap.heading.population", "overlap.heading.order",
                "overlap.heading.types", "overlap.heading.reading"):
        assert labels.t(key, "nb") in nb_html
    assert "fisher.test" in nb_html  # the association note names the exact interval
    en_html = shown_text(nb_english)
    assert nc.has_banner(en_html, "en") and nc.has_warning_box(en_html, "en")
    # min_count = 10 withholds at least as many figures as 5
    assert en_html.count(">:<") >= nb_html.count(">:<") > 0


def test_english_run_has_no_norwegian_labels(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = [k for k in labels.TEXT if k.startswith(("overlap.note.", "overlap.heading.", "overlap.value.among",
                                                    "overlap.value.temporal_order", "overlap.title.shares"))]
    keys += ["common.synthetic_banner", "report.warning.title", "tables.col.numerator", "plots.synthetic"]
    for key in keys:
        nb_text = labels.t(key, "nb", **{f: "x" for f in re.findall(r"{(\w+)}", labels.TEXT[key]["nb"])})
        assert nb_text not in text, f"Norwegian text of {key!r} in the English run"
    for word in ("Fornærmet", "mistenkt", "Andel", "skjult", "betyr"):
        assert word not in text, word
    assert labels.t("overlap.heading.order", "nb") in shown_text(nb_default)


def test_bad_parameter_stops_in_the_validation_cell(tmp_path_factory):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        nc.execute(NOTEBOOK, tmp_path_factory.mktemp("bad"), window_years=0, offence_types=["arson"])
    assert err.value.exec_count == 3  # parameters (1), injected parameters (2), validation (3)
    assert "ParameterError" in err.value.ename
    assert "window_years=0" in err.value.evalue and "arson" in err.value.evalue
