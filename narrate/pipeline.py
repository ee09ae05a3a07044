"""The build recipe: prepare every article, synthesise, stitch and tag episodes, publish them with the feeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .publish.chapters import chapters
from .config import Config
from .audio.settings import Encoding
from .publish.embed import stage_embeds
from .errors import NarrateError, OutputError
from .files import Publication, remove_leftovers
from .state.identities import save_identities
from .state.lock import output_lock
from .model import Article, Episode, PublishedNames, Segment, TimedSegment
from .episodes import Progress, SilentProgress, clip_cache, make_episodes
from .plan import Plan, Prepared, clip_keys, home_feed, intact, prepare, unchanged
from .publish.staging import PublishedCover, publish_cover, stage_companions, stage_feed
from .state.records import EpisodeRecord, Published, save_records
from .state.withdrawals import Withdrawal
from .tts import BackendSpec
from .withdrawals import plan_withdrawals, remove_strays, withdraw

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 300


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
    encoded: frozenset[str] = frozenset()
    """The articles (by identity) whose episodes this build encoded; the others were unchanged and left alone."""
    voices: dict[str, BackendSpec] = field(default_factory=dict)
    """The voice of each article's episode, by identity."""
    kept: tuple[Episode, ...] = ()
    """The last published episodes of articles that failed, still listed as they were (not in `episodes`)."""
    withdrawn: tuple[Withdrawal, ...] = ()
    """The episodes whose articles left the input: out of every feed, their files deleted."""

    @property
    def audio_seconds(self) -> float:
        return sum(episode.duration for episode in self.episodes)


@dataclass
class _Outcome:
    episodes: list[Episode] = field(default_factory=list)
    failures: list[NarrateError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: dict[str, NarrateError] = field(default_factory=dict)
    """Why each article that was read but not built failed, by identity."""
    publication: Publication = field(default_factory=Publication)


def build(
    config: Config, progress: Progress | None = None, wait_seconds: float = LOCK_WAIT_SECONDS,
    allow_mass_withdrawal: bool = False, only: Sequence[Path] | None = None,
) -> BuildReport:
    """Build every article below the input folder into episodes and one feed, and withdraw the
    episodes of articles gone from it (refused when that is more than half, unless allowed).

    With `only` (article files below the input folder), only their articles are built; every
    other episode stays listed as published, its files untouched, and none is withdrawn.

    Only one build writes to an output folder at a time; another waits up to `wait_seconds`.
    """
    progress = progress or SilentProgress()
    with output_lock(config.paths.output, wait_seconds, progress.waiting):
        return _build(config, progress, allow_mass_withdrawal, only)


def _build(config: Config, progress: Progress, allow_mass_withdrawal: bool, only: Sequence[Path] | None) -> BuildReport:
    """Everything is staged, then the identities saved, then the publication commits, feeds last: an
    error writing any output (OutputError) stops the build before it changes what is published,
    and a feed never lists an episode whose names and first-publication date are not on disk."""
    started = time.monotonic()
    output = config.paths.output
    remove_leftovers([output / name for name in layout.GENERATED])
    prepared = prepare(config, only)
    findings = prepared.findings
    outcome = _Outcome(failures=findings.failures, warnings=findings.warnings, failed=findings.failed_articles)
    records = prepared.records
    withdrawals = plan_withdrawals(prepared, config, allow_mass_withdrawal)
    to_speak = []
    try:
        covers = {feed.name: publish_cover(feed, output, outcome.publication) for feed in config.feeds}
        for plan in prepared.plans:
            record = records.get(plan.article.identity)
            if unchanged(plan, record):
                episode = _episode(plan.article, plan.names, plan.destination, plan.script.segments, record)
                stage_companions(episode, output, outcome.publication, only_missing=True)
                outcome.episodes.append(episode)
            else:
                to_speak.append(plan)
        _check_bookends(to_speak)
        progress.planned([(p.article.identity, p.article.title, len(p.script.segments)) for p in to_speak])
        log.info("%d of %d episodes to synthesise and encode", len(to_speak), len(prepared.plans))
        for spec, group in _by_voice(to_speak):
            _speak(spec, group, config, prepared.encoding, covers, records, outcome, progress)
        kept = _kept(prepared, outcome, config)
        for episode in kept:
            stage_companions(episode, output, outcome.publication, only_missing=True)
        published = sorted([*outcome.episodes, *kept], key=lambda episode: episode.article.identity)
        listed = [(episode, home_feed(episode.article, config)) for episode in published]
        cover_urls = {name: cover.url for name, cover in covers.items()}
        stage_embeds(listed, config.feeds, output, outcome.publication, cover_urls)
        feed_paths = tuple(
            stage_feed(feed, covers[feed.name].url, published, config.paths.input, output, outcome.publication)
            for feed in config.feeds
        )
        names = {episode.article.identity for episode in published} | set(records) | withdrawals.identities()
        save_identities(output / layout.state("identities.json"),
                        {key: identity for key, identity in prepared.identities.items() if key in names})
        outcome.publication.commit()
        log.info("published %s", ", ".join(map(str, feed_paths)))
    except OutputError as error:
        raise error.noted("the feeds were not changed") from None
    finally:
        outcome.publication.discard()
    withdrawn = withdraw(withdrawals, output)
    save_records(output / layout.state("episodes.json"), _recorded(records, published, config.paths.input))
    if prepared.chosen is None:  # a build of some articles would forget what it knows of the others
        prepared.languages.save(plan.article for plan in prepared.plans)
        prepared.memo.save()
    episodes = tuple(sorted(outcome.episodes, key=lambda episode: episode.article.identity))
    seconds = time.monotonic() - started
    cover_path = covers[config.feed.name].path
    return BuildReport(
        episodes, tuple(outcome.failures), feed_paths[0], seconds, tuple(outcome.warnings), cover_path, feed_paths,
        frozenset(plan.article.identity for plan in to_speak) & {episode.article.identity for episode in episodes},
        {plan.article.identity: plan.voice for plan in prepared.plans}, tuple(kept), withdrawn,
    )


def _kept(prepared: Prepared, outcome: _Outcome, config: Config) -> list[Episode]:
    """The last published episode of each article that failed or was not chosen to build, listed
    again as it was, and its failure saying so. Only an article removed from the input leaves the
    feeds (or one whose MP3 is gone).

    A file that could not be read has no article to name its episodes: they are found by the
    source path recorded with them. An episode recorded by an older narrate has no such record and
    is not kept.
    """
    built = {episode.article.identity for episode in outcome.episodes}
    input_dir = config.paths.input
    unread = {path.relative_to(input_dir): found for path, found in prepared.findings.failed_files.items()}
    kept, told = [], Counter[int]()
    for key, record in prepared.records.items():
        published, names = record.published, prepared.identities.get(key)
        if key in built or published is None or names is None:
            continue
        source = published.article.source
        failures = [outcome.failed[key]] if key in outcome.failed else unread.get(source, [])
        destination = config.paths.output / layout.episode(names.slug)
        if (failures or prepared.unchosen(source)) and intact(destination, record):
            article = dataclasses.replace(published.article, source=input_dir / source)
            kept.append(_episode(article, names, destination, published.segments_shown(), record))
            told.update(id(failure) for failure in failures)
    for failure in {id(failure): failure for failure in outcome.failures}.values():
        if count := told[id(failure)]:
            failure.noted("its published episode is kept" if count == 1 else f"its {count} published episodes are kept")
    return kept


def _recorded(records: dict[str, EpisodeRecord], published: list[Episode], input_dir: Path) -> dict[str, EpisodeRecord]:
    """The records to save: each published episode's with what the feeds list of it, the others' without."""
    listed = {episode.article.identity: episode for episode in published}
    return {
        key: dataclasses.replace(record, published=Published.of(listed[key], input_dir) if key in listed else None)
        for key, record in records.items()
    }


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
    source: Path
    voice: BackendSpec


@dataclass(frozen=True)
class DryRunReport:
    episodes: tuple[PlannedEpisode, ...]
    failures: tuple[NarrateError, ...]
    warnings: tuple[str, ...] = ()
    withdrawing: tuple[Withdrawal, ...] = ()


def dry_run(config: Config, only: Sequence[Path] | None = None, allow_mass_withdrawal: bool = False) -> DryRunReport:
    """What `build` would synthesise, encode and withdraw, found from fingerprints and the cache; writes
    nothing. A build that would refuse a mass withdrawal is refused here too."""
    prepared = prepare(config, only)
    withdrawals = plan_withdrawals(prepared, config, allow_mass_withdrawal)
    cache = clip_cache(config)
    planned = []
    for plan in prepared.plans:
        same = unchanged(plan, prepared.records.get(plan.article.identity))
        missing = 0 if same else sum(1 for key in clip_keys(plan) if not cache.has(key))
        planned.append(PlannedEpisode(plan.article.title, plan.destination, len(plan.script.segments), missing, not same,
                                      plan.article.source, plan.voice))
    findings = prepared.findings
    return DryRunReport(tuple(planned), tuple(findings.failures), tuple(findings.warnings), withdrawals.withdrawing)


@dataclass(frozen=True)
class Cleaned:
    clips: int
    clip_bytes: int
    strays: tuple[Path, ...]
    """Files in audio/ and embeds/ that no listed episode owned."""


def clean(config: Config) -> Cleaned:
    """Delete cached clips that no current article uses, and public files that no listed episode owns.

    Refuses when an article cannot be read: its clips would look unused and be lost.
    """
    with output_lock(config.paths.output, 0):
        prepared = prepare(config)
        failures = prepared.findings.failures
        if failures:
            raise NarrateError(f"nothing cleaned: {len(failures)} article(s) could not be read, first: {failures[0]}")
        used = {key for plan in prepared.plans for key in clip_keys(plan)}
        clips, size = clip_cache(config).remove_unused(used)
        return Cleaned(clips, size, tuple(remove_strays(prepared, config.paths.output)))


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
    """One voice's articles made into staged episodes; a failed one is recorded, an output error stops the build."""
    arts = {feed: cover.art for feed, cover in covers.items()}
    for plan, result in make_episodes(spec, plans, config, encoding, arts, outcome.publication, progress):
        if isinstance(result, OutputError):
            raise result  # the output cannot be written: no other episode can be either
        if isinstance(result, NarrateError):
            outcome.failures.append(result)
            outcome.failed[plan.article.identity] = result
            continue
        records[plan.article.identity] = result
        episode = _episode(plan.article, plan.names, plan.destination, plan.script.segments, result)
        stage_companions(episode, config.paths.output, outcome.publication, only_missing=False)
        outcome.episodes.append(episode)


def _episode(
    article: Article, names: PublishedNames, destination: Path, segments: Sequence[Segment], record: EpisodeRecord
) -> Episode:
    timeline = tuple(TimedSegment(segment, start, end) for segment, (start, end) in zip(segments, record.timings))
    return Episode(
        article, names, destination, record.duration, record.size, _published(article, names), timeline,
        chapters(timeline, record.duration),
    )


def _published(article: Article, names: PublishedNames) -> dt.datetime:
    """The article's own date and time (taken as UTC) when it has one, else when we first published it."""
    if article.date is None:
        return names.first_published
    return dt.datetime.combine(article.date, article.time or dt.time(0, 0), tzinfo=dt.timezone.utc)


