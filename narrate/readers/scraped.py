"""Reader for article pages scraped as plain text: date marker, headline, byline, captions, body."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import ArticleError
from ..model import Article, Block

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_MARKER = re.compile(r"^\s*date (?P<date>\d{4}-\d{2}-\d{2})\b\s*(?P<rest>.*)$")
BYLINE = re.compile(
    rf"^by\s+(?P<author>.+?)\s+(?P<date>(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}})"
    r"(?:\s+(?P<time>\d{1,2}:\d{2}\s*[AP]M))?(?:\s+\d+\s+min read)?\s*$",
    re.IGNORECASE,
)
PHOTO_CREDIT = re.compile(
    r"\((?:photo(?: credit)?:\s*)?[^()]*(?:/|getty|images|photo|afp|reuters|associated press)[^()]*\)\s*$",
    re.IGNORECASE,
)
NOTICES = frozenset({"this audio is created with ai assistance"})


def read_scraped_text(text: str, path: Path, identity: str) -> Article:
    """Find headline, byline and body in a scraped page; everything else is not spoken."""
    lines = [line.strip() for line in text.splitlines()]
    marker_date = None
    if lines and (marker := DATE_MARKER.match(lines[0])):
        marker_date = _parse_iso(marker["date"], path)
        lines = lines[1:]
    content = [line for line in lines if line and not _is_boilerplate(line)]
    byline = next((m for line in lines if (m := BYLINE.match(line))), None)
    if not content:
        raise ArticleError("no headline or body text found", path)
    title, paragraphs = content[0], content[1:]
    if not paragraphs:
        raise ArticleError("no body text found after the headline", path)
    return Article(
        source=path,
        identity=identity,
        title=title,
        blocks=tuple(Block("paragraph", paragraph) for paragraph in paragraphs),
        date=_byline_date(byline) or marker_date,
        time=_byline_time(byline),
        author=byline["author"] if byline else None,
    )


def _is_boilerplate(line: str) -> bool:
    return bool(BYLINE.match(line) or PHOTO_CREDIT.search(line) or line.lower() in NOTICES)


def _parse_iso(value: str, path: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArticleError(f"date marker {value!r} is not a real date", path) from None


def _byline_date(byline: re.Match[str] | None) -> dt.date | None:
    if not byline:
        return None
    return dt.datetime.strptime(re.sub(r"\s+", " ", byline["date"]), "%B %d, %Y").date()


def _byline_time(byline: re.Match[str] | None) -> dt.time | None:
    if not byline or not byline["time"]:
        return None
    return dt.datetime.strptime(byline["time"].replace(" ", "").upper(), "%I:%M%p").time()
