"""Run a backend over many segments, in worker processes that each keep one backend for life.

Clips already in the cache are taken from it; only the others are synthesised, and stored by the
worker that made them (with their shape, narrate.shape), so the audio never travels back to the
main process, which is busy encoding.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing.context import SpawnContext, SpawnProcess

from ..config import VoiceConfig
from ..errors import NarrateError, SynthesisError
from ..model import AudioChunk, Clip, Segment
from . import Backend, BackendSpec, create_backend, workers_per_core
from .clip_cache import CachedClips, ClipCache, clip_key
from .worker import ClipRequest, speak, speak_in_worker, start_worker


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

MEMORY_HEADROOM = 0.8
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
    timeout: float = VoiceConfig.timeout,
) -> Iterator[Spoken]:
    """Yield each script's clips as soon as all of them exist (scripts finish in any order)."""
    work = _Work(scripts, spec, cache, on_segment)
    yield from work.complete_scripts()
    if not work.tasks:
        return
    if jobs <= 1:
        yield from _synthesize_here(work, create_backend(spec))
    else:
        yield from _WorkerPool(spec, jobs, timeout, cache).run(work)


def _synthesize_here(work: _Work, backend: Backend) -> Iterator[Spoken]:
    """One clip after another in this process (one job): no worker to crash or to time out."""
    for task in work.tasks:
        if not work.has_failed(task):
            yield from work.settle(task, partial(speak, backend, work.cache, work.request(task)))


@dataclass(frozen=True)
class _Task:
    """One clip to make: segment number `segment` of script number `script`.

    `crashes` counts the worker crashes the task was present at (0 or 1): any task present may
    have caused one, so such a task runs alone, and a second crash is surely its own."""

    script: int
    segment: int
    crashes: int = 0


@dataclass
class _Progress:
    """How far one script has come: the segments it still needs, and the audio of the others when
    there is no cache to hold it. A script that failed needs nothing more."""

    missing: set[int]
    audio: dict[int, AudioChunk] = field(default_factory=dict)
    failed: bool = False


class _Work:
    """What each script still needs, filled from the cache first, then from synthesis."""

    def __init__(self, scripts: Sequence[Script], spec: BackendSpec, cache: ClipCache | None, on_segment: OnSegment):
        self.scripts, self.spec, self.cache, self.on_segment = scripts, spec, cache, on_segment
        self.progress = [_Progress(missing=set()) for _ in scripts]
        self.tasks: list[_Task] = []
        """The clips the cache lacks, in speaking order."""
        for script_index, script in enumerate(scripts):
            for segment_index, segment in enumerate(script.segments):
                if cache and cache.get(self._key(script, segment)) is not None:  # read once: damaged ones are redone
                    on_segment(script)
                else:
                    self.progress[script_index].missing.add(segment_index)
                    self.tasks.append(_Task(script_index, segment_index))

    def complete_scripts(self) -> Iterator[Spoken]:
        """Scripts that need no synthesis at all."""
        for script_index, progress in enumerate(self.progress):
            if not progress.missing:
                yield self._spoken(script_index)

    def has_failed(self, task: _Task) -> bool:
        """Whether the task's script has failed already (its other clips are not worth making)."""
        return self.progress[task.script].failed

    def request(self, task: _Task) -> ClipRequest:
        """What to synthesise for one task."""
        script = self.scripts[task.script]
        segment = script.segments[task.segment]
        return ClipRequest(self._key(script, segment), segment.text, script.language)

    def settle(self, task: _Task, make_clip: Callable[[], AudioChunk | None]) -> Iterator[Spoken]:
        """Note the clip `make_clip` returns (None: it is in the cache), or the SynthesisError it
        raises; yield the task's script once it is complete, or its error."""
        try:
            audio = make_clip()
        except SynthesisError as error:
            yield from self.fail(task, error)
            return
        progress = self.progress[task.script]
        if progress.failed:
            return
        progress.missing.discard(task.segment)
        if audio is not None:
            progress.audio[task.segment] = audio
        self.on_segment(self.scripts[task.script])
        if not progress.missing:
            yield self._spoken(task.script)

    def fail(self, task: _Task, error: SynthesisError) -> Iterator[Spoken]:
        """The task's script cannot be completed: yield its error once, naming the segment."""
        progress = self.progress[task.script]
        if progress.failed:
            return
        progress.failed = True
        progress.audio.clear()
        script = self.scripts[task.script]
        yield Spoken(script, error=_located(error, script, task.segment))

    def _spoken(self, script_index: int) -> Spoken:
        script = self.scripts[script_index]
        if self.cache:
            keys = tuple(self._key(script, segment) for segment in script.segments)
            return Spoken(script, CachedClips(self.cache, keys, script.segments))
        audio = self.progress[script_index].audio
        clips = tuple(Clip(segment, audio[index]) for index, segment in enumerate(script.segments))
        audio.clear()
        return Spoken(script, clips)

    def _key(self, script: Script, segment: Segment) -> str:
        return clip_key(self.spec, script.language, segment.text)


def _located(error: SynthesisError, script: Script, index: int) -> SynthesisError:
    segment = script.segments[index]
    part = segment.kind if segment.source is None else f"{segment.kind} {segment.source + 1}"
    return SynthesisError(f"{part}: {error.message}", script.key)


@dataclass(frozen=True)
class _Running:
    """A task handed to a worker, and the time by which it must have finished."""

    task: _Task
    deadline: float


class _WorkerPool:
    """Worker processes that survive their own failures.

    At most `jobs` segments are in flight, so each one's deadline starts when it starts. A worker
    that crashes breaks the whole executor: it is replaced, and the segments that were in flight
    are tried again one at a time, so the one that crashes again is known and only its article
    fails. A segment that runs past its deadline fails its article and its worker is killed.
    """

    def __init__(self, spec: BackendSpec, jobs: int, timeout: float, cache: ClipCache | None) -> None:
        self.spec, self.jobs, self.timeout, self.cache = spec, jobs, timeout, cache
        self.workers = _Workers(spec, jobs, cache)
        self.running: dict[Future[AudioChunk | None], _Running] = {}

    def run(self, work: _Work) -> Iterator[Spoken]:
        waiting = deque(work.tasks)
        try:
            while waiting or self.running:
                self._submit(waiting, work)
                if self.running:
                    yield from self._collect(waiting, work)
            self.workers.close()
        finally:
            self.workers.stop()

    def _submit(self, waiting: deque[_Task], work: _Work) -> None:
        """Fill free workers in order; a task that was present at a crash runs alone, to find the culprit."""
        while waiting and len(self.running) < self.jobs and not self._must_wait(waiting[0]):
            task = waiting.popleft()
            if work.has_failed(task):
                continue
            try:
                future = self.workers.submit(work.request(task))
            except BrokenProcessPool:  # a worker died since the last wait: its future will say so
                waiting.appendleft(task)
                return
            self.running[future] = _Running(task, time.monotonic() + self.timeout)

    def _collect(self, waiting: deque[_Task], work: _Work) -> Iterator[Spoken]:
        """Wait a moment; note the clips that finished, fail the ones past their deadline, and
        replace the workers after a crash or a hang."""
        finished = self._take_finished()
        crashed = [task for task, future in finished if _worker_died(future)]
        for task, future in finished:
            if not _worker_died(future):
                yield from work.settle(task, future.result)
        overdue = self._take_overdue()
        for task in overdue:
            message = f"the {self.spec.name} backend did not finish within {self.timeout:.0f} s"
            yield from work.fail(task, SynthesisError(message))
        if crashed or overdue:
            self.workers.stop()
            self.workers = _Workers(self.spec, self.jobs, self.cache)
            yield from self._requeue_interrupted(waiting, work, crashed)

    def _must_wait(self, task: _Task) -> bool:
        """Whether `task` must not start yet: a task present at a crash runs with no other."""
        running = [entry.task for entry in self.running.values()]
        return any(other.crashes for other in running) or bool(task.crashes and running)

    def _take_finished(self) -> list[tuple[_Task, Future[AudioChunk | None]]]:
        """Wait a moment for clips to finish; the finished ones stop running."""
        done, _ = wait(self.running, timeout=WAIT_STEP_SECONDS, return_when=FIRST_COMPLETED)
        return [(self.running.pop(future).task, future) for future in done]

    def _take_overdue(self) -> list[_Task]:
        """The tasks past their deadline; they stop running (their workers are killed next)."""
        overdue = [future for future, entry in self.running.items() if time.monotonic() > entry.deadline]
        return [self.running.pop(future).task for future in overdue]

    def _requeue_interrupted(self, waiting: deque[_Task], work: _Work, crashed: list[_Task]) -> Iterator[Spoken]:
        """Put the tasks the workers were stopped in (and those that crashed) back at the front of the
        queue. After a crash each one counts it: at its first it will run alone, at its second its
        script fails."""
        interrupted = [entry.task for entry in self.running.values()]
        self.running.clear()
        if not crashed:
            waiting.extendleft(reversed(interrupted))
            return
        for task in crashed + interrupted:
            if task.crashes:
                yield from work.fail(task, SynthesisError(f"the {self.spec.name} worker crashed"))
            else:
                waiting.appendleft(replace(task, crashes=1))


def _worker_died(future: Future[AudioChunk | None]) -> bool:
    return isinstance(future.exception(), BrokenProcessPool)


class _Workers:
    """An executor's worker processes, with a handle on each, so that stopping them can kill a hung
    one: the executor itself only ever waits for its workers."""

    def __init__(self, spec: BackendSpec, jobs: int, cache: ClipCache | None) -> None:
        self.spawner = _Spawner()
        self.executor = ProcessPoolExecutor(jobs, self.spawner, initializer=start_worker, initargs=(spec, cache))

    def submit(self, request: ClipRequest) -> Future[AudioChunk | None]:
        return self.executor.submit(speak_in_worker, request)

    def close(self) -> None:
        """Let the workers, idle once all work is done, exit by themselves, so that their backends
        clean up after themselves (espeak-ng's temporary folder); a killed worker cannot."""
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        """Kill every worker still alive, then shut the executor down."""
        for process in self.spawner.started:
            if process.is_alive():
                process.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)


class _Spawner(SpawnContext):
    """The "spawn" start method, keeping every process it creates (an executor asks its context
    for each worker process)."""

    def __init__(self) -> None:
        super().__init__()
        self.started: list[SpawnProcess] = []

    def Process(self, *args, **kwargs) -> SpawnProcess:  # the name an executor calls
        process = _WorkerProcess(*args, **kwargs)
        self.started.append(process)
        return process


class _WorkerProcess(SpawnProcess):
    """A worker that never sees Ctrl-C: the main process decides what an interruption means and
    stops the workers itself, so a worker has no traceback to print.

    SIGINT is blocked while the worker is started, so it starts blocked, from its first instruction
    (as multiprocessing starts its resource tracker); a Ctrl-C meanwhile reaches the main process
    when it is unblocked."""

    def start(self) -> None:
        if not hasattr(signal, "pthread_sigmask"):  # Windows
            super().start()
            return
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
