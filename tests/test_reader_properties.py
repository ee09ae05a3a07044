"""Property tests: whatever bytes or values an input file holds, every reader either reads articles or
fails with narrate's own one-line error (a NarrateError), never with another exception."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.config import is_web_url
from narrate.errors import NarrateError
from narrate.readers import READERS, read_file, read_folder

SUFFIXES = sorted(READERS)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(max_size=80)
url_like = st.one_of(
    text,
    st.sampled_from([
        "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://[::1/x", "https://[::1]/x",
        "file:///etc/passwd", "page.html", "../outside.html", "/abs.html", "%00.html", "http://a:99999/", "https://",
        "https://news.example.org/a", "file://localhost/x.html", "\x00", "..", ".",
    ]),
)
dates = st.one_of(
    text,
    st.sampled_from([
        "2024-13-45", "9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+01:00", "2024-02-30", "1" * 5000,
        "Fri, 31 Dec 9999 23:00:00 -1200", "Mon, 01 Jan 0001 00:00:00 +0100", "2024-10-15", "Tue, 15 Oct 2024 09:30:00 GMT",
    ]),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), text, st.dates(), st.datetimes(),
    st.datetimes(timezones=st.timezones()), dates, url_like,
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=6)
FRONT_MATTER_KEYS = ("title", "date", "author", "url", "language", "lang", "voice", "summary")


@contextmanager
def input_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def read_only_narrate_errors(folder: Path, path: Path) -> None:
    """Reading `path` gives articles with a web address or none, or a NarrateError; nothing else."""
    try:
        reading = read_file(path, folder)
    except NarrateError as error:
        assert "\n" not in error.message, error.message
        return
    for article in reading.articles:
        assert article.url is None or is_web_url(article.url), article.url
        assert article.identity and article.title
    for failure in reading.failures:
        assert isinstance(failure, NarrateError) and "\n" not in failure.message


@EXAMPLES
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=3000))
def test_any_bytes_in_any_input_file(suffix, data):
    with input_folder() as folder:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        read_only_narrate_errors(folder, path)


@EXAMPLES
@given(suffix=st.sampled_from(SUFFIXES), body=st.text(max_size=3000))
def test_any_text_in_any_input_file(suffix, body):
    with input_folder() as folder:
        path = folder / f"input{suffix}"
        path.write_text(body, encoding="utf-8")
        read_only_narrate_errors(folder, path)


@EXAMPLES
@given(fields=st.dictionaries(st.sampled_from(FRONT_MATTER_KEYS) | text, values, max_size=6), toml=st.booleans(),
       body=st.sampled_from(["The council met on Tuesday.", "# A heading\n\nA paragraph.", "", "---"]))
def test_any_front_matter_values(fields, toml, body):
    with input_folder() as folder:
        path = folder / "article.md"
        path.write_text(_front_matter(fields, toml) + body, encoding="utf-8")
        read_only_narrate_errors(folder, path)


def _front_matter(fields: dict, toml: bool) -> str:
    """YAML (JSON is YAML, and YAML's own dates and numbers come in as plain text) or TOML front matter."""
    if not toml:
        lines = [f"{json.dumps(key)}: {_yaml(value)}" for key, value in fields.items()]
        return "---\n" + "\n".join(lines) + "\n---\n"
    lines = [f"{json.dumps(key)} = {_toml(value)}" for key, value in fields.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def _yaml(value: object) -> str:
    if isinstance(value, str) and value and "\n" not in value and ":" not in value and "#" not in value:
        return value  # unquoted: YAML makes dates, numbers and more of it
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return json.dumps(value, default=str)


def _toml(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()  # a TOML date or datetime
    if isinstance(value, str) and value[:1].isdigit():
        return value  # unquoted: a TOML date, time or number when it is one, else a syntax error
    return json.dumps(value, default=str)


@EXAMPLES
@given(title=text, canonical=url_like, og_url=url_like, lang=text, date=dates, body=text)
def test_any_html_page_metadata(title, canonical, og_url, lang, date, body):
    page = (
        f"<html lang={quoteattr(lang)}><head><title>{escape(title)}</title>"
        f"<link rel=\"canonical\" href={quoteattr(canonical)}><meta property=\"og:url\" content={quoteattr(og_url)}>"
        f"<meta name=\"date\" content={quoteattr(date)}></head><body><article><h1>{escape(title)}</h1>"
        f"<p>{escape(body)} The council met on Tuesday and agreed the budget for next year.</p></article></body></html>"
    )
    with input_folder() as folder:
        path = folder / "page.html"
        path.write_text(page, encoding="utf-8")
        read_only_narrate_errors(folder, path)


@EXAMPLES
@given(atom=st.booleans(), items=st.lists(
    st.fixed_dictionaries({"title": text, "link": url_like, "guid": url_like, "date": dates, "language": text,
                           "content": st.one_of(st.none(), text)}), min_size=1, max_size=3))
def test_any_feed_item_values(atom, items):
    with input_folder() as folder:
        (folder / "page.html").write_text(
            "<html><head><title>Linked</title></head><body><article><p>The council met on Tuesday and agreed the "
            "budget for next year.</p></article></body></html>", encoding="utf-8")
        path = folder / ("feed.atom" if atom else "feed.rss")
        path.write_text(_atom(items) if atom else _rss(items), encoding="utf-8")
        read_only_narrate_errors(folder, path)
        reading = read_folder(folder, [path, folder / "page.html"])
        assert all(isinstance(failure, NarrateError) for failure in reading.failures)


def _rss(items: list[dict]) -> str:
    entries = "".join(
        f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
        f"<guid>{escape(item['guid'])}</guid><pubDate>{escape(item['date'])}</pubDate>"
        + (f"<content:encoded>{escape(item['content'])}</content:encoded>" if item["content"] is not None else "")
        + "</item>"
        for item in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Feed</title><language>{escape(items[0]['language'])}</language>{entries}</channel></rss>")


def _atom(items: list[dict]) -> str:
    entries = "".join(
        f"<entry xml:lang={quoteattr(item['language'])}><title>{escape(item['title'])}</title>"
        f"<link href={quoteattr(item['link'])}/><id>{escape(item['guid'])}</id><updated>{escape(item['date'])}</updated>"
        + (f"<content type=\"html\">{escape(item['content'])}</content>" if item["content"] is not None else "")
        + "</entry>"
        for item in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>{entries}</feed>'
