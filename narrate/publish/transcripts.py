"""Transcripts of an episode: WebVTT and SRT cues timed from the real timeline, and the plain text.

Cues show the text as the article writes it (not the text normalised for speech). One sentence is
one cue unless it needs more than two lines of 65 characters; then it is cut into several cues of
about equal length that share the sentence's real time span in proportion to their characters.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Segment, TimedSegment

LINE_LENGTH = 65
LINES_PER_CUE = 2


@dataclass(frozen=True)
class Cue:
    """Text shown from `start` to `end`, in whole milliseconds (so rounding cannot make cues overlap)."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


def cues(timeline: Sequence[TimedSegment]) -> tuple[Cue, ...]:
    """One or more cues per segment, in order and never overlapping."""
    found: list[Cue] = []
    for timed in timeline:
        start = max(round(timed.start * 1000), found[-1].end_ms if found else 0)
        found += split_cue(timed.segment.written, start, max(start, round(timed.end * 1000)))
    return tuple(found)


def split_cue(text: str, start_ms: int, end_ms: int) -> list[Cue]:
    """`text` as cues of at most LINES_PER_CUE lines of LINE_LENGTH characters, each cue timed by
    its share of the characters between `start_ms` and `end_ms`."""
    groups = _cue_lines(text)
    total = sum(len(line) for group in groups for line in group)
    if not total:  # a later piece of an overlong word (a number of thousands of digits) shows no text
        return []
    result = []
    done = 0
    for group in groups:
        begin = start_ms + (end_ms - start_ms) * done // total
        done += sum(len(line) for line in group)
        result.append(Cue(begin, start_ms + (end_ms - start_ms) * done // total, group))
    return result


def _cue_lines(text: str) -> list[tuple[str, ...]]:
    """The lines of each cue: as many cues as filling lines greedily needs, but with the words
    shared out evenly, so a long sentence does not end on a one-second cue of two words."""
    lines = _wrap(text)
    greedy = [tuple(lines[i : i + LINES_PER_CUE]) for i in range(0, len(lines), LINES_PER_CUE)]
    balanced = [tuple(_wrap(" ".join(part))) for part in _shared_out(text.split(), len(greedy))]
    return balanced if all(len(group) <= LINES_PER_CUE for group in balanced) else greedy


def _shared_out(words: list[str], count: int) -> list[list[str]]:
    """`words` cut into at most `count` runs of about equal length (a cut falls before the word
    whose middle crosses the next equal share)."""
    total = sum(len(word) + 1 for word in words)
    parts: list[list[str]] = [[]]
    done = 0
    for word in words:
        crosses = done + (len(word) + 1) / 2 > total * len(parts) / count
        if parts[-1] and len(parts) < count and crosses:
            parts.append([])
        parts[-1].append(word)
        done += len(word) + 1
    return parts


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_LENGTH, break_long_words=True, break_on_hyphens=False)


def webvtt(found: Sequence[Cue]) -> str:
    """A WebVTT file; `&`, `<` and `>` are escaped, as the format requires in cue text."""
    blocks = [f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}\n{_escaped(cue.lines)}" for cue in found]
    return "WEBVTT\n\n" + "".join(block + "\n\n" for block in blocks)


def srt(found: Sequence[Cue]) -> str:
    """A SubRip file: numbered cues, comma before the milliseconds."""
    blocks = [
        f"{number}\n{_clock(cue.start_ms, ',')} --> {_clock(cue.end_ms, ',')}\n" + "\n".join(cue.lines)
        for number, cue in enumerate(found, start=1)
    ]
    return "".join(block + "\n\n" for block in blocks)


def plain_text(segments: Sequence[Segment]) -> str:
    """Everything the episode says, as written: sentences of one block joined, blocks apart by a blank line."""
    paragraphs: list[list[str]] = []
    previous: tuple[str, int | None] | None = None
    for segment in segments:
        block = (segment.kind, segment.source)
        if block != previous:
            paragraphs.append([])
        paragraphs[-1].append(segment.written)
        previous = block
    return "\n\n".join(" ".join(sentences) for sentences in paragraphs)


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _escaped(lines: Sequence[str]) -> str:
    return "\n".join(line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in lines)
