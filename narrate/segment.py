"""Turn an Article into speakable Segments: title first, then the body, each with the pause after it."""

from __future__ import annotations

import re

from .model import Article, Segment, SegmentKind

PAUSE_AFTER: dict[SegmentKind, float] = {"title": 1.2, "heading": 0.9, "paragraph": 0.75}
PAUSE_BETWEEN_CHUNKS = 0.3
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЄІЇҐ])"
)


def segment(article: Article, max_chars: int) -> list[Segment]:
    """The script of an episode; no segment is longer than `max_chars` (the backend's limit)."""
    segments = _chunked("title", article.title, None, max_chars)
    for index, block in enumerate(article.blocks):
        segments += _chunked(block.kind, block.text, index, max_chars)
    return segments


def _chunked(kind: SegmentKind, text: str, source: int | None, max_chars: int) -> list[Segment]:
    chunks = split_into_chunks(" ".join(text.split()), max_chars)
    pauses = [PAUSE_BETWEEN_CHUNKS] * (len(chunks) - 1) + [PAUSE_AFTER[kind]]
    return [Segment(kind, chunk, source, pause) for chunk, pause in zip(chunks, pauses)]


def split_into_chunks(text: str, max_chars: int) -> list[str]:
    """Pack whole sentences into chunks of at most `max_chars`; split overlong sentences at spaces."""
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, max_chars):
        if current and len(current) + 1 + len(piece) > max_chars:
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def _pieces(text: str, max_chars: int) -> list[str]:
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
