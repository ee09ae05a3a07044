"""The Podcasting 2.0 tags (podcastindex.org namespace) as a feedgen extension, since feedgen has none."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from feedgen.ext.base import BaseExtension
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
CHAPTERS_TYPE = "application/json+chapters"


def podcast_guid(feed_url: str) -> str:
    """The show's `podcast:guid`: a UUIDv5 of its feed URL without scheme and trailing slashes.

    The namespace defines it this way so that anyone can derive the same identity from the URL.
    """
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(GUID_NAMESPACE, bare))


@dataclass(frozen=True)
class Person:
    """Someone credited, with a role from the Podcast Taxonomy (a writer's text read verbatim: author)."""

    name: str
    group: str = "writing"
    role: str = "author"


@dataclass(frozen=True)
class Transcript:
    """A transcript or captions file published beside the episode."""

    url: str
    mime_type: str
    language: str


class PodcastExtension(BaseExtension):
    """Channel tags: the show's permanent GUID, who may move it, what it is, who writes it."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.locked = True
        self.owner_email: str | None = None
        self.medium = "podcast"
        self.persons: tuple[Person, ...] = ()

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed):  # type: ignore[no-untyped-def]
        channel = feed[0]
        if self.guid:
            _element(channel, "guid").text = self.guid
        locked = _element(channel, "locked", owner=self.owner_email)
        locked.text = "yes" if self.locked else "no"
        _element(channel, "medium").text = self.medium
        _add_persons(channel, self.persons)
        return feed


class PodcastEntryExtension(BaseExtension):
    """Item tags: transcripts and chapters when their files exist, and the article's author."""

    def __init__(self) -> None:
        self.transcripts: tuple[Transcript, ...] = ()
        self.chapters_url: str | None = None
        self.persons: tuple[Person, ...] = ()

    def extend_rss(self, item):  # type: ignore[no-untyped-def]
        for transcript in self.transcripts:
            _element(
                item,
                "transcript",
                url=transcript.url,
                type=transcript.mime_type,
                language=transcript.language,
                rel="captions",
            )
        if self.chapters_url:
            _element(item, "chapters", url=self.chapters_url, type=CHAPTERS_TYPE)
        _add_persons(item, self.persons)
        return item


def _add_persons(parent, persons: tuple[Person, ...]) -> None:  # type: ignore[no-untyped-def]
    for person in persons:
        _element(parent, "person", group=person.group, role=person.role).text = person.name


def _element(parent, tag: str, **attributes: str | None):  # type: ignore[no-untyped-def]
    """A `podcast:` child element with the attributes that have a value."""
    return xml_elem(f"{{{PODCAST_NS}}}{tag}", parent, **{k: v for k, v in attributes.items() if v is not None})
