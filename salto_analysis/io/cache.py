"""A folder of already validated inputs, shared by the notebooks of one briefing run.

Loading and validating the register takes most of a second on the sample and
minutes on national files, and four notebooks of the briefing read it. The
briefing runner (:mod:`salto_analysis.briefing.runner`) therefore loads each
input once, stores the typed frame here, and names the folder in the
environment variable :data:`ENV_VAR` of every notebook kernel. The loaders
(:func:`salto_analysis.io.load` and the functions built on it) then take a
frame from the folder instead of reading the file again, but only when

* :data:`ENV_VAR` is set (a notebook run on its own in JupyterLab never sees
  it and loads its files itself),
* an entry exists for the same input kind, the same file (its resolved path)
  with the same content (the SHA-256 of the bytes the loader has just read),
  made by the same :data:`LOADER_VERSION`, and
* the call asks for the default checks (``load_survey(..., expected_waves=...)``
  always reads the file).

Anything else, including an unreadable entry, is a *miss* and the file is
loaded as usual; the cache can make a load faster, never different.

Layout of the folder (one entry per input file)::

    <kind>-<file sha256>-<path digest>-v<LOADER_VERSION>.arrow   the frame (Arrow IPC / Feather v2, lz4)
    <kind>-<file sha256>-<path digest>-v<LOADER_VERSION>.json    key and DataFrame.attrs

where ``path digest`` is the first 16 hex digits of the SHA-256 of the
resolved path. While the runner is still making an entry, an empty
``<same stem>.pending`` file says so (:func:`announce`): a loader that finds it
waits for the entry (at most :data:`WAIT_SECONDS`, as long as the marker is
there) instead of reading the file at the same time; a marker removed without
an entry (the file failed the loader's checks) sends it to the file. The JSON file holds ``kind``, ``path`` (resolved),
``sha256``, ``loader_version`` and ``attrs``; it is written last, so an entry
without it is incomplete and ignored. Arrow IPC keeps every dtype the loaders
make (categoricals with their categories and order, nullable ``Int64`` and
``boolean``, ``datetime64[s]``, pandas' string dtype); :func:`store` reads
each entry back and keeps it only if it equals the frame it was made from
(values, dtypes, categories, index, attrs), so a frame that would not round-trip
exactly is simply not cached.

A hit sets ``attrs["accounting"]["file"]`` to the path as the caller gave it
and raises the same :class:`~salto_analysis.io.InputWarning` a direct load
raises, so a cached load and a direct load return identical frames.

Bump :data:`LOADER_VERSION` whenever a change to the loaders changes what they
return for the same file; entries of another version are never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pandas as pd

__all__ = ["ENV_VAR", "LOADER_VERSION", "WAIT_SECONDS", "stats", "entry_stem", "store", "announce", "withdraw",
           "lookup"]

#: Environment variable naming the cache folder (set by the briefing runner for its kernels).
ENV_VAR = "SALTO_INPUT_CACHE"
#: Version of what the loaders return; part of every cache key. Bump it when the loaders change.
LOADER_VERSION = 1
#: Lookups in this process: hits, misses while :data:`ENV_VAR` was set, and waits for a pending entry.
stats = {"hits": 0, "misses": 0, "waits": 0}
#: Longest wait for an entry the runner has announced (:func:`announce`) but not stored yet.
WAIT_SECONDS = 600.0


def entry_stem(path: str | os.PathLike, kind: str, sha256: str) -> str:
    """The file name (without suffix) of the entry for ``path`` with content ``sha256``."""
    resolved = str(Path(path).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]
    return f"{kind}-{sha256}-{digest}-v{LOADER_VERSION}"


def _identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same columns, index, dtypes (categories in order), values and attrs."""
    if not (a.columns.equals(b.columns) and type(a.index) is type(b.index) and a.index.equals(b.index)):
        return False
    for col in a.columns:
        x, y = a[col].dtype, b[col].dtype
        if x != y:
            return False
        if isinstance(x, pd.CategoricalDtype) and not (
                x.ordered == y.ordered and x.categories.dtype == y.categories.dtype
                and x.categories.equals(y.categories)):
            return False
    return a.equals(b) and a.attrs == b.attrs


def store(frame: pd.DataFrame, folder: str | os.PathLike) -> Path | None:
    """Store a frame returned by :func:`salto_analysis.io.load` in ``folder``.

    Returns the entry's JSON file, or ``None`` when the frame would not come
    back identical (it is then not cached). The key is the file and SHA-256
    recorded in ``frame.attrs["accounting"]``, that is the content that was validated.
    """
    accounting = frame.attrs["accounting"]
    kind, sha = frame.attrs["input"], accounting["sha256"]
    path = Path(accounting["file"]).resolve()
    folder = Path(folder)
    stem = entry_stem(path, kind, sha)
    data, meta = folder / f"{stem}.arrow", folder / f"{stem}.json"
    tmp_data, tmp_meta = folder / f".{stem}.arrow.tmp", folder / f".{stem}.json.tmp"
    attrs = json.loads(json.dumps(frame.attrs))
    try:
        frame.to_feather(tmp_data, compression="lz4")
        back = pd.read_feather(tmp_data)
        back.attrs = attrs
        if not _identical(frame, back):
            tmp_data.unlink()
            return None
    except (ValueError, TypeError, NotImplementedError):  # pyarrow's errors for a column it cannot hold
        tmp_data.unlink(missing_ok=True)
        return None
    os.replace(tmp_data, data)
    text = json.dumps({"kind": kind, "path": str(path), "sha256": sha, "loader_version": LOADER_VERSION,
                       "attrs": attrs}, ensure_ascii=False)
    tmp_meta.write_text(text, encoding="utf-8")
    os.replace(tmp_meta, meta)
    return meta


def announce(folder: str | os.PathLike, path: str | os.PathLike, kind: str, sha256: str) -> Path:
    """Mark the entry for ``path`` (content ``sha256``) as being made; returns the marker to :func:`withdraw`.

    A loader that finds the marker and no entry waits for the entry (at most
    :data:`WAIT_SECONDS`) rather than reading the file a second time while the
    runner is reading it.
    """
    marker = Path(folder) / f"{entry_stem(path, kind, sha256)}.pending"
    marker.touch()
    return marker


def withdraw(marker: str | os.PathLike) -> None:
    """Remove a marker of :func:`announce` (the entry is stored, or will not be)."""
    Path(marker).unlink(missing_ok=True)


def _wait_if_pending(folder: Path, stem: str) -> None:
    meta, marker = folder / f"{stem}.json", folder / f"{stem}.pending"
    if meta.exists() or not marker.exists():
        return
    stats["waits"] += 1
    deadline = time.monotonic() + WAIT_SECONDS
    while marker.exists() and not meta.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def lookup(path: str | os.PathLike, kind: str, sha256: str, *, file: str) -> pd.DataFrame | None:
    """The cached frame for ``path`` (content ``sha256``) when :data:`ENV_VAR` names a folder holding it.

    ``file`` is the path as the caller wrote it; it goes into
    ``attrs["accounting"]["file"]`` as a direct load would put it. ``None`` on a miss.
    """
    folder = os.environ.get(ENV_VAR)
    if not folder:
        return None
    resolved = str(Path(path).resolve())
    stem = entry_stem(resolved, kind, sha256)
    _wait_if_pending(Path(folder), stem)
    try:
        meta = json.loads((Path(folder) / f"{stem}.json").read_text(encoding="utf-8"))
        if (meta.get("kind"), meta.get("path"), meta.get("sha256"), meta.get("loader_version")) != (
                kind, resolved, sha256, LOADER_VERSION):
            raise LookupError("the entry belongs to another file")
        attrs = meta["attrs"]
        attrs["accounting"]["file"] = file
        frame = pd.read_feather(Path(folder) / f"{stem}.arrow")
    except (OSError, ValueError, LookupError, TypeError, NotImplementedError):
        # no entry, another file's, or a damaged one (pyarrow's errors derive from these): read the file
        stats["misses"] += 1
        return None
    frame.attrs = attrs
    stats["hits"] += 1
    return frame
