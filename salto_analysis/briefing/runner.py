"""Execute the briefing's notebooks with papermill and publish the result atomically.

Execution (``docs/conventions.md#running-the-notebooks``; the papermill issues behind each
choice are in ``docs/conventions.md#pitfalls-we-work-around``):

* papermill with ``cwd`` = the notebooks' folder, kernel ``python3``, a per-cell
  ``execution_timeout`` and a ``start_timeout`` (papermill #316, #251, #776);
* the kernel and its start-up are those of :mod:`salto_analysis.briefing.kernel`
  (this interpreter, a private ``ipc`` transport, ``SALTO_BRIEFING=1`` so that
  :func:`~salto_analysis.briefing.record` emits its payload, one retry of a
  failed start);
* notebooks run in parallel processes (``ProcessPoolExecutor``, spawn), each
  kernel limited to its share of the cores' library threads;
* a tqdm bar per notebook shows its cell progress on a terminal; elsewhere one
  line per finished notebook.

Failure (issue 7, item 3): the exit status is non-zero; the notebook, the
failing cell's number, the first lines of its source and the error are
printed; the failed executed notebook is kept in ``<out>/_failed/``; nothing is
published. Everything is written to a temporary folder beside ``<out>`` and
moved into place only when every page, the tables and the index are complete,
so the previous complete briefing stays intact until then.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from salto_analysis import labels
from salto_analysis.briefing import html, index, provenance, publish
from salto_analysis.briefing.kernel import ENGINE
from salto_analysis.briefing.plan import MARKER, Plan, usable_cores
from salto_analysis.briefing.records import MIMETYPE, from_payload

__all__ = [
    "SOURCE_LINES",
    "Task",
    "Outcome",
    "run_task",
    "collect_records",
    "run",
]

#: How many lines of the failing cell's source a failure report shows.
SOURCE_LINES = 6
_PAPERMILL_TAGS = ("injected-parameters", "papermill-error-cell-tag")


# --------------------------------------------------------------------------- one notebook


@dataclass
class Task:
    """Everything a worker process needs to run and export one notebook (picklable)."""

    name: str
    notebook: str
    cwd: str
    parameters: dict
    title: str
    subtitle: str
    lang: str
    synthetic: bool
    work_dir: str
    page: str
    position: int
    timeout: int
    start_timeout: int
    progress: bool
    details: dict


@dataclass
class Outcome:
    """What happened to one notebook."""

    name: str
    ok: bool
    executed: str
    page: str | None = None
    page_bytes: int = 0
    started: str = ""
    kernel_start: float = 0.0
    execute: float = 0.0
    export: float = 0.0
    records: list = field(default_factory=list)
    error: dict | None = None


def collect_records(nb: nbformat.NotebookNode) -> list[dict]:
    """The payloads of every :func:`~salto_analysis.briefing.record` call, in output order."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(MIMETYPE)
            if payload is not None:
                found.append(json.loads(payload) if isinstance(payload, str) else dict(payload))
    return found


def _failing_cell(nb: nbformat.NotebookNode) -> tuple[int | None, int | None, str]:
    """(1-based position in the source notebook, execution count, source) of the failing cell."""
    position, chosen = 0, None
    positions = {}
    for i, cell in enumerate(nb.cells):
        if set(cell.metadata.get("tags", [])) & set(_PAPERMILL_TAGS):
            continue
        position += 1
        positions[i] = position
        pm = cell.metadata.get("papermill", {})
        if pm.get("exception"):
            chosen = i
            break
        if pm.get("start_time") and cell.cell_type == "code":
            chosen = i  # the last cell that started (a timeout leaves no exception mark)
    if chosen is None:
        return None, None, ""
    cell = nb.cells[chosen]
    return positions[chosen], cell.get("execution_count"), cell.source


def _problem(kind: str, message: str) -> dict:
    """A failure that belongs to no cell (a record, the page, a worker)."""
    return {"kind": kind, "message": message, "cell": None, "execution_count": None, "source": "",
            "source_lines": 0}


def _error(kind: str, message: str, executed: Path) -> dict:
    position, count, source = (None, None, "")
    if executed.is_file():
        try:
            position, count, source = _failing_cell(nbformat.read(str(executed), as_version=4))
        except Exception:  # noqa: BLE001 - a half-written notebook must not hide the real error
            pass
    return {"kind": kind, "message": message, "cell": position, "execution_count": count,
            "source": "\n".join(source.splitlines()[:SOURCE_LINES]),
            "source_lines": len(source.splitlines())}


def _export(task: Task, nb: nbformat.NotebookNode, outcome: Outcome) -> None:
    """Collect the records of an executed notebook and write its page (sets ``outcome.error`` on a problem)."""
    records = collect_records(nb)
    names = [r["name"] for r in records]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        outcome.error = _problem("DuplicateRecord", f"record name(s) {duplicates} used more than once")
        return
    outcome.records = records
    synthetic = task.synthetic or any(r["attrs"].get("synthetic") is True for r in records)
    start = time.perf_counter()
    details_html = provenance.render(task.details, parameters={task.name: task.parameters},
                                     duration=outcome.kernel_start + outcome.execute, lang=task.lang)
    outcome.page_bytes = html.export_page(nb, task.page, title=task.title, subtitle=task.subtitle,
                                          lang=task.lang, synthetic=synthetic, run_details=details_html)
    outcome.export = time.perf_counter() - start
    outcome.page = task.page
    external = html.external_references(Path(task.page).read_text(encoding="utf-8"))
    if external:
        outcome.error = _problem("ExternalReference",
                                 f"the page would load {len(external)} resource(s) from another host, first: "
                                 f"{external[0]!r}; show figures with matplotlib, not JavaScript libraries")
    elif outcome.page_bytes > html.MAX_BYTES:
        outcome.error = _problem("PageTooLarge",
                                 f"the page is {outcome.page_bytes / 1e6:.1f} MB (limit {html.MAX_BYTES / 1e6:.1f} MB); "
                                 "use fewer or smaller figures (lower dpi) or shorter tables")


def run_task(task: Task) -> Outcome:
    """Execute one notebook, collect its records and export its page (runs in a worker)."""
    executed = Path(task.work_dir) / f"{task.name}.ipynb"
    outcome = Outcome(task.name, ok=False, executed=str(executed),
                      started=datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"))
    progress = {"desc": task.name, "position": task.position, "leave": True} if task.progress else False
    start = time.perf_counter()
    try:
        nb = papermill.execute_notebook(
            task.notebook, str(executed), parameters=task.parameters, engine_name=ENGINE,
            kernel_name="python3", cwd=task.cwd, progress_bar=progress,
            execution_timeout=task.timeout, start_timeout=task.start_timeout,
            request_save_on_cell_execute=False, failure_path=str(executed),
            kernel_log=str(executed.with_suffix(".kernel.log")),
        )
    except PapermillExecutionError as exc:
        outcome.error = _error(exc.ename, str(exc.evalue), executed)
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout is reported like a failing cell
        text = str(exc).strip().splitlines()
        outcome.error = _error(type(exc).__name__, text[-1] if text else repr(exc), executed)
    finally:
        elapsed = time.perf_counter() - start
        if executed.is_file():
            meta = nbformat.read(str(executed), as_version=4).metadata.get("salto_briefing", {})
            outcome.kernel_start = float(meta.get("kernel_start_seconds", 0.0))
        outcome.execute = max(elapsed - outcome.kernel_start, 0.0)
    if outcome.error:
        return outcome

    try:
        _export(task, nb, outcome)
    except Exception as exc:  # noqa: BLE001 - reported like a failing notebook, with the executed copy kept
        outcome.error = _problem(type(exc).__name__, f"while making the page: {exc}")
    outcome.ok = outcome.error is None
    return outcome


# --------------------------------------------------------------------------- the run


#: Thread-pool variables of the numerical libraries (OpenMP, OpenBLAS, MKL, numexpr).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _init_worker(lock, threads: int) -> None:
    """Share tqdm's lock, and give each kernel its share of the cores.

    With ``jobs`` kernels running at once, each library thread pool defaulting
    to every core would oversubscribe the machine; the kernels this worker
    starts inherit ``cores // jobs`` threads (variables the user set win).
    """
    from tqdm import tqdm

    tqdm.set_lock(lock)
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))


def _execute(tasks: list[Task], jobs: int, say) -> list[Outcome]:
    """Run the tasks, ``jobs`` at a time, in spawned worker processes (in-process for one job)."""
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        state = "ok    " if outcome.ok else "FAILED"
        say(f"  {state} {outcome.name}: kernel start {outcome.kernel_start:.1f} s, "
            f"cells {outcome.execute:.1f} s, HTML {outcome.export:.1f} s")

    if jobs == 1:
        for task in tasks:
            done(run_task(task))
        return outcomes
    ctx = multiprocessing.get_context("spawn")
    threads = max(1, usable_cores() // jobs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                             initargs=(ctx.RLock(), threads)) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                done(future.result())
            except (BrokenProcessPool, OSError) as exc:  # the worker itself died (out of memory, killed)
                done(Outcome(task.name, ok=False, executed="",
                             error=_problem(type(exc).__name__, f"the worker process died: {exc}")))
    order = {t.name: i for i, t in enumerate(tasks)}
    return sorted(outcomes, key=lambda o: order[o.name])


def _describe_failure(outcome: Outcome, notebook: Path, kept: Path | None) -> str:
    err = outcome.error or {}
    lines = [f"  notebook: {outcome.name} ({notebook})"]
    if err.get("cell"):
        count = err.get("execution_count")
        lines.append(f"  cell:     {err['cell']}" + (f" (In [{count}])" if count else ""))
    if err.get("source"):
        src = err["source"].splitlines()
        lines.append("  source:   | " + src[0])
        lines += ["            | " + s for s in src[1:]]
        if err.get("source_lines", 0) > len(src):
            lines.append(f"            | ... ({err['source_lines'] - len(src)} more line(s))")
    lines.append(f"  error:    {err.get('kind')}: {err.get('message')}")
    if kept:
        lines.append(f"  kept:     {kept}")
    return "\n".join(lines)


def _keep_failed(failed: list[Outcome], out: Path) -> dict[str, Path]:
    """Copy the failed executed notebooks (and their kernel's log, if it wrote one) to ``<out>/_failed/``."""
    target = out / "_failed"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    kept = {}
    for outcome in failed:
        src = Path(outcome.executed) if outcome.executed else None
        if src and src.is_file():
            kept[outcome.name] = shutil.copy2(src, target / src.name)
        log = src.with_suffix(".kernel.log") if src else None
        if log and log.is_file() and log.stat().st_size:
            shutil.copy2(log, target / log.name)
    return {k: Path(v) for k, v in kept.items()}


def _move_into_place(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames; restore ``out`` if the second fails."""
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp made it private; publish with the usual permissions
    previous = None
    if out.exists():
        previous = out.parent / f".{out.name}.previous-{os.getpid()}"
        os.replace(out, previous)
    try:
        os.replace(staging, out)
    except BaseException:
        if previous is not None:
            os.replace(previous, out)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def _report_failures(plan: Plan, failed: list[Outcome], total: int, stream) -> None:
    """Keep the failed notebooks in ``<out>/_failed/`` and print what failed where."""
    kept = _keep_failed(failed, plan.out)
    print(f"salto-briefing: FAILED - {len(failed)} of {total} notebook(s) did not complete; "
          "nothing was published.", file=stream)
    paths = {e.name: e.path for e in plan.briefing.notebooks}
    for outcome in failed:
        print(_describe_failure(outcome, paths[outcome.name], kept.get(outcome.name)), file=stream)
    print(f"The previous briefing in {plan.out} (if any) was left as it was.", file=stream, flush=True)


def _publish(plan: Plan, outcomes: list[Outcome], staging: Path, wall: float) -> None:
    """Write the tables, the index and the run summary into ``staging``."""
    lang = plan.lang
    tables = {o.name: [from_payload(r) for r in o.records] for o in outcomes}
    files = publish.write_tables(tables, staging / "tables", lang=lang, briefing_title=plan.briefing.title[lang])
    index.write_index(staging / "index.html", plan, outcomes=outcomes, tables=tables, duration=wall)
    shutil.rmtree(staging / "_work")
    summary = {
        "year": plan.year, "lang": lang, "jobs": plan.jobs, "started": plan.details["started"],
        "wall_seconds": round(wall, 3), "git": plan.details["git"], "partial": plan.partial,
        "tables": [str(p.relative_to(staging)) for p in files],
        "notebooks": [{k: v for k, v in asdict(o).items() if k not in ("records", "executed", "page")}
                      | {"page": Path(o.page).name} for o in outcomes],
    }
    (staging / MARKER).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def run(plan: Plan, *, progress: bool | None = None, stream=None) -> int:
    """Execute ``plan``; publish into ``plan.out`` on full success. Returns the exit status."""
    stream = stream or sys.stderr
    progress = stream.isatty() if progress is None else progress

    held: list[str] = []  # with progress bars on screen, the per-notebook lines wait for the end

    def say(text: str) -> None:
        if progress:
            held.append(text)
        else:
            print(text, file=stream, flush=True)

    wall_start = time.perf_counter()
    out = plan.out
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    work = staging / "_work"
    work.mkdir()
    lang = plan.lang
    subtitle = labels.t("briefing.reporting_year", lang, year=plan.year)
    tasks = [
        Task(
            name=e.name, notebook=str(e.path), cwd=str(plan.briefing.folder), parameters=plan.parameters[e.name],
            title=e.title[lang], subtitle=subtitle, lang=lang, synthetic=plan.synthetic[e.name],
            work_dir=str(work), page=str(staging / f"{e.name}.html"), position=i, timeout=plan.timeout,
            start_timeout=plan.start_timeout, progress=progress, details=plan.details,
        )
        for i, e in enumerate(plan.briefing.notebooks)
    ]
    print(f"salto-briefing: {len(tasks)} notebook(s), year {plan.year}, lang {lang}, "
          f"{plan.jobs} job(s) -> {out}", file=stream, flush=True)
    try:
        outcomes = _execute(tasks, plan.jobs, say)
        if progress:
            print("\n".join(["", *held]), file=stream, flush=True)
        failed = [o for o in outcomes if not o.ok]
        if failed:
            _report_failures(plan, failed, len(outcomes), stream)
            return 1
        try:
            _publish(plan, outcomes, staging, time.perf_counter() - wall_start)
        except (ValueError, OSError) as exc:
            print(f"salto-briefing: FAILED while publishing: {exc}\nNothing was published; "
                  f"the previous briefing in {out} (if any) was left as it was.", file=stream, flush=True)
            return 1
        _move_into_place(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    print(f"salto-briefing: done in {time.perf_counter() - wall_start:.1f} s -> {out / 'index.html'}",
          file=stream, flush=True)
    return 0
