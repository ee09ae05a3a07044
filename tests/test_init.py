"""`narrate init`: a new project whose narrate.toml lists every setting with today's default, and
which builds as it is, into public/."""

from __future__ import annotations

import dataclasses
import re
import sys

from narrate.config import AudioConfig, FeedConfig, VoiceConfig, load_config
from narrate.config.loading import BUILD_KEYS

from .test_cli_output import run, run_narrate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SECTIONS = {"feed": FeedConfig, "voice": VoiceConfig, "audio": AudioConfig}
SETTING = re.compile(r"^#? ?(\w+) = (.+?)(?:\s{2,}#.*)?$")
SECTION = re.compile(r"^(?:# )?\[+([\w.]+)\]+")


def settings_written(text: str) -> dict[str, dict[str, str]]:
    """Every `key = value` line, commented out or not, by the section it stands in."""
    sections: dict[str, dict[str, str]] = {}
    section = ""
    for line in text.splitlines():
        if header := SECTION.match(line):
            section = header[1]
        elif setting := SETTING.match(line):
            sections.setdefault(section, {})[setting[1]] = setting[2]
    return sections


def test_init_then_build_publishes_the_example_into_public(tmp_path):
    result = run_narrate("init", "newsroom", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "newsroom"
    assert sorted(path.name for path in (project / "articles").iterdir()) == ["example.md"]

    built = run_narrate("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "public" / "feeds" / "podcast.xml").is_file()
    assert [mp3.name for mp3 in (project / "public" / "audio").glob("*.mp3")] == ["welcome-to-your-narrated-podcast.mp3"]
    assert sorted(path.name for path in project.iterdir()) == ["articles", "narrate.toml", "public"]
    assert sorted(path.name for path in (project / "articles").iterdir()) == ["example.md"]


def test_the_written_settings_list_every_key_with_today_s_default(tmp_path):
    assert run("init", str(tmp_path)).exit_code == 0
    config = load_config(tmp_path / "narrate.toml")
    assert config.warnings == ()
    assert (config.paths.input, config.paths.output) == (tmp_path / "articles", tmp_path / "public")

    written = settings_written((tmp_path / "narrate.toml").read_text(encoding="utf-8"))
    for section, settings in SECTIONS.items():
        for field in dataclasses.fields(settings):
            if field.name == "languages":
                assert "voice.languages" in written, "the [voice.languages] table is shown"
                continue
            assert field.name in written[section] or field.name in written["feeds"], f"{section}.{field.name}"
            value = written[section].get(field.name)
            if value is not None and field.default not in (None, dataclasses.MISSING):
                assert tomllib.loads(f"v = {value}")["v"] == field.default, f"{section}.{field.name}"
    assert set(BUILD_KEYS) <= set(written["build"])
    assert tomllib.loads(f"v = {written['build']['jobs']}")["v"] == 0


def test_init_never_overwrites_a_project(tmp_path):
    (tmp_path / "narrate.toml").write_text("# mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {tmp_path / 'narrate.toml'} already exists")
    assert (tmp_path / "narrate.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "articles").exists()


def test_init_adds_no_example_to_articles_already_there(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "mine.md").write_text("# Mine\n\nMy own article.\n", encoding="utf-8")
    assert run("init", str(tmp_path)).exit_code == 0
    assert sorted(path.name for path in (tmp_path / "articles").iterdir()) == ["mine.md"]
    assert (tmp_path / "narrate.toml").is_file()
