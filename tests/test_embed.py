"""Embeds from a real build (espeak-ng, ffmpeg): timings, oEmbed, index page, escaping, stable bytes,
the reader's language, and a snippet that keeps to itself on any page."""

from __future__ import annotations

import datetime as dt
import dataclasses
import json
import re
import unicodedata
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

from narrate import build, load_config
from narrate.config import FeedConfig
from narrate.model import Article, Block, Episode, PublishedNames, Segment, TimedSegment
from narrate.pipeline import BuildReport
from narrate.publish.embed import render_embed, render_index, render_oembed, render_page, subscribe_links
from narrate.publish.follow_along import fingerprint, fold, page_timing

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


def test_every_spoken_sentence_of_the_transcript_carries_when_it_is_spoken(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    [episode] = report.episodes
    page = Tags((root / "embeds" / episode.names.slug / "index.html").read_text(encoding="utf-8"))
    spoken = [timed for timed in episode.timeline if timed.segment.source is not None]
    assert [start for start, _ in page.passages] == [round(timed.start, 2) for timed in spoken]
    assert [attrs["data-end"] for _, attrs in page.tags if "data-start" in attrs] == [f"{timed.end:.2f}" for timed in spoken]
    assert [text for _, text in page.passages] == [timed.segment.written for timed in spoken]
    [details] = page.find("details")
    assert "open" not in details, "the transcript starts collapsed"


def test_the_pasted_snippet_is_a_bar_with_no_headline_no_text_and_no_ids(built: tuple[Path, BuildReport]) -> None:
    root, report = built
    [episode] = report.episodes
    html = (root / "embeds" / f"{episode.names.slug}.html").read_text(encoding="utf-8")
    snippet = Tags(html)
    assert [tag for tag, _ in snippet.tags].count("figure") == 1
    assert not {"h1", "h2", "h3", "p", "details"} & {tag for tag, _ in snippet.tags}
    assert episode.article.blocks[0].text[:40] not in html
    assert not any("id" in attrs for _, attrs in snippet.tags), "two players on a page must not share an id"
    [figure] = snippet.find("figure")
    expected = (episode.names.guid, "article p", "en", "ltr")
    assert (figure["data-guid"], figure["data-follow"], figure["lang"], figure["dir"]) == expected
    [audio] = snippet.find("audio")
    assert "controls" in audio and audio["preload"] == "metadata"
    assert audio["src"] == f"https://podcasts.example.org/news/audio/{episode.names.slug}.mp3"
    [track] = snippet.find("track")
    assert track["src"] == f"https://podcasts.example.org/news/audio/{episode.names.slug}.vtt"
    urls = [value for _, attrs in snippet.tags for key, value in attrs.items() if key in ("src", "href")]
    assert all(url.startswith("https://podcasts.example.org/news/") for url in urls), "no third party, no relative URL"
    timing = json.loads(re.search(r'class="narrate-timing">(.*?)</script>', html).group(1))
    assert timing == json.loads(page_timing(episode))


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
    assert len([h2 for h2 in index.find("h2") if h2.get("class") != "narrate-title"]) == 2
    assert len(index.find("audio")) == 2


def test_headings_are_headings_in_the_transcript_and_seekable_too(tmp_path: Path, monkeypatch) -> None:
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    article = "# Bridges reopen\n\nThe old bridge opened today.\n\n## What changes\n\nTrams run again. Buses too.\n"
    (tmp_path / "seeds" / "bridges.md").write_text(article, encoding="utf-8")
    [episode] = build(load_config(config)).episodes
    page = Tags((tmp_path / "embeds" / episode.names.slug / "index.html").read_text(encoding="utf-8"))
    text = page.tags[[tag for tag, _ in page.tags].index("details"):]
    assert [tag for tag, _ in text if tag in ("p", "h2", "h3")] == ["p", "h2", "p"]
    assert [text for _, text in page.passages] == ["The old bridge opened today.", "What changes", "Trams run again.", "Buses too."]
    starts = [start for start, _ in page.passages]
    assert starts == sorted(starts) and starts[0] > 0


def show_in(language: str) -> FeedConfig:
    return FeedConfig(
        title="Desk", description="d", base_url="https://podcasts.example.org/news/", author="a",
        owner_email="a@example.org", name="desk", language=language,
    )


def episode_of(blocks: list[str], sentences: list[list[str]], language: str = "en", url: str | None = None) -> Episode:
    """An episode whose timeline speaks each block's sentences one second apart, after a two-second title."""
    timeline, at = [TimedSegment(Segment("title", "T", "T", None, 0.5), 0.0, 2.0)], 2.0
    for source, written in enumerate(sentences):
        for text in written:
            timeline.append(TimedSegment(Segment("paragraph", text, text, source, 0.25), at, at + 0.75))
            at += 1.0
    article = Article(
        Path("a.md"), "a.md", "Міст", tuple(Block("paragraph", text) for text in blocks), dt.date(2024, 12, 1),
        language=language, url=url,
    )
    names = PublishedNames("mist", "guid-1", dt.datetime(2024, 12, 1, 9, tzinfo=dt.timezone.utc))
    return Episode(article, names, Path("a.mp3"), 133.0, 1000, names.first_published, tuple(timeline))


@pytest.mark.parametrize(
    ("language", "labels", "date", "length", "direction"),
    [
        ("en", "Listen to this article", "1 December 2024", "2 min 13 s", "ltr"),
        ("uk", "Слухати статтю", "1 грудня 2024 р.", "2 хв 13 с", "ltr"),
        ("uk-UA", "Слухати статтю", "1 грудня 2024 р.", "2 хв 13 с", "ltr"),
        ("de", "Artikel anhören", "1. Dezember 2024", "2 Min. 13 Sek.", "ltr"),
        ("he", "האזינו לכתבה", "1 בדצמבר 2024", "2 דק׳ 13 שנ׳", "rtl"),
    ],
)
def test_labels_dates_and_lengths_speak_the_episodes_language(language, labels, date, length, direction) -> None:
    episode = episode_of(["Один."], [["Один."]], language)
    page = render_page(episode, show_in(language))
    primary = language.split("-")[0]
    assert f'<html lang="{primary}" dir="{direction}">' in page
    assert f'lang="{primary}" dir="{direction}" aria-label="{labels}: Міст"' in page
    assert f">{labels}</span>" in page and f">{date}</time>" in page and f">{length}</time>" in page
    assert f'class="narrate-label">{labels}</figcaption>' in render_embed(episode, show_in(language))
    assert "Listen" not in page or language == "en", "no English label left over"


def test_a_language_without_a_table_gets_english_labels_marked_as_english_around_its_own_text() -> None:
    episode = episode_of(["مرحبا بالعالم."], [["مرحبا بالعالم."]], "ar")
    page = render_page(episode, show_in("en"))
    assert 'lang="en" dir="ltr" aria-label="Listen to this article: Міст"' in page
    assert '<h1 class="narrate-title" lang="ar" dir="rtl">' in page
    assert '<div class="narrate-text" role="region" aria-label="Transcript" tabindex="0" lang="ar" dir="rtl">' in page


def test_the_index_shows_each_feeds_cover_links_each_article_and_names_the_show_once() -> None:
    linked = episode_of(["Один."], [["Один."]], "uk", url="https://news.example.org/mist")
    unlinked = episode_of(["Two."], [["Two."]], "en")
    show = show_in("en")
    covers = {"desk": "https://podcasts.example.org/news/feeds/desk-cover.png"}
    index = render_index([(linked, show), (unlinked, show)], [show], covers)
    tags = Tags(index)
    [cover] = tags.find("img")
    assert cover["src"] == "https://podcasts.example.org/news/feeds/desk-cover.png" and cover["alt"] == ""
    assert '<h2 class="narrate-title"><a href="https://news.example.org/mist">Міст</a></h2>' in index
    assert index.count('<h2 class="narrate-title">Міст</h2>') == 1, "an article without a URL has no link"
    cards = index[index.index("<figure"):]
    assert "Desk" not in cards, "the show's name is not repeated on every card"
    assert all("open" not in details for details in tags.find("details"))


def test_page_timing_finds_each_sentence_in_its_paragraph_whatever_the_typography() -> None:
    blocks = ['"Quoted," she said. It\'s done.', "Мер з’явився. Café ﬁnal — 1½ times."]
    episode = episode_of(blocks, [['"Quoted," she said.', "It's done."], ["Мер з'явився.", "Café ﬁnal — 1½ times."]])
    first, second = json.loads(page_timing(episode))
    assert (first[0], second[0]) == (fingerprint(fold(blocks[0])), fingerprint(fold(blocks[1])))
    assert [fold(blocks[0])[at:at + length] for _, _, at, length in first[1:]] == ["quotedshesaid", "itsdone"]
    assert [fold(blocks[1])[at:at + length] for _, _, at, length in second[1:]] == ["мерзявився", "cafefinal112times"]
    assert [sentence[:2] for sentence in first[1:] + second[1:]] == [[2, 2.75], [3, 3.75], [4, 4.75], [5, 5.75]]


def test_a_piece_with_no_written_text_lengthens_its_sentence_and_a_sentence_not_found_keeps_only_its_times() -> None:
    episode = episode_of(["One two. Three."], [["One two.", "", "Elsewhere."]])
    [[_, one, elsewhere]] = json.loads(page_timing(episode))
    assert one == [2, 3.75, 0, 6], "the empty piece's second is the sentence's"
    assert elsewhere == [4, 4.75]


def test_fold_and_fingerprint_are_the_ones_player_js_repeats() -> None:
    """Letters and digits only, lower case, accents dropped whether composed or not; FNV-1a's published values."""
    assert fold("“Café” — naïve\u00ad ﬁsh,\u00a01½") == fold(unicodedata.normalize("NFD", "cafe naive fish 112"))
    assert fold("Мер з’явився") == fold("мер з'явився") == "мерзявився"
    assert (fingerprint(""), fingerprint("a"), fingerprint("foobar")) == tuple(
        base36(value) for value in (0x811C9DC5, 0xE40C292C, 0xBF9CF968)
    )
    script = (files("narrate") / "assets" / "player.js").read_text(encoding="utf-8")
    assert 'normalize("NFKD").toLowerCase().replace(NOT_WORD, "")' in script and "0x811c9dc5" in script


def base36(value: int) -> str:
    return int_to_base(value, 36)


def int_to_base(value: int, base: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[value] if value < base else int_to_base(value // base, base) + digits[value % base]


def test_the_stylesheet_keeps_to_the_players_own_classes() -> None:
    """Pasted into any article page, player.css styles nothing of the page's own."""
    css = re.sub(r"/\*.*?\*/", "", (files("narrate") / "assets" / "player.css").read_text(encoding="utf-8"), flags=re.S)
    selectors = [selector.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css) for selector in rule.split(",")]
    assert selectors and all(
        re.match(r"\.narrate-[\w-]+", selector) or selector == "::highlight(narrate)" for selector in selectors
    ), [selector for selector in selectors if not selector.startswith(".narrate-")]


def test_the_feed_s_player_selector_is_what_a_pasted_player_follows(built: tuple[Path, BuildReport]) -> None:
    _, report = built
    [episode] = report.episodes
    newsroom = dataclasses.replace(show(), player_selector='main .story-body > p[data-x="1"]')
    [figure] = Tags(render_embed(episode, newsroom)).find("figure")
    assert figure["data-follow"] == 'main .story-body > p[data-x="1"]'
