"""Voices: Piper through the real model, plugins through the entry-point group, voice choice and its checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from narrate import build, load_config
from narrate.tts.clip_cache import ClipCache
from narrate.config import VoiceConfig
from narrate.errors import ConfigError
from narrate.model import Article, Block
from narrate.tts import BackendSpec
from narrate.tts.piper_backend import PiperBackend, find_models
from narrate.tts.runner import worker_count
from narrate.tts.voices import check_voices, choose_voice

from .conftest import make_project
from .plugins import install_tone_backend


def article(language: str = "en", voice: str | None = None) -> Article:
    return Article(Path("a.md"), "a.md", "T", (Block("paragraph", "Text."),), language=language, voice=voice)


def test_piper_speaks_with_the_packaged_joe_voice():
    [joe] = [model for model in find_models(None) if model.name == "en_US-joe-medium"]
    assert joe.language == "en" and joe.model.is_file()
    audio = PiperBackend(BackendSpec("piper")).synthesize("The committee approved the budget on Tuesday.", "en")
    assert audio.sample_rate == 22050
    assert 1.5 < audio.duration < 6
    peak = max(abs(int.from_bytes(audio.pcm[i : i + 2], "little", signed=True)) for i in range(0, len(audio.pcm), 2))
    assert peak > 3000, "audible speech, not silence"


def test_piper_rate_changes_the_pace():
    backend = PiperBackend(BackendSpec("piper", rate=250))
    normal = PiperBackend(BackendSpec("piper"))
    text = "A slightly longer sentence, so that the difference in pace is easy to measure."
    assert backend.synthesize(text, "en").duration < 0.85 * normal.synthesize(text, "en").duration


def test_piper_voice_folder_is_searched(tmp_path):
    [joe] = [model for model in find_models(None) if model.name == "en_US-joe-medium"]
    (tmp_path / "custom.onnx").symlink_to(joe.model)
    (tmp_path / "custom.onnx.json").symlink_to(joe.config)
    names = [model.name for model in find_models(str(tmp_path))]
    assert "custom" in names and "en_US-joe-medium" in names


def test_missing_piper_extra_names_the_install_command(tmp_path):
    blocker = "import sys; sys.modules['piper'] = None\n"
    code = blocker + "from narrate.tts.piper_backend import PiperBackend; print(PiperBackend.unavailable())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ('Piper is not installed: pip install "narrate-podcast[piper]" '
                                     '(in a clone of narrate: .venv/bin/python -m pip install -e ".[piper]")')


def test_voice_choice_order_article_then_language_then_feed():
    config = VoiceConfig(backend="pyttsx3", languages={"uk": "espeak-ng:uk", "de": {"backend": "piper", "rate": 150}})
    assert choose_voice(article("en"), config) == BackendSpec("pyttsx3")
    assert choose_voice(article("uk"), config) == BackendSpec("espeak-ng", "uk")
    assert choose_voice(article("de"), config) == BackendSpec("piper", None, 150)
    assert choose_voice(article("uk", voice="piper:en_US-joe-medium"), config) == BackendSpec("piper", "en_US-joe-medium")
    assert choose_voice(article("en", voice="espeak-ng"), config) == BackendSpec("espeak-ng")
    assert choose_voice(article("en", voice="en-gb"), config) == BackendSpec("pyttsx3", "en-gb")


def test_unknown_voice_is_a_config_error_listing_installed_voices():
    with pytest.raises(ConfigError, match=r"piper has no voice 'nobody' \(installed: en_US-joe-medium\)"):
        check_voices([(BackendSpec("piper", "nobody"), "en")])


def test_a_language_no_voice_speaks_is_an_article_problem_not_an_english_reading():
    checked = check_voices([(BackendSpec("piper"), "uk"), (BackendSpec("pyttsx3"), "uk")])
    assert "no piper voice speaks language 'uk'" in checked[(BackendSpec("piper"), "uk")]
    assert checked[(BackendSpec("pyttsx3"), "uk")] is None


def test_default_workers_fit_in_memory():
    class Huge:
        memory_mb, workers_per_core = 10**9, 1

    class Light:
        memory_mb, workers_per_core = 1, 2

    assert worker_count(3, Huge, work_items=100) == 3, "an explicit --jobs is respected"
    assert worker_count(0, Huge, work_items=100) == 1, "a backend bigger than memory gets one worker"
    assert worker_count(0, Light, work_items=1) == 1, "never more workers than work"
    assert worker_count(0, Light, work_items=100) == 2 * os.cpu_count()
    assert worker_count(0, PiperBackend, work_items=100) <= os.cpu_count()


def test_changing_the_voice_resynthesises_but_keeps_guid_and_url(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng")
    first = build(load_config(config)).episodes[0]
    before = first.audio_path.read_bytes()
    cache = ClipCache(tmp_path / ".narrate" / "clips")
    espeak_clips = cache.keys()
    config.write_text(config.read_text(encoding="utf-8").replace('"espeak-ng"', '"piper"'), encoding="utf-8")
    [second] = build(load_config(config)).episodes
    assert second.audio_path.read_bytes() != before
    assert (second.names.guid, second.audio_path) == (first.names.guid, first.audio_path)
    assert len(cache.keys() - espeak_clips) == len(second.timeline), "every sentence spoken again by the new voice"


def test_a_third_party_backend_registers_through_the_entry_point_group(tmp_path):
    env = install_tone_backend(tmp_path / "plugins")
    listing = subprocess.run(
        [sys.executable, "-m", "narrate", "voices", "--backend", "tone"], capture_output=True, text=True, env=env
    )
    assert "tone: usable, 1 voice" in listing.stdout and "beep" in listing.stdout

    config = make_project(tmp_path / "project", backend="tone")
    result = subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    [mp3] = (tmp_path / "project" / "audio").glob("*.mp3")
    assert mp3.stat().st_size > 10_000
