"""What stitching needs to know about a clip before it reads the samples to encode them: where the
speech lies inside the backend's own silence, and the loudness profile of that speech.

A clip's shape is worked out once, in the synthesis worker that made the clip, and cached beside
it. An episode's loudness pass then reads no audio and runs no filter, and the main process, which
encodes every episode, is left with the encoding alone.
"""

from __future__ import annotations

import audioop

import numpy as np

from .limiter import FULL_SCALE
from .loudness import window_profile
from ..model import AudioChunk, ClipShape

SHAPE_VERSION = 1
"""Bumped whenever trimming or the profile change: cached shapes of another version are worked out again."""
SAMPLE_WIDTH = 2
TRIM_THRESHOLD = 0.01
"""Samples below 1% of a clip's peak (−40 dB) at its edges count as the backend's own silence."""
TRIM_KEEP_SECONDS = 0.02
"""Kept on each side of the speech, so soft onsets and decays are not clipped."""



def shape_of(audio: AudioChunk, trim: bool = True) -> ClipShape:
    """The shape of `audio`: trimmed to its speech (a clip), or whole (a user's intro or outro)."""
    start, end = speech_bounds(audio.pcm, audio.sample_rate) if trim else (0, len(audio.pcm) // SAMPLE_WIDTH)
    kept = as_float(memoryview(audio.pcm)[start * SAMPLE_WIDTH : end * SAMPLE_WIDTH])
    return ClipShape(audio.sample_rate, start, end, *window_profile(kept, audio.sample_rate))


def speech_bounds(pcm: bytes | memoryview, rate: int) -> tuple[int, int]:
    """First and end sample of the speech, without the silence a backend leaves at the edges but
    with TRIM_KEEP_SECONDS either side; a silent clip is kept whole.

    Edges are found a millisecond window at a time (audioop.max in C), not sample by sample.
    Trimming is decided here, not before caching, so cached clips stay as the backend made them:
    a different trim only needs SHAPE_VERSION bumped, not the speech synthesised again.
    """
    view = memoryview(pcm)
    samples = len(view) // SAMPLE_WIDTH
    peak = audioop.max(view, SAMPLE_WIDTH)
    if peak == 0:
        return 0, samples
    window = max(1, rate // 1000)
    starts = range(0, samples, window)

    def loud(start: int) -> bool:
        part = view[start * SAMPLE_WIDTH : (start + window) * SAMPLE_WIDTH]
        return audioop.max(part, SAMPLE_WIDTH) > peak * TRIM_THRESHOLD

    first = next(start for start in starts if loud(start))
    last = next(start for start in reversed(starts) if loud(start))
    keep = round(TRIM_KEEP_SECONDS * rate)
    return max(0, first - keep), min(samples, last + window + keep)


def as_float(pcm: bytes | memoryview) -> np.ndarray:
    """16-bit PCM as float samples, full scale = 1."""
    return np.frombuffer(pcm, "<i2").astype(np.float32) / FULL_SCALE
