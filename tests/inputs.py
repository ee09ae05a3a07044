"""Helpers for tests that build a project from hand-written input files and read what came out."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from narrate.cli import app


OUTPUTS = ("audio", "feeds", "embeds", "index.html", ".narrate")


def run_build(config: Path):
    """`narrate build` through the CLI: its result, warning lines and error lines."""
    result = CliRunner().invoke(app, ["build", "--config", str(config)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    return result, [line for line in lines if line.startswith("Warning:")], [line for line in lines if line.startswith("Error:")]


def published_text(root: Path) -> str:
    """Everything a build published, as text (MP3 tags and transcripts included), to search for leaks."""
    files = [path for name in OUTPUTS[:4] for path in (root / name).rglob("*") if path.is_file()]
    files += [root / "index.html"] if (root / "index.html").is_file() else []
    return "\n".join(path.read_bytes().decode("utf-8", "replace") for path in files)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def markdown(title: str, body: str, **fields: str) -> str:
    front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    return f"---\ntitle: {json.dumps(title)}\n{front}---\n{body}\n"
