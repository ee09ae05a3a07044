"""The typed settings narrate.toml holds: one Config of frozen dataclasses, validated once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..model import Article


@dataclass(frozen=True)
class FeedConfig:
    """The podcast channel: what podcast apps show about the show as a whole."""

    title: str
    description: str
    base_url: str
    author: str
    owner_email: str
    name: str = "podcast"
    owner_name: str | None = None
    link: str | None = None
    language: str = "en"
    category: str = "News"
    subcategory: str | None = None
    image: str | None = None
    explicit: bool = False
    copyright: str | None = None
    type: str = "episodic"
    """`itunes:type`: "episodic" (apps show newest first) or "serial" (listen in order)."""
    locked: bool = True
    """`podcast:locked`: other hosting platforms must not import the feed without the owner."""
    guid: str | None = None
    """`podcast:guid` kept from an earlier feed URL after a move; by default derived from the feed URL."""
    intro: str | None = None
    """A line spoken before each article; "{feed}" is replaced by the feed's title."""
    outro: str | None = None
    intro_audio: str | None = None
    """An audio file (any format ffmpeg reads) played at the start of each episode."""
    outro_audio: str | None = None
    select_folder: str | None = None
    """List only the articles below this folder of the input (e.g. "uk"); all when unset."""
    player_selector: str = "article p"
    """Where a pasted player finds the page's own paragraphs to follow (a CSS selector); a snippet's
    data-follow attribute overrides it on one page."""
    select_language: str | None = None
    """List only the articles in this language (e.g. "uk", which also takes "uk-UA"); all when unset."""

    def url_of(self, relative: str) -> str:
        """The public URL of a file at `relative` below the output folder."""
        return self.base_url.rstrip("/") + "/" + relative

    @property
    def image_is_url(self) -> bool:
        """The cover is given as a URL (used as it is, never fetched), not as a file to publish."""
        return self.image is not None and is_url(self.image)

    def lists(self, article: Article, input_dir: Path) -> bool:
        """Whether this feed lists `article`: below its folder and in its language, when those are set."""
        if self.select_folder and not article.source.is_relative_to(input_dir / self.select_folder):
            return False
        wanted, language = (self.select_language or "").lower(), article.language.lower()
        return not wanted or language == wanted or language.startswith(f"{wanted}-")


@dataclass(frozen=True)
class VoiceConfig:
    """Which text-to-speech backend speaks, and how; `languages` maps a language to its own voice."""

    backend: str | None = None
    """None: no choice, so each article gets the best installed voice for its language (tts/voices.py)."""
    voice: str | None = None
    rate: int | None = None
    pause_scale: float = 1.0
    voice_dir: str | None = None
    languages: dict[str, Any] = dataclasses.field(default_factory=dict)
    timeout: float = 120.0
    """Seconds one sentence may take before its backend is presumed hung (worker processes only)."""


@dataclass(frozen=True)
class AudioConfig:
    """MP3 encoding settings: mono constant bitrate, normalised loudness."""

    bitrate: int = 64
    sample_rate: int = 44100
    loudness: float = -16.0
    """Integrated loudness target in LUFS (EBU R128); Apple and Spotify ask for about −16."""
    true_peak: float = -1.0
    """The highest true peak allowed, in dBTP."""
    quality: int = 7
    """LAME's quality setting, 0 (slowest) to 9; see bench/README.md "MP3 quality setting"."""


@dataclass(frozen=True)
class PathsConfig:
    """Where articles come from and where the published files go (resolved to absolute paths)."""

    input: Path
    output: Path
    jobs: int
    """Worker processes; 0 means one per core, as many as fit in memory for the backend."""


@dataclass(frozen=True)
class PublishConfig:
    """Where `narrate publish` sends the output's public files. Credentials are never here: boto3 finds
    them the usual AWS ways (environment, profile, instance role)."""

    target: str
    """"s3://BUCKET/PREFIX", or a folder (resolved to an absolute path), e.g. a web server's document root."""
    endpoint_url: str | None = None
    """The S3 API address of an S3-compatible store (R2, B2, MinIO, SeaweedFS); AWS itself needs none."""
    region: str | None = None
    profile: str | None = None
    """A profile of ~/.aws/config and ~/.aws/credentials; by default boto3's own choice (AWS_PROFILE, else "default")."""
    attempts: int = 5
    """Tries per request on timeouts, dropped connections, throttling and 5xx answers, with backoff."""
    cache_control: dict[str, str] = dataclasses.field(default_factory=dict)
    """Cache-Control by publish group (a key of PUBLISH_GROUPS), replacing narrate's default for it."""

    @property
    def is_s3(self) -> bool:
        return self.target.startswith(S3_SCHEME)

    @property
    def bucket(self) -> str:
        return self.target.removeprefix(S3_SCHEME).partition("/")[0]

    @property
    def prefix(self) -> str:
        """The keys' common start: "" or a path ending in "/"."""
        path = self.target.removeprefix(S3_SCHEME).partition("/")[2].strip("/")
        return f"{path}/" if path else ""


S3_SCHEME = "s3://"
PUBLISH_GROUPS = ("media", "embeds", "lists")
"""What a publish sends, first to last, so that a file goes out only after everything it links to: media
(episodes, transcripts, chapters, the feeds' covers), then embeds (the players, which link to media), then
lists (the feeds and index.html, which link to both)."""


@dataclass(frozen=True)
class Config:
    feeds: tuple[FeedConfig, ...]
    voice: VoiceConfig
    audio: AudioConfig
    paths: PathsConfig
    warnings: tuple[str, ...] = ()
    pronunciations: dict[str, str] = dataclasses.field(default_factory=dict)
    """Word or phrase → respelling, from pronunciations.toml beside narrate.toml and its [pronunciations]."""
    publish: PublishConfig | None = None
    """Where `narrate publish` sends the output; None without a [publish] section."""

    @property
    def feed(self) -> FeedConfig:
        """The first (or only) feed: its base URL seeds new GUIDs, its title and author are the defaults."""
        return self.feeds[0]


def is_url(location: str) -> bool:
    """A URL ("https://…") rather than a path: what a setting that takes either holds."""
    return "://" in location


def is_web_url(text: str) -> bool:
    """An absolute http(s) URL with a host: the only kind of link narrate publishes (a javascript:
    or data: URL in a feed's <link> or an episode's show notes would run in a listener's app)."""
    if any(character.isspace() or not character.isprintable() for character in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:  # an unclosed IPv6 host: "http://[::1/x"
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
