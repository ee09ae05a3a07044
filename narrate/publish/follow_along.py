"""When each sentence of an episode is spoken, grouped by the article's paragraphs, and how a player
finds those paragraphs in a page it is pasted into.

A snippet pasted into an article page does not carry the article's text (the page already shows
it): it carries, per paragraph, a fingerprint of the paragraph's folded text and, per sentence, its
times and where it lies in that folded text. player.js folds the page's own paragraphs the same way
(fold and fingerprint have a twin there, which must agree character for character), so a paragraph
matches when its letters and digits match, whatever its quotes, spaces, accents' encoding or markup.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, replace

from ..model import BlockKind, Episode, TimedSegment

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193


@dataclass(frozen=True)
class Passage:
    """A paragraph or heading of the body (`text` as the article writes it) and its spoken sentences
    (each a sentence, or a piece of an overlong one, as written, and the seconds it is spoken between)."""

    kind: BlockKind
    text: str
    sentences: tuple[TimedSegment, ...]

    @property
    def start(self) -> float:
        return self.sentences[0].start


def passages(episode: Episode) -> list[Passage]:
    """The spoken body blocks in order (the title and the feed's intro and outro are not among them)."""
    found: dict[int, list[TimedSegment]] = {}
    for timed in episode.timeline:
        if timed.segment.source is not None:
            found.setdefault(timed.segment.source, []).append(timed)
    blocks = episode.article.blocks
    return [Passage(blocks[source].kind, blocks[source].text, _sentences(timed)) for source, timed in found.items()]


def _sentences(timeline: list[TimedSegment]) -> tuple[TimedSegment, ...]:
    """The segments, except that a piece with no written text (the rest of an overlong word)
    lengthens the one before it."""
    sentences: list[TimedSegment] = []
    for timed in timeline:
        if sentences and not timed.segment.written:
            sentences[-1] = replace(sentences[-1], end=timed.end)
        else:
            sentences.append(timed)
    return tuple(sentences)


def fold(text: str) -> str:
    """Only the letters and digits, lower-cased and without accents, character by character (so that
    a position in the result points back at one character of `text`)."""
    return "".join(
        kept
        for character in text
        for kept in unicodedata.normalize("NFKD", character).lower()
        if unicodedata.category(kept)[0] in "LN"
    )


def fingerprint(folded: str) -> str:
    """32-bit FNV-1a over the code points, in base 36: short, and the same in JavaScript."""
    value = FNV_OFFSET
    for character in folded:
        value = ((value ^ ord(character)) * FNV_PRIME) & 0xFFFFFFFF
    return _base36(value)


def page_timing(episode: Episode) -> str:
    """The JSON a snippet carries: per paragraph [fingerprint, [start, end, offset, length], ...], each
    offset and length counted in the paragraph's folded text; a sentence not found there has no offset."""
    timing = []
    for passage in passages(episode):
        folded = fold(passage.text)
        if not folded:
            continue
        entry: list[object] = [fingerprint(folded)]
        cursor = 0
        for sentence in passage.sentences:
            times: list[object] = [round(sentence.start, 2), round(sentence.end, 2)]
            wanted = fold(sentence.segment.written)
            at = folded.find(wanted, cursor) if wanted else -1
            if at >= 0:
                times += [at, len(wanted)]
                cursor = at + len(wanted)
            entry.append(times)
        timing.append(entry)
    return json.dumps(timing, separators=(",", ":"))


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        value, digit = divmod(value, 36)
        text = digits[digit] + text
        if not value:
            return text
