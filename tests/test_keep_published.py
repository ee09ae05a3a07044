"""An article that fails keeps its last good episode published, unchanged, and says so; only an
article removed from the input leaves the feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import build, load_config
from narrate.cli import app
from narrate.errors import SynthesisError
from narrate.model import AudioChunk
from narrate.state.records import load_records

from . import fake_backend
from .conftest import make_project, published_feed, published_files

KEPT = "its published episode is kept"


def article(title: str, body: str, date: str | None = "2024-10-15", url: str | None = None) -> str:
    front = [f"title: {title}", *([f"date: {date}"] if date else []), *([f"url: {url}"] if url else [])]
    return "---\n" + "\n".join(front) + f"\n---\n\n{body}\n"


def titles(root: Path) -> list[str]:
    return sorted(episode["title"] for episode in published_feed(root)["episodes"])


def two_articles(root: Path) -> Path:
    """A project of two Markdown articles, one undated (dated when first published), built once."""
    config = make_project(root, backend="counting", seeds=False)
    (root / "seeds" / "a.md").write_text(article("Alpha news", "The first story is calm."), encoding="utf-8")
    (root / "seeds" / "b.md").write_text(article("Beta news", "The second story is short.", date=None), encoding="utf-8")
    assert not build(load_config(config)).failures
    return config


def error_lines(config: Path) -> list[str]:
    result = CliRunner().invoke(app, ["build", "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


BROKEN_FILES = {
    "a YAML typo": lambda path: path.write_text("---\ntitle: [Beta news\n---\n\nThe second story.\n", encoding="utf-8"),
    "binary bytes": lambda path: path.write_bytes(bytes(range(256)) * 8),
    "no headline left": lambda path: path.write_text("   \n", encoding="utf-8"),
}


@pytest.mark.parametrize("damage", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_file_that_no_longer_reads_keeps_its_episode_exactly_until_it_is_removed(tmp_path, monkeypatch, damage):
    fake_backend.install(monkeypatch)
    config = two_articles(tmp_path)
    before = published_files(tmp_path)
    damage(tmp_path / "seeds" / "b.md")

    for _ in range(2):  # kept by the build that meets the failure, and by the next ones
        [line] = error_lines(config)
        assert "b.md" in line and line.endswith(f"; {KEPT}")
        assert published_files(tmp_path) == before, "the feed, MP3, transcripts, players and index are unchanged"

    report = build(load_config(config))
    assert [episode.article.title for episode in report.kept] == ["Beta news"]
    assert [episode.article.title for episode in report.episodes] == ["Alpha news"]

    (tmp_path / "seeds" / "b.md").unlink()
    report = build(load_config(config))
    assert not report.failures and not report.kept
    assert titles(tmp_path) == ["Alpha news"], "an article removed from the input is withdrawn"


class FailingBackend(fake_backend.CountingBackend):
    """The counting backend, failing every sentence that says FAIL (a voice or rate it cannot speak)."""

    def synthesize(self, text: str, language: str) -> AudioChunk:
        if "FAIL" in text:
            raise SynthesisError("the voice cannot speak this")
        return super().synthesize(text, language)


def install_failing(monkeypatch) -> None:
    import narrate.tts
    import narrate.tts.voices

    fake_backend.install(monkeypatch)
    monkeypatch.setattr(narrate.tts, "installed_backends", lambda: {"counting": FailingBackend})
    monkeypatch.setattr(narrate.tts.voices, "installed_backends", lambda: {"counting": FailingBackend})


LATER_FAILURES = {
    "synthesis fails": "The edited story says FAIL.",
    "no voice speaks its language": "---\nlanguage: fr\n---\n\nUne histoire.",
    "its own voice does not exist": "---\nvoice: counting:nosuchvoice\n---\n\nThe story, in a voice nobody has.",
    "its own backend is not installed": "---\nvoice: nosuchbackend:x\n---\n\nThe story, for a backend nobody has.",
    "too long to be an article": "Word " * 210_000,
}


@pytest.mark.parametrize("edit", LATER_FAILURES.values(), ids=LATER_FAILURES.keys())
def test_an_edit_that_fails_later_keeps_the_last_good_episode_not_the_edit(tmp_path, monkeypatch, edit):
    install_failing(monkeypatch)
    config = two_articles(tmp_path)
    before = published_files(tmp_path)
    path = tmp_path / "seeds" / "b.md"
    edited = article("Beta news, edited", edit, date=None) if not edit.startswith("---") else edit.replace(
        "---\n\n", "title: Beta news, edited\n---\n\n")
    path.write_text(edited, encoding="utf-8")

    [line] = error_lines(config)
    assert "b.md" in line and line.endswith(f"; {KEPT}")
    assert published_files(tmp_path) == before
    assert titles(tmp_path) == ["Alpha news", "Beta news"]

    path.write_text(article("Beta news, fixed", "The story is fine again.", date=None), encoding="utf-8")
    assert not build(load_config(config)).failures
    assert titles(tmp_path) == ["Alpha news", "Beta news, fixed"]


FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title><link>https://news.example.org/</link>
<item><title>First wire story</title><link>https://news.example.org/one</link>
<description>The first wire story.</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>The first wire story, in full.</p>]]></content:encoded></item>
<item><title>Second wire story</title><link>https://news.example.org/two</link>
<description>The second wire story.</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>The second wire story, in full.</p>]]></content:encoded></item>
</channel></rss>
"""


def test_a_feed_file_that_no_longer_reads_keeps_all_its_episodes_in_one_line(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    wire = tmp_path / "seeds" / "wire.rss"
    wire.write_text(FEED, encoding="utf-8")
    assert not build(load_config(config)).failures
    before = published_files(tmp_path)
    wire.write_text("this is no longer a feed", encoding="utf-8")
    [line] = error_lines(config)
    assert "wire.rss" in line and line.endswith("; its 2 published episodes are kept")
    assert published_files(tmp_path) == before


def test_a_file_whose_identity_changed_keeps_only_its_latest_episode(tmp_path, monkeypatch):
    """The episode published under its old identity was withdrawn when the identity changed: a later
    failure of the file brings back the latest one alone, not both."""
    fake_backend.install(monkeypatch)
    config = two_articles(tmp_path)
    path = tmp_path / "seeds" / "b.md"
    path.write_text(article("Beta news", "The second story.", url="https://news.example.org/beta"), encoding="utf-8")
    assert not build(load_config(config)).failures
    before = published_files(tmp_path)
    assert titles(tmp_path) == ["Alpha news", "Beta news"]
    BROKEN_FILES["a YAML typo"](path)
    [line] = error_lines(config)
    assert line.endswith(f"; {KEPT}")
    assert published_files(tmp_path) == before


def test_an_episode_recorded_by_an_older_narrate_loads_builds_unchanged_and_is_recorded_anew(tmp_path, monkeypatch):
    backend = fake_backend.install(monkeypatch)
    config = two_articles(tmp_path)
    records = tmp_path / ".narrate" / "episodes.json"
    stored = json.loads(records.read_text(encoding="utf-8"))
    older = {key: {k: v for k, v in record.items() if k != "published"} for key, record in stored.items()}
    records.write_text(json.dumps(older), encoding="utf-8")
    assert all(record.published is None for record in load_records(records).values())

    backend.spoken.clear()
    report = build(load_config(config))
    assert not report.failures and not report.warnings and not report.encoded and backend.spoken == []
    assert json.loads(records.read_text(encoding="utf-8")) == stored, "the no-op build records what it lists"


def test_an_older_record_without_what_it_published_is_not_kept_as_before(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = two_articles(tmp_path)
    records = tmp_path / ".narrate" / "episodes.json"
    stored = json.loads(records.read_text(encoding="utf-8"))
    records.write_text(json.dumps({key: {k: v for k, v in r.items() if k != "published"} for key, r in stored.items()}))
    BROKEN_FILES["a YAML typo"](tmp_path / "seeds" / "b.md")
    [line] = error_lines(config)
    assert KEPT not in line
    assert titles(tmp_path) == ["Alpha news"]
