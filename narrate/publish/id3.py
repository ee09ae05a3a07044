"""Write the ID3v2.3 tags podcast apps and music players show, with mutagen: metadata, cover art,
the transcript, and chapters (CHAP frames under one top-level ordered CTOC)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC, CHAP, COMM, CTOC, ID3, PRIV, TALB, TCON, TDRC, TIT2, TPE1, USLT, WXXX, CTOCFlags, Encoding, Frame, PictureType,
)

from ..config import is_web_url
from ..errors import OutputError
from ..model import Chapter

GENRE = "Podcast"
TABLE_OF_CONTENTS = "toc"
NO_OFFSET = 0xFFFFFFFF
"""CHAP byte offsets unused: players seek by the start and end times."""
PADDING_OWNER = "narrate:padding"


@dataclass(frozen=True)
class Cover:
    """Cover art as stored in the MP3 (APIC): the image file's bytes and its MIME type."""

    data: bytes
    mime: str


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str | None
    album: str
    date: str | None
    url: str | None
    transcript: str = ""
    cover: Cover | None = None


def write_tags(path: Path, tags: EpisodeTags, chapters: Sequence[Chapter] = ()) -> None:
    """Replace any tag in the MP3 at `path` with ours (ID3v2.3, the most widely read version)."""
    id3 = ID3()
    for frame in [*_frames(tags), *_chapter_frames(tags.title, chapters)]:
        id3.add(frame)
    try:
        id3.save(str(path), v2_version=3)
    except MutagenError as error:  # mutagen wraps the operating system's error (a full disk) in its own
        cause = error.args[0] if error.args else None
        if isinstance(cause, OSError):
            raise OutputError.writing(path, cause) from None
        raise OutputError(f"cannot write its tags: {error}", path) from None


def _frames(tags: EpisodeTags) -> list[Frame]:
    frames: list[Frame] = [
        TIT2(encoding=3, text=tags.title),
        TALB(encoding=3, text=tags.album),
        TCON(encoding=3, text=GENRE),
    ]
    if tags.artist:
        frames.append(TPE1(encoding=3, text=tags.artist))
    if tags.date:
        frames.append(TDRC(encoding=3, text=tags.date))
    if tags.url and is_web_url(tags.url):  # a link a player may open: never javascript: or data:
        frames.append(COMM(encoding=3, lang="eng", desc="", text=tags.url))
        frames.append(WXXX(encoding=3, desc="", url=tags.url))
    if tags.transcript:
        frames.append(USLT(encoding=3, lang="eng", desc="", text=tags.transcript))
    if tags.cover:
        frames.append(APIC(encoding=3, mime=tags.cover.mime, type=PictureType.COVER_FRONT, desc="", data=tags.cover.data))
    return frames


def _chapter_frames(title: str, chapters: Sequence[Chapter]) -> list[Frame]:
    """A CHAP per chapter and the top-level ordered CTOC listing them, each with a TIT2 (Apple and
    Overcast ignore chapters without the CTOC; players show the TIT2 as the chapter's name).

    mutagen writes frames ordered by size, and ffmpeg lists chapters in file order. So every CHAP
    gets the same size: titles are stored as UTF-16 and a PRIV subframe (which players ignore by
    definition) pads the shorter ones; equal frames are then written in element-ID order.
    """
    if not chapters:
        return []
    ids = [f"chp{index:03d}" for index in range(len(chapters))]
    widths = [len(chapter.title.encode("utf-16-le")) for chapter in chapters]
    frames: list[Frame] = [
        CHAP(
            element_id=element_id,
            start_time=round(chapter.start * 1000),
            end_time=round(chapter.end * 1000),
            start_offset=NO_OFFSET,
            end_offset=NO_OFFSET,
            sub_frames=[
                TIT2(encoding=Encoding.UTF16, text=chapter.title),
                PRIV(owner=PADDING_OWNER, data=bytes(max(widths) - width)),
            ],
        )
        for element_id, chapter, width in zip(ids, chapters, widths)
    ]
    flags = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    frames.append(
        CTOC(element_id=TABLE_OF_CONTENTS, flags=flags, child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=title)])
    )
    return frames
