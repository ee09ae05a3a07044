"""An article's language as an ISO 639-1 code: normalised from what its source states, else detected from its words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..model import Article

# A BCP 47 / POSIX locale tag whose primary subtag is a two-letter code: "uk", "en-US", "pt_BR", "de-AT".
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


def normalise_language(stated: str) -> str | None:
    """The ISO 639-1 code in a language tag ("en-US" → "en"); None when it holds none."""
    match = LANGUAGE_TAG.fullmatch(stated.strip())
    return match[1].lower() if match else None


SAMPLE_CHARACTERS = 2000
"""Detection reads the start of the article: enough to be sure of the language."""
TITLE_CHARACTERS = 200
"""At most this much of the sample is title: the body decides and the title only helps, since a
very long title would otherwise fill the sample on its own."""


def detection_sample(article: Article) -> str:
    return " ".join((article.title[:TITLE_CHARACTERS], *article.body))[:SAMPLE_CHARACTERS]


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
