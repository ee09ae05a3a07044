"""WAV files as backends leave them: any integer sample width, mono or stereo, read as mono 16-bit."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import pytest

from narrate.tts.wav import read_wav

RATE = 16000


def write_wav(path: Path, frames: bytes, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(RATE)
        wav.writeframes(frames)
    return path


def samples(pcm: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(pcm) // 2}h", pcm))


def test_mono_16_bit_is_read_as_it_is(tmp_path):
    frames = struct.pack("<4h", 0, 1000, -1000, 32767)
    chunk = read_wav(write_wav(tmp_path / "a.wav", frames, 2, 1))
    assert (chunk.pcm, chunk.sample_rate) == (frames, RATE)


def test_unsigned_8_bit_becomes_signed_16_bit(tmp_path):
    # 8-bit WAV is unsigned: 128 is silence, 255 near full scale up, 0 full scale down.
    chunk = read_wav(write_wav(tmp_path / "a.wav", bytes([128, 255, 0]), 1, 1))
    assert samples(chunk.pcm) == [0, 127 * 256, -128 * 256]


def test_24_bit_keeps_its_top_16_bits(tmp_path):
    values = [0, 0x123456, -0x123456]
    frames = b"".join(value.to_bytes(3, "little", signed=True) for value in values)
    chunk = read_wav(write_wav(tmp_path / "a.wav", frames, 3, 1))
    assert samples(chunk.pcm) == [0, 0x1234, -0x1235]


def test_stereo_is_mixed_to_mono(tmp_path):
    frames = struct.pack("<4h", 1000, 3000, -2000, 2000)
    chunk = read_wav(write_wav(tmp_path / "a.wav", frames, 2, 2))
    assert samples(chunk.pcm) == [2000, 0]


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00", None])
def test_missing_empty_or_broken_files_give_none(tmp_path, content):
    path = tmp_path / "a.wav"
    if content is not None:
        path.write_bytes(content)
    assert read_wav(path) is None


def test_more_than_two_channels_gives_none(tmp_path):
    assert read_wav(write_wav(tmp_path / "a.wav", struct.pack("<3h", 1, 2, 3), 2, 3)) is None
