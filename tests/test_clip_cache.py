"""The clip cache stores each clip with its shape, worked out by the worker that made the clip."""

from __future__ import annotations

import numpy as np

import narrate.audio.clip_shape as shape_module
from narrate.tts.clip_cache import ClipCache
from narrate.model import Segment
from narrate.audio.clip_shape import shape_of
from narrate.tts import BackendSpec, create_backend
from narrate.tts.runner import Script, synthesize


def test_a_clip_comes_back_with_the_shape_measured_when_it_was_stored(tmp_path):
    audio = create_backend(BackendSpec("espeak-ng")).synthesize("The council met on Tuesday evening.", "en")
    cache = ClipCache(tmp_path / "clips")
    cache.put("a" * 64, audio)
    entry = cache.get("a" * 64)
    assert entry is not None and entry.audio == audio
    fresh = shape_of(audio)
    assert (entry.shape.start, entry.shape.end, entry.shape.rate) == (fresh.start, fresh.end, fresh.rate)
    assert entry.shape.start < entry.shape.end < len(audio.pcm) // 2, "the silence espeak ends with is trimmed"
    assert np.array_equal(entry.shape.peaks, fresh.peaks) and np.array_equal(entry.shape.energies, fresh.energies)


def test_a_shape_from_another_version_of_the_trimming_is_not_used(tmp_path, monkeypatch):
    audio = create_backend(BackendSpec("espeak-ng")).synthesize("Shapes are derived data.", "en")
    cache = ClipCache(tmp_path / "clips")
    cache.put("b" * 64, audio)
    monkeypatch.setattr(shape_module, "SHAPE_VERSION", shape_module.SHAPE_VERSION + 1)
    entry = cache.get("b" * 64)
    assert entry is not None and entry.audio == audio and entry.shape is None


def test_a_cache_that_cannot_be_written_fails_the_article_with_a_message(tmp_path):
    blocked = tmp_path / "clips"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    segments = (Segment("paragraph", "One sentence.", "One sentence.", 0, 0.2),)
    [spoken] = synthesize([Script("a", "en", segments)], BackendSpec("espeak-ng"), 1, cache=ClipCache(blocked))
    assert spoken.error is not None and "cannot store speech in the cache" in str(spoken.error)
    assert "Not a directory" in str(spoken.error)
