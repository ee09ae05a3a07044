"""Run a backend over many segments, in worker processes that each keep one backend for life."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

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
    on_segment: Callable[[Script], None] = lambda script: None,
) -> Iterator[Spoken]:
    """Yield each script's clips as soon as all of them exist (scripts finish in any order)."""
    if jobs <= 1:
        backend = create_backend(spec)
        for script in scripts:
            yield _speak_in_process(backend, script, on_segment)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=(spec,)) as pool:
        yield from _speak_in_pool(pool, scripts, on_segment)


def _speak_in_process(backend: Backend, script: Script, on_segment: Callable[[Script], None]) -> Spoken:
    clips = []
    for index, segment in enumerate(script.segments):
        try:
            clips.append(Clip(segment, backend.synthesize(segment.text, script.language)))
        except SynthesisError as error:
            return Spoken(script, error=_located(error, script, index))
        on_segment(script)
    return Spoken(script, tuple(clips))


def _speak_in_pool(
    pool: ProcessPoolExecutor, scripts: Sequence[Script], on_segment: Callable[[Script], None]
) -> Iterator[Spoken]:
    pending: dict[Future[AudioChunk], tuple[int, int]] = {}
    audio: list[list[AudioChunk | None]] = [[None] * len(s.segments) for s in scripts]
    failed: set[int] = set()
    for script_index, script in enumerate(scripts):
        if not script.segments:
            yield Spoken(script)
        for segment_index, segment in enumerate(script.segments):
            future = pool.submit(_speak_in_worker, segment.text, script.language)
            pending[future] = (script_index, segment_index)
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            script_index, segment_index = pending.pop(future)
            script = scripts[script_index]
            if script_index in failed:
                continue
            try:
                audio[script_index][segment_index] = future.result()
            except BrokenProcessPool:
                raise SynthesisError(
                    f"a {script.key!r} speech worker died; run with --jobs 1 to see why"
                ) from None
            except SynthesisError as error:
                failed.add(script_index)
                yield Spoken(script, error=_located(error, script, segment_index))
                continue
            on_segment(script)
            chunks = audio[script_index]
            if all(chunk is not None for chunk in chunks):
                audio[script_index] = []
                yield Spoken(script, tuple(map(Clip, script.segments, chunks)))


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
