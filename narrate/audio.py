"""Stitch clips into one episode with chosen pauses, bring it to the target loudness, encode it as MP3.

The PCM is never joined: clips (trimmed as zero-copy views) are reduced to a loudness profile in
one pass, then limited and streamed with the pauses to ffmpeg's stdin in a second, so a
three-hour episode costs no extra copies.
"""

from __future__ import annotations

import audioop
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import AudioError
from .ffmpeg import run_with_input
from .limiter import FULL_SCALE, limited_pcm, limiter_gains
from .loudness import Loudness, Profile, normalising_gain, window_length, window_profile
from .model import AudioChunk, Clip, Segment, TimedSegment

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
) -> Stitched:
    """Join the clips with each segment's pause after it, bring the whole to the target loudness,
    write an MP3 to `destination`, and say where each segment's speech lies in it.

    Two passes over the clips: one reduces them to a loudness profile, one encodes. Clips are
    read one at a time in each, so a long episode is never held in memory.
    """
    if not clips:
        raise AudioError("nothing to stitch: the episode has no clips")
    source_rate = clips[0].audio.sample_rate
    intro, outro = (decode_file(path, source_rate) if path else None for path in (bookends.intro, bookends.outro))
    programme = Programme(clips, source_rate, intro, outro)
    layout = programme.measure()
    gain = normalising_gain(layout.profile, encoding.loudness)
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y",
        "-f", "s16le", "-ar", str(source_rate), "-ac", "1", "-i", "pipe:0", "-af", f"aresample={encoding.sample_rate}",
        "-c:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k", "-compression_level", str(encoding.quality),
        "-ac", "1", "-id3v2_version", "0", "-write_xing", "1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-f", "mp3", str(destination),
    ]
    run_with_input(command, programme.rendered(layout, gain, encoding.loudness), "encode the MP3")
    return Stitched(layout.timeline, layout.samples / source_rate)


@dataclass(frozen=True)
class Stitched:
    """Where each segment's speech lies in the encoded episode, and its length in seconds.

    The length is counted from the samples encoded: LAME's header tells decoders the encoder's
    delay and padding, so they play exactly these samples (a test decodes the file to check).
    """

    timeline: tuple[TimedSegment, ...]
    duration: float


@dataclass(frozen=True)
class Layout:
    """Where every sound of a programme starts (in samples), its loudness profile, and its length."""

    starts: tuple[int, ...]
    timeline: tuple[TimedSegment, ...]
    profile: Profile
    samples: int


@dataclass(frozen=True)
class Programme:
    """An episode's sounds in playing order (intro, one clip per segment, outro), with the pause after each.

    Nothing is joined or kept: each pass reads the clips again (a cached episode's clips are read
    from disk one at a time) and trims them as zero-copy views. A sound's loudness windows are
    counted from its own first sample and filed under the window where it starts, which moves its
    loudness by under 2 ms and keeps every pause exactly as chosen.
    """

    clips: Sequence[Clip]
    rate: int
    intro: AudioChunk | None = None
    outro: AudioChunk | None = None

    def measure(self) -> Layout:
        """The first pass: where each sound goes, and the loudness profile of the whole."""
        window = window_length(self.rate)
        starts, timeline, sounds = [], [], []
        position = round(LEAD_IN_SECONDS * self.rate)
        for pcm, segment, pause in self._sounds():
            samples = _as_float(pcm)
            starts.append(position)
            sounds.append((position // window, *window_profile(samples, self.rate)))
            end = position + len(samples)
            if segment is not None:
                timeline.append(TimedSegment(segment, _seconds(position, self.rate), _seconds(end, self.rate)))
            position = end + round(pause * self.rate)
        profile = Profile.of_sounds(self.rate, sounds, position // window + 1)
        return Layout(tuple(starts), tuple(timeline), profile, position)

    def rendered(self, layout: Layout, gain_db: float, loudness: Loudness) -> Iterator[bytes]:
        """The second pass: 16-bit PCM of the whole programme at `gain_db`, through the limiter."""
        scale = 10 ** (gain_db / 20)
        window = layout.profile.window
        gains = limiter_gains(layout.profile.peaks * scale, loudness.sample_ceiling, window / self.rate)
        position = 0
        for (pcm, _, _), start in zip(self._sounds(), layout.starts, strict=True):
            yield bytes((start - position) * SAMPLE_WIDTH)
            samples = _as_float(pcm)
            yield limited_pcm(samples, gains, start // window, window, scale)
            position = start + len(samples)
        yield bytes((layout.samples - position) * SAMPLE_WIDTH)

    def _sounds(self) -> Iterator[tuple[bytes | memoryview, Segment | None, float]]:
        if self.intro:
            yield _at_rate(self.intro, self.rate), None, BOOKEND_PAUSE_SECONDS
        for clip in self.clips:
            yield trim_silence(_at_rate(clip.audio, self.rate), self.rate), clip.segment, clip.segment.pause_after
        if self.outro:
            yield _at_rate(self.outro, self.rate), None, LEAD_IN_SECONDS


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


def _decode_command(path: Path, sample_rate: int) -> list[str]:
    return ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "-"]


def _seconds(samples: int, sample_rate: int) -> float:
    return round(samples / sample_rate, 3)


def _as_float(pcm: bytes | memoryview) -> np.ndarray:
    """16-bit PCM as float samples, full scale = 1."""
    return np.frombuffer(pcm, "<i2").astype(np.float32) / FULL_SCALE


def _at_rate(audio: AudioChunk, target: int) -> bytes:
    if audio.sample_rate == target:
        return audio.pcm
    return audioop.ratecv(audio.pcm, SAMPLE_WIDTH, 1, audio.sample_rate, target, None)[0]
