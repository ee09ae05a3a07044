"""The build recipe: read and check everything, synthesise, stitch and tag episodes, publish the feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .audio import Bookends, Encoding, decoded_duration, stitch
from .cache import ClipCache, clip_key
from .chapters import chapters, chapters_json
from .checks import check_article
from .config import Config, FeedConfig
from .cover import render_cover
from .embed import Show, write_embeds
from .errors import NarrateError
from .feed import Channel, Item, render_feed
from .files import Publication, remove_leftovers, write_atomically
from .identity import assign_identities, load_identities, save_identities
from .lock import output_lock
from .loudness import Loudness
from .model import Article, Episode, Identity, TimedSegment
from .podcast_namespace import Transcript, podcast_guid
from .records import EpisodeRecord, fingerprint, load_records, save_records
from .readers import READERS, find_articles, read_folder
from .segment import segment
from .speech import Lexicon
from .tags import Cover, EpisodeTags, write_tags
from .transcripts import cues, plain_text, srt, webvtt
from .tts import BackendSpec, backend_class
from .tts.runner import Script, Spoken, synthesize, worker_count
from .voices import check_voices, choose_voice, language_problem

log = logging.getLogger(__name__)

STATE_FOLDER = ".narrate"
OUTPUT_FOLDERS = ("audio", "feeds", "embeds", STATE_FOLDER)
LOCK_WAIT_SECONDS = 300
DESCRIPTION_LIMIT = 4000
TRANSCRIPT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
"""Transcript files the audio stage may publish beside `audio/<slug>.mp3`, by suffix."""
COVER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


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

    @property
    def audio_seconds(self) -> float:
        return sum(episode.duration for episode in self.episodes)


@dataclass
class _Outcome:
    episodes: list[Episode] = field(default_factory=list)
    failures: list[NarrateError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    publication: Publication = field(default_factory=Publication)


@dataclass(frozen=True)
class _Plan:
    """Everything decided about one article before any audio exists."""

    article: Article
    identity: Identity
    voice: BackendSpec
    script: Script
    tags: EpisodeTags
    destination: Path
    fingerprint: str
    home: FeedConfig
    """The first feed that lists the article: its intro, outro, cover and title go into the one MP3."""
    bookends: Bookends


def build(config: Config, progress: Progress | None = None, wait_seconds: float = LOCK_WAIT_SECONDS) -> BuildReport:
    """Build every article below the input folder into episodes and one feed.

    Only one build writes to an output folder at a time; another waits up to `wait_seconds`.
    """
    progress = progress or SilentProgress()
    with output_lock(config.paths.output, wait_seconds, progress.waiting):
        return _build(config, progress)


def _build(config: Config, progress: Progress) -> BuildReport:
    started = time.monotonic()
    outcome = _Outcome()
    remove_leftovers([config.paths.output / folder for folder in OUTPUT_FOLDERS])
    prepared = _prepare(config, outcome)
    records = prepared.records
    to_speak = []
    try:
        covers = {feed.name: _publish_cover(feed, config.paths.output, outcome.publication) for feed in config.feeds}
        for plan in prepared.plans:
            record = records.get(plan.article.identity)
            if _unchanged(plan, record):
                episode = _episode(plan, record)
                _stage_companions(episode, outcome.publication, only_missing=True)
                outcome.episodes.append(episode)
            else:
                to_speak.append(plan)
        progress.planned([(p.article.identity, p.article.title, len(p.script.segments)) for p in to_speak])
        for spec, group in _by_voice(to_speak):
            _speak(spec, group, config, prepared.encoding, covers, records, outcome, progress)
        feed_paths = tuple(_stage_feed(feed, covers[feed.name][2], config, outcome) for feed in config.feeds)
        outcome.publication.commit()
    finally:
        outcome.publication.discard()
    built = {episode.article.identity for episode in outcome.episodes}
    kept = {key: identity for key, identity in prepared.identities.items() if key in built or key in records}
    state = config.paths.output / STATE_FOLDER
    save_identities(state / "identities.json", kept)
    save_records(state / "episodes.json", records)
    episodes = tuple(sorted(outcome.episodes, key=lambda episode: episode.article.identity))
    shows = {feed.name: Show(feed.title, feed.base_url, feed.feed_url, feed.language) for feed in config.feeds}
    listed = [(episode, shows[_home(episode.article, config).name]) for episode in episodes]
    write_embeds(listed, list(shows.values()), config.paths.output)
    seconds = time.monotonic() - started
    cover_path = covers[config.feed.name][1]
    return BuildReport(
        episodes, tuple(outcome.failures), feed_paths[0], seconds, tuple(outcome.warnings), cover_path, feed_paths
    )


@dataclass(frozen=True)
class _Prepared:
    """Every article read, checked and planned; nothing written yet."""

    plans: list[_Plan]
    identities: dict[str, Identity]
    records: dict[str, EpisodeRecord]
    encoding: Encoding


def _prepare(config: Config, outcome: _Outcome) -> _Prepared:
    """Read and check every article and decide its voice, names and script (principle 2: before any audio)."""
    articles = _checked(_read_articles(config.paths.input, outcome), outcome)
    voices = {article.identity: choose_voice(article, config.voice) for article in articles}
    articles = _speakable(articles, voices, outcome)
    state = config.paths.output / STATE_FOLDER
    identities = assign_identities(
        articles, load_identities(state / "identities.json"), config.feed.base_url, dt.datetime.now(dt.timezone.utc)
    )
    audio = config.audio
    encoding = Encoding(audio.sample_rate, audio.bitrate, Loudness(audio.loudness, audio.true_peak), audio.quality)
    extras = {feed.name: _extras(feed) for feed in config.feeds}
    plans = [_plan(a, identities[a.identity], voices[a.identity], encoding, config, extras) for a in articles]
    return _Prepared(plans, identities, load_records(state / "episodes.json"), encoding)


def _unchanged(plan: _Plan, record: EpisodeRecord | None) -> bool:
    return record is not None and record.fingerprint == plan.fingerprint and _intact(plan.destination, record)


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
    outcome = _Outcome()
    prepared = _prepare(config, outcome)
    cache = ClipCache(config.paths.output / STATE_FOLDER / "clips")
    planned = []
    for plan in prepared.plans:
        unchanged = _unchanged(plan, prepared.records.get(plan.article.identity))
        missing = 0 if unchanged else sum(1 for key in _clip_keys(plan) if not cache.has(key))
        planned.append(
            PlannedEpisode(plan.article.title, plan.destination, len(plan.script.segments), missing, not unchanged)
        )
    return DryRunReport(tuple(planned), tuple(outcome.failures))


def clean(config: Config) -> tuple[int, int]:
    """Delete cached clips that no current article uses; returns (entries, bytes) freed.

    Refuses when an article cannot be read: its clips would look unused and be lost.
    """
    outcome = _Outcome()
    with output_lock(config.paths.output, 0):
        prepared = _prepare(config, outcome)
        if outcome.failures:
            raise NarrateError(f"nothing cleaned: {len(outcome.failures)} article(s) could not be read, "
                               f"first: {outcome.failures[0]}")
        used = {key for plan in prepared.plans for key in _clip_keys(plan)}
        return ClipCache(config.paths.output / STATE_FOLDER / "clips").remove_unused(used)


def _clip_keys(plan: _Plan) -> list[str]:
    return [clip_key(plan.voice, plan.script.language, segment.text) for segment in plan.script.segments]


def _speakable(articles: list[Article], voices: dict[str, BackendSpec], outcome: _Outcome) -> list[Article]:
    """Articles whose voice can speak their language; the check runs before any synthesis."""
    checked = check_voices({(voices[article.identity], article.language) for article in articles})
    speakable = []
    for article in articles:
        if problem := language_problem(article, voices[article.identity], checked):
            outcome.failures.append(problem)
        else:
            speakable.append(article)
    return speakable


def _by_voice(plans: list[_Plan]) -> list[tuple[BackendSpec, list[_Plan]]]:
    groups: dict[BackendSpec, list[_Plan]] = {}
    for plan in plans:
        groups.setdefault(plan.voice, []).append(plan)
    return list(groups.items())


def _speak(
    spec: BackendSpec,
    plans: list[_Plan],
    config: Config,
    encoding: Encoding,
    covers: dict[str, tuple[Cover | None, Path | None, str]],
    records: dict[str, EpisodeRecord],
    outcome: _Outcome,
    progress: Progress,
) -> None:
    """Synthesise one voice's articles in worker processes, encoding each as soon as it is complete.

    Encoding runs in threads (each drives an ffmpeg process) so synthesis never waits for it; at
    most two episodes per job wait to be encoded, which bounds the audio held in memory.
    """
    segments = sum(len(plan.script.segments) for plan in plans)
    jobs = worker_count(config.paths.jobs, backend_class(spec.name), segments)
    worker_spec = dataclasses.replace(spec, threads=max(1, (os.cpu_count() or 1) // jobs))
    by_key = {plan.article.identity: plan for plan in plans}
    cache = ClipCache(config.paths.output / STATE_FOLDER / "clips")
    scripts = [plan.script for plan in plans]
    on_segment = lambda script: progress.spoken(script.key)  # noqa: E731
    finished: list[Future[tuple[_Plan, EpisodeRecord | NarrateError]]] = []
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="encode") as encoders:
        for spoken in synthesize(scripts, worker_spec, jobs, on_segment, cache, config.voice.timeout):
            plan = by_key[spoken.script.key]
            job = _Job(plan, spoken, encoding, covers[plan.home.name][0], outcome.publication)
            finished.append(encoders.submit(_finish, job, progress))
            while sum(not future.done() for future in finished) > 2 * jobs:
                wait(finished, return_when=FIRST_COMPLETED)
    for future in finished:
        plan, result = future.result()
        if isinstance(result, NarrateError):
            outcome.failures.append(result)
            continue
        records[plan.article.identity] = result
        episode = _episode(plan, result)
        _stage_companions(episode, outcome.publication, only_missing=False)
        outcome.episodes.append(episode)


@dataclass(frozen=True)
class _Job:
    """One article whose speech is complete, to be encoded in a thread."""

    plan: _Plan
    spoken: Spoken
    encoding: Encoding
    cover: Cover | None
    publication: Publication


def _finish(job: _Job, progress: Progress) -> tuple[_Plan, EpisodeRecord | NarrateError]:
    """One article's episode from its clips, or the error that stopped it."""
    try:
        if job.spoken.error:
            return job.plan, job.spoken.error
        return job.plan, _make_episode(job)
    except NarrateError as error:
        return job.plan, error
    finally:
        progress.finished(job.plan.article.identity)


def _read_articles(input_dir: Path, outcome: _Outcome) -> list[Article]:
    """Every readable article; unreadable ones are recorded as failures and skipped."""
    if not input_dir.is_dir():
        raise NarrateError(f"input folder {input_dir} does not exist")
    paths = find_articles(input_dir)
    if not paths:
        raise NarrateError(f"no articles found in {input_dir} (looked for {', '.join(READERS)} files)")
    reading = read_folder(input_dir, paths)
    outcome.failures.extend(reading.failures)
    return list(reading.articles)


def _checked(articles: list[Article], outcome: _Outcome) -> list[Article]:
    today = dt.datetime.now(dt.timezone.utc).date()
    kept = []
    for article in articles:
        try:
            article, warning = check_article(article, today)
        except NarrateError as error:
            outcome.failures.append(error)
            continue
        kept.append(article)
        if warning:
            outcome.warnings.append(warning)
    return kept


@dataclass(frozen=True)
class _FeedExtras:
    """What a feed adds to each article it is home to, read from disk once per build."""

    cover_identity: str | None
    bookends: Bookends
    bookend_bytes: tuple[bytes | None, ...]


def _extras(feed: FeedConfig) -> _FeedExtras:
    bookends = Bookends(*(Path(path) if path else None for path in (feed.intro_audio, feed.outro_audio)))
    bookend_bytes = tuple(path.read_bytes() if path else None for path in (bookends.intro, bookends.outro))
    return _FeedExtras(_cover_identity(feed), bookends, bookend_bytes)


def _plan(
    article: Article,
    identity: Identity,
    voice: BackendSpec,
    encoding: Encoding,
    config: Config,
    extras: dict[str, _FeedExtras],
) -> _Plan:
    home = _home(article, config)
    intro, outro = (line.replace("{feed}", home.title) if line else None for line in (home.intro, home.outro))
    segments = segment(article, backend_class(voice.name).max_chars, Lexicon(config.pronunciations), intro, outro)
    if voice.pause_scale != 1:
        segments = [dataclasses.replace(s, pause_after=s.pause_after * voice.pause_scale) for s in segments]
    script = Script(article.identity, article.language, tuple(segments))
    tags = _tags(article, home, plain_text(segments))
    destination = config.paths.output / "audio" / f"{identity.slug}.mp3"
    added = extras[home.name]
    depends_on = fingerprint(voice, encoding, script, tags, added.cover_identity, added.bookend_bytes)
    return _Plan(article, identity, voice, script, tags, destination, depends_on, home, added.bookends)


def _intact(path: Path, record: EpisodeRecord) -> bool:
    """The published file is still the one recorded (cheap check: it exists with the recorded size)."""
    return path.is_file() and path.stat().st_size == record.size


def _make_episode(job: _Job) -> EpisodeRecord:
    """Encode and tag under a temporary name and measure it; it moves into place with the feed."""
    plan, publication = job.plan, job.publication
    temporary = publication.stage(plan.destination)
    try:
        timeline = stitch(job.spoken.clips, job.encoding, temporary, plan.bookends)
        duration = decoded_duration(temporary, job.encoding.sample_rate)
        write_tags(temporary, dataclasses.replace(plan.tags, cover=job.cover), chapters(timeline, duration))
        size = temporary.stat().st_size
    except NarrateError as error:
        publication.withdraw(temporary)
        raise error.located(plan.article.source) from None
    except OSError as error:
        publication.withdraw(temporary)
        raise NarrateError(f"cannot write {plan.destination}: {error.strerror}", plan.article.source) from None
    return EpisodeRecord(plan.fingerprint, duration, size, tuple((t.start, t.end) for t in timeline))


def _episode(plan: _Plan, record: EpisodeRecord) -> Episode:
    published = _published(plan.article, plan.identity)
    timeline = tuple(
        TimedSegment(segment, start, end) for segment, (start, end) in zip(plan.script.segments, record.timings)
    )
    return Episode(
        plan.article, plan.identity, plan.destination, record.duration, record.size, published, timeline,
        chapters(timeline, record.duration),
    )


def _stage_companions(episode: Episode, publication: Publication, only_missing: bool) -> None:
    """The transcripts and JSON chapters beside the MP3: audio/<slug>.vtt, .srt and .chapters.json."""
    folder, slug = episode.audio_path.parent, episode.identity.slug
    found = cues(episode.timeline)
    files = {
        folder / f"{slug}.vtt": lambda: webvtt(found),
        folder / f"{slug}.srt": lambda: srt(found),
        folder / f"{slug}.chapters.json": lambda: chapters_json(episode.chapters),
    }
    for path, render in files.items():
        if only_missing and path.is_file():
            continue
        try:
            publication.stage_bytes(path, render().encode("utf-8"))
        except OSError as error:
            raise NarrateError(f"cannot write {path}: {error.strerror}", episode.article.source) from None


def _published(article: Article, identity: Identity) -> dt.datetime:
    """The article's own date and time (taken as UTC) when it has one, else when we first published it."""
    if article.date is None:
        return identity.first_published
    return dt.datetime.combine(article.date, article.time or dt.time(0, 0), tzinfo=dt.timezone.utc)


def _tags(article: Article, home: FeedConfig, transcript: str) -> EpisodeTags:
    return EpisodeTags(
        title=article.title,
        artist=article.author or home.author,
        album=home.title,
        date=article.date.isoformat() if article.date else None,
        url=article.url,
        transcript=transcript,
    )


def _home(article: Article, config: Config) -> FeedConfig:
    """The feed an article belongs to first: it gives the episode's intro, outro, cover and album."""
    return next((feed for feed in config.feeds if _selects(feed, article, config.paths.input)), config.feed)


def _selects(feed: FeedConfig, article: Article, input_dir: Path) -> bool:
    """Whether `feed` lists `article`: it is below the feed's folder and in its language, when those are set."""
    if feed.select_folder and not article.source.is_relative_to(input_dir / feed.select_folder):
        return False
    wanted, language = (feed.select_language or "").lower(), article.language.lower()
    return not wanted or language == wanted or language.startswith(f"{wanted}-")


def _stage_feed(feed: FeedConfig, cover_url: str, config: Config, outcome: _Outcome) -> Path:
    """Render one feed from the episodes it selects; it moves into place with them, last."""
    path = config.paths.output / "feeds" / f"{feed.name}.xml"
    episodes = [episode for episode in outcome.episodes if _selects(feed, episode.article, config.paths.input)]
    items = [_item(episode, feed, outcome.publication) for episode in episodes]
    outcome.publication.stage_bytes(path, render_feed(_channel(feed, cover_url), items))
    return path


def _channel(feed: FeedConfig, image_url: str) -> Channel:
    return Channel(
        title=feed.title,
        description=feed.description,
        link=feed.link or feed.base_url,
        feed_url=feed.feed_url,
        language=feed.language,
        author=feed.author,
        owner_name=feed.owner_name or feed.author,
        owner_email=feed.owner_email,
        category=feed.category,
        subcategory=feed.subcategory,
        image_url=image_url,
        explicit=feed.explicit,
        copyright=feed.copyright,
        podcast_guid=feed.guid or podcast_guid(feed.feed_url),
        locked=feed.locked,
        show_type=feed.type,
    )


def _cover_identity(feed: FeedConfig) -> str | None:
    """What an episode's cover art depends on, without reading or drawing it (None: no art in the MP3)."""
    image = feed.image
    if image and "://" in image:
        return None
    if image:
        return "file:" + hashlib.sha256(Path(image).read_bytes()).hexdigest()
    return "drawn:" + feed.title


def _publish_cover(feed: FeedConfig, output: Path, publication: Publication) -> tuple[Cover | None, Path | None, str]:
    """The cover, hosted beside the feed: the configured image, or one drawn from the title.

    Returns it as MP3 cover art, where it is on disk (None for an image configured as a URL,
    which is not fetched) and its public URL.
    """
    image = feed.image
    if image and "://" in image:
        return None, None, image
    suffix = Path(image).suffix.lower() if image else ".png"
    data = Path(image).read_bytes() if image else _drawn_cover(feed.title, output)
    relative = f"feeds/{feed.name}-cover{suffix}"
    destination = output / relative
    if not (destination.is_file() and destination.read_bytes() == data):
        publication.stage_bytes(destination, data)
    return Cover(data, COVER_TYPES[suffix]), destination, feed.url_of(relative)


def _drawn_cover(title: str, output: Path) -> bytes:
    """The cover drawn from a feed title, drawn once per title (drawing 3000 px takes about a second)."""
    kept = output / STATE_FOLDER / "covers" / f"{hashlib.sha256(title.encode()).hexdigest()}.png"
    if kept.is_file():
        return kept.read_bytes()
    data = render_cover(title)
    write_atomically(kept, data)
    return data


def _item(episode: Episode, feed: FeedConfig, publication: Publication) -> Item:
    article = episode.article
    return Item(
        guid=episode.identity.guid,
        title=article.title,
        description=_description(article),
        published=episode.published,
        enclosure_url=feed.url_of(f"audio/{episode.audio_path.name}"),
        enclosure_length=episode.size,
        duration_seconds=round(episode.duration),
        author=article.author,
        link=article.url or feed.link or feed.base_url,
        language=article.language,
        transcripts=tuple(
            Transcript(url, mime_type, article.language)
            for suffix, mime_type in TRANSCRIPT_TYPES.items()
            if (url := _companion_url(episode.audio_path.with_suffix(suffix), feed, publication))
        ),
        chapters_url=_companion_url(episode.audio_path.with_suffix(".chapters.json"), feed, publication),
    )


def _companion_url(path: Path, feed: FeedConfig, publication: Publication) -> str | None:
    """The public URL of a file the audio stage publishes beside an episode, if it does."""
    return feed.url_of(f"audio/{path.name}") if publication.will_exist(path) else None


def _description(article: Article) -> str:
    """The article's own summary, else its opening paragraphs, whole, within the length podcast apps show."""
    if article.summary:
        return article.summary[:DESCRIPTION_LIMIT]
    text = ""
    for paragraph in article.body:
        candidate = f"{text}\n\n{paragraph}" if text else paragraph
        if len(candidate) > DESCRIPTION_LIMIT:
            break
        text = candidate
    return text or article.body[0][:DESCRIPTION_LIMIT]

