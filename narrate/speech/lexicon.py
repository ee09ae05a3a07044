"""The user's pronunciations: whole words or phrases replaced by respellings before anything else runs.

Case rule: a key with a capital letter matches only that exact spelling ("Kyiv" but not "KYIV");
an all-lowercase key matches the word in any case ("hryvnia", "Hryvnia", "HRYVNIA").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lexicon:
    """Word or phrase → how to say it, applied to whole words only, longest phrase first."""

    entries: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        exact = {_spaced(key): said for key, said in self.entries.items() if key != key.lower()}
        any_case = {_spaced(key): said for key, said in self.entries.items() if key == key.lower()}
        keys = sorted(self.entries, key=len, reverse=True)
        alternatives = [_pattern(key) if key != key.lower() else f"(?i:{_pattern(key)})" for key in keys]
        pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)") if keys else None
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_any_case", any_case)
        object.__setattr__(self, "_pattern", pattern)

    def apply(self, text: str) -> str:
        """`text` with every listed word or phrase respelt."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._respelling, text)

    def _respelling(self, match: re.Match[str]) -> str:
        written = _spaced(match.group(0))
        return self._exact.get(written) or self._any_case[written.lower()]


def _spaced(phrase: str) -> str:
    return " ".join(phrase.split())


def _pattern(key: str) -> str:
    """A key's words in order, with any run of whitespace between them."""
    return r"\s+".join(re.escape(word) for word in key.split())
