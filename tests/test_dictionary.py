"""Tests for salto_analysis.dictionary: the committed DATA_DICTIONARY.md is complete and fresh."""

from __future__ import annotations

import pytest

from salto_analysis import dictionary, io, schemas


@pytest.fixture(scope="module")
def text():
    return dictionary.render()


def test_committed_dictionary_is_not_stale(text):
    committed = dictionary.DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == text, (
        "data/sample/DATA_DICTIONARY.md is stale: run `python -m salto_analysis.dictionary` and commit it")


def test_every_column_has_its_names_kind_and_description(text):
    for schema in schemas.SCHEMAS.values():
        assert f"## {schema.name}: {schema.nb} / {schema.en}" in text
        for col in schema.columns:
            row = next((line for line in text.splitlines() if line.startswith(f"| `{col.name}` | {col.nb} |")
                        and col.description.split(".")[0] in line), None)
            assert row is not None, f"{schema.name}.{col.name} is not in the dictionary"
            assert f"| {col.en} |" in row
            kind_word = {"id": "identifier", "category": "code list", "int": "whole number", "float": "number",
                         "date": "date", "bool": "yes/no"}[col.kind]
            assert kind_word in row
            assert any(word in row for word in ("required", "optional", "derived", "one of"))


def test_every_value_has_both_labels_and_its_spellings(text):
    for schema in schemas.SCHEMAS.values():
        for col in schema.columns:
            if col.value_labels is None:
                continue
            spellings = {} if col.derived else io.accepted_spellings(col)
            for value, (nb, en) in col.value_labels.items():
                expected = f"| `{value}` | {nb} | {en} |"
                if not col.derived:
                    expected += " " + (", ".join(f"`{s}`" for s in spellings[value]) or "–") + " |"
                assert expected in text.replace("\\|", "|"), f"{schema.name}.{col.name}={value!r} missing"


def test_formats_and_synonym_rules_are_listed(text):
    for ext in io.SUPPORTED_EXTENSIONS:
        assert f"`{ext}`" in text
    for phrase in ("Windows-1252", "decimal comma", "value labels", "pseudonymised first", "header = row 1",
                   "Grünerløkka", "`030101`", "`mistenkt`", "`K`".lower()):
        assert phrase in text


def test_main_writes_the_file(tmp_path, capsys):
    out = tmp_path / "dd.md"
    assert dictionary.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dictionary.render()
    assert str(out) in capsys.readouterr().out
