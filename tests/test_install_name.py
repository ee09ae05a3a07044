"""narrate is installed by the name `narrate-podcast` (`narrate` on PyPI is an unrelated project): every
install hint a user reads, in messages or docs, names it, and the version pip records is the one
`narrate --version` prints."""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import narrate

from .conftest import REPO

OTHERS_PACKAGE = re.compile(r"""pip install\s+(?:-U\s+|--upgrade\s+)?["']?narrate(?![-\w])""")
"""`pip install narrate`, `pip install "narrate[piper]"`: someone else's package."""


def user_facing_files() -> list:
    """The package's source (its messages) and assets, the README, the docs and the example config."""
    files = [*(REPO / "narrate").rglob("*.py"), *(REPO / "narrate" / "assets").iterdir(),
             REPO / "README.md", *(REPO / "docs").glob("*.md"), REPO / "narrate.toml", REPO / ".ci" / "install"]
    return [path for path in files if path.is_file()]


def test_no_install_hint_names_the_unrelated_narrate_package():
    found = [f"{path.relative_to(REPO)}: {match.group(0)}" for path in user_facing_files()
             for match in OTHERS_PACKAGE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_distribution_name_and_version_come_from_the_package():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == narrate.DISTRIBUTION == "narrate-podcast"
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "narrate.__version__"}


def test_the_piper_hint_names_the_distribution():
    from narrate.tts.piper_backend import INSTALL_HINT

    assert 'pip install "narrate-podcast[piper]"' in INSTALL_HINT
