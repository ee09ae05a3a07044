"""LAME's quality setting for speech: encoding CPU time against fidelity to the source, per setting.

    python bench/mp3_quality.py [--rate 44100] [--bitrate 64]

Speaks the seed article with the default backend, stitches and loudness-normalises it as narrate
does, then encodes that same PCM with ffmpeg's libmp3lame at every -compression_level (LAME -q)
and prints: CPU seconds of the encoding pass (best of 3) and real-time factor; waveform SNR and
segmental SNR; and the log-spectral distance (LSD, dB) to the source in three speech bands.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrate.audio.stitch import Programme  # noqa: E402
from narrate.audio.settings import Loudness  # noqa: E402
from narrate.audio.loudness import normalising_gain  # noqa: E402
from narrate.model import Clip  # noqa: E402
from narrate.readers import find_articles, read_article  # noqa: E402
from narrate.speech.segment import segment  # noqa: E402
from narrate.tts import BackendSpec, create_backend  # noqa: E402

BANDS = ((0, 4000), (4000, 8000), (8000, 11025))
FRAME = 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=44100)
    parser.add_argument("--bitrate", type=int, default=64)
    args = parser.parse_args()
    source, source_rate, filters = seed_episode(args.rate)
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "episode.raw"
        raw.write_bytes(source)
        pcm_input = ["-f", "s16le", "-ar", str(source_rate), "-ac", "1", "-i", str(raw), "-af", filters]
        reference = decode(["ffmpeg", "-v", "error", *pcm_input, "-f", "s16le", "-"])
        seconds = len(reference) / args.rate
        print(f"seed episode: {seconds:.1f} s, {args.rate} Hz, {args.bitrate} kbps mono CBR")
        for quality in range(10):
            mp3 = Path(folder) / f"q{quality}.mp3"
            command = ["ffmpeg", "-v", "error", "-y", *pcm_input, "-c:a", "libmp3lame", "-b:a", f"{args.bitrate}k",
                       "-compression_level", str(quality), "-f", "mp3", str(mp3)]
            cpu = min(child_cpu(command) for _ in range(3))
            encoded = decode(["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ar", str(args.rate), "-"])
            snr, segmental = signal_to_noise(reference, encoded[: len(reference)], args.rate)
            distances = log_spectral_distances(reference, encoded[: len(reference)], args.rate)
            bands = "  ".join(f"{lo // 1000}-{hi / 1000:.0f}k {d:5.2f}" for (lo, hi), d in zip(BANDS, distances))
            print(f"q={quality}: {cpu:.3f} s CPU ({seconds / cpu:4.0f}× RT)  SNR {snr:5.2f} dB  "
                  f"segSNR {segmental:5.2f} dB  LSD {bands} dB")


def seed_episode(output_rate: int) -> tuple[bytes, int, str]:
    """The seed as narrate stitches it (trimmed clips, chosen pauses, gain and limiter) and the
    filter that brings it to the output rate."""
    [path] = find_articles(REPO / "seeds")[:1]
    article = read_article(path, REPO / "seeds")
    backend = create_backend(BackendSpec("pyttsx3"))
    clips = [Clip(s, backend.synthesize(s.text, article.language)) for s in segment(article, backend.max_chars)]
    rate = clips[0].audio.sample_rate
    programme = Programme(clips, rate)
    layout = programme.measure()
    gain = normalising_gain(layout.profile, Loudness())
    return b"".join(programme.rendered(layout, gain, Loudness())), rate, f"aresample={output_rate}"


def decode(command: list[str]) -> np.ndarray:
    return np.frombuffer(subprocess.run(command, capture_output=True, check=True).stdout, dtype="<i2").astype(float)


def child_cpu(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def signal_to_noise(reference: np.ndarray, encoded: np.ndarray, rate: int) -> tuple[float, float]:
    """Whole-file SNR and the mean SNR of 20 ms frames that hold speech."""
    error = reference - encoded
    whole = 10 * np.log10((reference**2).sum() / (error**2).sum())
    size = rate // 50
    count = len(reference) // size
    signal = (reference[: count * size].reshape(count, size) ** 2).sum(axis=1)
    noise = (error[: count * size].reshape(count, size) ** 2).sum(axis=1)
    speech = signal > size * 100**2
    return whole, float(np.mean(10 * np.log10(signal[speech] / np.maximum(noise[speech], 1))))


def log_spectral_distances(reference: np.ndarray, encoded: np.ndarray, rate: int) -> list[float]:
    """Per band, the RMS difference of the log power spectra over the louder 60% of frames."""
    def spectra(samples: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(samples, FRAME)[:: FRAME // 2] * np.hanning(FRAME)
        return np.abs(np.fft.rfft(frames, axis=1)) ** 2

    ours, theirs = spectra(reference), spectra(encoded)
    energy = ours.sum(axis=1)
    speech = energy > np.percentile(energy, 40)
    frequencies = np.fft.rfftfreq(FRAME, 1 / rate)
    distances = []
    for low, high in BANDS:
        band = (frequencies >= low) & (frequencies < high)
        difference = 10 * np.log10(ours[speech][:, band] + 1e3) - 10 * np.log10(theirs[speech][:, band] + 1e3)
        distances.append(float(np.sqrt((difference**2).mean(axis=1)).mean()))
    return distances


if __name__ == "__main__":
    main()
