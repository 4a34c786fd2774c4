"""salto_analysis.briefing.config: the briefing list (notebooks/briefing.yml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salto_analysis.briefing.config import DEFAULT_BRIEFING, BriefingError, load_briefing

FIXTURES = Path(__file__).parent / "fixtures" / "briefing"


def write(folder: Path, text: str, notebooks=("a",)) -> Path:
    for name in notebooks:
        shutil.copy(FIXTURES / "trivial.ipynb", folder / f"{name}.ipynb")
    path = folder / "briefing.yml"
    path.write_text(text, encoding="utf-8")
    return path


TITLE = "title: {nb: Tittel, en: Title}\n"


def test_fixture_list_is_read_in_order_with_titles_and_inputs():
    b = load_briefing(FIXTURES / "briefing.yml")
    assert b.names == ("ok_table", "second")
    assert b.title == {"nb": "Testkunnskapsgrunnlag", "en": "Test briefing"}
    assert b.notebooks[0].inputs == ("register", "population", "survey")
    assert b.notebooks[1].inputs == ()
    assert b.notebooks[1].title["en"] == "A second page"
    assert b.folder == FIXTURES


def test_the_project_list_starts_with_the_data_page():
    text = DEFAULT_BRIEFING.read_text(encoding="utf-8")
    assert "- name: 00_data_quality" in text.split("notebooks:")[1].split("\n", 2)[1]


def test_select_keeps_list_order_and_refuses_unknown_names():
    b = load_briefing(FIXTURES / "briefing.yml")
    assert b.select(["second", "ok_table"]).names == ("ok_table", "second")
    assert b.select(None) is b
    with pytest.raises(BriefingError, match=r"--only: 'third' is not in .* \(notebooks: ok_table, second\)"):
        b.select(["third"])


def test_missing_notebook_is_named(tmp_path):
    path = write(tmp_path, TITLE + "notebooks:\n  - name: a\n    title: {nb: A, en: A}\n"
                 "  - name: b\n    title: {nb: B, en: B}\n")
    with pytest.raises(BriefingError, match=r"notebook 2: notebook .*b\.ipynb does not exist"):
        load_briefing(path)


def test_each_title_needs_both_languages(tmp_path):
    path = write(tmp_path, TITLE + "notebooks:\n  - name: a\n    title: {nb: A}\n")
    with pytest.raises(BriefingError, match="title must give a non-empty text for each of nb, en"):
        load_briefing(path)


def test_duplicates_unknown_keys_and_inputs_are_refused(tmp_path):
    entry = "  - name: a\n    title: {nb: A, en: A}\n"
    with pytest.raises(BriefingError, match="listed twice"):
        load_briefing(write(tmp_path, TITLE + "notebooks:\n" + entry + entry))
    with pytest.raises(BriefingError, match=r"unknown key\(s\) \['params'\]"):
        load_briefing(write(tmp_path, TITLE + "notebooks:\n" + entry + "    params: {}\n"))
    with pytest.raises(BriefingError, match="inputs must be a list drawn from register, population, survey"):
        load_briefing(write(tmp_path, TITLE + "inputs: [registry]\nnotebooks:\n" + entry))
    with pytest.raises(BriefingError, match="does not exist"):
        load_briefing(tmp_path / "nothing.yml")
