"""Shared fixtures: a throw-away project folder with the repository's seed article and a config."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import feedparser
import podcastparser
import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

BASE_URL = "https://podcasts.example.org/news/"
CONFIG = """\
[feed]
name = "test"
title = "Test Feed"
description = "Articles read aloud for the test suite."
base_url = "{base_url}"
author = "Test Newsroom"
owner_email = "owner@example.org"
language = "en"
category = "News"

[voice]
backend = "{backend}"

[build]
jobs = 1
"""


def make_project(root: Path, backend: str = "pyttsx3", seeds: bool = True) -> Path:
    """A project folder with narrate.toml and (optionally) the seed articles; returns the config path."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    if seeds:
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, root / "seeds" / seed.name)
    config = root / "narrate.toml"
    config.write_text(CONFIG.format(backend=backend, base_url=BASE_URL), encoding="utf-8")
    return config


def published_feed(root: Path) -> dict:
    """The test feed as podcastparser reads it, once checked whole: well-formed XML, no bozo in
    feedparser, and every enclosure it lists in `root/audio` with the stated length."""
    data = (root / "feeds" / "test.xml").read_bytes()
    ElementTree.fromstring(data)
    assert not feedparser.parse(data).bozo
    parsed = podcastparser.parse(BASE_URL + "feeds/test.xml", io.BytesIO(data))
    for episode in parsed["episodes"]:
        [enclosure] = episode["enclosures"]
        path = root / enclosure["url"].removeprefix(BASE_URL)
        assert path.resolve().parent == (root / "audio").resolve(), f"{path} is outside audio/"
        assert path.is_file(), f"{path.name} is listed but missing"
        assert path.stat().st_size == enclosure["file_size"], f"{path.name} is not the listed length"
    return parsed


PUBLISHED = ("audio", "feeds", "embeds", "index.html")
"""What a build publishes below its output folder (the rest, `.narrate`, is its own state)."""


def published_files(root: Path) -> dict[str, bytes]:
    """Every published file's bytes, by its path below `root`: episodes, companions, feeds, covers, players."""
    found = [path for name in PUBLISHED for path in ([root / name] if (root / name).is_file() else sorted((root / name).rglob("*")))]
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in found if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """A SeaweedFS S3 server with an empty bucket, for the whole session (see tests/seaweed.py)."""
    from .seaweed import running_seaweed

    yield from running_seaweed(tmp_path_factory.mktemp("seaweed"))
