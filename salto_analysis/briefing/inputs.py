"""The input files of a data folder, their synthetic marker and the latest register year.

A data folder holds one file per input kind, named ``register.*``,
``population.*`` and ``survey.*`` (CSV, compressed CSV, Excel, SPSS or Parquet),
and optionally ``manifest.json`` with the synthetic marker written by
:mod:`salto_analysis.synth` (``{"synthetic": true, "files": {name: {"synthetic": true}}}``).
File lookup goes through :func:`salto_analysis.io.find_input` when the loaders
provide it, so the runner and the notebooks agree on which file is meant.
:func:`cache_inputs` loads each file once for all notebooks of a run.
"""

from __future__ import annotations

import json
from pathlib import Path

from salto_analysis.briefing.config import BriefingError

__all__ = ["SUFFIXES", "find_inputs", "is_synthetic", "latest_register_year", "announce_inputs", "cache_inputs"]

SUFFIXES = (".csv", ".csv.gz", ".xlsx", ".sav", ".parquet")


def _glob_input(data_dir: Path, kind: str) -> Path:
    """Fallback lookup: the single ``<kind>.<suffix>`` file of ``data_dir``."""
    found = sorted(p for p in data_dir.iterdir() if p.is_file() and any(p.name == kind + s for s in SUFFIXES))
    if not found:
        raise BriefingError(
            f"data folder {data_dir} has no {kind} file: expected {kind}" + "|".join(SUFFIXES)
            + f" (found: {', '.join(sorted(p.name for p in data_dir.iterdir())) or 'nothing'})"
        )
    if len(found) > 1:
        raise BriefingError(f"data folder {data_dir} has several {kind} files ({', '.join(p.name for p in found)}); keep one")
    return found[0]


def _find_one(data_dir: Path, kind: str) -> Path:
    try:
        from salto_analysis import io as _io
    except ImportError:
        _io = None
    finder = getattr(_io, "find_input", None)
    if finder is None:
        return _glob_input(data_dir, kind)
    try:
        return Path(finder(data_dir, kind))
    except (ValueError, FileNotFoundError) as exc:  # io.InputError is a ValueError
        raise BriefingError(str(exc)) from None


def find_inputs(data_dir: str | Path, kinds) -> dict[str, Path]:
    """The input file of each kind in ``data_dir``; :class:`BriefingError` if one is missing."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise BriefingError(f"data folder {data_dir} does not exist (set --data-dir or data_dir in a params file)")
    return {kind: _find_one(data_dir, kind) for kind in kinds}


def _manifest(data_dir: Path) -> dict:
    path = data_dir / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BriefingError(f"{path} is not valid JSON: {exc}") from None
    return data if isinstance(data, dict) else {}


def is_synthetic(files: dict[str, Path]) -> bool:
    """True when any of ``files`` is marked synthetic in its folder's ``manifest.json``."""
    for path in files.values():
        manifest = _manifest(path.parent)
        entry = (manifest.get("files") or {}).get(path.name, {})
        if manifest.get("synthetic") is True or (isinstance(entry, dict) and entry.get("synthetic") is True):
            return True
    return False


def latest_register_year(register_file: Path, loaded: dict | None = None) -> int:
    """The latest year with registrations in ``register_file`` (read with the project's loader).

    The loaded frame is put into ``loaded`` (if given) under
    ``("register", <resolved path>)``, so that :func:`cache_inputs` need not read it again.
    """
    try:
        from salto_analysis.io import load_register
    except ImportError:
        raise BriefingError("cannot find the latest register year without salto_analysis.io; give --year") from None
    try:
        frame = load_register(register_file)
    except ValueError as exc:
        raise BriefingError(str(exc)) from None
    if loaded is not None:
        loaded[("register", str(Path(register_file).resolve()))] = frame
    years = frame["year"].dropna()
    if years.empty:
        raise BriefingError(f"{register_file} has no registrations with a year; give --year")
    return int(years.max())


def announce_inputs(files: list[tuple[str, Path]], folder: Path, details: dict) -> dict[tuple[str, str], Path]:
    """Mark the cache entries :func:`cache_inputs` is about to make, so notebooks wait for them.

    ``details`` is the run's provenance (:func:`salto_analysis.briefing.provenance.collect`),
    whose SHA-256 of each input names the entry. Returns the markers by ``(kind, resolved path)``.
    """
    from salto_analysis.io import cache

    shas = {entry["path"]: entry["sha256"] for entry in details.get("inputs", [])}
    markers = {}
    for kind, path in files:
        resolved = str(Path(path).resolve())
        if resolved in shas:
            markers[(kind, resolved)] = cache.announce(folder, resolved, kind, shas[resolved])
    return markers


def cache_inputs(files: list[tuple[str, Path]], folder: Path, loaded: dict | None = None,
                 markers: dict | None = None) -> dict[Path, str]:
    """Load and validate each ``(kind, path)`` once and store the frame in ``folder`` for the notebooks.

    The folder becomes the notebooks' ``SALTO_INPUT_CACHE`` (:mod:`salto_analysis.io.cache`).
    Frames already in ``loaded`` (keyed by ``(kind, resolved path)``, see
    :func:`latest_register_year`) are used and dropped from it. Returns, per
    file, ``"cached"`` or ``"not cached: <why>"``. A file that fails the
    loader's checks is not cached: each notebook that reads it then loads it
    itself and fails with the loader's message, exactly as without the cache.
    The loader's warnings are not shown here; the notebooks show them.
    Frames already loaded are stored first; the marker of each file from
    :func:`announce_inputs` (``markers``) is removed once its entry is stored
    or will not be, and every one of them by the end.
    """
    from salto_analysis.io import cache

    loaded = {} if loaded is None else loaded
    markers = {} if markers is None else markers
    states: dict[Path, str] = {}
    try:
        order = sorted(files, key=lambda f: (f[0], str(Path(f[1]).resolve())) not in loaded)
        for kind, path in order:
            states[Path(path)] = _cache_one(kind, Path(path), folder, loaded)
            marker = markers.pop((kind, str(Path(path).resolve())), None)
            if marker is not None:
                cache.withdraw(marker)
    finally:
        for marker in markers.values():
            cache.withdraw(marker)
        markers.clear()
    return {Path(path): states[Path(path)] for _, path in files}


def _cache_one(kind: str, path: Path, folder: Path, loaded: dict) -> str:
    """Load (unless loaded already) and store one input; ``"cached"`` or ``"not cached: <why>"``."""
    import warnings

    from salto_analysis.io import cache, load

    frame = loaded.pop((kind, str(path.resolve())), None)
    if frame is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = load(path, kind)
        except (ValueError, OSError) as exc:  # io.InputError is a ValueError
            return f"not cached: {exc}"
    try:
        entry = cache.store(frame, folder)
    except OSError as exc:  # a full disk: the notebooks read the file themselves
        return f"not cached: {exc}"
    return "cached" if entry is not None else "not cached: it would not read back identical"
