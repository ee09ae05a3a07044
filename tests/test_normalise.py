"""Text normalisation for speech, driven by golden tables: tests/data/normalise/<language>.tsv."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.speech import normalise, rules_for

TABLES = Path(__file__).parent / "data" / "normalise"


def golden_pairs() -> list:
    pairs = []
    for table in sorted(TABLES.glob("*.tsv")):
        for number, line in enumerate(table.read_text(encoding="utf-8").splitlines(), start=1):
            if line and not line.startswith("#"):
                written, spoken = line.split("\t")
                pairs.append(pytest.param(table.stem, written, spoken, id=f"{table.stem}:{number}"))
    return pairs


@pytest.mark.parametrize(("language", "written", "spoken"), golden_pairs())
def test_written_text_is_said_as_the_table_says(language, written, spoken):
    assert normalise(written, language) == spoken


def test_the_english_table_is_large_enough_to_cover_the_rules():
    english = [pair for pair in golden_pairs() if pair.values[0] == "en"]
    assert len(english) >= 80


def test_a_regional_language_code_uses_its_language_rules():
    assert rules_for("en-GB") is rules_for("en_US") is rules_for("EN") is not None
    assert normalise("It cost $5.", "en-GB") == "It cost five dollars."


def test_an_unknown_language_keeps_numbers_as_written_but_still_gets_pauses():
    assert rules_for("xx") is None
    assert normalise("It cost 15% (they said) — more.", "xx") == "It cost 15%, they said, more."


NUMBERISH = st.from_regex(r"[$€£]?-?\d{1,60}(?:[.,]\d{1,40})?(?:%|st|th| billion|bn|mm| km)?", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(NUMBERISH, st.text(max_size=15)), max_size=12).map(" ".join),
    st.sampled_from(["en", "de", "uk", "xx"]),
)
def test_any_text_in_any_language_is_normalised_without_error(text, language):
    spoken = normalise(text, language)
    assert isinstance(spoken, str)
    assert bool(re.search(r"\w", spoken)) >= bool(re.search(r"[^\W_]", text)), "something to say stays sayable"
