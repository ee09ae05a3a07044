"""What each publish target was sent, so the next publish sends only the files whose bytes changed.

One file per target (`.narrate/uploads-<digest of the target>.json`). It can be worked out again:
when it is missing or damaged, every file is compared with the target's listing instead (an S3
object whose ETag is the file's MD5 is not sent again; a folder's files are copied again).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import layout
from ..config import PublishConfig
from ..model import SentFile
from .json_file import expect, field, load_derivable, save

DAMAGE_CONSEQUENCE = "every file is compared with the target's listing again"


def record_path(output: Path, config: PublishConfig) -> Path:
    """The record of one target: a target is its address and its endpoint."""
    target = f"{config.target}\n{config.endpoint_url or ''}"
    return output / layout.upload_record(hashlib.sha256(target.encode("utf-8")).hexdigest()[:16])


def load_sent(path: Path, warnings: list[str] | None = None) -> dict[str, SentFile]:
    return load_derivable(path, _parse, {}, DAMAGE_CONSEQUENCE, warnings)


def save_sent(path: Path, sent: Mapping[str, SentFile]) -> None:
    save(path, {key: asdict(record) for key, record in sent.items()})


def _parse(stored: Any) -> dict[str, SentFile]:
    return {key: _sent(value, repr(key)) for key, value in expect(stored, dict, "the file").items()}


def _sent(value: Any, what: str) -> SentFile:
    expect(value, dict, what)
    return SentFile(
        md5=field(value, "md5", str, what),
        size=field(value, "size", int, what),
        modified_ns=field(value, "modified_ns", int, what),
        tag=field(value, "tag", str, what),
        headers=field(value, "headers", str, what),
    )
