"""Lengths are rounded to the second and written as a player shows them or in words, hours only when needed."""

from __future__ import annotations

import pytest

from narrate.publish.durations import format_duration


@pytest.mark.parametrize(
    ("seconds", "clock", "words"),
    [
        (9.4, "0:09", "9 s"),
        (59.6, "1:00", "1 min 00 s"),
        (133, "2:13", "2 min 13 s"),
        (3599.5, "1:00:00", "1 h 00 min 00 s"),
        (3725, "1:02:05", "1 h 02 min 05 s"),
    ],
)
def test_both_styles_round_alike_and_carry_into_the_next_unit(seconds, clock, words):
    assert format_duration(seconds, "clock") == clock
    assert format_duration(seconds, "words") == words


def test_words_take_the_readers_units_and_clocks_stay_clocks():
    assert format_duration(133, "words", ("год", "хв", "с")) == "2 хв 13 с"
    assert format_duration(3725, "words", ("Std.", "Min.", "Sek.")) == "1 Std. 02 Min. 05 Sek."
    assert format_duration(3725, "clock", ("Std.", "Min.", "Sek.")) == "1:02:05"
