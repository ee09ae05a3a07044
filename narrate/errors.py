"""Errors a user can act on: the CLI prints them as one line and exits non-zero, without a traceback."""

from __future__ import annotations

from pathlib import Path


class NarrateError(Exception):
    """Root of every error narrate reports to the user; anything else is a bug and keeps its traceback."""

    def __init__(self, message: str, where: str | Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = str(where) if where is not None else None

    def located(self, where: str | Path) -> NarrateError:
        """This error, naming `where` it happened unless it already names a place."""
        if self.where is None:
            self.where = str(where)
        return self

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ConfigError(NarrateError):
    """narrate.toml is missing or wrong; `problems` lists every issue found, not just the first."""

    def __init__(self, problems: list[str], where: str | Path | None = None) -> None:
        super().__init__("; ".join(problems), where)
        self.problems = problems


class ArticleError(NarrateError):
    """One input could not be read as an article; the others still build."""


class SynthesisError(NarrateError):
    """A text-to-speech backend could not produce audio."""


class AudioError(NarrateError):
    """ffmpeg could not encode or decode audio."""


class PublishError(NarrateError):
    """A publish target could not be read or written: wrong credentials or bucket, unreachable, a full disk."""
