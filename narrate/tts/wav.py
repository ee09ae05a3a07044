"""Read the WAV files command-line and library backends leave behind into an AudioChunk."""

from __future__ import annotations

import wave
from pathlib import Path

from pydub import AudioSegment

from ..model import AudioChunk


def read_wav(path: Path) -> AudioChunk | None:
    """The file's audio as mono 16-bit PCM, or None when it is missing, unreadable or empty."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.readframes(wav.getnframes())
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
    except (OSError, EOFError, wave.Error):
        return None
    if not frames:
        return None
    if (width, channels) != (2, 1):
        audio = AudioSegment(data=frames, sample_width=width, frame_rate=rate, channels=channels)
        frames = audio.set_sample_width(2).set_channels(1).raw_data
    return AudioChunk(frames, rate)
