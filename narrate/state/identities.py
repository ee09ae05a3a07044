"""Published identities (file name, GUID, first publication time): derived once, then kept forever."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path

from ..files import write_atomically
from ..model import Article, Identity

MAX_SLUG_LENGTH = 80


def assign_identities(
    articles: Iterable[Article], known: dict[str, Identity], base_url: str, now: dt.datetime
) -> dict[str, Identity]:
    """Identities for every article: the recorded one when it exists, else a new unique one."""
    identities = dict(known)
    taken = {identity.slug for identity in identities.values()}
    for article in articles:
        if article.identity in identities:
            continue
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, article.url or f"{base_url}#{article.identity}"))
        slug = _unique(slugify(article.title) or f"episode-{guid[:8]}", taken)
        taken.add(slug)
        identities[article.identity] = Identity(slug, guid, now)
    return identities


def slugify(title: str) -> str:
    """A short, URL-safe, lowercase ASCII file name from a title ('' when nothing Latin is left)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", ""))
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


def load_identities(path: Path) -> dict[str, Identity]:
    """The identities recorded by earlier builds ({} before the first build)."""
    if not path.is_file():
        return {}
    records = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: Identity(record["slug"], record["guid"], dt.datetime.fromisoformat(record["first_published"]))
        for key, record in records.items()
    }


def save_identities(path: Path, identities: dict[str, Identity]) -> None:
    records = {
        key: {"slug": i.slug, "guid": i.guid, "first_published": i.first_published.isoformat()}
        for key, i in sorted(identities.items())
    }
    write_atomically(path, (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
