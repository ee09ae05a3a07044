"""How episodes are encoded: plain settings, importable without the audio stack.

Planning a build (and deciding that nothing changed) needs these, but none of numpy and the
signal processing in audio.py, loudness.py and shape.py, which a no-op build never imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import AudioConfig

LIMITER_MARGIN_DB = 1.0
"""The limiter caps sample peaks this far below the true-peak ceiling: resampling and MP3 encoding
make peaks between samples (seed, limit −1.7 dBFS: true peak −1.0 dBTP at 32 kbps, −1.9 at 64 kbps)."""
LAME_QUALITY = 7
"""libmp3lame's -compression_level (LAME -q): 7 encodes speech 1.7× faster than the default 5,
closer to the source below 4 kHz and further above it (bench/README.md, "MP3 quality setting")."""


@dataclass(frozen=True)
class Loudness:
    """Where an episode should end up: integrated loudness (LUFS) and the highest true peak (dBTP)."""

    target: float = -16.0
    true_peak: float = -1.0

    @property
    def sample_ceiling(self) -> float:
        """The highest sample value (full scale = 1) the limiter lets through."""
        return 10 ** ((self.true_peak - LIMITER_MARGIN_DB) / 20)


@dataclass(frozen=True)
class Encoding:
    """How episodes are encoded: mono, constant bitrate, normalised to a loudness target."""

    sample_rate: int
    bitrate_kbps: int
    loudness: Loudness = field(default_factory=Loudness)
    quality: int = LAME_QUALITY

    @classmethod
    def from_config(cls, audio: AudioConfig) -> Encoding:
        """The encoding narrate.toml's [audio] asks for: one reading of it, so `narrate say` sounds as a build does."""
        return cls(audio.sample_rate, audio.bitrate, Loudness(audio.loudness, audio.true_peak), audio.quality)


@dataclass(frozen=True)
class Bookends:
    """A user's own audio files, played before the first sentence and after the last."""

    intro: Path | None = None
    outro: Path | None = None
