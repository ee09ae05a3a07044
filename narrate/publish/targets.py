"""Where a publish sends the output: one Target interface, a folder or an S3-compatible bucket behind it.

Both store each file whole or not at all (a folder by renaming a finished copy into place, a bucket
because a PUT is atomic), so the order the upload plan gives is the order the public sees.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .. import layout
from ..config import PublishConfig
from ..errors import PublishError
from ..files import remove_leftovers, temporary_path
from .upload import OnBytes, StoredObject, Upload

CHUNK = 1024 * 1024


class Target(Protocol):
    name: str
    """How the user names the target: "s3://bucket/prefix" or the folder."""
    parallel: int
    """How many files may be sent at once."""

    def list(self) -> list[StoredObject]:
        """Every object the target holds in narrate's public folders (see layout.is_public)."""

    def put(self, source: Path, upload: Upload, on_bytes: OnBytes) -> str:
        """Store `source` at `upload.file.path`, whole or not at all; returns the stored object's tag."""

    def delete(self, paths: Sequence[str]) -> None:
        """Delete these objects; the last step of a publish."""


def open_target(config: PublishConfig, output: Path) -> Target:
    """The target [publish] names; boto3 is imported only for an s3:// target."""
    if config.is_s3:
        from .s3 import S3Target

        return S3Target(config)
    return FolderTarget(Path(config.target), output)


class FolderTarget:
    """A folder, e.g. a web server's document root: each file is copied to a hidden temporary name
    beside its place, then renamed over it."""

    parallel = 1

    def __init__(self, root: Path, output: Path) -> None:
        if root.is_relative_to(output) or any(output.is_relative_to(root / name) for name in _public_names()):
            raise PublishError(
                f"the target folder {root} and the output folder {output} overlap: publishing would copy the "
                "output into itself or delete it; choose a folder outside the output", "publish.target"
            )
        self.root = root
        self.name = str(root)

    def list(self) -> list[StoredObject]:
        try:
            return [StoredObject(name, (status := path.stat()).st_size, _tag(status))
                    for name, path in public_files(self.root).items()]
        except OSError as error:
            raise PublishError(f"cannot read {self.root}: {error.strerror}", self.name) from None

    def put(self, source: Path, upload: Upload, on_bytes: OnBytes) -> str:
        destination = self.root / upload.file.path
        try:
            temporary = temporary_path(destination)
            try:
                _copy(source, temporary, on_bytes)
                os.replace(temporary, destination)
            finally:
                temporary.unlink(missing_ok=True)
            return _tag(destination.stat())
        except OSError as error:
            raise PublishError(f"cannot write {destination}: {error.strerror}", self.name) from None

    def delete(self, paths: Sequence[str]) -> None:
        """Delete the files, then the folders they leave empty (an episode's embed page), and the hidden
        temporary files a publish killed while copying left behind."""
        try:
            for path in paths:
                (self.root / path).unlink(missing_ok=True)
                _remove_empty_folders((self.root / path).parent, self.root)
            remove_leftovers([self.root / name for name in layout.PUBLIC_FOLDERS])
            for leftover in self.root.glob(f".{layout.INDEX}.*.part"):
                leftover.unlink()
        except OSError as error:
            raise PublishError(f"cannot delete from {self.root}: {error.strerror}", self.name) from None


def _public_names() -> tuple[str, ...]:
    return (*layout.PUBLIC_FOLDERS, layout.INDEX)


def public_files(root: Path) -> dict[str, Path]:
    """The files below `root` that a publish sends (see layout.is_public), by their path below it."""
    found = [path for name in layout.PUBLIC_FOLDERS for path in (root / name).rglob("*") if path.is_file()]
    found += [root / layout.INDEX] if (root / layout.INDEX).is_file() else []
    named = {path.relative_to(root).as_posix(): path for path in found}
    return {name: path for name, path in sorted(named.items()) if layout.is_public(name)}


def _tag(status: os.stat_result) -> str:
    """A folder's version of an ETag, as nginx makes it: the modification time and the size."""
    return f"{status.st_mtime_ns:x}-{status.st_size:x}"


def _copy(source: Path, destination: Path, on_bytes: OnBytes) -> None:
    with source.open("rb") as reader, destination.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            on_bytes(len(chunk))


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
