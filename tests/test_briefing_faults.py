"""Faults during a briefing run (issue 13, item 3): each one fails cleanly and leaves the previous briefing.

* a kernel killed in the middle of a notebook;
* the runner interrupted by SIGINT (as Ctrl-C does, to the whole process
  group) or SIGTERM (as ``kill`` does, to the runner only), with one job
  (the notebook runs in the runner's process) and with two (worker processes);
* two runs started at once into the same ``--out``, and a stale lock;
* an output folder that is read-only or runs out of space;
* an input file that changes while the run goes on.

The end-to-end cases run ``python -m salto_analysis.briefing`` on the small
fixture notebooks of tests/fixtures/briefing/ (make_fixtures.py). Running out
of space is simulated twice: by making the page writer or the workbook writer
raise ``OSError(ENOSPC)`` (monkeypatch, a run in this process), and, where this
process may mount file systems (root), on a real 4 MB tmpfs filled up.
"""

from __future__ import annotations

import errno
import io as _stdio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures.briefing.support import BRIEFING, HERE, ROOT, make_data_dir, run_cli

from salto_analysis.briefing import runner
from salto_analysis.briefing.lock import lock_path

slow = pytest.mark.slow


# --------------------------------------------------------------------------- helpers


def snapshot(out: Path) -> dict:
    """Every published file of a briefing folder (the failed notebooks aside) with its bytes."""
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "_failed" not in p.relative_to(out).parts}


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A complete briefing (the two fixture pages), made once; tests copy it."""
    base = tmp_path_factory.mktemp("previous")
    data = make_data_dir(base / "data")
    proc = run_cli("--briefing", str(BRIEFING), "--data-dir", str(data), "--year", "2025", "--jobs", "2",
                   "--out", str(base / "out"))
    assert proc.returncode == 0, proc.stderr
    return base / "out"


def copy_previous(previous: Path, site: Path) -> Path:
    site.mkdir(parents=True, exist_ok=True)
    out = site / "out"
    shutil.copytree(previous, out)
    return out


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def params_file(folder: Path, **values) -> Path:
    path = folder / "params.yaml"
    path.write_text("".join(f"{k}: {json.dumps(str(v))}\n" for k, v in values.items()), encoding="utf-8")
    return path


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before {path.name} appeared:\n{proc.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} did not appear within {timeout} s")
        time.sleep(0.1)


def session_processes(session: int) -> list[int]:
    """Live processes of a session (the runner started with ``start_new_session`` and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[3]) == session:  # state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (a kernel's connection file path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def wait_until_gone(pids_of, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := pids_of()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


# --------------------------------------------------------------------------- a kernel dies


@slow
def test_a_kernel_killed_mid_notebook_fails_cleanly(previous, tmp_path):
    out = copy_previous(previous, tmp_path / "site")
    before = snapshot(out)
    proc = run_cli("--briefing", str(HERE / "dies.yml"), "--year", "2025", "--out", str(out))
    assert proc.returncode == 1
    assert "FAILED - 1 of 1 notebook(s) did not complete; nothing was published." in proc.stderr
    assert "notebook: dies" in proc.stderr and "| os.kill(os.getpid(), signal.SIGKILL)" in proc.stderr
    assert "error:    DeadKernelError: Kernel died" in proc.stderr
    kept = out / "_failed" / "dies.ipynb"
    assert kept.is_file() and f"kept:     {kept}" in proc.stderr
    assert snapshot(out) == before, "the previous briefing changed"
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"], "temporary folder or lock left behind"


# --------------------------------------------------------------------------- interrupted


def _three_pages(folder: Path) -> Path:
    """A briefing list of two waiting pages and one quick page (so one is still queued with two jobs)."""
    folder.mkdir(parents=True)
    for name in ("a", "b"):
        shutil.copy(HERE / "waits.ipynb", folder / f"{name}.ipynb")
    shutil.copy(HERE / "second.ipynb", folder / "c.ipynb")
    entries = "".join(f"  - name: {n}\n    title: {{nb: {n}, en: {n}}}\n" for n in ("a", "b", "c"))
    path = folder / "briefing.yml"
    path.write_text('title: {nb: "T", en: "T"}\ninputs: []\nnotebooks:\n' + entries, encoding="utf-8")
    return path


@slow
@pytest.mark.parametrize(("signum", "jobs", "to_group"), [
    (signal.SIGINT, 2, True),  # Ctrl-C on a terminal: the runner and its workers get it
    (signal.SIGTERM, 2, False),  # kill <pid>: only the runner gets it and stops the workers
    (signal.SIGTERM, 1, False),  # one job: the notebook runs in the runner's own process
], ids=["SIGINT-group-2-jobs", "SIGTERM-2-jobs", "SIGTERM-1-job"])
def test_an_interrupted_run_publishes_nothing_and_leaves_nothing_behind(previous, tmp_path, signum, jobs, to_group):
    out = copy_previous(previous, tmp_path / "site")
    before = snapshot(out)
    briefing = _three_pages(tmp_path / "notebooks") if jobs == 2 else HERE / "waits.yml"
    marker = tmp_path / "running"
    params = params_file(tmp_path, marker=marker, release=tmp_path / "never")
    tmp = tmp_path / "tmp"  # the run's own TMPDIR: kernels' sockets and connection files go here
    tmp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "salto_analysis.briefing", "--briefing", str(briefing), "--year", "2025",
         "--jobs", str(jobs), "--params", str(params), "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    try:
        wait_for(marker, proc)
        deadline = time.monotonic() + 120  # with two jobs, wait until both waiting pages have their kernel
        while len(processes_mentioning(str(tmp))) < min(jobs, 2) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(processes_mentioning(str(tmp))) == min(jobs, 2), "the kernels should be running now"
        if to_group:
            os.killpg(proc.pid, signum)
        else:
            os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signum, err
    name = signal.Signals(signum).name
    last = lines(err)[-1]
    assert last.startswith(f"salto-briefing: INTERRUPTED by {name} - nothing was published; "
                           f"the previous briefing in {out} (if any) was left as it was"), err
    kept = sorted(p.name for p in (out / "_failed").glob("*.ipynb"))
    assert kept == (["a.ipynb", "b.ipynb"] if jobs == 2 else ["waits.ipynb"])
    if jobs == 2:
        assert "STOPPED c: not started: the run was interrupted" in err
    assert snapshot(out) == before, "the previous briefing changed"
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"], "temporary folder or lock left behind"
    assert wait_until_gone(lambda: processes_mentioning(str(tmp))) == [], "a kernel is still running"
    assert wait_until_gone(lambda: session_processes(proc.pid)) == [], "a worker process is still running"
    assert list(tmp.iterdir()) == [], "kernel sockets or connection files left behind"
    assert "Traceback" not in err


# --------------------------------------------------------------------------- two runs at once


@slow
def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "site" / "out"
    out.parent.mkdir()
    marker, release = tmp_path / "running", tmp_path / "release"
    params = params_file(tmp_path, marker=marker, release=release)
    first = subprocess.Popen(
        [sys.executable, "-m", "salto_analysis.briefing", "--briefing", str(HERE / "waits.yml"), "--year", "2025",
         "--params", str(params), "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for(marker, first)
        assert lock_path(out).read_text() == f"{first.pid}\n"
        second = run_cli("--briefing", str(HERE / "timeout.yml"), "--year", "2025", "--out", str(out))
        release.write_text("go")
        _, err = first.communicate(timeout=180)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 2
    assert lines(second.stderr) == [(
        f"salto-briefing: error: another salto-briefing (pid {first.pid}) is writing into {out} "
        f"(lock file {lock_path(out)}); wait for it to finish or give another --out; nothing was run.")]
    assert first.returncode == 0, err
    # nothing mixed: the folder holds the first run's page only
    assert sorted(p.name for p in out.glob("*.html")) == ["flagged.html", "index.html", "waits.html"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


@slow
def test_a_stale_lock_is_taken_over_with_a_note(previous, tmp_path):
    out = copy_previous(previous, tmp_path / "site")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    pid = int(dead.stdout)
    lock_path(out).write_text(f"{pid}\n")
    proc = run_cli("--briefing", str(HERE / "loads_inputs.yml"), "--year", "2025", "--out", str(out),
                   "--data-dir", str(_valid_data(tmp_path / "data")))
    assert proc.returncode == 0, proc.stderr
    assert lines(proc.stderr)[0] == (f"salto-briefing: note: took over the stale lock file {lock_path(out)} "
                                     f"of pid {pid}, which is no longer running.")
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"], "the lock file is removed at the end"


def _valid_data(folder: Path) -> Path:
    """A data folder with the valid io fixtures (a few rows each)."""
    folder.mkdir(parents=True)
    fixtures = HERE.parent / "io"
    for kind in ("register", "population", "survey"):
        shutil.copyfile(fixtures / f"{kind}_ok.csv", folder / f"{kind}.csv")
    return folder


# --------------------------------------------------------------------------- an input changes


@slow
def test_an_input_that_changes_during_the_run_stops_publishing(previous, tmp_path):
    out = copy_previous(previous, tmp_path / "site")
    before = snapshot(out)
    data = make_data_dir(tmp_path / "data")
    proc = run_cli("--briefing", str(HERE / "changes_input.yml"), "--year", "2025", "--data-dir", str(data),
                   "--out", str(out))
    assert proc.returncode == 1
    # make_data_dir writes b"case_id,person_id\n" (sha256sum: ad06d6d92232...); the notebook appends a row
    failure = [line for line in lines(proc.stderr) if line.startswith("salto-briefing: FAILED")]
    assert len(failure) == 1
    assert failure[0].startswith(f"salto-briefing: FAILED - input file {data / 'register.csv'} (SHA-256 "
                                 "ad06d6d92232... at the start, ")
    assert "changed while the briefing ran" in failure[0] and "nothing was published" in failure[0]
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


# --------------------------------------------------------------------------- the output folder cannot be written


def _mount_tmpfs(target: Path, size: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True,
                          check=False)
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", str(target)], capture_output=True, check=False)


@pytest.fixture(params=["parent", "folder"])
def read_only_out(request, previous, tmp_path):
    """A previous briefing in a read-only place: its parent folder, or the output folder itself.

    As an ordinary user the folders lose their write permission (chmod); root
    ignores permissions, so there a tmpfs is mounted read-only.
    """
    site = tmp_path / "site"
    site.mkdir()
    if os.geteuid() != 0:
        out = copy_previous(previous, site)
        target = site if request.param == "parent" else out
        folders = [target, *(p for p in target.rglob("*") if p.is_dir())]
        for folder in folders:
            folder.chmod(0o555)
        yield out, target, "Permission denied" if request.param == "parent" else "permission denied"
        for folder in folders:
            folder.chmod(0o755)
        return
    mount = site if request.param == "parent" else site / "out"
    if not _mount_tmpfs(mount, "8m"):
        pytest.skip("a read-only folder needs an ordinary user (chmod) or permission to mount a tmpfs")
    try:
        if request.param == "parent":
            out = copy_previous(previous, site)
        else:
            shutil.copytree(previous, mount, dirs_exist_ok=True)
            out = mount
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)
        yield out, mount, "Read-only file system" if request.param == "parent" else "read-only file system"
    finally:
        _umount(mount)


@slow
def test_a_read_only_output_folder_is_named_in_one_line(read_only_out, tmp_path):
    out, where, why = read_only_out
    before = snapshot(out)
    data = make_data_dir(tmp_path / "data")
    proc = run_cli("--briefing", str(BRIEFING), "--data-dir", str(data), "--year", "2025", "--out", str(out))
    assert proc.returncode == 2
    (line,) = lines(proc.stderr)
    if where == out:
        assert line == (f"salto-briefing: error: cannot write into {out} ({why}); make it writable or give "
                        "another --out; nothing was run.")
    else:
        assert line == f"salto-briefing: error: cannot create the lock file {lock_path(out)}: {why}; nothing was run."
    assert snapshot(out) == before


def _plan(briefing: Path, out: Path, data: Path | None = None):
    from salto_analysis.briefing.plan import Options, prepare

    return prepare(Options(briefing=str(briefing), year=2025, out=str(out), jobs=1,
                           data_dir=str(data) if data else None))


def _full_disk(path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@slow
@pytest.mark.parametrize("stage", ["page", "workbook"])
def test_a_full_disk_while_writing_is_one_line_and_keeps_the_previous_briefing(previous, tmp_path, monkeypatch, stage):
    from salto_analysis.briefing import html, publish

    out = copy_previous(previous, tmp_path / "site")
    before = snapshot(out)
    written = []
    if stage == "page":
        def export_page(nb, path, **kwargs):
            written.append(path)
            raise _full_disk(path)

        monkeypatch.setattr(html, "export_page", export_page)
    else:
        def write_workbook(tables, path, **kwargs):
            written.append(path)
            raise _full_disk(path)

        monkeypatch.setattr(publish, "write_workbook", write_workbook)
    plan = _plan(BRIEFING, out, make_data_dir(tmp_path / "data"))
    stream = _stdio.StringIO()
    assert runner.run(plan, progress=False, stream=stream) == 1
    failure = [line for line in lines(stream.getvalue()) if "FAILED" in line and not line.startswith("  ")]
    assert written and len(failure) == 1  # (both pages are tried; the first one's path is named)
    assert f"cannot write {written[0]}: No space left on device; nothing was published; " \
           f"the previous briefing in {out} (if any) was left as it was." in failure[0]
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


@slow
def test_a_real_full_file_system(previous, tmp_path):
    """On a 4 MB tmpfs holding the previous briefing and a filler leaving 40 kB free."""
    site = tmp_path / "site"
    if not _mount_tmpfs(site, "4m"):
        pytest.skip("needs permission to mount a tmpfs (root)")
    try:
        out = copy_previous(previous, site)
        before = snapshot(out)
        free = os.statvfs(site).f_bavail * os.statvfs(site).f_frsize
        (site / "filler").write_bytes(b"\0" * (free - 40_000))
        data = make_data_dir(tmp_path / "data")
        proc = run_cli("--briefing", str(BRIEFING), "--data-dir", str(data), "--year", "2025", "--out", str(out))
        assert proc.returncode == 1
        failure = [line for line in lines(proc.stderr) if line.startswith("salto-briefing: FAILED")]
        assert len(failure) == 1 and "No space left on device" in failure[0] and str(site) in failure[0]
        assert "nothing was published" in failure[0]
        assert snapshot(out) == before
        assert sorted(p.name for p in site.iterdir()) == ["filler", "out"]
    finally:
        _umount(site)


# --------------------------------------------------------------------------- the parts, quickly


def test_the_first_signal_interrupts_and_later_ones_wait():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with runner._Signals() as signals:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler runs at the next bytecode; sleep is interrupted
        assert signals.received == signal.SIGTERM
        os.kill(os.getpid(), signal.SIGINT)  # noted already: the clean-up is not cut short
        time.sleep(0.01)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before, "handlers restored"
    with runner._Signals() as signals, signals.deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.01)
        assert signals.received == signal.SIGTERM  # noted, and the deferred block went on
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_an_unwritable_folder_is_named(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    assert runner._unwritable(out) is None
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != out / "tables")
    assert runner._unwritable(out) == (f"cannot write into {out / 'tables'} (permission denied); "
                                       "make it writable or give another --out")


def test_write_errors_are_told_from_notebook_errors():
    full = runner.Outcome("a", ok=False, executed="", error=runner._problem("OSError", "x", _full_disk("/r/a.html")))
    cell = runner.Outcome("b", ok=False, executed="", error=runner._problem("ValueError", "boom"))
    assert runner._write_failure([cell]) is None
    assert runner._write_failure([cell, full])["path"] == "/r/a.html"
