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
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from salto_analysis import io, labels
from salto_analysis.briefing.records import ENV_FLAG, MIMETYPE, from_payload, small_count_cells
from salto_analysis.trends_page import TABLES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_crime_trends.ipynb"
SAMPLE = ROOT / "data" / "sample"
N_FIGURES = 5


def run(tmp_path_factory, name: str, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path_factory.mktemp(name) / NOTEBOOK.name
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
    return run(tmp_path_factory, "en", lang="en", min_count=10, year=2022)


@pytest.fixture(scope="module")
def identifiers() -> set[str]:
    register = io.load_register(io.find_input(SAMPLE, "register"))
    ids = set(register["person_id"].dropna().astype(str)) | set(register["case_id"].dropna().astype(str))
    assert ids
    return ids


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def shown_text(nb) -> str:
    """Everything a reader can see: streams, errors, HTML, Markdown and plain text of every output."""
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


class _Tables(HTMLParser):
    """The tables of the rendered HTML: caption, header cells and body rows as text."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._in = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._in = "caption"
        elif tag in ("th", "td"):
            self._cell = ""
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in = None
        elif tag in ("th", "td") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            t = self.tables[-1]
            if t["head"]:
                t["rows"].append(self._row)
            else:
                t["head"] = self._row
            self._row = None

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell += data


def html_tables(nb) -> list[dict]:
    parser = _Tables()
    for o in outputs(nb):
        html = o.get("data", {}).get("text/html")
        if html and "salto-table" in html:
            parser.feed(html)
    return parser.tables


def _number(text: str):
    """The leading whole number of a cell ('1 234', '13¹', '40 (29–54)'), or None."""
    m = re.match(r"^\s*([\d\u00a0 ,]+?)(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|\s*\(|$)", text)
    if not m:
        return None
    digits = re.sub(r"[\s\u00a0,]", "", m.group(1))
    return int(digits) if digits.isdigit() else None


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
    assert [t.attrs["record_name"] for t in tables] == list(TABLES)
    assert [t.attrs["record_name"] for t in tables if t.attrs["headline"]] == [
        "level_total", "change_previous_total", "change_mean_total"]
    for t in tables:
        name = t.attrs["record_name"]
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), name
        assert t.attrs["min_count"] == min_count, name
        assert not small_count_cells(t, min_count), name
        if "count_ref" in t.columns:
            assert not t["count_ref"].dropna().astype(float).between(1, min_count - 1).any(), name
        assert not [c for c in t.columns if c.endswith("_id")]


@pytest.mark.parametrize("which, lang, min_count", [("nb_default", "nb", 5), ("nb_english", "en", 10)])
def test_shown_tables_have_no_small_counts(which, lang, min_count, request):
    tables = html_tables(request.getfixturevalue(which))
    assert len(tables) == sum(spec.shown for spec in TABLES.values()) + 1  # the row accounting too
    count_headers = {labels.t(f"tables.col.{c}", lang) for c in ("numerator", "denominator", "count")}
    checked = 0
    for t in tables:
        for row in t["rows"]:
            for head, cell in zip(t["head"], row):
                if head not in count_headers:
                    continue
                value = _number(cell)
                checked += value is not None
                assert value is None or not 1 <= value < min_count, (t["caption"], head, cell)
    assert checked > 200


def test_banner_warning_box_and_sections(nb_default, nb_english):
    nb_html = shown_text(nb_default)
    assert 'class="salto-banner"' in nb_html and labels.t("common.synthetic_banner", "nb") in nb_html
    assert 'class="salto-warning"' in nb_html and labels.t("report.warning.title", "nb") in nb_html
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
    assert labels.t("common.synthetic_banner", "en") in en_html
    assert labels.t("report.warning.title", "en") in en_html
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
        run(tmp_path_factory, "bad", years_back=0, age_groups=["10-13"])
    assert err.value.exec_count == 3  # parameters (1), injected parameters (2), validation (3)
    assert "ParameterError" in err.value.ename
    assert "years_back=0" in err.value.evalue and "10-13" in err.value.evalue
