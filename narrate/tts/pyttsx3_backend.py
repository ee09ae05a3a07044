"""The default backend: pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS).

pyttsx3 on Linux sometimes returns before its espeak thread has written the file, and prints
"Audio saved to …" from that thread. The usage here (one engine per process for its whole life,
one paragraph per call, wait with `_espeak.Synchronize()`, check the file, retry) held on 1,100
calls under load; see FIELD-NOTES.md.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import platform
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from ..errors import SynthesisError
from ..model import AudioChunk
from . import BackendSpec, VoiceInfo
from .wav import read_wav

log = logging.getLogger(__name__)

ATTEMPTS = 3
DEFAULT_RATE = 200  # pyttsx3's own default, in words per minute

_engine_settings: tuple[str, int] | None = None


class Pyttsx3Backend:
    """pyttsx3 speaking into WAV files; the engine is created once and kept (re-init crashes)."""

    name: ClassVar[str] = "pyttsx3"
    max_chars: ClassVar[int] = 2000  # pyttsx3 segfaults at 14 KB and slows quadratically before
    memory_mb: ClassVar[int] = 60
    workers_per_core: ClassVar[int] = 2  # its event loop sleeps 10 ms per call: a second worker fills the wait

    def __init__(self, spec: BackendSpec) -> None:
        self._engine = _start_engine()
        self._spec = spec
        if spec.voice:
            self._apply_settings(spec.voice)
        self._workdir = tempfile.TemporaryDirectory(prefix="narrate-pyttsx3-")
        atexit.register(self._release_engine)

    @classmethod
    def unavailable(cls) -> str | None:
        try:
            import pyttsx3  # noqa: F401
        except ImportError:
            return 'pyttsx3 is not installed: pip install "pyttsx3>=2.99"'
        if platform.system() == "Linux" and not _has_libespeak():
            return "libespeak-ng is missing: apt-get install espeak-ng"
        return None

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        """The engine's voices; a voice is chosen by id, name or language code (e.g. "uk")."""
        engine = _start_engine()
        return [
            VoiceInfo(voice.id, tuple(voice.languages or ()), voice.name or "")
            for voice in engine.getProperty("voices")
        ]

    def synthesize(self, text: str, language: str) -> AudioChunk:
        self._apply_settings(self._spec.voice or language)
        wav_path = Path(self._workdir.name) / "clip.wav"
        for attempt in range(1, ATTEMPTS + 1):
            wav_path.unlink(missing_ok=True)
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, str(wav_path))
                self._engine.runAndWait()
                _wait_for_espeak()
            audio = read_wav(wav_path)
            if audio is not None:
                return audio
            log.debug("pyttsx3 wrote no audio on attempt %d of %d", attempt, ATTEMPTS)
        raise SynthesisError(f"pyttsx3 produced no audio after {ATTEMPTS} attempts")

    def _release_engine(self) -> None:
        """Drop the engine while modules still exist: pyttsx3's __del__ fails noisily at interpreter exit."""
        self._engine = None

    def _apply_settings(self, voice: str) -> None:
        """Set voice and rate on the shared engine unless it already has them.

        The engine is one per process, so another backend object may have changed it since.
        """
        global _engine_settings
        wanted = (voice, self._spec.rate or DEFAULT_RATE)
        if _engine_settings == wanted:
            return
        try:
            self._engine.setProperty("voice", voice)
            self._engine.setProperty("rate", wanted[1])
        except Exception as error:  # drivers raise ValueError, KeyError or ctypes errors
            raise SynthesisError(f"pyttsx3 has no voice {voice!r}: {error}") from None
        _engine_settings = wanted


def _start_engine() -> Any:
    """pyttsx3's engine for this process (pyttsx3 keeps one per driver; creating another crashes)."""
    try:
        import pyttsx3
    except ImportError:
        raise SynthesisError('pyttsx3 is not installed: pip install "pyttsx3>=2.99"') from None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return pyttsx3.init()
    except Exception as error:  # the driver raises bare RuntimeError/OSError variants
        raise SynthesisError(f"pyttsx3 could not start its speech engine: {error}") from None


def _has_libespeak() -> bool:
    from ctypes.util import find_library

    return any(find_library(name) for name in ("espeak-ng", "espeak"))


def _wait_for_espeak() -> None:
    """On Linux, block until libespeak-ng has delivered every sample of the utterance."""
    if platform.system() != "Linux":
        return
    espeak: Any = __import__("pyttsx3.drivers._espeak", fromlist=["Synchronize"])
    espeak.Synchronize()
