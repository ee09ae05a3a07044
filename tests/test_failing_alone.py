"""A bad input fails alone, in one line naming it, and never with a traceback: impossible dates,
voices that do not exist, numbers of thousands of digits, URLs that are not URLs, missing packages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from narrate import build, load_config
from narrate.cli import app
from narrate.config import VoiceConfig
from narrate.errors import ArticleError
from narrate.speech.normalise import normalise
from narrate.tools.inspect import inspect_article

from . import fake_backend
from .conftest import BASE_URL, REPO, make_project, published_feed
from .inputs import markdown, run_build, write


def test_a_config_base_url_that_is_no_url_is_a_config_problem_not_a_traceback(tmp_path):
    config = make_project(tmp_path, backend="counting", seeds=False)
    config.write_text(config.read_text(encoding="utf-8").replace(BASE_URL, "http://[::1/x"), encoding="utf-8")
    result, _, errors = run_build(config)
    assert result.exit_code == 1
    assert errors == [f"Error: {config}: feed.base_url must be an http(s) URL, not 'http://[::1/x'"]


def test_a_feed_item_link_that_is_no_url_fails_that_item_alone(tmp_path):
    from narrate.readers import read_file

    feed = write(tmp_path / "news.rss", '<?xml version="1.0"?><rss version="2.0" xmlns:content='
                 '"http://purl.org/rss/1.0/modules/content/"><channel><title>F</title>'
                 "<item><title>Broken</title><link>http://[::1/x</link></item>"
                 "<item><title>Fine</title><guid>urn:fine</guid><content:encoded>The council met.</content:encoded></item>"
                 "</channel></rss>")
    reading = read_file(feed, tmp_path)
    assert [article.title for article in reading.articles] == ["Fine"]
    [failure] = reading.failures
    assert "(item 1)" in str(failure) and "http://[::1/x" in str(failure)


def test_impossible_dates_fail_their_article_alone_in_build_and_inspect(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    seeds = tmp_path / "seeds"
    no_month = write(seeds / "no-month.md", "---\ntitle: A\ndate: 2024-13-45\n---\nThe council met.\n")
    too_late = write(seeds / "too-late.md", "---\ntitle: B\ndate: 9999-12-31T23:00:00-12:00\n---\nThe council met.\n")
    write(seeds / "good.md", "---\ntitle: Good\ndate: 2024-10-15\n---\nThe council met.\n")
    result, _, errors = run_build(config)
    assert result.exit_code == 1
    assert errors == [
        f"Error: {no_month}: front matter holds a value that cannot be read: month must be in 1..12",
        f"Error: {too_late}:3: date 9999-12-31T23:00:00-12:00 is outside the years 1 to 9999 in UTC",
    ]
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["Good"]
    for path in (no_month, too_late):
        with pytest.raises(ArticleError, match=str(path)):
            inspect_article(path, VoiceConfig(backend="counting"), {})
        inspected = CliRunner().invoke(app, ["inspect", str(path)])
        assert inspected.exit_code == 1 and isinstance(inspected.exception, SystemExit)
        assert len(inspected.stderr.strip().splitlines()) == 1


def test_a_front_matter_voice_that_does_not_exist_fails_that_article_naming_its_file(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    seeds = tmp_path / "seeds"
    no_voice = write(seeds / "no-voice.md", markdown("A", "The council met.", voice="espeak-ng:nosuchvoice"))
    no_backend = write(seeds / "no-backend.md", markdown("B", "The council met.", voice="nosuchbackend:x"))
    write(seeds / "good.md", markdown("Good", "The council met."))
    result, _, errors = run_build(config)
    assert result.exit_code == 1
    assert len(errors) == 2 and not any("narrate.toml" in error for error in errors)
    assert errors[0].startswith(f"Error: {no_backend}: its voice 'nosuchbackend:x' needs the backend 'nosuchbackend'")
    assert errors[1].startswith(f"Error: {no_voice}: espeak-ng has no voice 'nosuchvoice' (installed: ")
    assert errors[1].endswith("choose another voice in its front matter (see `narrate voices`)")
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["Good"]


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


def test_a_reader_whose_library_cannot_be_imported_fails_each_such_file_in_one_line(tmp_path):
    """As in a venv made by Python 3.11's pip 23, which installs lxml 6 without lxml_html_clean."""
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    page = write(tmp_path / "seeds" / "page.html", "<html><head><title>A page</title></head><body><article>"
                 "<p>The council met on Tuesday and agreed the budget.</p></article></body></html>")
    write(tmp_path / "seeds" / "note.md", markdown("A note", "The council met on Tuesday."))
    script = ("import sys; sys.modules['lxml_html_clean'] = None; from narrate.cli import app; "
              f"app(['build', '--config', {str(config)!r}])")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    [error] = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert error.startswith(f"Error: {page}: cannot read .html files: lxml.html.clean module is now a separate project")
    assert error.endswith("install what they need: pip install trafilatura lxml lxml_html_clean py3langid")
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["A note"]
