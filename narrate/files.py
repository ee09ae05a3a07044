"""Output files appear whole or not at all: write to a temporary name beside them, then rename.

An operating-system error while writing (a full disk, a read-only folder, a file where a folder
should be) is an OutputError naming the file's final path.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
import threading
from pathlib import Path

from .errors import OutputError


def make_folder(folder: Path) -> None:
    """`folder` and its parents, unless they exist."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.writing(folder, error) from None


def temporary_path(destination: Path) -> Path:
    """A fresh hidden name in the destination's folder (same file system, so rename is atomic)."""
    make_folder(destination.parent)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
        os.close(handle)
        os.chmod(name, 0o644)  # mkstemp makes 0600 files, which a web server could not read
    except OSError as error:
        raise OutputError.writing(destination, error) from None
    return Path(name)


def move_into_place(temporary: Path, destination: Path) -> bool:
    """Move `temporary` into place unless `destination` already has the same bytes; True if replaced."""
    try:
        if destination.is_file() and filecmp.cmp(temporary, destination, shallow=False):
            temporary.unlink()
            return False
        os.replace(temporary, destination)
    except OSError as error:
        raise OutputError.writing(destination, error) from None
    return True


def _write(temporary: Path, data: bytes, destination: Path) -> None:
    try:
        temporary.write_bytes(data)
    except OSError as error:
        raise OutputError.writing(destination, error) from None


def holds(destination: Path, data: bytes) -> bool:
    """Whether `destination` is a file with exactly these bytes (its size is checked first)."""
    try:
        return destination.stat().st_size == len(data) and destination.read_bytes() == data
    except OSError:
        return False


def write_atomically(destination: Path, data: bytes) -> bool:
    """Write `data` to `destination` unless it already holds exactly that; True if written."""
    if holds(destination, data):
        return False
    temporary = temporary_path(destination)
    try:
        _write(temporary, data, destination)
        return move_into_place(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


class Publication:
    """Files a build writes under temporary names and moves into place together at its end.

    Moving them is a few renames, the feed's last, so an interrupted build leaves the previous
    feed with the episodes it lists, and the window where an edited episode's new file meets the
    old feed is as short as a rename.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._lock = threading.Lock()  # episodes are encoded in several threads

    def stage(self, destination: Path) -> Path:
        """A temporary path to write `destination`'s new content to."""
        temporary = temporary_path(destination)
        with self._lock:
            self._pending.append((temporary, destination))
        return temporary

    def stage_bytes(self, destination: Path, data: bytes) -> None:
        """Stage `data` for `destination`, unless it already holds exactly that."""
        if not holds(destination, data):
            _write(self.stage(destination), data, destination)

    def will_exist(self, destination: Path) -> bool:
        """`destination` is a file now or will be one when this publication commits."""
        return destination.is_file() or any(staged == destination for _, staged in self._pending)

    def withdraw(self, temporary: Path) -> None:
        """Forget one staged file (its build step failed) and delete it."""
        with self._lock:
            self._pending = [(staged, destination) for staged, destination in self._pending if staged != temporary]
        temporary.unlink(missing_ok=True)

    def commit(self) -> None:
        """Move every staged file into place, in the order staged; unchanged ones are left alone."""
        for temporary, destination in self._pending:
            move_into_place(temporary, destination)
        self._pending = []

    def discard(self) -> None:
        for temporary, _ in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending = []


def remove_leftovers(outputs: list[Path]) -> int:
    """Delete temporary files an interrupted build left behind (only ours: hidden, ending in .part),
    below each output folder and beside each output file (index.html's, in the output folder itself)."""
    removed = 0
    for output in outputs:
        for path in output.rglob(".*.part") if output.is_dir() else output.parent.glob(f".{output.name}.*.part"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
