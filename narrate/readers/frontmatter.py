"""Front matter of a Markdown article: YAML between `---` lines or TOML between `+++` lines, checked field by field."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from ..errors import ArticleError
from .language import normalise_language

FENCES = {"---": "YAML", "+++": "TOML"}
TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
TEXT_FIELDS = ("title", "author", "url", "voice", "summary")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The Article fields the front matter sets (title, date, time, author, url, language, voice, summary;
    {} without front matter), and the Markdown body after it."""
    lines = text.split("\n")
    fence = lines[0].strip()
    if fence not in FENCES:
        return {}, text
    closing = next((number for number, line in enumerate(lines[1:], 1) if line.strip() == fence), None)
    if closing is None:
        raise ArticleError(f"front matter opened with {fence} is never closed by a {fence} line", f"{path}:1")
    source = "\n".join(lines[1:closing])
    values = _parse(source, FENCES[fence], path)
    return _fields(values, source.split("\n"), path), "\n".join(lines[closing + 1 :])


def _parse(source: str, syntax: str, path: Path) -> dict[str, Any]:
    """The front matter as a mapping; a syntax error names the file line it is on."""
    try:
        values = yaml.safe_load(source) if syntax == "YAML" else tomllib.loads(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or error
        raise ArticleError(f"front matter is not valid YAML: {problem}", f"{path}:{mark.line + 2 if mark else 2}") from None
    except tomllib.TOMLDecodeError as error:
        position = TOML_POSITION.search(str(error))
        problem = TOML_POSITION.sub("", str(error)).strip()
        raise ArticleError(f"front matter is not valid TOML: {problem}", f"{path}:{int(position[1]) + 1 if position else 2}") from None
    except (ValueError, OverflowError) as error:  # a value the parser cannot make: 2024-13-45, a 5,000-digit number
        problem = str(error).split(";")[0]
        raise ArticleError(f"front matter holds a value that cannot be read: {problem}", path) from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ArticleError(f"front matter must be key: value pairs, not a {type(values).__name__}", f"{path}:2")
    return values


def _fields(values: dict[str, Any], lines: list[str], path: Path) -> dict[str, Any]:
    def where(key: str) -> str:
        pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[:=]""")
        number = next((n for n, line in enumerate(lines, 2) if pattern.match(line)), 2)
        return f"{path}:{number}"

    fields = {key: _text(values[key], key, where(key)) for key in TEXT_FIELDS if values.get(key) is not None}
    if values.get("date") is not None:
        fields["date"], fields["time"] = _date(values["date"], where("date"))
    language_key = "language" if values.get("language") is not None else "lang"
    if values.get(language_key) is not None:
        stated = _text(values[language_key], language_key, where(language_key))
        fields["language"] = normalise_language(stated)
        if fields["language"] is None:
            problem = f"{language_key} {stated!r} is not a language code like 'en', 'uk' or 'de-AT'"
            raise ArticleError(problem, where(language_key))
    return fields


def _text(value: Any, key: str, where: str) -> str:
    """A text field; a list of authors becomes "A, B and C"."""
    if key == "author" and isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return " and ".join(filter(None, [", ".join(value[:-1]), value[-1]]))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ArticleError(f"{key} must be text, not {type(value).__name__}", where)


def _date(value: Any, where: str) -> tuple[dt.date, dt.time | None]:
    """A date, or a date and time (converted to UTC when it carries an offset)."""
    if isinstance(value, str):
        value = _iso(value.strip(), where)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = _in_utc(value, where)
        return value.date(), value.time().replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value, None
    raise ArticleError(f"date must be a date like 2024-10-15, not {type(value).__name__}", where)


def _in_utc(moment: dt.datetime, where: str) -> dt.datetime:
    try:
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:  # 9999-12-31T23:00:00-12:00 is in the year 10000 in UTC
        raise ArticleError(f"date {moment.isoformat()} is outside the years 1 to 9999 in UTC", where) from None


def _iso(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ArticleError(f"date {value!r} is not a date like 2024-10-15 or 2024-10-15T09:30:00+02:00", where) from None
