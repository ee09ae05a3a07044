"""Speak one line through the build's own stages (lexicon, normalisation, backend, encoder) into an MP3,
so a user can audition a voice or a pronunciation fix without building a feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..audio.stitch import stitch
from ..audio.settings import Encoding
from ..config import AudioConfig, Config, VoiceConfig
from ..errors import NarrateError
from ..files import move_into_place, temporary_path
from ..model import Article, Block
from ..speech.segment import segment
from ..speech import Lexicon
from ..tts import backend_class, installed_backends
from ..tts.runner import Script, synthesize
from ..tts.voices import check_voices, choose_voice, default_spec, resolve_reference


@dataclass(frozen=True)
class Said:
    """What `say` wrote: the MP3's measured duration and the text the backend was given."""

    duration: float
    spoken: tuple[str, ...]


def say(
    text: str,
    destination: Path,
    *,
    voice_config: VoiceConfig,
    voice: str | None,
    language: str,
    pronunciations: Mapping[str, str],
    encoding: Encoding,
) -> Said:
    """Write `text`, spoken, to `destination` (an MP3); never a half-written file.

    `voice` is a reference as in narrate.toml ("espeak-ng:de", "piper"); without one the voice is
    chosen for `language` as a build would choose it.
    """
    article = Article(destination, "say", "", (Block("paragraph", text),), language=language)
    default = default_spec(voice_config)
    spec = resolve_reference(voice, default, installed_backends()) if voice else choose_voice(article, voice_config)
    problem = check_voices([(spec, language)])[(spec, language)]
    if problem:
        raise NarrateError(problem)
    segments = segment(article, backend_class(spec.name).max_chars, Lexicon(pronunciations))
    if not segments:
        raise NarrateError("nothing to say: the text has no words")
    [spoken] = synthesize([Script("say", language, tuple(segments))], spec, jobs=1)
    if spoken.error:
        raise spoken.error
    temporary = temporary_path(destination)
    try:
        duration = stitch(spoken.clips, encoding, temporary).duration
        move_into_place(temporary, destination)
    except OSError as error:
        raise NarrateError(f"cannot write {destination}: {error.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return Said(duration, tuple(s.text for s in segments))


def say_as_configured(text: str, output: Path, settings: Config | None, voice: str | None, language: str | None) -> Said:
    """`say` with a project's voice, pronunciations and encoding, or a build's defaults without a project."""
    return say(
        text,
        output,
        voice_config=settings.voice if settings else VoiceConfig(),
        voice=voice,
        language=language or (settings.feed.language if settings else "en"),
        pronunciations=settings.pronunciations if settings else {},
        encoding=Encoding.from_config(settings.audio if settings else AudioConfig()),
    )
