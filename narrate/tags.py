"""Write the ID3v2.3 tags podcast apps and music players show, with mutagen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import COMM, ID3, TALB, TCON, TDRC, TIT2, TPE1, WXXX, Frame

GENRE = "Podcast"


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str | None
    album: str
    date: str | None
    url: str | None


def write_tags(path: Path, tags: EpisodeTags) -> None:
    """Replace any tag in the MP3 at `path` with ours (ID3v2.3, the most widely read version)."""
    id3 = ID3()
    for frame in _frames(tags):
        id3.add(frame)
    id3.save(str(path), v2_version=3)


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
    if tags.url:
        frames.append(COMM(encoding=3, lang="eng", desc="", text=tags.url))
        frames.append(WXXX(encoding=3, desc="", url=tags.url))
    return frames
