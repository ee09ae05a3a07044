"""Publish a "listen to this article" player per episode, an index page, and oEmbed documents.

Everything is rendered from template strings with every piece of article text HTML-escaped, and
uses one small shared script and stylesheet (embeds/player.js, embeds/player.css) and no third
party: no CDN, no fonts, no tracking. The same bytes come out for the same episodes, so an
unchanged build leaves these files untouched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from .. import layout
from ..config import FeedConfig
from ..files import Publication
from ..model import BlockKind, Episode, TimedSegment
from .durations import format_duration

IFRAME_WIDTH, IFRAME_HEIGHT = 640, 480
TAGS: dict[BlockKind, str] = {"paragraph": "p", "heading": "h3"}


@dataclass(frozen=True)
class Passage:
    """A paragraph or heading as the player shows it, and the second its speech starts."""

    kind: BlockKind
    text: str
    start: float


def passages(episode: Episode) -> list[Passage]:
    """The spoken body blocks in order, each timed by its first sentence (the title is not one)."""
    found: dict[int, list[TimedSegment]] = {}
    for timed in episode.timeline:
        if timed.segment.source is not None:
            found.setdefault(timed.segment.source, []).append(timed)
    return [
        Passage(episode.article.blocks[source].kind, " ".join(t.segment.written for t in timed), timed[0].start)
        for source, timed in found.items()
    ]


def stage_embeds(
    listed: Sequence[tuple[Episode, FeedConfig]], shows: Sequence[FeedConfig], output: Path, publication: Publication
) -> None:
    """Stage every embed file below `output`, each episode with its home feed, and the index of all
    `shows`, to move into place with the episodes, before the feeds.

    Files whose bytes would not change are left alone.
    """
    for name in layout.PLAYER_ASSETS:
        publication.stage_bytes(output / layout.player_asset(name), (files("narrate") / "assets" / name).read_bytes())
    for episode, show in listed:
        slug = episode.names.slug
        publication.stage_bytes(output / layout.embed_snippet(slug), render_embed(episode, show).encode())
        publication.stage_bytes(output / layout.embed_page(slug) / layout.INDEX, render_page(episode, show).encode())
        publication.stage_bytes(output / layout.oembed(slug), render_oembed(episode, show).encode())
    publication.stage_bytes(output / layout.INDEX, render_index(listed, shows).encode())


def render_embed(episode: Episode, show: FeedConfig) -> str:
    """The snippet a site pastes into its article template: one <figure>, absolute URLs."""
    assets = (
        f'<link rel="stylesheet" href="{_attr(show.url_of(layout.player_asset("player.css")))}">\n'
        f'<script src="{_attr(show.url_of(layout.player_asset("player.js")))}" defer></script>\n'
    )
    return _figure(episode, show, show.base_url.rstrip("/") + "/", assets)


def render_page(episode: Episode, show: FeedConfig) -> str:
    """A whole page holding only the player, made to live inside an <iframe>."""
    title = escape(episode.article.title)
    oembed = show.url_of(layout.oembed(episode.names.slug))
    discovery = f'<link rel="alternate" type="application/json+oembed" href="{_attr(oembed)}" title="{title}">\n'
    body = f'<body class="narrate-page">\n{_figure(episode, show, "../../", "")}</body>\n'
    return _document(episode.article.language, f"{title} · {escape(show.title)}", discovery, "../", body)


def render_oembed(episode: Episode, show: FeedConfig) -> str:
    """An oEmbed 1.0 "rich" response: what a CMS fetches to embed an episode from its URL."""
    page = show.url_of(layout.embed_page(episode.names.slug))
    title = episode.article.title
    iframe = (
        f'<iframe src="{_attr(page)}" width="{IFRAME_WIDTH}" height="{IFRAME_HEIGHT}" '
        f'title="{_attr("Listen: " + title)}" loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
    document = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "author_name": episode.article.author,
        "provider_name": show.title,
        "provider_url": show.base_url,
        "html": iframe,
        "width": IFRAME_WIDTH,
        "height": IFRAME_HEIGHT,
    }
    present = {key: value for key, value in document.items() if value is not None}
    return json.dumps(present, ensure_ascii=False, indent=2) + "\n"


def render_index(listed: Sequence[tuple[Episode, FeedConfig]], shows: Sequence[FeedConfig]) -> str:
    """The whole site on one page: each feed's subscribe links, then every episode's player, newest first.

    The first show names the page.
    """
    ordered = sorted(listed, key=lambda pair: (pair[0].published, pair[0].names.guid), reverse=True)
    players = "".join(_figure(episode, show, "", "", collapsed=True) for episode, show in ordered)
    feeds = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{_attr(layout.feed_url(show))}" title="{escape(show.title)}">\n'
        for show in shows
    )
    subscribe = "".join(_subscribe(show, heading=len(shows) > 1) for show in shows)
    body = f"""<body>
<main class="narrate-index">
<h1>{escape(shows[0].title)}</h1>
{subscribe}{players}</main>
</body>
"""
    return _document(shows[0].language, escape(shows[0].title), feeds, f"{layout.EMBEDS}/", body)


def _document(language: str, title: str, links: str, assets: str, body: str) -> str:
    """A complete HTML page; `assets` is the relative path to the folder holding player.js and player.css."""
    return f"""<!doctype html>
<html lang="{_attr(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>{title}</title>
{links}<link rel="stylesheet" href="{assets}player.css">
<script src="{assets}player.js" defer></script>
</head>
{body}</html>
"""


def subscribe_links(feed_url: str, title: str) -> list[tuple[str, str]]:
    """(app, link) pairs that open a podcast app ready to subscribe to the feed."""
    bare = feed_url.split("://", 1)[-1]
    encoded = quote(feed_url, safe="")
    return [
        ("Apple Podcasts", f"podcast://{bare}"),
        ("Overcast", f"overcast://x-callback-url/add?url={encoded}"),
        ("Pocket Casts", f"pktc://subscribe/{bare}"),
        ("AntennaPod", f"https://antennapod.org/deeplink/subscribe?url={encoded}&title={quote(title, safe='')}"),
        ("RSS", feed_url),
    ]


def _subscribe(show: FeedConfig, heading: bool) -> str:
    """One feed's subscribe links; `heading` names the feed, for a page that offers several."""
    address = layout.feed_url(show)
    links = "".join(f'<li><a href="{_attr(link)}">{escape(app)}</a></li>\n' for app, link in subscribe_links(address, show.title))
    title = f"<h2>{escape(show.title)}</h2>\n" if heading else ""
    return f"""<nav aria-label="{_attr("Subscribe to " + show.title)}">
{title}<p>Subscribe in your podcast app:</p>
<ul class="narrate-subscribe">
{links}</ul>
<p>Or paste the feed address into any podcast app: <a class="narrate-feed-url" href="{_attr(address)}" \
type="application/rss+xml">{escape(address)}</a></p>
</nav>
"""


def _figure(episode: Episode, show: FeedConfig, prefix: str, assets: str, collapsed: bool = False) -> str:
    """One player; `prefix` is how this page reaches the output folder ("" at its root)."""
    article, slug = episode.article, episode.names.slug
    title = escape(article.title)
    audio, vtt = prefix + layout.episode(slug), prefix + layout.companion(slug, ".vtt")
    date = episode.published.date()
    transcript = "".join(
        f'<{TAGS[p.kind]} data-start="{p.start:.3f}">{escape(p.text)}</{TAGS[p.kind]}>\n' for p in passages(episode)
    )
    box = f'<div class="narrate-transcript" role="region" aria-label="Transcript" tabindex="0">\n{transcript}</div>\n'
    if collapsed:
        box = f"<details>\n<summary>Transcript</summary>\n{box}</details>\n"
    return f"""<figure class="narrate-player" data-narrate lang="{_attr(article.language)}" \
aria-label="{_attr("Listen: " + article.title)}">
<figcaption><span class="narrate-label">Listen to this article</span>
<span class="narrate-title">{title}</span>
<span class="narrate-meta"><time datetime="{date.isoformat()}">{date.day} {date:%B %Y}</time> ·
<time datetime="{_iso_duration(episode.duration)}">{format_duration(episode.duration, "clock")}</time> · {escape(show.title)}</span>
</figcaption>
<audio controls preload="metadata" src="{_attr(audio)}" aria-label="{_attr("Audio: " + article.title)}">
<track kind="captions" src="{_attr(vtt)}" srclang="{_attr(article.language)}" label="Transcript">
<a href="{_attr(audio)}">Download the audio (MP3)</a>
</audio>
{box}{assets}</figure>
"""


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _iso_duration(seconds: float) -> str:
    """The duration as HTML's <time datetime> wants it, e.g. 'PT2M13S'."""
    whole = round(seconds)
    return f"PT{whole // 60}M{whole % 60}S"
