"""What comes in must be safe: nothing outside the input folder is read, no new file takes over a
published episode, and only http(s) links are published."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from narrate import build, load_config
from narrate.model import Article, Block, PublishedNames
from narrate.publish.id3 import EpisodeTags, write_tags
from narrate.state.identities import settle_claims

from . import fake_backend
from .conftest import BASE_URL, make_project, published_feed
from .inputs import markdown, published_text, run_build, write


# Links that leave the input folder


def test_links_leading_outside_the_input_folder_are_skipped_in_one_line_each(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    seeds = tmp_path / "seeds"
    private = write(tmp_path / "private" / "notes.txt", "Private notes\n\nThe staff salaries are secret.\n").parent
    (seeds / "passwd.txt").symlink_to("/etc/passwd")  # ln -s /etc/passwd in/passwd.txt
    (seeds / "private").symlink_to(private, target_is_directory=True)
    write(seeds / "good.txt", "Good news\n\nThe bridge opened today.\n")
    (seeds / "alias.txt").symlink_to(seeds / "good.txt")  # a link that stays inside is read as its target
    result, warnings, errors = run_build(config)
    assert result.exit_code == 0 and errors == []
    assert sorted(warnings) == [
        f"Warning: {seeds / 'passwd.txt'}: skipped: it is a link to /etc/passwd, outside the input folder {seeds}",
        f"Warning: {seeds / 'private'}: skipped: it is a link to {private}, outside the input folder {seeds}",
    ]
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["Good news"]
    published = published_text(tmp_path)
    assert "root:" not in published and "salaries" not in published


def test_a_feed_item_s_local_page_that_links_outside_is_refused(tmp_path):
    from narrate.readers import read_file

    outside = write(tmp_path / "outside" / "secret.html", "<html><head><title>Secret</title></head><body><article>"
                    "<p>The staff salaries are secret and must stay so.</p></article></body></html>")
    seeds = tmp_path / "seeds"
    (seeds / "pages").mkdir(parents=True)
    (seeds / "pages" / "story.html").symlink_to(outside)
    feed = write(seeds / "news.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
                 "<item><title>Story</title><guid>urn:story</guid><link>pages/story.html</link></item></channel></rss>")
    reading = read_file(feed, seeds)
    assert reading.articles == ()
    [failure] = reading.failures
    assert "outside the input folder" in str(failure) and "news.rss (item 1)" in str(failure)


# A new file cannot take over a published episode

URL = "https://news.example.org/2024/bridge"


def published_bridge(tmp_path: Path, monkeypatch) -> tuple[Path, dict, bytes]:
    """A project that has published bridge.md (front matter url URL): its config, feed item and MP3 bytes."""
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    write(tmp_path / "seeds" / "bridge.md", markdown("The bridge opens", "The new bridge opened today.", url=URL))
    assert not build(load_config(config)).failures
    [item] = published_feed(tmp_path)["episodes"]
    return config, item, (tmp_path / "audio" / "the-bridge-opens.mp3").read_bytes()


def test_a_new_file_with_a_published_url_is_refused_and_the_episode_keeps_its_content(tmp_path, monkeypatch):
    config, item, mp3 = published_bridge(tmp_path, monkeypatch)
    seeds = tmp_path / "seeds"
    write(seeds / "0evil.md", markdown("Send money now", "Please send money to this account.", url=URL))
    result, _, errors = run_build(config)
    assert result.exit_code == 1
    assert errors == [f"Error: {seeds / '0evil.md'}: has the identity {URL!r} of the episode published from "
                      f"{seeds / 'bridge.md'}; skipped"]
    [again] = published_feed(tmp_path)["episodes"]
    assert (again["guid"], again["title"]) == (item["guid"], "The bridge opens")
    assert (tmp_path / "audio" / "the-bridge-opens.mp3").read_bytes() == mp3
    assert "send money" not in published_text(tmp_path).lower()


def test_the_file_holding_an_identity_keeps_it_while_it_fails_and_a_renamed_file_takes_it_along(tmp_path, monkeypatch):
    config, item, _ = published_bridge(tmp_path, monkeypatch)
    seeds = tmp_path / "seeds"
    write(seeds / "0evil.md", markdown("Send money now", "Please send money to this account.", url=URL))
    (seeds / "bridge.md").write_text("---\ntitle: [unclosed\n---\nThe new bridge opened today.\n", encoding="utf-8")
    report = build(load_config(config))
    assert sorted(failure.where.split(":")[0] for failure in report.failures) == [str(seeds / "0evil.md"), str(seeds / "bridge.md")]
    assert "send money" not in published_text(tmp_path).lower()
    (seeds / "0evil.md").unlink()
    write(seeds / "renamed.md", markdown("The bridge opens", "The new bridge opened today.", url=URL))
    (seeds / "bridge.md").unlink()
    assert not build(load_config(config)).failures
    [again] = published_feed(tmp_path)["episodes"]
    assert again["guid"] == item["guid"]
    state = json.loads((tmp_path / ".narrate" / "identities.json").read_text(encoding="utf-8"))
    assert state[URL]["source"] == "renamed.md"


def test_state_from_before_holders_were_recorded_still_reads_and_builds_no_disputed_claimant(tmp_path):
    seeds = tmp_path / "seeds"
    claimants = [Article(seeds / name, URL, name, (Block("paragraph", "Text."),), url=URL) for name in ("0evil.md", "bridge.md")]
    known = {URL: PublishedNames("the-bridge-opens", "guid", dt.datetime.now(dt.timezone.utc))}
    write(seeds / "bridge.md", "")
    write(seeds / "0evil.md", "")
    kept, refused = settle_claims(claimants, known, seeds)
    assert kept == [] and len(refused) == 2
    assert all(f"claimed by {seeds / '0evil.md'} and {seeds / 'bridge.md'}" in str(failure) for failure in refused)
    kept, refused = settle_claims(claimants[1:], known, seeds)
    assert kept == claimants[1:] and refused == []


# Only http(s) links are published


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "http://[::1/x", "example.org/story",
])
def test_a_url_that_is_not_http_is_not_published_and_is_not_the_identity(tmp_path, monkeypatch, url):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    page = write(tmp_path / "seeds" / "page.md", markdown("A page", "The council met on Tuesday.", url=url))
    result, warnings, errors = run_build(config)
    assert result.exit_code == 0 and errors == []
    assert warnings == [f"Warning: {page}: its url {url.strip()!r} is not an http(s) address; "
                        "the episode is published without it, known by its file name"]
    [item] = published_feed(tmp_path)["episodes"]
    assert item["guid"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE_URL}#page.md"))
    assert item["link"] == BASE_URL
    assert url.strip().lower() not in published_text(tmp_path).lower()
    tags = ID3(tmp_path / "audio" / "a-page.mp3")
    assert tags.getall("WXXX") == [] and tags.getall("COMM") == []


def test_publishing_writes_no_link_that_is_not_http_even_when_a_reader_let_one_through(tmp_path):
    from narrate.files import Publication
    from narrate.model import Episode
    from narrate.publish.staging import feed_item

    article = Article(tmp_path / "a.md", "a.md", "A page", (Block("paragraph", "Text."),), url="javascript:alert(1)")
    feed = load_config(make_project(tmp_path, backend="counting", seeds=False)).feed
    names = PublishedNames("a-page", "guid", dt.datetime.now(dt.timezone.utc))
    episode = Episode(article, names, tmp_path / "audio" / "a-page.mp3", 1.0, 100, names.first_published)
    assert feed_item(episode, feed, tmp_path, Publication()).link == feed.base_url
    mp3 = tmp_path / "a.mp3"
    mp3.write_bytes(b"")
    write_tags(mp3, EpisodeTags("A page", None, "Album", None, "data:text/html,<b>x</b>"))
    assert ID3(mp3).getall("WXXX") == [] and ID3(mp3).getall("COMM") == []
