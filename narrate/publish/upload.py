"""What a publish sends, in what order, and what it deletes: a pure function of the local files and the target's.

Order is what keeps the public feed true while a publish runs, and after one killed at any moment:
a file goes out only after everything it links to (media, then embeds, then the feeds and
index.html), and nothing is deleted until every feed that named it has been replaced. Within each
group, files new to the target go before those that replace bytes already there: a replaced episode
keeps its URL (its GUID and enclosure never change), so the old feed names it, with its old length,
from the moment it is replaced until the new feed lands. Sending replacements last keeps that
window as short as the order allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .. import layout
from ..config.settings import PUBLISH_GROUPS
from ..model import SentFile

CACHE_CONTROL = {
    "media": "public, no-cache",
    "embeds": "public, max-age=300",
    "lists": "public, max-age=300",
}
"""Cache-Control by publish group, unless [publish] cache_control says otherwise. Media keep their URL when
an article is re-voiced, so caches may keep them but must revalidate (by ETag, a 304 when unchanged)
before each use; feeds, index.html and players may be five minutes stale."""

OnBytes = Callable[[int], None]
"""What a target tells as it sends: this many more bytes have gone out (fewer when it rewinds to retry)."""


@dataclass(frozen=True)
class LocalFile:
    """A public file of the output folder, at its path below it ("audio/x.mp3")."""

    path: str
    size: int
    md5: str
    modified_ns: int


@dataclass(frozen=True)
class StoredObject:
    """What a target holds at a path: its size and its tag (S3: the ETag; a folder: mtime and size)."""

    path: str
    size: int
    tag: str


@dataclass(frozen=True)
class Upload:
    """One local file with the headers it is sent with, and what the target holds at its path now."""

    file: LocalFile
    content_type: str
    cache_control: str
    stored: StoredObject | None

    @property
    def headers(self) -> str:
        return f"{self.content_type}\n{self.cache_control}"

    def sent(self, tag: str) -> SentFile:
        """The record of this file once the target holds it under `tag`."""
        return SentFile(self.file.md5, self.file.size, self.file.modified_ns, tag, self.headers)


@dataclass(frozen=True)
class UploadPlan:
    steps: tuple[tuple[Upload, ...], ...]
    """Sent in order; a step starts only when every file of the one before is stored."""
    deletions: tuple[StoredObject, ...]
    """Deleted after the last step: what the target holds in narrate's public folders and the output no longer has."""
    unchanged: tuple[Upload, ...]
    """Files the target already holds with these bytes and headers."""

    @property
    def uploads(self) -> tuple[Upload, ...]:
        return tuple(upload for step in self.steps for upload in step)

    @property
    def upload_bytes(self) -> int:
        return sum(upload.file.size for upload in self.uploads)


def plan_upload(
    local: Iterable[LocalFile],
    stored: Iterable[StoredObject],
    sent: Mapping[str, SentFile],
    cache_control: Mapping[str, str] | None = None,
) -> UploadPlan:
    """What to send, step by step, and what to delete, so the target ends up holding exactly the local files.

    `sent` is the record of earlier publishes to this target; without it (first publish, damaged
    record) an object counts as unchanged when its ETag is the local file's MD5.
    """
    held = {item.path: item for item in stored if layout.is_public(item.path)}
    files = sorted((file for file in local if layout.is_public(file.path)), key=lambda file: file.path)
    headers = {**CACHE_CONTROL, **(cache_control or {})}
    steps: dict[tuple[str, bool], list[Upload]] = {(group, new): [] for group in PUBLISH_GROUPS for new in (True, False)}
    unchanged = []
    for file in files:
        upload = _upload(file, held.get(file.path), headers)
        if _holds(upload, sent.get(file.path)):
            unchanged.append(upload)
        else:
            steps[layout.publish_group(file.path), upload.stored is None].append(upload)
    kept = {file.path for file in files}
    return UploadPlan(
        steps=tuple(tuple(step) for step in steps.values() if step),
        deletions=tuple(held[path] for path in sorted(held) if path not in kept),
        unchanged=tuple(unchanged),
    )


def _upload(file: LocalFile, stored: StoredObject | None, cache_control: Mapping[str, str]) -> Upload:
    kind = layout.published_media_type(file.path)
    group = layout.publish_group(file.path)
    return Upload(file, layout.content_type(file.path, kind), cache_control[group], stored)


def _holds(upload: Upload, sent: SentFile | None) -> bool:
    """Whether the target already holds this file's bytes with its headers.

    The record decides when it knows the object as the target stores it now; else a single-part
    upload's ETag, its content's MD5, does (and the headers are taken to be narrate's own).
    """
    stored, file = upload.stored, upload.file
    if stored is None or stored.size != file.size:
        return False
    if sent is not None and sent.md5 == file.md5 and sent.tag == stored.tag:
        return sent.headers == upload.headers
    return stored.tag == file.md5
