"""Errors a user can act on: the CLI prints them as one line and exits non-zero, without a traceback."""

from __future__ import annotations

import errno
import unicodedata
from pathlib import Path

LINE_BREAKING = ("Cc", "Zl", "Zp")
"""Unicode categories of control characters and line and paragraph separators."""


def one_line(text: str) -> str:
    """`text` with its control characters written as escapes (a newline as \\n): a file name holding
    a newline or a terminal escape still gives one plain line."""
    return "".join(_escaped(char) if unicodedata.category(char) in LINE_BREAKING else char for char in text)


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


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

    def noted(self, note: str) -> NarrateError:
        """This error, with `note` (what narrate did about it) after its message."""
        self.message = f"{self.message}; {note}"
        return self

    def __str__(self) -> str:
        return one_line(f"{self.where}: {self.message}" if self.where else self.message)


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


class OutputError(NarrateError, OSError):
    """An output file or folder cannot be written: the disk is full, it is read-only, or a file is in the way.

    It is the operating system's error, explained: an OSError too (with its errno and strerror),
    so code that handles OSError around a write still does.
    """

    @classmethod
    def writing(cls, path: str | Path, error: OSError) -> OutputError:
        """The error for `error`, raised while writing `path` (a file's final name, not its temporary one)."""
        explained = cls(f"cannot write: {error.strerror or error}; {_ADVICE.get(error.errno, _OTHERWISE)}", path)
        explained.errno, explained.strerror, explained.filename = error.errno, error.strerror, str(path)
        return explained


_FULL = "free some disk space (or raise the file size limit), then build again"
_READ_ONLY = "make it writable for the user running narrate, then build again"
_IN_THE_WAY = "a file is where a folder should be (or a folder where a file should be): move it away, then build again"
_OTHERWISE = "check the output folder, then build again"
_ADVICE = {
    errno.ENOSPC: _FULL, errno.EFBIG: _FULL, errno.EDQUOT: _FULL,
    errno.EACCES: _READ_ONLY, errno.EPERM: _READ_ONLY, errno.EROFS: _READ_ONLY,
    errno.ENOTDIR: _IN_THE_WAY, errno.EEXIST: _IN_THE_WAY, errno.EISDIR: _IN_THE_WAY,
}


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (from systemd, `docker stop`, cron wrappers), raised in the main thread so
    that a command unwinds as after Ctrl-C: every `finally` runs, workers stop, staged files go."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class PublishError(NarrateError):
    """A publish target could not be read or written: wrong credentials or bucket, unreachable, a full disk."""
