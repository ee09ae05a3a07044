"""What runs inside a synthesis worker process: one backend, made at start-up, then one clip per call.

Spawned workers import this module afresh, so it imports only what making a clip needs; the
scheduling (narrate.tts.runner) stays in the main process.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from ..errors import SynthesisError
from ..model import AudioChunk
from . import Backend, BackendSpec, create_backend
from .clip_cache import ClipCache

_backend: Backend | None = None
_cache: ClipCache | None = None


@dataclass(frozen=True)
class ClipRequest:
    """One clip to make: the key it is cached under, and what to say in which language."""

    key: str
    text: str
    language: str


def start_worker(spec: BackendSpec, cache: ClipCache | None) -> None:
    """Create this worker's backend once; backend chatter on stdout must not reach the user."""
    global _backend, _cache
    with contextlib.redirect_stdout(io.StringIO()):
        _backend = create_backend(spec)
    _cache = cache


def speak_in_worker(request: ClipRequest) -> AudioChunk | None:
    assert _backend is not None, "worker started without a backend"
    return speak(_backend, _cache, request)


def speak(backend: Backend, cache: ClipCache | None, request: ClipRequest) -> AudioChunk | None:
    """One clip: stored in the cache (None is returned, so the audio never travels between
    processes), or returned when there is no cache."""
    audio = backend.synthesize(request.text, request.language)
    if cache is None:
        return audio
    try:
        cache.put(request.key, audio)
    except OSError as error:
        raise SynthesisError(f"cannot store speech in the cache {cache.folder}: {error.strerror}") from None
    return None
