"""Stitch clips into one episode with chosen pauses, encode it as MP3, and measure what was encoded."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment

from .errors import AudioError
from .model import Clip, TimedSegment

SAMPLE_WIDTH = 2
LEAD_IN_SECONDS = 0.25


@dataclass(frozen=True)
class Encoding:
    """How episodes are encoded: mono, constant bitrate."""

    sample_rate: int
    bitrate_kbps: int


def stitch(clips: Sequence[Clip], encoding: Encoding, destination: Path) -> tuple[TimedSegment, ...]:
    """Join the clips with each segment's pause after it, write an MP3 to `destination`, and
    return where each segment's speech lies in it.

    The PCM is joined once with bytes.join (pydub's `+` in a loop copies everything each time).
    """
    if not clips:
        raise AudioError("nothing to stitch: the episode has no clips")
    source_rate = clips[0].audio.sample_rate
    parts = [_silence(LEAD_IN_SECONDS, source_rate)]
    timeline = []
    position = len(parts[0])
    for clip in clips:
        speech = _at_rate(clip.audio.pcm, clip.audio.sample_rate, source_rate)
        pause = _silence(clip.segment.pause_after, source_rate)
        parts += [speech, pause]
        end = position + len(speech)
        timeline.append(TimedSegment(clip.segment, _seconds(position, source_rate), _seconds(end, source_rate)))
        position = end + len(pause)
    episode = AudioSegment(data=b"".join(parts), sample_width=SAMPLE_WIDTH, frame_rate=source_rate, channels=1)
    _require_ffmpeg()
    try:
        episode.export(
            str(destination),
            format="mp3",
            codec="libmp3lame",
            bitrate=f"{encoding.bitrate_kbps}k",
            parameters=["-ar", str(encoding.sample_rate), "-ac", "1", "-id3v2_version", "0",
                        "-write_xing", "1", "-fflags", "+bitexact", "-flags:a", "+bitexact"],
        ).close()
    except Exception as error:  # pydub raises CouldntEncodeError with ffmpeg's whole log
        raise AudioError(f"ffmpeg could not encode the MP3: {str(error).strip()[-300:]}") from None
    return tuple(timeline)


def decoded_duration(path: Path, sample_rate: int) -> float:
    """Seconds of audio in the file, counted by decoding every frame at its own rate (headers can lie)."""
    _require_ffmpeg()
    result = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"],
        capture_output=True,
    )
    if result.returncode != 0:
        raise AudioError(f"ffmpeg cannot decode {path.name}: {result.stderr.decode(errors='replace').strip()}")
    return len(result.stdout) / SAMPLE_WIDTH / sample_rate


def _seconds(byte_offset: int, sample_rate: int) -> float:
    return round(byte_offset / SAMPLE_WIDTH / sample_rate, 3)


def _silence(seconds: float, sample_rate: int) -> bytes:
    return bytes(round(seconds * sample_rate) * SAMPLE_WIDTH)


def _at_rate(pcm: bytes, rate: int, target: int) -> bytes:
    if rate == target:
        return pcm
    clip = AudioSegment(data=pcm, sample_width=SAMPLE_WIDTH, frame_rate=rate, channels=1)
    return clip.set_frame_rate(target).raw_data


def _require_ffmpeg() -> None:
    if shutil.which("ffmpeg") is None:
        raise AudioError("the ffmpeg command is not installed: apt-get install ffmpeg")
