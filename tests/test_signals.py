"""A build stopped by a signal (SIGTERM from systemd or `docker stop`, SIGHUP, Ctrl-C) ends at once
and whole: exit status 128 + the signal's number, one line saying so, no process of its own left
holding the caller's pipes, and the previous feed still published. A build killed outright
(SIGKILL) takes its synthesis workers with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import make_project, published_feed

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")

STOP_SECONDS = 10.0
"""How long a stopped build may take to exit and to leave no process behind (about 1 s here; generous
for a loaded machine)."""
ARTICLES, PARAGRAPHS, SENTENCES = 12, 8, 4
"""Speech for far longer than a test waits before its signal (about 10 s with two espeak-ng workers)."""


def write_articles(seeds: Path, attempt: int) -> None:
    """New text at every attempt, so no clip is in the cache and synthesis is under way when the signal comes."""
    for number in range(ARTICLES):
        paragraphs = (
            " ".join(f"Sentence {s} of paragraph {p} in story {number} is new at attempt {attempt}."
                     for s in range(SENTENCES))
            for p in range(PARAGRAPHS)
        )
        body = "\n\n".join(paragraphs)
        (seeds / f"story{number}.txt").write_text(f"Story {number}\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A project whose feed was built once from one short article, with two espeak-ng workers."""
    root = tmp_path_factory.mktemp("signals")
    config = make_project(root, backend="espeak-ng", seeds=False)
    config.write_text(config.read_text().replace("jobs = 1", "jobs = 2"), encoding="utf-8")
    (root / "seeds" / "first.txt").write_text("The first story\n\nIt was published before.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return root


def start_build(root: Path) -> subprocess.Popen[bytes]:
    """The real CLI in a session of its own, so that every process it starts can be found afterwards."""
    return subprocess.Popen(
        [sys.executable, "-m", "narrate", "build", "--config", str(root / "narrate.toml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def session_processes(session: int) -> dict[int, str]:
    """Live processes (not zombies) in `session` or its process group: pid → command name."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        state, group, sid = fields[0], int(fields[2]), int(fields[3])
        if state != "Z" and session in (group, sid):
            found[int(entry.name)] = name
    return found


def wait_for_workers(build: subprocess.Popen[bytes], count: int = 2) -> None:
    """Until the build has started `count` synthesis workers (spawned Python processes)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = [pid for pid in session_processes(build.pid) if pid != build.pid and _is_worker(pid)]
        if len(workers) >= count:
            return
        assert build.poll() is None, build.communicate()[1].decode()
        time.sleep(0.02)
    pytest.fail("the build started no synthesis workers within 60 s")


def _is_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def assert_nothing_left(session: int) -> None:
    deadline = time.monotonic() + STOP_SECONDS
    while (left := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"processes of the stopped build are still running: {left}"


def stop_and_check(root: Path, send: Callable[[int], None], signum: int, delay: float) -> None:
    """Start a build, send the signal `delay` s after its workers exist, and check how it ended."""
    feed = (root / "feeds" / "test.xml").read_bytes()
    build = start_build(root)
    wait_for_workers(build)
    time.sleep(delay)
    send(build.pid)
    try:
        stdout, stderr = build.communicate(timeout=STOP_SECONDS)  # both pipes reach their end
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail(f"after {signal.Signals(signum).name} the build's pipes were still open {STOP_SECONDS} s later")
    assert build.returncode == 128 + signum, stderr.decode()
    assert_nothing_left(build.pid)
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    assert lines == [f"Stopped by {signal.Signals(signum).name}: narrate build did not finish."], stderr.decode()
    assert (root / "feeds" / "test.xml").read_bytes() == feed, "the previous feed was replaced"
    assert not [path for folder in ("audio", "feeds") for path in (root / folder).glob(".*.part")], "staging was left"
    assert len(published_feed(root)["episodes"]) == 1


def test_sigterm_and_sighup_stop_the_build_cleanly(published):
    # Several tries at different moments: before the fix, workers outlived the build in some of them.
    for attempt, (signum, delay) in enumerate([(signal.SIGTERM, 0.0), (signal.SIGTERM, 0.3), (signal.SIGTERM, 0.8),
                                               (signal.SIGHUP, 0.4)]):
        write_articles(published / "seeds", attempt)
        stop_and_check(published, lambda pid: os.kill(pid, signum), signum, delay)


def test_ctrl_c_stops_the_build_without_a_worker_traceback(published):
    # Ctrl-C reaches every process of the terminal's foreground group, workers included. Before
    # the fix, a worker still starting (the first 0.2 s or so) printed a traceback in about half
    # of the tries; now only the main process answers.
    for attempt, delay in enumerate([0.05, 0.1, 0.15, 0.4], start=10):
        write_articles(published / "seeds", attempt)
        stop_and_check(published, lambda pid: os.killpg(pid, signal.SIGINT), signal.SIGINT, delay)


def test_workers_end_with_a_build_killed_outright(published):
    for attempt in range(20, 22):
        write_articles(published / "seeds", attempt)
        build = start_build(published)
        wait_for_workers(build)
        time.sleep(0.3)
        os.kill(build.pid, signal.SIGKILL)
        try:
            build.communicate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            build.communicate()
            pytest.fail("the workers of a killed build held its pipes open")
        assert_nothing_left(build.pid)


ORPHAN = '''
import multiprocessing, threading, time
from narrate.tts import worker

def child():
    threading.Thread(target=worker._exit_when_gone, args=(multiprocessing.parent_process(),), daemon=True).start()
    print(multiprocessing.current_process().pid, flush=True)
    time.sleep(60)

if __name__ == "__main__":
    multiprocessing.get_context("spawn").Process(target=child).start()
    time.sleep(60)
'''


def test_where_the_kernel_cannot_end_a_worker_with_its_parent_a_thread_does(tmp_path):
    # The portable way (macOS, Windows), tried here on its own, without PR_SET_PDEATHSIG.
    script = tmp_path / "orphan.py"
    script.write_text(textwrap.dedent(ORPHAN), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, start_new_session=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert child in session_processes(parent.pid)
    parent.kill()
    parent.communicate(timeout=STOP_SECONDS)
    assert_nothing_left(parent.pid)
