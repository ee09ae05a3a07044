"""Publish a "listen to this article" player per episode, an index page, and oEmbed documents.

One player in three shapes: the compact bar a newsroom pastes into its article template
(embeds/<slug>.html: no headline and no text, which the page already shows; it follows the page's
own paragraphs), the player with its transcript as a page for an <iframe> (embeds/<slug>/index.html),
and every episode on index.html. Each speaks the episode's language (player_strings). Everything is
rendered from template strings with every piece of article text HTML-escaped, and uses one small
shared script and stylesheet (embeds/player.js, embeds/player.css) and no third party: no CDN, no
fonts, no tracking. The same bytes come out for the same episodes, so an unchanged build leaves
these files untouched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from .. import layout
from ..config import FeedConfig
from ..files import Publication
from ..model import Article, Episode
from .durations import format_duration
from .follow_along import Passage, page_timing, passages
from .player_strings import (
    PlayerStrings, format_date, format_length, format_speed, primary_language, strings_for, text_direction,
)

IFRAME_WIDTH, IFRAME_HEIGHT = 640, 480
SPEEDS = (1, 1.25, 1.5, 2)
PAGE_STYLE = """body{margin:0;background:Canvas;color:CanvasText;font:1rem/1.5 system-ui,sans-serif}
@media (prefers-color-scheme:dark){a{color:#9cc3ff}}
.narrate-page .narrate-player{max-width:48rem;margin:0 auto;border:0}
.narrate-page .narrate-label{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.narrate-page .narrate-text{max-height:calc(100vh - 14rem);min-height:6rem;overflow-y:auto}
.narrate-index{max-width:44rem;margin:0 auto;padding:1rem}
.narrate-feed{display:flow-root}
.narrate-cover{float:inline-start;margin-inline-end:1rem;border-radius:8px}
.narrate-subscribe{display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:0;list-style:none}
.narrate-feed-url{overflow-wrap:anywhere}
"""
"""Our own pages' layout, which a pasted player does not need (so player.css stays small)."""


def stage_embeds(
    listed: Sequence[tuple[Episode, FeedConfig]],
    shows: Sequence[FeedConfig],
    output: Path,
    publication: Publication,
    covers: Mapping[str, str],
) -> None:
    """Stage every embed file below `output`, each episode with its home feed, and the index of all
    `shows` with their covers (public URLs by feed name), to move into place with the episodes,
    before the feeds.

    Files whose bytes would not change are left alone.
    """
    for name in layout.PLAYER_ASSETS:
        publication.stage_bytes(output / layout.player_asset(name), (files("narrate") / "assets" / name).read_bytes())
    for episode, show in listed:
        slug = episode.names.slug
        publication.stage_bytes(output / layout.embed_snippet(slug), render_embed(episode, show).encode())
        publication.stage_bytes(output / layout.embed_page(slug) / layout.INDEX, render_page(episode, show).encode())
        publication.stage_bytes(output / layout.oembed(slug), render_oembed(episode, show).encode())
    publication.stage_bytes(output / layout.INDEX, render_index(listed, shows, covers).encode())


def render_embed(episode: Episode, show: FeedConfig) -> str:
    """The snippet a site pastes into its article template: a compact bar, absolute URLs, and the
    timing that lets it follow the page's own paragraphs."""
    strings = strings_for(episode.article.language)
    caption = f'<figcaption class="narrate-label">{escape(strings.listen)}</figcaption>\n'
    timing = f'<script type="application/json" class="narrate-timing">{page_timing(episode)}</script>\n'
    assets = (
        f'<link rel="stylesheet" href="{_attr(show.url_of(layout.player_asset("player.css")))}">\n'
        f'<script src="{_attr(show.url_of(layout.player_asset("player.js")))}" defer></script>\n'
    )
    opening = _opening(episode, strings, "narrate-player narrate-compact", f' data-follow="{_attr(show.player_selector)}"')
    return opening + caption + _player(episode, strings, show.base_url.rstrip("/") + "/") + timing + assets + "</figure>\n"


def render_page(episode: Episode, show: FeedConfig) -> str:
    """A whole page holding the player and its transcript, made to live inside an <iframe>."""
    article, strings = episode.article, strings_for(episode.article.language)
    title = escape(article.title)
    oembed = show.url_of(layout.oembed(episode.names.slug))
    discovery = f'<link rel="alternate" type="application/json+oembed" href="{_attr(oembed)}" title="{title}">\n'
    meta = f"{_meta(episode, strings)} · {escape(show.title)}"
    caption = (
        f'<figcaption><span class="narrate-label">{escape(strings.listen)}</span>\n'
        f'<h1 class="narrate-title"{_text_language(article, strings)}>{title}</h1>\n'
        f'<span class="narrate-meta">{meta}</span></figcaption>\n'
    )
    figure = (
        _opening(episode, strings, "narrate-player") + caption + _player(episode, strings, "../../")
        + _transcript(episode, strings, heading="h2", scrolling=True) + "</figure>\n"
    )
    body = f'<body class="narrate-page">\n<main>\n{figure}</main>\n</body>\n'
    return _document(strings, f"{title} · {escape(show.title)}", discovery, "../", body)


def render_oembed(episode: Episode, show: FeedConfig) -> str:
    """An oEmbed 1.0 "rich" response: what a CMS fetches to embed an episode from its URL."""
    page = show.url_of(layout.embed_page(episode.names.slug))
    title = episode.article.title
    listen = strings_for(episode.article.language).listen
    iframe = (
        f'<iframe src="{_attr(page)}" width="{IFRAME_WIDTH}" height="{IFRAME_HEIGHT}" '
        f'title="{_attr(f"{listen}: {title}")}" loading="lazy" style="border:0;max-width:100%"></iframe>'
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


def render_index(
    listed: Sequence[tuple[Episode, FeedConfig]], shows: Sequence[FeedConfig], covers: Mapping[str, str]
) -> str:
    """The whole site on one page: each feed's cover and subscribe links, then every episode's player,
    newest first, each linking to its article when it has a URL.

    The first show names the page and chooses its language.
    """
    strings = strings_for(shows[0].language)
    ordered = sorted(listed, key=lambda pair: (pair[0].published, pair[0].names.guid), reverse=True)
    players = "".join(_card(episode) for episode, _ in ordered)
    feeds = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{_attr(layout.feed_url(show))}" title="{escape(show.title)}">\n'
        for show in shows
    )
    subscribe = "".join(_subscribe(show, strings, covers.get(show.name), heading=len(shows) > 1) for show in shows)
    body = f"""<body>
<main class="narrate-index">
<h1>{escape(shows[0].title)}</h1>
<p>{escape(shows[0].description)}</p>
{subscribe}{players}</main>
</body>
"""
    return _document(strings, escape(shows[0].title), feeds, f"{layout.EMBEDS}/", body)


def _document(strings: PlayerStrings, title: str, links: str, assets: str, body: str) -> str:
    """A complete HTML page; `assets` is the relative path to the folder holding player.js and player.css."""
    return f"""<!doctype html>
<html lang="{_attr(strings.language)}" dir="{strings.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>{title}</title>
{links}<link rel="stylesheet" href="{assets}player.css">
<style>
{PAGE_STYLE}</style>
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


def _subscribe(show: FeedConfig, strings: PlayerStrings, cover: str | None, heading: bool) -> str:
    """One feed's cover and subscribe links; `heading` names the feed, for a page that offers several."""
    address = layout.feed_url(show)
    links = "".join(f'<li><a href="{_attr(link)}">{escape(app)}</a></li>\n' for app, link in subscribe_links(address, show.title))
    image = f'<img class="narrate-cover" src="{_attr(cover)}" alt="" width="96" height="96">\n' if cover else ""
    title = f"<h2>{escape(show.title)}</h2>\n" if heading else ""
    return f"""<nav class="narrate-feed" aria-label="{_attr(strings.subscribe_to.format(show=show.title))}">
{image}{title}<p>{escape(strings.subscribe)}</p>
<ul class="narrate-subscribe">
{links}</ul>
<p>{escape(strings.feed_address)} <a class="narrate-feed-url" href="{_attr(address)}" \
type="application/rss+xml">{escape(address)}</a></p>
</nav>
"""


def _card(episode: Episode) -> str:
    """One episode on the index: its title (a link to the article when it has a URL), date and length,
    player and transcript."""
    article, strings = episode.article, strings_for(episode.article.language)
    title = escape(article.title)
    if article.url:
        title = f'<a href="{_attr(article.url)}">{title}</a>'
    caption = (
        f'<figcaption><h2 class="narrate-title"{_text_language(article, strings)}>{title}</h2>\n'
        f'<span class="narrate-meta">{_meta(episode, strings)}</span></figcaption>\n'
    )
    return (
        _opening(episode, strings, "narrate-player") + caption + _player(episode, strings, "")
        + _transcript(episode, strings, heading="h3", scrolling=False) + "</figure>\n"
    )


def _opening(episode: Episode, strings: PlayerStrings, classes: str, attributes: str = "") -> str:
    """The player's <figure>: the episode's GUID for the events it sends, its language and direction."""
    label = f"{strings.listen}: {episode.article.title}"
    return (
        f'<figure class="{classes}" data-narrate data-guid="{_attr(episode.names.guid)}"{attributes} '
        f'lang="{strings.language}" dir="{strings.direction}" aria-label="{_attr(label)}">\n'
    )


def _meta(episode: Episode, strings: PlayerStrings) -> str:
    date = episode.published.date()
    return (
        f'<time datetime="{date.isoformat()}">{escape(format_date(date, strings))}</time> · '
        f'<time datetime="{_iso_duration(episode.duration)}">{escape(format_length(episode.duration, strings))}</time>'
    )


def _player(episode: Episode, strings: PlayerStrings, prefix: str) -> str:
    """The browser's own audio player, and the bar player.js shows instead (hidden until it does);
    `prefix` is how this page reaches the output folder ("" at its root)."""
    slug, language = episode.names.slug, episode.article.language or strings.language
    audio, vtt = prefix + layout.episode(slug), prefix + layout.companion(slug, ".vtt")
    speeds = "".join(f'<option value="{speed}">{format_speed(speed, strings)}</option>' for speed in SPEEDS)
    return f"""<audio controls preload="metadata" src="{_attr(audio)}">
<track kind="captions" src="{_attr(vtt)}" srclang="{_attr(language)}" label="{_attr(strings.transcript)}">
<a href="{_attr(audio)}">{escape(strings.download)}</a>
</audio>
<div class="narrate-bar" hidden>
<button type="button" class="narrate-play" aria-label="{_attr(strings.play)}" data-pause="{_attr(strings.pause)}"></button>
<button type="button" class="narrate-back" aria-label="{_attr(strings.back)}">−15</button>
<button type="button" class="narrate-forward" aria-label="{_attr(strings.forward)}">+15</button>
<select class="narrate-speed" aria-label="{_attr(strings.speed)}">{speeds}</select>
<input class="narrate-seek" type="range" min="0" max="{episode.duration:.1f}" step="any" value="0" \
aria-label="{_attr(strings.position)}" data-valuetext="{_attr(strings.position_of)}">
<span class="narrate-time">0:00 / {format_duration(episode.duration, "clock")}</span>
</div>
"""


def _transcript(episode: Episode, strings: PlayerStrings, heading: str, scrolling: bool) -> str:
    """The article's text, collapsed; each spoken sentence carries the seconds it is spoken between."""
    tags = {"paragraph": "p", "heading": heading}
    text = "".join(f"<{tags[p.kind]}>{_spans(p)}</{tags[p.kind]}>\n" for p in passages(episode))
    region = f' role="region" aria-label="{_attr(strings.transcript)}" tabindex="0"' if scrolling else ""
    return (
        f'<details class="narrate-transcript"><summary>{escape(strings.transcript)}</summary>\n'
        f'<div class="narrate-text"{region}{_text_language(episode.article, strings)}>\n{text}</div>\n</details>\n'
    )


def _spans(passage: Passage) -> str:
    return " ".join(
        f'<span data-start="{s.start:.2f}" data-end="{s.end:.2f}">{escape(s.segment.written)}</span>' for s in passage.sentences
    )


def _text_language(article: Article, strings: PlayerStrings) -> str:
    """lang and dir for the article's own text, when its labels are in another language (English, for
    want of a table)."""
    if article.language is None or primary_language(article.language) == strings.language:
        return ""
    return f' lang="{_attr(article.language)}" dir="{text_direction(article.language)}"'


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _iso_duration(seconds: float) -> str:
    """The duration as HTML's <time datetime> wants it, e.g. 'PT2M13S'."""
    whole = round(seconds)
    return f"PT{whole // 60}M{whole % 60}S"
