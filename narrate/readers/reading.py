"""What reading one input file gives (its articles, the failures of a feed's broken items, warnings), and its text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ArticleError
from ..model import Article
from .text import UndecodableText, clean, decode


@dataclass(frozen=True)
class Reading:
    """`used` lists other input files this one read in (a feed's linked pages): they are not read again alone."""

    articles: tuple[Article, ...] = ()
    failures: tuple[ArticleError, ...] = ()
    used: frozenset[Path] = frozenset()
    warnings: tuple[str, ...] = ()
    """One line each about what was read but left out (a url that is no web address)."""


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link in it followed, is `folder` (already resolved) or below it."""
    try:
        return path.resolve().is_relative_to(folder)
    except (OSError, ValueError, RuntimeError):  # a link loop, a NUL in a linked page's name
        return False


def load_text(path: Path) -> str:
    """The file's text, whatever its encoding, cleaned of what XML and listeners cannot take."""
    try:
        return clean(decode(path.read_bytes()))
    except UndecodableText as error:
        raise ArticleError(str(error), path) from None
    except OSError as error:
        raise ArticleError(f"cannot read: {error.strerror}", path) from None
