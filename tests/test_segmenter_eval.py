"""bench/segmenter_eval.py scores the reader against labels and fails when a target is missed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

PAGE = """ date 2024-05-02 Inside the investigation everyone talks about
Skip to content
Council passes the budget
by Anna Kovalenko May 3, 2024 10:15 AM 3 min read
The city council approved the new budget on Tuesday after a long debate.
Officials said the money would go to schools, roads and the water network.
Read more
"""
LABEL = {
    "language": "en",
    "title": "Council passes the budget",
    "date": "2024-05-03",
    "author": "Anna Kovalenko",
    "body": [
        "The city council approved the new budget on Tuesday after a long debate.",
        "Officials said the money would go to schools, roads and the water network.",
    ],
    "boilerplate": [
        " date 2024-05-02 Inside the investigation everyone talks about",
        "Skip to content",
        "by Anna Kovalenko May 3, 2024 10:15 AM 3 min read",
        "Read more",
    ],
}


def evaluate(tmp_path: Path, label: dict) -> subprocess.CompletedProcess[str]:
    (tmp_path / "raw").mkdir()
    (tmp_path / "labels").mkdir()
    (tmp_path / "raw" / "01_page.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "labels" / "01_page.json").write_text(json.dumps(label), encoding="utf-8")
    script = REPO / "bench" / "segmenter_eval.py"
    return subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120)


def test_a_page_read_as_labelled_meets_every_target(tmp_path):
    result = evaluate(tmp_path, LABEL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1.000 1.000 1.000" in result.stdout
    assert "targets" in result.stdout and "met" in result.stdout


@pytest.mark.parametrize(
    "change, shown",
    [
        ({"author": "Someone Else"}, "WRONG"),
        ({"body": LABEL["body"] + ["A paragraph the reader never found."]}, "0.667"),
        ({"body": LABEL["body"][:1], "boilerplate": LABEL["boilerplate"] + LABEL["body"][1:]}, "boilerplate spoken"),
    ],
)
def test_a_missed_target_is_shown_and_fails(tmp_path, change, shown):
    result = evaluate(tmp_path, LABEL | change)
    assert result.returncode == 1
    assert shown in result.stdout
    assert "MISSED" in result.stdout
