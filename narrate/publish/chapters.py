"""Chapters of an episode, from where its segments really lie: one per section, or per ~2 minutes.

This is the one place chapters are decided; the ID3 tags, the Podcasting 2.0 JSON file, the feed
and the embedded player all take them from `chapters()`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from ..model import Chapter, TimedSegment

CHAPTER_SECONDS = 120.0
"""Without headings, a chapter starts at the first paragraph at least this far into the current one.
Time, not a paragraph count, because news paragraphs run from five seconds to a minute: every
third paragraph would give chapters of 15 s in one article and 3 min in the next."""
MAX_CHAPTERS = 255
"""An ID3 CTOC frame holds at most 255 children."""
TITLE_WORDS = 8
JSON_VERSION = "1.2.0"


def chapters(timeline: Sequence[TimedSegment], duration: float) -> tuple[Chapter, ...]:
    """The episode's chapters in order, covering it from 0 to `duration` without gaps.

    The first chapter is named after the article and starts at 0, so the lead-in and any intro
    belong to it; every other chapter starts where its first segment's speech starts.
    """
    if not timeline:
        return ()
    title = next((timed.segment.written for timed in timeline if timed.segment.kind == "title"), "")
    sections = [timed for timed in _block_starts(timeline) if timed.segment.kind == "heading"]
    if sections:
        starts = [(timed.segment.written, timed.start) for timed in sections]
    else:
        starts = [(_first_words(timed.segment.written), timed.start) for timed in _paragraph_groups(timeline)]
    named = [(title or _first_words(timeline[0].segment.written), 0.0)]
    named += starts[:: math.ceil((len(starts) + 1) / MAX_CHAPTERS)]
    ends = [start for _, start in named[1:]] + [max(duration, named[-1][1])]
    return tuple(Chapter(name, start, end) for (name, start), end in zip(named, ends))


def chapters_json(found: Sequence[Chapter]) -> str:
    """The Podcasting 2.0 JSON chapters file (version 1.2.0) for these chapters."""
    payload = {"version": JSON_VERSION, "chapters": [{"startTime": c.start, "title": c.title} for c in found]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _paragraph_groups(timeline: Sequence[TimedSegment]) -> list[TimedSegment]:
    starts: list[TimedSegment] = []
    current = 0.0
    for timed in _block_starts(timeline):
        if timed.segment.kind == "paragraph" and timed.start - current >= CHAPTER_SECONDS:
            starts.append(timed)
            current = timed.start
    return starts


def _block_starts(timeline: Sequence[TimedSegment]) -> list[TimedSegment]:
    """The first segment of each body block, in order (a long heading or paragraph has several)."""
    firsts = []
    previous: int | None = None
    for timed in timeline:
        source = timed.segment.source
        if source is not None and source != previous:
            firsts.append(timed)
        previous = source
    return firsts


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
