"""The languages detected in earlier builds, so that an article is not detected again.

Loading the detection model takes ~0.5 s, more than a whole no-op build otherwise. The readers
detect; this file only remembers, in `.narrate/languages.json`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import Article
from ..readers.language import detect_article_language, detection_sample
from .json_file import expect, load_derivable, save

DAMAGE_CONSEQUENCE = "languages are detected again"


class KnownLanguages:
    """Languages of the articles of earlier builds, by what they were detected from.

    An article keeps its language while its detection sample is the same, or while its identity
    and title are: an edit of the body is a correction, not a translation.
    """

    def __init__(self, path: Path, warnings: list[str] | None = None) -> None:
        self.path = path
        self.known = load_derivable(path, _parse, {}, DAMAGE_CONSEQUENCE, warnings)

    def detect(self, article: Article) -> str:
        for key in _keys(article):
            if key in self.known:
                return self.known[key]
        return detect_article_language(article)

    def save(self, articles: Iterable[Article]) -> None:
        """Keep the languages of these articles (those gone since are forgotten); unchanged → not rewritten."""
        save(self.path, {key: article.language for article in articles if article.language for key in _keys(article)})


def _parse(stored: Any) -> dict[str, str]:
    known = expect(stored, dict, "the file")
    return {key: expect(language, str, f"the language of {key!r}") for key, language in known.items()}


def _keys(article: Article) -> tuple[str, str]:
    """What an article's language is remembered by: its detection sample, and its identity with its title."""
    return _digest(detection_sample(article)), _digest(f"{article.identity}\n{article.title}")


def _digest(sample: str) -> str:
    return hashlib.sha256(sample.encode("utf-8")).hexdigest()
