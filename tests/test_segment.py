"""Segmentation: title first, pauses by kind, sentences found in the written text, spoken text
normalised and held to the backend limit without losing or repeating a word."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.model import Article, Block
from narrate.speech.segment import PAUSE_AFTER, PAUSE_BETWEEN_SENTENCES, segment, split_into_sentences
from narrate.speech import Lexicon
from narrate.speech.normalise import TYPOGRAPHY


def article(*paragraphs: str, language: str = "en") -> Article:
    blocks = tuple(Block("paragraph", p) for p in paragraphs)
    return Article(Path("a.txt"), "a.txt", "The Title", blocks, language=language)


def test_title_comes_first_then_each_paragraph_with_its_pause():
    script = segment(article("One sentence.", "Another one."), max_chars=500)
    assert [(s.kind, s.text, s.written, s.source) for s in script] == [
        ("title", "The Title", "The Title", None),
        ("paragraph", "One sentence.", "One sentence.", 0),
        ("paragraph", "Another one.", "Another one.", 1),
    ]
    assert script[0].pause_after == PAUSE_AFTER["title"] > script[1].pause_after == PAUSE_AFTER["paragraph"] > 0


def test_paragraph_is_split_into_sentences_with_short_pauses_inside():
    text = "First sentence is here. Second sentence follows! Third one ends it?"
    script = segment(article(text), max_chars=500)[1:]
    assert [s.text for s in script] == ["First sentence is here.", "Second sentence follows!", "Third one ends it?"]
    assert [s.pause_after for s in script] == [PAUSE_BETWEEN_SENTENCES, PAUSE_BETWEEN_SENTENCES, PAUSE_AFTER["paragraph"]]
    assert {s.source for s in script} == {0}


def test_the_backend_hears_normalised_text_while_the_transcript_keeps_the_written_sentence():
    script = segment(article("Kyiv got $60.84 billion on Oct. 14. Gen. Syrskyi met U.S. officials."), 500)[1:]
    assert [s.written for s in script] == ["Kyiv got $60.84 billion on Oct. 14.", "Gen. Syrskyi met U.S. officials."]
    assert [s.text for s in script] == [
        "Kyiv got sixty point eight four billion dollars on October fourteenth.",
        "General Syrskyi met U.S. officials.",
    ]


def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = (
        "Under U.S. President Joe Biden, aid grew. On Oct. 14 Gen. Smith and Sec. Jones met J. Doe. "
        "Crowds filled St. Peter's Square. A release (e.g. 2.0) came. Bus No. 5 left. No. It did not."
    )
    assert split_into_sentences(text, "en") == [
        "Under U.S. President Joe Biden, aid grew.",
        "On Oct. 14 Gen. Smith and Sec. Jones met J. Doe.",
        "Crowds filled St. Peter's Square.",
        "A release (e.g. 2.0) came.",
        "Bus No. 5 left.",
        "No.",
        "It did not.",
    ]


def test_german_sentences_do_not_end_at_an_ordinal_or_an_abbreviation():
    text = "Am 3. Oktober kamen z. B. Gäste. Dann gingen sie."
    assert split_into_sentences(text, "de") == ["Am 3. Oktober kamen z. B. Gäste.", "Dann gingen sie."]
    assert split_into_sentences("Es waren 3. Dann 4.", "en") == ["Es waren 3.", "Dann 4."]


def test_closing_quotes_stay_with_their_sentence():
    text = 'He said "yes." Then he left. (It rained.) Nobody minded.'
    assert split_into_sentences(text) == ['He said "yes."', "Then he left.", "(It rained.)", "Nobody minded."]


def test_a_sentence_too_long_once_spoken_is_cut_between_written_words():
    written = "They paid $1,523,456 and $2,345,678 and $3,456,789 in total."
    script = segment(article(written), max_chars=90)[1:]
    assert len(written) <= 90 < len(" ".join(s.text for s in script))
    assert len(script) > 1 and all(len(s.text) <= 90 for s in script)
    assert " ".join(s.written for s in script) == written


def test_a_word_longer_than_the_limit_is_spoken_in_pieces_and_written_once():
    script = segment(article("a" * 25), max_chars=10)[1:]
    assert [s.text for s in script] == ["a" * 10, "a" * 10, "a" * 5]
    assert [s.written for s in script] == ["a" * 25, "", ""]


def test_pronunciations_are_applied_before_normalisation():
    lexicon = Lexicon({"Syrskyi": "Seer-skee", "hryvnia": "HRIV-nya"})
    script = segment(article("Syrskyi has 5 Hryvnia coins."), 500, lexicon)[1:]
    assert script[0].text == "Seer-skee has five HRIV-nya coins."
    assert script[0].written == "Syrskyi has 5 Hryvnia coins."


TRICKY = ["$60.84", "billion", "US$34", "U.S.", "Gen.", "Oct.", "14,", "1,523", "21st", "3:02", "PM.", "(NATO)",
          "—", "–", "1932–1933", "155mm", "40", "km", "5.5%", "e.g.", "FBI's", "https://kyivindependent.com/a",
          "news@example.org", "“Yes,”", "’", "99999999999999999999", "1990s", "Sec.", "Jr.", "-7", "a.m."]
WORDS = st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=12))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=4),
    st.integers(min_value=8, max_value=400),
    st.sampled_from(["en", "de", "uk", "xx"]),
)
def test_every_body_word_is_written_once_in_order_and_no_spoken_text_exceeds_the_limit(paragraphs, max_chars, language):
    script = segment(article(*paragraphs, language=language), max_chars)
    body = [s for s in script if s.source is not None]

    def is_word(text: str) -> bool:
        """Has a letter or digit once typography is normalised ("ʼ" alone is an apostrophe, not a word)."""
        return re.search(r"\w", text.translate(TYPOGRAPHY)) is not None

    words = [word for paragraph in paragraphs for word in paragraph.split() if is_word(word)]
    assert [word for s in body for word in s.written.split() if is_word(word)] == words
    assert all(0 < len(s.text) <= max_chars and re.search(r"\w", s.text) for s in script)


@dataclass(frozen=True)
class MeteredLexicon(Lexicon):
    """No respellings; counts the characters it is given (each one is then normalised too) and
    fails once they pass `budget`, so a chunker that rereads the text over and over fails at once
    instead of running for minutes."""

    budget: int = 0
    read: list[int] = field(default_factory=lambda: [0])

    def apply(self, text: str) -> str:
        self.read[0] += len(text)
        assert self.read[0] <= self.budget, "the text is normalised over and over: the chunker is not linear"
        return super().apply(text)


def test_a_900000_character_paragraph_without_punctuation_is_cut_within_the_limit_keeping_every_word():
    rng = random.Random(17)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 10))) for _ in range(140_000)]
    text = " ".join(words)[:900_000].rpartition(" ")[0]
    lexicon = MeteredLexicon(budget=20 * len(text))
    script = segment(article(text), 2000, lexicon)[1:]
    assert len(script) > 400 and all(0 < len(s.text) <= 2000 for s in script)
    assert " ".join(s.written for s in script) == text, "every word once, in order"

