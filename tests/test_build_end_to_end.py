"""`narrate build` on the seed, through the real pyttsx3/espeak-ng, ffmpeg, feedgen, mutagen and feed parsers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from narrate import build, load_config
from narrate.tts.clip_cache import ClipCache, clip_key
from narrate.readers import read_article
from narrate.speech import normalise
from narrate.tts import BackendSpec

from .conftest import make_project


def decoded_seconds(path: Path) -> float:
    """Decode every frame with ffmpeg (independently of narrate) and count the samples."""
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "44100", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return len(pcm) / 2 / 44100


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    config = make_project(root)
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=root,
    )
    return root, config, result


def test_build_succeeds_with_a_one_line_summary_and_clean_stdout(built):
    _, _, result = built
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 episode (1 encoded, 0 unchanged): ")
    assert "Audio saved to" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_rebuild_with_nothing_changed_says_so(built):
    root, config, _ = built
    again = subprocess.run([sys.executable, "-m", "narrate", "build", "--config", str(config)],
                           capture_output=True, text=True, cwd=root)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Built 1 episode (0 encoded, 1 unchanged): ")


def test_feed_parses_in_podcastparser_and_feedparser(built):
    root, _, _ = built
    feed_path = root / "feeds" / "test.xml"
    [mp3] = (root / "audio").glob("*.mp3")
    with feed_path.open("rb") as stream:
        podcast = podcastparser.parse("https://podcasts.example.org/news/feeds/test.xml", stream)
    [episode] = podcast["episodes"]
    [enclosure] = episode["enclosures"]
    assert enclosure["file_size"] == mp3.stat().st_size
    assert enclosure["url"] == f"https://podcasts.example.org/news/audio/{mp3.name}"
    assert enclosure["mime_type"] == "audio/mpeg"
    assert abs(episode["total_time"] - decoded_seconds(mp3)) <= 1
    assert episode["title"].startswith("NATO will do what's necessary")
    assert podcast["title"] == "Test Feed"

    parsed = feedparser.parse(feed_path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.id == episode["guid"]
    assert entry.guidislink is False
    assert entry.published_parsed[:5] == (2024, 10, 15, 15, 2)


def test_feed_writes_apple_explicit_form_and_self_link(built):
    root, _, _ = built
    xml = (root / "feeds" / "test.xml").read_text(encoding="utf-8")
    assert "<itunes:explicit>false</itunes:explicit>" in xml
    assert '<atom:link href="https://podcasts.example.org/news/feeds/test.xml" rel="self"' in xml
    assert "<lastBuildDate>Tue, 15 Oct 2024 15:02:00 +0000</lastBuildDate>" in xml


def test_mp3_decodes_without_errors_and_is_mono_cbr_64k(built):
    root, _, _ = built
    [mp3] = (root / "audio").glob("*.mp3")
    check = subprocess.run(
        ["ffmpeg", "-v", "error", "-xerror", "-i", str(mp3), "-f", "null", "-"], capture_output=True, text=True
    )
    assert check.returncode == 0 and check.stderr == ""
    info = MP3(mp3).info
    assert (info.channels, info.sample_rate, info.bitrate) == (1, 44100, 64000)
    assert info.bitrate_mode == BitrateMode.CBR
    assert decoded_seconds(mp3) > 30, "seven paragraphs take well over half a minute to read"


def test_mutagen_reads_back_the_tags(built):
    root, _, _ = built
    [mp3] = (root / "audio").glob("*.mp3")
    tags = ID3(mp3)
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]).startswith("NATO will do what's necessary")
    assert str(tags["TPE1"]) == "Martin Fornusek"
    assert str(tags["TALB"]) == "Test Feed"
    assert str(tags["TCON"]) == "Podcast"
    assert str(tags.get("TYER") or tags["TDRC"]).startswith("2024")


def test_second_build_is_byte_identical_with_the_same_guid(built):
    root, config, _ = built
    [mp3] = (root / "audio").glob("*.mp3")
    feed = root / "feeds" / "test.xml"
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (mp3, feed)}
    report = build(load_config(config))
    assert not report.failures
    for path, (content, mtime) in before.items():
        assert path.read_bytes() == content
        assert path.stat().st_mtime_ns == mtime, f"{path.name} was rewritten"
    assert report.episodes[0].audio_path == mp3


def test_timeline_places_every_sentence_in_order_inside_the_episode(built):
    root, config, _ = built
    [episode] = build(load_config(config)).episodes
    timeline = episode.timeline
    assert timeline[0].segment.kind == "title" and timeline[0].start > 0
    assert [t.segment.source for t in timeline if t.segment.kind == "paragraph"][-1] == 6
    assert len(timeline) > 8, "one segment per sentence, not per paragraph"
    for earlier, later in zip(timeline, timeline[1:]):
        assert earlier.start < earlier.end < later.start
    assert timeline[-1].end < episode.duration
    title_gap = timeline[1].start - timeline[0].end
    assert title_gap == pytest.approx(1.2, abs=0.002), "a clear pause after the title"


def test_espeak_backend_builds_the_seed_too(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng")
    report = build(load_config(config))
    assert not report.failures
    [episode] = report.episodes
    assert abs(episode.duration - decoded_seconds(episode.audio_path)) < 0.05
    assert episode.size == episode.audio_path.stat().st_size



def test_the_voice_was_given_normalised_text_and_the_transcript_shows_the_written_text(built):
    root, _, result = built
    assert result.returncode == 0, result.stderr
    [vtt] = (root / "audio").glob("*.vtt")
    transcript = " ".join(vtt.read_text(encoding="utf-8").split())
    assert "published on Oct. 14." in transcript and "October fourteenth" not in transcript
    [seed] = (root / "seeds").glob("*.txt")
    first_paragraph = read_article(seed, seed.parent).body[0]  # one sentence, ending "on Oct. 14."
    said = normalise(first_paragraph, "en")
    assert said.endswith("published on October fourteenth.")
    synthesised = ClipCache(root / ".narrate" / "clips").keys()
    assert clip_key(BackendSpec("pyttsx3"), "en", said) in synthesised
    assert clip_key(BackendSpec("pyttsx3"), "en", first_paragraph) not in synthesised
