"""Measure an episode's loudness (ITU-R BS.1770 / EBU R128) in-process and find the gain that,
through the peak limiter, brings it to a target.

The audio is reduced once to a short window profile (peak and K-weighted energy per ~2 ms window).
Gain and limiter are then tried on the profile alone, so finding the gain costs milliseconds per
try instead of another pass of the audio through ffmpeg. Earlier versions measured with ffmpeg's
`ebur128` in up to three passes plus the limiter in the encoding pass; that was half the CPU of a
build with espeak (bench/README.md).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .settings import Loudness
from .limiter import limiter_gains_between

SILENT_LUFS = -70.0
"""EBU R128's absolute gate: anything quieter counts as silence and gets no gain."""
RELATIVE_GATE_LU = 10.0
MAX_GAIN_DB = 30.0
"""A near-silent episode is not turned into amplified noise."""
CLOSE_ENOUGH_LU = 0.05
SEARCH_STEPS = 12
ENCODER_LOSS_LU = 0.4
"""libmp3lame's output measures 0.4–0.5 LU quieter than its input (seed, 32–192 kbps, 22.05 and
44.1 kHz alike), so the PCM is aimed this much above the target."""
WINDOW_SECONDS = 0.002
ENERGY_FRAME_WINDOWS = 10
"""K-weighted energy is found per 20 ms frame, one small FFT each, and shared among the frame's
windows: over ten times cheaper than filtering a whole sound by one large FFT (speech, 22.05 kHz;
overlapping sine-windowed frames cost 7× these), and the gating blocks (400 ms) sum whole frames
anyway. The frames' edges leak a little energy across frequencies: against exact filtering, 80 s
of speech moved by 0.015 LU and a 997 Hz tone by 0.024 LU at 22.05 kHz (a meter may be off by
0.1 LU, EBU Tech 3341)."""
BLOCK_WINDOWS_SECONDS = 0.1
"""Gating blocks are 400 ms long and start every 100 ms (BS.1770-4)."""
BLOCK_STEPS = 4096
"""Gating steps per block of the limited-loudness computation: about seven minutes of audio."""
SHELF = (1681.974450955533, 3.999843853973347, 0.7071752369554196)
"""K-weighting's first stage, a high shelf: centre Hz, gain dB, Q (as libebur128 designs it for any rate)."""
HIGH_PASS = (38.13547087602444, 0.5003270373238773)
"""K-weighting's second stage (RLB), a high-pass: corner Hz, Q."""


def window_length(rate: int) -> int:
    """Samples per profile window: about 2 ms (fine enough for the limiter's 5 ms ramps)."""
    return max(1, round(rate * WINDOW_SECONDS))


@dataclass(frozen=True)
class Profile:
    """Peak and K-weighted energy of each window of an episode (full scale = 1)."""

    rate: int
    peaks: np.ndarray
    energies: np.ndarray

    @classmethod
    def of_sounds(cls, rate: int, sounds: Iterable[tuple[int, np.ndarray, np.ndarray]], windows: int) -> Profile:
        """The episode's profile from its sounds' own: (first window, peaks, energies) for each."""
        profile = cls(rate, np.zeros(windows, np.float32), np.zeros(windows, np.float32))
        for first, peaks, energies in sounds:
            profile.peaks[first : first + len(peaks)] = peaks
            profile.energies[first : first + len(energies)] = energies
        return profile

    @property
    def window(self) -> int:
        return window_length(self.rate)


def window_profile(samples: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Per window of `samples`: the absolute peak, and the energy after K-weighting.

    The energy is found per frame of ENERGY_FRAME_WINDOWS windows in the frequency domain
    (Parseval: the energy of the filtered samples is the power spectrum weighted by the filters'
    power response) and shared among the frame's windows as their unweighted energy is, so that
    the limiter, which acts on single windows, takes the right energy away. The work is in
    float64: numpy's float32 FFT is slower.
    """
    window = window_length(rate)
    windows = -(-len(samples) // window)
    frame = window * ENERGY_FRAME_WINDOWS
    frames = -(-windows // ENERGY_FRAME_WINDOWS)
    padded = np.zeros(frames * frame)
    padded[: len(samples)] = samples
    peaks = np.abs(padded[: windows * window].reshape(windows, window)).max(axis=1)
    size = 1 << (frame - 1).bit_length()
    spectra = np.fft.rfft(padded.reshape(frames, frame), size, axis=1)
    power = np.square(spectra.real) + np.square(spectra.imag)
    frame_energies = (power * k_weighted_energy(size, rate)).sum(axis=1)  # not `@`: BLAS threads would spin
    plain = np.square(padded).reshape(frames, ENERGY_FRAME_WINDOWS, window).sum(axis=2)
    shares = plain / np.maximum(plain.sum(axis=1, keepdims=True), 1e-30)
    return peaks.astype(np.float32), (shares * frame_energies[:, None]).ravel()[:windows].astype(np.float32)


def integrated(energies: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS from per-window K-weighted energies (BS.1770 gating)."""
    per_step = _windows_per_step(len(energies), rate)
    if per_step is None:
        return SILENT_LUFS
    return _gated(_step_energies(energies, per_step), per_step * window_length(rate))


def limited_loudness(profile: Profile, scale: float, ceiling: float) -> float:
    """Integrated loudness (LUFS) of the profile at `scale` and through the limiter.

    Worked out a block of windows at a time, so that a three-hour episode (six million windows)
    needs no episode-sized temporary arrays: the limiter's gains near a block depend only on
    the peaks near it.
    """
    energies, rate = profile.energies, profile.rate
    per_step = _windows_per_step(len(energies), rate)
    if per_step is None:
        return SILENT_LUFS
    block = per_step * BLOCK_STEPS
    steps = []
    for first in range(0, len(energies), block):
        last = min(len(energies), first + block)
        gains = limiter_gains_between(profile.peaks, first, last, ceiling / scale, profile.window / rate)
        steps.append(_step_energies(energies[first:last] * np.square(scale * gains), per_step))
    return _gated(np.concatenate(steps), per_step * window_length(rate))


def _windows_per_step(windows: int, rate: int) -> int | None:
    """Windows per 100 ms gating step; fewer for audio under 400 ms (four steps); None under four windows."""
    per_step = max(1, round(rate * BLOCK_WINDOWS_SECONDS / window_length(rate)))
    if windows // per_step >= 4:
        return per_step
    return max(1, windows // 4) if windows >= 4 else None


def _step_energies(energies: np.ndarray, per_step: int) -> np.ndarray:
    steps = len(energies) // per_step
    return energies[: steps * per_step].reshape(steps, per_step).sum(axis=1, dtype=np.float64)


def _gated(step_energy: np.ndarray, samples_per_step: int) -> float:
    """BS.1770 gating over 400 ms blocks (four steps): absolute gate, then 10 LU below the mean."""
    block_energy = np.convolve(step_energy, np.ones(4), mode="valid")
    mean_square = block_energy / (4 * samples_per_step)
    loudness = _lufs(mean_square)
    loud = mean_square[loudness > SILENT_LUFS]
    if not len(loud):
        return SILENT_LUFS
    gate = _lufs(loud.mean()) - RELATIVE_GATE_LU
    gated = mean_square[(loudness > SILENT_LUFS) & (loudness > gate)]
    return float(_lufs(gated.mean()))


def normalising_gain(profile: Profile, loudness: Loudness) -> float:
    """The gain (dB) that, followed by the limiter, brings the episode to `loudness.target`.

    The limiter lowers loud passages, so a gain found from the raw audio lands short of the
    target (seed: −16.9 for −16 LUFS). Loudness after the limiter rises monotonically with the
    gain, so the gain is found by the secant method kept inside a bracket, each try measured on
    the profile alone.
    """
    unlimited = integrated(profile.energies, profile.rate)
    if unlimited <= SILENT_LUFS:
        return 0.0
    aim = loudness.target + ENCODER_LOSS_LU

    def shortfall(gain: float) -> float:
        return aim - limited_loudness(profile, 10 ** (gain / 20), loudness.sample_ceiling)

    gain = min(aim - unlimited, MAX_GAIN_DB)
    low, low_shortfall = gain, shortfall(gain)
    high: tuple[float, float] | None = None
    for _ in range(SEARCH_STEPS):
        if abs(low_shortfall) <= CLOSE_ENOUGH_LU or (low_shortfall > 0 and low >= MAX_GAIN_DB):
            return low
        if high is None:
            gain = min(low + 2 * low_shortfall, MAX_GAIN_DB)  # each dB of gain adds 0.5–1 LU through the limiter
        else:
            gain = low + low_shortfall * (high[0] - low) / (low_shortfall - high[1])
        found = shortfall(gain)
        if abs(found) <= CLOSE_ENOUGH_LU:
            return gain
        if found > 0:
            low, low_shortfall = gain, found
        else:
            high = (gain, found)
    return low


@functools.lru_cache(maxsize=8)
def k_weighted_energy(size: int, rate: int) -> np.ndarray:
    """Per bin of a `size`-point real FFT: what its squared magnitude adds to the K-weighted energy
    of the samples (the filters' power response, doubled for the bins that stand for two, over size)."""
    doubled = np.full(size // 2 + 1, 2.0)
    doubled[[0, -1]] = 1.0
    return np.square(np.abs(k_weighting(size, rate))) * doubled / size


def k_weighting(size: int, rate: int) -> np.ndarray:
    """The K-weighting filters' complex response at the bins of a `size`-point real FFT."""
    centre, gain_db, q = SHELF
    k = math.tan(math.pi * centre / rate)
    high = 10 ** (gain_db / 20)
    band = high**0.4996667741545416
    norm = 1 + k / q + k * k
    shelf = (
        ((high + band * k / q + k * k) / norm, 2 * (k * k - high) / norm, (high - band * k / q + k * k) / norm),
        (1.0, 2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm),
    )
    corner, q = HIGH_PASS
    k = math.tan(math.pi * corner / rate)
    norm = 1 + k / q + k * k
    high_pass = ((1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / norm, (1 - k / q + k * k) / norm))
    z = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)
    response = np.ones(size // 2 + 1, np.complex128)
    for (b0, b1, b2), (a0, a1, a2) in (shelf, high_pass):
        response *= (b0 + b1 * z + b2 * z * z) / (a0 + a1 * z + a2 * z * z)
    return response


def _lufs(mean_square: np.ndarray | float) -> np.ndarray:
    return -0.691 + 10 * np.log10(np.maximum(mean_square, 1e-20))
