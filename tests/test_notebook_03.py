"""notebooks/03_repeat_offenders.ipynb runs on data/sample/ with the parameter sets of issue 5.

Each parameter set executes the notebook once (module-scoped fixtures) with papermill, kernel
``python3`` and ``cwd=notebooks/``, as the briefing runs it, with the briefing's environment
flag set so that the recorded tables travel in the executed notebook. The tests read the
outputs:

* no error, and the figures are there;
* no person or case identifier from the input file in any output or recorded table;
* no count from 1 to ``min_count − 1`` in any recorded table (counts, complements, persons at
  risk, re-registrations per step, the other group's counts) or in any shown table;
* the synthetic banner, the warning box, the sections and the censoring and privacy notes are
  there; the English run has no Norwegian text;
* a bad parameter stops the notebook in the validation cell with a clear message.
"""

import re

import nbformat
import pytest

import notebook_checks as nc
from notebook_checks import html_tables, outputs, recorded, shown_text
from salto_analysis import labels
from salto_analysis.briefing.records import small_count_cells
from salto_analysis.cohorts.page import TABLES

pytestmark = pytest.mark.slow

NOTEBOOK = nc.NOTEBOOKS / "03_repeat_offenders.ipynb"
FIGURES = 7  # bands, series, Lorenz, transitions, debut, re-registration, offence mix


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("nb"))


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return nc.execute(NOTEBOOK, tmp_path_factory.mktemp("en"), lang="en", min_count=10, thresholds=[5])


# --------------------------------------------------------------------------------------
def test_committed_notebook_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and "answers" in nb.cells[0].source
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[1]
    names = []
    for line in tagged[0].source.splitlines():
        assert re.match(r"^\w+: [\w\[\]]+ = .+  # .+", line), line  # annotated default with a help comment
        names.append(line.split(":")[0])
    assert names == ["data_dir", "year", "thresholds", "age_max_repeat", "follow_years", "lang", "min_count",
                     "confidence_level"]
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None
            assert not re.search(r"^\s*(def|class)\s", c.source, re.M)
    assert "validate" in nb.cells[2].source and "check_parameters" in nb.cells[2].source


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == FIGURES


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_no_identifier_in_any_output(which, request, register_identifiers):
    leaked = nc.leaked_identifiers(request.getfixturevalue(which), register_identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"


@pytest.mark.parametrize("which, min_count", [("nb_default", 5), ("nb_english", 10)])
def test_recorded_tables_have_no_small_counts(which, min_count, request):
    tables = recorded(request.getfixturevalue(which))
    names = [t.attrs["record_name"] for t in tables]
    breakdowns = [n for n in names if n.startswith("breakdown_")]
    assert [n for n in names if not n.startswith("breakdown_")] == [n for n in TABLES if not n.startswith("breakdown_")]
    assert breakdowns, "at least one breakdown survives suppression on the sample"
    assert [t.attrs["record_name"] for t in tables if t.attrs["headline"]] == ["threshold_headline", "group_shares"]
    for t in tables:
        name = t.attrs["record_name"]
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
        assert t.attrs["min_count"] == min_count, name
        assert not small_count_cells(t, min_count), name
        for col in ("n_at_risk", "events", "count_ref", "denominator_ref"):
            if col in t.columns:
                assert not nc.small_values(t[col], min_count), (name, col)
        suppressed = t["flag"] == "suppressed"
        for col in ("numerator", "denominator", "count", "estimate", "ci_low", "ci_high"):
            if col in t.columns:
                assert t.loc[suppressed, col].isna().all(), (name, col)
        assert not {"person_id", "case_id", "person"} & set(t.columns), name


@pytest.mark.parametrize("which, lang, min_count", [("nb_default", "nb", 5), ("nb_english", "en", 10)])
def test_shown_tables_have_no_small_counts(which, lang, min_count, request):
    tables = html_tables(request.getfixturevalue(which))
    assert len(tables) >= 14
    count_headers = {labels.t(f"tables.col.{c}", lang) for c in ("numerator", "denominator", "count", "n_at_risk")}
    persons = labels.t("cohorts.measure.persons", lang)  # the series: the estimate is a count of persons
    checked = 0
    for caption, head, cell, value in nc.count_cells(tables, lambda t, head: head in count_headers or head.startswith(persons)):
        checked += value is not None
        assert value is None or not 1 <= value < min_count, (caption, head, cell)
    assert checked > 50


def test_banner_warning_box_sections_and_notes(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert nc.has_banner(nb_html, "nb") and nc.has_warning_box(nb_html, "nb")
    for key in ("data", "counts", "concentration", "persistence", "debut", "reregistration", "mix", "privacy",
                "reading"):
        assert labels.t(f"cohorts.heading.{key}", "nb") in nb_html, key
    assert "Høyresensurering" in nb_html and "Venstresensurering" in nb_html  # censoring is named
    assert "Bydel × kjønn × aldersgruppe" in nb_html  # the crossed breakdown is reported, not shown
    en_html = shown_text(nb_english)
    assert nc.has_banner(en_html, "en")
    assert "Right censoring" in en_html and "Left censoring" in en_html
    assert "5+" in en_html and "10+" not in en_html.split("## How concentrated")[1].split("## Do they")[0]
    assert nb_html.count(">:<") > 0  # the 10+ group's small cells are withheld
    assert "District × sex × age group for the 5+ group" in en_html


def test_english_run_has_no_norwegian_labels(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = [k for k in labels.TEXT if k.startswith(("cohorts.note.", "cohorts.heading.", "cohorts.title."))]
    keys += ["common.synthetic_banner", "report.warning.title", "tables.col.numerator", "plots.synthetic"]
    for key in keys:
        nb_text = labels.t(key, "nb", **{f: "x" for f in re.findall(r"{(\w+)}", labels.TEXT[key]["nb"])})
        if nb_text == labels.t(key, "en", **{f: "x" for f in re.findall(r"{(\w+)}", labels.TEXT[key]["en"])}):
            continue
        for part in re.split(r"x", nb_text):
            if len(part) > 25:
                assert part not in text, f"Norwegian text of {key!r} in the English run"
    for word in ("lovbrudd", "mistenkte", "Andel", "skjult", "betyr", "Kohort"):
        assert word not in text, word
    assert labels.t("cohorts.heading.persistence", "nb") in shown_text(nb_default)


def test_bad_parameter_stops_in_the_validation_cell(tmp_path_factory):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        nc.execute(NOTEBOOK, tmp_path_factory.mktemp("bad"), thresholds=[1], follow_years=0)
    assert err.value.exec_count == 3  # parameters (1), injected parameters (2), validation (3)
    assert "ParameterError" in err.value.ename
    assert "thresholds=[1]" in err.value.evalue and "follow_years=0" in err.value.evalue
