"""The build recipe: read and check everything, synthesise, stitch and tag episodes, publish the feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .audio import Encoding, decoded_duration, stitch
from .cache import ClipCache
from .config import Config
from .embed import Show, write_embeds
from .errors import NarrateError
from .feed import Channel, Item, write_feed
from .files import publish, temporary_path, write_atomically
from .identity import assign_identities, load_identities, save_identities
from .lock import output_lock
from .model import Article, Clip, Episode, Identity, TimedSegment
from .records import EpisodeRecord, fingerprint, load_records, save_records
from .readers import READERS, find_articles, read_article
from .segment import segment
from .tags import EpisodeTags, write_tags
from .tts import BackendSpec, backend_class
from .tts.runner import Script, synthesize, worker_count
from .voices import check_voices, choose_voice, language_problem

log = logging.getLogger(__name__)

STATE_FOLDER = ".narrate"
LOCK_WAIT_SECONDS = 300
DESCRIPTION_LIMIT = 4000


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

    @property
    def audio_seconds(self) -> float:
        return sum(episode.duration for episode in self.episodes)


@dataclass
class _Outcome:
    episodes: list[Episode] = field(default_factory=list)
    failures: list[NarrateError] = field(default_factory=list)


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
    articles = _read_articles(config.paths.input, outcome)
    voices = {article.identity: choose_voice(article, config.voice) for article in articles}
    articles = _speakable(articles, voices, outcome)
    state = config.paths.output / STATE_FOLDER
    identities = assign_identities(
        articles, load_identities(state / "identities.json"), config.feed.base_url, dt.datetime.now(dt.timezone.utc)
    )
    records = load_records(state / "episodes.json")
    encoding = Encoding(config.audio.sample_rate, config.audio.bitrate)
    plans = [_plan(a, identities[a.identity], voices[a.identity], encoding, config) for a in articles]
    to_speak = []
    for plan in plans:
        record = records.get(plan.article.identity)
        if record and record.fingerprint == plan.fingerprint and _intact(plan.destination, record):
            outcome.episodes.append(_episode(plan, record))
        else:
            to_speak.append(plan)
    progress.planned([(plan.article.identity, plan.article.title, len(plan.script.segments)) for plan in to_speak])
    for spec, group in _by_voice(to_speak):
        _speak(spec, group, config, encoding, records, outcome, progress)
    built = {episode.article.identity for episode in outcome.episodes}
    kept = {key: identity for key, identity in identities.items() if key in built or key in records}
    save_identities(state / "identities.json", kept)
    save_records(state / "episodes.json", records)
    feed_path = config.paths.output / "feeds" / f"{config.feed.name}.xml"
    write_feed(_channel(config), [_item(episode, config) for episode in outcome.episodes], feed_path)
    episodes = tuple(sorted(outcome.episodes, key=lambda episode: episode.article.identity))
    show = Show(config.feed.title, config.feed.base_url, config.feed.feed_url, config.feed.language)
    write_embeds(episodes, show, config.paths.output)
    return BuildReport(episodes, tuple(outcome.failures), feed_path, time.monotonic() - started)


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
    records: dict[str, EpisodeRecord],
    outcome: _Outcome,
    progress: Progress,
) -> None:
    """Synthesise one voice's articles in worker processes, encoding each as soon as it is complete."""
    segments = sum(len(plan.script.segments) for plan in plans)
    jobs = worker_count(config.paths.jobs, backend_class(spec.name), segments)
    worker_spec = dataclasses.replace(spec, threads=max(1, (os.cpu_count() or 1) // jobs))
    by_key = {plan.article.identity: plan for plan in plans}
    cache = ClipCache(config.paths.output / STATE_FOLDER / "clips")
    scripts = [plan.script for plan in plans]
    on_segment = lambda script: progress.spoken(script.key)  # noqa: E731
    for spoken in synthesize(scripts, worker_spec, jobs, on_segment, cache, config.voice.timeout):
        plan = by_key[spoken.script.key]
        try:
            if spoken.error:
                raise spoken.error
            records[spoken.script.key] = _make_episode(plan, spoken.clips, encoding)
            outcome.episodes.append(_episode(plan, records[spoken.script.key]))
        except NarrateError as error:
            outcome.failures.append(error)
        progress.finished(spoken.script.key)


def _read_articles(input_dir: Path, outcome: _Outcome) -> list[Article]:
    """Every readable article; unreadable ones are recorded as failures and skipped."""
    if not input_dir.is_dir():
        raise NarrateError(f"input folder {input_dir} does not exist")
    paths = find_articles(input_dir)
    if not paths:
        raise NarrateError(f"no articles found in {input_dir} (looked for {', '.join(READERS)} files)")
    articles = []
    for path in paths:
        try:
            articles.append(read_article(path, input_dir))
        except NarrateError as error:
            outcome.failures.append(error)
    return articles


def _plan(article: Article, identity: Identity, voice: BackendSpec, encoding: Encoding, config: Config) -> _Plan:
    segments = segment(article, backend_class(voice.name).max_chars)
    if voice.pause_scale != 1:
        segments = [dataclasses.replace(s, pause_after=s.pause_after * voice.pause_scale) for s in segments]
    script = Script(article.identity, article.language, tuple(segments))
    tags = _tags(article, config)
    destination = config.paths.output / "audio" / f"{identity.slug}.mp3"
    return _Plan(article, identity, voice, script, tags, destination, fingerprint(voice, encoding, script, tags))


def _intact(path: Path, record: EpisodeRecord) -> bool:
    """The published file is still the one recorded (cheap check: it exists with the recorded size)."""
    return path.is_file() and path.stat().st_size == record.size


def _make_episode(plan: _Plan, clips: Sequence[Clip], encoding: Encoding) -> EpisodeRecord:
    """Encode and tag under a temporary name, measure, then move into place."""
    temporary = temporary_path(plan.destination)
    try:
        timeline = stitch(clips, encoding, temporary)
        write_tags(temporary, plan.tags)
        duration = decoded_duration(temporary, encoding.sample_rate)
        size = temporary.stat().st_size
        publish(temporary, plan.destination)
    except NarrateError as error:
        raise error.located(plan.article.source) from None
    except OSError as error:
        raise NarrateError(f"cannot write {plan.destination}: {error.strerror}", plan.article.source) from None
    finally:
        temporary.unlink(missing_ok=True)
    return EpisodeRecord(plan.fingerprint, duration, size, tuple((t.start, t.end) for t in timeline))


def _episode(plan: _Plan, record: EpisodeRecord) -> Episode:
    published = _published(plan.article, plan.identity)
    timeline = tuple(
        TimedSegment(segment, start, end) for segment, (start, end) in zip(plan.script.segments, record.timings)
    )
    return Episode(plan.article, plan.identity, plan.destination, record.duration, record.size, published, timeline)


def _published(article: Article, identity: Identity) -> dt.datetime:
    """The article's own date and time (taken as UTC) when it has one, else when we first published it."""
    if article.date is None:
        return identity.first_published
    return dt.datetime.combine(article.date, article.time or dt.time(0, 0), tzinfo=dt.timezone.utc)


def _tags(article: Article, config: Config) -> EpisodeTags:
    return EpisodeTags(
        title=article.title,
        artist=article.author or config.feed.author,
        album=config.feed.title,
        date=article.date.isoformat() if article.date else None,
        url=article.url,
    )


def _channel(config: Config) -> Channel:
    feed = config.feed
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
        image_url=_publish_image(config),
        explicit=feed.explicit,
        copyright=feed.copyright,
    )


def _publish_image(config: Config) -> str | None:
    """A local cover image is copied beside the feed so it is hosted with it; a URL is used as is."""
    image = config.feed.image
    if not image or "://" in image:
        return image
    source = Path(image)
    relative = f"feeds/{config.feed.name}-cover{source.suffix.lower()}"
    destination = config.paths.output / relative
    if source.resolve() != destination.resolve():
        write_atomically(destination, source.read_bytes())
    return config.feed.url_of(relative)


def _item(episode: Episode, config: Config) -> Item:
    article = episode.article
    return Item(
        guid=episode.identity.guid,
        title=article.title,
        description=_description(article),
        published=episode.published,
        enclosure_url=config.feed.url_of(f"audio/{episode.audio_path.name}"),
        enclosure_length=episode.size,
        duration_seconds=round(episode.duration),
        author=article.author,
        link=article.url,
    )


def _description(article: Article) -> str:
    """The article's opening paragraphs, whole, within the length podcast apps show."""
    text = ""
    for paragraph in article.body:
        candidate = f"{text}\n\n{paragraph}" if text else paragraph
        if len(candidate) > DESCRIPTION_LIMIT:
            break
        text = candidate
    return text or article.body[0][:DESCRIPTION_LIMIT]

