"""Helpers for tests that build a project from hand-written input files and read what came out."""

from __future__ import annotations

import json
from pathlib import Path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def markdown(title: str, body: str, **fields: str) -> str:
    front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    return f"---\ntitle: {json.dumps(title)}\n{front}---\n{body}\n"
