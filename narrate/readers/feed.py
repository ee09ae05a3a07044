"""Reader for an RSS or Atom feed of articles: one article per item, from its full content or the local page it links to.

Nothing is fetched: an item whose text is neither in the feed nor in a file below the input
folder fails on its own, and the other items are still read.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


from ..config import is_web_url
from ..errors import ArticleError
from ..model import Article, Block
from .blocks import html_blocks, html_text, without_title
from .html import read_html
from .language import normalise_language
from .reading import Reading, is_inside, load_text

# Root elements of RSS 0.9x/2.0 (<rss>), RSS 1.0 (<rdf:RDF>) and Atom (<feed>).
FEED_ROOTS = frozenset({"rss", "rdf", "feed"})
ROOT_ELEMENT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
# The text is already decoded; telling feedparser it is UTF-8 overrides the encoding the XML declaration names.
AS_UTF8 = {"content-type": "application/xml; charset=utf-8"}


def root_element(text: str) -> str | None:
    """The local name of the document's first element, lowercased ("rss", "feed", "html"), or None."""
    match = ROOT_ELEMENT.search(PROLOG.sub("", text))
    return match[2].lower() if match else None


def read_feed(text: str, path: Path, input_dir: Path) -> Reading:
    """Every item of the feed as an article; a broken item becomes one failure."""
    import feedparser  # here, not at the top: only a build with a feed among its inputs needs it

    parsed = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=AS_UTF8)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise ArticleError(f"not an RSS or Atom feed: {problem}", path)
    if not parsed.entries:
        raise ArticleError("the feed has no items", path)
    feed_language = normalise_language(parsed.feed.get("language", ""))
    articles, failures, used = [], [], set()
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{path} (item {number})"
        try:
            article, page = _item(entry, path, input_dir, feed_language, where)
        except ArticleError as error:
            failures.append(error.located(where))
            continue
        articles.append(article)
        if page:
            used.add(page)
    return Reading(tuple(articles), tuple(failures), frozenset(used))


def _item(entry: Any, path: Path, input_dir: Path, feed_language: str | None, where: str) -> tuple[Article, Path | None]:
    """The item's article, and the local page it was read from (None when its content was in the feed)."""
    link = entry.get("link")
    url = link if link and is_web_url(link) else None
    date, time = _published(entry)
    article = Article(
        source=path,
        identity=url or entry.get("id") or "",
        title=_plain(entry, "title"),
        blocks=_content(entry),
        date=date,
        time=time,
        author=entry.get("author") or None,
        url=url,
        language=_item_language(entry) or feed_language,
        summary=_plain(entry, "summary") or None,
    )
    page = None
    if not article.blocks:
        page = _local_page(link, path, input_dir)
        article = _completed_from(article, page, input_dir)
    if not article.identity:
        raise ArticleError("the item has neither a web link nor a guid, so it has no stable identity", where)
    if not article.title:
        raise ArticleError("the item has no title", where)
    blocks = without_title(article.blocks, article.title)
    if not any(block.kind == "paragraph" for block in blocks):
        raise ArticleError("the item has no body text", where)
    return dataclasses.replace(article, blocks=blocks), page


def _completed_from(item: Article, page: Path, input_dir: Path) -> Article:
    """The item with the text of the page it links to; what the item itself states wins, except the page's language."""
    linked = read_html(load_text(page), page, page.relative_to(input_dir).as_posix())
    return dataclasses.replace(
        item,
        source=page,
        identity=item.identity or linked.identity,
        title=item.title or linked.title,
        blocks=linked.blocks,
        date=item.date or linked.date,
        time=item.time if item.date else None,
        author=item.author or linked.author,
        url=item.url or linked.url,
        language=linked.language or item.language,
        summary=item.summary or linked.summary,
    )


def _content(entry: Any) -> tuple[Block, ...]:
    """Blocks from the item's full content (content:encoded, Atom <content>); none when it carries none."""
    for content in entry.get("content", ()):
        value = content.get("value", "")
        if "html" in content.get("type", ""):
            blocks = html_blocks(value)
        else:
            blocks = tuple(block for part in re.split(r"\n\s*\n", value) for block in html_blocks(html.escape(part, quote=False)))
        if blocks:
            return blocks
    return ()


def _plain(entry: Any, key: str) -> str:
    """An item's title or summary as plain text, whether the feed gives it as text or as HTML."""
    value = entry.get(key, "")
    if "html" in entry.get(f"{key}_detail", {}).get("type", "text/html"):
        return html_text(value)
    return " ".join(value.split())


def _local_page(link: str | None, feed: Path, input_dir: Path) -> Path:
    """The HTML file below the input folder that the item links to (relative to the feed, or file://)."""
    refusal = "no content in the feed and its link is not a local file"
    if not link:
        raise ArticleError(f"{refusal} (it has no link)")
    try:
        parts = urlsplit(link)
    except ValueError as error:  # "http://[::1/x": an unclosed IPv6 host
        raise ArticleError(f"{refusal}: {link!r} ({error})") from None
    if parts.scheme == "file":
        # feedparser turns "file:///a/b.html" into "file://a/b.html": the host part is the first folder.
        host = parts.netloc if parts.netloc not in ("", "localhost") else ""
        target = Path(f"/{host}{unquote(parts.path)}" if host else unquote(parts.path))
    elif parts.scheme or parts.netloc:
        raise ArticleError(f"{refusal}: {link!r} (narrate does not download)")
    else:
        target = feed.parent / unquote(parts.path)
    root = input_dir.resolve()
    if not is_inside(target, root):
        raise ArticleError(f"{refusal}: {link!r} is outside the input folder {input_dir}")
    target = target.resolve()
    if not target.is_file():
        raise ArticleError(f"{refusal}: {link!r} does not exist")
    return input_dir / target.relative_to(root)


def _item_language(entry: Any) -> str | None:
    detail = entry.get("content", [{}])[0] if entry.get("content") else entry.get("title_detail", {})
    return normalise_language(detail.get("language") or "")


def _published(entry: Any) -> tuple[dt.date | None, dt.time | None]:
    """The item's publication (else update) time in UTC, as feedparser normalises it."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None, None
    try:
        moment = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):  # feedparser's reading of "0000000" is in the year 0
        return None, None
    return moment.date(), moment.time()
