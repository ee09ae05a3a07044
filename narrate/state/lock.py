"""One build at a time per output folder, with a lock the operating system releases if a build dies.

An advisory `flock` on `.narrate/build.lock` is dropped by the kernel when its process exits,
however it exits (SIGKILL included), so a crashed build never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import layout
from ..errors import NarrateError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.2


@contextlib.contextmanager
def output_lock(
    folder: Path, wait_seconds: float, on_wait: Callable[[str], None] = lambda holder: None
) -> Iterator[None]:
    """Hold the folder's build lock; wait up to `wait_seconds` for another build, then give up clearly."""
    lock_path = folder / layout.state("build.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+", encoding="ascii") as handle:
        deadline = time.monotonic() + wait_seconds
        told = False
        while not _try_lock(handle):
            holder = _holder(lock_path)
            if time.monotonic() >= deadline:
                raise NarrateError(
                    f"another narrate build ({holder}) is writing to {folder}; try again when it has finished"
                )
            if not told:
                on_wait(holder)
                told = True
            time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


def _try_lock(handle) -> bool:  # type: ignore[no-untyped-def]
    if fcntl is None:  # pragma: no cover - Windows: no advisory locks, builds are not serialised
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _holder(lock_path: Path) -> str:
    try:
        return lock_path.read_text(encoding="ascii").strip() or "pid unknown"
    except OSError:
        return "pid unknown"
