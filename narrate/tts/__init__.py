"""Text-to-speech backends: one Protocol, discovered through the `narrate.backends` entry-point group.

Built-in backends register through the same group a third-party package uses, so a package that
declares `[project.entry-points."narrate.backends"] mine = "pkg.module:MyBackend"` adds a backend
without touching narrate.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import ClassVar, Protocol

from ..errors import ConfigError
from ..model import AudioChunk

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "narrate.backends"


@dataclass(frozen=True)
class BackendSpec:
    """A voice to speak with: everything needed to create a backend in another process (it pickles)."""

    name: str
    voice: str | None = None
    rate: int | None = None
    """Words per minute; None keeps the voice's own pace."""
    pause_scale: float = 1.0
    """Multiplies every pause between sentences, paragraphs and after the title."""
    voice_dir: str | None = None
    """A folder of extra voice models (for backends that load models, such as Piper)."""
    threads: int = 1
    """CPU threads one worker may use (neural backends); the runner sets it from --jobs."""


@dataclass(frozen=True)
class VoiceInfo:
    """One voice a backend offers: its name (as `voice.voice` takes it) and the languages it speaks."""

    name: str
    languages: tuple[str, ...]
    description: str = ""


class Backend(Protocol):
    """Speaks one chunk of text at a time. A backend object lives as long as its worker process.

    It may also set `workers_per_core`, read through `workers_per_core()` below.
    """

    name: ClassVar[str]
    max_chars: ClassVar[int]
    """The longest text one `synthesize` call accepts; the segmenter never sends more."""
    memory_mb: ClassVar[int]
    """Resident memory one worker needs, so the default number of workers fits in memory."""

    def __init__(self, spec: BackendSpec) -> None: ...

    @classmethod
    def unavailable(cls) -> str | None:
        """Why this backend cannot run here (with the command that fixes it), or None when it can."""
        ...

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        """The voices this backend can speak with on this machine."""
        ...

    def synthesize(self, text: str, language: str) -> AudioChunk:
        """Audio for `text`, never empty; raises SynthesisError when the backend cannot speak it."""
        ...


@functools.cache
def installed_backends() -> dict[str, type[Backend]]:
    """Backend classes by name, built-in ones included; a plugin that fails to import is skipped.

    Found once per process: scanning the installed packages' entry points takes milliseconds, and
    a build asks once per article."""
    backends = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            backends[point.name] = point.load()
        except Exception as error:  # a broken third-party plugin must not break narrate
            log.warning("backend %r could not be loaded: %s", point.name, error)
    return backends


def backend_class(name: str) -> type[Backend]:
    backends = installed_backends()
    if name not in backends:
        known = ", ".join(sorted(backends)) or "none"
        raise ConfigError([f"unknown voice.backend {name!r} (installed: {known})"])
    return backends[name]


def create_backend(spec: BackendSpec) -> Backend:
    return backend_class(spec.name)(spec)


def workers_per_core(backend: type[Backend]) -> int:
    """Default workers per CPU core: above 1 for a backend that spends most of a call waiting.

    Optional in the backend contract (README, "Backends are plugins"): a backend without it gets 1."""
    return getattr(backend, "workers_per_core", 1)
