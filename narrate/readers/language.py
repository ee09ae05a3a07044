"""An article's language as an ISO 639-1 code: normalised from what its source states, else detected from its words."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from ..files import write_atomically

# A BCP 47 / POSIX locale tag whose primary subtag is a two-letter code: "uk", "en-US", "pt_BR", "de-AT".
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*")


def normalise_language(stated: str) -> str | None:
    """The ISO 639-1 code in a language tag ("en-US" → "en"); None when it holds none."""
    match = LANGUAGE_TAG.fullmatch(stated.strip())
    return match[1].lower() if match else None


def detect_language(text: str) -> str:
    """The most likely of py3langid's 97 languages for `text`, as its ISO 639-1 code."""
    import py3langid  # here, not at the top: it brings numpy and loads its model (~0.5 s), needed only to detect

    language, _ = py3langid.classify(text)
    return str(language)


Detector = Callable[[str], str]


class KnownLanguages:
    """Languages detected by earlier builds, by a digest of the text, so an unchanged article is not
    detected again: detection loads a model, which costs more than a whole no-op build otherwise."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.known: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.used: dict[str, str] = {}

    def detect(self, text: str) -> str:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.used[key] = self.known.get(key) or detect_language(text)
        return self.used[key]

    def save(self) -> None:
        """Keep what this build used (articles gone since are forgotten); unchanged → not rewritten."""
        write_atomically(self.path, (json.dumps(self.used, indent=1, sort_keys=True) + "\n").encode("utf-8"))
