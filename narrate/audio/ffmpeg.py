"""Run ffmpeg with audio streamed to its stdin, so an episode is never joined into one big buffer."""

from __future__ import annotations

import signal
import subprocess
import tempfile
from collections.abc import Iterable

from ..errors import AudioError


def run_with_input(command: list[str], pieces: Iterable[bytes | memoryview], doing: str) -> str:
    """Run ffmpeg with `pieces` streamed to its stdin; returns its log, raises AudioError if it fails.

    The log goes to a temporary file, not a pipe, so a chatty ffmpeg can never block on a full pipe
    while we are still writing its input.
    """
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        except FileNotFoundError:
            raise AudioError("the ffmpeg command is not installed: apt-get install ffmpeg") from None
        assert process.stdin is not None
        try:
            for piece in pieces:
                process.stdin.write(piece)
            process.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped reading: its exit status and log say why
        returncode = process.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
    if returncode != 0:
        raise AudioError(f"ffmpeg could not {doing}: {text.strip()[-300:] or _ended(returncode)}")
    return text


def _ended(returncode: int) -> str:
    """How ffmpeg ended when it logged nothing: killed by a signal (SIGXFSZ when a file limit is hit) or its status."""
    if returncode < 0:
        return f"it was stopped by {signal.Signals(-returncode).name}"
    return f"it ended with status {returncode}"
