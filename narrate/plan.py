"""Everything decided about each article before any audio exists: read, checked, voiced, named, scripted.

Principle 2 of the design: a bad article or config fails here, in a second, not after synthesis.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .audio.settings import Bookends, Encoding
from .tts.clip_cache import clip_key
from .readers.checks import check_article
from .config import Config, FeedConfig
from .errors import ArticleError, NarrateError
from .state.identities import assign_identities, load_identities, settle_claims
from .model import Article, PublishedNames, Segment
from .state.records import EpisodeRecord, fingerprint, load_records
from .state.languages import KnownLanguages
from .state.memo import Memo
from .readers import READERS, find_articles, input_name, read_file, read_folder
from .readers.language import release_model
from .readers.reading import Reading, is_inside
from .publish.cover import embedded_as_is
from .publish.id3 import EpisodeTags
from .publish.transcripts import plain_text
from .tts import BackendSpec, backend_class
from .tts.runner import Script
from .tts.voices import check_voices, choose_voice, language_problem

log = logging.getLogger(__name__)


@dataclass
class Findings:
    """Articles that failed, and warnings, found while preparing; the others still build."""

    failures: list[NarrateError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_articles: dict[str, NarrateError] = field(default_factory=dict)
    """Articles read but not to be built, by identity: their last published episodes stay listed."""
    failed_files: dict[Path, list[NarrateError]] = field(default_factory=dict)
    """Input files that could not be read, or not all of them (a feed's broken items), with their
    failures: the published episodes read from them last time stay listed."""

    def article_failed(self, article: Article, error: NarrateError) -> None:
        self.failures.append(error)
        self.failed_articles[article.identity] = error


@dataclass(frozen=True)
class Plan:
    """Everything decided about one article before any audio exists."""

    article: Article
    names: PublishedNames
    voice: BackendSpec
    script: Script
    tags: EpisodeTags
    destination: Path
    fingerprint: str
    home: FeedConfig
    """The first feed that lists the article: its intro, outro, cover and title go into the one MP3."""
    bookends: Bookends


@dataclass(frozen=True)
class Prepared:
    """Every article read, checked and planned; nothing written yet."""

    plans: list[Plan]
    identities: dict[str, PublishedNames]
    records: dict[str, EpisodeRecord]
    encoding: Encoding
    findings: Findings
    languages: KnownLanguages
    memo: Memo
    """Detected languages, and what reading and segmenting made of each file: for the build to keep
    once it has published (a dry run keeps nothing)."""
    chosen: frozenset[str] | None = None
    """The files (relative to the input folder) of a build of some articles only; None: every file."""

    def unchosen(self, source: Path) -> bool:
        """Whether the file `source` (relative to the input folder) was left out of this build: its
        published episodes stay as they are."""
        return self.chosen is not None and source.as_posix() not in self.chosen


def prepare(config: Config, only: Sequence[Path] | None = None) -> Prepared:
    """Read and check every article (or those in the files `only` names) and decide its voice, names
    and script (principle 2: before any audio)."""
    findings = Findings()
    output = config.paths.output
    languages = KnownLanguages(output / layout.state("languages.json"), findings.warnings)
    memo = Memo(output / layout.state("memo.json"), findings.warnings)
    outputs = [output / name for name in layout.GENERATED]
    known = load_identities(output / layout.state("identities.json"))
    records = load_records(output / layout.state("episodes.json"), findings.warnings)
    published = any(record.published for record in records.values())
    paths = _article_files(config.paths.input, outputs, findings, published)
    chosen = None if only is None else _chosen(paths, only, config.paths.input)
    read = _read_articles(config.paths.input, paths if chosen is None else chosen, languages, memo, findings)
    claimed, refused = settle_claims(read, known, config.paths.input)
    findings.failures.extend(refused)
    articles = _checked(claimed, findings)
    voices = _voiced(articles, config, findings)
    articles = [article for article in articles if article.identity in voices]
    identities = assign_identities(
        articles, known, config.feed.base_url, dt.datetime.now(dt.timezone.utc), config.paths.input
    )
    encoding = Encoding.from_config(config.audio)
    extras = {feed.name: _extras(feed) for feed in config.feeds}
    plans = [_plan(a, identities[a.identity], voices[a.identity], encoding, config, extras, memo) for a in articles]
    plans = _speakable(plans, records, findings)
    names = None if chosen is None else frozenset(input_name(path, config.paths.input) for path in chosen)
    return Prepared(plans, identities, records, encoding, findings, languages, memo, names)


def unchanged(plan: Plan, record: EpisodeRecord | None) -> bool:
    return record is not None and record.fingerprint == plan.fingerprint and intact(plan.destination, record)


def clip_keys(plan: Plan) -> list[str]:
    return [clip_key(plan.voice, plan.script.language, segment.text) for segment in plan.script.segments]


def _speakable(plans: list[Plan], records: dict[str, EpisodeRecord], findings: Findings) -> list[Plan]:
    """Plans whose voice can speak their language; the check runs before any synthesis.

    Only articles that need speech are checked: an unchanged episode needs no voice, and checking
    starts the backend (pyttsx3 starts its engine)."""
    to_check = [plan for plan in plans if not unchanged(plan, records.get(plan.article.identity))]
    configured = {plan.voice for plan in to_check if not plan.article.voice}
    chosen_by_articles = frozenset(plan.voice for plan in to_check if plan.article.voice) - configured
    checked = check_voices({(plan.voice, plan.article.language) for plan in to_check}, chosen_by_articles)
    failed = set()
    for plan in to_check:
        if problem := language_problem(plan.article, plan.voice, checked):
            findings.article_failed(plan.article, problem)
            failed.add(plan.article.identity)
    return [plan for plan in plans if plan.article.identity not in failed]


def _article_files(input_dir: Path, outputs: list[Path], findings: Findings, published: bool) -> list[Path]:
    """Every article file below the input folder, outside narrate's own `outputs`.

    No article at all is an error before anything is `published`; after, it withdraws every
    episode, which the build's safety valve decides."""
    if input_dir.is_file():
        raise NarrateError(f"input folder {input_dir} is a file: give the folder of articles as --input (or "
                           f"build.input), and build one article with `narrate build {input_dir}`")
    if not input_dir.is_dir():
        raise NarrateError(f"input folder {input_dir} does not exist")
    paths = find_articles(input_dir, outputs, findings.warnings)
    if not paths and not published:
        raise NarrateError(f"no articles found in {input_dir} (looked for {', '.join(READERS)} files)")
    return paths


def _chosen(paths: list[Path], only: Sequence[Path], input_dir: Path) -> list[Path]:
    """The article files among `paths` that `only` names, in their order; a name that is not one is an error."""
    found = {path.resolve(): path for path in paths}
    for path in only:
        if not is_inside(path, input_dir.resolve()):
            raise NarrateError(f"not below the input folder {input_dir}: only its articles can be built", path)
        if path.resolve() not in found:
            raise NarrateError(f"no article to build: give a file narrate reads ({', '.join(READERS)})", path)
    wanted = {path.resolve() for path in only}
    return [path for resolved, path in found.items() if resolved in wanted]


def _read_articles(
    input_dir: Path, paths: list[Path], languages: KnownLanguages, memo: Memo, findings: Findings
) -> list[Article]:
    """Every readable article in `paths`; unreadable ones are recorded as failures and skipped."""

    def read(path: Path) -> Reading:
        try:
            reading = memo.reading(path, lambda: read_file(path, input_dir, languages.detect))
        except ArticleError as error:
            findings.failed_files[path] = [error]
            raise
        if reading.failures:
            findings.failed_files[path] = list(reading.failures)
        return reading

    reading = read_folder(input_dir, paths, read)
    release_model()
    log.info("read %d file(s) in %s: %d article(s), %d failed", len(paths), input_dir, len(reading.articles),
             len(reading.failures))
    findings.failures.extend(reading.failures)
    findings.warnings.extend(reading.warnings)
    return list(reading.articles)


def _checked(articles: list[Article], findings: Findings) -> list[Article]:
    today = dt.datetime.now(dt.timezone.utc).date()
    kept = []
    for article in articles:
        try:
            article, warning = check_article(article, today)
        except NarrateError as error:
            findings.article_failed(article, error)
            continue
        kept.append(article)
        if warning:
            findings.warnings.append(warning)
    return kept


def _voiced(articles: list[Article], config: Config, findings: Findings) -> dict[str, BackendSpec]:
    """Each article's voice, by identity; an article whose own voice cannot be had fails alone."""
    voices = {}
    for article in articles:
        try:
            voices[article.identity] = choose_voice(article, config.voice)
        except NarrateError as error:
            findings.article_failed(article, error)
    return voices


@dataclass(frozen=True)
class _FeedExtras:
    """What a feed adds to each article it is home to, read from disk once per build."""

    cover_identity: str | None
    bookends: Bookends
    bookend_digests: tuple[str | None, ...]
    """Hashes of the intro and outro audio files, so replacing one rebuilds the episodes."""


def _extras(feed: FeedConfig) -> _FeedExtras:
    bookends = Bookends(*(Path(path) if path else None for path in (feed.intro_audio, feed.outro_audio)))
    digests = tuple(_digest(path) if path else None for path in (bookends.intro, bookends.outro))
    return _FeedExtras(_cover_identity(feed), bookends, digests)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plan(
    article: Article,
    names: PublishedNames,
    voice: BackendSpec,
    encoding: Encoding,
    config: Config,
    extras: dict[str, _FeedExtras],
    memo: Memo,
) -> Plan:
    home = home_feed(article, config)
    intro, outro = (line.replace("{feed}", home.title) if line else None for line in (home.intro, home.outro))

    def make_segments() -> tuple[Segment, ...]:
        from .speech.segment import segment  # with the speech rules, only when the memo lacks the script
        from .speech import Lexicon

        made = segment(article, backend_class(voice.name).max_chars, Lexicon(config.pronunciations), intro, outro)
        return tuple(dataclasses.replace(s, pause_after=s.pause_after * voice.pause_scale) for s in made)

    segments = memo.script((article, voice, intro, outro, config.pronunciations), make_segments)
    script = Script(article.identity, article.language, segments)
    tags = _tags(article, home, plain_text(segments))
    destination = config.paths.output / layout.episode(names.slug)
    added = extras[home.name]
    depends_on = fingerprint(voice, encoding, script, tags, added.cover_identity, added.bookend_digests)
    return Plan(article, names, voice, script, tags, destination, depends_on, home, added.bookends)


def intact(path: Path, record: EpisodeRecord) -> bool:
    """The published file is still the one recorded (cheap check: it exists with the recorded size)."""
    return path.is_file() and path.stat().st_size == record.size


def _tags(article: Article, home: FeedConfig, transcript: str) -> EpisodeTags:
    return EpisodeTags(
        title=article.title,
        artist=article.author or home.author,
        album=home.title,
        date=article.date.isoformat() if article.date else None,
        url=article.url,
        transcript=transcript,
    )


def home_feed(article: Article, config: Config) -> FeedConfig:
    """The feed an article belongs to first: it gives the episode's intro, outro, cover, album and player."""
    return next((feed for feed in config.feeds if feed.lists(article, config.paths.input)), config.feed)


def _cover_identity(feed: FeedConfig) -> str | None:
    """What an episode's cover art depends on, without reading or drawing it (None: no art in the MP3)."""
    if feed.image_is_url:
        return None
    if feed.image:
        image = Path(feed.image)
        return "file:" + _digest(image) + ("" if embedded_as_is(image.stat().st_size) else ":a smaller copy")
    return "drawn:" + feed.title
