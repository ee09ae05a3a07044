"""The `narrate` command's entry point (also `python -m narrate`).

The command-line module is imported inside `main`, not at the top: synthesis workers are spawned
processes that import the entry point's module again, and they need nothing of the CLI.
"""

import signal
from typing import NoReturn

from .errors import Stopped

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that stop a command as Ctrl-C does (Windows has no SIGHUP)."""


def main() -> NoReturn:
    """Run the command; the app always ends the process (SystemExit) with the status the command chose."""
    from .cli import app

    _stop_on_signals()
    app(prog_name="narrate")


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP raise Stopped wherever the main thread is. The entry point, not the CLI,
    takes the process's signals: the CLI also runs inside other programs and tests."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_stopped)


def _raise_stopped(signum: int, frame: object) -> None:
    for other in STOP_SIGNALS:  # a second signal must not cut short the clean-up this one starts
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


if __name__ == "__main__":
    main()
