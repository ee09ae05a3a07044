"""Make one voice's episodes: speech synthesised in worker processes, each episode encoded and tagged in
a thread as soon as its speech is complete, staged to move into place with the feeds."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Protocol

from . import layout
from .audio.settings import Encoding
from .config import Config
from .errors import NarrateError, OutputError
from .files import Publication
from .plan import Plan
from .publish.chapters import chapters
from .publish.id3 import Cover, write_tags
from .state.records import EpisodeRecord
from .tts import BackendSpec, backend_class
from .tts.clip_cache import ClipCache
from .tts.runner import Spoken, synthesize, worker_count

log = logging.getLogger(__name__)


class Progress(Protocol):
    """What a build tells its user while it works (the CLI draws it; library callers may ignore it)."""

    def planned(self, scripts: Sequence[tuple[str, str, int]]) -> None:
        """Synthesis is about to start: (key, title, number of segments) for each article."""

    def spoken(self, key: str) -> None:
        """One more segment of article `key` has audio."""

    def finished(self, key: str) -> None:
        """Article `key` is done, built or failed."""

    def waiting(self, holder: str) -> None:
        """Another build holds the output folder; this one waits for it."""


class SilentProgress:
    def planned(self, scripts: Sequence[tuple[str, str, int]]) -> None:
        pass

    def spoken(self, key: str) -> None:
        pass

    def finished(self, key: str) -> None:
        pass

    def waiting(self, holder: str) -> None:
        pass


def clip_cache(config: Config) -> ClipCache:
    return ClipCache(config.paths.output / layout.state("clips"))


def make_episodes(
    spec: BackendSpec,
    plans: list[Plan],
    config: Config,
    encoding: Encoding,
    covers: dict[str, Cover | None],
    publication: Publication,
    progress: Progress,
) -> list[tuple[Plan, EpisodeRecord | NarrateError]]:
    """Each article's episode record, or the error that stopped it, in the order they finished.

    Encoding runs in threads (each drives an ffmpeg process) so synthesis never waits for it; at
    most two episodes per job wait to be encoded, which bounds the audio held in memory. The
    longest articles are spoken first, so the build ends encoding short episodes on every core
    rather than one long episode on one.
    """
    plans = sorted(plans, key=lambda plan: -sum(len(segment.text) for segment in plan.script.segments))
    segments = sum(len(plan.script.segments) for plan in plans)
    jobs = worker_count(config.paths.jobs, backend_class(spec.name), segments)
    worker_spec = dataclasses.replace(spec, threads=max(1, (os.cpu_count() or 1) // jobs))
    by_key = {plan.article.identity: plan for plan in plans}
    cache = clip_cache(config)
    scripts = [plan.script for plan in plans]
    on_segment = lambda script: progress.spoken(script.key)  # noqa: E731
    finished: list[Future[tuple[Plan, EpisodeRecord | NarrateError]]] = []
    synthesis = synthesize(scripts, worker_spec, jobs, on_segment, cache, config.voice.timeout)
    with _encoders(jobs) as encoders, closing(synthesis):  # closed: its workers stop however this block ends
        for spoken in synthesis:
            plan = by_key[spoken.script.key]
            job = _Job(plan, spoken, encoding, covers[plan.home.name], publication)
            finished.append(encoders.submit(_finish, job, progress))
            while len(waiting := [future for future in finished if not future.done()]) > 2 * jobs:
                wait(waiting, return_when=FIRST_COMPLETED)  # only the unfinished: a finished one returns at once
    return [future.result() for future in finished]


@contextmanager
def _encoders(jobs: int) -> Iterator[ThreadPoolExecutor]:
    """Threads that encode episodes. When the build stops (an error, Ctrl-C, SIGTERM) the encodes
    still queued are cancelled; those under way finish first, so that the staged files they write
    are discarded after them."""
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="encode") as encoders:
        try:
            yield encoders
        except BaseException:
            encoders.shutdown(wait=False, cancel_futures=True)
            raise


@dataclass(frozen=True)
class _Job:
    """One article whose speech is complete, to be encoded in a thread."""

    plan: Plan
    spoken: Spoken
    encoding: Encoding
    cover: Cover | None
    publication: Publication


def _finish(job: _Job, progress: Progress) -> tuple[Plan, EpisodeRecord | NarrateError]:
    """One article's episode from its clips, or the error that stopped it."""
    try:
        if job.spoken.error:
            return job.plan, job.spoken.error
        return job.plan, _make_episode(job)
    except NarrateError as error:
        return job.plan, error
    finally:
        progress.finished(job.plan.article.identity)


def _make_episode(job: _Job) -> EpisodeRecord:
    """Encode and tag under a temporary name and measure it; it moves into place with the feed."""
    plan, publication = job.plan, job.publication
    from .audio.stitch import stitch

    temporary = publication.stage(plan.destination)
    try:
        stitched = stitch(job.spoken.clips, job.encoding, temporary, plan.bookends)
        timeline, duration = stitched.timeline, stitched.duration
        write_tags(temporary, dataclasses.replace(plan.tags, cover=job.cover), chapters(timeline, duration))
        size = temporary.stat().st_size
        log.info("encoded %s: %.1f s of audio", plan.destination.name, duration)
    except OutputError as error:
        publication.withdraw(temporary)
        raise OutputError(error.message, plan.destination) from None  # named by its place, not its temporary name
    except NarrateError as error:
        publication.withdraw(temporary)
        raise error.located(plan.article.source) from None
    except OSError as error:
        publication.withdraw(temporary)
        raise OutputError.writing(plan.destination, error) from None
    return EpisodeRecord(plan.fingerprint, duration, size, tuple((t.start, t.end) for t in timeline))

