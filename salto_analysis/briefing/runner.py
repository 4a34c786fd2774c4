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
  line per finished notebook;
* each worker makes its notebook's page and checks and writes its CSV files
  (:func:`~salto_analysis.briefing.publish.write_notebook_csvs`) as soon as
  the notebook is done, so the end of the run only writes the workbook and
  the index.

Inputs (issue 10): before the notebooks need them, the runner loads and
validates each input file once and stores the frames in ``_inputs/`` of its
temporary folder; the kernels get that folder in ``SALTO_INPUT_CACHE``, and
:mod:`salto_analysis.io` takes a frame from it only for the same file, content
and loader version (:mod:`salto_analysis.io.cache`).

Failure (issue 7, item 3): the exit status is non-zero; the notebook, the
failing cell's number, the first lines of its source and the error are
printed; the failed executed notebook is kept in ``<out>/_failed/``; nothing is
published. Everything is written to a temporary folder beside ``<out>`` and
moved into place only when every page, the tables and the index are complete,
so the previous complete briefing stays intact until then. Also (issue 13):

* one run at a time per output folder (:mod:`salto_analysis.briefing.lock`);
* a kernel that dies fails its notebook like an error in a cell;
* SIGINT or SIGTERM stops the run: the workers interrupt their notebooks
  (the kernels are shut down, the partly executed notebooks kept in
  ``_failed/``), the temporary folder is removed and the exit status is
  128 + the signal's number; a signal during the final swap waits for it;
* an output folder that cannot be written (read-only, full) gives one line
  naming the path; nothing is published;
* an input file whose SHA-256 at the end differs from the start is named and
  nothing is published.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import CancelledError, ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

from salto_analysis.briefing.startup import skip_unused_imports

skip_unused_imports()  # before nbformat: a worker process starts by importing this module

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from salto_analysis import labels
from salto_analysis.briefing import html, index, inputs, lock, provenance, publish
from salto_analysis.briefing.kernel import ENGINE
from salto_analysis.briefing.plan import MARKER, Plan, usable_cores
from salto_analysis.briefing.records import MIMETYPE, from_payload
from salto_analysis.continuity import NOTEBOOK_ENV, PREVIOUS_ENV
from salto_analysis.io.cache import ENV_VAR as CACHE_ENV

__all__ = [
    "SOURCE_LINES",
    "STOP_GRACE",
    "WRITE_ERRNOS",
    "Task",
    "Outcome",
    "run_task",
    "collect_records",
    "run",
]

#: How many lines of the failing cell's source a failure report shows.
SOURCE_LINES = 6
#: Seconds an interrupted run waits for its notebooks to stop (kernels shut down) before killing the workers.
STOP_GRACE = 60
#: ``errno`` values that mean "this folder cannot be written": reported in one line naming the path.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EIO})
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
    kernel_env: dict = field(default_factory=dict)


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
    #: The recorded tables as published (DataFrames) and their CSV files, once the page is made.
    tables: list = field(default_factory=list)
    csv_files: list = field(default_factory=list)


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


def _problem(kind: str, message: str, exc: BaseException | None = None) -> dict:
    """A failure that belongs to no cell (a record, the page, a worker); an OSError's errno and path kept."""
    found = {"kind": kind, "message": message, "cell": None, "execution_count": None, "source": "",
             "source_lines": 0}
    if isinstance(exc, OSError) and exc.errno is not None:
        found.update(errno=exc.errno, path=exc.filename, strerror=exc.strerror)
    return found


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
    if outcome.error:
        return
    # the published tables of this page: checked and written as CSV here, while other notebooks run
    outcome.tables = [from_payload(r) for r in records]
    try:
        folder = Path(task.page).parent / "tables"  # beside the page, in the run's temporary folder
        outcome.csv_files = [str(p) for p in publish.write_notebook_csvs(task.name, outcome.tables, folder)]
    except ValueError as exc:
        outcome.error = _problem("UnpublishableTable", str(exc))


#: State of a worker process: its stop event, whether a notebook runs, whether a stop was asked.
_WORKER: dict = {"stop": None, "running": False, "stopping": False}
INTERRUPTED = "Interrupted"


def run_task(task: Task) -> Outcome:
    """Execute one notebook, collect its records and export its page (runs in a worker).

    An interrupt (``KeyboardInterrupt``, which the runner's signal handlers
    raise) ends the notebook as a failure of kind ``Interrupted``; the kernel
    is shut down on the way out and the partly executed notebook kept.
    """
    executed = Path(task.work_dir) / f"{task.name}.ipynb"
    stop = _WORKER["stop"]
    if _WORKER["stopping"] or (stop is not None and stop.is_set()):
        return Outcome(task.name, ok=False, executed="",
                       error=_problem(INTERRUPTED, "not started: the run was interrupted"))
    _WORKER["running"] = True
    outcome = Outcome(task.name, ok=False, executed=str(executed),
                      started=datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"))
    try:
        _run_task(task, executed, outcome)
    except KeyboardInterrupt:
        outcome.ok = False
        outcome.error = _error(INTERRUPTED, "the run was interrupted while this notebook ran", executed)
    finally:
        _WORKER["running"] = False
    return outcome


def _run_task(task: Task, executed: Path, outcome: Outcome) -> None:
    progress = {"desc": task.name, "position": task.position, "leave": True} if task.progress else False
    start = time.perf_counter()
    nb = None
    try:
        nb = papermill.execute_notebook(
            task.notebook, str(executed), parameters=task.parameters, engine_name=ENGINE,
            kernel_name="python3", cwd=task.cwd, progress_bar=progress,
            execution_timeout=task.timeout, start_timeout=task.start_timeout,
            request_save_on_cell_execute=False, failure_path=str(executed),
            kernel_log=str(executed.with_suffix(".kernel.log")), kernel_env=task.kernel_env,
        )
    except PapermillExecutionError as exc:
        outcome.error = _error(exc.ename, str(exc.evalue), executed)
    except Exception as exc:  # noqa: BLE001 - a dead kernel or a timeout is reported like a failing cell
        text = str(exc).strip().splitlines()
        outcome.error = _error(type(exc).__name__, text[-1] if text else repr(exc), executed)
        if isinstance(exc, OSError) and exc.errno is not None:
            outcome.error.update(errno=exc.errno, path=exc.filename, strerror=exc.strerror)
    finally:
        elapsed = time.perf_counter() - start
        try:  # the engine's timing; from the file only when execution stopped (no notebook returned)
            source = nb if nb is not None else nbformat.read(str(executed), as_version=4)
            outcome.kernel_start = float(source.metadata.get("salto_briefing", {}).get("kernel_start_seconds", 0.0))
        except Exception:  # noqa: BLE001 - missing or half-written: the timing is only informative
            pass
        outcome.execute = max(elapsed - outcome.kernel_start, 0.0)
    if outcome.error:
        return

    try:
        _export(task, nb, outcome)
    except Exception as exc:  # noqa: BLE001 - reported like a failing notebook, with the executed copy kept
        outcome.error = _problem(type(exc).__name__, f"while making the page: {exc}", exc)
    outcome.ok = outcome.error is None


# --------------------------------------------------------------------------- the run


#: Thread-pool variables of the numerical libraries (OpenMP, OpenBLAS, MKL, numexpr).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _init_worker(tqdm_lock, threads: int) -> None:
    """Share tqdm's lock, and give each kernel its share of the cores.

    With ``jobs`` kernels running at once, each library thread pool defaulting
    to every core would oversubscribe the machine; the kernels this worker
    starts inherit ``cores // jobs`` threads (variables the user set win).
    """
    from tqdm import tqdm

    tqdm.set_lock(tqdm_lock)
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))


def _interrupted(outcome: Outcome) -> bool:
    return (outcome.error or {}).get("kind") == INTERRUPTED


def _worker_signal(signum, frame) -> None:
    """SIGINT/SIGTERM in a worker: interrupt the running notebook once; later signals are ignored."""
    if _WORKER["stopping"]:
        return
    _WORKER["stopping"] = True
    if _WORKER["running"]:
        raise KeyboardInterrupt


def _start_worker(tqdm_lock, threads: int, stop, pids) -> None:
    """Initializer of a worker process: :func:`_init_worker`, the stop event, signal handlers, pid."""
    _init_worker(tqdm_lock, threads)
    _WORKER["stop"] = stop
    signal.signal(signal.SIGINT, _worker_signal)
    signal.signal(signal.SIGTERM, _worker_signal)
    pids.put(os.getpid())


def _execute(tasks: list[Task], jobs: int, say, *, before_wait=None, stopped=lambda: False) -> list[Outcome]:
    """Run the tasks, ``jobs`` at a time, in spawned worker processes (in-process for one job).

    ``before_wait`` runs once the tasks are handed to the workers (the input
    cache is filled while they start their kernels). On ``KeyboardInterrupt``
    (or when ``stopped()`` turns true between notebooks) no new notebook
    starts, the workers are asked to stop theirs, and the outcomes so far are
    returned, the interrupted ones included.
    """
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if not outcome.ok and not outcome.executed:
            say(f"  {'STOPPED' if _interrupted(outcome) else 'FAILED'} {outcome.name}: "
                f"{(outcome.error or {}).get('message')}")
            return
        state = "ok    " if outcome.ok else "STOPPED" if _interrupted(outcome) else "FAILED"
        say(f"  {state} {outcome.name}: kernel start {outcome.kernel_start:.1f} s, "
            f"cells {outcome.execute:.1f} s, HTML {outcome.export:.1f} s")

    if jobs == 1:
        try:
            if before_wait:
                before_wait()
            for task in tasks:
                if stopped():
                    break
                done(run_task(task))
        except KeyboardInterrupt:
            pass
        return outcomes

    ctx = multiprocessing.get_context("spawn")
    threads = max(1, usable_cores() // jobs)
    stop, pids = ctx.Event(), ctx.SimpleQueue()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_start_worker,
                               initargs=(ctx.RLock(), threads, stop, pids))
    futures: dict = {}
    collected: set = set()

    def collect(future) -> None:
        if future in collected:
            return
        collected.add(future)
        task = futures[future]
        try:
            done(future.result())
        except CancelledError:
            pass
        except (BrokenProcessPool, OSError) as exc:  # the worker itself died (out of memory, killed)
            done(Outcome(task.name, ok=False, executed="",
                         error=_problem(type(exc).__name__, f"the worker process died: {exc}")))

    try:
        futures = {pool.submit(run_task, task): task for task in tasks}
        if before_wait:
            before_wait()
        for future in as_completed(futures):
            collect(future)
    except KeyboardInterrupt:
        _stop_workers(futures, stop, pids, collect)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    order = {t.name: i for i, t in enumerate(tasks)}
    return sorted(outcomes, key=lambda o: order[o.name])


def _stop_workers(futures: dict, stop, pids, collect) -> None:
    """Cancel the queued notebooks, interrupt the running ones and collect what they report."""
    stop.set()  # a worker picking up a queued notebook from now on does not start it
    for future in futures:
        future.cancel()
    workers = []
    while not pids.empty():
        workers.append(pids.get())
    for pid in workers:
        try:
            os.kill(pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
    running = [f for f in futures if not f.cancelled()]
    finished, late = wait(running, timeout=STOP_GRACE)
    for future in finished:
        collect(future)
    if late:  # a notebook that does not stop: end its worker (its kernel may be left running)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


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


def _left_as_it_was(out: Path) -> str:
    return f"the previous briefing in {out} (if any) was left as it was"


def _cannot_write(path, exc: OSError) -> str:
    """``cannot write <path>: <reason>`` for an OSError (its own file name when it has one)."""
    where = exc.filename or path
    return f"cannot write {where}: {exc.strerror or exc}"


def _unwritable(out: Path) -> str | None:
    """Why the run could not replace ``out`` (a read-only or foreign-owned folder), or ``None``.

    The parent must take the temporary folder and the renames; an existing
    ``out`` must let its old content be removed after the swap and take
    ``_failed/``. A read-only file system refuses every writer, root included.
    """
    folders = [out.parent]
    if out.is_dir():
        folders += [out, *(p for p in out.iterdir() if p.is_dir() and not p.is_symlink())]
    for folder in folders:
        if not os.access(folder, os.W_OK | os.X_OK):
            try:
                readonly = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
            except (OSError, AttributeError):
                readonly = False
            why = "read-only file system" if readonly else "permission denied"
            return f"cannot write into {folder} ({why}); make it writable or give another --out"
    return None


def _write_failure(outcomes: list[Outcome]) -> dict | None:
    """The first failure that is the output folder's (it could not be written), if any."""
    for outcome in outcomes:
        err = outcome.error or {}
        if err.get("errno") in WRITE_ERRNOS:
            return err
    return None


def _report_failures(plan: Plan, failed: list[Outcome], total: int, stream) -> None:
    """Keep the failed notebooks in ``<out>/_failed/`` and print what failed where."""
    try:
        kept = _keep_failed(failed, plan.out)
        not_kept = None
    except OSError as exc:
        kept, not_kept = {}, _cannot_write(plan.out / "_failed", exc)
    print(f"salto-briefing: FAILED - {len(failed)} of {total} notebook(s) did not complete; "
          "nothing was published.", file=stream)
    paths = {e.name: e.path for e in plan.briefing.notebooks}
    for outcome in failed:
        print(_describe_failure(outcome, paths[outcome.name], kept.get(outcome.name)), file=stream)
    if not_kept:
        print(f"The failed notebooks could not be kept: {not_kept}.", file=stream)
    print(f"The previous briefing in {plan.out} (if any) was left as it was.", file=stream, flush=True)


def _report_interrupt(plan: Plan, outcomes: list[Outcome], signum: int, stream) -> int:
    """Keep the interrupted notebooks in ``<out>/_failed/``; one line; status 128 + signal number."""
    stopped = [o for o in outcomes if not o.ok and o.executed and Path(o.executed).is_file()]
    kept = {}
    if stopped:
        try:
            kept = _keep_failed(stopped, plan.out)
        except OSError:
            kept = {}
    name = signal.Signals(signum).name
    where = f"; the interrupted notebook(s) are kept in {plan.out / '_failed'}" if kept else ""
    print(f"salto-briefing: INTERRUPTED by {name} - nothing was published; {_left_as_it_was(plan.out)}{where}.",
          file=stream, flush=True)
    return 128 + signum


def _publish(plan: Plan, outcomes: list[Outcome], staging: Path, wall: float) -> None:
    """Write the tables, the index and the run summary into ``staging``."""
    lang = plan.lang
    tables = {o.name: o.tables for o in outcomes}  # their CSV files are written already (:func:`_export`)
    files = [Path(p) for o in outcomes for p in o.csv_files]
    files.append(publish.write_tables_workbook(tables, staging / "tables", lang=lang,
                                               briefing_title=plan.briefing.title[lang]))
    index.write_index(staging / "index.html", plan, outcomes=outcomes, tables=tables, duration=wall)
    shutil.rmtree(staging / "_work")
    shutil.rmtree(staging / INPUT_CACHE, ignore_errors=True)
    hidden = ("records", "executed", "page", "tables", "csv_files")
    summary = {
        "year": plan.year, "lang": lang, "jobs": plan.jobs, "started": plan.details["started"],
        "wall_seconds": round(wall, 3), "git": plan.details["git"], "partial": plan.partial,
        "tables": [str(p.relative_to(staging)) for p in files],
        "notebooks": [{f.name: getattr(o, f.name) for f in fields(o) if f.name not in hidden}
                      | {"page": Path(o.page).name} for o in outcomes],
    }
    (staging / MARKER).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _audit(plan: Plan, outcomes: list[Outcome], staging: Path, say) -> str | None:
    """Audit the published files in ``staging`` as an attacker would (fail closed, issue 11).

    Writes the withheld rows' full codes (:func:`salto_analysis.audit.write_internal`) and the
    audit report into :attr:`Plan.internal`, beside the output folder and never in it, then
    runs :func:`salto_analysis.audit.audit` on what a reader gets, together with the previous
    year's briefing when there is one. Returns a one-line description of what is exposed,
    or ``None`` when nothing is.
    """
    from salto_analysis.audit import INTERNAL_FILE, audit, write_internal

    if not any((staging / "tables").glob("*__*.csv")):
        say("disclosure audit: no table was published, nothing to audit")
        return None
    started = time.perf_counter()
    plan.internal.mkdir(parents=True, exist_ok=True)
    codes = {f"{o.name}__{t.attrs['record_name']}.csv": t.attrs.get("internal_flag_reason")
             for o in outcomes for t in o.tables}
    internal = write_internal(staging, {k: v for k, v in codes.items() if v is not None},
                              plan.internal / INTERNAL_FILE)
    report = audit(staging, previous=plan.previous, internal=internal)
    text = report.text().replace(str(staging), str(plan.out))  # the folder it is published as
    (plan.internal / "audit.txt").write_text(text + "\n", encoding="utf-8")
    say(f"disclosure audit: {sum(p.withheld_tried for p in report.pages)} withheld cells and "
        f"{sum(p.derived_tried for p in report.pages)} derived counts checked"
        + (f" with the previous briefing {plan.previous}" if plan.previous else "")
        + f", {len(report.exposed)} exposed ({time.perf_counter() - started:.1f} s)")
    if report.ok:
        return None
    first = (report.exposed or report.undecided)[0]
    more = len(report.exposed) + len(report.undecided) - 1
    return f"{first.line()}" + (f" and {more} more" if more > 0 else "")


#: Folder of the shared input cache inside the run's temporary folder.
INPUT_CACHE = "_inputs"


def _input_files(plan: Plan) -> list[tuple[str, Path]]:
    """Each ``(kind, path)`` some notebook of the plan reads, once."""
    files = {}
    for found in plan.inputs.values():
        for kind, path in found.items():
            files.setdefault((kind, str(Path(path).resolve())), Path(path))
    return [(kind, path) for (kind, _), path in files.items()]


def _fill_input_cache(plan: Plan, folder: Path, markers: dict, say) -> None:
    """Load each input file of the plan once and store it for the notebooks (see :mod:`salto_analysis.io.cache`)."""
    start = time.perf_counter()
    files = _input_files(plan)
    if not files:
        plan.loaded.clear()
        return
    states = inputs.cache_inputs(files, folder, plan.loaded, markers)
    plan.loaded.clear()  # a frame no notebook of this run reads (--only) is not kept either
    shared = [p.name for p, state in states.items() if state == "cached"]
    other = [p.name for p, state in states.items() if state != "cached"]
    text = f"  inputs: {', '.join(shared) or 'none'} loaded once for all notebooks ({time.perf_counter() - start:.1f} s)"
    if other:
        text += f"; read by each notebook: {', '.join(other)}"
    say(text)


class _Signals:
    """SIGINT and SIGTERM while a run is on (main thread only).

    The first signal raises ``KeyboardInterrupt`` where the main thread is,
    so that the run stops and cleans up; later ones are only noted, so the
    clean-up itself is not cut short. Inside :meth:`deferred` (the final
    swap) a signal is noted and the swap completes.
    """

    def __init__(self):
        self.received: int | None = None
        self._defer = False
        self._previous: dict = {}

    def _handle(self, signum, frame) -> None:
        if self.received is not None:
            return
        self.received = signum
        if not self._defer:
            raise KeyboardInterrupt

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    @contextmanager
    def deferred(self):
        self._defer = True
        try:
            yield
        finally:
            self._defer = False


def run(plan: Plan, *, progress: bool | None = None, stream=None) -> int:
    """Execute ``plan``; publish into ``plan.out`` on full success. Returns the exit status.

    0: published; 1: a notebook failed, the output folder could not be
    written, or an input changed during the run; 2: nothing was run (another
    run holds the output folder, or it cannot be written); 128 + n: stopped
    by signal n (130 for SIGINT, 143 for SIGTERM).
    """
    stream = stream or sys.stderr
    out = plan.out
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        held = lock.acquire(out)
    except lock.LockError as exc:
        print(f"salto-briefing: error: {exc}; nothing was run.", file=stream, flush=True)
        return 2
    except OSError as exc:
        print(f"salto-briefing: error: {_cannot_write(out.parent, exc)}; nothing was run.", file=stream, flush=True)
        return 2
    if held.note:
        print(f"salto-briefing: note: {held.note}.", file=stream, flush=True)
    try:
        with _Signals() as signals:
            return _run(plan, progress, stream, signals)
    finally:
        held.release()


def _run(plan: Plan, progress: bool | None, stream, signals: _Signals) -> int:
    progress = stream.isatty() if progress is None else progress
    held: list[str] = []  # with progress bars on screen, the per-notebook lines wait for the end

    def say(text: str) -> None:
        if progress:
            held.append(text)
        else:
            print(text, file=stream, flush=True)

    wall_start = time.perf_counter()
    out = plan.out
    problem = _unwritable(out)
    if problem:
        print(f"salto-briefing: error: {problem}; nothing was run.", file=stream, flush=True)
        return 2
    staging = None
    outcomes: list[Outcome] = []
    try:
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
            work = staging / "_work"
            work.mkdir()
            cache = staging / INPUT_CACHE
            cache.mkdir()
        except OSError as exc:
            print(f"salto-briefing: error: {_cannot_write(out.parent, exc)}; nothing was run.", file=stream,
                  flush=True)
            return 2
        lang = plan.lang
        subtitle = labels.t("briefing.reporting_year", lang, year=plan.year)
        kernel_env = {CACHE_ENV: str(cache)}
        if plan.previous is not None:  # last year's withheld cells stay withheld (salto_analysis.continuity)
            kernel_env[PREVIOUS_ENV] = str(plan.previous)
        tasks = [
            Task(
                name=e.name, notebook=str(e.path), cwd=str(plan.briefing.folder),
                parameters=plan.parameters[e.name], title=e.title[lang], subtitle=subtitle, lang=lang,
                synthetic=plan.synthetic[e.name], work_dir=str(work), page=str(staging / f"{e.name}.html"),
                position=i, timeout=plan.timeout, start_timeout=plan.start_timeout, progress=progress,
                details=plan.details, kernel_env={**kernel_env, NOTEBOOK_ENV: e.name},
            )
            for i, e in enumerate(plan.briefing.notebooks)
        ]
        print(f"salto-briefing: {len(tasks)} notebook(s), year {plan.year}, lang {lang}, "
              f"{plan.jobs} job(s) -> {out}", file=stream, flush=True)
        # the entries about to be made are announced first, so a notebook that asks early waits for them
        markers = inputs.announce_inputs(_input_files(plan), cache, plan.details)

        def before_wait() -> None:  # the main process's work while the workers start their kernels
            _fill_input_cache(plan, cache, markers, say)
            import openpyxl  # noqa: F401 - imported now rather than when the workbook is written at the end

        outcomes = _execute(tasks, plan.jobs, say, before_wait=before_wait,
                            stopped=lambda: signals.received is not None)
        if progress:
            print("\n".join(["", *held]), file=stream, flush=True)
        if signals.received is not None:
            return _report_interrupt(plan, outcomes, signals.received, stream)
        failed = [o for o in outcomes if not o.ok]
        unwritable = _write_failure(failed)
        if unwritable:
            where = unwritable.get("path") or f"into {out.parent}"
            print(f"salto-briefing: FAILED - cannot write {where}: {unwritable.get('strerror')}; "
                  f"nothing was published; {_left_as_it_was(out)}.", file=stream, flush=True)
            return 1
        if failed:
            _report_failures(plan, failed, len(outcomes), stream)
            return 1
        try:
            _publish(plan, outcomes, staging, time.perf_counter() - wall_start)
        except OSError as exc:
            print(f"salto-briefing: FAILED while publishing - {_cannot_write(staging, exc)}; nothing was published; "
                  f"{_left_as_it_was(out)}.", file=stream, flush=True)
            return 1
        except ValueError as exc:
            print(f"salto-briefing: FAILED while publishing: {exc}\nNothing was published; "
                  f"{_left_as_it_was(out)}.", file=stream, flush=True)
            return 1
        exposed = _audit(plan, outcomes, staging, say)
        if exposed:
            print(f"salto-briefing: FAILED the disclosure audit - {exposed}; nothing was published; "
                  f"{_left_as_it_was(out)}. The audit report is in {plan.internal}.", file=stream, flush=True)
            return 1
        changed = provenance.changed_inputs(plan.details)
        if changed:
            print(f"salto-briefing: FAILED - input file {'; '.join(changed)} changed while the briefing ran, so the "
                  f"pages may mix two versions of the data; nothing was published; {_left_as_it_was(out)}. "
                  "Run the briefing again once the data folder is complete.", file=stream, flush=True)
            return 1
        try:
            with signals.deferred():
                _move_into_place(staging, out)
        except OSError as exc:
            print(f"salto-briefing: FAILED - {_cannot_write(out, exc)}; nothing was published; "
                  f"{_left_as_it_was(out)}.", file=stream, flush=True)
            return 1
    except KeyboardInterrupt:  # between the notebooks and the swap (tables, index)
        return _report_interrupt(plan, outcomes, signals.received or signal.SIGINT, stream)
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    print(f"salto-briefing: done in {time.perf_counter() - wall_start:.1f} s -> {out / 'index.html'}",
          file=stream, flush=True)
    return 0
