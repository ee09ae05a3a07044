"""Load and validate narrate.toml into one typed Config, reporting every problem at once."""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .publish.cover import cover_problems
from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


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
    select_language: str | None = None
    """List only the articles in this language (e.g. "uk", which also takes "uk-UA"); all when unset."""

    def url_of(self, relative: str) -> str:
        """The public URL of a file at `relative` below the output folder."""
        return self.base_url.rstrip("/") + "/" + relative

    @property
    def feed_url(self) -> str:
        return self.url_of(f"feeds/{self.name}.xml")


@dataclass(frozen=True)
class VoiceConfig:
    """Which text-to-speech backend speaks, and how; `languages` maps a language to its own voice."""

    backend: str = "pyttsx3"
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
class Config:
    feeds: tuple[FeedConfig, ...]
    voice: VoiceConfig
    audio: AudioConfig
    paths: PathsConfig
    warnings: tuple[str, ...] = ()
    pronunciations: dict[str, str] = dataclasses.field(default_factory=dict)
    """Word or phrase → respelling, from pronunciations.toml beside narrate.toml and its [pronunciations]."""

    @property
    def feed(self) -> FeedConfig:
        """The first (or only) feed: its base URL seeds new GUIDs, its title and author are the defaults."""
        return self.feeds[0]


SECTIONS: dict[str, type] = {"voice": VoiceConfig, "audio": AudioConfig}
FEED_SECTIONS = ("feed", "feeds")
BUILD_KEYS: dict[str, type] = {"input": str, "output": str, "jobs": int}
PRONUNCIATIONS_FILE = "pronunciations.toml"
VOICE_REFERENCE_KEYS = frozenset({"backend", "voice", "rate", "pause_scale"})
VALID_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
VALID_SAMPLE_RATES = (16000, 22050, 24000, 32000, 44100, 48000)
SHOW_TYPES = ("episodic", "serial")
BOOKEND_AUDIO_KEYS = ("intro_audio", "outro_audio")


def load_config(
    path: Path,
    *,
    input_dir: Path | None = None,
    output_dir: Path | None = None,
    jobs: int | None = None,
) -> Config:
    """Read narrate.toml; command-line values, when given, win over the file's."""
    if not path.is_file():
        raise ConfigError([f"no config file at {path} (create narrate.toml, see README)"], path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError([f"not valid TOML: {error}"], path) from None
    problems: list[str] = []
    warnings = [f"unknown section [{key}] ignored" for key in raw
                if key not in {*SECTIONS, *FEED_SECTIONS, "build", "pronunciations"}]
    tables = {name: _table(raw.get(name, {}), name, problems) for name in [*SECTIONS, "build"]}
    sections = {name: _build_section(cls, name, tables[name], problems, warnings) for name, cls in SECTIONS.items()}
    build_table = tables["build"]
    warnings += [f"unknown key build.{key} ignored" for key in build_table if key not in BUILD_KEYS]
    for key, expected in BUILD_KEYS.items():
        if key in build_table and not _has_type(build_table[key], expected):
            problems.append(f"build.{key} must be {_type_name(expected)}")
    root = path.parent.resolve()
    paths = PathsConfig(
        input=input_dir.resolve() if input_dir else root / str(build_table.get("input", "seeds")),
        output=output_dir.resolve() if output_dir else root / str(build_table.get("output", ".")),
        jobs=jobs if jobs is not None else _int_or(build_table.get("jobs"), 0),
    )
    if paths.jobs < 0:
        problems.append("jobs must be 0 (one per CPU core) or a positive number")
    feeds = _load_feeds(raw, root, paths.input, problems, warnings)
    _check_audio(tables["audio"], problems)
    _check_voice(tables["voice"], problems)
    pronunciations = _pronunciations(root / PRONUNCIATIONS_FILE, raw.get("pronunciations", {}), problems)
    if problems:
        raise ConfigError(problems, path)
    voice = sections["voice"]
    if voice.voice_dir:
        voice = dataclasses.replace(voice, voice_dir=str(root / voice.voice_dir))
    return Config(
        feeds=feeds,
        voice=voice,
        audio=sections["audio"],
        paths=paths,
        warnings=tuple(dict.fromkeys(warnings)),
        pronunciations=pronunciations,
    )


def _pronunciations(path: Path, section: Any, problems: list[str]) -> dict[str, str]:
    """Respellings from pronunciations.toml (a flat table: "word" = "respelling"), if there is one,
    then from narrate.toml's [pronunciations], which wins for a word listed in both."""
    from_file: dict[str, Any] = {}
    if path.is_file():
        try:
            from_file = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(f"{path.name} is not valid TOML: {error}")
    return {
        **_respellings(from_file, path.name, problems),
        **_respellings(_table(section, "pronunciations", problems), "[pronunciations]", problems),
    }


def _respellings(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, str]:
    respellings = {}
    for key, value in table.items():
        if not key.strip() or not isinstance(value, str) or not value.strip():
            problems.append(f'{where}: "{key}" must map a word or phrase to a respelling string, not {value!r}')
        else:
            respellings[key] = value
    return respellings


def _load_feeds(
    raw: dict[str, Any], root: Path, input_dir: Path, problems: list[str], warnings: list[str]
) -> tuple[FeedConfig, ...]:
    """One feed from [feed], or one per [[feeds]] table, each taking the keys it lacks from [feed]."""
    shared = _table(raw.get("feed", {}), "feed", problems)
    listed = raw.get("feeds")
    if listed is None:
        tables = [("feed", shared)]
    elif isinstance(listed, list) and listed and all(isinstance(table, dict) for table in listed):
        tables = [(f"feeds[{number}]", {**shared, **table}) for number, table in enumerate(listed, 1)]
    else:
        problems.append("[[feeds]] must be one table per feed, each starting with a [[feeds]] line")
        return ()
    feeds = []
    for label, table in tables:
        feed = _build_section(FeedConfig, label, table, problems, warnings)
        _check_feed(table, root, input_dir, problems, label)
        if feed is not None and feed.image and not urlsplit(feed.image).scheme:
            feed = dataclasses.replace(feed, image=str(root / feed.image))
        for key in BOOKEND_AUDIO_KEYS:
            if feed is not None and getattr(feed, key):
                feed = dataclasses.replace(feed, **{key: str(root / getattr(feed, key))})
        if feed is not None:
            feeds.append(feed)
    names = [str(table.get("name", FeedConfig.name)) for _, table in tables]
    problems += [f"two feeds are named {name!r}: each needs its own name" for name in sorted(set(names))
                 if names.count(name) > 1]
    return tuple(feeds)


def _table(value: Any, name: str, problems: list[str]) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    problems.append(f"[{name}] must be a table")
    return {}


def _build_section(cls: type, name: str, table: dict[str, Any], problems: list[str], warnings: list[str]) -> Any:
    """Check one [section] against its dataclass: missing keys, wrong types, unknown keys."""
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls)}
    warnings += [f"unknown key {name}.{key} ignored" for key in table if key not in fields]
    count_before = len(problems)
    for key, field in fields.items():
        if key not in table:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                problems.append(f"{name}.{key} is required")
        elif not _has_type(table[key], hints[key]):
            problems.append(f"{name}.{key} must be {_type_name(hints[key])}, not {table[key]!r}")
    if len(problems) > count_before:
        return None
    return cls(**{key: table[key] for key in fields if key in table})


def _has_type(value: Any, hint: Any) -> bool:
    allowed = [typing.get_origin(kind) or kind for kind in _alternatives(hint)]
    if value is None:
        return type(None) in allowed
    if isinstance(value, bool):
        return bool in allowed
    if isinstance(value, int) and float in allowed:
        return True
    return any(isinstance(value, kind) for kind in allowed if kind is not type(None))


def _alternatives(hint: Any) -> tuple[Any, ...]:
    return typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)


def _type_name(hint: Any) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", float: "a number", dict: "a table"}
    allowed = [typing.get_origin(kind) or kind for kind in _alternatives(hint)]
    return " or ".join(names.get(kind, kind.__name__) for kind in allowed if kind is not type(None))


def _int_or(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _check_feed(table: dict[str, Any], root: Path, input_dir: Path, problems: list[str], label: str) -> None:
    """Checks beyond types, on every value that has the right type (so all problems show at once)."""
    def text(key: str) -> str | None:
        value = table.get(key)
        return value if isinstance(value, str) else None

    base_url = text("base_url")
    url = urlsplit(base_url or "")
    if base_url is not None and (url.scheme not in ("http", "https") or not url.netloc):
        problems.append(f"{label}.base_url must be an http(s) URL, not {base_url!r}")
    email = text("owner_email")
    if email is not None and "@" not in email:
        problems.append(f"{label}.owner_email must be an e-mail address, not {email!r}")
    name = text("name")
    if name is not None and (not name or name.startswith(".") or any(c in name for c in '/\\:*?"<>|')):
        problems.append(f"{label}.name must be a plain file name, not {name!r}")
    image = text("image")
    if image and not urlsplit(image).scheme:
        problems += [f"{label}.image {image!r} {problem}" for problem in cover_problems(root / image)]
    kind = text("type")
    if kind is not None and kind not in SHOW_TYPES:
        problems.append(f"{label}.type must be {' or '.join(map(repr, SHOW_TYPES))}, not {kind!r}")
    guid = text("guid")
    if guid is not None and not _is_uuid(guid):
        problems.append(f"{label}.guid must be a UUID like ead4c236-bf58-58c6-a2c6-a6b28d128cb6, not {guid!r}")
    folder = text("select_folder")
    if folder is not None and not (input_dir / folder).is_dir():
        problems.append(f"{label}.select_folder {folder!r} is not a folder of the input {input_dir}")
    for key in BOOKEND_AUDIO_KEYS:
        audio = text(key)
        if audio and not (root / audio).is_file():
            problems.append(f"{label}.{key} {audio!r} does not exist")


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _check_voice(table: dict[str, Any], problems: list[str]) -> None:
    """Each [voice.languages] entry is a "backend:voice" string or a table of known keys."""
    scale = table.get("pause_scale")
    if isinstance(scale, (int, float)) and not 0 < scale <= 5:
        problems.append("voice.pause_scale must be above 0 and at most 5")
    timeout = table.get("timeout")
    if isinstance(timeout, (int, float)) and timeout <= 0:
        problems.append("voice.timeout must be a positive number of seconds")
    languages = table.get("languages")
    for language, reference in (languages.items() if isinstance(languages, dict) else ()):
        if isinstance(reference, dict) and set(reference) - VOICE_REFERENCE_KEYS:
            unknown = ", ".join(sorted(set(reference) - VOICE_REFERENCE_KEYS))
            known = ", ".join(sorted(VOICE_REFERENCE_KEYS))
            problems.append(f"voice.languages.{language} has unknown keys: {unknown} (known: {known})")
        elif not isinstance(reference, (str, dict)):
            problems.append(f'voice.languages.{language} must be a string like "espeak-ng:uk" or a table')


def _check_audio(table: dict[str, Any], problems: list[str]) -> None:
    bitrate, sample_rate = table.get("bitrate"), table.get("sample_rate")
    loudness, true_peak, quality = table.get("loudness"), table.get("true_peak"), table.get("quality")
    if isinstance(loudness, (int, float)) and not -40 <= loudness <= -5:
        problems.append("audio.loudness must be between -40 and -5 (LUFS; podcasts use -16)")
    if isinstance(true_peak, (int, float)) and not -9 <= true_peak <= 0:
        problems.append("audio.true_peak must be between -9 and 0 (dBTP; podcasts use -1)")
    if isinstance(quality, int) and not 0 <= quality <= 9:
        problems.append("audio.quality must be a whole number from 0 (best, slowest) to 9 (fastest)")
    if isinstance(bitrate, int) and bitrate not in VALID_BITRATES:
        problems.append(f"audio.bitrate must be one of {', '.join(map(str, VALID_BITRATES))} (kbps)")
    if isinstance(sample_rate, int) and sample_rate not in VALID_SAMPLE_RATES:
        problems.append(
            f"audio.sample_rate must be one of {', '.join(map(str, VALID_SAMPLE_RATES))} (Hz)"
        )
