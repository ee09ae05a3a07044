"""`narrate serve` under arbitrary requests (Hypothesis), sent over a real socket to the real command:
every request line and set of headers gets an HTTP answer, bytes that are no request at all get an
answer or a closed connection, the server keeps serving, and it logs no traceback."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import make_project

AUDIO = bytes(range(256)) * 40
FILES = {"audio/story.mp3": AUDIO, "feeds/test.xml": b"<rss/>", "embeds/story/index.html": b"<p>story</p>"}
NORMAL = b"GET /audio/story.mp3 HTTP/1.1\r\nHost: localhost\r\n\r\n"

Address = tuple[str, int]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Address, Path]]:
    """A running `narrate -v serve` on a free port, and the file its stderr (every log line) goes to."""
    root = tmp_path_factory.mktemp("serve")
    config = make_project(root, seeds=False)
    config.write_text(config.read_text(encoding="utf-8") + 'output = "out"\n', encoding="utf-8")
    for name, data in FILES.items():
        (root / "out" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "out" / name).write_bytes(data)
    log = root / "serve.log"
    command = [sys.executable, "-m", "narrate", "-v", "serve", "--config", str(config), "--port", "0"]
    with log.open("wb") as stderr, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True) as serve:
        assert serve.stdout is not None
        port = re.search(r"http://127\.0\.0\.1:(\d+)/", serve.stdout.readline())
        assert port, log.read_text()
        try:
            yield ("127.0.0.1", int(port.group(1))), log
        finally:
            serve.terminate()


def exchange(address: Address, data: bytes) -> bytes:
    """Send `data` as the whole request, and read the answer up to the server's closing the connection."""
    with socket.create_connection(address, timeout=10) as connection:
        try:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
        except OSError:  # the server has answered and closed before reading all of it
            pass
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:  # after the answer: the server closed with bytes of ours unread
            pass
        return answer


def still_serving_without_a_traceback(address: Address, log: Path) -> None:
    answer = exchange(address, NORMAL)
    assert answer.startswith(b"HTTP/1.0 200 ") and answer.endswith(AUDIO)
    assert b"Traceback" not in log.read_bytes(), log.read_text(errors="replace")[-3000:]


LINE_TEXT = st.text(st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=120)
"""What a header value or a request line can hold: any byte but a line end (read as Latin-1)."""
TOKEN = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF), min_size=1, max_size=16)
METHOD = st.one_of(st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "get"]), TOKEN)
TARGET = st.one_of(
    st.sampled_from(["/", "/audio/story.mp3", "/feeds/test.xml", "/embeds/story", "/../narrate.toml",
                     "/%2e%2e/narrate.toml", "/%00", "*", "http://[::1/x", "//[::1",
                     "http://localhost/audio/story.mp3"]),
    TOKEN.map(lambda text: "/" + text),
    st.integers(1, 25_000).map(lambda segments: "/a" * segments),  # up to 50 KB
    st.integers(200, 5000).map(lambda length: "/audio/" + "a" * length),
)
VERSION = st.sampled_from(["HTTP/1.0", "HTTP/1.1", "", "HTTP/0.9", "HTTP/2.0", "HTTP/1.1.1", "HTTP/x", "junk"])
NUMBER = st.one_of(st.just(""), st.integers(0, 20_000).map(str), st.integers(1, 6000).map(lambda digits: "9" * digits))
RANGE = st.one_of(st.tuples(NUMBER, NUMBER).map(lambda pair: f"bytes={pair[0]}-{pair[1]}"), LINE_TEXT)
HEADER = st.one_of(
    st.tuples(st.just("Range"), RANGE),
    st.tuples(st.sampled_from(["If-Range", "Host", "Connection", "Content-Length", "Expect", "Transfer-Encoding"]),
              LINE_TEXT),
    st.tuples(TOKEN, LINE_TEXT),
)


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    line = " ".join(part for part in (draw(METHOD), draw(TARGET), draw(VERSION)) if part)
    headers = "".join(f"{name}: {value}\r\n" for name, value in draw(st.lists(HEADER, max_size=6)))
    return f"{line}\r\n{headers}\r\n".encode("latin-1")


@settings(max_examples=120, deadline=None)
@given(requests())
def test_every_request_gets_an_http_answer(served, request: bytes) -> None:
    address, log = served
    answer = exchange(address, request)
    assert re.match(rb"HTTP/1\.0 [1-5]\d\d ", answer), answer[:200]
    still_serving_without_a_traceback(address, log)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_that_are_no_request_get_an_answer_or_a_closed_connection(served, data: bytes) -> None:
    address, log = served
    answer = exchange(address, data)
    assert answer == b"" or re.match(rb"HTTP/1\.0 [1-5]\d\d ", answer), answer[:200]
    still_serving_without_a_traceback(address, log)
