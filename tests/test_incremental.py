"""Incremental builds: the clip cache means an edit costs only the sentences it touched."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import narrate.state.memo as memo_module
import narrate.readers as readers
import narrate.readers.language as language
import narrate.speech.segment as segment_module
from narrate import build, load_config
from narrate.tts.clip_cache import CachedClips, ClipCache
from narrate.errors import ArticleError, SynthesisError
from narrate.state.memo import Memo
from narrate.model import Article, Segment
from narrate.readers.reading import Reading
from narrate.tts import BackendSpec
from narrate.tts.runner import Script, synthesize

from . import fake_backend
from .conftest import make_project

SEED_PARAGRAPH_3 = "NATO's secretary general made the comments during his first visit"


def edit_seed(root: Path, old: str, new: str) -> None:
    [seed] = (root / "seeds").glob("*.txt")
    text = seed.read_text(encoding="utf-8")
    assert old in text
    seed.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_one_sentence_synthesises_only_that_sentence(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    first = build(load_config(config))
    total = len(backend.spoken)
    assert total == len(first.episodes[0].timeline) > 10

    backend.spoken.clear()
    assert build(load_config(config)).episodes[0].audio_path.read_bytes() == first.episodes[0].audio_path.read_bytes()
    assert backend.spoken == [], "nothing changed: nothing synthesised"

    edit_seed(tmp_path, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments during his first visit")
    second = build(load_config(config))
    assert len(backend.spoken) == 1 and backend.spoken[0].startswith("The secretary general of Nato")
    assert second.episodes[0].names == first.episodes[0].names


def test_a_new_pronunciation_synthesises_only_the_sentences_it_changes(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    first = build(load_config(config)).episodes[0]
    with_word = [t.segment.text for t in first.timeline if "Wiesbaden" in t.segment.text]
    assert len(with_word) == 1
    (tmp_path / "pronunciations.toml").write_text('Wiesbaden = "VEES-bah-den"\n', encoding="utf-8")
    backend.spoken.clear()
    second = build(load_config(config)).episodes[0]
    assert backend.spoken == [with_word[0].replace("Wiesbaden", "VEES-bah-den")]
    assert [t.segment.written for t in second.timeline] == [t.segment.written for t in first.timeline]


def test_a_damaged_cache_entry_is_synthesised_again_not_published(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    build(load_config(config))
    cache = ClipCache(tmp_path / ".narrate" / "clips")
    entries = sorted(cache.folder.glob("*/*.clip"))
    entries[0].write_bytes(entries[0].read_bytes()[:-100])
    entries[1].write_bytes(entries[1].read_bytes()[:40] + b"\x00" * 8 + entries[1].read_bytes()[48:])
    (tmp_path / ".narrate" / "episodes.json").unlink()
    backend.spoken.clear()
    report = build(load_config(config))
    assert not report.failures
    assert len(backend.spoken) == 2, "exactly the two damaged clips were made again"
    assert all(cache.get(path.stem) is not None for path in cache.folder.glob("*/*.clip"))


def test_real_espeak_rebuild_after_an_edit_reuses_the_other_clips(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng")
    first = build(load_config(config)).episodes[0]
    cache = ClipCache(tmp_path / ".narrate" / "clips")
    before = cache.keys()
    assert len(before) == len(first.timeline)
    edit_seed(tmp_path, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments during his first visit")
    second = build(load_config(config)).episodes[0]
    assert len(cache.keys() - before) == 1
    assert second.audio_path == first.audio_path
    assert second.audio_path.read_bytes() != b"" and second.duration != first.duration


def test_clips_come_back_from_the_cache_one_at_a_time_not_all_held(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    cache = ClipCache(tmp_path / "clips")
    segments = tuple(Segment("paragraph", f"Sentence {n}.", f"Sentence {n}.", 0, 0.2) for n in range(3))
    [spoken] = synthesize([Script("a", "en", segments)], BackendSpec("counting"), 1, cache=cache)
    assert isinstance(spoken.clips, CachedClips) and len(spoken.clips) == 3
    assert [clip.segment.text for clip in spoken.clips] == ["Sentence 0.", "Sentence 1.", "Sentence 2."]
    assert all(clip.audio.duration > 0 for clip in spoken.clips)
    next(cache.folder.glob("*/*.clip")).unlink()
    with pytest.raises(SynthesisError, match="build again"):
        list(spoken.clips)


def count_detections(monkeypatch) -> list[str]:
    """The texts py3langid is asked about from now on (detection still runs)."""
    detected: list[str] = []
    real = language.detect_language
    monkeypatch.setattr(language, "detect_language", lambda text: detected.append(text) or real(text))
    return detected


def test_a_language_once_detected_holds_through_body_edits_but_not_a_new_title(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    detected = count_detections(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    first = build(load_config(config)).episodes[0]
    assert first.article.language == "en" and len(detected) == 1
    assert len(detected[0]) <= language.SAMPLE_CHARACTERS
    build(load_config(config))
    assert len(detected) == 1, "the second build took the language from .narrate/languages.json"
    edit_seed(tmp_path, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments during his first visit")
    assert build(load_config(config)).episodes[0].article.language == "en"
    assert len(detected) == 1, "an edit of the body, inside the detection sample, is a correction: same language"
    edit_seed(tmp_path, "Secretary General Rutte says", "Rutte says")
    assert build(load_config(config)).episodes[0].article.title.endswith("prevail, Rutte says")
    assert len(detected) == 2, "a new title is detected again"


def test_a_moved_article_keeps_its_language_by_its_text(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    detected = count_detections(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    build(load_config(config))
    [seed] = (tmp_path / "seeds").glob("*.txt")
    seed.rename(seed.with_name("moved.txt"))  # withdraws the only published episode: more than half
    assert build(load_config(config), allow_mass_withdrawal=True).episodes[0].article.identity == "moved.txt"
    assert len(detected) == 1, "a new identity, but the same detection sample"


def test_an_unchanged_file_is_neither_read_nor_segmented_again(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    (tmp_path / "seeds" / "second.md").write_text("---\ntitle: A second article\n---\n\nIt is short.\n", encoding="utf-8")
    build(load_config(config))
    reads: list[str] = []
    for suffix, reader in dict(readers.READERS).items():
        monkeypatch.setitem(readers.READERS, suffix, lambda text, path, folder, reader=reader: reads.append(path.name)
                            or reader(text, path, folder))
    segmented: list[str] = []
    real_segment = segment_module.segment
    monkeypatch.setattr(segment_module, "segment", lambda article, *rest: segmented.append(article.title)
                        or real_segment(article, *rest))
    again = build(load_config(config))
    assert reads == [] and segmented == [] and len(again.episodes) == 2
    edit_seed(tmp_path, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments during his first visit")
    edited = build(load_config(config))
    [seed] = (tmp_path / "seeds").glob("*.txt")
    assert reads == [seed.name] and len(segmented) == 1
    assert any("The secretary general of NATO" in t.segment.written for e in edited.episodes for t in e.timeline)


def test_the_memo_is_a_cache_a_new_narrate_or_a_damaged_file_starts_it_afresh(tmp_path, monkeypatch):
    article = tmp_path / "a.md"
    article.write_text("---\ntitle: One\n---\n\nBody.\n", encoding="utf-8")
    first = Reading((Article(article, "a.md", "One", ()),))
    memo = Memo(tmp_path / "memo.json")
    assert memo.reading(article, lambda: first) == first
    memo.save()
    calls: list[int] = []
    assert Memo(tmp_path / "memo.json").reading(article, lambda: calls.append(1) or Reading()) == first
    assert calls == []
    monkeypatch.setattr(memo_module, "code_digest", lambda: "another version of narrate")
    assert Memo(tmp_path / "memo.json").reading(article, lambda: calls.append(1) or Reading()) == Reading()
    (tmp_path / "memo.json").write_bytes(b"{not json")
    assert Memo(tmp_path / "memo.json").reading(article, lambda: calls.append(2) or Reading()) == Reading()
    assert calls == [1, 2]
    with_failure = Reading(failures=(ArticleError("a broken feed item", article),))
    memo = Memo(tmp_path / "memo.json")
    memo.reading(article, lambda: with_failure)
    memo.save()
    assert Memo(tmp_path / "memo.json").reading(article, lambda: calls.append(3) or Reading()) == Reading()
    assert calls == [1, 2, 3], "a reading with failures is read again, so its messages are said each build"


def test_a_no_op_build_imports_neither_the_audio_stack_nor_the_readers(tmp_path):
    """What keeps a no-op build fast, checked without timing it: the modules it never needs stay unloaded."""
    config = make_project(tmp_path, backend="espeak-ng")
    watched = ("numpy", "PIL", "pyttsx3", "narrate.speech.segment", "narrate.readers.scraped", "narrate.audio.stitch",
               "boto3", "narrate.tools.publish")
    probe = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('LOADED', [m for m in {watched!r} if m in sys.modules]))\n"
        "from narrate.__main__ import main\n"
        "main()\n"
    )

    def loaded() -> list[str]:
        run = subprocess.run([sys.executable, "-c", probe, "build", "--config", str(config)],
                             capture_output=True, text=True, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        return ast.literal_eval(run.stdout.rsplit("LOADED ", 1)[1])

    assert {"numpy", "PIL", "narrate.speech.segment", "narrate.readers.scraped", "narrate.audio.stitch"} <= set(loaded())
    assert loaded() == []
