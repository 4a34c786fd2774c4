"""What the benchmark scripts share: timing, a child process's peak memory, the national data.

* :func:`timed` times repeated calls of one function (wall and CPU seconds, optional warm-up
  and garbage collection before each call); :func:`alternate` times several functions in
  turn, so that a change in the machine's load during the run hits them all alike.
* :func:`run_python` runs code in a fresh interpreter and returns the JSON it prints last and
  its peak resident memory (``ru_maxrss`` from ``os.wait4``: interpreter, imports, data and
  computation of that process only).
* :func:`load_inputs` loads input files with :mod:`salto_analysis.io` and times the load.
* :func:`ensure_national` generates the national-scale synthetic data
  (``python -m salto_analysis.synth --scale national`` into ``benchmarks/_data/national/``)
  when it is missing; :func:`national_command` is the command recorded in its manifest.

Standard library only. A script run as ``python benchmarks/bench_<area>.py`` imports it as
``_common``; child code run with ``cwd`` the repository root (as :func:`run_python` does)
imports it as ``benchmarks._common``.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
NATIONAL = DATA / "national"
PY = sys.executable


@dataclass
class Timing:
    """Seconds of repeated calls: ``wall`` (``time.perf_counter``), ``cpu`` (``time.process_time``), last ``result``."""

    wall: list[float]
    cpu: list[float]
    result: object

    @property
    def median(self) -> float:
        """Median wall-clock seconds."""
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        """Median CPU seconds of this process."""
        return statistics.median(self.cpu)


def timed(fn: Callable[[], object], repeats: int, *, warmup: bool = False, collect: bool = False) -> Timing:
    """Call ``fn()`` ``repeats`` times and time each call.

    ``warmup`` makes one untimed call first (caches, lazy imports); ``collect`` runs
    ``gc.collect()`` before each timed call so that no call pays for another's garbage.
    """
    if repeats < 1:
        raise ValueError(f"repeats={repeats!r} must be at least 1")
    result = fn() if warmup else None
    wall, cpu = [], []
    for _ in range(repeats):
        if collect:
            gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return Timing(wall, cpu, result)


def alternate(methods: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each of ``methods``, called in turn ``repeats`` rounds (one call each per round)."""
    if repeats < 1:
        raise ValueError(f"repeats={repeats!r} must be at least 1")
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(repeats):
        for name, fn in methods.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def run_python(code: str, *args: str, label: str = "benchmark child") -> tuple[dict, float]:
    """Run ``code`` in a fresh interpreter (``python -c code *args``, ``cwd`` the repository root).

    Returns the JSON object the child prints on its last line of standard output and the
    child's peak resident memory in MB (``ru_maxrss`` of that process from ``os.wait4``;
    Linux reports kilobytes). Standard error goes to a temporary file, so a chatty child
    cannot block on a full pipe; a child that fails raises ``RuntimeError`` with ``label``
    and its standard error.
    """
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([PY, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{label} failed (exit {proc.returncode}):\n{err.read()}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def load_inputs(folder: str | Path, *kinds: str) -> tuple[list, float]:
    """The inputs of ``kinds`` ("register", "population", "survey") in ``folder``, and the seconds to load them.

    Each is found with ``salto_analysis.io.find_input`` and read with its ``io.load_<kind>``, as
    the notebooks do; the seconds (``time.perf_counter``) cover finding and reading, not importing.
    """
    from salto_analysis import io

    t0 = time.perf_counter()
    frames = [getattr(io, f"load_{kind}")(io.find_input(folder, kind)) for kind in kinds]
    return frames, time.perf_counter() - t0


def ensure_national(*files: str) -> Path:
    """The national-scale data folder, generated first if its manifest or any of ``files`` is missing."""
    needed = ("manifest.json", *files)
    if not all((NATIONAL / f).is_file() for f in needed):
        cmd = [PY, "-m", "salto_analysis.synth", "--scale", "national"]
        print(f"generating the national-scale data in {NATIONAL} ({' '.join(cmd[1:])}) ...", flush=True)
        subprocess.run(cmd, cwd=ROOT, check=True)
    return NATIONAL


def national_command() -> str:
    """The command that made the national-scale data, as its manifest records it ("unknown" without one)."""
    manifest = NATIONAL / "manifest.json"
    return json.loads(manifest.read_text())["command"] if manifest.exists() else "unknown"
