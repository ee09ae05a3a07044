"""Two builds of one output folder never interleave, and a killed build leaves no stuck lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from narrate.errors import NarrateError
from narrate.state.lock import output_lock

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from narrate.state.lock import output_lock
    with output_lock(Path(sys.argv[1]), 0):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def hold_lock(folder, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


def test_second_build_stops_with_a_clear_message_naming_the_holder(tmp_path):
    holder = hold_lock(tmp_path, 30)
    try:
        with pytest.raises(NarrateError, match=rf"another narrate build \(pid {holder.pid}\) is writing to"):
            with output_lock(tmp_path, 0):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_second_build_waits_for_the_first(tmp_path):
    holder = hold_lock(tmp_path, 1.0)
    told: list[str] = []
    started = time.monotonic()
    with output_lock(tmp_path, 30, told.append):
        waited = time.monotonic() - started
    holder.wait()
    assert told == [f"pid {holder.pid}"]
    assert waited > 0.3, "it waited for the first build to release the folder"


def test_a_killed_build_leaves_no_stuck_lock(tmp_path):
    holder = hold_lock(tmp_path, 60)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with output_lock(tmp_path, 0):
        assert (tmp_path / ".narrate" / "build.lock").read_text().strip() == f"pid {os.getpid()}"


def test_narrate_build_refuses_while_another_build_runs(tmp_path):
    from typer.testing import CliRunner

    from narrate.cli import app

    from .conftest import make_project

    config = make_project(tmp_path)
    holder = hold_lock(tmp_path, 30)
    try:
        result = CliRunner().invoke(app, ["build", "--config", str(config), "--wait", "0"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert f"another narrate build (pid {holder.pid})" in result.stderr
    assert not (tmp_path / "feeds").exists()
