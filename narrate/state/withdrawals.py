"""Episodes withdrawn because their article left the input: an audit record that cannot be worked out again.

Principle 12 of the design: withdrawal is publishing too. The GUID and file name of a withdrawn
episode stay in identities.json (never given to another article); this record says when each left
the feeds, and what it was called.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .json_file import WrongShape, expect, field, load_kept, save


@dataclass(frozen=True)
class Withdrawal:
    """One episode taken out of every feed, with its files."""

    date: dt.datetime
    title: str
    guid: str
    slug: str
    identity: str


DAMAGE_ADVICE = "restore it from a backup, or delete it to start the list of withdrawals afresh"


def load_withdrawals(path: Path) -> dict[str, Withdrawal]:
    """The withdrawals recorded so far, by identity (the latest when an article was withdrawn twice)."""
    return load_kept(path, _parse, {}, DAMAGE_ADVICE)


def save_withdrawals(path: Path, withdrawals: dict[str, Withdrawal]) -> None:
    save(path, {
        key: {"date": w.date.isoformat(), "title": w.title, "guid": w.guid, "slug": w.slug}
        for key, w in withdrawals.items()
    })


def _parse(stored: Any) -> dict[str, Withdrawal]:
    return {key: _withdrawal(key, value, repr(key)) for key, value in expect(stored, dict, "the file").items()}


def _withdrawal(key: str, value: Any, what: str) -> Withdrawal:
    expect(value, dict, what)
    text = field(value, "date", str, what)
    try:
        date = dt.datetime.fromisoformat(text)
    except ValueError:
        raise WrongShape(f"the date {text!r} of {what} is not in ISO form") from None
    return Withdrawal(date, field(value, "title", str, what), field(value, "guid", str, what),
                      field(value, "slug", str, what), key)
