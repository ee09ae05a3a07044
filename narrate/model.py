"""The frozen dataclasses that flow between pipeline stages (read → segment → synthesize → stitch → publish)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

BlockKind = Literal["paragraph", "heading"]
SegmentKind = Literal["title", "heading", "paragraph", "intro", "outro"]
"""intro and outro are the feed's own spoken lines before and after the article."""


@dataclass(frozen=True)
class Block:
    """One unit of an article's body as written: a paragraph or an in-article heading."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Article:
    """What a reader found in one input: metadata plus the body a listener should hear.

    `identity` is what published identities (GUID, file name) are derived from: the article URL
    when known, else its path relative to the input folder. It never depends on the content.
    """

    source: Path
    identity: str
    title: str
    blocks: tuple[Block, ...]
    date: dt.date | None = None
    time: dt.time | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = "en"
    """ISO 639-1 code ("en", "uk"). A reader sets None when its source states none; narrate.readers then
    detects it from the words, so every article read from a file has one."""
    voice: str | None = None
    """A voice reference chosen by the article itself (front matter), e.g. "piper:en_US-joe-medium"."""
    summary: str | None = None
    """A short description the source gives (front matter, feed item): the feed shows it when present."""

    @property
    def body(self) -> tuple[str, ...]:
        return tuple(block.text for block in self.blocks)


@dataclass(frozen=True)
class Segment:
    """One sentence (or a piece of an overlong one) to speak in one backend call.

    `text` is what the backend is asked to say (normalised for speech); `written` is the same
    passage as the article writes it, which is what transcripts and players show. `source` is the
    index of the body block it comes from (None for the title). `written` is empty only for the
    later pieces of a single word whose spoken form is longer than the backend's limit (a number
    of hundreds of digits): the first piece carries the word.
    """

    kind: SegmentKind
    text: str
    written: str
    source: int | None
    pause_after: float


@dataclass(frozen=True)
class AudioChunk:
    """Mono 16-bit little-endian PCM, as every backend returns it."""

    pcm: bytes
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class ClipShape:
    """What stitching needs to know about a sound before reading its samples: the kept part (samples
    `start` to `end` at `rate`, without the backend's own silence) and its per-window peaks and
    K-weighted energies, counted from `start`. narrate.audio.clip_shape works it out."""

    rate: int
    start: int
    end: int
    peaks: np.ndarray
    energies: np.ndarray

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Clip:
    """The audio of one segment, with its shape when the cache already knows it."""

    segment: Segment
    audio: AudioChunk
    shape: ClipShape | None = None


@dataclass(frozen=True)
class TimedSegment:
    """Where one segment's speech starts and ends in the finished episode, in seconds."""

    segment: Segment
    start: float
    end: float


@dataclass(frozen=True)
class Chapter:
    """A part of an episode a listener can skip to (ID3 CHAP, Podcasting 2.0 JSON), in seconds."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class PublishedNames:
    """The names an episode is published under (file slug, GUID) and when it first was: fixed at
    first publication and never changed. Derived from `Article.identity`, the article's key; kept
    with the file that holds it."""

    slug: str
    guid: str
    first_published: dt.datetime
    source: str | None = None
    """The input file that holds the identity, relative to the input folder: kept up to date (a
    renamed file takes it along) so that while that file is there no other file can claim it.
    None in state written before narrate recorded it."""


@dataclass(frozen=True)
class Episode:
    """A finished, tagged MP3 and the facts a feed needs about it."""

    article: Article
    names: PublishedNames
    audio_path: Path
    duration: float
    size: int
    published: dt.datetime
    timeline: tuple[TimedSegment, ...] = ()
    chapters: tuple[Chapter, ...] = ()


@dataclass(frozen=True)
class SentFile:
    """A file `narrate publish` sent to a target: the bytes it held, and what the target said it stores."""

    md5: str
    """Hex MD5 of the bytes sent, which is also the ETag of a single-part S3 upload."""
    size: int
    modified_ns: int
    """The local file's modification time when its MD5 was taken: while it and the size stay, the MD5 is reused."""
    tag: str
    """The target's tag for the object it stores (S3: the ETag; a folder: modification time and size)."""
    headers: str
    """Content-Type and Cache-Control as sent: a change of either sends the file again."""
