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
    """The gain (≤ 1) for each window so that no sample of it or its neighbours exceeds `ceiling`."""
    allowed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    if not len(allowed) or allowed.min() >= 1.0:
        return np.ones(len(allowed), np.float32)
    attack = max(1, round(ATTACK_SECONDS / window_seconds))
    hold = round(HOLD_SECONDS / window_seconds)
    span = hold + attack + 3
    padded = np.concatenate([np.ones(span, np.float32), allowed, np.ones(span, np.float32)])
    floor = _sliding_min(padded, span)  # floor[k + attack + 2]: lowest allowance of windows k − 1 − hold … k + attack + 1
    sums = np.concatenate([[0.0], np.cumsum(floor, dtype=np.float64)])
    count = len(allowed)
    return ((sums[attack + 3 : attack + 3 + count] - sums[2 : 2 + count]) / (attack + 1)).astype(np.float32)


def limited_pcm(samples: np.ndarray, gains: np.ndarray, first_window: int, window: int, scale: float) -> bytes:
    """16-bit PCM of `samples` (full scale = 1), which start at window `first_window`, times
    `scale` and the window gains interpolated between window centres."""
    count = -(-len(samples) // window)
    around = gains[max(0, first_window - 1) : first_window + count + 1]
    if around.min() >= 1.0:
        curve: np.ndarray | float = scale
    else:
        start = max(0, first_window - 1) - first_window
        centres = (np.arange(len(around), dtype=np.float32) + start + 0.5) * window
        curve = np.interp(np.arange(len(samples), dtype=np.float32), centres, around).astype(np.float32) * scale
    scaled = np.rint(samples * curve * FULL_SCALE)
    return np.clip(scaled, -FULL_SCALE, FULL_SCALE - 1).astype("<i2").tobytes()


def _sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """min(values[i : i + width]) for every i, in linear time (van Herk / Gil-Werman)."""
    blocks = -(-len(values) // width)
    padded = np.full((blocks + 1) * width, np.inf, np.float32)
    padded[: len(values)] = values
    shaped = padded.reshape(-1, width)
    ahead = np.minimum.accumulate(shaped[:, ::-1], axis=1)[:, ::-1].ravel()
    behind = np.minimum.accumulate(shaped, axis=1).ravel()
    starts = np.arange(len(values) - width + 1)
    return np.minimum(ahead[starts], behind[starts + width - 1])
