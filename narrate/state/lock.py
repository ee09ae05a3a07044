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
from typing import TextIO

from .. import layout
from ..errors import NarrateError, OutputError
from ..files import make_folder

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
    with _open(folder, lock_path) as handle:
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
        _claim(handle, lock_path)
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


def _open(folder: Path, lock_path: Path) -> TextIO:
    """The lock file, opened for writing: the first file a build writes, so the first to find the
    output unwritable (read-only, a file in the way), which it says in one line."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            "the output folder is a file; name a folder (build.output in the config, or --output)", folder
        )
    make_folder(lock_path.parent)
    try:
        return open(lock_path, "a+", encoding="ascii")
    except OSError as error:
        raise OutputError.writing(lock_path, error) from None


def _claim(handle: TextIO, lock_path: Path) -> None:
    """Write our process id into the lock file, for a build that has to wait to name."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
    except OSError as error:
        raise OutputError.writing(lock_path, error) from None


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
