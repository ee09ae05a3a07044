"""The embeddable player in a real browser: Debian's Chromium, driven by Playwright, against `narrate serve`.

One real build (espeak-ng, ffmpeg) of an English and a Ukrainian article, one preview server per
module, and mock article pages into which the compact snippet is pasted as a newsroom would; each
test gets a fresh page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import escape, unescape
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from narrate.publish.follow_along import fold
from narrate.readers import read_article
from tests.conftest import REPO, make_project

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # Chromium refuses to run as root with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "tests" / "clients" / "node_modules" / "axe-core" / "axe.min.js"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
HOSTILE = """\
date 2024-11-02
Breaking <script>window.__pwned = "title"</script> & "quotes" 'too' 🎧 news

A first paragraph with <script>window.__pwned = "body"</script> inside & an emoji 🎧.

A second one with <img src=x onerror="window.__pwned = 'img'"> and "double" & 'single' quotes.
"""
UKRAINIAN = """\
---
date: 2024-12-01
lang: uk
---

# Старий міст знову відкрили

Старий міст через річку знову відкрили сьогодні вранці. Мер з'явився на церемонії.

Трамваї поїдуть мостом уже завтра. Автобуси повернуться в понеділок.

Мешканці кажуть, що чекали на це пів року.
"""
ARTICLE_PAGE = """<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><link rel="icon" href="data:,"><title>{title} · The Daily Example</title>
<style>body{{max-width:40rem;margin:0 auto;padding:0 1rem;font:18px/1.6 Georgia,serif;background:Canvas;color:CanvasText}}
header{{border-bottom:1px solid;padding:.5rem 0}} h1{{font-size:1.8rem;line-height:1.2}}
@media (prefers-color-scheme:dark){{a{{color:#9cc3ff}}}}</style></head>
<body><header><a href="/">The Daily Example</a></header>
<main><article><h1>{title}</h1>
{players}<p class="byline">By the newsroom, with an <a href="#ad">advert</a> nobody reads aloud.</p>
{paragraphs}</article></main>
<footer><p>{first}</p></footer></body></html>
"""

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),  # in CI a missing browser is a failure
    reason="Debian chromium is not installed (bash .ci/install --dev)",
)


class Site:
    """The built output folder as the preview server shows it."""

    def __init__(self, root: Path, url: str, seeds: Path) -> None:
        self.root, self.url, self.seeds = root, url, seeds

    def slug(self, title_word: str) -> str:
        """The slug of the episode whose title holds the word (in its slug, or in its snippet for a
        title that has no Latin slug)."""
        snippets = sorted((self.root / "embeds").glob("*.html"))
        return next(p.stem for p in snippets if title_word in p.stem or title_word in p.read_text(encoding="utf-8"))

    def snippet(self, title_word: str) -> str:
        return (self.root / "embeds" / f"{self.slug(title_word)}.html").read_text(encoding="utf-8")

    def feed_durations(self) -> dict[str, int]:
        """itunes:duration of each item, by the MP3's file name."""
        feed = ET.parse(next((self.root / "feeds").glob("*.xml")))
        return {
            item.find("enclosure").get("url").rsplit("/", 1)[1]: int(item.find(f"{ITUNES}duration").text)
            for item in feed.iter("item")
        }

    def guid(self, title_word: str) -> str:
        return re.search(r'data-guid="([^"]+)"', self.snippet(title_word)).group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("embed")
    config = make_project(root, backend="espeak-ng")
    (root / "seeds" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "seeds" / "mist.md").write_text(UKRAINIAN, encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    command = [sys.executable, "-m", "narrate", "serve", "--config", str(config), "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "300"}) as server:
        try:
            url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group()
            built = Site(root, url, root / "seeds")
            write_article_pages(built)
            yield built
        finally:
            server.terminate()


def article_page(site: Site, seed: str, players: str, retyped: bool = True) -> str:
    """The article as a newsroom's page shows it, `players` pasted after the headline. `retyped` sets
    its text as a CMS would: typographic quotes and apostrophes, a link, a soft hyphen, no-break spaces."""
    article = read_article(site.seeds / seed, site.seeds)
    paragraphs = [escape(block.text, quote=False) for block in article.blocks]
    if retyped:
        paragraphs = [re.sub(r"'", "’", re.sub(r'"([^"]*)"', r"“\1”", text)) for text in paragraphs]
        first_word = paragraphs[1].split()[1]
        paragraphs[1] = paragraphs[1].replace(first_word, f'<a href="#w">{first_word}</a>', 1).replace(" ", "&nbsp;", 2)
        long_word = next(word for word in paragraphs[2].split() if len(word) >= 8)
        paragraphs[2] = paragraphs[2].replace(long_word, long_word[:4] + "&shy;" + long_word[4:], 1)
    body = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    language = article.language or "en"
    return ARTICLE_PAGE.format(
        language=language, title=escape(article.title), players=players, paragraphs=body, first=paragraphs[0]
    )


def write_article_pages(site: Site) -> None:
    """What a newsroom does with the snippet (or the oEmbed iframe): paste it into an article page of its own."""
    (site.root / "host").mkdir()
    pages = {
        "article.html": article_page(site, "000_a3b3e9c99c223144.txt", site.snippet("nato")),
        "uk.html": article_page(site, "mist.md", site.snippet("міст")),
        "two.html": article_page(site, "000_a3b3e9c99c223144.txt", site.snippet("nato") + site.snippet("міст")),
        "elsewhere.html": article_page(site, "hostile.txt", site.snippet("nato"), retyped=False),
    }
    iframe = json.loads((site.root / "embeds" / f"{site.slug('nato')}.oembed.json").read_text(encoding="utf-8"))["html"]
    pages["iframe.html"] = pages["article.html"].replace(site.snippet("nato"), iframe)
    for name, html in pages.items():
        (site.root / "host" / name).write_text(html, encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's launch() gives Chromium a fresh temporary user-data-dir of its own.
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser: object, **options: object) -> object:
    page = browser.new_context(**{"viewport": {"width": 720, "height": 640}, **options}).new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    page = new_page(browser)
    yield page
    page.context.close()


def open_ready(page: object, url: str) -> None:
    """Open a page and wait until its first player is set up and knows its audio's length."""
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.narrate-ready audio').readyState >= 1")


def spoken_sentence(page: object) -> tuple[int, str] | None:
    """Which of the article's paragraphs holds the highlighted sentence, and the sentence's text."""
    return page.evaluate(
        """() => { const highlight = CSS.highlights.get('narrate');
        if (!highlight || !highlight.size) return null;
        const [range] = highlight, paragraphs = [...document.querySelectorAll('article > p:not(.byline)')];
        const node = range.commonAncestorContainer;
        const paragraph = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement).closest('p');
        return [paragraphs.indexOf(paragraph), range.toString()]; }"""
    )


def transcript(site: Site, title_word: str) -> list[list[tuple[float, float, str]]]:
    """The iframe page's transcript: per paragraph, each sentence's data-start, data-end and text."""
    html = (site.root / "embeds" / site.slug(title_word) / "index.html").read_text(encoding="utf-8")
    sentence = re.compile(r'<span data-start="([\d.]+)" data-end="([\d.]+)">(.*?)</span>')
    return [
        [(float(start), float(end), unescape(text)) for start, end, text in sentence.findall(paragraph)]
        for paragraph in re.findall(r"<p>(.*?)</p>", html.split('class="narrate-text"')[1])
    ]


def play_muted_from(page: object, seconds: float) -> None:
    page.evaluate(
        "at => { const audio = document.querySelector('audio'); audio.muted = true; audio.currentTime = at; return audio.play(); }",
        seconds,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pasted_bar_leaves_the_headline_and_first_paragraph_in_the_first_screen(
    browser: object, site: Site, viewport: dict
) -> None:
    page = new_page(browser, viewport=viewport)
    try:
        open_ready(page, f"{site.url}host/article.html")
        bottoms = page.evaluate(
            """() => ['h1', 'article > p:not(.byline)', '.narrate-player']
            .map(selector => document.querySelector(selector).getBoundingClientRect())
            .map(box => [box.bottom, box.height])"""
        )
        (headline, _), (first_paragraph, _), (_, player_height) = bottoms
        assert headline <= viewport["height"] and first_paragraph <= viewport["height"]
        assert player_height < 120
        assert page.locator("figure h1, figure .narrate-title, figure .narrate-transcript").count() == 0
        assert page.get_by_role("button", name="Play").is_visible()
        assert page.locator("figure audio").is_hidden()
        assert page.problems == []
    finally:
        page.context.close()


def test_playing_highlights_the_spoken_sentence_inside_the_pages_own_paragraphs(page: object, site: Site) -> None:
    paragraphs = transcript(site, "nato")
    open_ready(page, f"{site.url}host/article.html")
    play_muted_from(page, paragraphs[1][0][0] + 0.2)
    page.wait_for_function("() => CSS.highlights.get('narrate')?.size")
    index, text = spoken_sentence(page)
    assert index == 1 and fold(text) == fold(paragraphs[1][0][2])
    assert page.locator("article > p:not(.byline)").nth(1).get_attribute("aria-current") == "true"
    (_, _, first), (second_start, _, second) = paragraphs[2][:2]
    page.evaluate("at => { document.querySelector('audio').currentTime = at; }", second_start + 0.2)
    page.wait_for_function(
        "text => CSS.highlights.get('narrate').values().next().value.toString().startsWith(text)", arg=second.split()[0]
    )
    index, text = spoken_sentence(page)
    assert index == 2 and fold(text) == fold(second) and fold(first) not in fold(text)
    assert page.locator("[aria-current]").count() == 1
    assert page.evaluate("() => window.scrollY") == 0, "following the voice must not scroll the page"
    assert page.problems == []


def test_clicking_a_page_paragraph_listens_from_its_first_sentence(page: object, site: Site) -> None:
    third = transcript(site, "nato")[2]
    open_ready(page, f"{site.url}host/article.html")
    play_muted_from(page, 0)
    page.wait_for_function("() => document.querySelector('.narrate-follow')")
    page.evaluate(
        """() => { const audio = document.querySelector('audio');
        window.seeked = new Promise(done => audio.addEventListener('seeked', () => done(audio.currentTime), {once: true})); }"""
    )
    paragraph = page.locator("article > p:not(.byline)").nth(2)
    paragraph.click()
    assert abs(page.evaluate("() => window.seeked") - third[0][0]) <= 0.3
    assert paragraph.get_attribute("aria-current") == "true"
    paragraph.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('article > p:not(.byline)')[3].getAttribute('aria-current')")


def test_the_page_is_left_alone_until_play_and_paragraphs_that_do_not_match_always(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}host/article.html")
    untouched = "article p.narrate-follow, article [tabindex], article [aria-current]"
    assert page.locator(untouched).count() == 0
    play_muted_from(page, 0)
    page.wait_for_function("() => document.querySelector('.narrate-follow')")
    article_paragraphs = page.locator("article > p:not(.byline)").count()
    assert page.locator("article > p.narrate-follow[tabindex='0']").count() == article_paragraphs
    assert page.locator(".byline.narrate-follow, footer .narrate-follow").count() == 0


def test_a_page_without_the_articles_paragraphs_still_plays(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}host/elsewhere.html")
    play_muted_from(page, 0)
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.5", timeout=15_000)
    assert page.locator(".narrate-follow").count() == 0
    assert page.evaluate("() => document.querySelector('.narrate-seek').value") != "0"
    assert page.problems == []


def test_a_ukrainian_episode_speaks_ukrainian(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}embeds/{site.slug('міст')}/")
    assert page.locator("html").get_attribute("lang") == page.locator("figure").get_attribute("lang") == "uk"
    assert page.locator(".narrate-label").text_content() == "Слухати статтю"
    assert page.locator(".narrate-meta time").all_text_contents()[0] == "1 грудня 2024 р."
    assert page.locator("summary").text_content() == "Текст"
    assert page.get_by_role("button", name="Відтворити").count() == 1
    assert page.get_by_role("button", name="Назад на 15 секунд").count() == 1
    assert page.get_by_label("Швидкість відтворення").locator("option").all_text_contents()[1] == "1,25×"
    open_ready(page, f"{site.url}host/uk.html")
    assert page.locator(".narrate-label").text_content() == "Слухати статтю"
    first = transcript(site, "міст")[0]
    play_muted_from(page, first[1][0] + 0.2)
    page.wait_for_function("() => CSS.highlights.get('narrate')?.size")
    index, text = spoken_sentence(page)
    assert index == 0 and "з’явився" in text and fold(text) == fold(first[1][2])
    assert page.get_by_role("button", name="Пауза").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["host/article.html", "embeds/{slug}/", "index.html"])
def test_axe_finds_no_accessibility_violations(browser: object, site: Site, path: str, scheme: str) -> None:
    """Before playing and while a sentence is highlighted (the page's paragraphs then seek, too)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed in {AXE.parent.parent}; run `bash .ci/install --dev`")
    page = new_page(browser, color_scheme=scheme)
    try:
        open_ready(page, site.url + path.format(slug=site.slug("nato")))
        page.add_script_tag(path=str(AXE))
        run_axe = """async () => (await axe.run()).violations
            .map(found => `${found.id}: ${found.nodes.map(node => node.target.join(' ')).join(', ')}`)"""
        assert page.evaluate(run_axe) == []
        play_muted_from(page, transcript(site, "nato")[1][0][0])
        page.wait_for_function("() => document.querySelector('[aria-current]')")
        page.evaluate("() => document.querySelector('audio').pause()")
        assert page.evaluate(run_axe) == []
    finally:
        page.context.close()


def test_events_fire_in_order_with_the_episodes_guid(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}host/two.html")
    page.evaluate(
        """() => { window.heard = [];
        for (const name of ['play', 'pause', 'progress', 'ended'])
          document.addEventListener('narrate:' + name, event => window.heard.push(
            [name, event.detail.guid, event.detail.percent ?? null, event.detail.position]));
        window.ended = new Promise(done => document.querySelector('audio').addEventListener('ended', done)); }"""
    )
    play_muted_from(page, 0)
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.3", timeout=15_000)
    page.evaluate("() => document.querySelector('audio').pause()")
    page.evaluate(
        """() => new Promise(done => { const audio = document.querySelector('audio');
        audio.addEventListener('seeked', done, {once: true}); audio.currentTime = audio.duration - 1; })"""
    )
    page.evaluate("() => document.querySelector('audio').play()")
    page.evaluate("() => window.ended")
    heard = page.evaluate("() => window.heard")
    guid = site.guid("nato")
    assert [(name, percent) for name, _, percent, _ in heard] == [
        ("play", None), ("pause", None), ("progress", 25), ("progress", 50), ("progress", 75), ("play", None), ("ended", None),
    ]
    assert {event_guid for _, event_guid, _, _ in heard} == {guid}
    assert page.locator("[aria-current]").count() == 0, "the highlight goes when the episode ends"
    assert heard[1][3] > 0.3 and heard[-1][3] > heard[2][3]


def test_several_players_on_one_page_keep_to_themselves(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}host/two.html")
    page.wait_for_function("() => document.querySelectorAll('.narrate-ready').length === 2")
    assert page.locator("figure [id]").count() == 0
    assert page.locator("figure").nth(1).get_attribute("lang") == "uk"
    page.evaluate("() => { for (const audio of document.querySelectorAll('audio')) audio.muted = true; }")
    page.locator("figure").nth(0).get_by_role("button", name="Play").click()
    page.wait_for_function("() => !document.querySelectorAll('audio')[0].paused")
    page.locator("figure").nth(1).get_by_role("button", name="Відтворити").click()
    page.wait_for_function("() => document.querySelectorAll('audio')[0].paused && !document.querySelectorAll('audio')[1].paused")
    assert page.locator("article > p.narrate-follow").count() == len(transcript(site, "nato")), "only the page's own article follows"


def test_the_bar_works_from_the_keyboard_with_a_visible_focus(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}host/article.html")
    page.evaluate("() => { document.querySelector('audio').muted = true; }")
    page.locator("header a").focus()
    page.keyboard.press("Tab")
    play = page.get_by_role("button", name="Play")
    assert play.evaluate("button => button === document.activeElement && getComputedStyle(button).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('audio').paused")
    assert page.get_by_role("button", name="Pause").count() == 1
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Forward 15 seconds"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 14")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('audio').currentTime < 14")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.querySelector('audio').playbackRate") == 1.25
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Position"
    assert re.fullmatch(r"\d+:\d\d of \d+:\d\d", page.evaluate("() => document.activeElement.getAttribute('aria-valuetext')"))
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('audio').paused")


def test_audio_duration_matches_the_feed(page: object, site: Site) -> None:
    slug = site.slug("nato")
    open_ready(page, f"{site.url}embeds/{slug}/")
    duration = page.evaluate("() => document.querySelector('audio').duration")
    assert abs(duration - site.feed_durations()[f"{slug}.mp3"]) <= 0.5


def test_captions_track_loads_the_episodes_transcript(page: object, site: Site) -> None:
    open_ready(page, f"{site.url}embeds/{site.slug('nato')}/")
    first_cue = page.evaluate(
        """() => new Promise((done, fail) => {
            const track = document.querySelector('track');
            track.addEventListener('load', () => done(track.track.cues[0].text));
            track.addEventListener('error', () => fail(new Error('captions did not load')));
            track.track.mode = 'hidden';
        })"""
    )
    first_sentence = page.locator(".narrate-text [data-start]").first.text_content()
    assert first_cue.split()[0] in page.locator(".narrate-title").text_content() + first_sentence


def test_the_transcript_is_collapsed_and_its_sentences_follow_and_seek(page: object, site: Site) -> None:
    paragraphs = transcript(site, "nato")
    open_ready(page, f"{site.url}embeds/{site.slug('nato')}/")
    assert page.locator(".narrate-text").is_hidden()
    page.locator("summary").click()
    spans = page.locator(".narrate-text span[data-start][data-end]")
    assert spans.count() == sum(len(sentences) for sentences in paragraphs) > len(paragraphs)
    second = page.locator(".narrate-text p").nth(2).locator("span").nth(1)
    page.evaluate(
        """() => { const audio = document.querySelector('audio'); audio.muted = true;
        window.seeked = new Promise(done => audio.addEventListener('seeked', () => done(audio.currentTime), {once: true})); }"""
    )
    second.click()
    assert abs(page.evaluate("() => window.seeked") - float(second.get_attribute("data-start"))) <= 0.3
    assert second.get_attribute("aria-current") == "true" and "narrate-current" in second.get_attribute("class")
    last = spans.last
    page.evaluate("at => { document.querySelector('audio').currentTime = at; }", float(last.get_attribute("data-start")))
    page.wait_for_function("() => document.querySelector('.narrate-text p:last-child span:last-child[aria-current]')")
    page.wait_for_function(
        """() => { const box = document.querySelector('.narrate-text').getBoundingClientRect();
        const line = document.querySelector('[aria-current]').getBoundingClientRect();
        return line.top >= box.top - 1 && line.bottom <= box.bottom + 1; }"""
    )
    assert page.locator("[aria-current]").count() == 1


def test_the_oembed_iframe_plays_and_seeks_inside_an_article_page(page: object, site: Site) -> None:
    page.goto(f"{site.url}host/iframe.html")
    frame = page.frame_locator("iframe")
    frame.locator("audio").evaluate("audio => audio.readyState >= 1 || new Promise(r => audio.onloadedmetadata = r)")
    frame.locator("summary").click()
    sentence = frame.locator(".narrate-text p").nth(1).locator("span").first
    sentence.click()
    assert "narrate-current" in sentence.get_attribute("class")
    seconds = frame.locator("audio").evaluate("audio => audio.currentTime")
    assert abs(seconds - float(sentence.get_attribute("data-start"))) <= 0.3
    assert page.problems == []


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_our_pages_follow_the_readers_colour_scheme(browser: object, site: Site, scheme: str, dark: bool) -> None:
    page = new_page(browser, color_scheme=scheme)
    try:
        for path in (f"embeds/{site.slug('nato')}/", "index.html"):
            open_ready(page, site.url + path)
            background = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
            text = page.evaluate("() => getComputedStyle(document.querySelector('.narrate-play')).color")
            red, green, blue = map(int, re.findall(r"\d+", text)[:3])
            assert (red + green + blue > 3 * 128) == dark, (path, background, text)
    finally:
        page.context.close()


def test_hostile_article_text_stays_text(page: object, site: Site) -> None:
    article = read_article(site.seeds / "hostile.txt", site.seeds)
    slug = site.slug("breaking")
    for path in (f"embeds/{slug}/", "index.html"):
        page.goto(site.url + path)
        page.wait_for_function("() => document.querySelector('.narrate-ready')")
        titles = page.locator(".narrate-title").all_text_contents()
        assert article.title in titles
        assert "<script>" in article.title and "🎧" in article.title
        body = "".join(page.locator(".narrate-text").all_text_contents())
        assert '<img src=x onerror="window.__pwned = \'img\'">' in body
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator(".narrate-text script, .narrate-text img, figcaption script").count() == 0
    assert page.problems == []


def test_without_javascript_the_browsers_player_and_the_text_remain(browser: object, site: Site) -> None:
    page = new_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{site.url}host/article.html")
        assert page.locator("figure audio[controls]").is_visible()
        assert page.locator(".narrate-bar").is_hidden()
        assert page.locator("article > p").count() > 5
        page.goto(f"{site.url}embeds/{site.slug('nato')}/")
        assert page.locator("audio[controls]").is_visible() and page.locator(".narrate-bar").is_hidden()
        page.locator("summary").click()
        assert page.locator(".narrate-text p").count() >= 3 and page.locator(".narrate-text p").first.is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots_of_the_three_pages_are_not_blank(
    browser: object, site: Site, viewport: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Kept in the test's temporary folder for a person to look at."""
    folder = tmp_path_factory.mktemp("screenshots")
    page = new_page(browser, viewport=viewport)
    try:
        for name, path in (("article", "host/article.html"), ("iframe", f"embeds/{site.slug('nato')}/"), ("index", "index.html")):
            open_ready(page, site.url + path)
            shot = folder / f"{name}-{viewport['width']}.png"
            page.screenshot(path=str(shot), full_page=name == "index")
            image = Image.open(shot).convert("L")
            assert image.size[0] == viewport["width"]
            assert ImageStat.Stat(image).var[0] > 100
        assert page.problems == []
    finally:
        page.context.close()


def test_the_players_weight_stays_under_15_kb(site: Site) -> None:
    """The compact snippet of the seed, the shared script and the stylesheet, uncompressed."""
    embeds = site.root / "embeds"
    total = sum((embeds / name).stat().st_size for name in (f"{site.slug('nato')}.html", "player.js", "player.css"))
    assert total < 15 * 1024
    assert not re.search(r'(src|href)="(?!https://podcasts\.example\.org/)', site.snippet("nato")), "no external asset"
