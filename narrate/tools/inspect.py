"""What an article will sound like, before any audio exists: its metadata, its body and its script.

`narrate inspect --json` prints `as_json(...)`; other tools read it, so its shape stays stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import VoiceConfig
from ..model import Article, Segment
from ..readers import read_article
from ..speech.segment import segment
from ..speech import Lexicon
from ..tts import backend_class
from ..tts.voices import choose_voice


@dataclass(frozen=True)
class Inspection:
    """An article as read, and the segments its chosen voice would be given."""

    article: Article
    script: tuple[Segment, ...]


def inspect_article(path: Path, voice: VoiceConfig, pronunciations: dict[str, str]) -> Inspection:
    """Read one input and segment it exactly as `narrate build` would (same reader, lexicon and limit)."""
    article = read_article(path, path.parent)
    max_chars = backend_class(choose_voice(article, voice).name).max_chars
    return Inspection(article, tuple(segment(article, max_chars, Lexicon(pronunciations))))


def as_json(inspection: Inspection) -> dict[str, Any]:
    """{title, date, author, language, url, body, script: [{kind, text, source}]}; `text` is what is said."""
    article = inspection.article
    return {
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
        "language": article.language,
        "url": article.url,
        "body": [paragraph.strip() for paragraph in article.body],
        "script": [{"kind": s.kind, "text": s.text, "source": s.source} for s in inspection.script],
    }
