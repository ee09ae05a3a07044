"""What podcast apps and players read besides the MP3: the cover, the feeds, transcripts and chapters.

Everything is staged in the build's Publication, so it moves into place with the episodes, feeds last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from .chapters import chapters_json
from ..config import FeedConfig, is_web_url
from .cover import embedded_as_is, embedded_copy, render_cover
from .rss import Channel, Item, render_feed
from ..errors import NarrateError
from ..files import Publication, write_atomically
from ..model import Article, Episode
from .podcast_namespace import Transcript, podcast_guid
from .id3 import Cover
from .transcripts import cues, srt, webvtt

DESCRIPTION_LIMIT = 4000
TRANSCRIPT_SUFFIXES = (".vtt", ".srt")
"""Transcript files published beside an episode's MP3."""


def stage_companions(episode: Episode, output: Path, publication: Publication, only_missing: bool) -> None:
    """The transcripts and JSON chapters published beside the MP3, staged to move into place with it."""
    files = {
        ".vtt": lambda: webvtt(cues(episode.timeline)),
        ".srt": lambda: srt(cues(episode.timeline)),
        ".chapters.json": lambda: chapters_json(episode.chapters),
    }
    for suffix, render in files.items():
        path = output / layout.companion(episode.names.slug, suffix)
        if not (only_missing and path.is_file()):  # a no-op build renders nothing here
            publication.stage_bytes(path, render().encode("utf-8"))


def stage_feed(
    feed: FeedConfig, cover_url: str, episodes: Sequence[Episode], input_dir: Path, output: Path, publication: Publication
) -> Path:
    """Render one feed from the episodes it selects; it moves into place with them, last."""
    path = output / layout.feed(feed.name)
    items = [feed_item(episode, feed, output, publication) for episode in episodes if feed.lists(episode.article, input_dir)]
    publication.stage_bytes(path, render_feed(_channel(feed, cover_url), items))
    return path


def _channel(feed: FeedConfig, image_url: str) -> Channel:
    return Channel(
        title=feed.title,
        description=feed.description,
        link=feed.link or feed.base_url,
        feed_url=layout.feed_url(feed),
        language=feed.language,
        author=feed.author,
        owner_name=feed.owner_name or feed.author,
        owner_email=feed.owner_email,
        category=feed.category,
        subcategory=feed.subcategory,
        image_url=image_url,
        explicit=feed.explicit,
        copyright=feed.copyright,
        podcast_guid=feed.guid or podcast_guid(layout.feed_url(feed)),
        locked=feed.locked,
        show_type=feed.type,
    )


@dataclass(frozen=True)
class PublishedCover:
    """A feed's cover: as MP3 cover art and on disk (both None for an image configured as a URL,
    which is not fetched), and its public URL."""

    art: Cover | None
    path: Path | None
    url: str


def publish_cover(feed: FeedConfig, output: Path, publication: Publication) -> PublishedCover:
    """The cover, hosted beside the feed: the configured image, or one drawn from the title."""
    image = feed.image
    if image and feed.image_is_url:
        return PublishedCover(None, None, image)
    suffix = Path(image).suffix.lower() if image else ".png"
    data = Path(image).read_bytes() if image else _drawn_cover(feed.title, output)
    relative = layout.cover(feed.name, suffix)
    destination = output / relative
    publication.stage_bytes(destination, data)
    return PublishedCover(_embedded(data, layout.media_type(relative), image), destination, feed.url_of(relative))


def _embedded(data: bytes, media_type: str, image: str | None) -> Cover:
    """The cover as it goes into each MP3: itself, or a smaller copy of a large one (made once per build)."""
    if embedded_as_is(len(data)):
        return Cover(data, media_type)
    try:
        return Cover(embedded_copy(data), layout.MEDIA_TYPES[".jpg"])
    except NarrateError as error:
        raise error.located(image or "the drawn cover") from None


def _drawn_cover(title: str, output: Path) -> bytes:
    """The cover drawn from a feed title, drawn once per title (drawing 3000 px takes about a second).

    The kept file's name holds its bytes' digest, so a damaged one is never published: it is drawn again.
    """
    key = hashlib.sha256(title.encode()).hexdigest()
    folder = output / layout.state("covers")
    for kept in sorted(folder.glob(f"{key}-*.png")):
        try:
            data = kept.read_bytes()
        except OSError:
            continue  # drawn again below
        if kept.name == _kept_name(key, data):
            return data
    data = render_cover(title)
    write_atomically(folder / _kept_name(key, data), data)
    return data


def _kept_name(key: str, data: bytes) -> str:
    return f"{key}-{hashlib.sha256(data).hexdigest()[:16]}.png"


def feed_item(episode: Episode, feed: FeedConfig, output: Path, publication: Publication) -> Item:
    article = episode.article
    return Item(
        guid=episode.names.guid,
        title=article.title,
        description=_description(article),
        published=episode.published,
        enclosure_url=feed.url_of(layout.episode(episode.names.slug)),
        enclosure_length=episode.size,
        duration_seconds=round(episode.duration),
        author=article.author,
        link=next((link for link in (article.url, feed.link) if link and is_web_url(link)), feed.base_url),
        language=article.language,
        transcripts=tuple(
            Transcript(url, layout.MEDIA_TYPES[suffix], article.language)
            for suffix in TRANSCRIPT_SUFFIXES
            if (url := _companion_url(episode, suffix, feed, output, publication))
        ),
        chapters_url=_companion_url(episode, ".chapters.json", feed, output, publication),
    )


def _companion_url(
    episode: Episode, suffix: str, feed: FeedConfig, output: Path, publication: Publication
) -> str | None:
    """The public URL of a file published beside an episode, if it is."""
    relative = layout.companion(episode.names.slug, suffix)
    return feed.url_of(relative) if publication.will_exist(output / relative) else None


def _description(article: Article) -> str:
    """The article's own summary, else its opening paragraphs, whole, within the length podcast apps show."""
    if article.summary:
        return article.summary[:DESCRIPTION_LIMIT]
    text = ""
    for paragraph in article.body:
        candidate = f"{text}\n\n{paragraph}" if text else paragraph
        if len(candidate) > DESCRIPTION_LIMIT:
            break
        text = candidate
    return text or article.body[0][:DESCRIPTION_LIMIT]
