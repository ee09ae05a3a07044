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
PUBLIC_FOLDERS = (AUDIO, FEEDS, EMBEDS)
"""The folders `narrate publish` sends (with INDEX), and the only ones it ever deletes from; never STATE."""
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
FEED_MEDIA_TYPE = "application/rss+xml"
"""What a published feed is said to be. `narrate serve` keeps "application/xml", which a browser shows
instead of offering to download it."""


def episode(slug: str) -> str:
    return f"{AUDIO}/{slug}.mp3"


def companion(slug: str, suffix: str) -> str:
    """A file published beside an episode's MP3: transcripts (.vtt, .srt) and chapters (.chapters.json)."""
    return f"{AUDIO}/{slug}{suffix}"


COMPANION_SUFFIXES = (".vtt", ".srt", ".chapters.json")
"""The files published beside each MP3: transcripts and chapters."""


def episode_files(slug: str) -> tuple[str, ...]:
    """Every public file an episode owns: what a withdrawal deletes, and what `narrate clean` keeps."""
    return (
        episode(slug), *(companion(slug, suffix) for suffix in COMPANION_SUFFIXES),
        embed_snippet(slug), embed_page(slug) + INDEX, oembed(slug),
    )


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


def upload_record(target_digest: str) -> str:
    """What was sent to one publish target: content digests by path, so only what changed is sent again."""
    return state(f"uploads-{target_digest}.json")


def is_public(path: str) -> bool:
    """Whether `narrate publish` sends a file at `path` (and may delete it from a target): INDEX, or a file
    in PUBLIC_FOLDERS none of whose names is hidden (leftover ".part" files, a web server's ".htaccess")."""
    parts = path.split("/")
    visible = all(part and not part.startswith(".") for part in parts)
    return visible and (path == INDEX or (len(parts) > 1 and parts[0] in PUBLIC_FOLDERS))


def is_feed(path: str) -> bool:
    return path.startswith(f"{FEEDS}/") and path.endswith(".xml") and "/" not in path[len(FEEDS) + 1 :]


def publish_group(path: str) -> str:
    """Which of config's PUBLISH_GROUPS (media, embeds, lists: sent in that order) a published file goes out with."""
    if path == INDEX or is_feed(path):
        return "lists"
    return "embeds" if path.startswith(f"{EMBEDS}/") else "media"


def published_media_type(path: str) -> str:
    """The media type of a file as published to a target: a feed says it is RSS."""
    return FEED_MEDIA_TYPE if is_feed(path) else media_type(path)


def content_type(path: str | PurePath, kind: str) -> str:
    """The Content-Type header for a file of media type `kind`: text says it is UTF-8."""
    return f"{kind}; charset=utf-8" if PurePath(path).suffix.lower() in TEXT_SUFFIXES else kind
