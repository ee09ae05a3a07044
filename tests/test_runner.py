"""The synthesis runner called directly: how many workers it starts, and how it gets over a crash."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from narrate.model import Segment
from narrate.tts import BackendSpec, installed_backends
from narrate.tts.runner import Script, synthesize, worker_count

from .plugins import install_tone_backend


def paragraphs(*texts: str) -> tuple[Segment, ...]:
    return tuple(Segment("paragraph", text, text, index, 0.2) for index, text in enumerate(texts))


@pytest.fixture
def tone_backend(tmp_path, monkeypatch):
    """The tone plugin, importable here and in the workers (they start with this process's sys.path)."""
    install_tone_backend(tmp_path / "plugins")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    installed_backends.cache_clear()
    yield BackendSpec("tone")
    installed_backends.cache_clear()


def test_a_backend_that_does_not_say_how_many_workers_a_core_carries_gets_one_per_core():
    class Plain:
        name, max_chars, memory_mb = "plain", 100, 1

    assert worker_count(0, Plain, work_items=100) == os.cpu_count()


def test_a_crash_fails_only_the_segment_that_crashes_twice_and_leaves_no_worker_behind(tone_backend):
    # The long paragraph is still being spoken when the other worker crashes, so it is present at
    # the crash too: it must be tried again apart from the crashing one, and succeed.
    crashing = Script("crashing", "en", paragraphs("This one says CRASH.", "Second is fine."))
    healthy = Script("healthy", "en", paragraphs("A sentence that goes on. " * 40, "Two.", "Three."))
    outcomes = {spoken.script.key: spoken for spoken in synthesize([crashing, healthy], tone_backend, jobs=2)}
    assert str(outcomes["crashing"].error) == "crashing: paragraph 1: the tone worker crashed"
    assert outcomes["healthy"].error is None
    clips = outcomes["healthy"].clips
    assert [clip.segment for clip in clips] == list(healthy.segments)
    assert [clip.audio.duration for clip in clips] == [len(s.text) / 100 for s in healthy.segments], "each clip is its own"
    assert multiprocessing.active_children() == []


def test_workers_that_finish_their_work_exit_by_themselves_and_leave_no_temporary_files(tmp_path, monkeypatch):
    # espeak-ng keeps a temporary folder per worker, removed when its process exits normally; a
    # worker killed at the end of every build left one behind in the temporary folder each time.
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the spawned workers' temporary folder
    scripts = [Script(f"story{number}", "en", paragraphs("One sentence.", "Another one.")) for number in range(3)]
    assert all(spoken.error is None for spoken in synthesize(scripts, BackendSpec("espeak-ng"), jobs=2))
    assert multiprocessing.active_children() == []
    assert not list(tmp_path.glob("narrate-espeak-*"))
