"""An article's language as an ISO 639-1 code: normalised from what its source states, else detected from its words."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..files import write_atomically
from ..model import Article

# A BCP 47 / POSIX locale tag whose primary subtag is a two-letter code: "uk", "en-US", "pt_BR", "de-AT".
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


def normalise_language(stated: str) -> str | None:
    """The ISO 639-1 code in a language tag ("en-US" → "en"); None when it holds none."""
    match = LANGUAGE_TAG.fullmatch(stated.strip())
    return match[1].lower() if match else None


SAMPLE_CHARACTERS = 2000
"""Detection reads the title and the start of the body: enough to be sure of the language."""


def detection_sample(article: Article) -> str:
    return " ".join((article.title, *article.body))[:SAMPLE_CHARACTERS]


def detect_article_language(article: Article) -> str:
    return detect_language(detection_sample(article))


_model: Any = None
"""py3langid's identifier, loaded on first use (~0.5 s, ~75 MB resident) and let go by release_model."""


def detect_language(text: str) -> str:
    """The most likely of py3langid's 97 languages for `text`, as its ISO 639-1 code."""
    global _model
    if _model is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # here: it brings numpy, needed only to detect

        _model = LanguageIdentifier.from_model_file(MODEL_FILE)
    language, _ = _model.classify(text)
    return str(language)


def release_model() -> None:
    """Let the detection model go: a build needs it only while reading, and the memory is
    better spent on encoding a long episode."""
    global _model
    _model = None


Detector = Callable[[Article], str]


class KnownLanguages:
    """Languages of the articles of earlier builds, so that an article is not detected again
    (loading the model takes ~0.5 s, more than a whole no-op build otherwise).

    An article keeps its language while its detection sample is the same, or while its identity
    and title are: an edit of the body is a correction, not a translation.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.known: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}

    def detect(self, article: Article) -> str:
        for key in _keys(article):
            if key in self.known:
                return self.known[key]
        return detect_article_language(article)

    def save(self, articles: Iterable[Article]) -> None:
        """Keep the languages of these articles (those gone since are forgotten); unchanged → not rewritten."""
        languages = {key: article.language for article in articles if article.language for key in _keys(article)}
        write_atomically(self.path, (json.dumps(languages, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _keys(article: Article) -> tuple[str, str]:
    """What an article's language is remembered by: its detection sample, and its identity with its title."""
    return _digest(detection_sample(article)), _digest(f"{article.identity}\n{article.title}")


def _digest(sample: str) -> str:
    return hashlib.sha256(sample.encode("utf-8")).hexdigest()
