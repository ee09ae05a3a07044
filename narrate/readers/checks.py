"""Checks on what a reader found, made before anything is spoken: too much to speak, dated ahead or
implausibly long ago."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..errors import ArticleError
from ..model import Article

MAX_SPOKEN_CHARACTERS = 1_000_000
"""About 18 hours of speech: more is almost surely not an article (a data dump, a whole book)."""
FUTURE_SLACK = dt.timedelta(days=1)
"""A date up to a day ahead is a time-zone difference, not a mistake."""
EARLIEST_YEAR = 1900
"""RFC 5322 dates (a feed's pubDate) take years 1900 or later, written with four digits: an earlier
date is a typo (`0001-01-01`, `24-10-15`) or a placeholder, not when the article was published."""


def check_article(article: Article, today: dt.date) -> tuple[Article, str | None]:
    """The article to build (a future date dropped) and a warning about it, or ArticleError."""
    characters = len(article.title) + sum(len(block.text) for block in article.blocks)
    if characters > MAX_SPOKEN_CHARACTERS:
        raise ArticleError(
            f"{characters:,} characters to speak (about {characters / 55_000:.0f} hours); articles over "
            f"{MAX_SPOKEN_CHARACTERS:,} are refused: split it into parts",
            article.source,
        )
    if article.date is None:
        return article, None
    if article.date > today + FUTURE_SLACK:
        problem = "is in the future"
    elif article.date.year < EARLIEST_YEAR:
        problem = f"is before {EARLIEST_YEAR}"
    else:
        return article, None
    warning = (f"{article.source}: its date {article.date.isoformat()} {problem}; "
               "the episode is dated when it is first published instead")
    return dataclasses.replace(article, date=None, time=None), warning
