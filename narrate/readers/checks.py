"""Checks on what a reader found, made before anything is spoken: too much to speak, dated ahead."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..errors import ArticleError
from ..model import Article

MAX_SPOKEN_CHARACTERS = 1_000_000
"""About 18 hours of speech: more is almost surely not an article (a data dump, a whole book)."""
FUTURE_SLACK = dt.timedelta(days=1)
"""A date up to a day ahead is a time-zone difference, not a mistake."""


def check_article(article: Article, today: dt.date) -> tuple[Article, str | None]:
    """The article to build (a future date dropped) and a warning about it, or ArticleError."""
    characters = len(article.title) + sum(len(block.text) for block in article.blocks)
    if characters > MAX_SPOKEN_CHARACTERS:
        raise ArticleError(
            f"{characters:,} characters to speak (about {characters / 55_000:.0f} hours); articles over "
            f"{MAX_SPOKEN_CHARACTERS:,} are refused: split it into parts",
            article.source,
        )
    if article.date is not None and article.date > today + FUTURE_SLACK:
        warning = (f"{article.source}: its date {article.date.isoformat()} is in the future; "
                   "the episode is dated when it is first published instead")
        return dataclasses.replace(article, date=None, time=None), warning
    return article, None
