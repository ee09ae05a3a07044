"""The build recipe: prepare every article, synthesise, stitch and tag episodes, publish them with the feeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import layout
from .tts.clip_cache import ClipCache
from .publish.chapters import chapters
from .config import Config
from .audio.settings import Encoding
from .publish.embed import write_embeds
from .errors import NarrateError
from .files import Publication, remove_leftovers
from .state.identities import save_identities
from .state.lock import output_lock
from .model import Article, Episode, PublishedNames, TimedSegment
from .plan import Plan, clip_keys, home_feed, prepare, unchanged
from .publish.staging import PublishedCover, publish_cover, stage_companions, stage_feed
from .state.records import EpisodeRecord, save_records
from .publish.id3 import Cover, write_tags
from .tts import BackendSpec, backend_class
from .tts.runner import Spoken, synthesize, worker_count

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 300


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


@dataclass(frozen=True)
class BuildReport:
    episodes: tuple[Episode, ...]
    failures: tuple[NarrateError, ...]
    feed_path: Path
    seconds: float
    warnings: tuple[str, ...] = ()
    cover_path: Path | None = None
    """The first feed's cover on disk (None when the config gives it as a URL): the picture for ID3 tags."""
    feed_paths: tuple[Path, ...] = ()
    """Every feed written, in config order (`feed_path` is the first)."""
    encoded: int = 0
    """How many of the episodes this build encoded; the others were unchanged and left alone."""

    @property
    def audio_seconds(self) -> float:
        return sum(episode.duration for episode in self.episodes)


@dataclass
class _Outcome:
    episodes: list[Episode] = field(default_factory=list)
    failures: list[NarrateError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    publication: Publication = field(default_factory=Publication)


def build(config: Config, progress: Progress | None = None, wait_seconds: float = LOCK_WAIT_SECONDS) -> BuildReport:
    """Build every article below the input folder into episodes and one feed.

    Only one build writes to an output folder at a time; another waits up to `wait_seconds`.
    """
    progress = progress or SilentProgress()
    with output_lock(config.paths.output, wait_seconds, progress.waiting):
        return _build(config, progress)


def _build(config: Config, progress: Progress) -> BuildReport:
    started = time.monotonic()
    remove_leftovers([config.paths.output / name for name in layout.GENERATED])
    prepared = prepare(config)
    outcome = _Outcome(failures=prepared.findings.failures, warnings=prepared.findings.warnings)
    records = prepared.records
    to_speak = []
    try:
        covers = {feed.name: publish_cover(feed, config.paths.output, outcome.publication) for feed in config.feeds}
        for plan in prepared.plans:
            record = records.get(plan.article.identity)
            if unchanged(plan, record):
                episode = _episode(plan, record)
                stage_companions(episode, config.paths.output, outcome.publication, only_missing=True)
                outcome.episodes.append(episode)
            else:
                to_speak.append(plan)
        unchanged_count = len(outcome.episodes)
        _check_bookends(to_speak)
        progress.planned([(p.article.identity, p.article.title, len(p.script.segments)) for p in to_speak])
        for spec, group in _by_voice(to_speak):
            _speak(spec, group, config, prepared.encoding, covers, records, outcome, progress)
        feed_paths = tuple(
            stage_feed(feed, covers[feed.name].url, outcome.episodes, config.paths.input, config.paths.output,
                       outcome.publication)
            for feed in config.feeds
        )
        outcome.publication.commit()
    finally:
        outcome.publication.discard()
    built = {episode.article.identity for episode in outcome.episodes}
    kept = {key: identity for key, identity in prepared.identities.items() if key in built or key in records}
    save_identities(config.paths.output / layout.state("identities.json"), kept)
    save_records(config.paths.output / layout.state("episodes.json"), records)
    prepared.languages.save(plan.article for plan in prepared.plans)
    prepared.memo.save()
    episodes = tuple(sorted(outcome.episodes, key=lambda episode: episode.article.identity))
    listed = [(episode, home_feed(episode.article, config)) for episode in episodes]
    write_embeds(listed, config.feeds, config.paths.output, {name: cover.url for name, cover in covers.items()})
    seconds = time.monotonic() - started
    cover_path = covers[config.feed.name].path
    return BuildReport(
        episodes, tuple(outcome.failures), feed_paths[0], seconds, tuple(outcome.warnings), cover_path, feed_paths,
        len(episodes) - unchanged_count,
    )


def _check_bookends(plans: list[Plan]) -> None:
    """A broken intro or outro audio file stops the build before any speech is synthesised."""
    bookends = sorted({path for plan in plans for path in (plan.bookends.intro, plan.bookends.outro) if path})
    if bookends:
        from .audio.stitch import check_decodable  # the audio stack (numpy) is imported only when there is audio to make

        for path in bookends:
            check_decodable(path)


@dataclass(frozen=True)
class PlannedEpisode:
    """What a build would do for one article: how many sentences need new speech, whether to encode."""

    title: str
    destination: Path
    segments: int
    to_synthesise: int
    to_encode: bool


@dataclass(frozen=True)
class DryRunReport:
    episodes: tuple[PlannedEpisode, ...]
    failures: tuple[NarrateError, ...]


def dry_run(config: Config) -> DryRunReport:
    """What `build` would synthesise and encode, found from fingerprints and the cache; writes nothing."""
    prepared = prepare(config)
    cache = _clip_cache(config)
    planned = []
    for plan in prepared.plans:
        same = unchanged(plan, prepared.records.get(plan.article.identity))
        missing = 0 if same else sum(1 for key in clip_keys(plan) if not cache.has(key))
        planned.append(PlannedEpisode(plan.article.title, plan.destination, len(plan.script.segments), missing, not same))
    return DryRunReport(tuple(planned), tuple(prepared.findings.failures))


def clean(config: Config) -> tuple[int, int]:
    """Delete cached clips that no current article uses; returns (entries, bytes) freed.

    Refuses when an article cannot be read: its clips would look unused and be lost.
    """
    with output_lock(config.paths.output, 0):
        prepared = prepare(config)
        failures = prepared.findings.failures
        if failures:
            raise NarrateError(f"nothing cleaned: {len(failures)} article(s) could not be read, first: {failures[0]}")
        used = {key for plan in prepared.plans for key in clip_keys(plan)}
        return _clip_cache(config).remove_unused(used)


def _clip_cache(config: Config) -> ClipCache:
    return ClipCache(config.paths.output / layout.state("clips"))


def _by_voice(plans: list[Plan]) -> list[tuple[BackendSpec, list[Plan]]]:
    groups: dict[BackendSpec, list[Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.voice, []).append(plan)
    return list(groups.items())


def _speak(
    spec: BackendSpec,
    plans: list[Plan],
    config: Config,
    encoding: Encoding,
    covers: dict[str, PublishedCover],
    records: dict[str, EpisodeRecord],
    outcome: _Outcome,
    progress: Progress,
) -> None:
    """Synthesise one voice's articles in worker processes, encoding each as soon as it is complete.

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
    cache = _clip_cache(config)
    scripts = [plan.script for plan in plans]
    on_segment = lambda script: progress.spoken(script.key)  # noqa: E731
    finished: list[Future[tuple[Plan, EpisodeRecord | NarrateError]]] = []
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="encode") as encoders:
        for spoken in synthesize(scripts, worker_spec, jobs, on_segment, cache, config.voice.timeout):
            plan = by_key[spoken.script.key]
            job = _Job(plan, spoken, encoding, covers[plan.home.name].art, outcome.publication)
            finished.append(encoders.submit(_finish, job, progress))
            while len(waiting := [future for future in finished if not future.done()]) > 2 * jobs:
                wait(waiting, return_when=FIRST_COMPLETED)  # only the unfinished: a finished one returns at once
    for future in finished:
        plan, result = future.result()
        if isinstance(result, NarrateError):
            outcome.failures.append(result)
            continue
        records[plan.article.identity] = result
        episode = _episode(plan, result)
        stage_companions(episode, config.paths.output, outcome.publication, only_missing=False)
        outcome.episodes.append(episode)


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
    except NarrateError as error:
        publication.withdraw(temporary)
        raise error.located(plan.article.source) from None
    except OSError as error:
        publication.withdraw(temporary)
        raise NarrateError(f"cannot write {plan.destination}: {error.strerror}", plan.article.source) from None
    return EpisodeRecord(plan.fingerprint, duration, size, tuple((t.start, t.end) for t in timeline))


def _episode(plan: Plan, record: EpisodeRecord) -> Episode:
    published = _published(plan.article, plan.names)
    timeline = tuple(
        TimedSegment(segment, start, end) for segment, (start, end) in zip(plan.script.segments, record.timings)
    )
    return Episode(
        plan.article, plan.names, plan.destination, record.duration, record.size, published, timeline,
        chapters(timeline, record.duration),
    )


def _published(article: Article, names: PublishedNames) -> dt.datetime:
    """The article's own date and time (taken as UTC) when it has one, else when we first published it."""
    if article.date is None:
        return names.first_published
    return dt.datetime.combine(article.date, article.time or dt.time(0, 0), tzinfo=dt.timezone.utc)


