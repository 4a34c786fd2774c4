"""salto_analysis.briefing.inputs: the input files of a data folder, the synthetic marker, the input cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from salto_analysis.briefing.config import BriefingError
from salto_analysis.briefing.inputs import (
    announce_inputs,
    cache_inputs,
    find_inputs,
    is_synthetic,
    latest_register_year,
)


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


FIXTURES = Path(__file__).parent / "fixtures" / "io"


def test_cache_inputs_stores_each_valid_input_once(tmp_path, monkeypatch):
    from salto_analysis import io
    from salto_analysis.io import cache

    data = tmp_path / "data"
    data.mkdir()
    for kind in ("register", "population", "survey"):
        shutil.copyfile(FIXTURES / f"{kind}_ok.csv", data / f"{kind}.csv")
    (data / "bad").mkdir()
    (data / "bad" / "register.csv").write_text("case_id,person_id\n", encoding="utf-8")  # header only: refused
    folder = tmp_path / "cache"
    folder.mkdir()
    files = [(kind, data / f"{kind}.csv") for kind in ("register", "population", "survey")]
    states = cache_inputs([*files, ("register", data / "bad" / "register.csv")], folder)
    assert [states[p] for _, p in files] == ["cached"] * 3
    assert states[data / "bad" / "register.csv"].startswith("not cached: ")
    assert "no data rows" in states[data / "bad" / "register.csv"]
    assert len(list(folder.glob("*.arrow"))) == len(list(folder.glob("*.json"))) == 3
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    hits = cache.stats["hits"]
    io.load_all(data)
    assert cache.stats["hits"] == hits + 3


def test_cache_inputs_uses_a_frame_loaded_while_planning(tmp_path, monkeypatch):
    from salto_analysis import io

    data = tmp_path / "data"
    data.mkdir()
    path = data / "register.csv"
    shutil.copyfile(FIXTURES / "register_ok.csv", path)
    loaded = {}
    assert latest_register_year(path, loaded) == 2025  # register_ok.csv: registrations 2023-2025
    assert list(loaded) == [("register", str(path.resolve()))]

    def no_second_read(*args, **kwargs):
        raise AssertionError("the register was read again")

    monkeypatch.setattr(io, "load", no_second_read)
    folder = tmp_path / "cache"
    folder.mkdir()
    assert cache_inputs([("register", path)], folder, loaded) == {path: "cached"}
    assert loaded == {}, "the frame is released once stored"


def test_announced_entries_are_withdrawn_whatever_happens(tmp_path):
    from salto_analysis.briefing.provenance import collect

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(FIXTURES / "register_ok.csv", data / "register.csv")
    (data / "survey.csv").write_text("wave,pupil_id\n", encoding="utf-8")  # refused by the loader
    files = [("register", data / "register.csv"), ("survey", data / "survey.csv")]
    folder = tmp_path / "cache"
    folder.mkdir()
    markers = announce_inputs(files, folder, collect([p for _, p in files], code_folder=tmp_path))
    assert sorted(p.suffix for p in folder.iterdir()) == [".pending", ".pending"]
    states = cache_inputs(files, folder, markers=markers)
    assert states[data / "register.csv"] == "cached" and states[data / "survey.csv"].startswith("not cached")
    assert sorted(p.suffix for p in folder.iterdir()) == [".arrow", ".json"], "no marker left"
