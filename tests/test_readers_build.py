"""`narrate build` on Markdown, HTML and a feed through the real espeak-ng, ffmpeg, feedgen and feedparser.

A shim in front of the real espeak-ng records each command line, so the tests see which voice
spoke: a Ukrainian article must be spoken with `-v uk`, never with an English voice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser

from .conftest import make_project

DATA = Path(__file__).resolve().parent / "data" / "readers"


def build_project(root: Path, *inputs: Path) -> tuple[subprocess.CompletedProcess[str], list[str], feedparser.FeedParserDict]:
    """Build `inputs` with the espeak-ng backend; the result, the voices espeak-ng was asked for, and the feed."""
    config = make_project(root, backend="espeak-ng", seeds=False)
    for source in inputs:
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, root / "seeds" / source.name)
    shim, log = root / "bin", root / "espeak-calls.log"
    shim.mkdir()
    (shim / "espeak-ng").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{shutil.which("espeak-ng")}" "$@"\n', encoding="utf-8"
    )
    (shim / "espeak-ng").chmod(0o755)
    environment = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        capture_output=True, text=True, cwd=root, env=environment,
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    voices = sorted({call.split()[call.split().index("-v") + 1] for call in calls if "-w" in call.split()})
    return result, voices, feedparser.parse((root / "feeds" / "test.xml").read_bytes())


def build_one(root: Path, source: Path, voice: str) -> feedparser.FeedParserDict:
    """The feed entry of a one-article build that succeeded, spoken by espeak-ng's `voice` alone."""
    result, voices, feed = build_project(root, source)
    assert result.returncode == 0, result.stderr
    assert voices == [voice]
    [entry] = feed.entries
    return entry


def test_ukrainian_markdown_without_a_language_is_spoken_by_the_ukrainian_voice(tmp_path):
    entry = build_one(tmp_path, DATA / "uk-no-language.md", "uk")
    assert entry.title == "У Києві відкрили новий міст через Дніпро"
    assert entry.published_parsed[:3] == (2024, 9, 12)
    [mp3] = (tmp_path / "audio").glob("*.mp3")
    assert int(entry.enclosures[0].length) == mp3.stat().st_size > 0


def test_html_page_builds_with_its_metadata_and_language(tmp_path):
    entry = build_one(tmp_path, DATA / "page.html", "de")
    assert entry.title == "Neue Brücke eröffnet"
    assert entry.link == "https://stadtblatt.example.org/2024/neue-bruecke"
    assert entry.author == "Anna Schmidt"
    assert entry.summary.startswith("Nach drei Jahren Bauzeit ist die Brücke offen.\n\nThis episode is read aloud")


def test_feed_builds_one_episode_per_good_item_and_reports_the_broken_one(tmp_path):
    result, voices, feed = build_project(tmp_path, DATA / "feed")
    assert result.returncode == 1
    assert "feed.xml (item 3): no content in the feed and its link is not a local file" in " ".join(result.stderr.split())
    assert voices == ["en"]
    titles = sorted(entry.title for entry in feed.entries)
    assert titles == ["Ferry timetable changes on Monday", "Library reopens after the flood"]
    guids = sorted(entry.id for entry in feed.entries)

    again = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(tmp_path / "narrate.toml")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert again.returncode == 1
    rebuilt = feedparser.parse((tmp_path / "feeds" / "test.xml").read_bytes())
    assert sorted(entry.id for entry in rebuilt.entries) == guids


def test_markdown_front_matter_voice_and_metadata_reach_the_feed(tmp_path):
    entry = build_one(tmp_path, DATA / "toml-front-matter.md", "en-gb")
    assert entry.title == "Night trains return to the Alps"
    assert entry.link == "https://news.example.org/2024/night-trains"
    assert entry.summary.startswith("Sleeper services are back after a decade.\n\nThis episode is read aloud")
    assert entry.published_parsed[:5] == (2024, 6, 1, 5, 30)


def test_an_input_folder_holding_the_output_does_not_read_narrates_own_feed_and_pages(tmp_path):
    build_project(tmp_path, DATA / "page.html")
    config = tmp_path / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("jobs = 1", 'jobs = 1\ninput = "."'), encoding="utf-8")
    assert list((tmp_path / "feeds").glob("*.xml")) and list((tmp_path / "embeds").glob("*.html"))
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 episode"), result.stdout
