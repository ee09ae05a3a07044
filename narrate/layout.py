"""Where every file a build writes lives below the output folder, spelt once.

Paths are relative, with "/" as in URLs, so the same string names a file on disk
(`output / path`) and at its public address (`feed.url_of(path)`). Moving the MP3s elsewhere is a
change to this module alone.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import FeedConfig

AUDIO = "audio"
FEEDS = "feeds"
EMBEDS = "embeds"
INDEX = "index.html"
STATE = ".narrate"
"""narrate's own records: identities, episode records, memo, detected languages, clip cache, lock."""
GENERATED = (AUDIO, FEEDS, EMBEDS, STATE, INDEX)
"""What a build writes below the output folder: never read as articles, even when the input folder holds it."""
PLAYER_ASSETS = ("player.js", "player.css")

MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/xml",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
"""The media type of every kind of file a build writes, by suffix."""
TEXT_SUFFIXES = frozenset({".xml", ".vtt", ".srt", ".html", ".js", ".css"})
"""Files written as UTF-8 text, whose media type a server should qualify with the charset."""


def episode(slug: str) -> str:
    return f"{AUDIO}/{slug}.mp3"


def companion(slug: str, suffix: str) -> str:
    """A file published beside an episode's MP3: transcripts (.vtt, .srt) and chapters (.chapters.json)."""
    return f"{AUDIO}/{slug}{suffix}"


def feed(name: str) -> str:
    return f"{FEEDS}/{name}.xml"


def feed_url(show: FeedConfig) -> str:
    return show.url_of(feed(show.name))


def cover(feed_name: str, suffix: str) -> str:
    return f"{FEEDS}/{feed_name}-cover{suffix}"


def embed_snippet(slug: str) -> str:
    """The player to paste into an article page."""
    return f"{EMBEDS}/{slug}.html"


def embed_page(slug: str) -> str:
    """The folder of the player's own page (for an iframe); its file is `embed_page(slug) + INDEX`."""
    return f"{EMBEDS}/{slug}/"


def oembed(slug: str) -> str:
    return f"{EMBEDS}/{slug}.oembed.json"


def player_asset(name: str) -> str:
    return f"{EMBEDS}/{name}"


def state(name: str) -> str:
    """A file or folder of narrate's own records, e.g. state("identities.json"), state("clips")."""
    return f"{STATE}/{name}"


def media_type(path: str | PurePath) -> str:
    return MEDIA_TYPES.get(PurePath(path).suffix.lower(), "application/octet-stream")
