"""Benchmark narrate build against the hand-written pipeline (espeak-ng -w, then ffmpeg), same run, same machine.

    python bench/run.py [N] [--backend pyttsx3|espeak-ng|piper] [--skip-long] [--skip-linearity]

Builds a corpus of N articles (default 50) from seeds/, every sentence made unique so no clip is
shared between articles, and prints wall time, audio seconds per wall second, wall seconds per
hour of audio, peak resident memory of the whole process tree and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrate.readers import find_articles, read_article  # noqa: E402
from narrate.speech.segment import split_into_sentences  # noqa: E402

SAMPLE_RATE = 22050
BITRATE_KBPS = 64
LONG_ARTICLE_BYTES = 200_000
CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Run:
    name: str
    wall: float
    audio: float
    peak_rss_mb: float

    @property
    def speed(self) -> float:
        return self.audio / self.wall if self.wall else float("inf")

    @property
    def seconds_per_audio_hour(self) -> float:
        return self.wall / self.audio * 3600 if self.audio else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=50)
    parser.add_argument("--backend", default="pyttsx3", choices=["pyttsx3", "espeak-ng", "piper"])
    parser.add_argument("--skip-long", action="store_true", help="skip the 200 KB article")
    parser.add_argument("--skip-linearity", action="store_true", help="skip the 2x corpus run")
    args = parser.parse_args()
    narrate = shutil.which("narrate", path=str(Path(sys.executable).parent)) or "narrate"
    print(f"machine: {CORES} cores, {_memory_gb():.0f} GB, Python {sys.version.split()[0]}, backend {args.backend}")
    print(f"settings: {SAMPLE_RATE} Hz, {BITRATE_KBPS} kbps mono CBR MP3; corpus of {args.articles} articles\n")
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as scratch:
        root = Path(scratch)
        paragraphs = _seed_paragraphs()
        corpus = _write_corpus(root / "corpus", paragraphs, args.articles)
        runs: list[Run] = []
        if args.backend != "piper":
            runs += [_baseline(corpus, root / "baseline-1", 1), _baseline(corpus, root / f"baseline-{CORES}", CORES)]
        project = _project(root / "narrate", corpus, args.backend)
        runs.append(_narrate(narrate, project, 1, "narrate build --jobs 1 (cold)", fresh=True))
        cold = _narrate(narrate, project, CORES, f"narrate build --jobs {CORES} (cold)", fresh=True)
        runs.append(cold)
        noop = _narrate(narrate, project, CORES, "no-op rebuild")
        runs.append(noop)
        edited = _edit_one_paragraph(corpus)
        edit = _narrate(narrate, project, CORES, "rebuild after editing one paragraph")
        runs.append(edit)
        single = _narrate(narrate, _project(root / "single", _only(corpus, edited, root), args.backend), CORES,
                          "cold build of the edited article alone", fresh=True)
        runs.append(single)
        if not args.skip_linearity:
            double = _write_corpus(root / "corpus-2x", paragraphs, 2 * args.articles)
            runs.append(_narrate(narrate, _project(root / "narrate-2x", double, args.backend), CORES,
                                 f"narrate build --jobs {CORES}, {2 * args.articles} articles (cold)", fresh=True))
        if not args.skip_long:
            long_corpus = _write_long_article(root / "long", paragraphs)
            runs.append(_narrate(narrate, _project(root / "narrate-long", long_corpus, args.backend), CORES,
                                 "one 200 KB article (cold)", fresh=True))
        _report(runs, cold, noop, edit, single, args)


def _report(runs: list[Run], cold: Run, noop: Run, edit: Run, single: Run, args: argparse.Namespace) -> None:
    baseline = {run.name: run for run in runs if run.name.startswith("baseline")}
    print(f"{'run':58} {'wall s':>8} {'audio s':>9} {'x real':>8} {'s/audio h':>10} {'peak MB':>8}")
    for run in runs:
        print(f"{run.name:58} {run.wall:8.2f} {run.audio:9.0f} {run.speed:8.0f} "
              f"{run.seconds_per_audio_hour:10.1f} {run.peak_rss_mb:8.0f}")
    print()
    for jobs in (1, CORES):
        base = baseline.get(f"baseline, espeak-ng -w + ffmpeg, {jobs} at a time")
        mine = next((run for run in runs if run.name == f"narrate build --jobs {jobs} (cold)"), None)
        if base and mine:
            print(f"ratio narrate/baseline throughput at {jobs} core(s): {mine.speed / base.speed:.2f}x")
    print(f"no-op rebuild: {noop.wall:.2f} s = {100 * noop.wall / cold.wall:.1f}% of the cold build")
    print(f"one-paragraph edit: {edit.wall:.2f} s = {100 * edit.wall / single.wall:.1f}% of that article's cold build")
    doubled = next((run for run in runs if "articles (cold)" in run.name), None)
    if doubled:
        print(f"2x articles: {doubled.wall / cold.wall:.2f}x the time for {doubled.audio / cold.audio:.2f}x the audio")


def _seed_paragraphs() -> list[str]:
    seeds = REPO / "seeds"
    return [p for path in find_articles(seeds) for p in read_article(path, seeds).body]


def _unique(paragraph: str, counter: list[int]) -> str:
    """The paragraph with every sentence made unique, so the clip cache cannot share work between articles."""
    sentences = []
    for sentence in split_into_sentences(paragraph):
        counter[0] += 1
        stem, end = (sentence[:-1], sentence[-1]) if sentence[-1] in ".!?" else (sentence, ".")
        sentences.append(f"{stem}, as noted in item {counter[0]}{end}")
    return " ".join(sentences)


def _write_corpus(folder: Path, paragraphs: list[str], count: int) -> Path:
    folder.mkdir(parents=True)
    counter = [0]
    for index in range(count):
        copies = 1 + index % 4
        body = [_unique(p, counter) for _ in range(copies) for p in paragraphs]
        title = f"Benchmark article {index + 1}: {len(body)} paragraphs"
        (folder / f"article-{index + 1:04d}.txt").write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def _write_long_article(folder: Path, paragraphs: list[str]) -> Path:
    folder.mkdir(parents=True)
    counter = [0]
    body: list[str] = []
    while sum(len(p) + 2 for p in body) < LONG_ARTICLE_BYTES:
        body += [_unique(p, counter) for p in paragraphs]
    (folder / "long.txt").write_text("A very long article\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return folder


def _edit_one_paragraph(corpus: Path) -> Path:
    article = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    lines = article.read_text(encoding="utf-8").split("\n\n")
    lines[2] = "This paragraph was edited after publication, and only it should be spoken again."
    article.write_text("\n\n".join(lines), encoding="utf-8")
    return article


def _only(corpus: Path, article: Path, root: Path) -> Path:
    folder = root / "single-corpus"
    folder.mkdir()
    shutil.copy(article, folder / article.name)
    return folder


def _project(folder: Path, corpus: Path, backend: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "narrate.toml"
    config.write_text(
        f'[feed]\nname = "bench"\ntitle = "Bench"\ndescription = "Benchmark corpus"\n'
        f'base_url = "https://example.com/"\nauthor = "Bench"\nowner_email = "bench@example.com"\n'
        f'[voice]\nbackend = "{backend}"\n[audio]\nsample_rate = {SAMPLE_RATE}\nbitrate = {BITRATE_KBPS}\n'
        f'[build]\ninput = "{corpus}"\noutput = "{folder / "out"}"\n',
        encoding="utf-8",
    )
    return config


def _narrate(narrate: str, config: Path, jobs: int, name: str, fresh: bool = False) -> Run:
    output = config.parent / "out"
    if fresh:
        shutil.rmtree(output, ignore_errors=True)
    wall, peak = _measure([narrate, "build", "--config", str(config), "--jobs", str(jobs)])
    records = json.loads((output / ".narrate" / "episodes.json").read_text(encoding="utf-8"))
    return Run(name, wall, sum(record["duration"] for record in records.values()), peak)


def _baseline(corpus: Path, out: Path, jobs: int) -> Run:
    """What a user would write by hand: espeak-ng to WAV, then ffmpeg to MP3, per article."""
    out.mkdir()
    script = (
        'set -e; name=$(basename "$1" .txt); '
        f'espeak-ng -w "{out}/$name.wav" -f "$1"; '
        f'ffmpeg -v error -y -i "{out}/$name.wav" -ar {SAMPLE_RATE} -ac 1 -b:a {BITRATE_KBPS}k "{out}/$name.mp3"'
    )
    files = "\n".join(str(path) for path in sorted(corpus.glob("*.txt")))
    command = ["xargs", "-d", "\n", "-n", "1", "-P", str(jobs), "sh", "-c", script, "sh"]
    wall, peak = _measure(command, stdin=files)
    audio = 0.0
    for wav_path in out.glob("*.wav"):
        with wave.open(str(wav_path)) as wav:
            audio += wav.getnframes() / wav.getframerate()
    return Run(f"baseline, espeak-ng -w + ffmpeg, {jobs} at a time", wall, audio, peak)


def _measure(command: list[str], stdin: str | None = None) -> tuple[float, float]:
    """Wall time and the peak summed resident memory of the process and all its descendants."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin else None, stdout=subprocess.DEVNULL)
    peak = [0.0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(process.pid))
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    if stdin:
        process.communicate(stdin.encode())
    process.wait()
    wall = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}")
    return wall, peak[0]


def _tree_rss_mb(root: int) -> float:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def _memory_gb() -> float:
    text = Path("/proc/meminfo").read_text()
    return int(re.search(r"MemTotal:\s+(\d+)", text).group(1)) / 2**20


if __name__ == "__main__":
    main()
