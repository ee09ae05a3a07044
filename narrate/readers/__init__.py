"""Read input files into Articles: the reader is chosen by file extension (READERS), an .xml file by its root element.

Every article leaves here with a language: the one its source states, else the one detected
from its words, so that no article is read by a voice of another language.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config import is_web_url
from ..errors import ArticleError
from ..model import Article
from .language import Detector, detect_article_language
from .reading import Reading, is_inside, load_text

log = logging.getLogger(__name__)

ArticleReader = Callable[[str, Path, str], Article]
"""Reads a one-article file: (text, path, identity from the path) → Article."""
Reader = Callable[[str, Path, Path], Reading]
"""Reads any input file: (text, path, input folder) → its articles and failures."""


def _one_article(module: str, name: str) -> Reader:
    """A Reader for a format of one article per file, whose reader function is `name` in `module`.

    The module (and the parser it brings: lxml, markdown-it, the boilerplate patterns) is imported
    when a file of its kind is read, not before: a build whose files are unchanged reads none.
    """

    def read(text: str, path: Path, input_dir: Path) -> Reading:
        reader: ArticleReader = getattr(importlib.import_module(f".{module}", __name__), name)
        return Reading((reader(text, path, input_name(path, input_dir)),))

    return read


_scraped = _one_article("scraped", "read_scraped_text")
_markdown = _one_article("markdown", "read_markdown")
_html = _one_article("html", "read_html")


def _feed(text: str, path: Path, input_dir: Path) -> Reading:
    from .feed import read_feed

    return read_feed(text, path, input_dir)


def _xml(text: str, path: Path, input_dir: Path) -> Reading:
    """.xml is a feed or an XHTML page; which one, its root element says."""
    from .feed import FEED_ROOTS, root_element

    root = root_element(text)
    if root in FEED_ROOTS:
        return _feed(text, path, input_dir)
    if root == "html":
        return _html(text, path, input_dir)
    raise ArticleError(f"an .xml input must be an RSS or Atom feed, but its root element is <{root}>", path)


READERS: dict[str, Reader] = {
    ".txt": _scraped,
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
    ".rss": _feed,
    ".atom": _feed,
    ".xml": _xml,
}
_HTML = "trafilatura lxml lxml_html_clean"
_MARKDOWN = "markdown-it-py PyYAML lxml"
_FEED = f"feedparser {_HTML}"
PACKAGES: dict[str, str] = {
    ".txt": "", ".md": _MARKDOWN, ".markdown": _MARKDOWN, ".html": _HTML, ".htm": _HTML, ".rss": _FEED, ".atom": _FEED,
    ".xml": _FEED,
}
"""What reading each kind of file imports, besides py3langid for every kind, as `pip install` takes it: said when
an import fails."""


def find_articles(input_dir: Path, outputs: Iterable[Path] = (), warnings: list[str] | None = None) -> list[Path]:
    """Every file below `input_dir` that a reader exists for, in a stable order.

    `outputs` (folders or files) are left out: when the input folder holds the output, narrate's
    own feeds (.xml) and player pages (.html) are not articles. A link (to a file or a folder)
    that leads outside the input folder is left out too, and said in one line in `warnings`
    (logged when there are none): whoever may write the input must not publish /etc/passwd by
    linking to it.
    """
    root = input_dir.resolve()
    skipped = [folder.resolve() for folder in outputs]
    found = []
    for folder, subfolders, files in os.walk(input_dir):
        for link in (Path(folder, name) for name in subfolders if Path(folder, name).is_symlink()):
            if not is_inside(link, root):
                _skip_outside(link, input_dir, warnings)
        for path in (Path(folder, name) for name in files):
            if not _is_article(path) or any(is_inside(path, output) for output in skipped):
                continue
            if is_inside(path, root):
                found.append(path)
            else:
                _skip_outside(path, input_dir, warnings)
    return sorted(found)


def _is_article(path: Path) -> bool:
    return path.suffix.lower() in READERS and not path.name.startswith(".") and path.is_file()


def _skip_outside(link: Path, input_dir: Path, warnings: list[str] | None) -> None:
    message = f"{link}: skipped: it is a link to {link.resolve()}, outside the input folder {input_dir}"
    if warnings is None:
        log.warning("%s", message)
    else:
        warnings.append(message)


def read_file(path: Path, input_dir: Path, detect: Detector = detect_article_language) -> Reading:
    """The articles in `path` (a feed holds several), each with a language and with a url only when
    it is a web address (see `_web_address_only`).

    A package the reader needs that cannot be imported fails the file in one line that says what
    to install, and the other files are still read.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ArticleError(f"no reader for {path.suffix!r} files (known: {', '.join(READERS)})", path)
    try:
        reading = reader(load_text(path), path, input_dir)
        checked = [_web_address_only(article, input_dir) for article in reading.articles]
        articles = tuple(_with_language(article, detect) for article, _ in checked)
    except ImportError as error:  # lxml 6 without lxml_html_clean, as Python 3.11's own pip installs it
        reason = (str(error).splitlines() or [type(error).__name__])[0].rstrip(".")
        install = f"pip install {PACKAGES[path.suffix.lower()]} py3langid".replace("  ", " ")
        raise ArticleError(f"cannot read {path.suffix} files: {reason}; install what they need: {install}", path) from None
    warnings = reading.warnings + tuple(warning for _, warning in checked if warning)
    return dataclasses.replace(reading, articles=articles, warnings=warnings)


def read_article(path: Path, input_dir: Path) -> Article:
    """The one article in `path`; its identity is its path relative to `input_dir` unless it names a URL."""
    reading = read_file(path, input_dir)
    if reading.failures:
        raise reading.failures[0]
    if len(reading.articles) != 1:
        raise ArticleError(f"holds {len(reading.articles)} articles, not one", path)
    return reading.articles[0]


def read_folder(input_dir: Path, paths: list[Path], read: Callable[[Path], Reading] | None = None) -> Reading:
    """Every article in `paths`, each file read by `read` (default: `read_file`); a page a feed
    already read in is not read again. Two articles may have the same identity: which one keeps
    it is for the build to decide, from what it published (narrate.state.identities)."""
    read = read or (lambda path: read_file(path, input_dir))
    readings: dict[Path, Reading] = {}
    for path in paths:
        try:
            readings[path.resolve()] = read(path)
        except ArticleError as error:
            readings[path.resolve()] = Reading(failures=(error,))
    used = frozenset(page.resolve() for reading in readings.values() for page in reading.used)
    kept = [reading for path, reading in readings.items() if path not in used]
    return Reading(
        tuple(article for reading in kept for article in reading.articles),
        tuple(failure for reading in kept for failure in reading.failures),
        warnings=tuple(warning for reading in kept for warning in reading.warnings),
    )


def _web_address_only(article: Article, input_dir: Path) -> tuple[Article, str | None]:
    """The article with its url only if it is an http(s) address, and a warning when one was dropped.

    Its url becomes the feed's <link>, the show notes' link and the MP3's WXXX frame: a
    javascript: or data: URL there would run in a listener's app. An identity that was that url
    goes back to the file's path, as for any article that names no web address.
    """
    if article.url is None or is_web_url(article.url):
        return article, None
    identity = input_name(article.source, input_dir) if article.identity == article.url else article.identity
    warning = (f"{article.source}: its url {article.url!r} is not an http(s) address; "
               "the episode is published without it, known by its file name")
    return dataclasses.replace(article, url=None, identity=identity), warning


def input_name(source: Path, input_dir: Path) -> str:
    """A file's path relative to the input folder: the identity of an article that names no web
    address, and how the build records which file holds a published identity."""
    return source.relative_to(input_dir).as_posix()


def _with_language(article: Article, detect: Detector) -> Article:
    if article.language:
        return article
    return dataclasses.replace(article, language=detect(article))
