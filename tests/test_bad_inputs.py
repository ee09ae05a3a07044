"""One build over every kind of bad input at once: each bad file is one `Error:` line naming it, nothing
prints a traceback, and the good article is still built and listed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import make_project, published_feed

GOOD = "---\ntitle: The good article\ndate: 2024-10-15\n---\n\nThe council met on Tuesday and agreed the budget.\n"
BAD = {
    "empty.md": "",
    "yaml-typo.md": "---\ntitle: [unclosed\n---\n\nA body.\n",
    "no-such-month.md": "---\ntitle: A date that cannot be\ndate: 2024-13-45\n---\n\nA body.\n",
    "past-the-calendar.md": "---\ntitle: After the year 9999\ndate: 9999-12-31T23:00:00-12:00\n---\n\nA body.\n",
    "no-such-backend.md": "---\ntitle: A voice nobody has\nvoice: nosuchbackend:x\n---\n\nA body.\n",
    "not-a-feed.xml": "<?xml version='1.0'?><catalogue><book/></catalogue>",
    "empty-feed.rss": "",
    "no-body.html": "<html><head><title>Only a title</title></head><body></body></html>",
}


def test_every_bad_input_is_one_line_naming_its_file_and_the_good_article_is_built(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    seeds = tmp_path / "seeds"
    (seeds / "good.md").write_text(GOOD, encoding="utf-8")
    for name, text in BAD.items():
        (seeds / name).write_bytes(text.encode("utf-8"))
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 16)  # an image or archive saved as .txt

    done = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        capture_output=True, text=True, timeout=300,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    bad = sorted([*BAD, "binary.txt"])
    assert sorted(next(name for name in bad if name in line) for line in errors) == bad, errors
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["The good article"]
