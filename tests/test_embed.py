"""Embeds from a real build (espeak-ng, ffmpeg): timings, oEmbed, index page, escaping, stable bytes."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from narrate import build, load_config
from narrate.pipeline import BuildReport
from narrate.config import FeedConfig
from narrate.publish.embed import render_embed, render_oembed, render_page, subscribe_links

from . import fake_backend
from .conftest import make_project
from .test_several_feeds import SHARED

FEED_URL = "https://podcasts.example.org/news/feeds/test.xml"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside elements that carry data-start."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.passages: list[tuple[float, str]] = []
        self._in_passage = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if "data-start" in dict(attrs):
            self.passages.append((float(dict(attrs)["data-start"]), ""))
            self._in_passage = True

    def handle_endtag(self, tag: str) -> None:
        self._in_passage = False

    def handle_data(self, data: str) -> None:
        if self._in_passage:
            start, text = self.passages[-1]
            self.passages[-1] = (start, text + data)

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = tmp_path_factory.mktemp("embed")
    return root, build(load_config(make_project(root, backend="espeak-ng")))


def show() -> FeedConfig:
    return FeedConfig(
        title="Test Feed", description="d", base_url="https://podcasts.example.org/news/", author="a",
        owner_email="a@example.org", name="test", language="en",
    )


def test_each_paragraph_starts_where_its_first_sentence_is_spoken(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    [episode] = report.episodes
    snippet = Tags((root / "embeds" / f"{episode.names.slug}.html").read_text(encoding="utf-8"))
    expected = {}
    for timed in episode.timeline:
        if timed.segment.source is not None:
            expected.setdefault(timed.segment.source, round(timed.start, 3))
    assert [start for start, _ in snippet.passages] == list(expected.values())
    assert [text for _, text in snippet.passages] == [episode.article.blocks[i].text for i in expected]
    assert [tag for tag, _ in snippet.tags].count("figure") == 1
    [audio] = snippet.find("audio")
    assert "controls" in audio and audio["preload"] == "metadata"
    assert audio["src"] == f"https://podcasts.example.org/news/audio/{episode.names.slug}.mp3"
    [track] = snippet.find("track")
    assert track["src"] == f"https://podcasts.example.org/news/audio/{episode.names.slug}.vtt"


def test_standalone_page_announces_its_oembed_document(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    slug = report.episodes[0].names.slug
    page = Tags((root / "embeds" / slug / "index.html").read_text(encoding="utf-8"))
    [discovery] = [link for link in page.find("link") if link.get("type") == "application/json+oembed"]
    assert discovery["href"] == f"https://podcasts.example.org/news/embeds/{slug}.oembed.json"
    oembed = json.loads((root / "embeds" / f"{slug}.oembed.json").read_text(encoding="utf-8"))
    assert (oembed["version"], oembed["type"], oembed["provider_name"]) == ("1.0", "rich", "Test Feed")
    assert oembed["title"] == report.episodes[0].article.title
    [iframe] = Tags(oembed["html"]).find("iframe")
    assert iframe["src"] == f"https://podcasts.example.org/news/embeds/{slug}/"
    assert (iframe["width"], iframe["height"]) == (str(oembed["width"]), str(oembed["height"]))


def test_index_lists_every_episode_and_subscribe_links(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    index = Tags((root / "index.html").read_text(encoding="utf-8"))
    sources = [audio["src"] for audio in index.find("audio")]
    assert sources == [f"audio/{episode.names.slug}.mp3" for episode in report.episodes]
    links = {attrs["href"] for attrs in index.find("a")}
    assert {link for _, link in subscribe_links(FEED_URL, "Test Feed")} <= links
    assert "overcast://x-callback-url/add?url=https%3A%2F%2Fpodcasts.example.org%2Fnews%2Ffeeds%2Ftest.xml" in links
    assert any(time.get("datetime", "").startswith("PT") for time in index.find("time"))


def test_unchanged_build_leaves_every_embed_file_untouched(built: tuple[Path, BuildReport]) -> None:
    root, _ = built
    written = sorted([*root.glob("embeds/**/*"), root / "index.html"])
    before = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in written if path.is_file()}
    build(load_config(root / "narrate.toml"))
    after = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in written if path.is_file()}
    assert after == before
    assert not list(root.glob("embeds/**/.*.part"))


def test_article_text_is_escaped_everywhere(built: tuple[Path, BuildReport]) -> None:
    _, report = built
    episode = report.episodes[0]
    hostile = "<script>alert('x')</script> & \"quoted\" 🎧"
    article = type(episode.article)(**{**vars(episode.article), "title": hostile, "author": hostile})
    episode = type(episode)(**{**vars(episode), "article": article})
    for html in (render_embed(episode, show()), render_page(episode, show()), json.loads(render_oembed(episode, show()))["html"]):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot; 🎧" in html


SEVERAL_FEEDS = SHARED + """
[[feeds]]
name = "ukraine-desk"
title = "Ukraine desk"
base_url = "https://ukraine.example.org/"
select_folder = "ukraine"

[[feeds]]
name = "everything"
"""


def test_each_player_belongs_to_its_home_feed_and_the_index_offers_every_feed(tmp_path: Path, monkeypatch) -> None:
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    config.write_text(SEVERAL_FEEDS, encoding="utf-8")
    [seed] = (tmp_path / "seeds").glob("*.txt")
    (tmp_path / "seeds" / "ukraine").mkdir()
    (tmp_path / "seeds" / "ukraine" / "desk.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    report = build(load_config(config))
    assert not report.failures and len(report.episodes) == 2
    bases = set()
    for episode in report.episodes:
        [audio] = Tags((tmp_path / "embeds" / f"{episode.names.slug}.html").read_text(encoding="utf-8")).find("audio")
        bases.add(audio["src"].split("audio/")[0])
    assert bases == {"https://podcasts.example.org/news/", "https://ukraine.example.org/"}
    index = Tags((tmp_path / "index.html").read_text(encoding="utf-8"))
    feeds = [link["href"] for link in index.find("link") if link.get("type") == "application/rss+xml"]
    assert feeds == ["https://ukraine.example.org/feeds/ukraine-desk.xml", "https://podcasts.example.org/news/feeds/everything.xml"]
    assert len(index.find("h2")) == 2 and len(index.find("audio")) == 2


def test_headings_are_headings_in_the_transcript_and_seekable_too(tmp_path: Path, monkeypatch) -> None:
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    article = "# Bridges reopen\n\nThe old bridge opened today.\n\n## What changes\n\nTrams run again. Buses too.\n"
    (tmp_path / "seeds" / "bridges.md").write_text(article, encoding="utf-8")
    [episode] = build(load_config(config)).episodes
    snippet = Tags((tmp_path / "embeds" / f"{episode.names.slug}.html").read_text(encoding="utf-8"))
    timed = [(tag, attrs["data-start"]) for tag, attrs in snippet.tags if "data-start" in attrs]
    assert [tag for tag, _ in timed] == ["p", "h3", "p"]
    assert [text for _, text in snippet.passages] == ["The old bridge opened today.", "What changes", "Trams run again. Buses too."]
    starts = [float(start) for _, start in timed]
    assert 0 < starts[0] < starts[1] < starts[2]
