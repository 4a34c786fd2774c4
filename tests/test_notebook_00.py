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
  on labels.py).
"""

import re
from pathlib import Path

import nbformat
import pytest

from salto_analysis import io, labels
from salto_analysis.briefing.records import ENV_FLAG, MIMETYPE, from_payload
from salto_analysis.estimates import COUNT_COLUMNS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_data_quality.ipynb"
SAMPLE = ROOT / "data" / "sample"


def run(tmp_path_factory, name: str, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path_factory.mktemp(name) / "00_data_quality.ipynb"
    mp = pytest.MonkeyPatch()
    mp.setenv(ENV_FLAG, "1")  # the kernel inherits it: record() emits its payloads
    try:
        pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, kernel_name="python3",
                            cwd=str(NOTEBOOK.parent), progress_bar=False, execution_timeout=300)
    finally:
        mp.undo()
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def nb_default(tmp_path_factory):
    return run(tmp_path_factory, "nb")


@pytest.fixture(scope="module")
def nb_english(tmp_path_factory):
    return run(tmp_path_factory, "en", lang="en", min_count=10)


@pytest.fixture(scope="module")
def identifiers() -> set[str]:
    inputs = io.load_all(SAMPLE)
    ids: set[str] = set()
    for frame in inputs:
        for col in ("case_id", "person_id", "pupil_id", "school_id"):
            if col in frame.columns:
                ids |= set(frame[col].dropna().astype(str))
    assert ids, "the sample data should have identifiers to look for"
    return ids


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def shown_text(nb) -> str:
    """Everything a reader can see: streams, HTML, Markdown and plain text of every output."""
    parts = []
    for o in outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "error":
            parts.append(f"{o.ename}: {o.evalue}")
        elif "data" in o:
            for mime in ("text/html", "text/markdown", "text/plain"):
                if mime in o.data:
                    parts.append(str(o.data[mime]))
    return "\n".join(parts)


def recorded(nb) -> list:
    return [from_payload(o.data[MIMETYPE]) for o in outputs(nb) if "data" in o and MIMETYPE in o.data]


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_runs_without_error(which, request):
    nb = request.getfixturevalue(which)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs(nb)), "the figure is missing"


@pytest.mark.parametrize("which", ["nb_default", "nb_english"])
def test_no_identifier_in_any_output(which, request, identifiers):
    nb = request.getfixturevalue(which)
    text = shown_text(nb)
    for table in recorded(nb):
        text += "\n" + table.to_csv(index=False)
    tokens = set(re.findall(r"[A-Za-z0-9_\-]+", text))
    leaked = sorted(tokens & identifiers)
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
                values = t[col].dropna().astype(float)
                assert not values.between(1, min_count - 1).any(), (t.attrs["record_name"], col)


def test_banner_and_warning_box_are_shown(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert 'class="salto-banner"' in nb_html and labels.t("common.synthetic_banner", "nb") in nb_html
    assert 'class="salto-warning"' in nb_html and labels.t("report.warning.title", "nb") in nb_html
    en_html = shown_text(nb_english)
    assert labels.t("common.synthetic_banner", "en") in en_html
    assert labels.t("report.warning.title", "en") in en_html


def test_english_run_has_no_norwegian_labels(nb_english, nb_default):
    text = shown_text(nb_english)
    keys = ["common.synthetic_banner", "report.warning.title", "quality.heading.accounting",
            "quality.heading.coverage", "quality.heading.missing", "quality.heading.checks",
            "quality.heading.reading", "quality.note.accounting", "quality.synthetic.yes", "quality.result.ok",
            "tables.col.exposure", "tables.note.wide", "io.rows_read", "io.rows_in_analysis",
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
