"""salto_analysis.briefing.inputs: the input files of a data folder and the synthetic marker."""

from __future__ import annotations

import json

import pytest

from salto_analysis.briefing.config import BriefingError
from salto_analysis.briefing.inputs import find_inputs, is_synthetic


def folder(tmp_path, *names):
    for name in names:
        (tmp_path / name).write_text("x")
    return tmp_path


def test_find_inputs(tmp_path):
    folder(tmp_path, "register.csv.gz", "population.xlsx", "survey.sav", "notes.txt")
    found = find_inputs(tmp_path, ["register", "population", "survey"])
    assert {k: p.name for k, p in found.items()} == {
        "register": "register.csv.gz", "population": "population.xlsx", "survey": "survey.sav"}
    assert find_inputs(tmp_path, []) == {}


def test_missing_folder_and_file_are_named(tmp_path):
    with pytest.raises(BriefingError, match="does not exist"):
        find_inputs(tmp_path / "nowhere", ["register"])
    folder(tmp_path, "register.csv")
    with pytest.raises(BriefingError, match="survey"):
        find_inputs(tmp_path, ["register", "survey"])


def test_synthetic_marker_from_the_manifest(tmp_path):
    files = {"register": folder(tmp_path, "register.csv") / "register.csv"}
    assert is_synthetic(files) is False
    (tmp_path / "manifest.json").write_text(json.dumps({"synthetic": True}))
    assert is_synthetic(files) is True
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {"register.csv": {"synthetic": True}}}))
    assert is_synthetic(files) is True
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {"survey.csv": {"synthetic": True}}}))
    assert is_synthetic(files) is False
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(BriefingError, match="manifest.json is not valid JSON"):
        is_synthetic(files)
