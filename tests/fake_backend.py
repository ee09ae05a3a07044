"""A test backend that counts what it is asked to say and answers with a short tone (pipeline tests only)."""

from __future__ import annotations

import math

from narrate.model import AudioChunk
from narrate.tts import BackendSpec, VoiceInfo

RATE = 16000


class CountingBackend:
    name = "counting"
    max_chars = 400
    memory_mb = 5
    spoken: list[str] = []

    def __init__(self, spec: BackendSpec) -> None:
        self.spec = spec

    @classmethod
    def unavailable(cls) -> None:
        return None

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        return [VoiceInfo("tone", ("en", "uk"))]

    def synthesize(self, text: str, language: str) -> AudioChunk:
        CountingBackend.spoken.append(text)
        samples = 40 * len(text)
        tone = (int(6000 * math.sin(2 * math.pi * 330 * i / RATE)) for i in range(samples))
        return AudioChunk(b"".join(v.to_bytes(2, "little", signed=True) for v in tone), RATE)


def install(monkeypatch) -> type[CountingBackend]:
    """Make the counting backend the only installed one (in this process), with a fresh count."""
    import narrate.tts
    import narrate.tts.voices

    CountingBackend.spoken = []
    monkeypatch.setattr(narrate.tts, "installed_backends", lambda: {"counting": CountingBackend})
    monkeypatch.setattr(narrate.tts.voices, "installed_backends", lambda: {"counting": CountingBackend})
    return CountingBackend
