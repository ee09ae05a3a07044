"""Stitch clips into one episode with chosen pauses, bring it to the target loudness, encode it as MP3.

The PCM is never joined. The clips' shapes (where the speech lies, and its loudness profile,
usually cached by the worker that made the clip) give the layout and the gain; then the clips are
cut as zero-copy views, limited and streamed with the pauses to ffmpeg's stdin, so a three-hour
episode costs no extra copies.
"""

from __future__ import annotations

import audioop
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


from ..errors import AudioError
from .ffmpeg import run_with_input
from .settings import Bookends, Encoding, Loudness
from .limiter import limited_pcm
from .loudness import Profile, normalising_gain, window_length
from ..model import AudioChunk, Clip, ClipShape, Segment, TimedSegment
from .clip_shape import SAMPLE_WIDTH, as_float, shape_of

LEAD_IN_SECONDS = 0.25
BOOKEND_PAUSE_SECONDS = 0.75
"""Silence between a user's intro audio and the first sentence (and before the outro audio)."""
CHECK_RATE = 8000
"""Decoding to check a file only needs to succeed; the lowest common rate costs least."""


def stitch(
    clips: Sequence[Clip], encoding: Encoding, destination: Path, bookends: Bookends = Bookends()
) -> Stitched:
    """Join the clips with each segment's pause after it, bring the whole to the target loudness,
    write an MP3 to `destination`, and say where each segment's speech lies in it.

    Two passes over the clips: one lays out their shapes, one encodes. Clips are read one at a
    time in each, so a long episode is never held in memory.
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
    """Where every sound of a programme starts (in samples), the part of it kept, its loudness
    profile, and its length."""

    starts: tuple[int, ...]
    kept: tuple[tuple[int, int], ...]
    timeline: tuple[TimedSegment, ...]
    profile: Profile
    samples: int


@dataclass(frozen=True)
class Programme:
    """An episode's sounds in playing order (intro, one clip per segment, outro), with the pause after each.

    Nothing is joined or kept: each pass reads the clips again (a cached episode's clips are read
    from disk one at a time) and cuts them as zero-copy views. A sound's loudness windows are
    counted from its own first kept sample and filed under the window where it starts, which moves
    its loudness by under 2 ms and keeps every pause exactly as chosen.
    """

    clips: Sequence[Clip]
    rate: int
    intro: AudioChunk | None = None
    outro: AudioChunk | None = None

    def measure(self) -> Layout:
        """The first pass: where each sound goes, and the loudness profile of the whole.

        A clip's shape comes from the cache when the synthesis worker left one there; only
        the others (bookends, clips at another rate, uncached clips) are measured here.
        """
        window = window_length(self.rate)
        starts, kept, timeline, sounds = [], [], [], []
        position = round(LEAD_IN_SECONDS * self.rate)
        for audio, known, segment, pause in self._sounds():
            shape = known or shape_of(audio, trim=segment is not None)
            starts.append(position)
            kept.append((shape.start, shape.end))
            sounds.append((position // window, shape.peaks, shape.energies))
            end = position + shape.length
            if segment is not None:
                timeline.append(TimedSegment(segment, _seconds(position, self.rate), _seconds(end, self.rate)))
            position = end + round(pause * self.rate)
        profile = Profile.of_sounds(self.rate, sounds, position // window + 1)
        return Layout(tuple(starts), tuple(kept), tuple(timeline), profile, position)

    def rendered(self, layout: Layout, gain_db: float, loudness: Loudness) -> Iterator[bytes]:
        """The second pass: 16-bit PCM of the whole programme at `gain_db`, through the limiter."""
        scale = 10 ** (gain_db / 20)
        peaks, window = layout.profile.peaks, layout.profile.window
        position = 0
        for (audio, _, _, _), start, (first, last) in zip(self._sounds(), layout.starts, layout.kept, strict=True):
            yield bytes((start - position) * SAMPLE_WIDTH)
            samples = as_float(memoryview(audio.pcm)[first * SAMPLE_WIDTH : last * SAMPLE_WIDTH])
            yield limited_pcm(samples, peaks, start // window, scale, loudness.sample_ceiling, window, self.rate)
            position = start + len(samples)
        yield bytes((layout.samples - position) * SAMPLE_WIDTH)

    def _sounds(self) -> Iterator[tuple[AudioChunk, ClipShape | None, Segment | None, float]]:
        """(audio at the programme's rate, its shape if already known, its segment, the pause after it)."""
        if self.intro:
            yield _at_rate(self.intro, self.rate), None, None, BOOKEND_PAUSE_SECONDS
        for clip in self.clips:
            audio = _at_rate(clip.audio, self.rate)
            yield audio, clip.shape if audio is clip.audio else None, clip.segment, clip.segment.pause_after
        if self.outro:
            yield _at_rate(self.outro, self.rate), None, None, LEAD_IN_SECONDS


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


def _at_rate(audio: AudioChunk, target: int) -> AudioChunk:
    if audio.sample_rate == target:
        return audio
    return AudioChunk(audioop.ratecv(audio.pcm, SAMPLE_WIDTH, 1, audio.sample_rate, target, None)[0], target)
