"""Real clients read what `narrate build` publishes: gPodder (parser and `gpo`), feedparser,
Podcast Index's parser, mp3val and the W3C WebVTT parser. A missing client fails; none is skipped.

`.ci/install --dev` installs them all: Debian `gpodder` and `mp3val`, and the npm packages in
tests/clients (package-lock.json) that the node scripts there run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest

from narrate.publish.podcast_namespace import podcast_guid

from .conftest import make_project

CLIENTS = Path(__file__).parent / "clients"
FEED_URL = "https://podcasts.example.org/news/feeds/test.xml"


@dataclass(frozen=True)
class Site:
    root: Path
    config: Path
    mp3: Path
    feed: Path


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; run `bash .ci/install --dev`")
    return path


def run_node(script: str, *arguments: str) -> Any:
    node = tool("node")
    if not (CLIENTS / "node_modules").is_dir():
        pytest.fail(f"the npm clients in {CLIENTS} are not installed; run `bash .ci/install --dev`")
    result = subprocess.run([node, str(CLIENTS / script), *arguments], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    """The seed built by `narrate build` through the real espeak-ng and ffmpeg."""
    root = tmp_path_factory.mktemp("clients")
    config = make_project(root, backend="espeak-ng")
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    [mp3] = (root / "audio").glob("*.mp3")
    return Site(root, config, mp3, root / "feeds" / "test.xml")


def test_podcastparser_reads_the_show_and_the_episode(site: Site) -> None:
    with site.feed.open("rb") as stream:
        show = podcastparser.parse(FEED_URL, stream)
    assert (show["title"], show["type"], show["explicit"]) == ("Test Feed", "episodic", False)
    assert show["cover_url"] == "https://podcasts.example.org/news/feeds/test-cover.png"
    assert show["itunes_owner"] == {"name": "Test Newsroom", "email": "owner@example.org"}
    [episode] = show["episodes"]
    [enclosure] = episode["enclosures"]
    assert enclosure == {
        "url": f"https://podcasts.example.org/news/audio/{site.mp3.name}",
        "file_size": site.mp3.stat().st_size,
        "mime_type": "audio/mpeg",
    }
    assert episode["total_time"] > 30 and episode["type"] == "full"
    assert episode["description_html"].startswith("<p>NATO will not back down")
    assert "synthetic (text-to-speech) voice" in episode["description"]


def test_feedparser_reads_it_without_complaint(site: Site) -> None:
    parsed = feedparser.parse(site.feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.podcast_guid == podcast_guid(FEED_URL)
    assert parsed.feed.podcast_locked == {"owner": "owner@example.org"}
    [entry] = parsed.entries
    assert entry.itunes_episodetype == "full"
    assert entry.podcast_chapters["type"] == "application/json+chapters"


def test_podcast_index_parser_reads_guid_lock_transcripts_chapters_and_people(site: Site) -> None:
    feed = run_node("partytime.js", str(site.feed))
    assert feed["guid"] == podcast_guid(FEED_URL)
    assert (feed["locked"], feed["podcastOwner"]) == (True, "owner@example.org")
    assert feed["medium"] == "podcast"
    assert feed["podcastPeople"] == [{"name": "Test Newsroom", "role": "Author", "group": "Writing"}]
    [item] = feed["items"]
    base = f"https://podcasts.example.org/news/audio/{site.mp3.stem}"
    transcripts = {(t["url"], t["language"]) for t in item["podcastTranscripts"]}
    assert transcripts == {(f"{base}.vtt", "en"), (f"{base}.srt", "en")}
    assert item["podcastChapters"] == {"url": f"{base}.chapters.json", "type": "application/json+chapters"}
    assert item["podcastPeople"] == [{"name": "Martin Fornusek", "role": "Author", "group": "Writing"}]
    assert item["duration"] > 30 and item["itunesEpisodeType"] == "full"


def test_mp3val_finds_nothing_wrong_with_the_episode(site: Site) -> None:
    result = subprocess.run([tool("mp3val"), str(site.mp3)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "MPEG 1 Layer III" in result.stdout, result.stdout
    problems = [line for line in result.stdout.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert problems == []


def test_the_w3c_webvtt_parser_accepts_the_episode_transcript(site: Site) -> None:
    result = run_node("webvtt.js", str(site.mp3.with_suffix(".vtt")))
    assert result["errors"] == [] and result["cues"] > 0


def test_gpodder_subscribes_over_http_and_downloads_the_episode_byte_identical(site: Site, tmp_path: Path) -> None:
    gpo = tool("gpo")
    server = subprocess.Popen(
        [sys.executable, "-m", "narrate", "serve", "--config", str(site.config), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        feed_url = _served_feed_url(server)
        downloads = tmp_path / "downloads"
        environment = {
            **os.environ,
            "HOME": str(tmp_path),
            "GPODDER_HOME": str(tmp_path / "gpodder"),
            "GPODDER_DOWNLOAD_DIR": str(downloads),
        }
        output = ""
        for command in (["subscribe", feed_url], ["update"], ["download"]):
            result = subprocess.run([gpo, *command], capture_output=True, text=True, env=environment, timeout=120)
            output += result.stdout + result.stderr
        assert "1 new episode" in output and "1 episodes downloaded" in output, output
    finally:
        server.terminate()
        server.wait(timeout=30)
    [downloaded] = downloads.rglob("*.mp3")
    assert downloaded.read_bytes() == site.mp3.read_bytes()


def _served_feed_url(server: subprocess.Popen[str]) -> str:
    """The feed URL `narrate serve` announces on its first lines."""
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("Feed to paste into a podcast app: "):
            return line.split(": ", 1)[1].strip()
    pytest.fail(f"narrate serve announced no feed: {server.stderr.read() if server.stderr else ''}")
