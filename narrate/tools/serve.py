"""Preview the output folder over HTTP, with the byte ranges browsers and podcast apps need to seek.

Whatever a client sends gets an HTTP answer (4xx for what cannot be served) or a closed
connection, never a traceback. A connection that sends nothing, or takes nothing of an answer,
for IDLE_SECONDS (30 s) is closed, so slow or silent clients cannot hold the server's threads;
a paused player simply asks again for the range it needs.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from .. import layout
from ..config import Config
from ..errors import NarrateError

log = logging.getLogger(__name__)

REWRITTEN_SUFFIXES = frozenset({".xml", ".html", ".json"})
"""Files that hold public URLs: the preview server points them at itself."""
SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$")
CHUNK = 64 * 1024
IDLE_SECONDS = 30.0
"""How long a connection may send nothing, or take nothing of an answer, before it is closed."""
MAX_TARGET_CHARS = 8 * 1024
"""A longer request target gets 414: no file of an output folder has a URL anywhere near as long."""
MAX_DIGITS = 18
"""A byte position with more digits lies past the end of any file (and int() refuses 4,300 digits)."""


@dataclass(frozen=True)
class Site:
    """What the server publishes: the output folder, and the public URLs its files will live at (one per feed)."""

    root: Path
    public_urls: tuple[str, ...]


@dataclass(frozen=True)
class ByteRange:
    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1


class Unsatisfiable(Exception):
    """The Range header is well-formed but asks for bytes the file does not have (HTTP 416)."""


class PreviewServer(ThreadingHTTPServer):
    """A threaded server for one Site, on IPv4 or IPv6 depending on the host given."""

    daemon_threads = True

    def __init__(self, site: Site, host: str, port: int, idle_seconds: float = IDLE_SECONDS) -> None:
        self.site, self.idle_seconds = site, idle_seconds
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


def preview_server(
    site: Site, host: str = "127.0.0.1", port: int = 8000, idle_seconds: float = IDLE_SECONDS
) -> PreviewServer:
    """A server bound and ready (`serve_forever()` runs it); port 0 picks a free port."""
    return PreviewServer(site, host, port, idle_seconds)


def feed_urls(server: PreviewServer) -> list[str]:
    """The preview URL of every feed in the output folder, to paste into a podcast app."""
    feeds = sorted((server.site.root / layout.FEEDS).glob("*.xml"))
    return [server.url + layout.feed(feed.stem) for feed in feeds if not feed.name.startswith(".")]


def serve_until_stopped(config: Config, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve the output folder of `config` until Ctrl-C, saying where, and each feed's address to paste."""
    site = Site(config.paths.output, tuple(feed.base_url for feed in config.feeds))
    try:
        server = preview_server(site, host, port)
    except OSError as error:
        raise NarrateError(f"cannot listen on {host}:{port}: {error.strerror} (try another --port)") from None
    say(f"Serving {site.root} at {server.url} (Ctrl+C stops)")
    for url in feed_urls(server) or ["no feed yet: run `narrate build` first"]:
        say(f"Feed to paste into a podcast app: {url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one byte range a Range header asks for; None means "send the whole file".

    Following RFC 9110, a header we cannot read, or one asking for several ranges, is ignored
    (a full 200 response is always a correct answer), and a readable range that lies entirely
    beyond the file raises Unsatisfiable.
    """
    match = re.fullmatch(r"\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*", header)
    if not match or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":
        suffix = _position(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    first = _position(first_text)
    if last_text and _position(last_text) < first:
        return None
    if first >= size:
        raise Unsatisfiable
    return ByteRange(first, min(_position(last_text) if last_text else size - 1, size - 1))


def _position(digits: str) -> int:
    """A byte position; one of more than MAX_DIGITS digits (leading zeros aside) is taken to be
    10**MAX_DIGITS, past the end of any file."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD of files below the site root, with single byte ranges; nothing else."""

    server: PreviewServer
    server_version = "narrate-preview"

    @property
    def request_version(self) -> str:
        return self._request_version

    @request_version.setter
    def request_version(self, version: str) -> None:
        """No client speaks HTTP/0.9 any more, whose answers are a bare body: a request line without
        a version (or garbage, or one saying HTTP/0.9) is answered in HTTP/1.0, with a status line."""
        self._request_version = "HTTP/1.0" if version == "HTTP/0.9" else version

    @property
    def timeout(self) -> float:  # type: ignore[override]
        """The idle timeout, which StreamRequestHandler sets on the connection's socket."""
        return self.server.idle_seconds

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _respond(self, send_body: bool) -> None:
        if len(self.path) > MAX_TARGET_CHARS:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return
        path = self._local_path()
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such file")
            return
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self._redirect(self.path.split("?")[0] + "/")
                return
            path = path / "index.html"
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND, "No index.html here")
                return
        try:
            file = path.open("rb")
        except OSError:  # removed by a build since, or unreadable
            self.send_error(HTTPStatus.NOT_FOUND, "No such file")
            return
        with file:
            try:
                self._send_file(path, file, send_body)
            except (BrokenPipeError, ConnectionResetError):
                log.debug("client closed the connection during %s", self.path)

    def _local_path(self) -> Path | None:
        """The file a URL path names, or None if it is missing, hidden, outside the root, or cannot
        name a file at all (a malformed URL, a name too long, a symbolic link loop)."""
        try:
            parts = unquote(urlsplit(self.path).path).split("/")
        except ValueError:  # "http://[::1/x" is an absolute URL with a broken host
            return None
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        root = self.server.site.root.resolve()
        try:
            path = root.joinpath(*[part for part in parts if part]).resolve()
            if not path.is_relative_to(root) or not path.exists():
                return None
        except (OSError, RuntimeError):
            return None
        return path

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_file(self, path: Path, file: BinaryIO, send_body: bool) -> None:
        body = self._rewritten(file.read()) if path.suffix in REWRITTEN_SUFFIXES else None
        status = os.fstat(file.fileno())  # the file opened, even if a build has replaced the path since
        size = len(body) if body is not None else status.st_size
        modified = formatdate(status.st_mtime, usegmt=True)
        # If-Range: a client resuming an older copy of the file must get the whole new one.
        fresh = self.headers.get("If-Range", modified) == modified
        try:
            wanted = parse_range(self.headers.get("Range", ""), size) if fresh else None
        except Unsatisfiable:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        part = wanted or ByteRange(0, size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
        self.send_header("Content-Type", _content_type(path))
        self.send_header("Content-Length", str(max(part.length, 0)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Access-Control-Allow-Origin", "*")  # a local article page may load captions from here
        if wanted:
            self.send_header("Content-Range", f"bytes {part.first}-{part.last}/{size}")
        self.end_headers()
        if not send_body or part.length <= 0:
            return
        if body is not None:
            self.wfile.write(body[part.first : part.last + 1])
        else:
            file.seek(part.first)
            _copy(file, self.wfile, part.length)

    def _rewritten(self, data: bytes) -> bytes:
        """Public URLs replaced by this server's own, so a preview plays from here, not the web."""
        host = self.headers.get("Host", "")
        own = f"http://{host}/" if SAFE_HOST.match(host) else self.server.url
        for public in sorted({url.rstrip("/") + "/" for url in self.server.site.public_urls}, key=len, reverse=True):
            data = data.replace(public.encode(), own.encode())
        return data


def _copy(source: BinaryIO, target: BinaryIO, length: int) -> None:
    while length > 0:
        chunk = source.read(min(CHUNK, length))
        if not chunk:
            return
        target.write(chunk)
        length -= len(chunk)


def _content_type(path: Path) -> str:
    return layout.content_type(path, layout.media_type(path))
