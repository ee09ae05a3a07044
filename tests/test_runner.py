"""The synthesis runner called directly: how many workers it starts."""

from __future__ import annotations

import os

from narrate.tts.runner import worker_count


def test_a_backend_that_does_not_say_how_many_workers_a_core_carries_gets_one_per_core():
    class Plain:
        name, max_chars, memory_mb = "plain", 100, 1

    assert worker_count(0, Plain, work_items=100) == os.cpu_count()
