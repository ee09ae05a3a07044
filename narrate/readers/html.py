"""Reader for HTML pages: trafilatura finds the main text and metadata; navigation, ads and comments are dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html

from ..errors import ArticleError
from ..model import Article
from .blocks import html_blocks, without_title
from .language import normalise_language


def read_html(text: str, path: Path, identity: str) -> Article:
    """Title, date, author and URL (og:url or canonical) from the page's metadata; language from <html lang>."""
    import trafilatura  # here, not at the top: importing it compiles hundreds of patterns (~0.5 s per build)

    page = trafilatura.load_html(text)
    if page is None:
        raise ArticleError("not an HTML page narrate can parse", path)
    language = normalise_language(page.getroottree().getroot().get("lang", ""))
    extract = trafilatura.extract(
        page, output_format="html", with_metadata=True, include_comments=False, include_tables=False
    )
    if not extract:
        raise ArticleError("no main text found in the page", path)
    main = lxml.html.document_fromstring(extract)
    meta = {element.get("name"): element.get("content") for element in main.iter("meta")}
    title = meta.get("title")
    if not title:
        raise ArticleError("the page has no title (<title>, og:title or <h1>)", path)
    blocks = without_title(html_blocks(extract), title)
    if not any(block.kind == "paragraph" for block in blocks):
        raise ArticleError("no body text found in the page", path)
    return Article(
        source=path,
        identity=meta.get("url") or identity,
        title=title,
        blocks=blocks,
        date=_date(meta.get("date")),
        author=meta.get("author"),
        url=meta.get("url"),
        language=language,
        summary=meta.get("description"),
    )


def _date(value: str | None) -> dt.date | None:
    """trafilatura gives dates as YYYY-MM-DD (htmldate); anything else is treated as no date."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
