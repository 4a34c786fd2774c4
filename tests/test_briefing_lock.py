"""salto_analysis.briefing.lock: one briefing at a time per output folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from salto_analysis.briefing.lock import LockError, acquire, lock_path


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(proc.stdout)


def test_the_lock_file_sits_beside_the_output_folder(tmp_path):
    assert lock_path(tmp_path / "2025") == tmp_path / ".2025.lock"


def test_a_second_holder_is_refused_with_the_pid_and_the_lock_goes_with_release(tmp_path):
    out = tmp_path / "out"
    held = acquire(out)
    assert lock_path(out).read_text() == f"{os.getpid()}\n" and held.note is None
    with pytest.raises(LockError) as info:
        acquire(out)  # a second open file description: flock refuses it, even in the same process
    message = str(info.value)
    assert f"pid {os.getpid()}" in message and str(out) in message and str(lock_path(out)) in message
    assert "\n" not in message
    held.release()
    assert not lock_path(out).exists()
    acquire(out).release()  # free again


def test_a_lock_held_by_another_process_is_refused(tmp_path):
    out = tmp_path / "out"
    code = ("import sys, time; from salto_analysis.briefing.lock import acquire; "
            f"held = acquire({str(out)!r}); print('held', flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=f"another salto-briefing \\(pid {child.pid}\\) is writing into"):
            acquire(out)
    finally:
        child.kill()
        child.wait()
    # the child died without releasing: its lock file stays, stale, and is taken over with a note
    assert lock_path(out).read_text() == f"{child.pid}\n"
    held = acquire(out)
    assert held.note == f"took over the stale lock file {lock_path(out)} of pid {child.pid}, which is no longer running"
    assert lock_path(out).read_text() == f"{os.getpid()}\n"
    held.release()


def test_a_stale_lock_of_a_dead_pid_is_taken_over(tmp_path):
    out = tmp_path / "out"
    pid = dead_pid()
    lock_path(out).write_text(f"{pid}\n")
    held = acquire(out)
    assert f"of pid {pid}, which is no longer running" in held.note
    held.release()
    assert not lock_path(out).exists()


def test_a_lock_file_removed_between_open_and_lock_is_not_trusted(tmp_path, monkeypatch):
    import fcntl
    from types import SimpleNamespace

    from salto_analysis.briefing import lock as lock_module

    out = tmp_path / "out"
    first = acquire(out)
    third = {}

    def racing_flock(fd, operation):
        if not third:  # between our open() and flock(): the holder ends and a third run starts
            third["started"] = True
            first.release()  # removes the file we have just opened
            third["lock"] = acquire(out)  # creates and locks a new file at the same path
        return fcntl.flock(fd, operation)

    monkeypatch.setattr(lock_module, "fcntl", SimpleNamespace(flock=racing_flock, LOCK_EX=fcntl.LOCK_EX,
                                                              LOCK_NB=fcntl.LOCK_NB))
    # our flock on the removed file succeeds, but it is not the file at the path: the third run holds that one
    with pytest.raises(LockError, match=f"pid {os.getpid()}"):
        acquire(out)
    third["lock"].release()


def test_an_unwritable_parent_is_named(tmp_path):
    missing = tmp_path / "nowhere" / "out"
    with pytest.raises(LockError, match=f"cannot create the lock file {lock_path(missing)}"):
        acquire(missing)


def test_release_twice_is_harmless(tmp_path):
    held = acquire(tmp_path / "out")
    held.release()
    held.release()
    assert not lock_path(tmp_path / "out").exists()
