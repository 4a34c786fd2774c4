"""The briefing list: which notebooks make up the yearly briefing, in which order.

``notebooks/briefing.yml`` is the one place that lists them (issue 7: "make every
later notebook join it by being listed in one place")::

    title: {nb: "...", en: "..."}          # title of the index page
    inputs: [register, population, survey] # files every notebook's data_dir must hold
    notebooks:
      - name: 00_data_quality              # notebooks/00_data_quality.ipynb
        title: {nb: "...", en: "..."}
        inputs: [register]                 # optional: overrides the list above

A notebook joins the briefing by adding one entry. Paths are relative to the
folder of the YAML file, which is also the working directory of every notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from salto_analysis.labels import LANGS

__all__ = ["BriefingError", "Entry", "Briefing", "PROJECT_ROOT", "DEFAULT_BRIEFING", "load_briefing"]

#: The repository checkout this package lives in (``notebooks/``, ``data/`` beside it).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The briefing list used when ``--briefing`` is not given.
DEFAULT_BRIEFING = PROJECT_ROOT / "notebooks" / "briefing.yml"

INPUT_KINDS = ("register", "population", "survey")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


class BriefingError(ValueError):
    """A problem found before any notebook runs (bad option, parameter, file or list)."""


@dataclass(frozen=True)
class Entry:
    """One notebook of the briefing."""

    name: str
    path: Path
    title: dict[str, str]
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Briefing:
    """The parsed briefing list."""

    source: Path
    title: dict[str, str]
    notebooks: tuple[Entry, ...]

    @property
    def folder(self) -> Path:
        """The notebooks' folder: the working directory of every run."""
        return self.source.parent

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.notebooks)

    def select(self, only: list[str] | None) -> Briefing:
        """The briefing restricted to the notebooks named in ``only`` (kept in list order)."""
        if not only:
            return self
        unknown = [n for n in only if n not in self.names]
        if unknown:
            raise BriefingError(
                f"--only: {', '.join(map(repr, unknown))} is not in {self.source} "
                f"(notebooks: {', '.join(self.names)})"
            )
        return replace(self, notebooks=tuple(e for e in self.notebooks if e.name in only))


def _titles(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGS) or not all(
        isinstance(v, str) and v.strip() for v in value.values()
    ):
        raise BriefingError(f"{where}: title must give a non-empty text for each of {', '.join(LANGS)}, got {value!r}")
    return {k: value[k].strip() for k in LANGS}


def _inputs(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in INPUT_KINDS for v in value):
        raise BriefingError(f"{where}: inputs must be a list drawn from {', '.join(INPUT_KINDS)}, got {value!r}")
    return tuple(value)


def read_yaml(path: Path, what: str, hint: str = ""):
    """The parsed YAML of ``path`` (a resolved path); :class:`BriefingError` naming ``what``
    (e.g. "params file") when the file is missing or not valid YAML."""
    if not path.is_file():
        raise BriefingError(f"{what} {path} does not exist{hint}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BriefingError(f"{what} {path} is not valid YAML: {exc}") from None


def load_briefing(path: str | Path = DEFAULT_BRIEFING) -> Briefing:
    """Read and check a briefing list; raise :class:`BriefingError` naming the problem."""
    path = Path(path).resolve()
    data = read_yaml(path, "briefing list", " (give another one with --briefing)")
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), list) or not data["notebooks"]:
        raise BriefingError(f"briefing list {path} must be a mapping with a non-empty 'notebooks' list")
    unknown = set(data) - {"title", "inputs", "notebooks"}
    if unknown:
        raise BriefingError(f"briefing list {path}: unknown key(s) {sorted(unknown)} (allowed: title, inputs, notebooks)")
    title = _titles(data.get("title"), f"{path}")
    default_inputs = _inputs(data.get("inputs", list(INPUT_KINDS)), f"{path}")
    entries: list[Entry] = []
    for i, item in enumerate(data["notebooks"], start=1):
        where = f"{path}, notebook {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not _NAME.match(item["name"]):
            raise BriefingError(f"{where}: each entry needs a 'name' (the notebook file without .ipynb), got {item!r}")
        extra = set(item) - {"name", "title", "inputs"}
        if extra:
            raise BriefingError(f"{where}: unknown key(s) {sorted(extra)} (allowed: name, title, inputs)")
        name = item["name"]
        nb_path = path.parent / f"{name}.ipynb"
        if not nb_path.is_file():
            raise BriefingError(f"{where}: notebook {nb_path} does not exist")
        if name in (e.name for e in entries):
            raise BriefingError(f"{where}: notebook {name!r} is listed twice")
        inputs = _inputs(item["inputs"], where) if "inputs" in item else default_inputs
        entries.append(Entry(name, nb_path, _titles(item.get("title"), where), inputs))
    return Briefing(source=path, title=title, notebooks=tuple(entries))
