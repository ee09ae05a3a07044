"""`narrate init`: a new project that builds as it is, with every setting written out, commented."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import NarrateError

CONFIG_NAME = "narrate.toml"
ARTICLES = "articles"
EXAMPLE = "example.md"
"""The example article's name in articles/: a build publishes it until it is replaced."""


def init_project(folder: Path) -> list[Path]:
    """Write FOLDER/narrate.toml and, when FOLDER/articles holds nothing yet, an example article in it.

    An existing narrate.toml is never overwritten: the project would lose its settings. Returns the
    files written.
    """
    config = folder / CONFIG_NAME
    if config.exists():
        raise NarrateError(f"{config} already exists; narrate init only starts new projects (edit that file instead)")
    articles = folder / ARTICLES
    written = []
    try:
        articles.mkdir(parents=True, exist_ok=True)
        if not any(articles.iterdir()):
            written.append(_write_new(articles / EXAMPLE, "init-example.md"))
        written.append(_write_new(config, "init-narrate.toml"))
    except FileExistsError as error:
        raise NarrateError(f"{error.filename} already exists; narrate init only starts new projects") from None
    except OSError as error:
        raise NarrateError(f"cannot write {error.filename or folder}: {error.strerror}") from None
    return written


def _write_new(path: Path, asset: str) -> Path:
    """Write a packaged template to `path`, which must not exist yet (checked by the open itself)."""
    with path.open("xb") as file:
        file.write((files("narrate") / "assets" / asset).read_bytes())
    return path
