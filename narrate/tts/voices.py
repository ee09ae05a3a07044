"""Which voice speaks an article: its own choice, else its language's, else the feed's; checked up front.

A voice reference is "backend:voice" ("piper:en_US-joe-medium"), a backend name alone ("espeak-ng":
that backend's voice for the article's language), or a voice of the default backend ("uk"). In
`[voice.languages]` a reference may also be a table {backend, voice, rate, pause_scale}.
"""

from __future__ import annotations

import dataclasses
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


def default_spec(config: VoiceConfig) -> BackendSpec:
    return BackendSpec(config.backend, config.voice, config.rate, config.pause_scale, config.voice_dir)


def choose_voice(article: Article, config: VoiceConfig) -> BackendSpec:
    """The article's front-matter voice, else the one for its language, else the feed's voice.

    A front-matter voice whose backend is not installed fails the article (ArticleError): the
    article chose it, not narrate.toml."""
    base = default_spec(config)
    backends = installed_backends()
    reference = article.voice or config.languages.get(article.language)
    spec = resolve_reference(reference, base, backends) if reference else base
    if article.voice and spec.name not in backends:
        problem = f"its voice {article.voice!r} needs the backend {spec.name!r}, which is not installed"
        raise ArticleError(f"{problem} (installed: {', '.join(sorted(backends))}; see `narrate voices`)", article.source)
    return spec


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
