"""Which voice speaks an article: its own choice, else its language's, else the feed's; checked up front.

A voice reference is "backend:voice" ("piper:en_US-joe-medium"), a backend name alone ("espeak-ng":
that backend's voice for the article's language), or a voice of the default backend ("uk"). In
`[voice.languages]` a reference may also be a table {backend, voice, rate, pause_scale}.

With no choice at all (no backend, voice, language voice or front-matter voice), an article is read by
the best installed voice for its language: a neural Piper voice when one speaks it, else pyttsx3
(espeak-ng on Linux), which speaks about a hundred languages.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..config import VoiceConfig
from ..errors import ArticleError, ConfigError
from ..model import Article
from . import Backend, BackendSpec, VoiceInfo, installed_backends


@dataclass(frozen=True)
class BackendVoices:
    """What `narrate voices` shows for one backend."""

    name: str
    problem: str | None
    voices: tuple[VoiceInfo, ...]


FALLBACK_BACKEND = "pyttsx3"
"""The backend of a voice named without one, and of articles no neural voice speaks."""
NEURAL_BACKEND = "piper"
QUALITY_ORDER = ("high", "medium", "low", "x_low")
"""Piper's quality levels, best first: a voice's name ends in its level (en_US-joe-medium)."""


def default_spec(config: VoiceConfig) -> BackendSpec:
    return BackendSpec(config.backend or FALLBACK_BACKEND, config.voice, config.rate, config.pause_scale, config.voice_dir)


def choose_voice(article: Article, config: VoiceConfig) -> BackendSpec:
    """The article's front-matter voice, else the one for its language, else the feed's voice, else
    (nothing chosen) the best installed voice for its language.

    A front-matter voice whose backend is not installed fails the article (ArticleError): the
    article chose it, not narrate.toml."""
    base = default_spec(config)
    backends = installed_backends()
    reference = article.voice or config.languages.get(article.language)
    if reference:
        spec = resolve_reference(reference, base, backends)
    elif config.backend is None and config.voice is None:
        spec = best_voice(article.language, base)
    else:
        spec = base
    if article.voice and spec.name not in backends:
        problem = f"its voice {article.voice!r} needs the backend {spec.name!r}, which is not installed"
        raise ArticleError(f"{problem} (installed: {', '.join(sorted(backends))}; see `narrate voices`)", article.source)
    return spec


def best_voice(language: str, base: BackendSpec) -> BackendSpec:
    """A neural voice for `language` when one is installed and runs, else the fallback backend's own
    voice for it (checked, as every voice is, before any synthesis)."""
    neural = _best_neural_voice(language, base.voice_dir)
    if neural:
        return dataclasses.replace(base, name=NEURAL_BACKEND, voice=neural)
    return dataclasses.replace(base, name=FALLBACK_BACKEND, voice=None)


@functools.cache
def _best_neural_voice(language: str, voice_dir: str | None) -> str | None:
    """The best-quality Piper voice speaking `language`, found once per process (a build asks per article)."""
    backend = installed_backends().get(NEURAL_BACKEND)
    if backend is None or backend.unavailable():
        return None
    speaking = [voice.name for voice in backend.voices(BackendSpec(NEURAL_BACKEND, voice_dir=voice_dir))
                if _speaks(voice, language)]
    return min(speaking, key=lambda name: (_quality_rank(name), name), default=None)


def _quality_rank(name: str) -> int:
    level = name.rsplit("-", 1)[-1]
    return QUALITY_ORDER.index(level) if level in QUALITY_ORDER else len(QUALITY_ORDER)


def voice_reference(spec: BackendSpec, language: str | None = None) -> str:
    """The voice as narrate.toml names it: "backend:voice"; for a backend's own voice for a language,
    "backend:language" when the language is given, else the backend alone."""
    voice = spec.voice or language
    return f"{spec.name}:{voice}" if voice else spec.name


def resolve_reference(reference: str | dict[str, Any], base: BackendSpec, backends: Iterable[str]) -> BackendSpec:
    """A voice reference read against the default voice (see the module docstring)."""
    if isinstance(reference, dict):
        named = resolve_reference(str(reference.get("backend", base.name)), base, backends)
        return dataclasses.replace(
            named,
            voice=reference.get("voice", named.voice),
            rate=reference.get("rate", named.rate),
            pause_scale=reference.get("pause_scale", named.pause_scale),
        )
    backend, separator, voice = reference.partition(":")
    if separator:
        return dataclasses.replace(base, name=backend, voice=voice or None)
    if reference in backends:
        return dataclasses.replace(base, name=reference, voice=None)
    return dataclasses.replace(base, voice=reference)


def check_voices(
    pairs: Iterable[tuple[BackendSpec, str]], chosen_by_articles: frozenset[BackendSpec] = frozenset()
) -> dict[tuple[BackendSpec, str], str | None]:
    """Before any synthesis: every backend exists and runs, every named voice exists; for each
    (voice, language) pair, None when it can be spoken, else why not (an article-level problem).

    Raises ConfigError for problems of the configuration itself, listing what is installed. A voice
    in `chosen_by_articles` (named only in articles' front matter) is no part of the configuration:
    what is wrong with it fails those articles alone.
    """
    backends = installed_backends()
    problems: list[str] = []
    outcome: dict[tuple[BackendSpec, str], str | None] = {}
    catalogue: dict[BackendSpec, list[VoiceInfo]] = {}
    for spec, language in pairs:
        if problem := _voice_problem(spec, backends, catalogue):
            if spec in chosen_by_articles:
                outcome[(spec, language)] = f"{problem}; choose another voice in its front matter (see `narrate voices`)"
            else:
                problems.append(problem)
            continue
        speaks = spec.voice or any(_speaks(voice, language) for voice in catalogue[spec])
        outcome[(spec, language)] = None if speaks else (
            f"no {spec.name} voice speaks language {language!r}; "
            f"choose one in narrate.toml under [voice.languages] (see `narrate voices`)"
        )
    if problems:
        raise ConfigError(sorted(set(problems)))
    return outcome


def _voice_problem(spec: BackendSpec, backends: dict[str, type[Backend]], catalogue: dict[BackendSpec, list[VoiceInfo]]) -> str | None:
    """Why `spec` cannot speak at all (unknown backend, one that cannot run, no such voice), or None;
    its voices are kept in `catalogue`."""
    if spec.name not in backends:
        return f"unknown voice backend {spec.name!r} (installed: {', '.join(sorted(backends))})"
    backend = backends[spec.name]
    if problem := backend.unavailable():
        return f"voice backend {spec.name!r} cannot run: {problem}"
    if spec not in catalogue:
        catalogue[spec] = backend.voices(spec)
    voices = catalogue[spec]
    if spec.voice and not any(_is_named(voice, spec.voice) for voice in voices):
        sample = ", ".join(voice.name for voice in voices[:12]) + (", …" if len(voices) > 12 else "")
        return f"{spec.name} has no voice {spec.voice!r} (installed: {sample or 'none'})"
    return None


def language_problem(article: Article, spec: BackendSpec, checked: dict[tuple[BackendSpec, str], str | None]) -> ArticleError | None:
    problem = checked.get((spec, article.language))
    return ArticleError(problem, article.source) if problem else None


def list_voices(config: VoiceConfig) -> list[BackendVoices]:
    """Every installed backend with its voices, or the reason it cannot run here."""
    base = default_spec(config)
    listing = []
    for name, backend in sorted(installed_backends().items()):
        problem = backend.unavailable()
        voices = () if problem else tuple(backend.voices(dataclasses.replace(base, name=name, voice=None)))
        listing.append(BackendVoices(name, problem, voices))
    return listing


def _is_named(voice: VoiceInfo, wanted: str) -> bool:
    wanted = wanted.lower()
    return wanted in {voice.name.lower(), voice.description.lower(), *(code.lower() for code in voice.languages)}


def _speaks(voice: VoiceInfo, language: str) -> bool:
    return any(code.lower() == language or code.lower().startswith(f"{language}-") for code in voice.languages)
