"""Published identities (file name, GUID, first publication time): derived once, then kept forever."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from anyascii import anyascii

from ..errors import ArticleError
from ..model import Article, PublishedNames
from ..readers import input_name
from .json_file import WrongShape, expect, field, load_kept, save

MAX_SLUG_LENGTH = 80


def settle_claims(
    articles: Iterable[Article], known: dict[str, PublishedNames], input_dir: Path
) -> tuple[list[Article], list[ArticleError]]:
    """One article per identity, and a one-line refusal for every other article claiming one.

    A published identity stays with the file that holds it while that file is in the input
    folder, even when it fails to read: a new file whose front matter copies a published
    article's url must not put its content under that episode's GUID and MP3. A new identity, or
    one whose file is gone (renamed), goes to the first claimant in path order. Before narrate
    recorded holders it cannot tell, so then no claimant of a published identity is built while
    there are several.
    """
    claims: dict[str, list[Article]] = {}
    for article in articles:
        claims.setdefault(article.identity, []).append(article)
    kept, refused = [], []
    for identity, claimants in claims.items():
        owner, problem = _owner(identity, claimants, known.get(identity), input_dir)
        kept += [owner] if owner else []
        refused += [ArticleError(f"{problem}; skipped", other.source) for other in claimants if other is not owner]
    return kept, refused


def _owner(
    identity: str, claimants: list[Article], names: PublishedNames | None, input_dir: Path
) -> tuple[Article | None, str]:
    """Which claimant keeps `identity` (None: none may), and what the others are told."""
    if names and names.source and (input_dir / names.source).exists():
        owner = next((claimant for claimant in claimants if input_name(claimant.source, input_dir) == names.source), None)
        return owner, f"has the identity {identity!r} of the episode published from {input_dir / names.source}"
    if names and not names.source and len(claimants) > 1:
        files = " and ".join(str(claimant.source) for claimant in claimants)
        return None, (f"the identity {identity!r} of a published episode is claimed by {files}, and narrate "
                      "cannot tell which published it: give the newer one another url")
    return claimants[0], f"has the same identity {identity!r} as {claimants[0].source}"


def assign_identities(
    articles: Iterable[Article], known: dict[str, PublishedNames], base_url: str, now: dt.datetime, input_dir: Path
) -> dict[str, PublishedNames]:
    """Identities for every article: the recorded one when it exists, else a new unique one; each
    with the file that holds it now."""
    identities = dict(known)
    taken = {identity.slug for identity in identities.values()}
    for article in articles:
        source = input_name(article.source, input_dir)
        if article.identity in identities:
            identities[article.identity] = dataclasses.replace(identities[article.identity], source=source)
            continue
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, article.url or f"{base_url}#{article.identity}"))
        slug = _unique(slugify(article.title) or f"episode-{guid[:8]}", taken)
        taken.add(slug)
        identities[article.identity] = PublishedNames(slug, guid, now, source)
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
        key: {"slug": i.slug, "guid": i.guid, "first_published": i.first_published.isoformat(),
              **({"source": i.source} if i.source else {})}
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
    source = field(record, "source", str, what) if "source" in record else None  # not in files of older narrates
    return PublishedNames(
        slug, field(record, "guid", str, what), _moment(field(record, "first_published", str, what), what), source
    )


def _moment(text: str, what: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            return moment
    except ValueError:
        pass
    raise WrongShape(f"the first_published {text!r} of {what} is not a date and time with its time zone")
