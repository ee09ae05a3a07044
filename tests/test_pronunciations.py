"""The pronunciation lexicon: whole words and phrases, its case rule, and where it is configured."""

from __future__ import annotations

import pytest

from narrate import load_config
from narrate.errors import ConfigError
from narrate.speech import Lexicon

from .conftest import make_project


def test_a_capitalised_key_matches_only_that_spelling():
    lexicon = Lexicon({"Kyiv": "Keev"})
    assert lexicon.apply("Kyiv, KYIV and kyiv") == "Keev, KYIV and kyiv"


def test_an_all_lowercase_key_matches_any_case():
    lexicon = Lexicon({"hryvnia": "HRIV-nya"})
    assert lexicon.apply("Hryvnia, HRYVNIA and hryvnia") == "HRIV-nya, HRIV-nya and HRIV-nya"


def test_only_whole_words_are_replaced():
    lexicon = Lexicon({"Rutte": "Rutta"})
    assert lexicon.apply("Rutte's visit, not Ruttes or ARutte") == "Rutta's visit, not Ruttes or ARutte"


def test_the_longest_phrase_wins_and_matches_across_any_spacing():
    lexicon = Lexicon({"Mark": "Marc", "Mark Rutte": "Mark Rutta"})
    assert lexicon.apply("Mark  Rutte met Mark.") == "Mark Rutta met Marc."


def test_an_exact_key_wins_over_an_any_case_key_for_its_spelling():
    lexicon = Lexicon({"us": "uss", "US": "U.S."})
    assert lexicon.apply("US and us and Us") == "U.S. and uss and uss"


def test_pronunciations_come_from_the_file_beside_the_config_and_its_table(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / "pronunciations.toml").write_text('Kyiv = "Keev"\nRutte = "Rutta"\n', encoding="utf-8")
    with config.open("a", encoding="utf-8") as file:
        file.write('\n[pronunciations]\nRutte = "Ruh-tuh"\n"Mark Rutte" = "Mark Ruh-tuh"\n')
    settings = load_config(config)
    assert settings.pronunciations == {"Kyiv": "Keev", "Rutte": "Ruh-tuh", "Mark Rutte": "Mark Ruh-tuh"}
    assert not settings.warnings


def test_bad_pronunciations_are_reported_together(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / "pronunciations.toml").write_text('Kyiv = 3\n', encoding="utf-8")
    with config.open("a", encoding="utf-8") as file:
        file.write('\n[pronunciations]\nRutte = ""\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert len(caught.value.problems) == 2
    assert "pronunciations.toml" in caught.value.problems[0] and "Kyiv" in caught.value.problems[0]
    assert "[pronunciations]" in caught.value.problems[1] and "Rutte" in caught.value.problems[1]
