"""What `narrate publish` sends, in what order, and what it deletes: the plan as a pure function of the
local files, the target's listing and the record of earlier publishes, tested without a server; and the
[publish] section of narrate.toml."""

from __future__ import annotations

import hashlib

import pytest

from narrate import layout
from narrate.config import load_config
from narrate.config.settings import PUBLISH_GROUPS
from narrate.errors import ConfigError
from narrate.publish.upload import CACHE_CONTROL, LocalFile, StoredObject, plan_upload

from .conftest import make_project

SITE = {
    "audio/story.mp3": b"mp3 bytes",
    "audio/story.vtt": b"WEBVTT",
    "audio/story.srt": b"1",
    "audio/story.chapters.json": b"{}",
    "feeds/news-cover.png": b"png",
    "feeds/news.xml": b"<rss/>",
    "embeds/story.html": b"<figure>",
    "embeds/story/index.html": b"<html>",
    "embeds/story.oembed.json": b"{}",
    "embeds/player.js": b"js",
    "embeds/player.css": b"css",
    "index.html": b"<html>",
}
TYPES = {
    "audio/story.mp3": "audio/mpeg",
    "audio/story.vtt": "text/vtt; charset=utf-8",
    "audio/story.srt": "application/x-subrip; charset=utf-8",
    "audio/story.chapters.json": "application/json",
    "feeds/news-cover.png": "image/png",
    "feeds/news.xml": "application/rss+xml; charset=utf-8",
    "embeds/story.html": "text/html; charset=utf-8",
    "embeds/story/index.html": "text/html; charset=utf-8",
    "embeds/story.oembed.json": "application/json",
    "embeds/player.js": "text/javascript; charset=utf-8",
    "embeds/player.css": "text/css; charset=utf-8",
    "index.html": "text/html; charset=utf-8",
}


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def local(files: dict[str, bytes]) -> list[LocalFile]:
    return [LocalFile(path, len(data), md5(data), 1) for path, data in files.items()]


def stored(files: dict[str, bytes], tag=md5) -> list[StoredObject]:
    return [StoredObject(path, len(data), tag(data)) for path, data in files.items()]


def paths(uploads) -> list[str]:
    return [upload.file.path for upload in uploads]


def test_a_first_publish_sends_media_then_embeds_then_feeds_and_index_each_with_its_headers():
    plan = plan_upload(local(SITE), [], {})
    groups = [{layout.publish_group(upload.file.path) for upload in step} for step in plan.steps]
    assert groups == [{"media"}, {"embeds"}, {"lists"}]
    assert set(paths(plan.steps[2])) == {"feeds/news.xml", "index.html"}
    assert "feeds/news-cover.png" in paths(plan.steps[0]), "a feed's cover exists before the feed names it"
    assert {upload.file.path: upload.content_type for upload in plan.uploads} == TYPES
    assert {upload.cache_control for upload in plan.uploads if upload.file.path.startswith("audio/")} == {
        CACHE_CONTROL["media"]}
    assert (plan.deletions, plan.unchanged, plan.upload_bytes) == ((), (), sum(map(len, SITE.values())))


def test_the_preview_server_keeps_serving_feeds_as_application_xml():
    assert layout.media_type("feeds/news.xml") == "application/xml"
    assert layout.published_media_type("feeds/news.xml") == "application/rss+xml"
    assert layout.published_media_type("embeds/other.xml") == "application/xml", "only a feed is RSS"


def test_every_published_file_belongs_to_a_group_and_state_is_never_public():
    assert {layout.publish_group(path) for path in SITE} == set(PUBLISH_GROUPS)
    for path in (".narrate/episodes.json", "audio/.story.mp3.x1.part", "seeds/a.txt", "feeds/.htaccess",
                 "index.html.bak", "audio"):
        assert not layout.is_public(path), path


def test_an_unchanged_site_sends_nothing_whether_the_record_or_the_etag_says_so():
    by_etag = plan_upload(local(SITE), stored(SITE), {})
    assert (by_etag.steps, by_etag.deletions, len(by_etag.unchanged)) == ((), (), len(SITE))
    tags = stored(SITE, tag=lambda data: "multipart-" + md5(data)[:8])
    record = {upload.file.path: upload.sent(f"multipart-{upload.file.md5[:8]}") for upload in by_etag.unchanged}
    by_record = plan_upload(local(SITE), tags, record)
    assert (by_record.steps, len(by_record.unchanged)) == ((), len(SITE))
    without_record = plan_upload(local(SITE), tags, {})
    assert len(without_record.uploads) == len(SITE), "an ETag that is no MD5 and no record: sent again"


def test_only_what_changed_is_sent_and_new_files_go_before_replacements_within_a_group():
    edited = {**SITE, "audio/story.mp3": b"re-voiced mp3 bytes", "audio/new.mp3": b"new",
              "feeds/news.xml": b"<rss>2</rss>", "embeds/story.html": b"<figure>2"}
    plan = plan_upload(local(edited), stored(SITE), {})
    assert [paths(step) for step in plan.steps] == [
        ["audio/new.mp3"], ["audio/story.mp3"], ["embeds/story.html"], ["feeds/news.xml"]]
    assert [upload.stored is not None for upload in plan.uploads] == [False, True, True, True]


def test_changed_headers_send_the_same_bytes_again():
    first = plan_upload(local(SITE), stored(SITE), {})
    record = {upload.file.path: upload.sent(upload.file.md5) for upload in first.unchanged}
    plan = plan_upload(local(SITE), stored(SITE), record, {"media": "public, max-age=60"})
    assert set(paths(plan.uploads)) == {path for path in SITE if layout.publish_group(path) == "media"}
    assert {upload.cache_control for upload in plan.uploads} == {"public, max-age=60"}


def test_a_store_that_lost_or_changed_an_object_gets_it_again():
    damaged = {**SITE, "audio/story.vtt": b"WEBVTT truncated"}
    missing = {path: data for path, data in SITE.items() if path != "audio/story.srt"}
    plan = plan_upload(local(SITE), stored(damaged), {})
    assert paths(plan.uploads) == ["audio/story.vtt"]
    assert paths(plan_upload(local(SITE), stored(missing), {}).uploads) == ["audio/story.srt"]


def test_deletions_come_last_and_touch_only_narrates_public_folders():
    remote = {**SITE, "audio/gone.mp3": b"old", "embeds/gone/index.html": b"x", "feeds/old.xml": b"<rss/>",
              "audio/.htaccess": b"deny", "images/logo.png": b"png", "index.html.bak": b"x"}
    plan = plan_upload(local(SITE), stored(remote), {})
    assert plan.steps == ()
    assert [item.path for item in plan.deletions] == ["audio/gone.mp3", "embeds/gone/index.html", "feeds/old.xml"]


def test_local_state_and_hidden_files_are_never_sent():
    files = {**SITE, ".narrate/episodes.json": b"{}", "audio/.story.mp3.ab12.part": b"half", "seeds/a.txt": b"a"}
    assert set(paths(plan_upload(local(files), [], {}).uploads)) == set(SITE)


CONFIG_TAIL = "\n[publish]\n{}\n"


def config_with(tmp_path, publish: str):
    config = make_project(tmp_path, seeds=False)
    config.write_text(config.read_text() + CONFIG_TAIL.format(publish), encoding="utf-8")
    return config


def test_publish_settings_are_read_with_a_folder_target_made_absolute(tmp_path):
    s3 = load_config(config_with(tmp_path, 'target = "s3://podcasts/news/"\nendpoint_url = "http://127.0.0.1:9000"\n'
                                            'cache_control = { lists = "public, max-age=60" }'))
    assert (s3.publish.bucket, s3.publish.prefix, s3.publish.attempts) == ("podcasts", "news/", 5)
    assert s3.publish.cache_control == {"lists": "public, max-age=60"}
    folder = load_config(config_with(tmp_path, 'target = "../www"')).publish
    assert folder.target == str((tmp_path.parent / "www").resolve()) and not folder.is_s3
    make_project(tmp_path, seeds=False)
    assert load_config(tmp_path / "narrate.toml").publish is None


def test_credentials_in_narrate_toml_are_refused_in_one_line_that_does_not_show_them(tmp_path):
    config = config_with(tmp_path, 'target = "s3://podcasts"\naws_access_key_id = "AKIAEXAMPLEKEY"\n'
                                   'aws_secret_access_key = "wJalrXUtnFEMI-example-secret"')
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    [problem] = raised.value.problems
    assert "publish.aws_access_key_id, publish.aws_secret_access_key: credentials never go in narrate.toml" in problem
    assert "AKIAEXAMPLEKEY" not in problem and "wJalrXUtnFEMI" not in problem


@pytest.mark.parametrize("settings, expected", [
    ('target = "s3://Podcasts_Bucket/x"', "bucket name of 3 to 63"),
    ('target = "https://example.org/podcasts"', "must be s3://BUCKET/PREFIX or a folder"),
    ('target = "/var/www"\nendpoint_url = "http://127.0.0.1:9000"', "for s3:// targets only"),
    ('target = "s3://podcasts"\nendpoint_url = "127.0.0.1:9000"', "must be an http(s) URL"),
    ('target = "s3://podcasts"\nendpoint_url = "https://key:hunter2@r2.example.com"', "must not hold credentials"),
    ('target = "s3://podcasts"\nattempts = 0', "attempts must be from 1 to 20"),
    ('target = "s3://podcasts"\ncache_control = { feeds = "no-cache" }', "cache_control.feeds is not a group"),
    ('target = "s3://podcasts"\ncache_control = { media = "a\\nb" }', 'like "public, max-age=300"'),
    ('endpoint_url = "http://127.0.0.1:9000"', "publish.target is required"),
])
def test_wrong_publish_settings_are_one_line_each(tmp_path, settings, expected):
    with pytest.raises(ConfigError) as raised:
        load_config(config_with(tmp_path, settings))
    assert [problem for problem in raised.value.problems if expected in problem], raised.value.problems
    assert "hunter2" not in str(raised.value)
