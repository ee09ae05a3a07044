"""Run a backend over many segments, in worker processes that each keep one backend for life.

Clips already in the cache are taken from it; only the others are synthesised, and stored.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ..cache import ClipCache, clip_key
from ..errors import NarrateError, SynthesisError
from ..model import AudioChunk, Clip, Segment
from . import Backend, BackendSpec, create_backend


@dataclass(frozen=True)
class Script:
    """The segments of one article, in speaking order, and the language to speak them in."""

    key: str
    language: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Spoken:
    """The outcome for one script: every clip in order, or the error that stopped it."""

    script: Script
    clips: tuple[Clip, ...] = ()
    error: NarrateError | None = None


OnSegment = Callable[[Script], None]

_worker_backend: Backend | None = None

MEMORY_HEADROOM = 0.8


def worker_count(requested: int, memory_mb: int, work_items: int) -> int:
    """Workers for a run: as requested, else one per core but only as many as fit in memory."""
    if requested:
        return max(1, min(requested, work_items))
    fits = int(_available_memory_mb() * MEMORY_HEADROOM // max(memory_mb, 1))
    return max(1, min(os.cpu_count() or 1, fits, work_items))


def _available_memory_mb() -> float:
    """MemAvailable from /proc/meminfo (Linux); elsewhere free physical pages."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthesize(
    scripts: Sequence[Script],
    spec: BackendSpec,
    jobs: int,
    on_segment: OnSegment = lambda script: None,
    cache: ClipCache | None = None,
) -> Iterator[Spoken]:
    """Yield each script's clips as soon as all of them exist (scripts finish in any order)."""
    work = _Work(scripts, spec, cache, on_segment)
    yield from work.complete_scripts()
    if not work.missing:
        return
    if jobs <= 1:
        backend = create_backend(spec)
        for script_index, segment_index in work.missing:
            yield from work.attempt(script_index, segment_index, lambda text, lang: backend.synthesize(text, lang))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(spec,)) as pool:
        pending: dict[Future[AudioChunk], tuple[int, int]] = {}
        for script_index, segment_index in work.missing:
            segment = scripts[script_index].segments[segment_index]
            future = pool.submit(_speak_in_worker, segment.text, scripts[script_index].language)
            pending[future] = (script_index, segment_index)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from work.attempt(*pending.pop(future), lambda text, lang, f=future: _result(f, spec))


class _Work:
    """Which clips each script still needs, filled from the cache first, then from synthesis."""

    def __init__(self, scripts: Sequence[Script], spec: BackendSpec, cache: ClipCache | None, on_segment: OnSegment):
        self.scripts, self.spec, self.cache, self.on_segment = scripts, spec, cache, on_segment
        self.audio: list[list[AudioChunk | None]] = [[None] * len(s.segments) for s in scripts]
        self.failed: set[int] = set()
        self.missing: list[tuple[int, int]] = []
        for script_index, script in enumerate(scripts):
            for segment_index, segment in enumerate(script.segments):
                cached = cache.get(self._key(script, segment)) if cache else None
                if cached is None:
                    self.missing.append((script_index, segment_index))
                else:
                    self.audio[script_index][segment_index] = cached
                    on_segment(script)

    def complete_scripts(self) -> Iterator[Spoken]:
        """Scripts that need no synthesis at all."""
        for script_index, script in enumerate(self.scripts):
            if all(chunk is not None for chunk in self.audio[script_index]):
                yield self._spoken(script_index)

    def attempt(
        self, script_index: int, segment_index: int, speak: Callable[[str, str], AudioChunk]
    ) -> Iterator[Spoken]:
        """Synthesise one missing clip; yield its script once complete, or once it fails."""
        if script_index in self.failed:
            return
        script = self.scripts[script_index]
        segment = script.segments[segment_index]
        try:
            audio = speak(segment.text, script.language)
        except SynthesisError as error:
            self.failed.add(script_index)
            self.audio[script_index] = []
            yield Spoken(script, error=_located(error, script, segment_index))
            return
        if self.cache:
            self.cache.put(self._key(script, segment), audio)
        self.audio[script_index][segment_index] = audio
        self.on_segment(script)
        if all(chunk is not None for chunk in self.audio[script_index]):
            yield self._spoken(script_index)

    def _spoken(self, script_index: int) -> Spoken:
        script = self.scripts[script_index]
        chunks = self.audio[script_index]
        self.audio[script_index] = []
        return Spoken(script, tuple(Clip(segment, chunk) for segment, chunk in zip(script.segments, chunks) if chunk))

    def _key(self, script: Script, segment: Segment) -> str:
        return clip_key(self.spec, script.language, segment.text)


def _result(future: Future[AudioChunk], spec: BackendSpec) -> AudioChunk:
    try:
        return future.result()
    except BrokenProcessPool:
        raise SynthesisError(f"a {spec.name} speech worker died; run with --jobs 1 to see why") from None


def _located(error: SynthesisError, script: Script, index: int) -> SynthesisError:
    segment = script.segments[index]
    part = segment.kind if segment.source is None else f"{segment.kind} {segment.source + 1}"
    return SynthesisError(f"{part}: {error.message}", script.key)


def _start_worker(spec: BackendSpec) -> None:
    """Create this worker's backend once; backend chatter on stdout must not reach the user."""
    global _worker_backend
    with contextlib.redirect_stdout(io.StringIO()):
        _worker_backend = create_backend(spec)


def _speak_in_worker(text: str, language: str) -> AudioChunk:
    assert _worker_backend is not None, "worker started without a backend"
    return _worker_backend.synthesize(text, language)
