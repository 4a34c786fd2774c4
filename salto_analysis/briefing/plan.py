"""Everything the runner checks and decides before the first notebook runs.

:func:`prepare` turns the command-line options into a :class:`Plan`:

1. read the briefing list and apply ``--only``;
2. read every notebook's declared parameters (papermill inspection) and the
   params files, then resolve and type-check each notebook's parameters
   (:mod:`salto_analysis.briefing.parameters`);
3. check that every ``data_dir`` exists and holds the notebook's input files,
   and whether any of them is synthetic (:mod:`salto_analysis.briefing.inputs`);
4. settle the reporting year (``--year``, else the params, else the latest
   register year in the data) and the output folder (``reports/<year>``);
5. refuse an output folder that is not a previous briefing (it would be replaced);
6. collect the run-wide provenance (:mod:`salto_analysis.briefing.provenance`).

Any problem raises :class:`~salto_analysis.briefing.config.BriefingError`, so a
bad parameter never costs a notebook run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from salto_analysis.briefing import inputs as _inputs
from salto_analysis.briefing import parameters as _parameters
from salto_analysis.briefing import provenance
from salto_analysis.briefing.config import DEFAULT_BRIEFING, PROJECT_ROOT, Briefing, BriefingError, load_briefing
from salto_analysis.labels import check_lang

__all__ = ["MARKER", "Options", "Plan", "prepare", "default_jobs", "usable_cores"]

#: File in every published briefing folder: marks it as ours and holds the run summary.
MARKER = ".salto-briefing.json"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_REPORTS = PROJECT_ROOT / "reports"


@dataclass
class Options:
    """The command-line options (``None`` = not given)."""

    year: int | None = None
    data_dir: str | None = None
    out: str | None = None
    params: list[str] = field(default_factory=list)
    lang: str | None = None
    jobs: int | None = None
    only: list[str] | None = None
    timeout: int = 600
    start_timeout: int = 120
    briefing: str | None = None
    previous: str | None = None
    no_previous: bool = False


@dataclass
class Plan:
    """A checked run: what to execute with which parameters, and where to publish."""

    briefing: Briefing
    full_names: tuple[str, ...]
    parameters: dict[str, dict[str, object]]
    inputs: dict[str, dict[str, Path]]
    synthetic: dict[str, bool]
    year: int
    lang: str
    out: Path
    jobs: int
    timeout: int
    start_timeout: int
    details: dict
    #: Input frames already loaded while planning, by ``(kind, resolved path)`` (the runner caches them).
    loaded: dict = field(default_factory=dict, repr=False, compare=False)
    #: The previous year's published briefing, audited together with this one (issue 11), or ``None``.
    previous: Path | None = None

    @property
    def internal(self) -> Path:
        """The folder beside ``out`` for what is never published: the withheld rows' codes and the audit."""
        return self.out.parent / f"{self.out.name}-internal"

    @property
    def partial(self) -> bool:
        return len(self.briefing.notebooks) < len(self.full_names)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def default_jobs(n_notebooks: int) -> int:
    """The number of usable cores, at most the number of notebooks."""
    return max(1, min(usable_cores(), n_notebooks))


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BriefingError(f"--out {out} is a file; give a folder")
    if out.is_dir():
        content = {p.name for p in out.iterdir()}
        if content and MARKER not in content and not content <= {"_failed"}:
            raise BriefingError(
                f"--out {out} exists and is not a salto-briefing output folder (no {MARKER}); "
                "the runner replaces its output folder as a whole, so give a new or empty folder"
            )


def prepare(options: Options) -> Plan:
    """Check everything that can be checked without running a notebook."""
    full = load_briefing(options.briefing or DEFAULT_BRIEFING)
    briefing = full.select(options.only)
    if options.lang is not None:
        try:
            check_lang(options.lang)
        except ValueError as exc:
            raise BriefingError(f"--lang: {exc}") from None
    if options.timeout <= 0:
        raise BriefingError(f"--timeout {options.timeout} must be a positive number of seconds")
    if options.jobs is not None and options.jobs < 1:
        raise BriefingError(f"--jobs {options.jobs} must be at least 1")

    all_declared = {e.name: _parameters.declared_parameters(e.path) for e in full.notebooks}
    declared = {e.name: all_declared[e.name] for e in briefing.notebooks}
    files = [_parameters.load_params_file(p) for p in options.params]
    cli = {}
    if options.year is not None:
        cli["year"] = options.year
    if options.lang is not None:
        cli["lang"] = options.lang
    if options.data_dir is not None:
        cli["data_dir"] = str(Path(options.data_dir).expanduser().resolve())
    defaults = {"data_dir": str(DEFAULT_DATA_DIR), "lang": "nb"}
    resolved = _parameters.resolve_parameters(
        briefing, declared, files, defaults=defaults, options=cli, all_declared=all_declared
    )

    found: dict[str, dict[str, Path]] = {}
    for entry in briefing.notebooks:
        data_dir = resolved[entry.name].get("data_dir")
        found[entry.name] = _inputs.find_inputs(data_dir, entry.inputs) if data_dir else {}
    synthetic = {name: _inputs.is_synthetic(files_) for name, files_ in found.items()}

    latest: dict[str, int] = {}
    loaded: dict = {}

    def latest_year(data_dir: str) -> int:
        if data_dir not in latest:
            register = _inputs.find_inputs(data_dir, ["register"])["register"]
            latest[data_dir] = _inputs.latest_register_year(register, loaded)
        return latest[data_dir]

    for entry in briefing.notebooks:
        values = resolved[entry.name]
        if "year" in declared[entry.name] and values.get("year") in (None, 0):
            values["year"] = latest_year(values.get("data_dir") or str(DEFAULT_DATA_DIR))
    years = {v["year"] for v in resolved.values() if "year" in v}
    if options.year is not None:
        year = options.year
    elif len(years) == 1:
        year = years.pop()
    elif not years:
        year = latest_year(cli.get("data_dir", str(DEFAULT_DATA_DIR)))
    else:
        raise BriefingError(f"the notebooks run for different years {sorted(years)}; give --year")

    langs = {v["lang"] for v in resolved.values() if "lang" in v}
    lang = options.lang or (langs.pop() if len(langs) == 1 else "nb")

    out = Path(options.out).expanduser().resolve() if options.out else DEFAULT_REPORTS / str(year)
    _check_out(out)
    previous = _previous(options, out, int(year))
    jobs = min(options.jobs or default_jobs(len(briefing.notebooks)), len(briefing.notebooks))
    all_files = [p for files_ in found.values() for p in files_.values()]
    return Plan(
        briefing=briefing,
        full_names=full.names,
        parameters=resolved,
        inputs=found,
        synthetic=synthetic,
        year=int(year),
        lang=lang,
        out=out,
        jobs=jobs,
        timeout=options.timeout,
        start_timeout=options.start_timeout,
        details=provenance.collect(all_files, code_folder=briefing.folder),
        loaded=loaded,
        previous=previous,
    )


def _previous(options: Options, out: Path, year: int) -> Path | None:
    """``--previous``, checked; by default the folder of ``year − 1`` beside ``out`` when it holds a briefing."""
    if options.no_previous:
        return None
    if options.previous is not None:
        prev = Path(options.previous).expanduser().resolve()
        if not (prev / MARKER).is_file():
            raise BriefingError(f"--previous {prev} is not a salto-briefing output folder (no {MARKER}); give last "
                                "year's published briefing, or --no-previous")
        if prev == out:
            raise BriefingError(f"--previous {prev} is the same folder as --out")
        return prev
    guess = out.parent / str(year - 1)
    return guess if (guess / MARKER).is_file() and guess != out else None
