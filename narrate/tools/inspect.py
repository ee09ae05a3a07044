"""What an article will sound like, before any audio exists: its metadata, its body and its script.

`narrate inspect --json` prints `as_json(...)`; other tools read it, so its shape stays stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import VoiceConfig
from ..model import Article, Segment
from ..errors import NarrateError
from ..readers import read_file
from ..readers.reading import Reading
from ..speech.segment import segment
from ..speech import Lexicon
from ..tts import backend_class
from ..tts.voices import choose_voice, voice_reference

SHOWN_TITLE = 40
"""How much of each title the list of a feed's articles shows, to keep the message short."""


@dataclass(frozen=True)
class Inspection:
    """An article as read, the voice that would read it ("backend:voice") and the segments it would be given."""

    article: Article
    voice: str
    script: tuple[Segment, ...]


def inspect_article(
    path: Path, voice: VoiceConfig, pronunciations: dict[str, str], item: int | None = None
) -> Inspection:
    """Read one input and segment it exactly as `narrate build` would (same reader, lexicon and limit).

    A feed holds several articles: `item` (1 is the first) picks one of those it could read.
    """
    article = _chosen(read_file(path, path.parent), path, item)
    spec = choose_voice(article, voice)
    script = segment(article, backend_class(spec.name).max_chars, Lexicon(pronunciations))
    return Inspection(article, voice_reference(spec, article.language), tuple(script))


def _chosen(reading: Reading, path: Path, item: int | None) -> Article:
    articles = reading.articles
    if item is not None:
        if item > len(articles):
            raise NarrateError(f"has {len(articles)} readable article(s), so there is no item {item}", path)
        return articles[item - 1]
    if len(articles) == 1 and not reading.failures:
        return articles[0]
    if not articles:
        raise reading.failures[0]
    unread = f"; {len(reading.failures)} more could not be read" if reading.failures else ""
    listed = "; ".join(f"{number}: {_short(article.title)}" for number, article in enumerate(articles, 1))
    raise NarrateError(f"holds {len(articles)} articles, choose one with --item N ({listed}){unread}", path)


def _short(title: str) -> str:
    return title if len(title) <= SHOWN_TITLE else title[: SHOWN_TITLE - 1] + "…"


def as_json(inspection: Inspection) -> dict[str, Any]:
    """{title, date, author, language, url, voice, body, script: [{kind, text, source}]}; `text` is what is
    said, `voice` the voice that would say it ("piper:en_US-joe-medium")."""
    article = inspection.article
    return {
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
        "language": article.language,
        "url": article.url,
        "voice": inspection.voice,
        "body": [paragraph.strip() for paragraph in article.body],
        "script": [{"kind": s.kind, "text": s.text, "source": s.source} for s in inspection.script],
    }
