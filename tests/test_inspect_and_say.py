"""`narrate inspect` shows the script a build would speak; `narrate say` speaks one line through the real stack."""

from __future__ import annotations

import json

import pytest
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from narrate.cli import app
from narrate.readers import read_article

from .conftest import SEEDS, make_project
from .test_podcast_audio import TRUE_PEAK_READING, loudness_of

runner = CliRunner()
[SEED] = sorted(SEEDS.glob("*.txt"))


def run(*args: str):
    return runner.invoke(app, list(args))


def project_with(tmp_path, settings: str):
    """A project whose narrate.toml ends with `settings`; returns the config path."""
    config = make_project(tmp_path)
    with config.open("a", encoding="utf-8") as file:
        file.write(settings)
    return config


def test_inspect_json_is_one_object_with_the_body_and_the_normalised_script(tmp_path):
    result = run("inspect", str(SEED), "--json", "--config", str(tmp_path / "none.toml"))
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    article = read_article(SEED, SEEDS)
    assert set(shown) == {"title", "date", "author", "language", "url", "voice", "body", "script"}
    assert (shown["title"], shown["date"], shown["author"], shown["language"]) == (
        article.title, "2024-10-15", article.author, "en"
    )
    assert shown["body"] == [paragraph.strip() for paragraph in article.body]
    script = shown["script"]
    assert script[0]["kind"] == "title" and script[0]["source"] is None
    assert {item["kind"] for item in script} <= {"title", "heading", "paragraph"}
    sources = [item["source"] for item in script[1:]]
    assert sources == sorted(sources) and set(sources) == set(range(len(shown["body"])))
    spoken = " ".join(item["text"] for item in script)
    assert "Oct. 14" in shown["body"][0] and "Oct. 14" not in spoken and "October fourteenth" in spoken
    assert "1 billion" not in spoken and "one billion people" in spoken


def test_inspect_applies_the_configured_pronunciations(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / "pronunciations.toml").write_text('Rutte = "RUT-uh"\n', encoding="utf-8")
    result = run("inspect", str(SEED), "--json", "--config", str(config))
    script = json.loads(result.stdout)["script"]
    assert "RUT-uh" in script[0]["text"] and not any("Rutte" in item["text"] for item in script)


def test_inspect_without_json_is_a_readable_view_of_spoken_and_written_text(tmp_path):
    result = run("inspect", str(SEED), "--config", str(tmp_path / "none.toml"))
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())  # the table wraps lines at the terminal's width
    assert "Martin Fornusek" in shown and "2024-10-15" in shown
    assert "October fourteenth" in shown and "Oct. 14" in shown


def test_inspect_of_a_missing_file_is_a_one_line_error(tmp_path):
    result = run("inspect", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "missing.txt" in result.stderr and "Traceback" not in result.stderr


def test_say_speaks_a_normalised_line_with_the_real_default_backend(tmp_path):
    out = tmp_path / "line.mp3"
    result = run("say", "Gen. Smith paid $60.84 billion on Oct. 14.", "-o", str(out), "--config", str(tmp_path / "x"))
    assert result.exit_code == 0, result.stderr
    assert "General Smith paid sixty point eight four billion dollars on October fourteenth." in result.stdout
    assert out.stat().st_size > 1000 and MP3(out).info.channels == 1
    words = 13
    assert words / 6 < MP3(out).info.length < words  # between six words a second and one
    assert not list(tmp_path.glob(".*.part")), "no temporary file left behind"


def test_say_uses_the_configured_voice_language_and_pronunciations(tmp_path):
    config = project_with(tmp_path, '\n[pronunciations]\nKyiv = "Keev"\n')
    out = tmp_path / "uk.mp3"
    line = "Kyiv: ціни зросли на 15%."
    result = run("say", line, "-o", str(out), "-l", "uk", "--voice", "espeak-ng", "-c", str(config))
    assert result.exit_code == 0, result.stderr
    assert "Keev: ціни зросли на п'ятнадцять відсотків." in result.stdout
    assert MP3(out).info.length > 1


def test_say_encodes_to_the_configured_loudness_and_true_peak_as_a_build_does(tmp_path):
    config = project_with(tmp_path, "\n[audio]\nloudness = -20.0\ntrue_peak = -3.0\n")
    out = tmp_path / "quiet.mp3"
    line = "Loudness is measured over the whole line, so the voice should land where the settings ask."
    result = run("say", line, "-o", str(out), "-c", str(config))
    assert result.exit_code == 0, result.stderr
    integrated, peak = loudness_of(out)
    assert integrated == pytest.approx(-20.0, abs=0.5), "not the default -16 LUFS"
    assert peak <= -3.0 + TRUE_PEAK_READING


def test_say_with_an_unknown_voice_backend_fails_cleanly_and_writes_nothing(tmp_path):
    out = tmp_path / "never.mp3"
    settings = tmp_path / "x"
    result = run("say", "Hello.", "-o", str(out), "--voice", "nosuch:x", "-c", str(settings))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {settings}: unknown voice backend 'nosuch'"), "named against --config"
    assert not out.exists()


def test_say_in_a_language_the_voice_does_not_speak_shows_the_whole_advice(tmp_path):
    result = run("say", "Hello.", "-o", str(tmp_path / "never.mp3"), "-l", "zz", "--voice", "espeak-ng")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: no espeak-ng voice speaks language 'zz'")
    assert "under [voice.languages]" in line, "the table's name is text, not console markup"


def test_say_with_nothing_speakable_fails_cleanly_and_writes_nothing(tmp_path):
    out = tmp_path / "never.mp3"
    result = run("say", " — ( ) ", "-o", str(out), "-c", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "nothing to say" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".*.part"))
