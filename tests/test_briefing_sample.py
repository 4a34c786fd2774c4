"""The real briefing (notebooks/briefing.yml) end to end on the synthetic sample data/sample/.

Issue 7, "Tests": a full run succeeds; bad parameters fail before any notebook
runs; two runs, in Norwegian and in English, give byte-identical CSV files (issue 10); no published table shows a count
in 1..min_count-1 or an identifier column; the HTML loads nothing from other
hosts and each page is at most 3 MB. Issue 12: the index's key findings quote numbers of
the published tables they name, and every link of the index and its appendix page lands
on an element that exists.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from fixtures.briefing.support import ROOT, briefing_run, run_cli, sample_briefing
from salto_analysis.briefing.config import load_briefing

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.getbasetemp() / "briefing-sample"
    # last year's briefing first (beside the output folder): the runs of 2025 keep its withheld cells and
    # are audited with it
    first = sample_briefing(base)
    assert first.returncode == 0, first.stderr
    # the second run in English: the published tables hold codes, not words, so they must not change
    second = briefing_run(base, "second", "--jobs", "2", "--params", str(ROOT / "params" / "example.yaml"),
                          "--lang", "en", "--previous", str(base / "first" / "2024"))
    assert second.returncode == 0, second.stderr
    return first, second


def test_two_consecutive_briefings_pass_the_disclosure_audit_together(runs):
    for run in runs:
        line = [x for x in run.stderr.splitlines() if x.startswith("disclosure audit:")]
        assert len(line) == 1 and "with the previous briefing" in line[0] and ", 0 exposed" in line[0], line
        internal = run.out.parent / "out-internal"
        assert (internal / "withheld_codes.csv").is_file() and "EXPOSED" not in (internal / "audit.txt").read_text()
        assert not list(run.out.rglob("withheld_codes.csv")) and not list(run.out.rglob("audit.txt"))


def test_every_listed_notebook_has_a_page_and_the_default_year_is_the_latest(runs):
    first, _ = runs
    names = load_briefing().names
    assert names[0] == "00_data_quality"
    assert {f"{n}.html" for n in names} | {"index.html", "flagged.html"} == {p.name for p in first.out.glob("*.html")}
    summary = json.loads((first.out / ".salto-briefing.json").read_text(encoding="utf-8"))
    # the synthetic register covers 2016-2025 (issue 2); without --year the latest year is used
    assert summary["year"] == 2025
    assert "SYNTETISKE DATA" in (first.out / "index.html").read_text(encoding="utf-8")


def test_csv_files_are_byte_identical_across_two_runs_in_two_languages(runs):
    first, second = runs
    a = {p.name: p.read_bytes() for p in (first.out / "tables").glob("*.csv")}
    b = {p.name: p.read_bytes() for p in (second.out / "tables").glob("*.csv")}
    assert a, "the notebooks recorded no table"
    assert a.keys() == b.keys()
    assert [n for n in a if a[n] != b[n]] == []


def test_no_published_count_below_min_count_and_no_identifier_columns(runs):
    first, _ = runs
    min_count = 5  # the notebooks' default and params/example.yaml
    for path in (first.out / "tables").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows:
            continue
        assert {"estimate", "ci_low", "ci_high", "flag", "flag_reason"} <= set(rows[0]), path.name
        assert not [c for c in rows[0] if c.lower().endswith("_id")], path.name
        for row in rows:
            for col in ("numerator", "denominator", "count"):
                if row.get(col):
                    assert not 1 <= float(row[col]) < min_count, f"{path.name}: {col}={row[col]}"
            if row.get("numerator") and row.get("denominator"):
                rest = float(row["denominator"]) - float(row["numerator"])
                assert not 1 <= rest < min_count, f"{path.name}: complement {rest}"


def test_html_is_offline_and_small(runs):
    first, _ = runs
    for page in first.out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size <= 3 * 1024 * 1024, page.name
        assert not re.search(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                             text, re.I), page.name
        assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", text), page.name
        assert "@import" not in text and "<script" not in text, page.name


def test_every_page_shows_exactly_one_synthetic_banner(runs):
    # the notebooks show report.banner themselves, so the runner adds none to their pages;
    # the index always gets the runner's banner
    first, _ = runs
    for page in first.out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count('class="salto-banner"') == 1, page.name
        assert text.count("SYNTETISKE DATA –") == 1, page.name


def test_bad_parameters_for_the_real_notebooks_fail_before_running(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: twenty\n", encoding="utf-8")
    proc = run_cli("--params", str(bad), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "notebook '00_data_quality': parameter 'year' must be int, got str 'twenty'" in proc.stderr
    assert not (tmp_path / "out").exists()


_NUMBER = re.compile(r"\d+(?:[\u00a0 ,.]\d{3})*(?:[,.]\d+)?")


def _shown_numbers(path: Path) -> set[str]:
    """Every number of a published CSV as a page may show it: as it is and in percent, rounded to 0, 1 or 2
    decimals, without sign; and the digits inside text cells (``4+`` -> ``4``)."""
    out = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for cell in row.values():
                try:
                    value = abs(float(cell))
                except (TypeError, ValueError):
                    out.update(re.findall(r"\d+", cell or ""))
                    continue
                for scale in (1, 100):
                    for digits in (0, 1, 2):
                        out.add(f"{value * scale:.{digits}f}")
    return out


def _plain(number: str, lang: str) -> str:
    """``3\u00a0578`` / ``3,578`` -> ``3578``; ``41,1`` (nb) -> ``41.1``."""
    if lang == "nb":
        return number.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return number.replace(",", "")


@pytest.mark.parametrize("which", [0, 1])
def test_key_findings_quote_the_published_tables(runs, which):
    from html.parser import HTMLParser

    run = runs[which]
    lang = "nb" if which == 0 else "en"
    page = (run.out / "index.html").read_text(encoding="utf-8")
    findings = re.findall(r'<li class="salto-finding[^"]*" data-tables="([^"]+)">(.*?)<a ', page, re.S)
    assert 5 <= len(findings) <= 8, len(findings)
    summary = json.loads((run.out / ".salto-briefing.json").read_text(encoding="utf-8"))
    years = {str(y) for y in range(2000, 2040)}
    unparse = HTMLParser().unescape if hasattr(HTMLParser, "unescape") else __import__("html").unescape
    for names, text in findings:
        text = unparse(text)
        csvs = [p for name in names.split() for p in (run.out / "tables").glob(f"*__{name}.csv")]
        assert csvs, f"no published table for {names}"
        shown = set().union(*(_shown_numbers(p) for p in csvs))
        # honest wording: a rise quotes an interval above no change, a fall one below it
        for verb, sign in re.findall(r"(gikk opp|went up|gikk ned|went down) [^()]*\(95\s?% (?:KI|CI) ([−+])", text):
            assert sign == ("+" if verb in ("gikk opp", "went up") else "−"), text
        text = re.sub(r"95\s?% (KI|CI)|siste 12 måneder|in the last 12 months|per 1[\u00a0 ,]000", "", text)
        numbers = [n for n in _NUMBER.findall(text) if n not in years]
        assert numbers, text
        unknown = [n for n in numbers if _plain(n, lang) not in shown]
        assert unknown == [], f"{names}: {unknown} are not numbers of the table ({text})"
    assert summary["year"] >= 2016


@pytest.mark.parametrize("which", [0, 1])
def test_every_link_of_the_index_lands_on_an_element(runs, which):
    out = runs[which].out
    for name in ("index.html", "flagged.html"):
        page = (out / name).read_text(encoding="utf-8")
        links = re.findall(r'<a [^>]*href="([^"]+)"', page)
        assert links, name
        for link in links:
            target, _, anchor = link.partition("#")
            target_path = out / target if target else out / name
            assert target_path.is_file(), f"{name}: {link} names no file"
            if anchor and target_path.suffix == ".html":
                assert f'id="{anchor}"' in target_path.read_text(encoding="utf-8"), f"{name}: {link} lands nowhere"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="salto-finding-link" href="0\d_[a-z_]+\.html#salto-', index)) >= 5


def test_no_html_id_is_used_twice_on_a_page(runs):
    # a figure and a table of the same name had the same anchor; links landed on the first (issue 12)
    first, _ = runs
    for page in sorted(first.out.glob("*.html")):
        ids = re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8"))
        twice = sorted({i for i in ids if ids.count(i) > 1})
        assert not twice, (page.name, twice)
