"""`build --dry-run` says what a build would do without doing it; `clean` drops clips nothing uses."""

from __future__ import annotations

from typer.testing import CliRunner

from narrate import build, load_config
from narrate.pipeline import clean, dry_run
from narrate.tts.clip_cache import ClipCache
from narrate.cli import app

from . import fake_backend
from .conftest import make_project
from .test_incremental import SEED_PARAGRAPH_3, edit_seed

EDITED = "The secretary general of NATO made the comments during his first visit"


def test_dry_run_counts_what_is_missing_and_writes_nothing(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    [cold] = dry_run(load_config(config)).episodes
    assert cold.to_encode and cold.to_synthesise == cold.segments > 10
    assert backend.spoken == [] and not (tmp_path / "audio").exists() and not (tmp_path / "feeds").exists()

    build(load_config(config))
    [unchanged] = dry_run(load_config(config)).episodes
    assert (unchanged.to_encode, unchanged.to_synthesise) == (False, 0)

    edit_seed(tmp_path, SEED_PARAGRAPH_3, EDITED)
    backend.spoken.clear()
    [edited] = dry_run(load_config(config)).episodes
    assert (edited.to_encode, edited.to_synthesise) == (True, 1)
    assert backend.spoken == []


def test_dry_run_through_the_cli(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    result = CliRunner().invoke(app, ["build", "--dry-run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "Would synthesise" in result.stdout and "encode 1 of 1 episode" in result.stdout
    assert not (tmp_path / "audio").exists()


def test_clean_removes_only_clips_no_article_uses(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    build(load_config(config))
    cache = ClipCache(tmp_path / ".narrate" / "clips")
    before = cache.keys()
    edit_seed(tmp_path, SEED_PARAGRAPH_3, EDITED)
    build(load_config(config))
    assert len(cache.keys()) == len(before) + 1

    cleaned = clean(load_config(config))
    assert cleaned.clips == 1 and cleaned.clip_bytes > 0
    assert len(cache.keys()) == len(before)
    backend.spoken.clear()
    build(load_config(config))
    assert backend.spoken == [], "every clip the articles use survived the clean"


def test_clean_refuses_when_an_article_cannot_be_read(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    build(load_config(config))
    (tmp_path / "seeds" / "broken.txt").write_bytes(bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["clean", "--config", str(config)])
    assert result.exit_code == 1
    assert "nothing cleaned" in result.stderr and "broken.txt" in result.stderr
