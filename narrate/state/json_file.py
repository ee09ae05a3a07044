"""narrate's JSON state files in `.narrate/`: read into typed values, written whole, and one answer to damage.

A file is damaged when it cannot be read, is not UTF-8 JSON, or is JSON of the wrong shape (a
list for an object, a key missing, a string for a number). What follows depends on whether its
content can be worked out again:
- derivable (the memo, known languages, episode records): it is treated as empty, so the build
  makes it again, and a warning names the file;
- kept (identities: file names and first-publication dates): the build stops before it
  synthesises or writes anything, with one line saying what is wrong and what to do.
A missing file is the first build's case for both: empty, and nothing to say.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import NarrateError
from ..files import write_atomically

T = TypeVar("T")

NUMBER = (int, float)
"""What `expect` takes as a JSON number: 3 and 3.0 alike."""

log = logging.getLogger(__name__)


class DamagedStateError(NarrateError):
    """A state file narrate cannot work out again is damaged: the build stops before it changes anything."""


class WrongShape(ValueError):
    """Valid JSON that does not hold what the file should; raised by the files' `parse` functions."""


class _Damaged(Exception):
    """What is wrong with a state file, in a few words."""


def load_derivable(
    path: Path, parse: Callable[[Any], T], empty: T, consequence: str, warnings: list[str] | None = None
) -> T:
    """The file's content, or `empty` when it is missing or damaged.

    Damage is said in one line ending in `consequence`: added to `warnings` (the build's, which the
    CLI prints), or logged when the caller keeps none.
    """
    try:
        return _load(path, parse, empty)
    except _Damaged as damage:
        message = f"{path}: {damage}; {consequence}"
        if warnings is None:
            log.warning("%s", message)
        else:
            warnings.append(message)
        return empty


def load_kept(path: Path, parse: Callable[[Any], T], empty: T, advice: str) -> T:
    """The file's content, or `empty` when it is missing; DamagedStateError, ending in `advice`, when it is damaged."""
    try:
        return _load(path, parse, empty)
    except _Damaged as damage:
        raise DamagedStateError(f"{damage}; {advice}", path) from None


def save(path: Path, plain: Any) -> None:
    """Write `plain` (JSON types only) whole or not at all; a file that already holds it is left alone.

    Compact, with sorted keys: the same content is always the same bytes, and the memo, the
    largest of the files, is written by the C encoder (indenting would take the pure-Python one).
    """
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    write_atomically(path, (text + "\n").encode("utf-8"))


def expect(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """`value` when it is of `kind`, else WrongShape naming `what` (no state file holds true or false)."""
    if not isinstance(value, kind) or isinstance(value, bool):
        raise WrongShape(f"{what} should be {_json_name(kind)}, not {_json_name(type(value))}")
    return value


def field(record: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    """`record[key]` when it is there and of `kind`, else WrongShape naming `what`."""
    if key not in record:
        raise WrongShape(f"{what} has no {key!r}")
    return expect(record[key], kind, f"{key!r} of {what}")


def pair(value: Any, what: str) -> tuple[Any, Any]:
    """The two items of `value` when it is an array of two, else WrongShape naming `what`."""
    if not isinstance(value, list) or len(value) != 2:
        raise WrongShape(f"{what} should be an array of two")
    return value[0], value[1]


def _load(path: Path, parse: Callable[[Any], T], empty: T) -> T:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return empty
    except OSError as error:
        raise _Damaged(f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise _Damaged("is not UTF-8 text") from None
    try:
        return parse(json.loads(text))
    except json.JSONDecodeError as error:
        raise _Damaged(f"is not valid JSON ({error.msg}: line {error.lineno} column {error.colno})") from None
    except WrongShape as error:
        raise _Damaged(f"has the wrong shape: {error}") from None


_JSON_NAMES = {
    (dict,): "an object", (list,): "an array", (str,): "a string", (int,): "a whole number", (float,): "a number",
    NUMBER: "a number", (bool,): "true or false", (type(None),): "null",
}


def _json_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return _JSON_NAMES.get(kinds, " or ".join(k.__name__ for k in kinds))
