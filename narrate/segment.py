"""Turn an Article into speakable Segments: title first, then the body, one sentence per segment.

A segment per sentence gives every sentence an exact start and end in the episode (from the real
clip durations), which transcripts, chapters and the player's highlighting are built on.
"""

from __future__ import annotations

import re

from .model import Article, Segment, SegmentKind

PAUSE_AFTER: dict[SegmentKind, float] = {"title": 1.2, "heading": 0.9, "paragraph": 0.75, "intro": 0.9, "outro": 0.5}
PAUSE_BETWEEN_SENTENCES = 0.25
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЄІЇҐ])"
)


def segment(article: Article, max_chars: int, intro: str | None = None, outro: str | None = None) -> list[Segment]:
    """The script of an episode; no segment is longer than `max_chars` (the backend's limit).

    `intro` and `outro` are the feed's spoken lines, said before the title and after the body.
    """
    segments = _sentences("intro", intro, None, max_chars) if intro else []
    segments += _sentences("title", article.title, None, max_chars)
    for index, block in enumerate(article.blocks):
        segments += _sentences(block.kind, block.text, index, max_chars)
    return segments + (_sentences("outro", outro, None, max_chars) if outro else [])


def _sentences(kind: SegmentKind, text: str, source: int | None, max_chars: int) -> list[Segment]:
    chunks = split_into_sentences(" ".join(text.split()), max_chars)
    pauses = [PAUSE_BETWEEN_SENTENCES] * (len(chunks) - 1) + [PAUSE_AFTER[kind]]
    return [Segment(kind, chunk, chunk, source, pause) for chunk, pause in zip(chunks, pauses)]


def split_into_sentences(text: str, max_chars: int) -> list[str]:
    """Sentences, with any sentence longer than `max_chars` cut at word boundaries."""
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(text):
        while len(sentence) > max_chars:
            cut = sentence.rfind(" ", 0, max_chars + 1)
            cut = cut if cut > 0 else max_chars
            pieces.append(sentence[:cut].rstrip())
            sentence = sentence[cut:].lstrip()
        if sentence:
            pieces.append(sentence)
    return pieces
