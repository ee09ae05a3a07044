"""The feed: Apple's required tags, the Podcasting 2.0 tags, the cover, and their checks."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from narrate import build, load_config
from narrate.files import Publication
from narrate.config.checks import cover_problems
from narrate.publish.cover import render_cover
from narrate.errors import ConfigError
from narrate.publish.podcast_namespace import podcast_guid
from narrate.publish.staging import feed_item

from . import fake_backend
from .conftest import make_project

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def parsed_feed(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def text_of(root: etree._Element, path: str) -> str:
    [element] = root.xpath(path, namespaces=NS)
    return element if isinstance(element, str) else element.text


@pytest.mark.parametrize(
    ("feed_url", "expected"),
    [
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("http://podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ],
)
def test_podcast_guid_matches_the_namespace_examples(feed_url, expected):
    assert podcast_guid(feed_url) == expected


@pytest.fixture
def counted_build(tmp_path, monkeypatch):
    """The seed built with the counting backend: the feed stage is real, the speech is a tone."""
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    return tmp_path, config, build(load_config(config))


def test_channel_has_apple_and_podcasting_2_tags(counted_build):
    root, _, report = counted_build
    feed = parsed_feed(report.feed_path)
    channel = "/rss/channel"
    assert text_of(feed, f"{channel}/title") == "Test Feed"
    assert text_of(feed, f"{channel}/language") == "en"
    assert text_of(feed, f"{channel}/itunes:explicit") == "false"
    assert text_of(feed, f"{channel}/itunes:type") == "episodic"
    assert text_of(feed, f"{channel}/itunes:category/@text") == "News"
    assert text_of(feed, f"{channel}/itunes:owner/itunes:email") == "owner@example.org"
    assert text_of(feed, f"{channel}/itunes:image/@href") == "https://podcasts.example.org/news/feeds/test-cover.png"
    guid = text_of(feed, f"{channel}/podcast:guid")
    assert guid == str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
                                  "podcasts.example.org/news/feeds/test.xml"))
    assert text_of(feed, f"{channel}/podcast:locked") == "yes"
    assert text_of(feed, f"{channel}/podcast:locked/@owner") == "owner@example.org"
    assert text_of(feed, f"{channel}/podcast:medium") == "podcast"
    assert text_of(feed, f"{channel}/podcast:person[@role='author']") == "Test Newsroom"
    assert report.cover_path == root / "feeds" / "test-cover.png"


def test_item_has_apple_tags_author_and_the_synthetic_voice_disclosure(counted_build):
    _, _, report = counted_build
    [item] = parsed_feed(report.feed_path).xpath("/rss/channel/item")
    assert text_of(item, "itunes:episodeType") == "full"
    assert int(text_of(item, "itunes:duration")) == round(report.episodes[0].duration)
    assert text_of(item, "link") == "https://podcasts.example.org/news/"
    assert text_of(item, "podcast:person[@group='writing']") == "Martin Fornusek"
    assert text_of(item, "description").endswith("read aloud by a synthetic (text-to-speech) voice from the written article.")
    notes = text_of(item, "content:encoded")
    assert notes.startswith("<p>NATO will not back down") and "synthetic (text-to-speech) voice" in notes


def listed_companions(feed: Path) -> dict[str, str]:
    """type → URL of the item's transcripts and chapters."""
    [item] = parsed_feed(feed).xpath("/rss/channel/item")
    found = item.xpath("podcast:transcript | podcast:chapters", namespaces=NS)
    assert all(tag.get("language", "en") == "en" for tag in found)
    return {tag.get("type"): tag.get("url") for tag in found}


def test_the_feed_lists_the_transcripts_and_chapters_published_beside_the_episode(counted_build):
    _, config, report = counted_build
    mp3 = report.episodes[0].audio_path
    base = f"https://podcasts.example.org/news/audio/{mp3.stem}"
    expected = {
        "text/vtt": f"{base}.vtt",
        "application/x-subrip": f"{base}.srt",
        "application/json+chapters": f"{base}.chapters.json",
    }
    assert listed_companions(report.feed_path) == expected
    assert all(mp3.with_suffix(url.removeprefix(base)).is_file() for url in expected.values())

    mp3.with_suffix(".srt").unlink()
    assert listed_companions(build(load_config(config)).feed_path) == expected
    assert mp3.with_suffix(".srt").is_file(), "a deleted transcript is published again, never listed missing"


def test_an_item_without_companion_files_lists_none(counted_build):
    _, config, report = counted_build
    [episode] = report.episodes
    settings = load_config(config)
    feed, output = settings.feed, settings.paths.output
    item = feed_item(episode, feed, output, Publication())
    for suffix in (".vtt", ".srt", ".chapters.json"):
        episode.audio_path.with_suffix(suffix).unlink()
    bare = feed_item(episode, feed, output, Publication())
    assert (len(item.transcripts), bool(item.chapters_url)) == (2, True)
    assert (bare.transcripts, bare.chapters_url) == ((), None)


def add_feed_keys(config: Path, lines: str) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('category = "News"\n', f'category = "News"\n{lines}'), encoding="utf-8")


def test_configured_type_lock_and_guid_are_written(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    moved_guid = "9b024349-ccf0-5f69-a609-6b82873eab3c"
    add_feed_keys(config, f'type = "serial"\nlocked = false\nguid = "{moved_guid}"\n')
    feed = parsed_feed(build(load_config(config)).feed_path)
    assert text_of(feed, "/rss/channel/itunes:type") == "serial"
    assert text_of(feed, "/rss/channel/podcast:locked") == "no"
    assert text_of(feed, "/rss/channel/podcast:guid") == moved_guid


def test_generated_cover_is_a_deterministic_3000px_rgb_png():
    first = render_cover("Morning briefing: the news, read aloud")
    assert first == render_cover("Morning briefing: the news, read aloud")
    assert first != render_cover("Evening briefing")
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size, image.mode) == ("PNG", (3000, 3000), "RGB")
    colours = image.convert("L").getcolors(maxcolors=1 << 16)
    assert colours and any(value > 240 for _, value in colours), "white title text was drawn"


def test_a_rebuild_does_not_rewrite_the_generated_cover(counted_build):
    root, config, report = counted_build
    before = report.cover_path.stat().st_mtime_ns
    assert build(load_config(config)).cover_path.stat().st_mtime_ns == before
    assert cover_problems(report.cover_path) == []


def save_image(path: Path, size: tuple[int, int], mode: str = "RGB", kind: str = "PNG") -> Path:
    Image.new(mode, size).save(path, format=kind)
    return path


def test_cover_problems_name_what_apple_would_refuse(tmp_path):
    assert cover_problems(save_image(tmp_path / "ok.jpg", (1400, 1400), kind="JPEG")) == []
    assert "must be square" in cover_problems(save_image(tmp_path / "wide.png", (2000, 1500)))[0]
    assert "1400 to 3000 px" in cover_problems(save_image(tmp_path / "small.png", (600, 600)))[0]
    assert "1400 to 3000 px" in cover_problems(save_image(tmp_path / "huge.png", (3200, 3200)))[0]
    assert "CMYK" in cover_problems(save_image(tmp_path / "print.jpg", (1400, 1400), "CMYK", "JPEG"))[0]
    (tmp_path / "text.png").write_text("not an image", encoding="utf-8")
    assert "not an image" in cover_problems(tmp_path / "text.png")[0]
    assert "rename it unnamed.png" in cover_problems(save_image(tmp_path / "unnamed", (1400, 1400)))[0]
    assert "rename it photo.jpg" in cover_problems(save_image(tmp_path / "photo.png", (1400, 1400), kind="JPEG"))[0]


def test_a_decompression_bomb_cover_is_one_problem_not_a_traceback(tmp_path):
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    side = 20_000  # 400 million pixels: Pillow refuses to open it at all
    rows = zlib.compress(b"\x00" * (side + 1) * side, 9)
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    [problem] = cover_problems(bomb)
    assert "so many pixels" in problem


def test_a_bad_cover_and_a_bad_type_are_config_errors_reported_together(tmp_path):
    config = make_project(tmp_path, seeds=False)
    save_image(tmp_path / "small.png", (800, 600))
    add_feed_keys(config, 'image = "small.png"\ntype = "daily"\nguid = "not-a-uuid"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    message = str(caught.value)
    assert "feed.image 'small.png' is 800x600 px; a cover must be square" in message
    assert "feed.type must be 'episodic' or 'serial', not 'daily'" in message
    assert "feed.guid must be a UUID" in message
