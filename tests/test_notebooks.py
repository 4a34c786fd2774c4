"""Every notebook of ``notebooks/briefing.yml`` runs on data/sample/ and keeps the page rules.

One parametrised test per rule, driven by the briefing list, instead of a copy per notebook.
Each notebook executes (papermill, kernel ``python3``, ``cwd=notebooks/``, the briefing's
environment flag set so its recorded tables travel in the executed notebook) with its
defaults (Norwegian) and with the English parameters of :data:`SPECS`, once per session.
The tests read what a reader sees and what the page publishes:

* the committed notebook is thin (one ``parameters`` cell with annotated defaults, no
  outputs, no function definitions, validation right after the parameters);
* no error, no stderr, the expected number of figures;
* no person, case, pupil or school identifier in any output or recorded table;
* no count from 1 to ``min_count − 1`` in any recorded or shown table;
* the synthetic banner, the warning box and every heading the notebook calls;
* the English run has no Norwegian text; the Norwegian run has its headings;
* a bad parameter stops the notebook in the validation cell with a message naming it.

A few page-specific facts of the sample follow at the end.
"""

from __future__ import annotations

import re
from functools import cache

import nbformat
import pytest

import notebook_checks as nc
from notebook_checks import html_tables, outputs, recorded, shown_text
from salto_analysis import labels
from salto_analysis.briefing.config import load_briefing
from salto_analysis.briefing.records import small_count_cells

pytestmark = pytest.mark.slow

BRIEFING = load_briefing(nc.NOTEBOOKS / "briefing.yml")
NAMES = list(BRIEFING.names)

#: What differs between the notebooks: the English run's parameters, a bad parameter set and the
#: words of its message, the figures each run shows, and words only the Norwegian page text has.
SPECS: dict[str, dict] = {
    "00_data_quality": {
        "english": {"lang": "en", "min_count": 10}, "bad": {"min_count": 0, "lang": "se"},
        "bad_words": ("min_count=0", "lang='se'"), "figures": (1, 1),
        "norwegian_words": ("Bydel", "skjult", "Rader lest", "Kontroller", "betyr"),
    },
    "01_crime_trends": {
        "english": {"lang": "en", "min_count": 10, "year": 2022}, "bad": {"years_back": 0, "age_groups": ["10-13"]},
        "bad_words": ("years_back=0", "10-13"), "figures": (5, 5),
        "norwegian_words": ("Anmeldte", "mistenkte", "Andel", "skjult", "betyr", "innbyggere", "bydel"),
    },
    "02_victim_offender_overlap": {
        "english": {"lang": "en", "min_count": 10}, "bad": {"window_years": 0, "offence_types": ["arson"]},
        "bad_words": ("window_years=0", "arson"), "figures": (1, 1),
        "norwegian_words": ("Fornærmet", "mistenkt", "Andel", "skjult", "betyr"),
    },
    "03_repeat_offenders": {
        "english": {"lang": "en", "min_count": 10, "thresholds": [5]}, "bad": {"thresholds": [1], "follow_years": 0},
        "bad_words": ("thresholds=[1]", "follow_years=0"), "figures": (7, 7),
        "norwegian_words": ("lovbrudd", "mistenkte", "Andel", "skjult", "betyr", "Kohort"),
    },
    "04_drug_use_trends": {
        # the districts are on by default (issue 14); the English run turns them off
        "english": {"lang": "en", "district_breakdown": False}, "bad": {"ci_method": "wald", "by": ["school"]},
        "bad_words": ("ci_method='wald'", "by=['school']"), "figures": (14, 7),
        "norwegian_words": ("skjult", "Ungdomsskole", "Andel", "betyr"),
    },
}
#: Columns that hold counts of persons in some table (checked for 1..min_count-1 when shown).
COUNT_COLUMNS = ("n_at_risk", "events", "count_ref", "denominator_ref", "numerator_ref")


def test_every_briefing_notebook_has_a_spec():
    assert set(NAMES) == set(SPECS)


@cache
def _run(name: str, variant: str) -> nbformat.NotebookNode:
    import tempfile
    from pathlib import Path

    params = {} if variant == "nb" else SPECS[name]["english"]
    folder = Path(tempfile.mkdtemp(prefix=f"nbtest-{name}-{variant}-"))
    return nc.execute(nc.NOTEBOOKS / f"{name}.ipynb", folder, **params)


def _lang(name: str, variant: str) -> str:
    return "nb" if variant == "nb" else SPECS[name]["english"].get("lang", "nb")


def _min_count(name: str, variant: str) -> int:
    return 5 if variant == "nb" else SPECS[name]["english"].get("min_count", 5)


RUNS = [(n, v) for n in NAMES for v in ("nb", "en")]


def _headings(name: str) -> list[str]:
    source = "\n".join(c.source for c in nbformat.read(nc.NOTEBOOKS / f"{name}.ipynb", as_version=4).cells)
    return re.findall(r'page\.heading\("([\w.]+)"', source)


# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_thin(name):
    nb = nbformat.read(nc.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and "What this page answers" in nb.cells[0].source
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[1]
    for line in tagged[0].source.splitlines():
        assert re.match(r"^\w+: [\w\[\]]+ = .+  # .+", line), line  # annotated default with a help comment
    for c in nb.cells:
        if c.cell_type == "code":
            assert not c.outputs and c.execution_count is None
            assert not re.search(r"^\s*(def|class|lambda)\b", c.source, re.M)
    # the parameters are validated first, against the inputs briefing.yml declares for this notebook
    assert "params.validate(" in nb.cells[2].source and f'notebook="{name}"' in nb.cells[2].source
    assert "page.record()" in nb.cells[-1].source  # every table reaches the briefing in one call


@pytest.mark.parametrize("name, variant", RUNS)
def test_runs_without_error_with_its_figures(name, variant):
    nb = _run(name, variant)
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert not [o for o in outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
    expected = SPECS[name]["figures"][0 if variant == "nb" else 1]
    assert nc.figure_count(nb) == expected


@pytest.mark.parametrize("name, variant", RUNS)
def test_no_identifier_in_any_output(name, variant, sample_identifiers):
    leaked = nc.leaked_identifiers(_run(name, variant), sample_identifiers)
    assert not leaked, f"identifier values in the outputs: {leaked[:5]}"


@pytest.mark.parametrize("name, variant", RUNS)
def test_recorded_tables_have_no_small_counts(name, variant):
    min_count = _min_count(name, variant)
    tables = recorded(_run(name, variant))
    assert tables
    for t in tables:
        rec = t.attrs["record_name"]
        assert t["flag"].isin(["ok", "uncertain", "suppressed"]).all(), rec
        assert t.attrs["min_count"] == min_count, rec
        assert not small_count_cells(t, min_count), rec
        for col in COUNT_COLUMNS:
            if col in t.columns:
                assert not nc.small_values(t[col], min_count), (rec, col)
        suppressed = t["flag"] == "suppressed"
        for col in ("numerator", "denominator", "count", "estimate", "ci_low", "ci_high"):
            if col in t.columns:
                assert t.loc[suppressed, col].isna().all(), (rec, col)
        assert not [c for c in t.columns if c.endswith("_id") or c == "person"], rec


@pytest.mark.parametrize("name, variant", RUNS)
def test_shown_tables_have_no_small_counts(name, variant):
    lang, min_count = _lang(name, variant), _min_count(name, variant)
    tables = html_tables(_run(name, variant))
    headers = {labels.t(f"tables.col.{c}", lang) for c in ("numerator", "denominator", "count", "n_at_risk")}
    for caption, head, cell, value in nc.count_cells(tables, lambda t, head: head in headers):
        assert value is None or not 1 <= value < min_count, (caption, head, cell)


@pytest.mark.parametrize("name, variant", RUNS)
def test_banner_warning_box_and_headings(name, variant):
    lang = _lang(name, variant)
    text = shown_text(_run(name, variant))
    assert nc.has_banner(text, lang) and nc.has_warning_box(text, lang)
    keys = _headings(name)
    assert len(keys) >= 4
    for key in keys:
        words = re.split(r"{\w+}", labels.TEXT[key][lang])
        assert max(words, key=len).strip() in text, key


@pytest.mark.parametrize("name", NAMES)
def test_english_run_has_no_norwegian_text(name):
    area = name.split("_", 1)[1]
    text = shown_text(_run(name, "en"))
    keys = [k for k in labels.TEXT if k.startswith(tuple(f"{a}.{part}." for a in ("trends", "overlap", "cohorts",
                                                                                  "drug_use", "quality")
                                                         for part in ("note", "heading", "h", "title", "t")))]
    keys += ["common.synthetic_banner", "report.warning.title", "tables.col.numerator", "plots.synthetic"]
    for key in keys:
        nb_text, en_text = labels.TEXT[key]["nb"], labels.TEXT[key]["en"]
        piece = max(re.split(r"{\w+}", nb_text), key=len).strip()
        if len(piece) > 20 and piece not in en_text:
            assert piece not in text, f"Norwegian text of {key!r} in the English run of {area}"
    for word in SPECS[name]["norwegian_words"]:
        assert word not in text, word
    norwegian = shown_text(_run(name, "nb"))
    assert all(word in norwegian for word in SPECS[name]["norwegian_words"])  # the words do tell the languages apart


@pytest.mark.parametrize("name", NAMES)
def test_bad_parameter_stops_in_the_validation_cell(name, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        nc.execute(nc.NOTEBOOKS / f"{name}.ipynb", tmp_path, **SPECS[name]["bad"])
    assert err.value.exec_count == 3  # parameters (1), injected parameters (2), validation (3)
    assert "ParameterError" in err.value.ename
    for word in SPECS[name]["bad_words"]:
        assert word in err.value.evalue, (word, err.value.evalue)


# --------------------------------------------------------------------------------------
# facts of the sample on particular pages
# --------------------------------------------------------------------------------------
def _warning_box(nb, lang: str) -> str:
    return next(o.data["text/plain"] for o in outputs(nb)
                if "text/plain" in o.get("data", {}) and labels.t("report.warning.title", lang) in o.data["text/plain"])


def test_crime_trends_withholds_the_small_districts_and_names_its_methods():
    nb = _run("01_crime_trends", "nb")
    # the sample's 2025 has 4 suspects living in Sentrum and 1 in Marka: withheld for privacy
    box = _warning_box(nb, "nb")
    assert "Sentrum: skjult («:»)" in box and "Marka: skjult («:»)" in box
    assert "D1" not in box and "personvern" not in box  # one public reason for every withheld number
    text = shown_text(nb)
    assert "gikk ned" in text or "tilfeldig variasjon" in text  # the honest sentences
    en = shown_text(_run("01_crime_trends", "en"))
    assert "Headline figures for 2022" in en and "2016–2022" in en
    # min_count = 10 withholds at least as many figures as 5
    assert en.count(">:<") >= text.count(">:<") > 0


def test_repeat_offenders_names_censoring_and_the_crossed_breakdown():
    text = shown_text(_run("03_repeat_offenders", "nb"))
    assert "Høyresensurering" in text and "Venstresensurering" in text
    assert "Bydel × kjønn × aldersgruppe" in text  # the crossed breakdown is reported, not shown
    en = shown_text(_run("03_repeat_offenders", "en"))
    assert "Right censoring" in en and "Left censoring" in en
    assert "District × sex × age group for the 5+ group" in en


def test_drug_use_notes_and_district_breakdown():
    text = shown_text(_run("04_drug_use_trends", "nb"))
    assert "Benjamini–Hochberg" in text
    assert labels.t("drug_use.reading.census", "nb") in text
    assert labels.t("drug_use.note.districts_off", "en") in shown_text(_run("04_drug_use_trends", "en"))
    assert labels.t("drug_use.note.districts_off", "nb") not in text  # on by default (issue 14)
    districts = {t.attrs["record_name"]: t for t in recorded(_run("04_drug_use_trends", "nb"))}["drug_use_districts"]
    assert (districts["flag"] != "ok").any(), "district cells are flagged, and shown as such"
    assert "Oslo" in set(districts["district"].astype(str))  # the whole city row (a name, the same in both languages)


def test_headline_tables_of_each_page():
    heads = {n: [t.attrs["record_name"] for t in recorded(_run(n, "nb")) if t.attrs["headline"]] for n in NAMES}
    assert heads == {
        "00_data_quality": [],
        "01_crime_trends": ["level_total", "change_previous_total", "change_mean_total"],
        "02_victim_offender_overlap": ["shares_total", "relative_odds_total", "temporal_order"],
        "03_repeat_offenders": ["threshold_headline", "group_shares"],
        "04_drug_use_trends": ["drug_use_headline"],
    }
