"""A fallback backend that runs the `espeak-ng` command directly: no Python bindings involved."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from ..errors import SynthesisError
from ..model import AudioChunk
from . import BackendSpec, VoiceInfo
from .wav import read_wav

TIMEOUT_SECONDS = 120
MISSING = "the espeak-ng command is not installed: apt-get install espeak-ng"


class EspeakBackend:
    """One `espeak-ng` process per chunk, text passed on standard input (never through a shell)."""

    name: ClassVar[str] = "espeak-ng"
    max_chars: ClassVar[int] = 4000
    memory_mb: ClassVar[int] = 30
    workers_per_core: ClassVar[int] = 1

    def __init__(self, spec: BackendSpec) -> None:
        self._executable = _executable()
        self._voice = spec.voice
        self._rate = spec.rate
        self._workdir = tempfile.TemporaryDirectory(prefix="narrate-espeak-")

    @classmethod
    def unavailable(cls) -> str | None:
        return None if shutil.which("espeak-ng") else MISSING

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        """Parsed from `espeak-ng --voices`: language code, name, and the file that selects it."""
        listing = subprocess.run([_executable(), "--voices"], capture_output=True, text=True, check=False)
        voices = []
        for line in listing.stdout.splitlines()[1:]:
            columns = line.split()
            if len(columns) >= 5:
                language, name = columns[1], columns[3]
                voices.append(VoiceInfo(language, (language,), name.replace("_", " ")))
        return voices

    def synthesize(self, text: str, language: str) -> AudioChunk:
        wav_path = Path(self._workdir.name) / "clip.wav"
        command = [self._executable, "-v", self._voice or language, "-w", str(wav_path), "--stdin"]
        if self._rate:
            command += ["-s", str(self._rate)]
        try:
            result = subprocess.run(
                command, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            raise SynthesisError(f"espeak-ng did not finish within {TIMEOUT_SECONDS} s") from None
        audio = read_wav(wav_path)
        if result.returncode != 0 or audio is None:
            reason = result.stderr.decode("utf-8", "replace").strip() or "no audio written"
            raise SynthesisError(f"espeak-ng failed: {reason}")
        return audio


def _executable() -> str:
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise SynthesisError(MISSING)
    return executable
