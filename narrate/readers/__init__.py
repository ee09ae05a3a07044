"""Read one input file into an Article; the reader is chosen by file extension (see READERS)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import ArticleError
from ..model import Article
from ..text import UndecodableText, clean, decode
from .scraped import read_scraped_text

Reader = Callable[[str, Path, str], Article]

READERS: dict[str, Reader] = {
    ".txt": read_scraped_text,
}


def find_articles(input_dir: Path) -> list[Path]:
    """Every file below `input_dir` that a reader exists for, in a stable order."""
    return sorted(
        path
        for path in input_dir.rglob("*")
        if path.is_file() and path.suffix.lower() in READERS and not path.name.startswith(".")
    )


def read_article(path: Path, input_dir: Path) -> Article:
    """Read `path`; its identity is its path relative to `input_dir` unless the article names a URL."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ArticleError(f"no reader for {path.suffix!r} files (known: {', '.join(READERS)})", path)
    try:
        text = clean(decode(path.read_bytes()))
    except UndecodableText as error:
        raise ArticleError(str(error), path) from None
    except OSError as error:
        raise ArticleError(f"cannot read: {error.strerror}", path) from None
    return reader(text, path, path.relative_to(input_dir).as_posix())
