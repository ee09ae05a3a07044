"""The README and docs/ point only at what a clone has: every relative link, anchor and repository path resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO

DOCUMENTS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
REPOSITORY_PATH = re.compile(r"(?:narrate|tests|bench|docs|seeds|\.ci)/[\w./-]*")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def prose(document: Path) -> str:
    """The document without its fenced code blocks, which show commands and output, not references."""
    return FENCE.sub("", document.read_text(encoding="utf-8"))


def anchors(document: Path) -> set[str]:
    """The anchors GitHub gives the document's headings: lowercased, punctuation dropped, spaces to hyphens."""
    found: set[str] = set()
    for heading in HEADING.findall(prose(document)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        number, unique = 0, slug
        while unique in found:
            number += 1
            unique = f"{slug}-{number}"
        found.add(unique)
    return found


def name(document: Path) -> str:
    return document.relative_to(REPO).as_posix()


@pytest.mark.parametrize("document", DOCUMENTS, ids=name)
def test_every_relative_link_and_anchor_resolves(document):
    broken = []
    for target in LINK.findall(prose(document)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists() or not linked.resolve().is_relative_to(REPO):
            broken.append(target)
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            broken.append(target)
    assert broken == [], f"{name(document)} links to what the repository does not have"


@pytest.mark.parametrize("document", DOCUMENTS, ids=name)
def test_every_repository_path_named_in_code_exists(document):
    named = {
        match.group().rstrip("/.")
        for _, code in CODE_SPAN.findall(prose(document))
        for match in [REPOSITORY_PATH.fullmatch(code.strip())]
        if match
    }
    assert named, f"{name(document)} names no repository path: the pattern no longer matches the docs"
    missing = sorted(path for path in named if not (REPO / path).exists())
    assert missing == [], f"{name(document)} names files the repository does not have"


def test_the_readme_shows_the_command_ci_runs():
    command = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"\n{command}\n" in (REPO / "README.md").read_text(encoding="utf-8")
