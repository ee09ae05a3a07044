"""A fallback backend that runs the `espeak-ng` command directly: no Python bindings involved."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from ..errors import SynthesisError
from ..model import AudioChunk
from .wav import read_wav

TIMEOUT_SECONDS = 120


class EspeakBackend:
    """One `espeak-ng` process per chunk, text passed on standard input (never through a shell)."""

    name: ClassVar[str] = "espeak-ng"
    max_chars: ClassVar[int] = 4000

    def __init__(self, voice: str | None = None, rate: int | None = None) -> None:
        executable = shutil.which("espeak-ng")
        if executable is None:
            raise SynthesisError("the espeak-ng command is not installed: apt-get install espeak-ng")
        self._executable = executable
        self._voice = voice
        self._rate = rate
        self._workdir = tempfile.TemporaryDirectory(prefix="narrate-espeak-")

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
