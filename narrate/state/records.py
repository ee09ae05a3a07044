"""What each published episode was built from, so an unchanged article is never synthesised again.

pyttsx3's audio differs by a few milliseconds from call to call, so "same output" cannot come from
re-synthesising; it comes from recognising that nothing an episode depends on has changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_args

from ..model import Article, Block, BlockKind, Episode, Segment, SegmentKind
from .json_file import NUMBER, WrongShape, expect, field, load_derivable, pair, save

FORMAT_VERSION = 2


@dataclass(frozen=True)
class Published:
    """What the feeds and players show of an episode, kept so that they can list it again, unchanged,
    while its article cannot be read or built.

    `article.source` is relative to the input folder: a file that fails to read finds its
    episodes by it. `segments` hold what listeners see of each (kind, written text, block), not
    the text spoken, which nothing published shows.
    """

    article: Article
    segments: tuple[tuple[SegmentKind, str, int | None], ...]

    @classmethod
    def of(cls, episode: Episode, input_dir: Path) -> Published:
        article = episode.article
        relative = dataclasses.replace(article, source=Path(article.source.relative_to(input_dir).as_posix()))
        return cls(relative, tuple((t.segment.kind, t.segment.written, t.segment.source) for t in episode.timeline))

    def segments_shown(self) -> tuple[Segment, ...]:
        """The segments as published: their spoken text is their written text, their pauses unknown (0)."""
        return tuple(Segment(kind, written, written, source, 0.0) for kind, written, source in self.segments)


@dataclass(frozen=True)
class EpisodeRecord:
    """A published MP3: what it was built from, how long it is, and where each segment lies in it."""

    fingerprint: str
    duration: float
    size: int
    timings: tuple[tuple[float, float], ...]
    published: Published | None = None
    """What the feeds list of it, while they do (None once withdrawn, or when an older narrate recorded it)."""


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
    save(path, {key: _plain_record(record) for key, record in records.items()})


def _plain_record(record: EpisodeRecord) -> dict[str, Any]:
    plain: dict[str, Any] = {
        "fingerprint": record.fingerprint, "duration": record.duration, "size": record.size,
        "timings": [list(timing) for timing in record.timings],
    }
    if record.published:
        plain["published"] = {
            "article": _plain_article(record.published.article),
            "segments": [list(segment) for segment in record.published.segments],
        }
    return plain


def _plain_article(article: Article) -> dict[str, Any]:
    """Every field but the identity (the record's key); the date and time in ISO form."""
    plain = {f.name: getattr(article, f.name) for f in fields(article) if f.name not in ARTICLE_FIELDS_APART}
    return plain | {
        "source": article.source.as_posix(),
        "title": article.title,
        "blocks": [[block.kind, block.text] for block in article.blocks],
        "date": article.date.isoformat() if article.date else None,
        "time": article.time.isoformat() if article.time else None,
    }


ARTICLE_FIELDS_APART = {"identity", "source", "title", "blocks", "date", "time"}
"""Article fields not stored as optional strings (the others are a string or null)."""


def _parse(stored: Any) -> dict[str, EpisodeRecord]:
    return {key: _record(key, value, repr(key)) for key, value in expect(stored, dict, "the file").items()}


def _record(key: str, value: Any, what: str) -> EpisodeRecord:
    expect(value, dict, what)
    timings = field(value, "timings", list, what)
    published = value.get("published")
    return EpisodeRecord(
        field(value, "fingerprint", str, what),
        field(value, "duration", NUMBER, what),
        field(value, "size", int, what),
        tuple(_timing(timing, f"a timing of {what}") for timing in timings),
        None if published is None else _published(key, published, len(timings), f"the published episode of {what}"),
    )


def _published(key: str, value: Any, count: int, what: str) -> Published:
    expect(value, dict, what)
    article = _article(key, field(value, "article", dict, what), f"the article of {what}")
    segments = tuple(_segment(segment, f"a segment of {what}") for segment in field(value, "segments", list, what))
    if len(segments) != count:
        raise WrongShape(f"{what} has {len(segments)} segments for {count} timings")
    if any(source is not None and not 0 <= source < len(article.blocks) for _, _, source in segments):
        raise WrongShape(f"a segment of {what} names a block its article does not have")
    return Published(article, segments)


def _article(key: str, value: dict[str, Any], what: str) -> Article:
    optional = (f.name for f in fields(Article) if f.name not in ARTICLE_FIELDS_APART)
    return Article(
        **{name: field(value, name, (str, type(None)), what) for name in optional},
        identity=key,
        title=field(value, "title", str, what),
        source=Path(field(value, "source", str, what)),
        blocks=tuple(_block(block, f"a block of {what}") for block in field(value, "blocks", list, what)),
        date=_iso(dt.date, field(value, "date", (str, type(None)), what), what),
        time=_iso(dt.time, field(value, "time", (str, type(None)), what), what),
    )


def _block(value: Any, what: str) -> Block:
    kind, text = pair(value, what)
    return Block(_one_of(get_args(BlockKind), kind, what), expect(text, str, what))


def _segment(value: Any, what: str) -> tuple[SegmentKind, str, int | None]:
    expect(value, list, what)
    if len(value) != 3:
        raise WrongShape(f"{what} should be an array of three")
    kind, written, source = value
    return _one_of(get_args(SegmentKind), kind, what), expect(written, str, what), expect(source, (int, type(None)), what)


def _one_of(kinds: tuple[str, ...], value: Any, what: str) -> Any:
    if value not in kinds:
        raise WrongShape(f"{what} has the kind {value!r}, not one of {', '.join(kinds)}")
    return value


def _iso(kind: type[dt.date] | type[dt.time], value: str | None, what: str) -> Any:
    try:
        return None if value is None else kind.fromisoformat(value)
    except ValueError:
        raise WrongShape(f"{what} has the {kind.__name__} {value!r}, not in ISO form") from None


def _timing(timing: Any, what: str) -> tuple[float, float]:
    start, end = pair(timing, what)
    return expect(start, NUMBER, what), expect(end, NUMBER, what)
