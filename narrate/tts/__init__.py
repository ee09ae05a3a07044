"""Text-to-speech backends: one Protocol, discovered through the `narrate.backends` entry-point group."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import ClassVar, Protocol

from ..errors import ConfigError
from ..model import AudioChunk

ENTRY_POINT_GROUP = "narrate.backends"


class Backend(Protocol):
    """Speaks one chunk of text at a time. A backend object lives as long as its worker process."""

    name: ClassVar[str]
    max_chars: ClassVar[int]
    """The longest text one `synthesize` call accepts; the segmenter never sends more."""

    def __init__(self, voice: str | None = None, rate: int | None = None) -> None: ...

    def synthesize(self, text: str, language: str) -> AudioChunk:
        """Audio for `text`, never empty; raises SynthesisError when the backend cannot speak it."""
        ...


@dataclass(frozen=True)
class BackendSpec:
    """Everything needed to create a backend in another process (it must pickle)."""

    name: str
    voice: str | None = None
    rate: int | None = None


def installed_backends() -> dict[str, type[Backend]]:
    """Backend classes by name, built-in ones included, loaded from the entry-point group."""
    return {point.name: point.load() for point in entry_points(group=ENTRY_POINT_GROUP)}


def backend_class(name: str) -> type[Backend]:
    backends = installed_backends()
    if name not in backends:
        known = ", ".join(sorted(backends)) or "none"
        raise ConfigError([f"unknown voice.backend {name!r} (installed: {known})"])
    return backends[name]


def create_backend(spec: BackendSpec) -> Backend:
    return backend_class(spec.name)(voice=spec.voice, rate=spec.rate)
