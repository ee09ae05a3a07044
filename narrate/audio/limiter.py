"""A look-ahead peak limiter, decided on ~2 ms windows and applied to samples.

Deciding on window peaks instead of samples keeps the limiter cheap enough to run once per try
of the loudness search. Every window's gain is below what its own and both neighbours' peaks
allow, and the gain between window centres is interpolated linearly, so no sample can pass the
ceiling. Before a peak the gain ramps down over ATTACK_SECONDS; after it the reduction is held
for HOLD_SECONDS and ramps back up, so the gain does not flutter within a vowel.
"""

from __future__ import annotations

import numpy as np

ATTACK_SECONDS = 0.005
HOLD_SECONDS = 0.02
FULL_SCALE = 32768


def limiter_gains(peaks: np.ndarray, ceiling: float, window_seconds: float) -> np.ndarray:
    """The gain (≤ 1) for each window so that no sample of it or its neighbours exceeds `ceiling`.

    A few passes over contiguous slices, float32 throughout: a three-hour episode has six million
    windows, and the loudness search runs this several times.
    """
    allowed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    if not len(allowed) or allowed.min() >= 1.0:
        return np.ones(len(allowed), np.float32)
    attack, span = _ramp(window_seconds)
    padded = np.concatenate([np.ones(span, np.float32), allowed, np.ones(span, np.float32)])
    del allowed  # each of these arrays is as long as the episode: let them go as soon as they are used
    floor = _sliding_min(padded, span)  # floor[k + attack + 2]: lowest allowance of windows k − 1 − hold … k + attack + 1
    del padded
    count = len(peaks)
    total = floor[2 : 2 + count].copy()
    for offset in range(1, attack + 1):  # the mean of attack + 1 floors: the gain ramps down ahead of a peak
        total += floor[2 + offset : 2 + offset + count]
    total /= attack + 1
    return total


def limiter_gains_between(
    peaks: np.ndarray, first: int, last: int, ceiling: float, window_seconds: float
) -> np.ndarray:
    """limiter_gains(peaks, ceiling, window_seconds)[first:last], worked out from the peaks near
    that range alone (a window's gain depends on the peaks within `span` windows of it)."""
    _, span = _ramp(window_seconds)
    low, high = max(0, first - span), min(len(peaks), last + span)
    return limiter_gains(peaks[low:high], ceiling, window_seconds)[first - low : last - low]


def _ramp(window_seconds: float) -> tuple[int, int]:
    """Windows of attack, and the span of windows whose peaks a window's gain depends on."""
    attack = max(1, round(ATTACK_SECONDS / window_seconds))
    hold = round(HOLD_SECONDS / window_seconds)
    return attack, hold + attack + 3


def limited_pcm(
    samples: np.ndarray, peaks: np.ndarray, first_window: int, scale: float, ceiling: float, window: int, rate: int
) -> bytes:
    """16-bit PCM of `samples` (full scale = 1), which start at window `first_window` of the
    programme whose window `peaks` are given, times `scale` and the limiter's gains.

    The gains are worked out for this sound's windows and one either side only (from the peaks
    near them), and interpolated between window centres.
    """
    count = -(-len(samples) // window)
    around = max(0, first_window - 1)
    gains = limiter_gains_between(peaks, around, first_window + count + 1, ceiling / scale, window / rate)
    if gains.min() >= 1.0:
        curve: np.ndarray | float = scale
    else:
        centres = (np.arange(len(gains), dtype=np.float32) + around - first_window + 0.5) * window
        curve = np.interp(np.arange(len(samples), dtype=np.float32), centres, gains).astype(np.float32) * scale
    scaled = np.rint(samples * curve * FULL_SCALE)
    return np.clip(scaled, -FULL_SCALE, FULL_SCALE - 1).astype("<i2").tobytes()


def _sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """min(values[i : i + width]) for every i ≤ len(values) − width, by doubling: after each pass
    of pairwise minima every entry covers twice as many values, so log2(width) passes suffice."""
    covered, result = 1, values
    while covered * 2 <= width:
        result = np.minimum(result[:-covered], result[covered:])
        covered *= 2
    count = len(values) - width + 1
    if covered < width:
        result = np.minimum(result[:count], result[width - covered : width - covered + count])
    return result[:count]
