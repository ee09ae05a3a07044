"""A backend that crashes its worker or hangs fails only its own article; the rest build and the feed stays valid."""

from __future__ import annotations

import subprocess
import sys

import feedparser

from .conftest import make_project
from .plugins import install_tone_backend


def test_crashing_and_hanging_articles_fail_alone(tmp_path):
    # The deadline includes a fresh worker's start-up, which takes seconds on a loaded machine.
    env = install_tone_backend(tmp_path / "plugins")
    config = make_project(tmp_path / "project", backend="tone")
    config.write_text(config.read_text().replace("[build]", "timeout = 10\n\n[build]").replace("jobs = 1", "jobs = 2"))
    seeds = tmp_path / "project" / "seeds"
    (seeds / "crash.txt").write_text("Crashing article\n\nFirst sentence is fine. This one says CRASH here.\n")
    (seeds / "hang.txt").write_text("Hanging article\n\nAll good.\n\nThe second paragraph says HANG.\n")
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2, result.stderr
    assert any("crash.txt: paragraph 1: the tone worker crashed" in line for line in errors)
    assert any("hang.txt: paragraph 2: the tone backend did not finish within 10 s" in line for line in errors)
    assert "Built 1 episode, 2 failed" in result.stdout
    feed = feedparser.parse((tmp_path / "project" / "feeds" / "test.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 1
