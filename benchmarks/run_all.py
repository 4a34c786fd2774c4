"""Run the benchmark scripts ``benchmarks/bench_*.py`` one after another (``make bench``).

Each script runs as its own subprocess (``python benchmarks/bench_<name>.py ...``) from
the repository root, with its output shown as it comes. At the end a summary table lists
every script with the options it was given, its wall time and its exit code; the exit
code of this runner is 0 when every script exited 0, else 1.

Options given to the scripts
    Every script documents its options in ``--help`` (argparse); the runner reads that
    help first and passes a script only options it documents:

    * **quick** (the default): the options in :data:`QUICK` that skip a script's slowest,
      optional part (the national-scale files where the script can skip them, the R
      peer), so that ``make bench`` finishes in a reasonable time. ``--full`` runs each
      script with its own defaults instead, as the figures in ``benchmarks/README.md``
      were made;
    * ``--repeats N``: the number of timed runs, passed under the name the script uses
      (the first of :data:`REPEAT_OPTIONS` its help lists). Some scripts set a minimum
      (``bench_survey.py``: 5) and say so when given less;
    * anything after ``--`` is passed to every selected script whose help lists it.

Examples::

    .venv/bin/python benchmarks/run_all.py                  # all scripts, quick options
    .venv/bin/python benchmarks/run_all.py --only io --only overlap --repeats 3
    .venv/bin/python benchmarks/run_all.py --full           # as in benchmarks/README.md
    .venv/bin/python benchmarks/run_all.py --list           # what would run, and how
    make bench ARGS="--only survey -- --json /tmp/survey.json"
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Options of a quick run, by script name: they skip an optional slow part of the script.
QUICK: dict[str, tuple[str, ...]] = {
    "io": ("--skip-national",),  # sample register only (the 2,000,000-row file is generated when absent)
    "synth": ("--skip-national",),  # sample scale only (national generation takes minutes)
    "survey": ("--skip-r",),  # R's survey package is a peer, not a dependency
}
#: Names scripts use for the number of timed runs, in order of preference.
REPEAT_OPTIONS: tuple[str, ...] = ("--repeats", "--repeat", "--rounds")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


@dataclass
class Bench:
    """One benchmark script: its name (``io`` for ``bench_io.py``), path and documented options."""

    name: str
    path: Path
    options: set[str] = field(default_factory=set)
    args: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    returncode: int | None = None
    seconds: float = float("nan")


def discover(folder: Path) -> list[Bench]:
    """The ``bench_*.py`` scripts of ``folder``, sorted by name."""
    return [Bench(p.stem.removeprefix("bench_"), p) for p in sorted(folder.glob("bench_*.py"))]


def documented_options(bench: Bench, timeout: float = 300) -> set[str]:
    """The long options a script lists in its ``--help``; raises ``RuntimeError`` if ``--help`` fails."""
    proc = subprocess.run([sys.executable, str(bench.path), "--help"], cwd=bench.path.parents[1],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{bench.path.name} --help exited {proc.returncode}: {last}")
    return set(_OPTION.findall(proc.stdout)) - {"--help"}


def _split_extra(extra: list[str]) -> list[list[str]]:
    """``["--a", "1", "--b", "--c", "x"]`` → ``[["--a", "1"], ["--b"], ["--c", "x"]]``."""
    groups: list[list[str]] = []
    for item in extra:
        if item.startswith("--") or not groups:
            groups.append([item])
        else:
            groups[-1].append(item)
    return groups


def plan(bench: Bench, *, full: bool, repeats: int | None, extra: list[str]) -> None:
    """Choose ``bench.args`` from its documented options (see the module docstring)."""
    args: list[str] = []
    if not full:
        for opt in QUICK.get(bench.name, ()):
            if opt in bench.options:
                args.append(opt)
            else:
                bench.notes.append(f"quick option {opt} not in its --help, left out")
    if repeats is not None:
        name = next((o for o in REPEAT_OPTIONS if o in bench.options), None)
        if name is None:
            bench.notes.append("no repeat option: its own default")
        else:
            args += [name, str(repeats)]
    for group in _split_extra(extra):
        opt = group[0].split("=", 1)[0]
        if opt in bench.options:
            args += group
        else:
            bench.notes.append(f"{opt} not in its --help, not passed")
    bench.args = args


def run(bench: Bench, timeout: float | None) -> None:
    """Run one script, its output going straight to this process's output."""
    cmd = [sys.executable, str(bench.path), *bench.args]
    print(f"\n=== {bench.path.name} {' '.join(bench.args)}".rstrip(), flush=True)
    start = time.perf_counter()
    try:
        bench.returncode = subprocess.run(cmd, cwd=bench.path.parents[1], timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        bench.returncode = -1
        bench.notes.append(f"stopped after the timeout of {timeout:g} s")
    bench.seconds = time.perf_counter() - start


def summary(benches: list[Bench]) -> str:
    """The summary table: script, options, wall time, exit code, notes."""
    rows = [("script", "options", "wall", "exit", "notes")]
    for b in benches:
        wall = "-" if b.seconds != b.seconds else f"{b.seconds:.1f} s"  # nan: not run
        code = "not run" if b.returncode is None else str(b.returncode)
        rows.append((b.path.name, " ".join(b.args) or "(defaults)", wall, code, "; ".join(b.notes)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _select(benches: list[Bench], only: list[str]) -> list[Bench]:
    if not only:
        return benches
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    by_name = {b.name: b for b in benches}
    wanted = [n.removesuffix(".py").removeprefix("bench_") for n in names]
    unknown = [n for n, w in zip(names, wanted) if w not in by_name]
    if unknown:
        raise ValueError(f"--only {', '.join(unknown)}: no such benchmark; there are {', '.join(by_name)}")
    return [b for b in benches if b.name in wanted]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 epilog="Options after -- go to every selected script whose --help lists them.")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="run only this script (io or bench_io.py; repeat or separate with commas)")
    ap.add_argument("--repeats", type=int, help="timed runs per measurement, for every script (default: theirs)")
    ap.add_argument("--full", action="store_true", help="each script's own defaults, not the quick options")
    ap.add_argument("--timeout", type=float, help="stop a script after this many seconds (default: no limit)")
    ap.add_argument("--list", action="store_true", help="show what would run, with which options, and stop")
    ap.add_argument("--dir", type=Path, default=HERE, help="folder of the bench_*.py scripts (default: %(default)s)")
    args = ap.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        ap.error(f"--repeats={args.repeats} must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        ap.error(f"--timeout={args.timeout:g} must be positive")
    if not args.dir.is_dir():
        ap.error(f"--dir={args.dir} is not a folder")
    benches = discover(args.dir)
    if not benches:
        ap.error(f"no bench_*.py scripts in {args.dir}")
    try:
        benches = _select(benches, args.only)
    except ValueError as exc:
        ap.error(str(exc))

    for b in benches:
        try:
            b.options = documented_options(b)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            b.notes.append(str(exc).splitlines()[0])
            b.returncode = 2
            continue
        plan(b, full=args.full, repeats=args.repeats, extra=extra)
    if args.list:
        print(summary(benches))
        return 0
    for b in benches:
        if b.returncode is None:
            run(b, args.timeout)
    print("\n" + summary(benches))
    failed = [b.path.name for b in benches if b.returncode != 0]
    if failed:
        print(f"\n{len(failed)} of {len(benches)} benchmark(s) failed: {', '.join(failed)}")
        return 1
    print(f"\nall {len(benches)} benchmark(s) finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
