"""Shared fixtures: a throw-away project folder with the repository's seed article and a config."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

CONFIG = """\
[feed]
name = "test"
title = "Test Feed"
description = "Articles read aloud for the test suite."
base_url = "https://podcasts.example.org/news/"
author = "Test Newsroom"
owner_email = "owner@example.org"
language = "en"
category = "News"

[voice]
backend = "{backend}"

[build]
jobs = 1
"""


def make_project(root: Path, backend: str = "pyttsx3", seeds: bool = True) -> Path:
    """A project folder with narrate.toml and (optionally) the seed articles; returns the config path."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    if seeds:
        for seed in SEEDS.glob("*.txt"):
            shutil.copy(seed, root / "seeds" / seed.name)
    config = root / "narrate.toml"
    config.write_text(CONFIG.format(backend=backend), encoding="utf-8")
    return config


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)
