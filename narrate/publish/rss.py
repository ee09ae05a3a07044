"""Write the podcast feed: RSS 2.0 with Apple's iTunes tags and the Podcasting 2.0 tags, via feedgen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__
from .podcast_namespace import Person, PodcastEntryExtension, PodcastExtension, Transcript

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
SYNTHETIC_VOICE_NOTE = "This episode is read aloud by a synthetic (text-to-speech) voice from the written article."
"""The Podcasting 2.0 namespace has no tag for synthetic speech, so every item description says so."""


@dataclass(frozen=True)
class Channel:
    """The show as a whole, with every URL already absolute."""

    title: str
    description: str
    link: str
    feed_url: str
    language: str
    author: str
    owner_name: str
    owner_email: str
    category: str
    subcategory: str | None
    image_url: str | None
    explicit: bool
    copyright: str | None
    podcast_guid: str
    locked: bool
    show_type: str
    """`itunes:type`: "episodic" (newest first) or "serial" (listen in order)."""


@dataclass(frozen=True)
class Item:
    """One episode as the feed lists it."""

    guid: str
    title: str
    description: str
    published: dt.datetime
    enclosure_url: str
    enclosure_length: int
    duration_seconds: int
    author: str | None
    link: str
    language: str
    transcripts: tuple[Transcript, ...] = ()
    chapters_url: str | None = None


def render_feed(channel: Channel, items: Sequence[Item]) -> bytes:
    """The feed's XML, newest episode first.

    `lastBuildDate` is the newest episode's date, not the clock, so an unchanged build renders
    byte-identical XML and podcast apps see no change.
    """
    generator = _channel(channel)
    ordered = sorted(items, key=lambda item: (item.published, item.guid), reverse=True)
    newest = ordered[0].published if ordered else EPOCH
    generator.lastBuildDate(newest)
    generator.pubDate(newest)
    for item in ordered:
        _add_item(generator, item)
    return generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def _channel(channel: Channel) -> FeedGenerator:
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.register_extension("itunes", ItunesExtension, ItunesEntryExtension)
    generator.register_extension("podcast2", PodcastExtension, PodcastEntryExtension)
    generator.title(channel.title)
    generator.description(channel.description)
    generator.link(href=channel.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=channel.link, rel="alternate")  # feedgen's RSS <link> is the last one given
    generator.language(channel.language)
    generator.generator("narrate", version=__version__, uri="https://pypi.org/project/narrate/")
    if channel.copyright:
        generator.copyright(channel.copyright)
    generator.podcast.itunes_author(channel.author)
    generator.podcast.itunes_owner(name=channel.owner_name, email=channel.owner_email)
    category = {"cat": channel.category}
    if channel.subcategory:
        category["sub"] = channel.subcategory
    generator.podcast.itunes_category(category)
    if channel.image_url:
        generator.image(url=channel.image_url, title=channel.title, link=channel.link)
        generator.itunes.image_url = channel.image_url
    generator.podcast.itunes_type(channel.show_type)
    generator.itunes.explicit = channel.explicit
    generator.podcast2.guid = channel.podcast_guid
    generator.podcast2.locked = channel.locked
    generator.podcast2.owner_email = channel.owner_email
    generator.podcast2.persons = (Person(channel.author),)
    return generator


def _add_item(generator: FeedGenerator, item: Item) -> None:
    entry = generator.add_entry(order="append")
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.description(f"{item.description}\n\n{SYNTHETIC_VOICE_NOTE}")
    entry.content(_show_notes(item), type="CDATA")
    entry.pubDate(item.published)
    entry.enclosure(item.enclosure_url, str(item.enclosure_length), "audio/mpeg")
    entry.link(href=item.link)
    entry.podcast.itunes_duration(item.duration_seconds)
    entry.podcast.itunes_episode_type("full")
    entry.podcast2.transcripts = item.transcripts
    entry.podcast2.chapters_url = item.chapters_url
    if item.author:
        entry.podcast.itunes_author(item.author)
        entry.podcast2.persons = (Person(item.author),)


def _show_notes(item: Item) -> str:
    """`content:encoded`: the description as HTML paragraphs, which apps show as formatted show notes."""
    paragraphs = [*item.description.split("\n\n"), SYNTHETIC_VOICE_NOTE]
    html = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return f'{html}<p><a href="{escape(item.link)}">{escape(item.title)}</a></p>'


class ItunesExtension(BaseExtension):
    """The iTunes tags feedgen's own extension gets wrong: `<itunes:explicit>` as Apple's true|false,
    which it refuses, and `<itunes:image>` for any URL, where it silently drops one that does not end
    in .jpg or .png (a .jpeg cover)."""

    def __init__(self) -> None:
        self.explicit = False
        self.image_url: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def extend_rss(self, feed):  # type: ignore[no-untyped-def]
        channel = feed[0]
        if self.image_url:
            _insert_after(channel, ("author", "category"), "image").attrib["href"] = self.image_url
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        return feed


def _insert_after(channel, previous: tuple[str, ...], name: str):  # type: ignore[no-untyped-def]
    """A new `itunes:` element placed after the channel's last `previous` one, where feedgen's
    extension puts it (so a feed reads the same as before this extension wrote it)."""
    tags = {f"{{{ITUNES_NS}}}{tag}" for tag in previous}
    element = xml_elem(f"{{{ITUNES_NS}}}{name}", channel)
    after = [index for index, child in enumerate(channel) if child.tag in tags]
    if after:
        channel.insert(after[-1] + 1, element)
    return element


class ItunesEntryExtension(BaseExtension):
    """Entries inherit the channel's rating and cover; nothing to add per item."""
