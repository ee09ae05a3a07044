"""Run a backend over many segments, in worker processes that each keep one backend for life.

Clips already in the cache are taken from it; only the others are synthesised, and stored by the
worker that made them (with their shape, narrate.shape), so the audio never travels back to the
main process, which is busy encoding.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .clip_cache import CachedClips, ClipCache, clip_key
from ..errors import NarrateError, SynthesisError
from ..model import AudioChunk, Clip, Segment
from . import Backend, BackendSpec, create_backend, workers_per_core


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
    clips: Sequence[Clip] = ()
    error: NarrateError | None = None


OnSegment = Callable[[Script], None]

_worker_backend: Backend | None = None
_worker_cache: ClipCache | None = None

MEMORY_HEADROOM = 0.8
SEGMENT_TIMEOUT_SECONDS = 120.0
WAIT_STEP_SECONDS = 0.5


def worker_count(requested: int, backend: type[Backend], work_items: int) -> int:
    """Workers for a run: as requested, else the backend's share per core, as many as fit in memory."""
    if requested:
        return max(1, min(requested, work_items))
    fits = int(_available_memory_mb() * MEMORY_HEADROOM // max(backend.memory_mb, 1))
    per_core = (os.cpu_count() or 1) * workers_per_core(backend)
    return max(1, min(per_core, fits, work_items))


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
    timeout: float = SEGMENT_TIMEOUT_SECONDS,
) -> Iterator[Spoken]:
    """Yield each script's clips as soon as all of them exist (scripts finish in any order)."""
    work = _Work(scripts, spec, cache, on_segment)
    yield from work.complete_scripts()
    if not work.missing:
        return
    if jobs <= 1:
        backend = create_backend(spec)
        for item in work.missing:
            if item[0] in work.failed:
                continue
            try:
                audio = _speak(backend, cache, *work.request(item))
            except SynthesisError as error:
                yield from work.fail(*item, error)
                continue
            yield from work.store(*item, audio)
        return
    yield from _WorkerPool(spec, jobs, timeout, cache).run(work)


class _WorkerPool:
    """Worker processes that survive their own failures.

    At most `jobs` segments are in flight, so each one's deadline starts when it starts. A worker
    that crashes breaks the whole executor: it is replaced, and the segments that were in flight
    are tried again one at a time, so the one that crashes again is known and only its article
    fails. A segment that runs past its deadline fails its article and its worker is killed.
    """

    def __init__(self, spec: BackendSpec, jobs: int, timeout: float, cache: ClipCache | None) -> None:
        self.spec, self.jobs, self.timeout, self.cache = spec, jobs, timeout, cache

    def run(self, work: _Work) -> Iterator[Spoken]:
        queue = list(work.missing)
        strikes: dict[tuple[int, int], int] = {}
        in_flight: dict[Future[AudioChunk | None], tuple[tuple[int, int], float]] = {}
        pool = self._start()
        try:
            while queue or in_flight:
                self._submit(pool, work, queue, in_flight, strikes)
                if not in_flight:
                    continue
                done, _ = wait(in_flight, timeout=WAIT_STEP_SECONDS, return_when=FIRST_COMPLETED)
                broken = []
                for future in done:
                    item, _ = in_flight.pop(future)
                    try:
                        audio = future.result()
                    except BrokenProcessPool:
                        broken.append(item)
                        continue
                    except SynthesisError as error:
                        yield from work.fail(*item, error)
                        continue
                    yield from work.store(*item, audio)
                overdue = [future for future, (_, deadline) in in_flight.items() if time.monotonic() > deadline]
                for future in overdue:
                    item, _ = in_flight.pop(future)
                    message = f"the {self.spec.name} backend did not finish within {self.timeout:.0f} s"
                    yield from work.fail(*item, SynthesisError(message))
                if not broken and not overdue:
                    continue
                survivors = [item for item, _ in in_flight.values()]
                in_flight.clear()
                _stop(pool)
                pool = self._start()
                if not broken:
                    queue[:0] = survivors
                    continue
                for item in broken + survivors:
                    strikes[item] = strikes.get(item, 0) + 1
                    if strikes[item] > 1:
                        yield from work.fail(*item, SynthesisError(f"the {self.spec.name} worker crashed"))
                    else:
                        queue.insert(0, item)
        finally:
            _stop(pool)

    def _submit(
        self,
        pool: ProcessPoolExecutor,
        work: _Work,
        queue: list[tuple[int, int]],
        in_flight: dict[Future[AudioChunk | None], tuple[tuple[int, int], float]],
        strikes: dict[tuple[int, int], int],
    ) -> None:
        """Fill free workers; a segment that was present at a crash runs alone, to find the culprit."""
        while queue and len(in_flight) < self.jobs:
            if any(strikes.get(item) for item, _ in in_flight.values()) or (strikes.get(queue[0]) and in_flight):
                return
            item = queue.pop(0)
            if item[0] in work.failed:
                continue
            try:
                future = pool.submit(_speak_in_worker, *work.request(item))
            except BrokenProcessPool:  # a worker died since the last wait: its future will say so
                queue.insert(0, item)
                return
            in_flight[future] = (item, time.monotonic() + self.timeout)

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.jobs, context, initializer=_start_worker, initargs=(self.spec, self.cache))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the executor down, killing workers that may be hung (the executor cannot stop them itself)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


class _Work:
    """Which clips each script still needs, filled from the cache first, then from synthesis."""

    def __init__(self, scripts: Sequence[Script], spec: BackendSpec, cache: ClipCache | None, on_segment: OnSegment):
        self.scripts, self.spec, self.cache, self.on_segment = scripts, spec, cache, on_segment
        self.audio: list[list[AudioChunk | bool | None]] = [[None] * len(s.segments) for s in scripts]
        """Per segment: None while missing; True once it is in the cache; its audio when there is no cache."""
        self.failed: set[int] = set()
        self.missing: list[tuple[int, int]] = []
        for script_index, script in enumerate(scripts):
            for segment_index, segment in enumerate(script.segments):
                if cache and cache.get(self._key(script, segment)) is not None:  # read once: damaged ones are redone
                    self.audio[script_index][segment_index] = True
                    on_segment(script)
                else:
                    self.missing.append((script_index, segment_index))

    def complete_scripts(self) -> Iterator[Spoken]:
        """Scripts that need no synthesis at all."""
        for script_index, script in enumerate(self.scripts):
            if all(chunk is not None for chunk in self.audio[script_index]):
                yield self._spoken(script_index)

    def request(self, item: tuple[int, int]) -> tuple[str, str, str]:
        """What to synthesise for one missing clip: its cache key, text and language."""
        script = self.scripts[item[0]]
        segment = script.segments[item[1]]
        return self._key(script, segment), segment.text, script.language

    def store(self, script_index: int, segment_index: int, audio: AudioChunk | None) -> Iterator[Spoken]:
        """Note one new clip (None: it is in the cache already); yield its script once every clip exists."""
        if script_index in self.failed:
            return
        script = self.scripts[script_index]
        self.audio[script_index][segment_index] = True if audio is None else audio
        self.on_segment(script)
        if all(chunk is not None for chunk in self.audio[script_index]):
            yield self._spoken(script_index)

    def fail(self, script_index: int, segment_index: int, error: SynthesisError) -> Iterator[Spoken]:
        """The script cannot be completed: yield its error once, naming the segment."""
        if script_index in self.failed:
            return
        self.failed.add(script_index)
        self.audio[script_index] = []
        yield Spoken(self.scripts[script_index], error=_located(error, self.scripts[script_index], segment_index))

    def _spoken(self, script_index: int) -> Spoken:
        script = self.scripts[script_index]
        chunks = self.audio[script_index]
        self.audio[script_index] = []
        if self.cache:
            keys = tuple(self._key(script, segment) for segment in script.segments)
            return Spoken(script, CachedClips(self.cache, keys, script.segments))
        return Spoken(script, tuple(Clip(s, c) for s, c in zip(script.segments, chunks) if isinstance(c, AudioChunk)))

    def _key(self, script: Script, segment: Segment) -> str:
        return clip_key(self.spec, script.language, segment.text)


def _located(error: SynthesisError, script: Script, index: int) -> SynthesisError:
    segment = script.segments[index]
    part = segment.kind if segment.source is None else f"{segment.kind} {segment.source + 1}"
    return SynthesisError(f"{part}: {error.message}", script.key)


def _start_worker(spec: BackendSpec, cache: ClipCache | None) -> None:
    """Create this worker's backend once; backend chatter on stdout must not reach the user."""
    global _worker_backend, _worker_cache
    with contextlib.redirect_stdout(io.StringIO()):
        _worker_backend = create_backend(spec)
    _worker_cache = cache


def _speak_in_worker(key: str, text: str, language: str) -> AudioChunk | None:
    assert _worker_backend is not None, "worker started without a backend"
    return _speak(_worker_backend, _worker_cache, key, text, language)


def _speak(backend: Backend, cache: ClipCache | None, key: str, text: str, language: str) -> AudioChunk | None:
    """One clip: stored in the cache (None is returned), or returned when there is no cache."""
    audio = backend.synthesize(text, language)
    if cache is None:
        return audio
    try:
        cache.put(key, audio)
    except OSError as error:
        raise SynthesisError(f"cannot store speech in the cache {cache.folder}: {error.strerror}") from None
    return None
