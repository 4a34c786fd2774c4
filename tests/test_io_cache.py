"""salto_analysis.io.cache: the briefing's shared cache of validated inputs.

The one promise of the cache: a load served from it returns exactly what a
direct load of the same file returns (values, dtypes, categories and their
order, index, attrs with the row accounting and the synthetic flag, and the
same InputWarnings), for every input and every file format the readers
accept; and it is used only for the same file, content and loader version.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from salto_analysis import io
from salto_analysis.io import InputWarning, cache

FIXTURES = Path(__file__).parent / "fixtures" / "io"
OK = {"register": "register_ok.csv", "population": "population_ok.csv", "survey": "survey_ok.csv"}
FORMATS = ("csv", "csv.gz", "xlsx", "sav", "parquet")


def write_format(source: Path, target: Path, kind: str) -> Path:
    """``source`` (a CSV fixture) written as ``target``, in the format its name ends with."""
    name = target.name
    if name.endswith(".csv"):
        shutil.copyfile(source, target)
    elif name.endswith(".csv.gz"):
        target.write_bytes(gzip.compress(source.read_bytes(), mtime=0))
    else:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        if name.endswith(".xlsx"):
            frame.to_excel(target, sheet_name=kind, index=False)
        elif name.endswith(".sav"):
            import pyreadstat

            pyreadstat.write_sav(frame, str(target))
        else:
            frame.to_parquet(target)
    return target


def direct_and_cached(path: Path, kind: str, folder: Path, monkeypatch):
    """Load ``path`` directly (no cache announced), store it, then load it again through the cache."""
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    with warnings.catch_warnings(record=True) as direct_warnings:
        warnings.simplefilter("always")
        direct = io.load(path, kind)
    assert cache.store(direct, folder) is not None
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    hits = cache.stats["hits"]
    with warnings.catch_warnings(record=True) as cached_warnings:
        warnings.simplefilter("always")
        cached = io.load(path, kind)
    assert cache.stats["hits"] == hits + 1, "the second load was not served from the cache"
    return direct, cached, direct_warnings, cached_warnings


def assert_identical(direct: pd.DataFrame, cached: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(cached, direct, check_exact=True, check_categorical=True,
                                  check_index_type=True, check_column_type=True)
    assert list(cached.dtypes.astype(str)) == list(direct.dtypes.astype(str))
    for col in direct.columns:
        if isinstance(direct[col].dtype, pd.CategoricalDtype):
            assert list(cached[col].cat.categories) == list(direct[col].cat.categories), col
            assert cached[col].cat.ordered == direct[col].cat.ordered, col
            assert cached[col].cat.categories.dtype == direct[col].cat.categories.dtype, col
    assert cached.attrs == direct.attrs
    assert cached is not direct


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(OK))
def test_a_cached_load_equals_a_direct_load(kind, fmt, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK[kind], data / f"{kind}.{fmt}", kind)
    folder = tmp_path / "cache"
    folder.mkdir()
    direct, cached, _, _ = direct_and_cached(path, kind, folder, monkeypatch)
    assert direct.attrs["accounting"]["format"] == fmt.split(".")[0]
    assert direct.attrs["accounting"]["rows_read"] == len(pd.read_csv(FIXTURES / OK[kind]))
    assert_identical(direct, cached)


@pytest.mark.parametrize(("name", "kind"), [
    ("register.xlsx", "register"),  # the hand-made workbook: two sheets, a notice
    ("survey_labels.sav", "survey"),  # SPSS value labels become the categories
    ("windows1252.csv", "register"),  # Windows-1252, semicolons, a Norwegian role label
    ("survey_semicolon_decimal_comma.csv", "survey"),
    ("extra_column.csv", "register"),  # an unknown column kept as text, with an InputWarning
])
def test_the_io_fixtures_come_back_identical_with_the_same_warnings(name, kind, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    direct, cached, w_direct, w_cached = direct_and_cached(FIXTURES / name, kind, folder, monkeypatch)
    assert_identical(direct, cached)
    seen = [(str(w.message), w.category, w.filename, w.lineno) for w in w_direct if w.category is InputWarning]
    again = [(str(w.message), w.category, w.filename, w.lineno) for w in w_cached if w.category is InputWarning]
    assert again == seen
    if name == "extra_column.csv":
        assert len(seen) == 1 and "note" in seen[0][0] and seen[0][2] == __file__


def test_synthetic_flag_and_accounting_come_back(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["register"], data / "register.csv", "register")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    (data / "manifest.json").write_text(json.dumps({"files": {"register.csv": {"synthetic": True, "sha256": sha}}}))
    (tmp_path / "cache").mkdir()
    direct, cached, _, _ = direct_and_cached(path, "register", tmp_path / "cache", monkeypatch)
    assert direct.attrs["synthetic"] is True and cached.attrs["synthetic"] is True
    # register_ok.csv: 7 rows read and kept, one (age 35) excluded from analysis
    acc = io.Accounting.from_dict(cached.attrs["accounting"])
    assert (acc.rows_read, acc.rows_kept, acc.rows_in_analysis) == (7, 7, 6)
    assert acc.rows_excluded_by_reason == {"age_outside_scope": 1}
    assert acc.sha256 == sha
    pd.testing.assert_frame_equal(io.accounting_table(cached), io.accounting_table(direct))


def test_the_path_is_reported_as_the_caller_gave_it(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["population"], data / "population.csv", "population")
    folder = tmp_path / "cache"
    folder.mkdir()
    cache.store(io.load(path.resolve(), "population"), folder)  # the runner's absolute path
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    monkeypatch.chdir(tmp_path)
    cached = io.load_population(Path("data/population.csv"))  # a notebook's relative path
    assert cached.attrs["accounting"]["file"] == "data/population.csv"
    monkeypatch.delenv(cache.ENV_VAR)
    assert cached.attrs == io.load_population(Path("data/population.csv")).attrs


# --------------------------------------------------------------------------- when the cache is not used


@pytest.fixture()
def stored(tmp_path, monkeypatch):
    """A register file, its cache entry in a folder, and the folder announced."""
    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["register"], data / "register.csv", "register")
    folder = tmp_path / "cache"
    folder.mkdir()
    entry = cache.store(io.load(path, "register"), folder)
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    return path, folder, entry


def _served(call) -> bool:
    hits = cache.stats["hits"]
    call()
    return cache.stats["hits"] == hits + 1


def test_without_the_variable_the_file_is_read(stored, monkeypatch):
    path, _, _ = stored
    assert _served(lambda: io.load_register(path))
    monkeypatch.delenv(cache.ENV_VAR)
    assert not _served(lambda: io.load_register(path))
    monkeypatch.setenv(cache.ENV_VAR, "")
    assert not _served(lambda: io.load_register(path))


def test_a_changed_file_is_read_again(stored):
    path, _, _ = stored
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # drop the last row (C005, the age-35 suspect)
    misses = cache.stats["misses"]
    frame = io.load_register(path)
    assert cache.stats["misses"] == misses + 1
    assert len(frame) == 6 and "C005" not in set(frame["case_id"])


def test_another_file_with_the_same_content_is_read(stored, tmp_path):
    path, _, _ = stored
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copyfile(path, other / "register.csv")
    assert not _served(lambda: io.load_register(other / "register.csv"))


def test_another_loader_version_is_not_used(stored, monkeypatch):
    path, _, _ = stored
    monkeypatch.setattr(cache, "LOADER_VERSION", cache.LOADER_VERSION + 1)
    assert not _served(lambda: io.load_register(path))


def test_another_kind_or_options_are_not_served(stored, tmp_path):
    _, folder, _ = stored
    survey = write_format(FIXTURES / OK["survey"], tmp_path / "data" / "survey.csv", "survey")
    cache.store(io.load_survey(survey), folder)
    assert _served(lambda: io.load_survey(survey))
    # expected_waves asks for a check the cached load did not make: the file is read
    assert not _served(lambda: io.load_survey(survey, expected_waves=[2018, 2021]))
    with pytest.raises(io.InputError, match="2015"):
        io.load_survey(survey, expected_waves=[2015, 2018])


def test_an_entry_that_names_another_file_or_is_damaged_is_ignored(stored):
    path, _, entry = stored
    meta = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**meta, "path": "/somewhere/else/register.csv"}), encoding="utf-8")
    assert not _served(lambda: io.load_register(path))
    entry.write_text(json.dumps(meta), encoding="utf-8")
    assert _served(lambda: io.load_register(path))
    entry.with_suffix(".arrow").write_bytes(b"not an arrow file")
    frame = io.load_register(path)  # read from the file instead
    assert len(frame) == 7
    entry.write_text("{", encoding="utf-8")
    assert not _served(lambda: io.load_register(path))


def test_an_incomplete_entry_is_ignored(stored):
    path, _, entry = stored
    entry.unlink()  # the JSON is written last: without it the entry is not finished
    assert not _served(lambda: io.load_register(path))


def test_a_frame_that_would_not_round_trip_is_not_stored(tmp_path):
    frame = io.load_register(FIXTURES / OK["register"])
    odd = frame.copy()
    odd["note"] = pd.Series([1, "a", 2.5, None, "b", 3, "c"], dtype=object)  # mixed types: Arrow refuses
    odd.attrs = frame.attrs
    assert cache.store(odd, tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_entry_names_follow_the_documented_layout(stored):
    path, folder, entry = stored
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    stem = f"register-{sha}-{digest}-v{cache.LOADER_VERSION}"
    assert sorted(p.name for p in folder.iterdir()) == [f"{stem}.arrow", f"{stem}.json"]
    meta = json.loads(entry.read_text(encoding="utf-8"))
    assert {k: meta[k] for k in ("kind", "path", "sha256", "loader_version")} == {
        "kind": "register", "path": str(path.resolve()), "sha256": sha, "loader_version": cache.LOADER_VERSION}
    assert io.CACHE_ENV == cache.ENV_VAR == "SALTO_INPUT_CACHE"


# --------------------------------------------------------------------------- entries announced, not yet stored


def test_a_load_waits_for_an_announced_entry(tmp_path, monkeypatch):
    import threading
    import time

    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["register"], data / "register.csv", "register")
    folder = tmp_path / "cache"
    folder.mkdir()
    frame = io.load(path, "register")
    marker = cache.announce(folder, path, "register", hashlib.sha256(path.read_bytes()).hexdigest())
    assert marker.name.endswith(".pending") and marker.exists()
    monkeypatch.setenv(cache.ENV_VAR, str(folder))

    def runner_stores_later():
        time.sleep(0.5)
        cache.store(frame, folder)
        cache.withdraw(marker)

    worker = threading.Thread(target=runner_stores_later)
    hits, waits = cache.stats["hits"], cache.stats["waits"]
    start = time.monotonic()
    worker.start()
    loaded = io.load(path, "register")
    waited = time.monotonic() - start
    worker.join()
    assert cache.stats["hits"] == hits + 1 and cache.stats["waits"] == waits + 1
    assert waited >= 0.45
    assert_identical(frame, loaded)


def test_a_withdrawn_announcement_sends_the_loader_to_the_file(tmp_path, monkeypatch):
    import threading
    import time

    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["population"], data / "population.csv", "population")
    folder = tmp_path / "cache"
    folder.mkdir()
    marker = cache.announce(folder, path, "population", hashlib.sha256(path.read_bytes()).hexdigest())
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    threading.Timer(0.3, cache.withdraw, args=(marker,)).start()  # the runner could not cache it
    misses = cache.stats["misses"]
    start = time.monotonic()
    frame = io.load(path, "population")
    assert 0.25 <= time.monotonic() - start < 5
    assert cache.stats["misses"] == misses + 1 and len(frame) == 6


def test_an_announcement_for_other_content_is_not_waited_for(tmp_path, monkeypatch):
    import time

    data = tmp_path / "data"
    data.mkdir()
    path = write_format(FIXTURES / OK["population"], data / "population.csv", "population")
    folder = tmp_path / "cache"
    folder.mkdir()
    cache.announce(folder, path, "population", "0" * 64)  # the content the runner hashed has changed since
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    monkeypatch.setattr(cache, "WAIT_SECONDS", 30.0)
    waits = cache.stats["waits"]
    start = time.monotonic()
    io.load(path, "population")
    assert time.monotonic() - start < 5 and cache.stats["waits"] == waits
