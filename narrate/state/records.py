"""What each published episode was built from, so an unchanged article is never synthesised again.

pyttsx3's audio differs by a few milliseconds from call to call, so "same output" cannot come from
re-synthesising; it comes from recognising that nothing an episode depends on has changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .json_file import NUMBER, expect, field, load_derivable, pair, save

FORMAT_VERSION = 2


@dataclass(frozen=True)
class EpisodeRecord:
    """A published MP3: what it was built from, how long it is, and where each segment lies in it."""

    fingerprint: str
    duration: float
    size: int
    timings: tuple[tuple[float, float], ...]


def fingerprint(*parts: Any) -> str:
    """A stable hash of everything an episode's bytes depend on (dataclasses and plain values)."""
    payload = json.dumps([FORMAT_VERSION, [_fields(part) for part in parts]], sort_keys=True, ensure_ascii=False,
                         default=_plain)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(value: Any) -> Any:
    """Dataclasses as dicts of their fields, all the way down, as `dataclasses.asdict` makes them
    (the same JSON, so recorded fingerprints stay valid) but without its deep copies, which took
    most of a no-op build's planning."""
    if hasattr(value, "__dataclass_fields__"):
        return {field.name: _fields(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_fields(item) for item in value]
    if isinstance(value, dict):
        return {key: _fields(item) for key, item in value.items()}
    return value


def _plain(value: Any) -> str:
    """Bytes (a cover image) count by their hash, not by a megabyte-long repr; anything else by str."""
    return hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else str(value)


DAMAGE_CONSEQUENCE = "every episode is encoded again (its speech comes from the clip cache)"


def load_records(path: Path, warnings: list[str] | None = None) -> dict[str, EpisodeRecord]:
    """The records of earlier builds; a damaged file costs a rebuild, so it counts as none (with a warning)."""
    return load_derivable(path, _parse, {}, DAMAGE_CONSEQUENCE, warnings)


def save_records(path: Path, records: dict[str, EpisodeRecord]) -> None:
    save(path, {key: asdict(record) for key, record in records.items()})


def _parse(stored: Any) -> dict[str, EpisodeRecord]:
    return {key: _record(value, repr(key)) for key, value in expect(stored, dict, "the file").items()}


def _record(value: Any, what: str) -> EpisodeRecord:
    expect(value, dict, what)
    timings = field(value, "timings", list, what)
    return EpisodeRecord(
        field(value, "fingerprint", str, what),
        field(value, "duration", NUMBER, what),
        field(value, "size", int, what),
        tuple(_timing(timing, f"a timing of {what}") for timing in timings),
    )


def _timing(timing: Any, what: str) -> tuple[float, float]:
    start, end = pair(timing, what)
    return expect(start, NUMBER, what), expect(end, NUMBER, what)
