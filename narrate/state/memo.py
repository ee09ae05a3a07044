"""What reading and segmenting made of each input last time, so an unchanged file costs a hash, not a parse.

Reading a page and normalising its sentences for speech take ~20 ms per article: most of a no-op
build of fifty articles. The memo keeps two tables, both valid only for the narrate code that
wrote them (a digest of the package's own source files, so an upgrade or a local change to a
rule starts afresh):
- readings, by file path, valid while the file's bytes have the same digest;
- scripts (the segments of one article), by a digest of the article and of everything its
  segments depend on (voice, feed intro and outro, pronunciations).
Only what the latest build used is saved, so files and articles gone since are forgotten. The
memo is JSON, not a pickle: the output folder is often served on the web, and loading a pickle
someone else could write would run their code. It is a cache: a missing, damaged or foreign file
is simply rebuilt (a damaged one with a warning).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import Article, Block, Segment
from ..readers.reading import Reading
from .json_file import expect, field, load_derivable, pair, save

DAMAGE_CONSEQUENCE = "every article is read and segmented again"

PACKAGE = Path(__file__).resolve().parents[1]
"""narrate's own folder: every module in it can change what reading and segmenting make."""


class Memo:
    def __init__(self, path: Path, warnings: list[str] | None = None) -> None:
        self.path = path
        self._readings, self._scripts = load_derivable(path, _parse, ({}, {}), DAMAGE_CONSEQUENCE, warnings)
        self._used_readings: dict[str, tuple[str, list[Any]]] = {}
        self._used_scripts: dict[str, list[Any]] = {}

    def reading(self, path: Path, read: Callable[[], Reading]) -> Reading:
        """The file's articles as read last time if its bytes are the same, else `read()`.

        Kept only when it stands alone: a reading with failures or warnings is read again (its
        messages are worth the parse), and one that drew on other files (a feed that pulls in local pages)
        cannot tell from its own bytes whether it is still current.
        """
        key = str(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return read()  # it says what is wrong with the file
        kept = self._readings.get(key)
        if kept and kept[0] == digest:
            try:
                reading = Reading(tuple(_article(plain) for plain in kept[1]))
                self._used_readings[key] = kept
                return reading
            except (KeyError, TypeError, ValueError):
                pass
        reading = read()
        if not reading.used and not reading.failures and not reading.warnings:
            self._used_readings[key] = (digest, [_plain_article(article) for article in reading.articles])
        return reading

    def script(self, depends_on: tuple[Any, ...], make: Callable[[], tuple[Segment, ...]]) -> tuple[Segment, ...]:
        """The segments made last time from exactly `depends_on` (compared by its repr), else `make()`."""
        key = hashlib.sha256(repr(depends_on).encode("utf-8")).hexdigest()
        if key in self._scripts:
            try:
                segments = tuple(Segment(**plain) for plain in self._scripts[key])
                self._used_scripts[key] = self._scripts[key]
                return segments
            except TypeError:
                pass
        segments = make()
        self._used_scripts[key] = [dataclasses.asdict(segment) for segment in segments]
        return segments

    def save(self) -> None:
        save(self.path, {"code": code_digest(), "readings": self._used_readings, "scripts": self._used_scripts})


def _parse(stored: Any) -> tuple[dict[str, tuple[str, list[Any]]], dict[str, list[Any]]]:
    """The memo's two tables, when the narrate that wrote them is this one (another's is empty, not damaged).

    Their entries become articles and segments only when used, and one that does not fit is a miss.
    """
    expect(stored, dict, "the file")
    if field(stored, "code", str, "the file") != code_digest():
        return {}, {}
    readings = field(stored, "readings", dict, "the file")
    scripts = field(stored, "scripts", dict, "the file")
    for path, reading in readings.items():
        what = f"the reading of {path!r}"
        digest, articles = pair(reading, what)
        expect(digest, str, f"the digest in {what}")
        expect(articles, list, f"the articles in {what}")
    for key, segments in scripts.items():
        expect(segments, list, f"the script {key!r}")
    return readings, scripts


@functools.cache
def code_digest() -> str:
    """A digest of narrate's own source files: what the memo's contents were computed by."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _plain_article(article: Article) -> dict[str, Any]:
    plain = {field.name: getattr(article, field.name) for field in dataclasses.fields(article)}
    plain.update(
        source=str(article.source),
        blocks=[[block.kind, block.text] for block in article.blocks],
        date=article.date.isoformat() if article.date else None,
        time=article.time.isoformat() if article.time else None,
    )
    return plain


def _article(plain: dict[str, Any]) -> Article:
    return Article(**{
        **plain,
        "source": Path(plain["source"]),
        "blocks": tuple(Block(kind, text) for kind, text in plain["blocks"]),
        "date": dt.date.fromisoformat(plain["date"]) if plain["date"] else None,
        "time": dt.time.fromisoformat(plain["time"]) if plain["time"] else None,
    })
