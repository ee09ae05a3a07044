"""Content-addressed clip cache: unchanged text with an unchanged voice is never synthesised twice.

A clip's key hashes (format version, backend, voice, rate, voice folder, language, spoken text).
Each entry holds the clip's PCM and its shape (narrate.shape), with their lengths and a checksum,
so a truncated or corrupt file is detected, thrown away and synthesised again, never stitched into
an episode.
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomically
from ..errors import SynthesisError
from ..model import AudioChunk, Clip, ClipShape, Segment
from . import BackendSpec

# narrate.shape (and numpy with it) is imported where a clip is stored or read, not here: deciding
# that nothing changed needs only clip keys.

log = logging.getLogger(__name__)

CACHE_FORMAT = 2
MAGIC = b"NRCLIP2\n"
HEADER = struct.Struct("<8sIQIIII32s")
"""Magic, sample rate, PCM byte count, shape version, shape windows, shape start and end sample,
sha256 of everything after the header: the shape's peaks and energies (float32), then the PCM."""


def clip_key(spec: BackendSpec, language: str, text: str) -> str:
    """What a clip's audio depends on; pauses and worker threads do not change a clip."""
    identity = [CACHE_FORMAT, spec.name, spec.voice, spec.rate, spec.voice_dir, language, text]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode("utf-8")).hexdigest()


class ClipCache:
    """Clips stored as files named by their key, two hex digits of fan-out per folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def get(self, key: str) -> Entry | None:
        """The cached clip, or None when it is absent or damaged (a damaged file is removed)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:  # absent, or unreadable: synthesised again, and storing it says what is wrong
            return None
        entry = _decode(data)
        if entry is None:
            log.warning("cache entry %s is damaged; it will be synthesised again", path.name)
            path.unlink(missing_ok=True)
        return entry

    def has(self, key: str) -> bool:
        """Whether an entry exists (cheap; whether it is intact is checked when it is read)."""
        return self.path(key).is_file()

    def put(self, key: str, audio: AudioChunk) -> None:
        """Store a clip with its shape, worked out here: put runs where the clip was made, in a worker."""
        from ..audio.clip_shape import SHAPE_VERSION, shape_of

        shape = shape_of(audio)
        body = b"".join((shape.peaks.astype("<f4").tobytes(), shape.energies.astype("<f4").tobytes(), audio.pcm))
        header = HEADER.pack(MAGIC, audio.sample_rate, len(audio.pcm), SHAPE_VERSION, len(shape.peaks), shape.start,
                             shape.end, hashlib.sha256(body).digest())
        write_atomically(self.path(key), header + body)

    def keys(self) -> set[str]:
        return {path.stem for path in self.folder.glob("*/*.clip")}

    def remove_unused(self, used: Iterable[str]) -> tuple[int, int]:
        """Delete every entry whose key is not in `used`; returns (entries, bytes) freed."""
        keep = set(used)
        count = size = 0
        for path in self.folder.glob("*/*.clip"):
            if path.stem not in keep:
                size += path.stat().st_size
                path.unlink()
                count += 1
        return count, size


@dataclass(frozen=True)
class Entry:
    """A cached clip, and its shape unless that was worked out by another version of narrate."""

    audio: AudioChunk
    shape: ClipShape | None


class CachedClips(Sequence[Clip]):
    """An episode's clips, read from the cache one at a time as they are used, so a long article
    never holds all its audio in memory (3.5 hours of 22 kHz speech is over 500 MB)."""

    def __init__(self, cache: ClipCache, keys: Sequence[str], segments: Sequence[Segment]) -> None:
        self.cache, self.keys, self.segments = cache, tuple(keys), tuple(segments)

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> Clip:  # type: ignore[override]
        entry = self.cache.get(self.keys[index])
        if entry is None:
            raise SynthesisError("a cached clip disappeared or was damaged during the build; build again")
        return Clip(self.segments[index], entry.audio, entry.shape)

    def __iter__(self) -> Iterator[Clip]:
        return (self[index] for index in range(len(self)))


def _decode(data: bytes) -> Entry | None:
    import numpy as np

    from ..audio.clip_shape import SHAPE_VERSION

    if len(data) < HEADER.size:
        return None
    magic, rate, length, version, windows, start, end, digest = HEADER.unpack_from(data)
    body = memoryview(data)[HEADER.size :]
    shape_bytes = 2 * 4 * windows
    if magic != MAGIC or len(body) != shape_bytes + length or length == 0 or hashlib.sha256(body).digest() != digest:
        return None
    audio = AudioChunk(bytes(body[shape_bytes:]), rate)
    if version != SHAPE_VERSION:
        return Entry(audio, None)
    profile = np.frombuffer(body[:shape_bytes], "<f4").reshape(2, windows).copy()  # a view would hold the PCM
    return Entry(audio, ClipShape(rate, start, end, profile[0], profile[1]))
