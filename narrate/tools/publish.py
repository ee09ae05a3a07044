"""`narrate publish`: send the output's public files to the [publish] target: only what changed, in a safe order.

The plan (publish/upload.py) says what to send and delete, step by step; this module gathers what
it needs (the local files and their MD5s, the target's listing, the record of earlier publishes),
carries it out and keeps the record. It holds the output folder's build lock throughout, so the
files it sends are the ones of one finished build.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .. import layout
from ..config import Config, PublishConfig
from ..errors import PublishError
from ..model import SentFile
from ..publish.targets import Target, open_target, public_files
from ..publish.upload import LocalFile, UploadPlan, plan_upload
from ..state.lock import output_lock
from ..state.uploads import load_sent, record_path, save_sent

LOCK_WAIT_SECONDS = 300
CHUNK = 1024 * 1024


class PublishProgress(Protocol):
    """What a publish tells its user while it works (the CLI draws a bar in bytes)."""

    def planned(self, total_bytes: int) -> None:
        """Sending is about to start: this many bytes in all."""

    def sent(self, count: int) -> None:
        """`count` more bytes have gone out (negative when a sender rewinds to retry)."""

    def waiting(self, holder: str) -> None:
        """A build holds the output folder; the publish waits for it."""


class SilentProgress:
    def planned(self, total_bytes: int) -> None:
        pass

    def sent(self, count: int) -> None:
        pass

    def waiting(self, holder: str) -> None:
        pass


@dataclass(frozen=True)
class PublishPlan:
    """What a publish would do (`narrate publish --dry-run`), found without changing anything."""

    target: str
    plan: UploadPlan
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishReport:
    target: str
    sent: int
    sent_bytes: int
    deleted: int
    unchanged: int
    seconds: float
    warnings: tuple[str, ...] = ()


def publish(
    config: Config, progress: PublishProgress | None = None, wait_seconds: float = LOCK_WAIT_SECONDS
) -> PublishReport:
    """Make the target hold exactly the output's public files, sending only those whose bytes changed."""
    progress = progress or SilentProgress()
    started = time.monotonic()
    with output_lock(config.paths.output, wait_seconds, progress.waiting):
        settings, target = _target(config)
        warnings: list[str] = []
        record = record_path(config.paths.output, settings)
        sent = load_sent(record, warnings)
        plan = _plan(config.paths.output, target, sent, settings)
        kept = {upload.file.path: upload.sent(upload.stored.tag) for upload in plan.unchanged if upload.stored}
        progress.planned(plan.upload_bytes)
        _carry_out(plan, target, config.paths.output, kept, record, progress)
    return PublishReport(target.name, len(plan.uploads), plan.upload_bytes, len(plan.deletions), len(plan.unchanged),
                         time.monotonic() - started, tuple(warnings))


def plan_publish(config: Config) -> PublishPlan:
    """What `publish` would send and delete now; reads the target's listing and changes nothing."""
    settings, target = _target(config)
    warnings: list[str] = []
    sent = load_sent(record_path(config.paths.output, settings), warnings)
    return PublishPlan(target.name, _plan(config.paths.output, target, sent, settings), tuple(warnings))


def check_target(config: Config) -> None:
    """Fail now, in one line, when the target cannot be listed (wrong credentials or bucket, unreachable):
    `build --publish` asks before it spends minutes building."""
    _target(config)[1].list()


def _target(config: Config) -> tuple[PublishConfig, Target]:
    if config.publish is None:
        raise PublishError('narrate.toml has no [publish] section: add one with target = "s3://BUCKET/PREFIX" '
                           "or a folder (see README, Publishing)")
    return config.publish, open_target(config.publish, config.paths.output)


def _plan(output: Path, target: Target, sent: Mapping[str, SentFile], settings: PublishConfig) -> UploadPlan:
    local = local_files(output, sent)
    if not any(layout.is_feed(file.path) for file in local):
        raise PublishError("the output holds no feed: run `narrate build` first (publishing an output without "
                           "one would delete what is published)", output)
    return plan_upload(local, target.list(), sent, settings.cache_control)


def local_files(output: Path, sent: Mapping[str, SentFile]) -> list[LocalFile]:
    """The output's public files with their MD5s, taken again only for files changed since they were sent."""
    files = []
    for name, path in public_files(output).items():
        status = path.stat()
        known = sent.get(name)
        same = known is not None and (known.size, known.modified_ns) == (status.st_size, status.st_mtime_ns)
        md5 = known.md5 if known is not None and same else _md5(path)
        files.append(LocalFile(name, status.st_size, md5, status.st_mtime_ns))
    return files


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _carry_out(
    plan: UploadPlan, target: Target, output: Path, sent: dict[str, SentFile], record: Path, progress: PublishProgress
) -> None:
    """Send step by step, then delete; the record is saved after each step and whatever happens."""
    try:
        for step in plan.steps:
            with ThreadPoolExecutor(max_workers=target.parallel, thread_name_prefix="publish") as pool:
                futures = {pool.submit(target.put, output / upload.file.path, upload, progress.sent): upload
                           for upload in step}
                try:
                    for future in as_completed(futures):
                        upload = futures[future]
                        sent[upload.file.path] = upload.sent(future.result())
                except BaseException:
                    pool.shutdown(cancel_futures=True)
                    raise
            save_sent(record, sent)
        target.delete([item.path for item in plan.deletions])
    finally:
        save_sent(record, sent)
