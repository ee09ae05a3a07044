"""Episode file names are transliterated from any script; names already published never change."""

from __future__ import annotations

import json

from narrate import build, load_config
from narrate.state.identities import slugify

from . import fake_backend
from .conftest import make_project


def test_titles_in_any_script_become_readable_file_names():
    assert slugify("Україна: новини тижня") == "ukraina-novini-tizhnya"
    assert slugify("Łódź and Straße") == "lodz-and-strasse"
    assert slugify("Ελλάδα σήμερα") == "ellada-simera"
    assert slugify("Top 10 🎄 gifts") == "top-10-gifts"
    assert slugify("🎙️ ✨") == ""


def test_new_episodes_get_transliterated_names_and_published_ones_keep_theirs(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    for name, title in [("old.md", "Старе інтерв'ю"), ("new.md", "Нова стаття про Київ")]:
        (tmp_path / "seeds" / name).write_text(f"---\ntitle: {title}\nlanguage: uk\n---\n\nТекст статті.\n", "utf-8")
    published = {"slug": "episode-1a2b3c4d", "guid": "1a2b3c4d-0000-5000-8000-000000000000",
                 "first_published": "2024-01-02T03:04:05+00:00"}
    (tmp_path / ".narrate").mkdir()
    (tmp_path / ".narrate" / "identities.json").write_text(json.dumps({"old.md": published}), encoding="utf-8")

    report = build(load_config(config))
    assert not report.failures
    names = {episode.article.identity: episode.audio_path.name for episode in report.episodes}
    assert names == {"old.md": "episode-1a2b3c4d.mp3", "new.md": "nova-stattya-pro-kiiv.mp3"}
    again = build(load_config(config))
    assert {episode.article.identity: episode.audio_path.name for episode in again.episodes} == names
