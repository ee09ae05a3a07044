"""Read the WAV files command-line and library backends leave behind into an AudioChunk."""

from __future__ import annotations

import audioop
import wave
from pathlib import Path

from ..model import AudioChunk

SAMPLE_WIDTH = 2


def read_wav(path: Path) -> AudioChunk | None:
    """The file's audio as mono 16-bit PCM, or None when it is missing, unreadable, empty or has
    more than two channels (no speech engine writes those)."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.readframes(wav.getnframes())
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
    except (OSError, EOFError, wave.Error):
        return None
    if not frames or channels > 2:
        return None
    return AudioChunk(as_mono_16_bit(frames, width, channels), rate)


def as_mono_16_bit(frames: bytes, width: int, channels: int) -> bytes:
    """WAV samples of any integer width, mono or stereo, as mono 16-bit (8-bit WAV is unsigned)."""
    if width == 1:
        frames = audioop.bias(frames, 1, -128)
    if width != SAMPLE_WIDTH:
        frames = audioop.lin2lin(frames, width, SAMPLE_WIDTH)
    if channels == 2:
        frames = audioop.tomono(frames, SAMPLE_WIDTH, 0.5, 0.5)
    return frames
