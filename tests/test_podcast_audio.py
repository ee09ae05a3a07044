"""Podcast-grade episodes through the real stack (pyttsx3/espeak-ng, ffmpeg, mutagen, ffprobe):
loudness, trimmed clips, intro and outro, ID3 chapters/transcript/cover, and the files beside the MP3."""

from __future__ import annotations

import array
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags

from narrate import build, load_config
from narrate.audio.stitch import stitch
from narrate.audio.settings import Encoding
from narrate.publish.chapters import chapters
from narrate.errors import AudioError, ConfigError
from narrate.model import Article, Block, Clip
from narrate.speech.segment import segment
from narrate.audio.clip_shape import speech_bounds
from narrate.publish.id3 import Cover, EpisodeTags, write_tags
from narrate.tts import BackendSpec, create_backend
from narrate.publish.transcripts import LINE_LENGTH

from . import fake_backend
from .conftest import REPO, make_project

RATE = 44100
INTRO_LINE = "This article was narrated by a computer voice for {feed}."
TRUE_PEAK_READING = 0.1
"""ebur128 prints true peak to 0.1 dB, so a reading of −0.9 may be a true −0.95: allow one step."""


def decoded(path: Path) -> array.array:
    """The MP3's samples as ffmpeg decodes them (independently of narrate)."""
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
        capture_output=True, check=True,
    ).stdout
    return array.array("h", pcm)


def speech_onset(samples: array.array, after: float) -> float:
    """The first moment after `after` seconds where 5 ms of audio rise above 3% of the file's peak."""
    threshold = 0.03 * max(map(abs, samples))
    window = RATE // 200
    for start in range(int(after * RATE), len(samples), window):
        if max(map(abs, samples[start : start + window])) > threshold:
            return start / RATE
    raise AssertionError(f"no sound after {after} s")


def loudness_of(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) as ffmpeg's EBU R128 meter measures the file."""
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr
    summary = log[log.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def ffprobe_chapters(path: Path) -> list[dict]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)["chapters"]


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    """The seed built with a spoken intro and outro, a jingle before it, and the repository's cover."""
    root = tmp_path_factory.mktemp("podcast")
    config = make_project(root)
    shutil.copy(REPO / "docs" / "cover.png", root / "cover.png")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5", "-ac", "1",
         "-c:a", "libmp3lame", str(root / "jingle.mp3")],
        check=True,
    )
    text = config.read_text(encoding="utf-8").replace(
        'category = "News"\n',
        f'category = "News"\nimage = "cover.png"\nintro = "{INTRO_LINE}"\noutro = "Thanks for listening & goodbye."\n'
        'intro_audio = "jingle.mp3"\n',
    )
    config.write_text(text, encoding="utf-8")
    report = build(load_config(config))
    assert not report.failures
    [episode] = report.episodes
    return root, config, episode


def test_the_episode_meets_the_loudness_target_and_true_peak_ceiling(seed_build):
    _, _, episode = seed_build
    integrated, true_peak = loudness_of(episode.audio_path)
    assert abs(integrated - (-16.0)) <= 1.0
    assert true_peak <= -1.0 + TRUE_PEAK_READING


def test_new_loudness_target_and_drawn_cover_rebuild_the_episode(seed_build, tmp_path):
    """The copy's config asks for −23 LUFS and names no image, so the feed's drawn cover becomes the APIC."""
    root, _, episode = seed_build
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    config = copy / "narrate.toml"
    text = config.read_text(encoding="utf-8").replace('image = "cover.png"\n', "")
    config.write_text(text + "\n[audio]\nloudness = -23.0\n", encoding="utf-8")
    report = build(load_config(config))
    [rebuilt] = report.episodes
    assert abs(loudness_of(rebuilt.audio_path)[0] - (-23.0)) <= 1.0
    assert rebuilt.timeline == episode.timeline, "same clips from the cache, same places"
    [cover] = ID3(rebuilt.audio_path).getall("APIC")
    assert report.cover_path is not None and cover.data == report.cover_path.read_bytes()
    assert cover.data != (root / "cover.png").read_bytes()


def test_the_feed_links_the_transcripts_and_chapters(seed_build):
    root, _, episode = seed_build
    xml = (root / "feeds" / "test.xml").read_text(encoding="utf-8")
    base = f"https://podcasts.example.org/news/audio/{episode.names.slug}"
    assert f'<podcast:transcript url="{base}.vtt" type="text/vtt"' in xml
    assert f'<podcast:transcript url="{base}.srt" type="application/x-subrip"' in xml
    assert f'<podcast:chapters url="{base}.chapters.json"' in xml


def test_intro_jingle_then_intro_line_then_title_each_where_the_timeline_says(seed_build):
    _, _, episode = seed_build
    samples = decoded(episode.audio_path)
    intro, title = episode.timeline[0], episode.timeline[1]
    assert intro.segment.kind == "intro"
    assert intro.segment.written == "This article was narrated by a computer voice for Test Feed."
    assert intro.start >= 0.25 + 1.5 + 0.75 - 0.05, "lead-in, the 1.5 s jingle, then a pause"
    assert abs(speech_onset(samples, 0.0) - 0.25) < 0.1, "the jingle plays first"
    assert abs(speech_onset(samples, intro.start - 0.5) - intro.start) < 0.1
    assert abs(speech_onset(samples, title.start - 0.5) - title.start) < 0.1
    assert episode.timeline[-1].segment.kind == "outro"
    assert abs(len(samples) / RATE - episode.duration) < 0.001, "the duration is what a decoder plays"


def test_pauses_between_sentences_are_the_chosen_ones_after_trimming(seed_build):
    _, _, episode = seed_build
    samples = decoded(episode.audio_path)
    for earlier, later in zip(episode.timeline, episode.timeline[1:]):
        chosen = earlier.segment.pause_after
        assert later.start - earlier.end == pytest.approx(chosen, abs=0.002)
        gap_start = int((earlier.end + 0.03) * RATE)
        gap_end = int((later.start - 0.03) * RATE)
        quiet = max(map(abs, samples[gap_start:gap_end]))
        assert quiet < 0.03 * 32768, f"silence between {earlier.segment.written!r} and the next sentence"


def test_id3_has_cover_transcript_and_one_ordered_top_level_chapter_table(seed_build):
    root, _, episode = seed_build
    tags = ID3(episode.audio_path)
    assert tags.version[:2] == (2, 3)
    [cover] = tags.getall("APIC")
    assert cover.data == (root / "cover.png").read_bytes() and cover.mime == "image/png" and cover.type == 3
    [transcript] = tags.getall("USLT")
    assert transcript.text.startswith("This article was narrated by a computer voice for Test Feed.\n\nNATO will do")
    assert episode.article.body[-1] in transcript.text
    [toc] = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert str(toc.sub_frames["TIT2"]) == episode.article.title
    chaps = {chap.element_id: chap for chap in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(chaps) and len(chaps) == len(episode.chapters)
    for element_id, chapter in zip(toc.child_element_ids, episode.chapters):
        assert str(chaps[element_id].sub_frames["TIT2"]) == chapter.title
        assert chaps[element_id].start_time == round(chapter.start * 1000)


def test_ffprobe_lists_the_seed_chapters(seed_build):
    _, _, episode = seed_build
    listed = ffprobe_chapters(episode.audio_path)
    assert [c["tags"]["title"] for c in listed] == [chapter.title for chapter in episode.chapters]
    assert float(listed[0]["start_time"]) == 0.0
    assert float(listed[-1]["end_time"]) == pytest.approx(episode.duration, abs=0.001)


def test_transcripts_and_json_chapters_are_written_beside_the_mp3(seed_build):
    root, _, episode = seed_build
    slug = episode.names.slug
    vtt = (root / "audio" / f"{slug}.vtt").read_text(encoding="utf-8")
    srt = (root / "audio" / f"{slug}.srt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n")
    times = re.findall(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$", vtt, re.M)
    ms = [(int(h1) * 3600000 + int(m1) * 60000 + int(s1) * 1000 + int(f1),
           int(h2) * 3600000 + int(m2) * 60000 + int(s2) * 1000 + int(f2))
          for h1, m1, s1, f1, h2, m2, s2, f2 in times]
    assert len(ms) >= len(episode.timeline)
    assert all(start < end <= following for (start, end), (following, _) in zip(ms, ms[1:]))
    assert ms[0][0] == round(episode.timeline[0].start * 1000)
    assert ms[-1][1] == round(episode.timeline[-1].end * 1000)
    for block in vtt.split("\n\n")[1:-1]:
        lines = block.split("\n")[1:]
        assert 1 <= len(lines) <= 2 and all(len(line) <= LINE_LENGTH for line in lines)
    assert "Thanks for listening &amp; goodbye." in vtt and "Thanks for listening & goodbye." in srt
    assert srt.startswith("1\n00:00:02,") and len(re.findall(r" --> ", srt)) == len(ms)
    payload = json.loads((root / "audio" / f"{slug}.chapters.json").read_text(encoding="utf-8"))
    assert payload == {
        "version": "1.2.0",
        "chapters": [{"startTime": c.start, "title": c.title} for c in episode.chapters],
    }


def test_a_missing_transcript_is_written_again_without_re_encoding(seed_build):
    root, config, episode = seed_build
    vtt = root / "audio" / f"{episode.names.slug}.vtt"
    expected = vtt.read_text(encoding="utf-8")
    mp3_written = episode.audio_path.stat().st_mtime_ns
    vtt.unlink()
    build(load_config(config))
    assert vtt.read_text(encoding="utf-8") == expected
    assert episode.audio_path.stat().st_mtime_ns == mp3_written


def test_section_chapters_start_where_their_heading_is_spoken(tmp_path):
    """An article with headings, spoken by the real default backend, stitched, tagged and read by ffprobe."""
    article = Article(
        source=tmp_path / "a.md", identity="a", title="Chapters test", url="https://news.example.org/a",
        language="en",
        blocks=(
            Block("paragraph", "A short opening paragraph."),
            Block("heading", "First section"),
            Block("paragraph", "The first section says one thing. Then another."),
            Block("heading", "A much longer second section heading"),
            Block("paragraph", "The second section ends the article."),
        ),
    )
    backend = create_backend(BackendSpec("pyttsx3"))
    clips = [Clip(s, backend.synthesize(s.text, "en")) for s in segment(article, backend.max_chars)]
    mp3 = tmp_path / "a.mp3"
    stitched = stitch(clips, Encoding(RATE, 64), mp3)
    found = chapters(stitched.timeline, len(decoded(mp3)) / RATE)
    write_tags(mp3, EpisodeTags("Chapters test", "Me", "Feed", None, article.url, "text", Cover(b"\x89PNG", "image/png")), found)

    listed = ffprobe_chapters(mp3)
    assert [c["tags"]["title"] for c in listed] == ["Chapters test", "First section", "A much longer second section heading"]
    samples = decoded(mp3)
    for chapter in listed[1:]:
        start = float(chapter["start_time"])
        assert abs(speech_onset(samples, start - 0.5) - start) <= 0.1
    assert str(ID3(mp3).getall("WXXX")[0].url) == "https://news.example.org/a"


def test_trimming_removes_edge_silence_but_keeps_a_margin():
    rate = 22050
    tone = array.array("h", [0] * 2205 + [8000 if i % 20 < 10 else -8000 for i in range(4410)] + [0] * 6615)
    start, end = speech_bounds(tone.tobytes(), rate)
    assert start == pytest.approx(2205 - 441, abs=rate // 1000)
    assert end - start == pytest.approx(4410 + 2 * 441, abs=2 * rate // 1000)
    assert speech_bounds(bytes(1000), rate) == (0, 500)


def test_loudness_and_intro_settings_are_checked(tmp_path):
    config = make_project(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace('category = "News"\n', 'category = "News"\nintro_audio = "nope.mp3"\n')
        + "\n[audio]\nloudness = -2.0\ntrue_peak = 1.0\nquality = 12\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    problems = " ".join(raised.value.problems)
    for key in ("feed.intro_audio", "audio.loudness", "audio.true_peak", "audio.quality"):
        assert key in problems


def test_an_intro_ffmpeg_cannot_decode_stops_the_build_before_any_speech(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    (tmp_path / "jingle.mp3").write_text("not audio at all\n", encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('category = "News"\n', 'category = "News"\nintro_audio = "jingle.mp3"\n'), "utf-8")
    with pytest.raises(AudioError, match=r"jingle\.mp3: ffmpeg cannot decode this file as audio"):
        build(load_config(config))
    assert backend.spoken == [], "nothing was synthesised"
    assert not list(tmp_path.glob("audio/*.mp3"))
