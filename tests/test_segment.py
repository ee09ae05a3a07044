"""Segmentation: title first, pauses by kind, and chunks that respect the backend limit without losing words."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from narrate.model import Article, Block
from narrate.segment import PAUSE_AFTER, PAUSE_BETWEEN_SENTENCES, segment, split_into_sentences


def article(*paragraphs: str) -> Article:
    return Article(Path("a.txt"), "a.txt", "The Title", tuple(Block("paragraph", p) for p in paragraphs))


def test_title_comes_first_then_each_paragraph_with_its_pause():
    script = segment(article("One sentence.", "Another one."), max_chars=500)
    assert all(s.text == s.written for s in script), "no normalisation yet: spoken text is the written text"
    assert [(s.kind, s.text, s.source) for s in script] == [
        ("title", "The Title", None),
        ("paragraph", "One sentence.", 0),
        ("paragraph", "Another one.", 1),
    ]
    assert script[0].pause_after == PAUSE_AFTER["title"] > script[1].pause_after == PAUSE_AFTER["paragraph"] > 0


def test_paragraph_is_split_into_sentences_with_short_pauses_inside():
    text = "First sentence is here. Second sentence follows! Third one ends it?"
    script = segment(article(text), max_chars=500)[1:]
    assert [s.text for s in script] == ["First sentence is here.", "Second sentence follows!", "Third one ends it?"]
    assert [s.pause_after for s in script] == [PAUSE_BETWEEN_SENTENCES, PAUSE_BETWEEN_SENTENCES, PAUSE_AFTER["paragraph"]]
    assert {s.source for s in script} == {0}


def test_sentence_longer_than_the_limit_is_cut_between_words():
    chunks = split_into_sentences("word " * 50, max_chars=23)
    assert all(len(chunk) <= 23 for chunk in chunks)
    assert " ".join(chunks).split() == ["word"] * 50


def test_a_word_longer_than_the_limit_is_cut_rather_than_sent_whole():
    assert split_into_sentences("a" * 25, max_chars=10) == ["a" * 10, "a" * 10, "a" * 5]


def test_closing_quotes_stay_with_their_sentence():
    text = 'He said "yes." Then he left. (It rained.) Nobody minded.'
    assert split_into_sentences(text, 500) == ['He said "yes."', "Then he left.", "(It rained.)", "Nobody minded."]


@given(
    st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=30),
    st.integers(min_value=40, max_value=300),
)
def test_chunks_keep_every_word_once_in_order_and_respect_the_limit(words, max_chars):
    text = " ".join(words)
    chunks = split_into_sentences(" ".join(text.split()), max_chars)
    assert " ".join(chunks).split() == text.split()
    assert all(0 < len(chunk) <= max_chars for chunk in chunks)
