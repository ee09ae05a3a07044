"""`narrate publish` to a real S3-compatible server (SeaweedFS, tests/seaweed.py): what the bucket holds and
serves to anyone, what a re-publish sends, --dry-run, gPodder subscribing to the feed as the bucket serves
it, retries, and one clear line for wrong credentials, bucket or endpoint. Killing a publish: test_publish_kill.py."""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import podcastparser
import pytest

from narrate import build, layout, load_config
from narrate.errors import PublishError
from narrate.publish.upload import CACHE_CONTROL
from narrate.state.uploads import record_path
from narrate.tools.publish import publish

from . import fake_backend
from .conftest import make_project
from .seaweed import READER, WRITER, Seaweed
from .test_feed_clients import tool
from .test_incremental import SEED_PARAGRAPH_3, edit_seed

TYPES = {
    ".mp3": "audio/mpeg", ".xml": "application/rss+xml; charset=utf-8", ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8", ".json": "application/json", ".png": "image/png",
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
}
PUBLISH = '\n[publish]\ntarget = "s3://{bucket}/{prefix}"\nendpoint_url = "{endpoint}"\n'


def s3_project(root: Path, seaweed: Seaweed, prefix: str, backend: str = "counting", seeds: bool = True) -> Path:
    """A project whose feed lives in the bucket below `prefix`, and which publishes there."""
    config = make_project(root, backend=backend, seeds=seeds)
    text = config.read_text(encoding="utf-8").replace("https://podcasts.example.org/news/", seaweed.public_url(prefix))
    config.write_text(text + PUBLISH.format(bucket=seaweed.bucket, prefix=prefix, endpoint=seaweed.endpoint),
                      encoding="utf-8")
    return config


def build_in_process(config: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        fake_backend.install(patch)
        assert not build(load_config(config)).failures


def narrate(seaweed: Seaweed, *arguments: str, key: tuple[str, str] = WRITER) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "narrate", *arguments], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **seaweed.environment(key)})


def local_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and layout.is_public(path.relative_to(root).as_posix())}


def fetch(url: str, method: str = "GET") -> tuple[bytes, dict[str, str]]:
    """An anonymous request, as a podcast app or browser makes it."""
    with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=30) as answer:
        return answer.read(), dict(answer.headers)


def assert_bucket_holds(seaweed: Seaweed, prefix: str, root: Path) -> None:
    """The bucket's public folders below `prefix` hold exactly the output's public files, byte for byte (ETag)."""
    listing = {path: (size, etag) for path, (size, etag) in seaweed.listing(prefix).items() if layout.is_public(path)}
    expected = {path: (len(data), hashlib.md5(data).hexdigest()) for path, data in local_files(root).items()}
    assert listing == expected


@pytest.fixture(scope="module")
def seed(seaweed, tmp_path_factory) -> Path:
    """The seed article built (counting backend) with its feed at http://…/podcasts/seed/, not yet published."""
    config = s3_project(tmp_path_factory.mktemp("seed"), seaweed, "seed/")
    build_in_process(config)
    return config


def test_the_seed_is_published_with_its_types_and_caching_and_anyone_can_fetch_what_the_feed_names(seaweed, seed):
    result = narrate(seaweed, "publish", "--config", str(seed))
    assert result.returncode == 0, result.stderr
    root = seed.parent
    files = local_files(root)
    assert f"sent {len(files)} files" in result.stdout and "0 unchanged" in result.stdout
    objects = seaweed.objects("seed/")
    assert set(objects) == set(files) and not any(".narrate" in key for key in objects)
    for path, data in files.items():
        head = objects[path]
        assert head["ContentType"] == TYPES[Path(path).suffix], path
        assert head["CacheControl"] == CACHE_CONTROL[layout.publish_group(path)], path
        assert (head["ContentLength"], head["ETag"].strip('"')) == (len(data), hashlib.md5(data).hexdigest())
        assert fetch(seaweed.public_url("seed/") + path)[0] == data, f"{path} is not readable by anyone"
    feed_url = seaweed.public_url("seed/feeds/test.xml")
    feed = podcastparser.parse(feed_url, io.BytesIO(fetch(feed_url)[0]))
    assert feed["episodes"]
    for episode in feed["episodes"]:
        [enclosure] = episode["enclosures"]
        body, headers = fetch(enclosure["url"])
        assert int(headers["Content-Length"]) == len(body) == enclosure["file_size"]
        assert body == files[enclosure["url"].removeprefix(seaweed.public_url("seed/"))]


def test_gpodder_subscribes_to_the_feed_the_bucket_serves_and_downloads_every_episode_byte_identical(
    seaweed, seed, tmp_path
):
    gpo = tool("gpo")
    assert narrate(seaweed, "publish", "--config", str(seed)).returncode == 0
    downloads = tmp_path / "downloads"
    environment = {**os.environ, "HOME": str(tmp_path), "GPODDER_HOME": str(tmp_path / "gpodder"),
                   "GPODDER_DOWNLOAD_DIR": str(downloads)}
    output = ""
    for command in (["subscribe", seaweed.public_url("seed/feeds/test.xml")], ["update"], ["download"]):
        result = subprocess.run([gpo, *command], capture_output=True, text=True, env=environment, timeout=120)
        output += result.stdout + result.stderr
    episodes = sorted((seed.parent / "audio").glob("*.mp3"))
    assert f"{len(episodes)} episodes downloaded" in output, output
    assert sorted(path.read_bytes() for path in downloads.rglob("*.mp3")) == sorted(p.read_bytes() for p in episodes)


def test_a_republish_sends_nothing_and_after_an_edit_only_what_changed(seaweed, seed, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(seed.parent, root)
    config = root / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("/seed/", "/edits/"), encoding="utf-8")
    assert narrate(seaweed, "publish", "--config", str(config)).returncode == 0
    before = seaweed.listing("edits/")
    again = narrate(seaweed, "publish", "--config", str(config))
    assert again.returncode == 0 and "sent 0 files (0 bytes)" in again.stdout, again.stdout
    assert seaweed.listing("edits/") == before
    record = record_path(root, load_config(config).publish)
    record.write_bytes(b"\xff not JSON")
    rechecked = narrate(seaweed, "publish", "--config", str(config))
    assert "sent 0 files (0 bytes)" in rechecked.stdout, "a damaged record: the ETags say nothing changed"
    assert f"Warning: {record}: is not UTF-8 text" in rechecked.stderr and "Traceback" not in rechecked.stderr

    edit_seed(root, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments on his first visit")
    build_in_process(config)
    changed = {path for path, data in local_files(root).items() if before[path][1] != hashlib.md5(data).hexdigest()}
    assert {Path(path).suffix for path in changed} >= {".mp3", ".vtt", ".xml", ".html"}
    assert not any(path.endswith(("cover.png", "player.js", "player.css")) for path in changed)
    dry = narrate(seaweed, "publish", "--dry-run", "--config", str(config))
    assert dry.returncode == 0, dry.stderr
    listed = {line.split()[-1] for line in dry.stdout.splitlines() if line.split()[:1] == ["replace"]}
    assert listed == changed
    assert f"Would send {len(changed)} files" in dry.stdout and "Nothing was sent" in dry.stdout
    assert seaweed.listing("edits/") == before, "--dry-run changed the bucket"
    result = narrate(seaweed, "publish", "--config", str(config))
    assert f"sent {len(changed)} files" in result.stdout, result.stdout
    assert_bucket_holds(seaweed, "edits/", root)


def test_dry_run_lists_deletions_and_a_publish_deletes_only_in_narrates_folders_below_the_prefix(
    seaweed, seed, tmp_path
):
    root = tmp_path / "site"
    shutil.copytree(seed.parent, root)
    config = root / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("/seed/", "/tidy/"), encoding="utf-8")
    client = seaweed.client()
    foreign = {"tidy/audio/withdrawn.mp3": b"x" * 2048, "tidy/embeds/withdrawn/index.html": b"<p>",
               "tidy/images/logo.png": b"logo", "tidy/audio/.htaccess": b"deny", "elsewhere/audio/a.mp3": b"a"}
    for key, data in foreign.items():
        client.put_object(Bucket=seaweed.bucket, Key=key, Body=data)
    dry = narrate(seaweed, "publish", "-n", "--config", str(config))
    lines = [line.split() for line in dry.stdout.splitlines()]
    assert ["delete", "2.0", "kB", "audio/withdrawn.mp3"] in lines
    assert ["delete", "3", "bytes", "embeds/withdrawn/index.html"] in lines
    assert ["add", "feeds/test.xml"] in [[line[0], line[-1]] for line in lines]
    assert "and delete 2 files (2.1 kB)" in dry.stdout
    assert set(seaweed.listing("")) >= {key for key in foreign}, "--dry-run deleted something"

    assert narrate(seaweed, "publish", "--config", str(config)).returncode == 0
    assert_bucket_holds(seaweed, "tidy/", root)
    kept = set(seaweed.listing(""))
    assert {"tidy/images/logo.png", "tidy/audio/.htaccess", "elsewhere/audio/a.mp3"} <= kept
    assert not {"tidy/audio/withdrawn.mp3", "tidy/embeds/withdrawn/index.html"} & kept


def test_build_publish_builds_then_publishes_and_refuses_a_wrong_bucket_before_building(seaweed, tmp_path):
    config = s3_project(tmp_path, seaweed, "built/", backend="espeak-ng", seeds=False)
    (tmp_path / "seeds" / "short.md").write_text("# A short story\n\nIt is one sentence long.\n", encoding="utf-8")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(config.read_text(encoding="utf-8").replace("s3://podcasts/", "s3://no-such-bucket/"),
                     encoding="utf-8")
    refused = narrate(seaweed, "build", "--publish", "--config", str(wrong))
    assert refused.returncode == 1 and "does not exist" in refused.stderr
    assert not (tmp_path / "audio").exists(), "the build ran although the bucket is wrong"
    result = narrate(seaweed, "build", "--publish", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Built 1 episode" in result.stdout and "Published to s3://podcasts/built" in result.stdout
    assert_bucket_holds(seaweed, "built/", tmp_path)


WRONG = {
    "a wrong secret key": ((WRITER[0], "not-the-writer-secret-93ab71"), "secret key does not match the access key"),
    "an unknown access key": (("NOSUCHACCESSKEY", "some-secret-value-0c1d2e"), "does not know this access key"),
    "a key that may only read": (READER, "access denied"),
}


@pytest.mark.parametrize("case", WRONG, ids=list(WRONG))
def test_wrong_credentials_are_one_line_without_the_secret(seaweed, seed, tmp_path, case):
    key, expected = WRONG[case]
    root = tmp_path / "site"
    shutil.copytree(seed.parent, root)
    config = root / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("/seed/", "/denied/"), encoding="utf-8")
    result = narrate(seaweed, "publish", "--config", str(config), key=key)
    assert_one_error_line(result, expected, secret=key[1])


@pytest.mark.parametrize("wrong, right, expected", [
    ("s3://no-such-bucket/", "s3://podcasts/", "the bucket 'no-such-bucket' does not exist at http://127.0.0.1"),
    ("http://127.0.0.1:9", None, "cannot reach http://127.0.0.1:9 after 5 tries"),
], ids=["no such bucket", "unreachable endpoint"])
def test_a_wrong_bucket_or_endpoint_is_one_line(seaweed, seed, tmp_path, wrong, right, expected):
    config = tmp_path / "narrate.toml"
    text = seed.read_text(encoding="utf-8")
    publish_section = text.index("[publish]")
    changed = text[publish_section:].replace(right or seaweed.endpoint, wrong)
    config.write_text(text[:publish_section] + changed, encoding="utf-8")
    result = narrate(seaweed, "publish", "--config", str(config), "--output", str(seed.parent))
    assert_one_error_line(result, expected, secret=WRITER[1])


def test_an_unknown_aws_profile_is_one_line(seed, monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_PROFILE", "newsroom")
    with pytest.raises(PublishError) as raised:
        publish(load_config(seed))
    assert str(raised.value) == ("s3://podcasts/seed: the AWS profile 'newsroom' (publish.profile or AWS_PROFILE) is "
                                 "not in ~/.aws/config or ~/.aws/credentials")


def assert_one_error_line(result: subprocess.CompletedProcess, expected: str, secret: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr
    assert secret not in result.stdout + result.stderr


class FlakyProxy(ThreadingHTTPServer):
    """Forwards every request to the S3 server, except that it answers the first PUT with 503 and drops
    the connection of the second without an answer: what a store under load or a bad network does."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), FlakyHandler)
        self.upstream = urllib.parse.urlsplit(upstream).netloc
        self.puts = 0
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FlakyHandler(BaseHTTPRequestHandler):
    server: FlakyProxy
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._forward()

    do_HEAD = do_POST = do_DELETE = do_GET

    def do_PUT(self) -> None:
        with self.server.lock:
            self.server.puts += 1
            count = self.server.puts
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if count == 1:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif count == 2:
            self.close_connection = True
            self.connection.shutdown(2)
        else:
            self._forward(body)

    def _forward(self, body: bytes | None = None) -> None:
        if body is None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


class CountingProgress:
    """Adds up what a publish says it sent (from several threads at once)."""

    def __init__(self) -> None:
        self.planned_bytes, self.sent_bytes = -1, 0
        self.lock = threading.Lock()

    def planned(self, total_bytes: int) -> None:
        self.planned_bytes = total_bytes

    def sent(self, count: int) -> None:
        with self.lock:
            self.sent_bytes += count

    def waiting(self, holder: str) -> None:
        pass


def test_a_5xx_answer_and_a_dropped_connection_are_retried_and_the_byte_count_stays_true(
    seaweed, seed, tmp_path, monkeypatch
):
    proxy = FlakyProxy(seaweed.endpoint)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        root = tmp_path / "site"
        shutil.copytree(seed.parent, root)
        config = root / "narrate.toml"
        text = config.read_text(encoding="utf-8").replace("/seed/", "/flaky/")
        config.write_text(text.replace(f'endpoint_url = "{seaweed.endpoint}"', f'endpoint_url = "{proxy.endpoint}"'),
                          encoding="utf-8")
        for name, value in seaweed.environment().items():
            monkeypatch.setenv(name, value)
        progress = CountingProgress()
        report = publish(load_config(config), progress)
    finally:
        proxy.shutdown()
    assert proxy.puts == report.sent + 2, "the 503 and the dropped connection were not retried"
    assert progress.sent_bytes == progress.planned_bytes == report.sent_bytes
    assert_bucket_holds(seaweed, "flaky/", root)
