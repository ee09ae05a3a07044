"""An article's language as an ISO 639-1 code: normalised from what its source states, else detected from its words."""

from __future__ import annotations

import re

import py3langid

# A BCP 47 / POSIX locale tag whose primary subtag is a two-letter code: "uk", "en-US", "pt_BR", "de-AT".
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


def normalise_language(stated: str) -> str | None:
    """The ISO 639-1 code in a language tag ("en-US" → "en"); None when it holds none."""
    match = LANGUAGE_TAG.fullmatch(stated.strip())
    return match[1].lower() if match else None


def detect_language(text: str) -> str:
    """The most likely of py3langid's 97 languages for `text`, as its ISO 639-1 code."""
    language, _ = py3langid.classify(text)
    return str(language)
