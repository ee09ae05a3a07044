"""The embeddable player in a real browser: Debian's Chromium, driven by Playwright, against `narrate serve`.

One real build (espeak-ng, ffmpeg) and one preview server per module; each test gets a fresh page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from narrate.readers import read_article
from tests.conftest import make_project

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
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
HOSTILE = """\
date 2024-11-02
Breaking <script>window.__pwned = "title"</script> & "quotes" 'too' 🎧 news

A first paragraph with <script>window.__pwned = "body"</script> inside & an emoji 🎧.

A second one with <img src=x onerror="window.__pwned = 'img'"> and "double" & 'single' quotes.
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
        return next(p.stem for p in (self.root / "embeds").glob("*.html") if title_word in p.stem)

    def feed_durations(self) -> dict[str, int]:
        """itunes:duration of each item, by the MP3's file name."""
        feed = ET.parse(next((self.root / "feeds").glob("*.xml")))
        return {
            item.find("enclosure").get("url").rsplit("/", 1)[1]: int(item.find(f"{ITUNES}duration").text)
            for item in feed.iter("item")
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("embed")
    config = make_project(root, backend="espeak-ng")
    (root / "seeds" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    build = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    command = [sys.executable, "-m", "narrate", "serve", "--config", str(config), "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "300"}) as server:
        try:
            url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group()
            built = Site(root, url, root / "seeds")
            paste_into_article_page(built, built.slug("nato"))
            yield built
        finally:
            server.terminate()


def paste_into_article_page(site: Site, slug: str) -> None:
    """What a newsroom does with the snippet (or the oEmbed iframe): paste it into an article page of its own."""
    snippet = (site.root / "embeds" / f"{slug}.html").read_text(encoding="utf-8")
    filler = "<p>The newsroom's own article text.</p>\n" * 30
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title>
<link rel="icon" href="data:,"></head><body><article><h1>An article</h1>{snippet}{filler}</article></body></html>"""
    (site.root / "host").mkdir()
    (site.root / "host" / "article.html").write_text(page, encoding="utf-8")
    iframe = json.loads((site.root / "embeds" / f"{slug}.oembed.json").read_text(encoding="utf-8"))["html"]
    page = page.replace(snippet, iframe)
    (site.root / "host" / "iframe.html").write_text(page, encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's launch() gives Chromium a fresh temporary user-data-dir of its own.
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 720, "height": 640})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def open_player(page: object, site: Site, slug: str) -> None:
    page.goto(f"{site.url}embeds/{slug}/")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")


def test_audio_duration_matches_the_feed(page: object, site: Site) -> None:
    slug = site.slug("nato")
    open_player(page, site, slug)
    duration = page.evaluate("() => document.querySelector('audio').duration")
    assert abs(duration - site.feed_durations()[f"{slug}.mp3"]) <= 0.5


def test_captions_track_loads_the_episodes_transcript(page: object, site: Site) -> None:
    open_player(page, site, site.slug("nato"))
    first_cue = page.evaluate(
        """() => new Promise((done, fail) => {
            const track = document.querySelector('track');
            track.addEventListener('load', () => done(track.track.cues[0].text));
            track.addEventListener('error', () => fail(new Error('captions did not load')));
            track.track.mode = 'hidden';
        })"""
    )
    first_passage = page.locator(".narrate-transcript [data-start]").first.text_content()
    assert first_cue.split()[0] in page.locator(".narrate-title").text_content() + first_passage


def test_play_starts_playback_and_time_advances(page: object, site: Site) -> None:
    open_player(page, site, site.slug("nato"))
    page.evaluate("() => { const audio = document.querySelector('audio'); audio.muted = true; return audio.play(); }")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.5", timeout=15_000)
    assert page.evaluate("() => document.querySelector('audio').paused") is False


def test_clicking_the_third_paragraph_seeks_there_and_highlights_it(page: object, site: Site) -> None:
    open_player(page, site, site.slug("nato"))
    third = page.locator(".narrate-transcript p[data-start]").nth(2)
    start = float(third.get_attribute("data-start"))
    assert start > 0
    page.evaluate(
        """() => { const audio = document.querySelector('audio');
        window.seeked = new Promise(done => audio.addEventListener('seeked', () => done(audio.currentTime), {once: true})); }"""
    )
    third.click()
    assert abs(page.evaluate("() => window.seeked") - start) <= 0.3
    assert third.get_attribute("class") == "narrate-current"
    assert third.get_attribute("aria-current") == "true"
    assert page.locator(".narrate-current").count() == 1


def test_the_highlight_moves_on_as_playback_reaches_the_next_paragraph(page: object, site: Site) -> None:
    open_player(page, site, site.slug("nato"))
    first, second = page.locator(".narrate-transcript p[data-start]").nth(0), page.locator(".narrate-transcript p[data-start]").nth(1)
    just_before = float(second.get_attribute("data-start")) - 0.6
    page.evaluate("at => { const audio = document.querySelector('audio'); audio.muted = true; audio.currentTime = at; }", just_before)
    page.wait_for_function("() => document.querySelectorAll('.narrate-transcript p[data-start]')[0].classList.contains('narrate-current')")
    page.evaluate("() => document.querySelector('audio').play()")
    page.wait_for_function(
        "() => document.querySelectorAll('.narrate-transcript p[data-start]')[1].classList.contains('narrate-current')",
        timeout=15_000,
    )
    assert first.get_attribute("class") in (None, "")
    assert page.locator(".narrate-current").count() == 1


def test_the_spoken_passage_follows_playback_into_view(page: object, site: Site) -> None:
    slug = site.slug("nato")
    page.goto(f"{site.url}host/article.html")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")
    last = page.locator(".narrate-transcript [data-start]").last
    page.evaluate("start => { document.querySelector('audio').currentTime = start; }", float(last.get_attribute("data-start")))
    page.wait_for_function("() => document.querySelector('.narrate-transcript [data-start]:last-child.narrate-current')")
    page.wait_for_function(
        """() => { const box = document.querySelector('.narrate-transcript').getBoundingClientRect();
        const line = document.querySelector('.narrate-current').getBoundingClientRect();
        return line.top >= box.top - 1 && line.top < box.bottom; }"""
    )
    assert page.evaluate("() => window.scrollY") == 0, "following the voice must not scroll the host page"
    assert slug in page.locator("audio").get_attribute("src")


def test_the_oembed_iframe_plays_and_seeks_inside_an_article_page(page: object, site: Site) -> None:
    page.goto(f"{site.url}host/iframe.html")
    frame = page.frame_locator("iframe")
    frame.locator("audio").evaluate("audio => audio.readyState >= 1 || new Promise(r => audio.onloadedmetadata = r)")
    second = frame.locator(".narrate-transcript p[data-start]").nth(1)
    second.click()
    assert second.get_attribute("class") == "narrate-current"
    seconds = frame.locator("audio").evaluate("audio => audio.currentTime")
    assert abs(seconds - float(second.get_attribute("data-start"))) <= 0.3
    assert page.problems == []


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_colours_follow_the_readers_scheme_and_motion_preference(browser: object, site: Site, scheme: str, dark: bool) -> None:
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(f"{site.url}embeds/{site.slug('nato')}/")
        page.wait_for_function("() => document.querySelector('.narrate-ready')")
        background = page.evaluate("() => getComputedStyle(document.querySelector('figure')).backgroundColor")
        red, green, blue = map(int, re.findall(r"\d+", background)[:3])
        assert (red + green + blue < 3 * 128) == dark, background
        transition = page.evaluate("() => getComputedStyle(document.querySelector('[data-start]')).transitionDuration")
        assert transition == "0s"
    finally:
        context.close()


def test_keyboard_and_speed_controls(page: object, site: Site) -> None:
    open_player(page, site, site.slug("nato"))
    page.locator(".narrate-transcript [data-start]").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => Math.abs(document.querySelector('audio').currentTime - 15) < 0.3")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('audio').currentTime < 0.3")
    page.evaluate("() => { document.querySelector('audio').muted = true; }")
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('audio').paused")
    page.get_by_label("Playback speed").select_option("1.5")
    assert page.evaluate("() => document.querySelector('audio').playbackRate") == 1.5
    assert page.get_by_role("button", name="Back 15 seconds").count() == 1
    assert page.get_by_role("button", name="Forward 15 seconds").count() == 1


def test_hostile_article_text_stays_text(page: object, site: Site) -> None:
    article = read_article(site.seeds / "hostile.txt", site.seeds)
    slug = site.slug("breaking")
    for path in (f"embeds/{slug}/", "index.html"):
        page.goto(site.url + path)
        page.wait_for_function("() => document.querySelector('.narrate-ready')")
        titles = page.locator(".narrate-title").all_text_contents()
        assert article.title in titles
        assert "<script>" in article.title and "🎧" in article.title
        body = page.locator(".narrate-transcript").first.text_content()
        assert '<img src=x onerror="window.__pwned = \'img\'">' in body
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator(".narrate-transcript script, .narrate-transcript img, figcaption script").count() == 0
    assert page.problems == []


def test_without_javascript_the_plain_player_and_text_remain(browser: object, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site.url}embeds/{site.slug('nato')}/")
        assert page.locator("audio[controls]").count() == 1
        assert page.locator(".narrate-transcript p").count() >= 3
        assert page.locator(".narrate-controls").count() == 0
    finally:
        context.close()


def test_screenshot_of_the_seed_embed_is_not_blank(page: object, site: Site, tmp_path_factory: pytest.TempPathFactory) -> None:
    open_player(page, site, site.slug("nato"))
    shot = tmp_path_factory.mktemp("screenshots") / "seed-embed.png"
    page.screenshot(path=str(shot))
    image = Image.open(shot).convert("L")
    assert image.size == (720, 640)
    assert ImageStat.Stat(image).var[0] > 500
    assert page.problems == []


def test_embed_assets_stay_small(site: Site) -> None:
    """The player's own weight (snippet markup, script, stylesheet) stays under 20 KB for the seed."""
    slug = site.slug("nato")
    total = sum((site.root / "embeds" / name).stat().st_size for name in (f"{slug}.html", "player.js", "player.css"))
    assert total < 20 * 1024
