"""A publish killed (SIGKILL) at any moment leaves the public feed naming only files that exist with the
enclosure's length, and the next publish completes it: for a SeaweedFS bucket and for a folder.

The scenario is a newsroom's next publish: one episode new, one re-voiced (longer, at the same URL),
one withdrawn (its files gone from the output), the others unchanged. A re-voiced episode keeps its
URL, so from the moment its new MP3 is stored until the new feed is, the old feed names it with its
old length: the plan sends replacements last before the feeds, and the check below allows exactly
that and nothing else.

Against a local server the sending lasts a fraction of a second after ~0.7 s of start-up, so most
kills come from inside the publishing process, right after its N-th completed request (S3: while
the others in flight are cut off mid-transfer) or its N-th byte (folder: mid-copy); a few kills
are timed from outside."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import podcastparser

from narrate import load_config
from narrate.tools.publish import publish

from .conftest import BASE_URL, make_project
from .test_interruption import article
from .test_publish_s3 import PUBLISH, assert_bucket_holds, build_in_process, fetch, local_files

KILLER = """
import os, signal, sys, threading
from narrate.publish import s3, targets
config, unit, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
count, lock = [0], threading.Lock()

def step(amount):
    with lock:
        count[0] += amount
        if count[0] >= limit:
            os.kill(os.getpid(), signal.SIGKILL)

def counting(method):
    def put_or_delete(self, *args):
        if unit == "bytes" and method.__name__ == "put":
            source, upload, on_bytes = args
            args = (source, upload, lambda n: (on_bytes(n), step(n)))
        result = method(self, *args)
        if unit == "requests":
            step(1)
        return result
    return put_or_delete

targets.CHUNK = 4096  # copy a folder's files in small pieces, so a kill by bytes lands inside one
for target in (s3.S3Target, targets.FolderTarget):
    target.put, target.delete = counting(target.put), counting(target.delete)
sys.argv = ["narrate", "publish", "--config", config]
from narrate.__main__ import main
main()
"""
TIMED_KILLS = 3
"""Kills timed from outside, spread over one whole publish as the CLI runs it."""
MOMENTS = 12
"""Kills from inside, after the N-th request (S3) or byte (folder), spread evenly over the publish."""
REVOICED = "story-number-1"
WITHDRAWN = "story-number-3"


def versions(root: Path, publish_settings: str, base_url: str = BASE_URL) -> tuple[Path, Path]:
    """Output A (four stories) and B (story 1 re-voiced longer, story 4 new, story 3 withdrawn), built from A."""
    config = make_project(root / "a", backend="counting", seeds=False)
    text = config.read_text(encoding="utf-8").replace(BASE_URL, base_url)
    config.write_text(text + publish_settings, encoding="utf-8")
    for number in range(4):
        (root / "a" / "seeds" / f"story{number}.txt").write_text(article(number, 2 + number), encoding="utf-8")
    build_in_process(config)
    shutil.copytree(root / "a", root / "b")
    seeds = root / "b" / "seeds"
    (seeds / "story1.txt").write_text(article(1, 6), encoding="utf-8")
    (seeds / "story4.txt").write_text(article(4, 3), encoding="utf-8")
    (seeds / "story3.txt").unlink()
    build_in_process(root / "b" / "narrate.toml")
    for path in [*(root / "b").glob(f"audio/{WITHDRAWN}.*"), *(root / "b").glob(f"embeds/{WITHDRAWN}*")]:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return root / "a" / "narrate.toml", root / "b" / "narrate.toml"


def assert_feed_names_only_whole_files(feed: bytes, size_at: Callable[[str], int | None], a: Path, b: Path) -> None:
    """The public feed is A's or B's, and every enclosure it names exists with the enclosure's length;
    only under A's feed may the re-voiced episode already have B's bytes."""
    feeds = {(a / "feeds" / "test.xml").read_bytes(): "a", (b / "feeds" / "test.xml").read_bytes(): "b"}
    assert feed in feeds, "the public feed is neither the old nor the new one"
    for episode in podcastparser.parse("feed.xml", io.BytesIO(feed))["episodes"]:
        [enclosure] = episode["enclosures"]
        name = enclosure["url"].rsplit("/", 1)[1]
        size = size_at(enclosure["url"])
        assert size is not None, f"the feed names {name}, which is missing"
        if feeds[feed] == "a" and name.startswith(REVOICED):
            assert size in (enclosure["file_size"], (b / "audio" / name).stat().st_size)
        else:
            assert size == enclosure["file_size"], f"{name} is not the length the feed says"


def run_killed(config: Path, environment: dict[str, str], unit: str, limit: int) -> None:
    process = subprocess.run([sys.executable, "-c", KILLER, str(config), unit, str(limit)], env=environment,
                             capture_output=True, text=True, timeout=120)
    assert process.returncode in (-signal.SIGKILL, 0), process.stderr


def run_timed(config: Path, environment: dict[str, str], seconds: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "narrate", "publish", "--config", str(config)], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def timed_publish(config: Path, environment: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "narrate", "publish", "--config", str(config)], env=environment, check=True,
                   capture_output=True, timeout=120)
    return time.monotonic() - started


def moments(total: int) -> list[int]:
    """MOMENTS distinct counts from 1 to `total`, evenly spread."""
    return sorted({max(1, round(total * (index + 1) / MOMENTS)) for index in range(MOMENTS)})


def test_a_publish_to_a_bucket_killed_at_any_moment_never_breaks_the_public_feed(seaweed, tmp_path, monkeypatch):
    for name, value in seaweed.environment().items():
        monkeypatch.setenv(name, value)
    environment = {**os.environ}
    settings = PUBLISH.format(bucket=seaweed.bucket, prefix="kill/", endpoint=seaweed.endpoint)
    a, b = versions(tmp_path, settings, seaweed.public_url("kill/"))
    publish(load_config(a))
    whole = publish(load_config(b))
    assert whole.sent >= 8 and whole.deleted >= 4
    requests = whole.sent + 1  # and one to delete
    publish(load_config(a))
    seconds = timed_publish(b, environment)

    def size_at(url: str) -> int | None:
        try:
            return int(fetch(url, "HEAD")[1]["Content-Length"])
        except OSError:
            return None

    kills = [("seconds", seconds * (index + 1) / (TIMED_KILLS + 1)) for index in range(TIMED_KILLS)]
    kills += [("requests", count) for count in moments(requests)]
    assert len(kills) >= 10
    for unit, amount in kills:
        publish(load_config(a))
        if unit == "seconds":
            run_timed(b, environment, amount)
        else:
            run_killed(b, environment, unit, int(amount))
        feed = fetch(seaweed.public_url("kill/feeds/test.xml"))[0]
        assert_feed_names_only_whole_files(feed, size_at, a.parent, b.parent)
        publish(load_config(b))
        assert_bucket_holds(seaweed, "kill/", b.parent)


def test_a_publish_to_a_folder_killed_at_any_moment_never_breaks_the_feed_there(tmp_path):
    www = tmp_path / "www"
    a, b = versions(tmp_path, f'\n[publish]\ntarget = "{www}"\n')
    publish(load_config(a))
    total = publish(load_config(b)).sent_bytes

    def size_at(url: str) -> int | None:
        path = www / url.removeprefix(BASE_URL)
        return path.stat().st_size if path.is_file() else None

    for limit in moments(total):
        publish(load_config(a))
        run_killed(b, dict(os.environ), "bytes", limit)
        assert_feed_names_only_whole_files((www / "feeds" / "test.xml").read_bytes(), size_at, a.parent, b.parent)
        publish(load_config(b))
        assert local_files(www) == local_files(b.parent)
        assert not list(www.rglob(".*.part")), "a temporary file of the killed publish is left"
