"""A bad input fails alone, in one line naming it, and never with a traceback: impossible dates,
voices that do not exist, numbers of thousands of digits, URLs that are not URLs, missing packages."""

from __future__ import annotations

import pytest

from narrate import build, load_config
from narrate.speech.normalise import normalise

from . import fake_backend
from .conftest import make_project
from .inputs import markdown, write


NUMBER = "7" * 5000


@pytest.mark.parametrize("written", [NUMBER, f"-{NUMBER}", f"{NUMBER}.5", f"{NUMBER}%", f"${NUMBER}", f"{NUMBER} km",
                                     f"{NUMBER}th", f"{NUMBER}-{NUMBER}", f"${NUMBER} bn"])
def test_a_number_of_thousands_of_digits_is_said_digit_by_digit(written):
    spoken = normalise(f"It is {written} now.", "en")
    assert not any(character.isdigit() for character in spoken), spoken[:80]
    assert spoken.count("seven") >= 5000
    for language in ("de", "uk"):  # their rules read fewer of these forms, but none may fail
        normalise(f"Es ist {written}.", language)


def test_an_article_with_a_number_of_thousands_of_digits_builds(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    write(tmp_path / "seeds" / "big.md", markdown("Big numbers", f"The number {NUMBER} is big, and so is the {NUMBER}th.",
                                                  language="en"))
    report = build(load_config(config))
    assert not report.failures and len(report.episodes) == 1
