"""Several feeds from one site: [[feeds]] tables select articles by input folder and language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from narrate import build, load_config
from narrate.errors import ConfigError

from . import fake_backend
from .conftest import SEEDS

SHARED = """\
[feed]
title = "Newsroom"
description = "Everything we publish, read aloud."
base_url = "https://podcasts.example.org/news/"
author = "Test Newsroom"
owner_email = "owner@example.org"

[voice]
backend = "counting"

[build]
jobs = 1
"""

FEEDS = """
[[feeds]]
name = "everything"

[[feeds]]
name = "ukraine-desk"
title = "Ukraine desk"
select_folder = "ukraine"

[[feeds]]
name = "english"
title = "In English"
select_language = "en"
"""


def site(root: Path, config_text: str) -> Path:
    """Two articles: the seed at the top of the input, a copy of it below seeds/ukraine/."""
    [seed] = SEEDS.glob("*.txt")
    (root / "seeds" / "ukraine").mkdir(parents=True)
    shutil.copy(seed, root / "seeds" / seed.name)
    shutil.copy(seed, root / "seeds" / "ukraine" / "copy.txt")
    config = root / "narrate.toml"
    config.write_text(config_text, encoding="utf-8")
    return config


def items(feed: Path) -> dict[str, str]:
    """guid → enclosure URL of every item."""
    root = etree.parse(str(feed)).getroot()
    return {item.findtext("guid"): item.find("enclosure").get("url") for item in root.iter("item")}


def test_each_episode_is_in_every_feed_that_selects_it_with_one_guid_and_file(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    report = build(load_config(site(tmp_path, SHARED + FEEDS)))
    assert not report.failures and len(report.episodes) == 2
    feeds = {path.stem: items(path) for path in report.feed_paths}
    assert list(feeds) == ["everything", "ukraine-desk", "english"]
    assert report.feed_path == tmp_path / "feeds" / "everything.xml"
    everything, desk, english = feeds.values()
    assert len(everything) == 2 and english == everything, "both articles are in English"
    [(desk_guid, desk_url)] = desk.items()
    copy = next(e for e in report.episodes if e.article.source.parent.name == "ukraine")
    assert desk_guid == copy.names.guid and desk_url.endswith(f"/audio/{copy.audio_path.name}")
    assert everything[desk_guid] == desk_url, "the same GUID and file in every feed"
    for name in feeds:
        assert (tmp_path / "feeds" / f"{name}-cover.png").is_file(), "each feed gets its own cover"
    channel_titles = [etree.parse(str(path)).findtext("channel/title") for path in report.feed_paths]
    assert channel_titles == ["Newsroom", "Ukraine desk", "In English"], "[feed] gives the defaults"


def test_a_language_no_article_has_gives_an_empty_feed_not_an_error(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = site(tmp_path, SHARED + '\n[[feeds]]\nname = "ukrainian"\nselect_language = "uk"\n')
    report = build(load_config(config))
    assert not report.failures
    assert items(report.feed_path) == {}


def test_the_single_feed_table_still_works_alone(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    report = build(load_config(site(tmp_path, SHARED.replace("[feed]\n", '[feed]\nname = "solo"\n'))))
    assert report.feed_paths == (tmp_path / "feeds" / "solo.xml",)
    assert len(items(report.feed_path)) == 2


def test_every_feed_problem_is_reported_at_once(tmp_path):
    broken = """
[[feeds]]
name = "same"
select_folder = "no-such-folder"

[[feeds]]
name = "same"
base_url = "ftp://example.org/"
type = 3
"""
    config = site(tmp_path, SHARED.replace('title = "Newsroom"\n', "") + broken)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    message = str(caught.value)
    for problem in (
        "feeds[1].title is required",
        "feeds[2].title is required",
        "feeds[1].select_folder 'no-such-folder' is not a folder of the input",
        "feeds[2].base_url must be an http(s) URL",
        "feeds[2].type must be a string",
        "two feeds are named 'same'",
    ):
        assert problem in message, problem


def test_feeds_must_be_tables(tmp_path):
    config = site(tmp_path, 'feeds = "all"\n' + SHARED)
    with pytest.raises(ConfigError, match=r"\[\[feeds\]\] must be one table per feed"):
        load_config(config)
