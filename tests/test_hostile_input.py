"""Hostile and odd input: each bad article fails alone with a one-line reason, the feed stays valid,
and nothing is written outside the output folder."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from narrate import build, load_config
from narrate.pipeline import dry_run
from narrate.cli import app

from . import fake_backend
from .conftest import make_project, published_feed

HOSTILE_TITLE = '../../etc/passwd <script>alert("x")</script> & "quotes" \'single\' 🎙️ שלום עולם'


def files_outside(root: Path, allowed: set[str]) -> list[Path]:
    """Files below `root` outside the folders a build may write."""
    return [path for path in root.rglob("*") if path.is_file() and path.relative_to(root).parts[0] not in allowed]


def test_hostile_title_is_spoken_escaped_and_confined(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    (tmp_path / "seeds" / "hostile.txt").write_text(f"{HOSTILE_TITLE}\n\nA calm first paragraph.\n", encoding="utf-8")
    report = build(load_config(config))
    assert not report.failures
    [episode] = report.episodes
    assert episode.audio_path.parent == tmp_path / "audio"
    assert episode.audio_path.name == "etc-passwd-script-alert-x-script-quotes-single-slvm-vlm.mp3"
    [item] = published_feed(tmp_path)["episodes"]
    assert item["title"] == HOSTILE_TITLE
    assert files_outside(tmp_path, {"seeds", "audio", "feeds", "embeds", "index.html", ".narrate", "narrate.toml"}) == []


def test_two_titles_with_the_same_file_name_get_distinct_files_and_guids(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    (tmp_path / "seeds" / "a.txt").write_text("Rates rise!\n\nThe bank raised rates.\n", encoding="utf-8")
    (tmp_path / "seeds" / "b.txt").write_text("Rates: rise?\n\nThe bank may raise rates.\n", encoding="utf-8")
    report = build(load_config(config))
    names = sorted(episode.audio_path.name for episode in report.episodes)
    assert names == ["rates-rise-2.mp3", "rates-rise.mp3"]
    assert len({item["guid"] for item in published_feed(tmp_path)["episodes"]}) == 2


def test_future_date_is_a_warning_and_a_missing_date_is_the_first_publication(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    future = dt.date.today() + dt.timedelta(days=400)
    (tmp_path / "seeds" / "future.txt").write_text(f" date {future} \nLater news\n\nNot yet.\n", encoding="utf-8")
    (tmp_path / "seeds" / "undated.txt").write_text("Undated news\n\nAny time.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert "future.txt" in warning and str(future) in warning and "in the future" in warning
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    assert all(abs(item["published"] - now) < 600 for item in published_feed(tmp_path)["episodes"])


@pytest.mark.parametrize("date", ["0001-01-01", "0024-10-15", "1899-12-31"])
def test_a_date_before_1900_is_a_warning_and_the_episode_is_dated_when_first_published(tmp_path, monkeypatch, date):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    (tmp_path / "seeds" / "old.md").write_text(f"---\ntitle: Old news\ndate: {date}\n---\n\nLong ago.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert "old.md" in warning and f"its date {date} is before 1900" in warning
    [pub_date] = re.findall(r"<item>.*?<pubDate>(.*?)</pubDate>", (tmp_path / "feeds" / "test.xml").read_text(), re.DOTALL)
    published = email.utils.parsedate_to_datetime(pub_date)
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000", pub_date), pub_date
    assert abs(published.timestamp() - dt.datetime.now(dt.timezone.utc).timestamp()) < 600


def test_the_first_dates_of_1900_are_kept(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    (tmp_path / "seeds" / "old.md").write_text("---\ntitle: Old news\ndate: 1900-01-01\n---\n\nLong ago.\n", encoding="utf-8")
    report = build(load_config(config))
    assert not report.warnings and report.episodes[0].published.date() == dt.date(1900, 1, 1)
    assert "<pubDate>Mon, 01 Jan 1900 00:00:00 +0000</pubDate>" in (tmp_path / "feeds" / "test.xml").read_text()


def test_an_article_too_long_to_be_an_article_is_refused_before_any_speech(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    sentence = "The council met again on Tuesday and agreed to meet again next week. "
    paragraphs = "\n\n".join(sentence * 10 for _ in range(8000))
    (tmp_path / "seeds" / "dump.txt").write_text(f"A five megabyte dump\n\n{paragraphs}\n", encoding="utf-8")
    assert (tmp_path / "seeds" / "dump.txt").stat().st_size > 5_000_000
    plan = dry_run(load_config(config))
    assert len(plan.episodes) == 1 and "refused: split it" in str(plan.failures[0])
    report = build(load_config(config))
    assert [failure.where for failure in report.failures] == [str(tmp_path / "seeds" / "dump.txt")]
    assert len(report.episodes) == 1 and all("council" not in text for text in backend.spoken)


def test_control_and_xml_forbidden_characters_never_reach_the_feed(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    (tmp_path / "seeds" / "controls.txt").write_bytes(
        "Bell\x07 and \x1b[31mescape\ufffe title\n\nBody with a form feed\x0c and a \x7f DEL.\n".encode()
    )
    report = build(load_config(config))
    assert not report.failures
    [item] = published_feed(tmp_path)["episodes"]
    assert item["title"] == "Bell and [31mescape title"
    assert "\x0c" not in item["description"] and "\x7f" not in item["description"]


page_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=page_text, paragraphs=st.lists(page_text, min_size=0, max_size=4))
def test_any_text_builds_a_valid_feed_transcript_and_player_inside_the_output_folder(monkeypatch, title, paragraphs):
    fake_backend.install(monkeypatch)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = make_project(root, backend="counting", seeds=False)
        (root / "seeds" / "fuzz.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        (root / "seeds" / "calm.txt").write_text("A calm article\n\nNothing odd here.\n", encoding="utf-8")
        report = build(load_config(config))
        assert len(report.episodes) + len(report.failures) == 2
        assert all(failure.where and "fuzz.txt" in failure.where for failure in report.failures)
        listed = published_feed(root)["episodes"]
        assert len(listed) == len(report.episodes) >= 1
        assert files_outside(root, {"seeds", "audio", "feeds", "embeds", "index.html", ".narrate", "narrate.toml"}) == []
        for episode in report.episodes:
            check_webvtt(episode.audio_path.with_suffix(".vtt").read_text(encoding="utf-8"))
            check_embed(root / "embeds" / f"{episode.names.slug}.html", episode.article.title)
            check_embed(root / "embeds" / episode.names.slug / "index.html", episode.article.title)


CUE_TIMING = re.compile(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}")


def check_webvtt(text: str) -> None:
    """The WebVTT rules text can break: the header, cue timings in order, no raw markup or '-->' in cue text."""
    header, *cues = text.split("\n\n")
    assert header == "WEBVTT"
    previous_end = "00:00:00.000"
    for cue in filter(None, cues):
        timing, *lines = cue.split("\n")
        assert CUE_TIMING.fullmatch(timing), timing
        start, end = timing.split(" --> ")
        assert previous_end <= start < end
        previous_end = end
        assert 1 <= len(lines) <= 2 and all(line.strip() for line in lines), cue
        assert not any("<" in line or "-->" in line or re.search(r"&(?!amp;|lt;|gt;)", line) for line in lines), cue


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_embed(path: Path, title: str) -> None:
    """Article text never becomes markup: the only scripts are the player's and its timing data, and the
    title reads back as text, or in the player's label for the pasted snippet, which shows no title."""
    page = _Elements()
    page.feed(path.read_text(encoding="utf-8"))
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert all((s.get("src") or "").endswith("/player.js") or s.get("type") == "application/json" for s in scripts), scripts
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    [label] = [attrs["aria-label"] for tag, attrs in page.tags if tag == "figure"]
    assert label.endswith(f": {title}")
    assert " ".join(title.split()) in " ".join("".join(page.text).split()) or path.name != "index.html"
