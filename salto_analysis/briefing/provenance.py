"""Run details for every page: parameters, input hashes, versions, git state, times.

Papermill records only its own version, the parameters, paths and timings
(``metadata.papermill``); a reviewer also needs to know *which data* and *which
code* produced a page (``docs/conventions.md#run-details``; the provenance practice of
the UK Reproducible Analytical Pipelines guidance). :func:`collect` gathers, once per run:

* the SHA-256 of every input file (and the data folder's ``manifest.json``);
* the versions of Python and of the packages that compute or render numbers;
* the git commit of the checkout and whether its tree was dirty;
* the start time (UTC, ISO 8601).

Each page adds its own parameters and duration; :func:`render` turns that into
the run-details block of the HTML pages and the index. :func:`changed_inputs`
hashes the inputs again at the end of a run, so that pages computed while a
file was being replaced are never published.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "sha256", "package_versions", "git_state", "collect", "changed_inputs", "render"]

#: Packages whose version is shown in the run details, in display order.
PACKAGES = (
    "salto-analysis", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
    "papermill", "nbconvert", "nbclient", "ipykernel", "pyreadstat", "openpyxl", "pyarrow",
)


def sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Python's version and the installed version of each package in :data:`PACKAGES`."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def git_state(folder: str | Path) -> dict[str, object]:
    """``{"commit": sha or None, "dirty": bool or None}`` for the checkout holding ``folder``.

    The tree is dirty when ``git status --porcelain`` lists any change,
    including untracked files that are not ignored.
    """
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def collect(input_files: list[Path], *, code_folder: str | Path) -> dict:
    """The run-wide details: start time, input hashes, package versions, git state."""
    files = sorted({Path(p).resolve() for p in input_files})
    manifests = sorted({p.parent / "manifest.json" for p in files if (p.parent / "manifest.json").is_file()})
    return {
        "started": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "inputs": [{"path": str(p), "sha256": sha256(p)} for p in [*files, *manifests]],
        "versions": package_versions(),
        "git": git_state(code_folder),
    }


def changed_inputs(details: dict) -> list[str]:
    """The input files of :func:`collect` whose content is no longer what was hashed, described.

    Each item names the file and how it changed (``SHA-256 <start> at the start,
    <now> now``, or that it is gone). An input that changes while a briefing runs
    would leave pages computed from different data; the runner publishes nothing then.
    """
    changed = []
    for entry in details.get("inputs", []):
        path, before = Path(entry["path"]), entry["sha256"]
        try:
            now = sha256(path)
        except FileNotFoundError:
            changed.append(f"{path} (it is gone)")
            continue
        except OSError as exc:
            changed.append(f"{path} (it cannot be read: {exc.strerror})")
            continue
        if now != before:
            changed.append(f"{path} (SHA-256 {before[:12]}... at the start, {now[:12]}... now)")
    return changed


def render(details: dict, *, parameters: dict[str, dict], duration: float, lang: str) -> str:
    """The run-details block (an HTML ``<footer>``) in ``lang``.

    ``parameters`` maps each notebook (one for a page, all for the index) to
    the parameters it ran with; ``duration`` is in seconds.
    """
    from salto_analysis.briefing.templating import render_template

    return render_template("run_details.html.j2", lang=lang, details=details,
                           parameters=parameters, duration=duration)
