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

__all__ = ["SUFFIXES", "find_inputs", "is_synthetic", "latest_register_year", "cache_inputs"]

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


def cache_inputs(files: list[tuple[str, Path]], folder: Path, loaded: dict | None = None) -> dict[Path, str]:
    """Load and validate each ``(kind, path)`` once and store the frame in ``folder`` for the notebooks.

    The folder becomes the notebooks' ``SALTO_INPUT_CACHE`` (:mod:`salto_analysis.io.cache`).
    Frames already in ``loaded`` (keyed by ``(kind, resolved path)``, see
    :func:`latest_register_year`) are used and dropped from it. Returns, per
    file, ``"cached"`` or ``"not cached: <why>"``. A file that fails the
    loader's checks is not cached: each notebook that reads it then loads it
    itself and fails with the loader's message, exactly as without the cache.
    The loader's warnings are not shown here; the notebooks show them.
    """
    import warnings

    from salto_analysis.io import cache, load

    loaded = {} if loaded is None else loaded
    states: dict[Path, str] = {}
    for kind, path in files:
        path = Path(path)
        frame = loaded.pop((kind, str(path.resolve())), None)
        if frame is None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    frame = load(path, kind)
            except (ValueError, OSError) as exc:  # io.InputError is a ValueError
                states[path] = f"not cached: {exc}"
                continue
        try:
            entry = cache.store(frame, folder)
        except OSError as exc:  # a full disk: the notebooks read the file themselves
            states[path] = f"not cached: {exc}"
            continue
        finally:
            del frame
        states[path] = "cached" if entry is not None else "not cached: it would not read back identical"
    return states
