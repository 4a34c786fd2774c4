"""End-to-end runs of the briefing runner on the fixture notebooks (issue 7, "Tests").

The fixtures (tests/fixtures/briefing/, written by make_fixtures.py) stand in
for the analysis notebooks; test_briefing_sample.py runs the real briefing on
data/sample/. Runs are shared through fixtures.briefing.support's cache.
"""

from __future__ import annotations

import csv
import os
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from fixtures.briefing.support import FAILING, HERE, briefing_run, fixture_run, make_data_dir, run_cli
from salto_analysis.briefing.kernel import InterpreterKernelManager
from salto_analysis.briefing.runner import collect_records

pytestmark = pytest.mark.slow

# A stray user-level python3 kernelspec whose command fails: the runner must not use it.
HIJACK = {"JUPYTER_PATH": str(HERE / "hijack")}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    result = fixture_run(tmp_path_factory, "fixture", env=HIJACK)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def run_again(tmp_path_factory):
    result = fixture_run(tmp_path_factory, "fixture-again")
    assert result.returncode == 0, result.stderr
    return result


def pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_full_run_publishes_pages_index_and_tables(run):
    names = {p.name for p in run.out.iterdir()}
    assert {"index.html", "ok_table.html", "second.html", "tables", ".salto-briefing.json"} <= names
    assert not any(n.startswith("_") for n in names), "no _work or _failed folder in a complete briefing"
    tables = sorted(p.name for p in (run.out / "tables").iterdir())
    assert tables == ["briefing.xlsx", "ok_table__registered.csv", "ok_table__share_by_sex.csv", "second__share.csv"]
    # nothing left beside the output folder (staging folders are removed) but the audit's internal folder
    assert sorted(p.name for p in run.out.parent.iterdir()) == ["out", "out-internal"]
    assert sorted(p.name for p in (run.out.parent / "out-internal").iterdir()) == ["audit.txt", "withheld_codes.csv"]
    # the kernels' own log lines go to a log file, not between the runner's lines
    assert "[IPKernelApp]" not in run.stderr


def test_the_stray_python3_kernelspec_was_ignored():
    # The run fixture used JUPYTER_PATH=hijack, whose python3 kernel is /bin/false; it succeeded,
    # because the kernel manager always starts this interpreter:
    assert InterpreterKernelManager(kernel_name="python3").kernel_spec.argv[0] == sys.executable


def test_parameters_reach_the_notebooks(run):
    ok_page = (run.out / "ok_table.html").read_text(encoding="utf-8")
    # params.yaml: scale 10 (an int for a float parameter) and districts for ok_table
    assert "year=2025 lang=nb districts=['Alna', 'Frogner'] scale=10.0" in ok_page
    second_page = (run.out / "second.html").read_text(encoding="utf-8")
    # params_override.yaml (given last) overrides threshold 0.25 from params.yaml
    assert "0.75" in second_page and "0.25" not in second_page.split("<main>")[1].split("</main>")[0]


def test_csv_files_are_byte_identical_across_two_runs(run, run_again):
    first = {p.name: p.read_bytes() for p in (run.out / "tables").iterdir()}
    second = {p.name: p.read_bytes() for p in (run_again.out / "tables").iterdir()}
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"


def test_csv_content_is_the_recorded_table_with_blank_suppressed_cells(run):
    text = (run.out / "tables" / "ok_table__registered.csv").read_text(encoding="utf-8")
    # the numbers typed into tests/fixtures/briefing/make_fixtures.py (TABLES)
    assert text == (
        "year,district,count,exposure,estimate,ci_low,ci_high,flag,flag_reason\n"
        "2024,Alna,120,9000.0,13.3333333333,11.0535,15.9398,ok,\n"
        "2025,Alna,114,9100.0,12.5274725275,10.3312,15.0441,ok,\n"
        "2025,Marka,,,,,,suppressed,\n"
    )


def test_no_published_table_has_a_count_below_min_count(run):
    min_count = 5
    for path in (run.out / "tables").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, path
        assert "flag" in rows[0] and "flag_reason" in rows[0]
        assert not {c for c in rows[0] if c.endswith("_id")}, f"{path.name} has an identifier column"
        for row in rows:
            counts = {c: row[c] for c in ("numerator", "denominator", "count") if row.get(c)}
            for col, value in counts.items():
                assert not 1 <= float(value) < min_count, f"{path.name}: {col}={value}"
            if row.get("numerator") and row.get("denominator"):
                rest = float(row["denominator"]) - float(row["numerator"])
                assert not 1 <= rest < min_count, f"{path.name}: denominator - numerator = {rest}"


_EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def test_html_loads_nothing_from_other_hosts(run):
    for page in pages(run.out):
        text = page.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(text), page.name
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", text), page.name
        assert "@import" not in text and "@font-face" not in text, page.name
        assert "<script" not in text, f"{page.name} has a script (MathJax, require.js, widgets...)"
        assert "http://" not in text and "https://" not in text, page.name


def test_html_files_are_at_most_3_mb(run):
    for page in pages(run.out):
        assert page.stat().st_size <= 3 * 1024 * 1024, page.name


def test_pages_hide_code_injected_parameters_and_warnings(run):
    text = (run.out / "ok_table.html").read_text(encoding="utf-8")
    assert "briefing.record(" not in text and "estimate_table(" not in text, "code is shown"
    assert "Parameters" not in text and "injected" not in text.lower()
    assert "a warning the reviewer should not see" not in text
    assert "application/vnd.salto.record+json" not in text and "&quot;rows&quot;" not in text
    assert 'src="data:image/png;base64,' in text, "the matplotlib figure is embedded"
    assert "SYNTETISKE DATA" in text, "synthetic banner (manifest.json says synthetic)"
    # the fixture notebook does not call report.banner: the runner's banner is its only one
    assert text.count('class="salto-banner"') == 1
    assert "<title>Registrerte personer</title>" in text


def test_table_of_contents_links_resolve(run):
    for page in pages(run.out):
        if page.name in ("index.html", "flagged.html"):  # they open with findings and the list; no contents
            continue
        text = page.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="salto-toc".*?</nav>', text, re.S)
        assert nav, page.name
        targets = re.findall(r'href="#([^"]+)"', nav.group(0))
        assert targets
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        assert set(targets) <= ids, (page.name, set(targets) - ids)


def test_run_details_are_on_every_page(run):
    marker = json.loads((run.out / ".salto-briefing.json").read_text(encoding="utf-8"))
    for page in pages(run.out):
        text = page.read_text(encoding="utf-8")
        assert "Kjøringsdetaljer" in text and "SHA-256" in text
        assert marker["git"]["commit"] in text
        for package in ("pandas", "papermill", "nbconvert", "salto-analysis"):
            assert f"<td>{package}</td>" in text
        # the hash of the placeholder register file written by support.make_data_dir
        # (sha256 of b"case_id,person_id\n", computed with coreutils sha256sum)
        assert "ad06d6d92232b4a54805744c348ee2462be5887ec0b1b257eb6ccccdd1a3ab6b" in text


def test_index_lists_headlines_with_interval_and_flag(run):
    text = (run.out / "index.html").read_text(encoding="utf-8")
    # the fixture's pages have no finding of briefing.findings: the headline rows are the findings
    # registered, 2025 Alna: 12.5274725275 per 1,000 (10.3312-15.0441) -> one decimal, Norwegian
    assert "12,5 per 1\u00a0000" in text and "10,3–15,0" in text
    assert "30,0\u00a0%" in text and "18,1–45,5" in text and "usikker" in text
    assert 'href="ok_table.html"' in text and 'href="second.html"' in text
    assert 'href="tables/briefing.xlsx"' in text and 'href="flagged.html"' in text
    # the short summary: the uncertain figures by table, the withheld ones counted per page
    assert "2 tall er usikre" in text and "1 skjult" in text
    # the appendix page: every flagged number with its reason in words: the review code of the
    # uncertain share (P1), and one public reason for the withheld number, never its code (D1)
    appendix = (run.out / "flagged.html").read_text(encoding="utf-8")
    assert "2 usikre og 1 skjulte tall" in appendix
    assert "P1: effektivt utvalg under 30" in appendix and "for få eller for usikkert til å vises" in appendix
    for page in (text, appendix):
        assert "D1" not in page and "personvern)" not in page


def test_records_are_collected_from_the_executed_notebook():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"application/vnd.salto.record+json": {"name": "a", "version": 1}})]
    assert collect_records(nb) == [{"name": "a", "version": 1}]


# --------------------------------------------------------------------------- validation


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def data_dir(tmp_path):
    return make_data_dir(tmp_path / "data")


def _validate(tmp_path, data_dir, params_text: str):
    params = _write(tmp_path / "p.yaml", params_text)
    out = tmp_path / "out"
    proc = run_cli("--briefing", str(HERE / "briefing.yml"), "--data-dir", str(data_dir), "--year", "2025",
                   "--params", str(params), "--out", str(out))
    return proc, out


def test_unknown_parameter_fails_before_any_notebook_runs(tmp_path, data_dir):
    proc, out = _validate(tmp_path, data_dir, "colour: red\n")
    assert proc.returncode == 2
    assert "parameter(s) 'colour' are declared by no notebook of the briefing" in proc.stderr
    assert "nothing was run" in proc.stderr
    assert not out.exists() and list(tmp_path.glob(".out*")) == []


def test_unknown_parameter_of_one_notebook_fails(tmp_path, data_dir):
    proc, _ = _validate(tmp_path, data_dir, "notebooks:\n  second:\n    data_dir: /tmp\n")
    assert proc.returncode == 2
    assert "notebook 'second' does not declare parameter(s) 'data_dir'" in proc.stderr


def test_wrongly_typed_value_fails_naming_notebook_parameter_and_type(tmp_path, data_dir):
    proc, out = _validate(tmp_path, data_dir, 'year: "2025"\n')
    assert proc.returncode == 2
    assert "notebook 'ok_table': parameter 'year' must be int, got str '2025'" in proc.stderr
    assert not out.exists()


def test_missing_input_file_fails_before_running(tmp_path, data_dir):
    (data_dir / "survey.csv").unlink()
    proc, _ = _validate(tmp_path, data_dir, "{}\n")
    assert proc.returncode == 2
    assert "survey" in proc.stderr and str(data_dir) in proc.stderr


# --------------------------------------------------------------------------- failure


def test_failing_notebook_keeps_previous_briefing_and_reports_the_cell(tmp_path_factory):
    base = tmp_path_factory.getbasetemp() / "briefing-failure"
    data = make_data_dir(base / "data")
    common = ("--data-dir", str(data), "--year", "2025", "--jobs", "2")
    good = briefing_run(base, "same", "--briefing", str(HERE / "briefing.yml"), *common)
    assert good.returncode == 0, good.stderr
    before = {p.relative_to(good.out): p.read_bytes() for p in good.out.rglob("*") if p.is_file()}

    bad = briefing_run(base, "same", "--briefing", str(FAILING), *common)
    assert bad.returncode == 1
    err = bad.stderr
    assert "FAILED - 1 of 2 notebook(s) did not complete; nothing was published." in err
    assert "notebook: fails" in err
    assert "cell:     4 (In [4])" in err  # markdown, parameters, x = year + 1, then the raising cell
    assert "| values = [1, 2, 3]" in err and "| raise ValueError(f'boom in {year}')" in err
    assert "error:    ValueError: boom in 2025" in err
    kept = bad.out / "_failed" / "fails.ipynb"
    assert kept.is_file() and f"kept:     {kept}" in err
    executed = nbformat.read(kept, as_version=4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))

    after = {p.relative_to(bad.out): p.read_bytes() for p in bad.out.rglob("*")
             if p.is_file() and "_failed" not in p.parts}
    assert after == before, "the previous briefing changed"
    # beside the output folder: only the internal folder of the good run's audit
    assert sorted(p.name for p in base.joinpath("same").iterdir()) == ["out", "out-internal"], "staging folder left"


# --------------------------------------------------------------------------- options


def test_only_and_english(tmp_path_factory):
    result = fixture_run(tmp_path_factory, "english", "--only", "second", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in pages(result.out)) == ["flagged.html", "index.html", "second.html"]
    index = (result.out / "index.html").read_text(encoding="utf-8")
    assert "Key findings" in index and "Partial run: only these pages were made: A second page." in index
    for word in ("Hovedtall", "Kjøringsdetaljer", "Rapporteringsår", "usikker", "SYNTETISKE"):
        assert word not in index
    assert '<html lang="en">' in index


def test_a_cell_that_outlasts_the_timeout_fails_the_run(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("--briefing", str(HERE / "timeout.yml"), "--year", "2025", "--timeout", "3", "--out", str(out))
    assert proc.returncode == 1
    assert "notebook: sleeps" in proc.stderr
    assert "cell:     4" in proc.stderr and "| time.sleep(60)" in proc.stderr
    assert "error:    CellTimeoutError" in proc.stderr
    assert (out / "_failed" / "sleeps.ipynb").is_file() and not (out / "index.html").exists()


def test_an_output_folder_that_is_not_a_briefing_is_never_replaced(tmp_path, data_dir):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    proc = run_cli("--briefing", str(HERE / "briefing.yml"), "--data-dir", str(data_dir), "--year", "2025",
                   "--out", str(out))
    assert proc.returncode == 2
    assert "is not a salto-briefing output folder" in proc.stderr
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_a_page_that_would_load_from_another_host_is_not_published(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("--briefing", str(HERE / "leaky.yml"), "--year", "2025", "--out", str(out))
    assert proc.returncode == 1
    assert "notebook: leaky" in proc.stderr
    assert "error:    ExternalReference: the page would load 1 resource(s) from another host" in proc.stderr
    assert "cdn.example.org" in proc.stderr
    assert (out / "_failed" / "leaky.ipynb").is_file() and not (out / "leaky.html").exists()


def test_worker_kernels_get_their_share_of_the_cores(monkeypatch):
    import multiprocessing

    from salto_analysis.briefing import runner

    environ = {"OMP_NUM_THREADS": "3"}  # set by the user: kept
    monkeypatch.setattr(os, "environ", environ)
    runner._init_worker(multiprocessing.get_context("spawn").RLock(), 1)
    assert environ == {"OMP_NUM_THREADS": "3", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                       "NUMEXPR_NUM_THREADS": "1"}


# --------------------------------------------------------------------------- the shared input cache


def _valid_data(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for kind in ("register", "population", "survey"):
        (folder / f"{kind}.csv").write_bytes((HERE.parent / "io" / f"{kind}_ok.csv").read_bytes())
    return folder


def test_notebooks_load_the_inputs_from_the_runners_cache(tmp_path):
    data = _valid_data(tmp_path / "data")
    out = tmp_path / "out"
    proc = run_cli("--briefing", str(HERE / "loads_inputs.yml"), "--data-dir", str(data), "--year", "2025",
                   "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "inputs: register.csv, population.csv, survey.csv loaded once for all notebooks" in proc.stderr
    page = (out / "loads_inputs.html").read_text(encoding="utf-8")
    # three load_* calls and one load_all: six loads, all from the cache, each equal to a direct load;
    # rows: register_ok.csv 7, population_ok.csv 6, survey_ok.csv 7
    assert "announced=True hits=6 misses=0 identical=True rows=7,6,7" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"], "the cache folder is removed"
    assert not (out / "_inputs").exists()


def test_a_notebook_run_on_its_own_reads_the_files(tmp_path, monkeypatch):
    import papermill

    from salto_analysis.briefing.kernel import ENGINE
    from salto_analysis.io import CACHE_ENV

    monkeypatch.delenv(CACHE_ENV, raising=False)
    data = _valid_data(tmp_path / "data")
    nb = papermill.execute_notebook(str(HERE / "loads_inputs.ipynb"), str(tmp_path / "run.ipynb"),
                                    parameters={"data_dir": str(data)}, engine_name=ENGINE, kernel_name="python3",
                                    progress_bar=False, cwd=str(HERE))
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "announced=False hits=0 misses=0 identical=True rows=7,6,7" in text


# --------------------------------------------------------------------------- disclosure audit (issue 11)


def test_a_page_that_gives_a_withheld_count_away_is_not_published(tmp_path):
    # Alna 16 shown, Sentrum withheld, Oslo 20 shown: Sentrum = 4, a count of 1..4 persons
    out = tmp_path / "2025"
    proc = run_cli("--briefing", str(HERE / "exposes.yml"), "--year", "2025", "--out", str(out))
    assert proc.returncode == 1
    line = [x for x in proc.stderr.splitlines() if "FAILED the disclosure audit" in x]
    assert len(line) == 1 and "exposes__districts.csv, district=Sentrum, count: [4, 4]" in line[0]
    assert not out.exists(), "something was published"
    internal = tmp_path / "2025-internal"
    assert "EXPOSED: 1" in (internal / "audit.txt").read_text(encoding="utf-8")
    assert str(out) in (internal / "audit.txt").read_text(encoding="utf-8")
    codes = (internal / "withheld_codes.csv").read_text(encoding="utf-8")
    assert 'exposes__districts.csv,"{""district"": ""Sentrum""}",D1' in codes


def test_the_published_briefing_holds_no_reason_codes_and_is_audited_with_last_year(tmp_path, data_dir):
    common = ("--briefing", str(HERE / "briefing.yml"), "--data-dir", str(data_dir))
    first = run_cli(*common, "--year", "2024", "--out", str(tmp_path / "2024"))
    assert first.returncode == 0, first.stderr
    assert "with the previous briefing" not in first.stderr
    second = run_cli(*common, "--year", "2025", "--out", str(tmp_path / "2025"))
    assert second.returncode == 0, second.stderr
    assert f"with the previous briefing {tmp_path / '2024'}, 0 exposed" in second.stderr
    alone = run_cli(*common, "--year", "2025", "--out", str(tmp_path / "2025"), "--no-previous")
    assert alone.returncode == 0 and "with the previous briefing" not in alone.stderr
    # the codes live beside the output folder, never in it; the published reason is blank
    for year in ("2024", "2025"):
        assert (tmp_path / f"{year}-internal" / "withheld_codes.csv").is_file()
        assert not list((tmp_path / year).rglob("withheld_codes.csv"))
        table = (tmp_path / year / "tables" / "ok_table__registered.csv").read_text(encoding="utf-8")
        assert "Marka,,,,,,suppressed,\n" in table and "D1" not in table
