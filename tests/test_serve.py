"""`narrate serve`: real HTTP requests against the preview server (ranges, types, no escape)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from narrate.tools.serve import PreviewServer, Site, feed_urls, parse_range, preview_server, Unsatisfiable
from tests.conftest import make_project

PUBLIC = "https://podcasts.example.org/news/"
PUBLIC_NESTED = "https://podcasts.example.org/news/uk"  # a second feed's base_url, without its slash
AUDIO = bytes(range(256)) * 40  # 10,240 bytes whose every offset is recognisable


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    (root / "audio").mkdir(parents=True)
    (root / "audio" / "story.mp3").write_bytes(AUDIO)
    (root / "audio" / "story.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", encoding="utf-8")
    (root / "audio" / "story.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n", encoding="utf-8")
    (root / "audio" / "story.chapters.json").write_text('{"version": "1.2.0", "chapters": []}', encoding="utf-8")
    (root / "feeds").mkdir()
    (root / "feeds" / "news-cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    feed = f'<rss><enclosure url="{PUBLIC}audio/story.mp3"/><enclosure url="{PUBLIC_NESTED}/audio/uk.mp3"/></rss>'
    (root / "feeds" / "news.xml").write_text(feed, encoding="utf-8")
    (root / "embeds" / "story").mkdir(parents=True)
    (root / "embeds" / "story" / "index.html").write_text("<p>story</p>", encoding="utf-8")
    (root / ".narrate").mkdir()
    (root / ".narrate" / "identities.json").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the output folder", encoding="utf-8")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[PreviewServer]:
    with running(preview_server(Site(site, (PUBLIC, PUBLIC_NESTED)), "127.0.0.1", 0)) as server:
        yield server


@contextmanager
def running(server: PreviewServer) -> Iterator[PreviewServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def request(server: PreviewServer, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_whole_file_advertises_ranges(server: PreviewServer) -> None:
    status, headers, body = request(server, "/audio/story.mp3")
    assert status == 200
    assert body == AUDIO
    assert headers["accept-ranges"] == "bytes"
    assert headers["content-length"] == str(len(AUDIO))
    assert headers["content-type"] == "audio/mpeg"
    assert headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-199", 100, 199), ("bytes=10000-", 10000, 10239), ("bytes=-40", 10200, 10239), ("bytes=10200-99999", 10200, 10239)],
)
def test_single_range_gets_206_with_exact_bytes(server: PreviewServer, header: str, first: int, last: int) -> None:
    status, headers, body = request(server, "/audio/story.mp3", Range=header)
    assert status == 206
    assert headers["content-range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert body == AUDIO[first : last + 1]
    assert headers["content-length"] == str(len(body))


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=20000-20010", "bytes=-0"])
def test_range_beyond_the_file_gets_416(server: PreviewServer, header: str) -> None:
    status, headers, body = request(server, "/audio/story.mp3", Range=header)
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(AUDIO)}"
    assert body == b""


@pytest.mark.parametrize("header", ["bytes=abc", "pages=1-2", "bytes=50-10", "bytes=0-1,5-6"])
def test_unreadable_or_multiple_ranges_are_ignored(server: PreviewServer, header: str) -> None:
    status, _, body = request(server, "/audio/story.mp3", Range=header)
    assert (status, body) == (200, AUDIO)


@pytest.mark.parametrize(
    ("header", "status", "first"),
    [(f"bytes={'9' * 5000}-", 416, None), (f"bytes=0-{'9' * 5000}", 206, 0), (f"bytes=-{'9' * 5000}", 206, 0),
     (f"bytes={'0' * 5000}7-8", 206, 7)],
)
def test_a_range_of_thousands_of_digits_is_answered(server, capfd, header: str, status: int, first: int | None) -> None:
    # int() refuses more than 4,300 digits: such a request used to get no answer and log a traceback.
    answer, headers, body = request(server, "/audio/story.mp3", Range=header)
    assert answer == status
    if first is not None:
        assert body == AUDIO[first : first + len(body)] and headers["content-range"].startswith(f"bytes {first}-")
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("path", "status"),
    [("/a" * 20_000, 414), ("/audio/" + "a" * 300 + ".mp3", 404), ("http://[::1/audio/story.mp3", 404)],
)
def test_paths_that_cannot_name_a_file_get_4xx(server: PreviewServer, capfd, path: str, status: int) -> None:
    with socket.create_connection(server.server_address[:2], timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
        assert connection.makefile("rb").readline().startswith(f"HTTP/1.0 {status} ".encode())
    assert "Traceback" not in capfd.readouterr().err


def test_a_silent_or_slow_connection_is_closed_after_the_idle_timeout(site: Path, capfd) -> None:
    with running(preview_server(Site(site, (PUBLIC,)), "127.0.0.1", 0, idle_seconds=0.5)) as server:
        for sent in (b"", b"GET /audio/sto"):
            with socket.create_connection(server.server_address[:2], timeout=10) as connection:
                connection.sendall(sent)
                started = time.monotonic()
                assert connection.recv(1024) == b"", "closed without an answer"
                assert time.monotonic() - started < 5
        assert request(server, "/audio/story.mp3")[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_if_range_with_an_older_date_gets_the_whole_new_file(server: PreviewServer) -> None:
    modified = request(server, "/audio/story.mp3", "HEAD")[1]["last-modified"]
    assert request(server, "/audio/story.mp3", Range="bytes=0-9", **{"If-Range": modified})[0] == 206
    stale = "Mon, 01 Jan 2001 00:00:00 GMT"
    status, _, body = request(server, "/audio/story.mp3", Range="bytes=0-9", **{"If-Range": stale})
    assert (status, body) == (200, AUDIO)


def test_head_sends_headers_without_body(server: PreviewServer) -> None:
    status, headers, body = request(server, "/audio/story.mp3", "HEAD", Range="bytes=0-9")
    assert (status, body) == (206, b"")
    assert headers["content-length"] == "10"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/audio/story.vtt", "text/vtt; charset=utf-8"),
        ("/feeds/news.xml", "application/xml; charset=utf-8"),
        ("/embeds/story/index.html", "text/html; charset=utf-8"),
        ("/audio/story.srt", "application/x-subrip; charset=utf-8"),
        ("/audio/story.chapters.json", "application/json"),
        ("/feeds/news-cover.png", "image/png"),
    ],
)
def test_content_types(server: PreviewServer, path: str, content_type: str) -> None:
    assert request(server, path)[1]["content-type"] == content_type


@pytest.mark.parametrize(
    "path",
    ["/../secret.txt", "/%2e%2e/secret.txt", "/audio/..%2f..%2fsecret.txt", "/audio/%2e%2e/%2e%2e/secret.txt",
     "/.narrate/identities.json", "/audio/missing.mp3"],
)
def test_nothing_outside_the_folder_or_hidden_is_served(server: PreviewServer, path: str) -> None:
    status, _, body = request(server, path)
    assert status == 404
    assert b"outside the output folder" not in body


def test_folder_serves_its_index_after_a_slash_redirect(server: PreviewServer) -> None:
    status, headers, _ = request(server, "/embeds/story")
    assert (status, headers["location"]) == (301, "/embeds/story/")
    assert request(server, "/embeds/story/")[2] == b"<p>story</p>"


def test_public_urls_point_at_the_preview_server(server: PreviewServer, site: Path) -> None:
    status, headers, body = request(server, "/feeds/news.xml")
    own = f"http://127.0.0.1:{server.server_address[1]}/"
    assert body.decode() == f'<rss><enclosure url="{own}audio/story.mp3"/><enclosure url="{own}audio/uk.mp3"/></rss>'
    assert headers["content-length"] == str(len(body))
    assert PUBLIC in (site / "feeds" / "news.xml").read_text(encoding="utf-8")
    assert feed_urls(server) == [f"{own}feeds/news.xml"]


def test_parse_range_reads_rfc_9110_forms() -> None:
    assert parse_range("bytes=0-0", 5) is not None and parse_range("bytes=0-0", 5).length == 1
    assert parse_range("", 5) is None
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=0-", 0)


def test_cli_prints_the_feed_url_and_serves_it(tmp_path: Path, site: Path) -> None:
    config = make_project(tmp_path, seeds=False)
    config.write_text(config.read_text(encoding="utf-8") + 'output = "out"\n', encoding="utf-8")
    command = [sys.executable, "-m", "narrate", "serve", "--config", str(config), "--port", "0"]
    env = {**os.environ, "COLUMNS": "200"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            lines = [process.stdout.readline() for _ in range(2)]
            feed_url = re.search(r"http://\S+/feeds/news\.xml", lines[1])
            assert feed_url, lines
            host, port = re.match(r"http://([\d.]+):(\d+)/", feed_url.group()).groups()
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request("GET", "/feeds/news.xml")
            assert f"http://{host}:{port}/audio/story.mp3".encode() in connection.getresponse().read()
            connection.close()
        finally:
            process.terminate()


def test_cli_reports_a_busy_port_in_one_line(tmp_path: Path, server: PreviewServer) -> None:
    config = make_project(tmp_path, seeds=False)
    port = str(server.server_address[1])
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "serve", "--config", str(config), "--port", port],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert re.fullmatch(rf"Error: cannot listen on 127\.0\.0\.1:{port}: .+ \(try another --port\)\n", result.stderr)
    assert "Traceback" not in result.stderr
