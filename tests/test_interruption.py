"""A build killed at any moment leaves the previous complete feed or the new one, never a broken one,
and the next build ends exactly where an uninterrupted build would have."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from .conftest import make_project, published_feed
from .plugins import install_tone_backend

KILL_POINTS = 22
PUBLISHED = ("audio", "feeds")


def article(number: int, paragraphs: int) -> str:
    body = "\n\n".join(
        f"Paragraph {p} of story {number} tells what happened next. It has a second sentence too."
        for p in range(paragraphs)
    )
    return f" date 2024-10-{number + 1:02d} \nStory number {number}\n\n{body}\n"


def write_inputs(seeds: Path, version: str) -> None:
    """Version A: four stories. Version B: one story edited, one added (what a newsroom's next build sees)."""
    for number in range(4):
        (seeds / f"story{number}.txt").write_text(article(number, 6 + 3 * number), encoding="utf-8")
    if version == "B":
        (seeds / "story1.txt").write_text(article(1, 12), encoding="utf-8")
        (seeds / "story4.txt").write_text(article(4, 15), encoding="utf-8")


def start_build(config: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )


def run_build(config: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    process = start_build(config, env)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()
    return time.monotonic() - started


def published_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in PUBLISHED
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def check_feed_is_whole(root: Path, allowed: list[bytes]) -> None:
    """The feed is one of the complete feeds and everything it lists is on disk, whole."""
    data = (root / "feeds" / "test.xml").read_bytes()
    assert data in allowed, "the feed on disk is neither the previous nor the new complete feed"
    published_feed(root)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """A project built from version A, and a reference folder built from version B without interruption."""
    base = tmp_path_factory.mktemp("interrupt")
    env = install_tone_backend(base / "plugins")
    before = make_project(base / "before", backend="tone", seeds=False)
    write_inputs(base / "before" / "seeds", "A")
    run_build(before, env)
    reference = make_project(base / "reference", backend="tone", seeds=False)
    write_inputs(base / "reference" / "seeds", "B")
    seconds = run_build(reference, env)
    return base, env, seconds


def test_kill_at_many_moments_never_breaks_the_feed(scenario):
    base, env, build_seconds = scenario
    old_feed = (base / "before" / "feeds" / "test.xml").read_bytes()
    expected = published_files(base / "reference")
    new_feed = expected["feeds/test.xml"]
    assert old_feed != new_feed
    outcomes = []
    for point in range(KILL_POINTS):
        root = base / f"kill{point}"
        shutil.copytree(base / "before", root)
        write_inputs(root / "seeds", "B")
        config = root / "narrate.toml"
        process = start_build(config, env)
        time.sleep(build_seconds * (point + 0.5) / KILL_POINTS)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        check_feed_is_whole(root, [old_feed, new_feed])
        outcomes.append((root / "feeds" / "test.xml").read_bytes() == new_feed)

        run_build(config, env)
        assert published_files(root) == expected, f"kill point {point}: the next build differs from a clean one"
        assert not list(root.rglob(".*.part")), "temporary files were left behind"
        shutil.rmtree(root)
    print(f"{KILL_POINTS} kill points over {build_seconds:.2f} s: {outcomes.count(False)} left the previous feed, "
          f"{outcomes.count(True)} the new one")
    assert False in outcomes, "no kill landed before the new feed was written"


def test_leftover_temporary_files_are_removed_by_the_next_build(scenario):
    base, env, _ = scenario
    root = base / "leftovers"
    shutil.copytree(base / "before", root)
    leftovers = [root / "audio" / ".story0.mp3.abc123.part", root / "feeds" / ".test.xml.x1.part",
                 root / ".narrate" / "clips" / "ab" / ".abcd.clip.zz.part", root / ".index.html.k9.part"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    keep = root / "seeds" / ".notes.part"
    keep.write_text("not ours")
    run_build(root / "narrate.toml", env)
    assert not any(path.exists() for path in leftovers)
    assert keep.exists(), "only narrate's own output folders are cleaned"
    ElementTree.parse(root / "feeds" / "test.xml")
