"""notebooks/01_crime_trends.ipynb runs on data/sample/ with the parameter sets of issue 4.

Each parameter set executes the notebook once (module-scoped fixtures) with papermill,
kernel ``python3`` and ``cwd=notebooks/``, as the briefing runs it, with the briefing's
environment flag set so that the recorded tables travel in the executed notebook:

* defaults (Norwegian, min_count 5, the latest year);
* ``lang="en"``, ``min_count=10``, ``year=2022``.

The tests read the outputs: no error and every figure there; no person or case identifier
of the input files in any output or recorded table; no count from 1 to ``min_count − 1`` in
any recorded or shown table; the synthetic banner, the warning box with the expected
flagged figures, the sections and reading notes in the chosen language; a bad parameter
stops the notebook in the validation cell.
"""

import re

import nbformat
import pytest

import notebook_checks as nc
from notebook_checks import html_tables, outputs, recorded, shown_text
from salto_analysis import labels
from salto_analysis.briefing.records import small_count_cells
from salto_analysis.trends.page import TABLES

pytestmark = pytest.mark.slow

NOTEBOOK = nc.NOTEBOOKS / "01_crime_trends.ipynb"
N_FIGURES = 5


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("nb"))


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("en"), lang="en", min_count=10, year=2022)


# --------------------------------------------------------------------------------------
def test_committed_notebook_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and "What this page answers" in nb.cells[0].source
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[1]
    names = []
    for line in tagged[0].source.splitlines():
        m = re.match(r"^(\w+): \w+ = .+  # .+", line)
        assert m, line  # annotated default with a help comment
        names.append(m.group(1))
    assert names == ["data_dir", "year", "years_back", "age_groups", "lang", "min_count", "confidence_level",
                     "districts_file"]
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None
            assert not re.search(r"^\s*(def|class)\s", c.source, re.M)
    assert "params.validate" in nb.cells[2].source


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert not [o for o in outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == N_FIGURES


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_no_identifier_in_any_output(which, request, register_identifiers):
    leaked = nc.leaked_identifiers(request.getfixturevalue(which), register_identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"


@pytest.mark.parametrize("which, min_count", [("nb_default", 5), ("nb_english", 10)])
def test_recorded_tables_have_no_small_counts(which, min_count, request):
    tables = recorded(request.getfixturevalue(which))
    assert [t.attrs["record_name"] for t in tables] == list(TABLES)
    assert [t.attrs["record_name"] for t in tables if t.attrs["headline"]] == [
        "level_total", "change_previous_total", "change_mean_total"]
    for t in tables:
        name = t.attrs["record_name"]
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
        assert t.attrs["min_count"] == min_count, name
        assert not small_count_cells(t, min_count), name
        if "count_ref" in t.columns:
            assert not nc.small_values(t["count_ref"], min_count), name
        assert not [c for c in t.columns if c.endswith("_id")]


@pytest.mark.parametrize("which, lang, min_count", [("nb_default", "nb", 5), ("nb_english", "en", 10)])
def test_shown_tables_have_no_small_counts(which, lang, min_count, request):
    tables = html_tables(request.getfixturevalue(which))
    assert len(tables) == sum(spec.shown for spec in TABLES.values()) + 1  # the row accounting too
    count_headers = {labels.t(f"tables.col.{c}", lang) for c in ("numerator", "denominator", "count")}
    checked = 0
    for caption, head, cell, value in nc.count_cells(tables, lambda t, head: head in count_headers):
        checked += value is not None
        assert value is None or not 1 <= value < min_count, (caption, head, cell)
    assert checked > 200


def test_banner_warning_box_and_sections(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert nc.has_banner(nb_html, "nb") and nc.has_warning_box(nb_html, "nb")
    # the sample's 2025 has 4 suspects living in Sentrum and 1 in Marka: withheld for privacy
    box = next(o.data["text/plain"] for o in outputs(nb_default)
               if "text/plain" in o.get("data", {}) and labels.t("report.warning.title", "nb") in o.data["text/plain"])
    assert "Sentrum: skjult («:») – D1" in box and "Marka: skjult («:») – D1" in box
    for key in ("trends.heading.data", "trends.heading.headline", "trends.heading.series",
                "trends.heading.offences", "trends.heading.districts", "trends.heading.victims",
                "trends.heading.reading"):
        assert labels.t(key, "nb", year=2025, first=2016) in nb_html
    assert "poisson.test" in nb_html  # the headline note names the exact method
    assert "gikk ned" in nb_html or "tilfeldig variasjon" in nb_html  # the honest sentences
    en_html = shown_text(nb_english)
    assert nc.has_banner(en_html, "en") and nc.has_warning_box(en_html, "en")
    assert labels.t("trends.heading.headline", "en", year=2022) in en_html
    assert "Headline figures for 2022" in en_html and "2016–2022" in en_html
    # min_count = 10 withholds at least as many figures as 5
    assert en_html.count(">:<") >= nb_html.count(">:<") > 0


def test_english_run_has_no_norwegian_text(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = [k for k in labels.TEXT if k.startswith(("trends.note.", "trends.heading.", "trends.value.counted",
                                                    "trends.title.", "trends.figure."))]
    keys += ["common.synthetic_banner", "report.warning.title", "tables.col.numerator", "plots.synthetic"]
    for key in keys:
        # the longest piece of the Norwegian text between its fields
        piece = max(re.split(r"{\w+}", labels.TEXT[key]["nb"]), key=len).strip()
        if piece and piece not in labels.TEXT[key]["en"]:
            assert piece not in text, f"Norwegian text of {key!r} in the English run"
    for word in ("Anmeldte", "mistenkte", "Andel", "skjult", "betyr", "innbyggere", "bydel"):
        assert word not in text, word
    assert labels.t("trends.heading.reading", "nb") in shown_text(nb_default)


def test_bad_parameter_stops_in_the_validation_cell(tmp_path_factory):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        nc.execute(NOTEBOOK, tmp_path_factory.mktemp("bad"), years_back=0, age_groups=["10-13"])
    assert err.value.exec_count == 3  # parameters (1), injected parameters (2), validation (3)
    assert "ParameterError" in err.value.ename
    assert "years_back=0" in err.value.evalue and "10-13" in err.value.evalue
