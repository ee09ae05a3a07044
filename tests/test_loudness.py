"""The in-process loudness meter and limiter: against BS.1770's reference tone, against ffmpeg's
own EBU R128 meter on real espeak speech, and the limiter's ceiling as a property."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.audio.limiter import FULL_SCALE, limited_pcm, limiter_gains
from narrate.audio.settings import Loudness
from narrate.audio.loudness import Profile, integrated, normalising_gain, window_length, window_profile
from narrate.tts import BackendSpec, create_backend

SPEECH = (
    "The committee met on Tuesday to discuss the new budget. Members argued for hours about the cost "
    "of the bridge, and in the end they agreed to ask the city for more time."
)


def profile_of(samples: np.ndarray, rate: int) -> Profile:
    peaks, energies = window_profile(samples, rate)
    return Profile.of_sounds(rate, [(0, peaks, energies)], len(peaks))


def ffmpeg_integrated(samples: np.ndarray, rate: int) -> float:
    pcm = np.rint(samples * FULL_SCALE).astype("<i2").tobytes()
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "-", "-af", "ebur128",
         "-f", "null", "-"],
        input=pcm, capture_output=True, check=True,
    ).stderr.decode()
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", log)[-1])


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    """Two sentences from the real default backend, with a second of silence around them."""
    audio = create_backend(BackendSpec("pyttsx3")).synthesize(SPEECH, "en")
    samples = np.frombuffer(audio.pcm, "<i2").astype(np.float32) / FULL_SCALE
    silence = np.zeros(audio.sample_rate, np.float32)
    return np.concatenate([silence, samples, silence]), audio.sample_rate


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_a_997_hz_tone_at_minus_20_dbfs_reads_minus_23_lufs(rate):
    """BS.1770-4: a 0 dBFS 997 Hz sine in one channel reads −3.01 LKFS, to a meter's 0.1 LU (EBU Tech 3341)."""
    seconds = np.arange(5 * rate) / rate
    tone = (0.1 * np.sin(2 * np.pi * 997 * seconds)).astype(np.float32)
    assert integrated(profile_of(tone, rate).energies, rate) == pytest.approx(-23.01, abs=0.1)


def test_real_speech_reads_as_ffmpeg_ebur128_reads_it(speech):
    samples, rate = speech
    ours = integrated(profile_of(samples, rate).energies, rate)
    assert ours == pytest.approx(ffmpeg_integrated(samples, rate), abs=0.15)


def test_silence_gets_no_gain():
    rate = 22050
    assert normalising_gain(profile_of(np.zeros(rate * 3, np.float32), rate), Loudness()) == 0.0


def test_the_gain_found_reaches_the_target_through_the_limiter_as_ffmpeg_measures_it(speech):
    samples, rate = speech
    profile = profile_of(samples, rate)
    loudness = Loudness(target=-16.0, true_peak=-1.0)
    gain = normalising_gain(profile, loudness)
    scale = 10 ** (gain / 20)
    limited = np.frombuffer(
        limited_pcm(samples, profile.peaks, 0, scale, loudness.sample_ceiling, profile.window, rate), "<i2"
    ) / FULL_SCALE
    assert np.abs(limited).max() <= loudness.sample_ceiling + 1 / FULL_SCALE
    assert gain > -16.0 - integrated(profile.energies, rate), "the limiter took loudness away, so more gain was needed"
    assert ffmpeg_integrated(limited, rate) == pytest.approx(-16.0 + 0.4, abs=0.2), "aimed 0.4 LU above for LAME"


@settings(max_examples=200, deadline=None)
@given(
    amplitudes=st.lists(st.floats(0.0, 4.0), min_size=1, max_size=60),
    first_window=st.integers(0, 3),
    ceiling=st.floats(0.1, 1.0),
)
def test_no_limited_sample_passes_the_ceiling(amplitudes, first_window, ceiling):
    """Whatever the peaks and wherever the sound starts, the limited samples stay under the ceiling."""
    rate = 22050
    window = window_length(rate)
    rng = np.random.default_rng(len(amplitudes))
    samples = np.repeat(np.asarray(amplitudes, np.float32), 37) * rng.uniform(-1, 1, 37 * len(amplitudes))
    samples = samples.astype(np.float32)
    peaks, _ = window_profile(samples, rate)
    all_peaks = np.concatenate([np.zeros(first_window, np.float32), peaks, np.zeros(2, np.float32)])
    gains = limiter_gains(all_peaks, ceiling, window / rate)
    limited = np.frombuffer(limited_pcm(samples, all_peaks, first_window, 1.0, ceiling, window, rate), "<i2")
    limited = limited / FULL_SCALE
    assert np.abs(limited).max(initial=0) <= ceiling + 1 / FULL_SCALE
    assert gains.max(initial=1) <= 1.0


def test_quiet_audio_passes_the_limiter_untouched():
    rate = 22050
    samples = (0.3 * np.sin(np.arange(rate) / 5)).astype(np.float32)
    peaks, _ = window_profile(samples, rate)
    gains = limiter_gains(peaks, 0.5, window_length(rate) / rate)
    assert np.all(gains == 1.0)
    out = np.frombuffer(limited_pcm(samples, peaks, 0, 1.0, 0.5, window_length(rate), rate), "<i2")
    assert np.array_equal(out, np.rint(samples * FULL_SCALE).astype("<i2"))
