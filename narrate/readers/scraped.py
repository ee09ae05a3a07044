"""Reader for article pages scraped as plain text: find the article among the site's furniture.

A page is read in three passes. Each line is first judged alone (boilerplate.py: bylines,
captions, UI words...). Then the page's layout is found from where those lines sit: the header
is the headline plus the byline/dateline block under it, everything above the headline is site
furniture, and the first end-of-page marker (a "Read more", an author card) closes the article.
Last, the body's plain lines are told apart by their neighbours: a short line before a paragraph
is a subheading, two short lines in a row are a teaser of another story.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from itertools import takewhile
from pathlib import Path
from typing import Literal

from ..errors import ArticleError
from ..model import Article, Block
from . import boilerplate as furniture
from .dates import find_date, find_time

DATE_MARKER = re.compile(r"^\s*date (?P<date>\d{4}-\d{2}-\d{2})\b\s*(?P<rest>.*)$")
HEADER_KINDS = frozenset({"byline", "dateline", "read time", "stamp", "caption", "notice"})
"""Kinds of line that sit right under a headline, so the nearest short line above one is the headline."""
WEAK_HEADER_KINDS = frozenset({"caption", "notice"})
"""Kinds that also turn up inside articles: under one of these the line above is taken for the headline
only when no longer short line stands higher up (which would be the real headline)."""
DATED_KINDS = ("byline", "dateline", "stamp")
MAX_STANDFIRST = 2
"""Paragraphs allowed between a headline and its byline (a standfirst, a summary)."""
FALLBACK_TITLE_WORDS = 12
NOTICE_REACH = 4
"""How far under a byline a notice ("This audio is created…") may close the header block."""
MAX_TAG_WORDS = 3
"""A bullet this short before the text, or standing alone, is a topic tag, not a list item."""
FULL_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$")
WRAPPED_WIDTH = 50
"""Lines at least this long that run on into the next are taken for a hard-wrapped paragraph."""
MIN_HEADLINE_WORDS = 3
TEASER_HEADLINE_WORDS = 6
"""A story's headline is longer than most subheadings ("What we know"), which tells a teaser's apart."""

LineShape = Literal["title", "prose", "item"]


@dataclass(frozen=True)
class Line:
    """One non-blank line of the page: its text, its furniture kind (None for text) and its shape."""

    text: str
    kind: str | None
    shape: LineShape
    from_marker: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind is None


@dataclass(frozen=True)
class Layout:
    """Where the article's parts are, as indices into the page's lines."""

    headline: int | None
    byline_name: int | None
    header_end: int
    body: tuple[int, ...]
    footer: int


def read_scraped_text(text: str, path: Path, identity: str) -> Article:
    """Find headline, byline and body in a scraped page; everything else is not spoken."""
    marker_date, lines = _lines(text, path)
    if not any(line.is_text for line in lines):
        raise ArticleError("no headline or body text found", path)
    layout = _layout(lines)
    blocks = tuple(_block(lines, index) for index in layout.body)
    if not blocks:
        raise ArticleError("no body text found after the headline and the site's furniture", path)
    dated = _dated_line(lines, layout)
    title = lines[layout.headline].text if layout.headline is not None else _fallback_title(blocks[0].text)
    return Article(
        source=path,
        identity=identity,
        title=title,
        blocks=blocks,
        date=(find_date(dated) if dated else None) or marker_date,
        time=find_time(dated) if dated else None,
        author=_author(lines, layout),
        language=None,  # a scraped page does not state it: narrate.readers detects it from the words
    )


def _lines(text: str, path: Path) -> tuple[dt.date | None, list[Line]]:
    """The page's non-blank lines, judged alone; a leading date marker is taken off and returned."""
    raw = [line.strip() for line in text.splitlines()]
    marker_date = None
    if raw and (marker := DATE_MARKER.match(raw[0])):
        marker_date = _parse_iso(marker["date"], path)
        raw[0] = marker["rest"].strip()
    lines = [
        Line(line, furniture.classify(line), _shape(line), from_marker=marker_date is not None and index == 0)
        for index, line in enumerate(_unwrapped(raw))
        if line
    ]
    if sum(line.is_text for line in lines) > 1 and lines[-1].is_text and lines[-1].shape == "title":
        lines[-1] = replace(lines[-1], shape="prose")
    return marker_date, _unless_alone(lines)


def _unwrapped(raw: list[str]) -> list[str]:
    """Lines with hard-wrapped paragraphs joined back: a long line without a sentence end, followed by one
    that goes on in lower case, is one paragraph (scrapers give a line per paragraph, hand-typed text
    may not). Joined lines leave a blank in their place, so the line count stays the same."""
    lines = list(raw)
    for index in range(len(lines) - 1):
        line, following = lines[index], lines[index + 1]
        if len(line) >= WRAPPED_WIDTH and following[:1].islower() and not FULL_STOP.search(line):
            if furniture.classify(following) is None:
                lines[index], lines[index + 1] = "", f"{line} {following}"
    return lines


def _unless_alone(lines: list[Line]) -> list[Line]:
    """A "Name is a reporter…" line is a bio only on an author card, under a name or an "Avatar" label;
    alone it is a sentence of the article."""
    return [
        replace(line, kind=None)
        if line.kind == "bio" and not line.text.lower().startswith("we are") and not _on_card(lines, index)
        else line
        for index, line in enumerate(lines)
    ]


def _on_card(lines: list[Line], index: int) -> bool:
    above = lines[index - 1] if index > 0 else None
    return above is not None and (above.text.lower() == "avatar" or (above.is_text and _is_name(above.text)))


def _shape(line: str) -> LineShape:
    if furniture.is_bullet(line):
        return "item"
    return "title" if furniture.is_title_like(line) else "prose"


def _layout(lines: list[Line]) -> Layout:
    headline, byline_name, anchor = _header(lines)
    if headline is not None and anchor is not None:
        standfirst = [index for index in range(headline + 1, anchor) if _is_paragraph(lines[index])]
        header_end = _header_end(lines, anchor)
    else:
        standfirst, header_end = [], headline + 1 if headline is not None else 0
    footer = _footer(lines, header_end)
    end = _without_teasers(lines, header_end, footer) if footer < len(lines) else footer
    title = lines[headline].text if headline is not None else None
    body = [index for index in range(header_end, end) if _is_body(lines, index, title, header_end, end)]
    return Layout(headline, byline_name, header_end, tuple(standfirst + body), footer)


def _header_end(lines: list[Line], anchor: int) -> int:
    """The body's first line: past the furniture under the headline, and past everything up to a
    notice that closes the header block (such as a caption whose credit is not in parentheses)."""
    reach = range(anchor, min(anchor + NOTICE_REACH, len(lines)))
    start = next((index for index in reach if lines[index].kind == "notice"), anchor)
    return next((index for index in range(start, len(lines)) if lines[index].is_text), len(lines))


def _header(lines: list[Line]) -> tuple[int | None, int | None, int | None]:
    """(headline, byline name line, last header line): the headline is the nearest short line above
    the first byline, dated dateline, read time or caption, past at most a standfirst (a bare clock
    stamps a news-feed item, not the article); when no such line
    has a headline above it, the headline is among the short lines the page opens with: the first of
    at least three words (shorter ones above it are section labels)."""
    for anchor, line in enumerate(lines):
        if line.kind in HEADER_KINDS and not line.from_marker and not furniture.is_clock(line.text):
            found = _headline_above(lines, anchor)
            if found is not None and not (line.kind in WEAK_HEADER_KINDS and _headline_higher_up(lines, found[0])):
                return found[0], found[1], anchor
    text = [index for index, line in enumerate(lines) if line.is_text and not _is_promo_beside_marker(line)]
    opening = list(takewhile(lambda index: lines[index].shape == "title", text))
    headlines = [index for index in opening if len(lines[index].text.split()) >= MIN_HEADLINE_WORDS] or opening
    return (headlines[0] if headlines else None), None, None


def _headline_higher_up(lines: list[Line], index: int) -> bool:
    return any(
        line.is_text and line.shape == "title" and len(line.text.split()) >= MIN_HEADLINE_WORDS and not line.from_marker
        for line in lines[:index]
    )


def _is_promo_beside_marker(line: Line) -> bool:
    """The marker's line carries a promo, breadcrumb or clock, or the lead: never the headline."""
    return line.from_marker and line.shape == "title"


def _headline_above(lines: list[Line], anchor: int) -> tuple[int, int | None] | None:
    paragraphs = 0
    for index in range(anchor - 1, -1, -1):
        line = lines[index]
        if not line.is_text:
            continue
        if line.shape != "title":
            paragraphs += 1
            if paragraphs > MAX_STANDFIRST:
                return None
            continue
        if line.from_marker:
            return None
        above = lines[index - 1] if index > 0 else None
        if _is_name(line.text) and above and above.is_text and above.shape == "title" and not above.from_marker:
            return index - 1, index
        return index, None
    return None


def _is_name(text: str) -> bool:
    return furniture.is_name_like(text) or furniture.is_desk(text)


def _footer(lines: list[Line], start: int) -> int:
    """Where the end-of-page furniture begins: the first footer word or author card after the text."""
    seen_text = False
    for index in range(start, len(lines)):
        line = lines[index]
        if line.is_text and line.shape != "title":
            seen_text = True
        elif seen_text and line.kind == "footer":
            return index
        elif seen_text and line.kind == "bio":
            card = lines[index - 1]
            return index - 1 if card.is_text and _is_name(card.text) else index
    return len(lines)


def _without_teasers(lines: list[Line], start: int, end: int) -> int:
    """Move the article's end above teasers of other stories that sit just before the footer:
    trailing short lines, and a short line with one paragraph (a teaser's headline and summary)."""
    text = [index for index in range(start, end) if lines[index].is_text]
    while text and lines[text[-1]].shape == "title":
        text.pop()
    if len(text) >= 3 and lines[text[-1]].shape == "prose" and _is_teaser_headline(lines[text[-2]]):
        text = text[:-2]
    return text[-1] + 1 if text else start


def _is_teaser_headline(line: Line) -> bool:
    return line.shape == "title" and len(line.text.split()) >= TEASER_HEADLINE_WORDS


def _is_body(lines: list[Line], index: int, title: str | None, start: int, end: int) -> bool:
    line = lines[index]
    if not line.is_text or (title is not None and line.text.casefold() == title.casefold()):
        return False
    if line.shape == "prose":
        return True
    neighbours = [lines[other] for other in (index - 1, index + 1) if start <= other < end and lines[other].is_text]
    if line.shape == "item":
        return len(line.text.split()) > MAX_TAG_WORDS or (
            any(other.shape == "item" for other in neighbours)
            and any(lines[other].is_text and lines[other].shape == "prose" for other in range(start, index))
        )
    if line.from_marker or any(other.shape == "title" for other in neighbours):
        return False
    following = next((lines[other] for other in range(index + 1, end) if lines[other].is_text), None)
    return following is not None and following.shape != "title"


def _is_paragraph(line: Line) -> bool:
    return line.is_text and line.shape != "title"


def _block(lines: list[Line], index: int) -> Block:
    line = lines[index]
    return Block("heading" if line.shape == "title" else "paragraph", line.text)


def _dated_line(lines: list[Line], layout: Layout) -> str | None:
    """The byline or dateline under the headline that a date is taken from (never the marker's text),
    else a byline further down."""
    header = lines[layout.headline or 0 : layout.header_end]
    dated = [line for line in header if line.kind in DATED_KINDS and not line.from_marker]
    dated += [line for line in lines[layout.header_end : layout.footer] if line.kind == "byline"]
    return next((line.text for line in dated if find_date(line.text)), None)


def _author(lines: list[Line], layout: Layout) -> str | None:
    """Byline names, else a name under the headline or opening its dateline, else an author card's name."""
    for line in lines[: layout.footer]:
        if line.kind == "byline" and (names := furniture.author_names(line.text)):
            return ", ".join(names)
    if layout.byline_name is not None and furniture.is_author(lines[layout.byline_name].text):
        return lines[layout.byline_name].text
    header = lines[layout.headline or 0 : layout.header_end]
    named = (furniture.dateline_author(line.text) for line in header if line.kind in DATED_KINDS)
    return next((name for name in named if name), None) or _card_author(lines[layout.footer :])


def _card_author(footer: list[Line]) -> str | None:
    """The name on an author card: the line after an "Avatar" image label, or the line above a bio."""
    for line, following in zip(footer, footer[1:]):
        name = following if line.text.lower() == "avatar" else line if following.kind == "bio" else None
        if name is not None and name.is_text and _is_name(name.text):
            return name.text if furniture.is_author(name.text) else None
    return None


def _fallback_title(lead: str) -> str:
    """A page without a headline is titled by the start of its first paragraph."""
    words = lead.split()
    return " ".join(words[:FALLBACK_TITLE_WORDS]) + ("…" if len(words) > FALLBACK_TITLE_WORDS else "")


def _parse_iso(value: str, path: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArticleError(f"date marker {value!r} is not a real date", path) from None
