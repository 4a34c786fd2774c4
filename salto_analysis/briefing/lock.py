"""One briefing at a time per output folder: a lock file beside it.

A run writing into ``<parent>/<name>`` holds ``<parent>/.<name>.lock``, a file
with its pid, from before its first write until it ends. The lock itself is an
advisory ``flock(2)`` on that file (POSIX), which the operating system drops
when the process ends in any way, even ``SIGKILL``:

* a second run into the same folder finds the file locked and refuses, naming
  the holder's pid (:class:`LockError`);
* a lock file whose lock nobody holds was left by a run that died: it is
  *stale* and taken over, with a note naming the pid it held.

The lock file is removed when the run ends. After taking the lock the file's
inode is compared with the path's, so a run that opened the file just before
its previous holder removed it cannot hold a lock on a file nobody else sees.
Where ``fcntl`` is missing (Windows) the file is created exclusively and an
existing one is refused, with the advice to remove it if no briefing runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["LockError", "Lock", "lock_path", "acquire"]


class LockError(RuntimeError):
    """The output folder is locked by another run, or the lock file cannot be written."""


def lock_path(out: str | os.PathLike) -> Path:
    """The lock file of output folder ``out``: ``.<name>.lock`` beside it."""
    out = Path(out)
    return out.parent / f".{out.name}.lock"


def _pid_of(text: str) -> int | None:
    first = text.split()[0] if text.split() else ""
    return int(first) if first.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@dataclass
class Lock:
    """A held lock; :meth:`release` removes the file and drops the lock."""

    path: Path
    fd: int
    #: The note to show when a stale lock was taken over (else ``None``).
    note: str | None = None

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            if os.path.exists(self.path) and os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)  # drops the flock
        self.fd = -1


def _held_message(path: Path, out: Path, text: str) -> str:
    pid = _pid_of(text)
    holder = f"pid {pid}" if pid else "another process"
    return (f"another salto-briefing ({holder}) is writing into {out} (lock file {path}); "
            "wait for it to finish or give another --out")


def acquire(out: str | os.PathLike) -> Lock:
    """Take the lock of output folder ``out`` (its parent must exist); :class:`LockError` if held."""
    out = Path(out)
    path = lock_path(out)
    if fcntl is None:  # pragma: no cover - Windows
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise LockError(_held_message(path, out, path.read_text(errors="replace"))
                            + "; if no briefing runs, remove the lock file") from None
        except OSError as exc:
            raise LockError(f"cannot create the lock file {path}: {exc.strerror}") from None
        os.write(fd, f"{os.getpid()}\n".encode())
        return Lock(path, fd)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise LockError(f"cannot create the lock file {path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            text = os.pread(fd, 200, 0).decode(errors="replace")
            os.close(fd)
            raise LockError(_held_message(path, out, text)) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the previous holder removed this file meanwhile: lock the current one
    old = _pid_of(os.pread(fd, 200, 0).decode(errors="replace"))
    note = None
    if old is not None:
        state = "which is no longer running" if not _alive(old) else "which no longer holds it"
        note = f"took over the stale lock file {path} of pid {old}, {state}"
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError as exc:
        Lock(path, fd).release()
        raise LockError(f"cannot write the lock file {path}: {exc.strerror}") from None
    return Lock(path, fd, note)
