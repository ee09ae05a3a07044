"""How much the command line says: -v and -q, which every command takes before or after its name
(`narrate -q build`, `narrate build -q`), and the log lines they let through."""

from __future__ import annotations

import logging
from typing import Any

import typer
from typer.main import get_command

from ..errors import one_line

QUIET, VERBOSE = "narrate.quiet", "narrate.verbose"
"""Where the options leave their counts in the context (shared by a command and its group)."""


def verbosity_options() -> list[Any]:
    """Fresh -v and -q options to add to a command's parameters."""
    return list(get_command(_OPTIONS).params)


def is_quiet(ctx: typer.Context) -> bool:
    """-q was given: print only errors (for cron), and let the exit code say the rest."""
    return bool(ctx.meta.get(QUIET))


def _count(ctx: typer.Context, param: typer.CallbackParam, value: int) -> None:
    """Counted over every place the option is given; the log level follows each time one is parsed."""
    key = QUIET if param.name == "quiet" else VERBOSE
    ctx.meta[key] = ctx.meta.get(key, 0) + value
    verbose, quiet = ctx.meta.get(VERBOSE, 0), ctx.meta.get(QUIET, 0)
    show_logs(logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)


_OPTIONS = typer.Typer(add_completion=False)


@_OPTIONS.command()
def _options(
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, expose_value=False, callback=_count, show_default=False,
        help="Log narrate's own steps (-vv: in detail).",
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", expose_value=False, callback=_count,
        help="Print only errors (for cron): no progress, summary or warnings. Wins over -v.",
    ),
) -> None:
    """Never called: typer makes the options from its signature."""


class _LogLines(logging.StreamHandler):  # type: ignore[type-arg]
    """narrate's own log records, on stderr, one line each. Other libraries' are never shown: what
    matters in them reaches the user as narrate's own errors and warnings, and their debug logging
    is a flood."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(logging.Filter("narrate"))
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


def show_logs(level: int) -> None:
    """Show narrate's log records from `level` up, and no other library's.

    Other loggers keep the root's level (WARNING), so their debug lines are not even formatted.
    """
    root = logging.getLogger()
    for handler in [handler for handler in root.handlers if isinstance(handler, _LogLines)]:
        root.removeHandler(handler)
    root.addHandler(_LogLines())
    logging.getLogger("narrate").setLevel(level)
