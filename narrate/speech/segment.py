"""Turn an Article into speakable Segments: title first, then the body, one sentence per segment.

A segment per sentence gives every sentence an exact start and end in the episode (from the real
clip durations), which transcripts, chapters and the player's highlighting are built on.
Sentences are found in the written text; each is then respelt from the user's lexicon and
normalised for speech, and only the spoken text is held to the backend's limit, because
normalisation lengthens text ("$60.84bn" is said in 38 characters).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Article, Segment, SegmentKind
from . import Lexicon, normalise, rules_for

PAUSE_AFTER: dict[SegmentKind, float] = {"title": 1.2, "heading": 0.9, "paragraph": 0.75, "intro": 0.9, "outro": 0.5}
PAUSE_BETWEEN_SENTENCES = 0.25
SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЄІЇҐ])"
)
INITIALS = re.compile(r"[\"'“‘(\[]*(?:[A-ZÀ-ÖØ-ÞА-ЯЄІЇҐ]\.)+")
"""A word of initials ("U.S.", "J.") rarely ends a sentence and often comes before a capital."""
ORDINAL = re.compile(r"\d{1,3}\.")
"""In languages that write ordinals with a dot, "3." in "am 3. Oktober" does not end a sentence."""
SPEAKABLE = re.compile(r"\w")

Say = Callable[[str], str]


def segment(
    article: Article,
    max_chars: int,
    lexicon: Lexicon | None = None,
    intro: str | None = None,
    outro: str | None = None,
) -> list[Segment]:
    """The script of an episode; no segment's spoken text is longer than `max_chars` (the backend's limit).

    `intro` and `outro` are the feed's spoken lines, said before the title and after the body.
    """
    lexicon = lexicon or Lexicon()

    def say(written: str) -> str:
        return normalise(lexicon.apply(written), article.language)

    def sentences(kind: SegmentKind, text: str, source: int | None) -> list[Segment]:
        return _sentences(kind, text, source, max_chars, article.language, say)

    segments = sentences("intro", intro, None) if intro else []
    segments += sentences("title", article.title, None)
    for index, block in enumerate(article.blocks):
        segments += sentences(block.kind, block.text, index)
    return segments + (sentences("outro", outro, None) if outro else [])


def _sentences(
    kind: SegmentKind, text: str, source: int | None, max_chars: int, language: str, say: Say
) -> list[Segment]:
    pieces = [piece for sentence in split_into_sentences(text, language) for piece in _fit(sentence, say, max_chars)]
    pieces = [(spoken, written) for spoken, written in pieces if SPEAKABLE.search(spoken)]
    pauses = [PAUSE_BETWEEN_SENTENCES] * (len(pieces) - 1) + [PAUSE_AFTER[kind]]
    return [Segment(kind, spoken, written, source, pause) for (spoken, written), pause in zip(pieces, pauses)]


def split_into_sentences(text: str, language: str = "en") -> list[str]:
    """The written sentences of `text`, not broken after an abbreviation such as "Gen." or "U.S."."""
    rules = rules_for(language)
    text = " ".join(text.split())
    inside_abbreviation = _abbreviation_ends(text, rules.non_final_abbreviations if rules else frozenset())
    ordinal_dot = rules is not None and rules.ordinal_dot
    before_numbers = rules.before_numbers if rules else {}
    sentences, start = [], 0
    for boundary in SENTENCE_END.finditer(text):
        end = boundary.start()
        last_word = text[start:end].rpartition(" ")[2]
        if INITIALS.fullmatch(last_word) or (ordinal_dot and ORDINAL.fullmatch(last_word)):
            continue
        if last_word in before_numbers and text[boundary.end() : boundary.end() + 1].isdigit():
            continue
        if end in inside_abbreviation:
            continue
        sentences.append(text[start:end])
        start = boundary.end()
    return [sentence for sentence in [*sentences, text[start:]] if sentence]


def _abbreviation_ends(text: str, abbreviations: frozenset[str]) -> set[int]:
    """Positions inside or right after one of `abbreviations` in `text`, where no sentence ends ("z. B.")."""
    if not abbreviations:
        return set()
    alternatives = "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
    matches = re.finditer(rf"(?<!\w)(?:{alternatives})", text)
    return {position for match in matches for position in range(match.start() + 1, match.end() + 1)}


def _fit(written: str, say: Say, max_chars: int) -> list[tuple[str, str]]:
    """(spoken, written) pieces of one sentence, each spoken piece within `max_chars`.

    An overlong sentence is cut between written words, each piece as long as its spoken text
    allows. A single word whose spoken form is still too long is spoken in several pieces; the
    first carries the written word, the others an empty written text. Pieces with nothing to say
    (punctuation only) are left out.
    """
    spoken = say(written)
    if len(spoken) <= max_chars:
        return [(spoken, written)]
    words = written.split(" ")
    if len(words) == 1:
        parts = [part for part in _cut(spoken, max_chars) if SPEAKABLE.search(part)]
        return [(part, written if index == 0 else "") for index, part in enumerate(parts)]
    pieces: list[tuple[str, str]] = []
    start = 0
    while start < len(words):
        end = _longest_fit(words, start, say, max_chars)
        pieces += _fit(" ".join(words[start:end]), say, max_chars)
        start = end
    return pieces


def _longest_fit(words: list[str], start: int, say: Say, max_chars: int) -> int:
    """The end of the longest run of words from `start` whose spoken text fits (one word at least).

    The search starts where the written words alone fill the limit, as spoken text is mostly about
    as long, or from one word when that is too long already; it takes doubling steps until the run
    is too long, then bisects. A piece so costs time in its own length, never in the rest of the
    sentence: a paragraph of a million characters without a full stop is cut in linear time.
    """

    def fits(end: int) -> bool:
        return len(say(" ".join(words[start:end]))) <= max_chars

    def gallop(fitting: int, too_long: int) -> tuple[int, int]:
        """From a run that fits to one that does not (`too_long`: the least end known to be too long)."""
        step = 1
        while fitting + step < too_long and fits(fitting + step):
            fitting, step = fitting + step, step * 2
        return fitting, min(fitting + step, too_long)

    filled = _filled(words, start, max_chars)
    fitting, too_long = gallop(filled, len(words) + 1) if fits(filled) else gallop(start + 1, filled)
    while too_long - fitting > 1:
        middle = (fitting + too_long) // 2
        if fits(middle):
            fitting = middle
        else:
            too_long = middle
    return fitting


def _filled(words: list[str], start: int, max_chars: int) -> int:
    """The end of the longest run of written words from `start` within `max_chars` (one word at least)."""
    end, length = start + 1, len(words[start])
    while end < len(words) and length + 1 + len(words[end]) <= max_chars:
        length += 1 + len(words[end])
        end += 1
    return end


def _cut(text: str, max_chars: int) -> list[str]:
    """`text` in pieces of at most `max_chars`, cut at spaces where there are any."""
    pieces = []
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + [text] if text else pieces
