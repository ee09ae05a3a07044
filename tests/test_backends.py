"""The built-in backends through the real engines: audio comes back, stdout stays clean, failures are named."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrate.tts
import narrate.tts.runner
import narrate.tts.voices
from narrate import build, load_config
from narrate.errors import ConfigError, SynthesisError
from narrate.model import AudioChunk, Segment
from narrate.tts import BackendSpec, VoiceInfo, backend_class, installed_backends
from narrate.tts.espeak_backend import EspeakBackend
from narrate.tts.pyttsx3_backend import ATTEMPTS, Pyttsx3Backend
from narrate.tts.runner import Script, synthesize

from .conftest import make_project

SENTENCE = "The quick brown fox jumps over the lazy dog, and then it rests in the shade. " * 4


def assert_speech(audio: AudioChunk, text: str) -> None:
    assert audio.sample_rate == 22050
    assert 0.03 < audio.duration / len(text.split()) < 1.0, "about a word every third of a second"
    assert max(abs(int.from_bytes(audio.pcm[i : i + 2], "little", signed=True)) for i in range(0, len(audio.pcm), 200)) > 1000


@pytest.fixture(scope="module")
def pyttsx3_backend():
    return Pyttsx3Backend(BackendSpec("pyttsx3"))


def test_builtin_backends_register_through_the_entry_point_group():
    backends = installed_backends()
    assert backends["pyttsx3"] is Pyttsx3Backend
    assert backends["espeak-ng"] is EspeakBackend


def test_unknown_backend_lists_the_installed_ones():
    with pytest.raises(ConfigError, match=r"unknown voice.backend 'nope' \(installed: espeak-ng, piper, pyttsx3\)"):
        backend_class("nope")


def test_pyttsx3_speaks_a_long_paragraph_on_the_first_call_without_printing(pyttsx3_backend, capfd):
    audio = pyttsx3_backend.synthesize(SENTENCE, "en")
    assert_speech(audio, SENTENCE)
    captured = capfd.readouterr()
    assert captured.out == ""


def test_pyttsx3_retries_when_no_file_is_written(pyttsx3_backend, monkeypatch):
    engine = pyttsx3_backend._engine
    real_save = engine.save_to_file
    calls: list[str] = []

    def first_call_loses_the_file(text: str, path: str) -> None:
        calls.append(path)
        real_save(text, path if len(calls) > 1 else path + ".lost.wav")

    monkeypatch.setattr(engine, "save_to_file", first_call_loses_the_file)
    assert_speech(pyttsx3_backend.synthesize("Second time lucky.", "en"), "Second time lucky.")
    assert len(calls) == 2


def test_pyttsx3_gives_up_clearly_after_its_attempts(pyttsx3_backend, monkeypatch):
    engine = pyttsx3_backend._engine
    real_save = engine.save_to_file
    calls: list[str] = []

    def never_writes(text: str, path: str) -> None:
        calls.append(path)
        real_save(text, path + ".lost.wav")

    monkeypatch.setattr(engine, "save_to_file", never_writes)
    script = Script("seeds/broken.txt", "en", (Segment("title", "T", "T", None, 1.0), Segment("paragraph", "Body.", "Body.", 2, 0.7)))
    monkeypatch.setattr(narrate.tts.runner, "create_backend", lambda spec: pyttsx3_backend)
    [spoken] = synthesize([script], BackendSpec("pyttsx3"), jobs=1)
    assert isinstance(spoken.error, SynthesisError)
    assert str(spoken.error) == f"seeds/broken.txt: title: pyttsx3 produced no audio after {ATTEMPTS} attempts"
    assert len(calls) == ATTEMPTS


def test_espeak_backend_speaks_and_reports_when_it_writes_no_audio():
    assert_speech(EspeakBackend(BackendSpec("espeak-ng")).synthesize(SENTENCE, "en"), SENTENCE)
    with pytest.raises(SynthesisError, match="espeak-ng failed: no audio written"):
        EspeakBackend(BackendSpec("espeak-ng")).synthesize("", "en")


class BrokenOnParagraphThree:
    """A test backend: silence-free tones, except that it fails on the third paragraph's text."""

    name = "broken"
    max_chars = 500
    memory_mb = 10

    def __init__(self, spec: BackendSpec) -> None:
        pass

    @classmethod
    def unavailable(cls) -> None:
        return None

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        return [VoiceInfo("tone", ("en",))]

    def synthesize(self, text: str, language: str) -> AudioChunk:
        if text.startswith("Despite Rutte"):
            raise SynthesisError("the engine refused")
        return AudioChunk(b"\x00\x10" * 2205, 22050)


def test_failure_names_the_article_and_paragraph_and_writes_no_episode(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(narrate.tts, "installed_backends", lambda: {"broken": BrokenOnParagraphThree})
    monkeypatch.setattr(narrate.tts.voices, "installed_backends", lambda: {"broken": BrokenOnParagraphThree})
    config = make_project(tmp_path, backend="broken")
    report = build(load_config(config))
    [failure] = report.failures
    assert str(failure) == "000_a3b3e9c99c223144.txt: paragraph 3: the engine refused"
    assert report.episodes == ()
    assert list((tmp_path / "audio").glob("*")) == []
