"""Settings are checked for what they name and what they hold: a folder where a file belongs, a
speech rate no listener could follow."""

from __future__ import annotations

import pytest

from narrate.config import load_config
from narrate.errors import ConfigError

from .conftest import make_project


def config_with(tmp_path, feed: str = "", voice: str = ""):
    config = make_project(tmp_path, seeds=False)
    text = config.read_text(encoding="utf-8")
    text = text.replace('category = "News"\n', f'category = "News"\n{feed}').replace("[voice]\n", f"[voice]\n{voice}")
    config.write_text(text, encoding="utf-8")
    return config


def problems_of(config) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    return raised.value.problems


def test_an_intro_audio_or_cover_naming_a_folder_says_it_is_a_folder(tmp_path):
    (tmp_path / "jingles").mkdir()
    config = config_with(tmp_path, feed='intro_audio = "jingles"\nimage = "jingles"\noutro_audio = "none.mp3"\n')
    assert sorted(problems_of(config)) == [
        "feed.image 'jingles' is a folder, not a file",
        "feed.intro_audio 'jingles' is a folder, not a file",
        "feed.outro_audio 'none.mp3' does not exist",
    ]


@pytest.mark.parametrize("rate", [0, 79, 451, 100000, -170])
def test_a_speech_rate_no_listener_could_follow_is_a_config_problem(tmp_path, rate):
    config = config_with(tmp_path, voice=f"rate = {rate}\n[voice.languages]\nuk = {{ backend = \"espeak-ng\", rate = {rate} }}\n")
    assert problems_of(config) == [
        f"voice.rate must be 80 to 450 words per minute, not {rate}",
        f"voice.languages.uk.rate must be 80 to 450 words per minute, not {rate}",
    ]


@pytest.mark.parametrize("rate", [80, 170, 450])
def test_a_speech_rate_in_range_is_accepted(tmp_path, rate):
    assert load_config(config_with(tmp_path, voice=f"rate = {rate}\n")).voice.rate == rate
