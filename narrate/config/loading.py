"""Load narrate.toml into a Config, reporting every problem at once; command-line values win."""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .checks import BOOKEND_AUDIO_KEYS, check_audio, check_feed, check_publish, check_voice, credential_keys
from .settings import AudioConfig, Config, FeedConfig, PathsConfig, PublishConfig, VoiceConfig

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SECTIONS: dict[str, type] = {"voice": VoiceConfig, "audio": AudioConfig}
FEED_SECTIONS = ("feed", "feeds")
BUILD_KEYS: dict[str, type] = {"input": str, "output": str, "jobs": int}
PRONUNCIATIONS_FILE = "pronunciations.toml"


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
                if key not in {*SECTIONS, *FEED_SECTIONS, "build", "pronunciations", "publish"}]
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
    check_audio(tables["audio"], problems)
    check_voice(tables["voice"], problems)
    pronunciations = _pronunciations(root / PRONUNCIATIONS_FILE, raw.get("pronunciations", {}), problems)
    publish = _publish(raw, root, problems, warnings) if "publish" in raw else None
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
        publish=publish,
    )


def _publish(raw: dict[str, Any], root: Path, problems: list[str], warnings: list[str]) -> PublishConfig | None:
    """[publish], with a folder target made absolute (relative to narrate.toml's folder)."""
    table = credential_keys(_table(raw["publish"], "publish", problems), problems)
    check_publish(table, problems)
    publish = _build_section(PublishConfig, "publish", table, problems, warnings)
    if publish is None or publish.is_s3:
        return publish
    return dataclasses.replace(publish, target=str((root / publish.target).resolve()))


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
        check_feed(table, root, input_dir, problems, label)
        if feed is not None and feed.image and not feed.image_is_url:
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
