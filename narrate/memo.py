"""What reading and segmenting made of each input last time, so an unchanged file costs a hash, not a parse.

Reading a page and normalising its sentences for speech take ~20 ms per article: most of a no-op
build of fifty articles. The memo keeps two tables, both valid only for the narrate code that
wrote them (a digest of the package's own source files, so an upgrade or a local change to a
rule starts afresh):
- readings, by file path, valid while the file's bytes have the same digest;
- scripts (the segments of one article), by a digest of the article and of everything its
  segments depend on (voice, feed intro and outro, pronunciations).
Only what the latest build used is saved, so files and articles gone since are forgotten. The
memo is a cache: a missing, damaged or foreign file is simply rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import write_atomically
from .model import Segment
from .readers.reading import Reading

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent


class Memo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._readings: dict[str, tuple[str, Reading]] = {}
        self._scripts: dict[str, tuple[Segment, ...]] = {}
        self._used_readings: dict[str, tuple[str, Reading]] = {}
        self._used_scripts: dict[str, tuple[Segment, ...]] = {}
        try:
            stored = pickle.loads(path.read_bytes())
            if stored["code"] == code_digest():
                self._readings, self._scripts = stored["readings"], stored["scripts"]
        except FileNotFoundError:
            pass
        except Exception as error:  # anything unreadable is only a cache miss
            log.debug("memo %s not used: %s", path, error)

    def reading(self, path: Path, read: Callable[[], Reading]) -> Reading:
        """The file's articles as read last time if its bytes are the same, else `read()`.

        A reading that drew on other files (a feed that pulls in local pages) is not kept: its
        own bytes do not say whether it is still current.
        """
        key = str(path)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return read()  # it says what is wrong with the file
        kept = self._readings.get(key)
        reading = kept[1] if kept and kept[0] == digest else read()
        if not reading.used:
            self._used_readings[key] = (digest, reading)
        return reading

    def script(self, depends_on: tuple[Any, ...], make: Callable[[], tuple[Segment, ...]]) -> tuple[Segment, ...]:
        """The segments made last time from exactly `depends_on` (compared by its repr), else `make()`."""
        key = hashlib.sha256(repr(depends_on).encode("utf-8")).hexdigest()
        segments = self._scripts.get(key)
        if segments is None:
            segments = make()
        self._used_scripts[key] = segments
        return segments

    def save(self) -> None:
        stored = {"code": code_digest(), "readings": self._used_readings, "scripts": self._used_scripts}
        write_atomically(self.path, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))


@functools.cache
def code_digest() -> str:
    """A digest of narrate's own source files: what the memo's contents were computed by."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()
