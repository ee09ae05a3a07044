"""A user's install: `pip install` of the project, with the extras `bash .ci/install` installs (the
bundled Piper voice), into a fresh venv made with the system Python's own pip (23.x on Python 3.11,
which does not resolve lxml's html_clean extra), then a build that reads an HTML page, and the voice
an English article gets by default. It takes a minute or so: one venv, one test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from .conftest import REPO, make_project

SOURCES = ("pyproject.toml", "README.md", "narrate")
"""What building the package reads: copied, so that pip's in-tree build leaves nothing in the checkout."""


def installed_extras() -> str:
    """The extras the README's first command (`bash .ci/install`, without --dev) installs, e.g. "[piper]"."""
    found = re.search(r'^extras="\.(\[[\w,]+\])"$', (REPO / ".ci" / "install").read_text(encoding="utf-8"), re.M)
    assert found, ".ci/install names no extras"
    return found.group(1)


def system_python() -> str:
    """The system's Python with the venv module: /usr/bin/python3, else the first python3 on PATH
    outside any virtual environment (not the one running the tests)."""
    outside_venvs = os.pathsep.join(
        folder for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder).parent / "pyvenv.cfg").exists()
    )
    for python in ("/usr/bin/python3", shutil.which("python3", path=outside_venvs)):
        if python and Path(python).exists() and _has_venv(python):
            return python
    pytest.fail("no system Python with the venv module (Debian: apt-get install python3-venv)")


def _has_venv(python: str) -> bool:
    return subprocess.run([python, "-c", "import ensurepip, venv"], capture_output=True).returncode == 0


def run(*command: str | Path, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """`command` without the test run's PYTHONPATH (which would put the checkout before the installed package)."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_pip_install_into_a_fresh_venv_reads_html(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, source / name)
    venv = tmp_path / "venv"
    run(system_python(), "-m", "venv", venv, cwd=tmp_path, timeout=120)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"{source}{installed_extras()}",
        cwd=tmp_path, timeout=900)

    installed = run(venv / "bin" / "python", "-c", "import importlib.metadata as m; print(m.version('narrate-podcast'))",
                    cwd=tmp_path, timeout=60).stdout.strip()
    said = run(venv / "bin" / "narrate", "--version", cwd=tmp_path, timeout=60).stdout.strip()
    assert said == f"narrate {installed}"

    project = tmp_path / "project"
    config = make_project(project, backend="espeak-ng", seeds=False)
    (project / "seeds" / "bridge.html").write_text(
        '<html lang="en"><head><title>The bridge opens</title></head><body><nav>Home | News</nav><article>'
        "<h1>The bridge opens</h1><p>The new bridge over the river opened on Tuesday after three years of work."
        "</p><p>Crowds walked across it in the evening.</p></article></body></html>", encoding="utf-8")
    (project / "seeds" / "note.md").write_text("# A short note\n\nThe council meets again next week.\n", encoding="utf-8")
    built = run(venv / "bin" / "narrate", "build", "--config", config, cwd=project, timeout=300)

    assert "Error" not in built.stderr, built.stderr
    titles = [item.findtext("title") for item in ElementTree.parse(project / "feeds" / "test.xml").iter("item")]
    assert sorted(titles) == ["A short note", "The bridge opens"]
    assert (project / "audio" / "the-bridge-opens.mp3").stat().st_size > 10_000

    inspected = run(venv / "bin" / "narrate", "inspect", "--json", "--config", project / "none.toml",
                    project / "seeds" / "note.md", cwd=project, timeout=120)
    assert json.loads(inspected.stdout)["voice"] == "piper:en_US-joe-medium"
