"""Published identities (file name, GUID, first publication time): derived once, then kept forever."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from anyascii import anyascii

from ..model import Article, PublishedNames
from .json_file import WrongShape, expect, field, load_kept, save

MAX_SLUG_LENGTH = 80


def assign_identities(
    articles: Iterable[Article], known: dict[str, PublishedNames], base_url: str, now: dt.datetime
) -> dict[str, PublishedNames]:
    """Identities for every article: the recorded one when it exists, else a new unique one."""
    identities = dict(known)
    taken = {identity.slug for identity in identities.values()}
    for article in articles:
        if article.identity in identities:
            continue
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, article.url or f"{base_url}#{article.identity}"))
        slug = _unique(slugify(article.title) or f"episode-{guid[:8]}", taken)
        taken.add(slug)
        identities[article.identity] = PublishedNames(slug, guid, now)
    return identities


def slugify(title: str) -> str:
    """A short, URL-safe, lowercase ASCII file name from a title in any script, transliterated
    ("Україна сьогодні" → "ukraina-sogodni"); '' when no letter or digit is left.

    Symbols such as emoji are left out rather than spelt (anyascii writes 🎙 as ":microphone2:").
    """
    words_and_marks = "".join(char for char in title if unicodedata.category(char) != "So")
    words = re.findall(r"[a-z0-9]+", anyascii(words_and_marks).lower().replace("'", ""))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    return slug or "-".join(words)[:MAX_SLUG_LENGTH]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What `slugify` and `_unique` make: a plain file name, never a path."""

DAMAGE_ADVICE = (
    "restore it from a backup, or delete it to name the episodes afresh"
    " (their GUIDs stay the same; file names and first-publication dates may change)"
)


def load_identities(path: Path) -> dict[str, PublishedNames]:
    """The identities recorded by earlier builds ({} before the first build).

    They cannot be worked out again, so a damaged file stops the build (DamagedStateError).
    """
    return load_kept(path, _parse, {}, DAMAGE_ADVICE)


def save_identities(path: Path, identities: dict[str, PublishedNames]) -> None:
    save(path, {
        key: {"slug": i.slug, "guid": i.guid, "first_published": i.first_published.isoformat()}
        for key, i in identities.items()
    })


def _parse(stored: Any) -> dict[str, PublishedNames]:
    identities = {key: _identity(record, repr(key)) for key, record in expect(stored, dict, "the file").items()}
    slugs = [identity.slug for identity in identities.values()]
    if len(set(slugs)) < len(slugs):
        raise WrongShape("two episodes have the same file name")
    return identities


def _identity(record: Any, what: str) -> PublishedNames:
    expect(record, dict, what)
    slug = field(record, "slug", str, what)
    if not SLUG.fullmatch(slug):
        raise WrongShape(f"the slug {slug!r} of {what} is not a file name narrate makes")
    return PublishedNames(slug, field(record, "guid", str, what), _moment(field(record, "first_published", str, what), what))


def _moment(text: str, what: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            return moment
    except ValueError:
        pass
    raise WrongShape(f"the first_published {text!r} of {what} is not a date and time with its time zone")
