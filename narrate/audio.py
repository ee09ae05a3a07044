"""Stitch clips into one episode with chosen pauses, bring it to the target loudness, encode it as MP3,
and measure what was encoded.

The PCM is never joined: clips (trimmed as zero-copy views) and pauses are streamed to ffmpeg's
stdin, to measure loudness and then to encode, so a three-hour episode costs no extra copies.
"""

from __future__ import annotations

import audioop
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AudioError
from .ffmpeg import run_with_input
from .loudness import Loudness, chain
from .model import AudioChunk, Clip, TimedSegment

SAMPLE_WIDTH = 2
LEAD_IN_SECONDS = 0.25
BOOKEND_PAUSE_SECONDS = 0.75
"""Silence between a user's intro audio and the first sentence (and before the outro audio)."""
LAME_QUALITY = 7
"""libmp3lame's -compression_level (LAME -q): 7 encodes speech 1.7× faster than the default 5,
closer to the source below 4 kHz and further above it (bench/README.md, "MP3 quality setting")."""
TRIM_THRESHOLD = 0.01
"""Samples below 1% of a clip's peak (−40 dB) at its edges count as the backend's own silence."""
TRIM_KEEP_SECONDS = 0.02
"""Kept on each side of the speech, so soft onsets and decays are not clipped."""
READ_CHUNK = 1 << 20
CHECK_RATE = 8000
"""Decoding to check a file only needs to succeed; the lowest common rate costs least."""


@dataclass(frozen=True)
class Encoding:
    """How episodes are encoded: mono, constant bitrate, normalised to a loudness target."""

    sample_rate: int
    bitrate_kbps: int
    loudness: Loudness = field(default_factory=Loudness)
    quality: int = LAME_QUALITY


@dataclass(frozen=True)
class Bookends:
    """A user's own audio files, played before the first sentence and after the last."""

    intro: Path | None = None
    outro: Path | None = None


def stitch(
    clips: Sequence[Clip], encoding: Encoding, destination: Path, bookends: Bookends = Bookends()
) -> tuple[TimedSegment, ...]:
    """Join the clips with each segment's pause after it, write an MP3 to `destination`, and
    return where each segment's speech lies in it."""
    if not clips:
        raise AudioError("nothing to stitch: the episode has no clips")
    source_rate = clips[0].audio.sample_rate
    intro, outro = (decode_file(path, source_rate) if path else None for path in (bookends.intro, bookends.outro))
    programme = Programme(clips, source_rate, intro, outro)
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "s16le", "-ar", str(source_rate), "-ac", "1", "-i", "pipe:0",
        "-af", f"aresample={encoding.sample_rate},{chain(programme, source_rate, encoding.loudness)}",
        "-c:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k", "-compression_level", str(encoding.quality),
        "-ac", "1", "-id3v2_version", "0", "-write_xing", "1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-f", "mp3", str(destination),
    ]
    timeline: list[TimedSegment] = []
    run_with_input(command, _noting_times(programme.placed(), timeline), "encode the MP3")
    return tuple(timeline)


def _noting_times(
    placed: Iterator[tuple[bytes | memoryview, TimedSegment | None]], timeline: list[TimedSegment]
) -> Iterator[bytes | memoryview]:
    """The pieces of the encoding pass, noting where each segment lies as it goes by (no extra pass)."""
    for piece, timed in placed:
        if timed:
            timeline.append(timed)
        yield piece


@dataclass(frozen=True)
class Programme:
    """An episode's PCM in playing order, produced piece by piece each time it is iterated.

    Nothing is joined or kept: each pass reads the clips again (a cached episode's clips are read
    from disk one at a time), trims them as zero-copy views, and yields them between pauses.
    """

    clips: Sequence[Clip]
    rate: int
    intro: AudioChunk | None = None
    outro: AudioChunk | None = None

    def __iter__(self) -> Iterator[bytes | memoryview]:
        return (piece for piece, _ in self.placed())

    def placed(self) -> Iterator[tuple[bytes | memoryview, TimedSegment | None]]:
        """Each piece with, for a segment's speech, where it lies in seconds from the episode's start."""
        silences: dict[float, bytes] = {}

        def silence(seconds: float) -> tuple[bytes, None]:
            return silences.setdefault(seconds, bytes(round(seconds * self.rate) * SAMPLE_WIDTH)), None

        position = 0
        opening = [silence(LEAD_IN_SECONDS)]
        if self.intro:
            opening += [(_at_rate(self.intro, self.rate), None), silence(BOOKEND_PAUSE_SECONDS)]
        for piece, _ in opening:
            yield piece, None
            position += len(piece)
        for clip in self.clips:
            speech = trim_silence(_at_rate(clip.audio, self.rate), self.rate)
            end = position + len(speech)
            yield speech, TimedSegment(clip.segment, _seconds(position, self.rate), _seconds(end, self.rate))
            pause, _ = silence(clip.segment.pause_after)
            yield pause, None
            position = end + len(pause)
        if self.outro:
            yield _at_rate(self.outro, self.rate), None
            yield silence(LEAD_IN_SECONDS)


def trim_silence(pcm: bytes | memoryview, rate: int) -> memoryview:
    """The clip without the silence a backend leaves at its edges (a view, not a copy), keeping
    TRIM_KEEP_SECONDS either side of the speech; a silent clip is returned whole.

    Edges are found a millisecond window at a time (audioop.max in C), not sample by sample.
    Trimming happens here, not before caching, so cached clips stay as the backend made them:
    a different trim needs no re-synthesis and no cache format change.
    """
    view = memoryview(pcm)
    peak = audioop.max(view, SAMPLE_WIDTH)
    if peak == 0:
        return view
    window = max(1, rate // 1000) * SAMPLE_WIDTH
    starts = range(0, len(view), window)

    def loud(start: int) -> bool:
        return audioop.max(view[start : start + window], SAMPLE_WIDTH) > peak * TRIM_THRESHOLD

    first = next(start for start in starts if loud(start))
    last = next(start for start in reversed(starts) if loud(start))
    keep = round(TRIM_KEEP_SECONDS * rate) * SAMPLE_WIDTH
    return view[max(0, first - keep) : min(len(view), last + window + keep)]


def decode_file(path: Path, sample_rate: int) -> AudioChunk:
    """A user's audio file (any format ffmpeg reads) as mono 16-bit PCM at `sample_rate`."""
    if not path.is_file():
        raise AudioError(f"audio file {path} does not exist")
    result = subprocess.run(_decode_command(path, sample_rate), capture_output=True)
    if result.returncode != 0 or not result.stdout:
        said = result.stderr.decode(errors="replace").strip().splitlines() or ["no audio in it"]
        reason = said[-1].replace(str(path), "").strip(": ")
        raise AudioError(f"ffmpeg cannot decode this file as audio ({reason})", path)
    return AudioChunk(result.stdout, sample_rate)


def check_decodable(path: Path) -> None:
    """Raise AudioError, naming the file, unless ffmpeg can decode it: a broken intro or outro must
    stop a build before its speech is synthesised, not after."""
    decode_file(path, CHECK_RATE)


def decoded_duration(path: Path, sample_rate: int) -> float:
    """Seconds of audio in the file, counted by decoding every frame at its own rate (headers can lie).

    The decoded samples are counted as they stream past, never held.
    """
    try:
        process = subprocess.Popen(_decode_command(path, sample_rate), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise AudioError("the ffmpeg command is not installed: apt-get install ffmpeg") from None
    assert process.stdout is not None and process.stderr is not None
    count = 0
    while chunk := process.stdout.read(READ_CHUNK):
        count += len(chunk)
    errors = process.stderr.read()
    if process.wait() != 0:
        raise AudioError(f"ffmpeg cannot decode {path.name}: {errors.decode(errors='replace').strip()}")
    return count / SAMPLE_WIDTH / sample_rate


def _decode_command(path: Path, sample_rate: int) -> list[str]:
    return ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"]


def _seconds(byte_offset: int, sample_rate: int) -> float:
    return round(byte_offset / SAMPLE_WIDTH / sample_rate, 3)


def _at_rate(audio: AudioChunk, target: int) -> bytes:
    if audio.sample_rate == target:
        return audio.pcm
    return audioop.ratecv(audio.pcm, SAMPLE_WIDTH, 1, audio.sample_rate, target, None)[0]
