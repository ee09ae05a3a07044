"""Covers: `itunes:image` for any image the feed links, a damaged drawn cover drawn again, and a
small copy of a large cover in the MP3s while the feed links the full file."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from lxml import etree
from mutagen.id3 import ID3
from PIL import Image

from narrate import build, load_config
from narrate.publish.cover import EMBEDDED_BYTES, render_cover

from . import fake_backend
from .conftest import BASE_URL, make_project

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def with_cover(root: Path, image: str) -> Path:
    config = make_project(root, backend="counting")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('category = "News"\n', f'category = "News"\nimage = "{image}"\n'), encoding="utf-8")
    return config


def itunes_image(feed: Path) -> str | None:
    """The channel's itunes:image URL, checked to stand where feedgen's own extension puts it: after the categories."""
    channel = etree.parse(str(feed)).getroot()[0]
    tags = [child.tag for child in channel]
    if f"{ITUNES}image" not in tags:
        return None
    at = tags.index(f"{ITUNES}image")
    assert tags[at - 1] == f"{ITUNES}category", tags
    return channel[at].get("href")


def cover_art(mp3: Path) -> tuple[str, bytes]:
    [picture] = ID3(mp3).getall("APIC")
    return picture.mime, picture.data


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("cover.jpeg", BASE_URL + "feeds/test-cover.jpeg"),
        ("cover.jpg", BASE_URL + "feeds/test-cover.jpg"),
        ("https://cdn.example.org/show-art.jpeg", "https://cdn.example.org/show-art.jpeg"),
        ("https://cdn.example.org/art.png?v=2", "https://cdn.example.org/art.png?v=2"),
        (None, BASE_URL + "feeds/test-cover.png"),
    ],
)
def test_the_feed_names_its_cover_for_apple_whatever_the_image_is_called(tmp_path, monkeypatch, image, expected):
    fake_backend.install(monkeypatch)
    config = with_cover(tmp_path, image) if image else make_project(tmp_path, backend="counting")
    if image and "://" not in image:
        Image.new("RGB", (1400, 1400), "#204060").save(tmp_path / image, format="JPEG")
    report = build(load_config(config))
    assert itunes_image(report.feed_path) == expected


DAMAGES = {
    "truncated": lambda data: data[: len(data) // 2],
    "one byte changed": lambda data: data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:],
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_drawn_cover_is_drawn_again_not_published(tmp_path, monkeypatch, damage):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    build(load_config(config))
    for kept in (tmp_path / ".narrate" / "covers").glob("*.png"):
        kept.write_bytes(damage(kept.read_bytes()))
    [seed] = (tmp_path / "seeds").glob("*.txt")
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more paragraph, so the episode is encoded again.\n")
    report = build(load_config(config))
    drawn = render_cover("Test Feed")
    assert report.cover_path.read_bytes() == drawn
    assert cover_art(report.episodes[0].audio_path) == ("image/png", drawn)


def noise_png(path: Path, side: int) -> bytes:
    """A square PNG of random pixels: megabytes that no compression shrinks, like a large photo."""
    pixels = random.Random(side).randbytes(side * side * 3)
    Image.frombytes("RGB", (side, side), pixels).save(path, format="PNG", compress_level=1)
    return path.read_bytes()


def test_a_large_cover_goes_into_the_mp3s_as_a_small_copy_and_into_the_feed_whole(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = with_cover(tmp_path, "photo.png")
    original = noise_png(tmp_path / "photo.png", 1400)
    assert len(original) > 5_000_000
    report = build(load_config(config))
    assert report.cover_path.read_bytes() == original, "the feed links the full cover"
    mp3 = report.episodes[0].audio_path
    mime, art = cover_art(mp3)
    assert mime == "image/jpeg" and len(art) <= EMBEDDED_BYTES
    with Image.open(io.BytesIO(art)) as copy:
        assert copy.format == "JPEG" and max(copy.size) <= 1400 and copy.size[0] == copy.size[1]
    assert mp3.stat().st_size < 1_000_000

    first = mp3.read_bytes()
    mp3.unlink()  # encoded and tagged again: the copy is made again, to the same bytes
    assert build(load_config(config)).episodes[0].audio_path.read_bytes() == first


def test_a_small_cover_goes_into_the_mp3s_as_it_is(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = with_cover(tmp_path, "cover.png")
    Image.new("RGB", (1400, 1400), "#204060").save(tmp_path / "cover.png", format="PNG")
    report = build(load_config(config))
    assert cover_art(report.episodes[0].audio_path) == ("image/png", (tmp_path / "cover.png").read_bytes())
