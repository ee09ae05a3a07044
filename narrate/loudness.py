"""Measure an episode's integrated loudness (EBU R128) and say how ffmpeg should bring it to a target.

ffmpeg's `loudnorm` filter would do both in one go, but it resamples to 192 kHz internally and is
~40× slower; measuring with `ebur128` and applying a fixed gain plus a lookahead limiter in the
encoding pass reaches the same target for speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import AudioError
from .ffmpeg import run_with_input

INTEGRATED = re.compile(r"Integrated loudness:\s+I:\s+(-?\d+(?:\.\d+)?|-inf) LUFS")
SILENT_LUFS = -70.0
"""EBU R128's absolute gate: anything quieter counts as silence and gets no gain."""
MAX_GAIN_DB = 30.0
"""A near-silent episode is not turned into amplified noise."""
CORRECTIONS = 2
"""Measuring passes through the limiter, at most; the secant's last step is taken unmeasured."""
CLOSE_ENOUGH_LU = 0.25
LIMITER_MARGIN_DB = 1.0
"""The limiter caps sample peaks this far below the true-peak ceiling: MP3 encoding makes peaks
between samples (seed, limit −1.7 dBFS: true peak −1.0 dBTP at 32 kbps, −1.9 at 64 kbps)."""
ENCODER_LOSS_LU = 0.4
"""libmp3lame's output measures 0.4–0.5 LU quieter than its input (seed, 32–192 kbps, 22.05 and
44.1 kHz alike), so the PCM is aimed this much above the target."""


@dataclass(frozen=True)
class Loudness:
    """Where an episode should end up: integrated loudness (LUFS) and the highest true peak (dBTP)."""

    target: float = -16.0
    true_peak: float = -1.0


def chain(pcm_pieces: Iterable[bytes | memoryview], sample_rate: int, loudness: Loudness) -> str:
    """The ffmpeg filter chain (gain, then limiter) that brings this episode to `loudness`.

    `pcm_pieces` is iterated once per measuring pass, so it must be re-iterable (not a generator).

    The limiter lowers loud passages, so a gain computed from the raw audio lands short of the
    target (seed episode: −16.9 for −16 LUFS, and each further dB of gain adds only ~0.5 LU).
    So the gain is found by the secant method, measuring through the chain itself; it is within
    CLOSE_ENOUGH_LU after one or two extra passes. Passes run at the clips' own rate: resampling
    first would cost a third more and move the result by ~0.1 LU.
    """
    unlimited = measure_integrated(pcm_pieces, sample_rate, "anull")
    if unlimited <= SILENT_LUFS:
        return _limited(0.0, loudness)
    aim = loudness.target + ENCODER_LOSS_LU
    previous = (0.0, unlimited)
    gain = aim - unlimited
    for _ in range(CORRECTIONS):
        measured = measure_integrated(pcm_pieces, sample_rate, _limited(gain, loudness))
        if abs(aim - measured) <= CLOSE_ENOUGH_LU:
            break
        slope = (measured - previous[1]) / (gain - previous[0]) if gain != previous[0] else 1.0
        previous = (gain, measured)
        gain = min(gain + (aim - measured) / min(max(slope, 0.2), 1.0), MAX_GAIN_DB)
    return _limited(gain, loudness)


def measure_integrated(pcm_pieces: Iterable[bytes | memoryview], sample_rate: int, filters: str) -> float:
    """Integrated loudness in LUFS of mono 16-bit PCM fed piece by piece (never joined in memory),
    after `filters` when given."""
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-f", "s16le", "-ar", str(sample_rate), "-ac", "1",
        "-i", "pipe:0", "-af", f"{filters},ebur128=framelog=verbose", "-f", "null", "-",
    ]
    log = run_with_input(command, pcm_pieces, "measure loudness")
    found = INTEGRATED.search(log)
    if found is None:
        raise AudioError(f"ffmpeg's ebur128 filter reported no integrated loudness: {log.strip()[-300:]}")
    return SILENT_LUFS if found.group(1) == "-inf" else float(found.group(1))


def _limited(gain: float, loudness: Loudness) -> str:
    """Gain, then a lookahead limiter below the true-peak ceiling.

    `level=disabled` stops alimiter from turning the result back up to full scale; `latency`
    compensates its lookahead so every sentence stays exactly where the timeline says.
    """
    limit = 10 ** ((loudness.true_peak - LIMITER_MARGIN_DB) / 20)
    return f"volume={gain:.2f}dB,alimiter=limit={limit:.4f}:level=disabled:latency=enabled"
