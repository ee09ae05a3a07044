"""Output files appear whole or not at all: write to a temporary name beside them, then rename."""

from __future__ import annotations

import filecmp
import os
import tempfile
from pathlib import Path


def temporary_path(destination: Path) -> Path:
    """A fresh hidden name in the destination's folder (same file system, so rename is atomic)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
    os.close(handle)
    os.chmod(name, 0o644)  # mkstemp makes 0600 files, which a web server could not read
    return Path(name)


def publish(temporary: Path, destination: Path) -> bool:
    """Move `temporary` into place unless `destination` already has the same bytes; True if replaced."""
    if destination.is_file() and filecmp.cmp(temporary, destination, shallow=False):
        temporary.unlink()
        return False
    os.replace(temporary, destination)
    return True


def write_atomically(destination: Path, data: bytes) -> bool:
    """Write `data` to `destination` unless it already holds exactly that; True if written."""
    temporary = temporary_path(destination)
    try:
        temporary.write_bytes(data)
        return publish(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
