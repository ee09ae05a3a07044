"""Piper's voice catalogue (`voices.json` of the piper-voices repository) and fetching voices from it.

Only `narrate voices` uses this, never a build: a build reads the voices already on disk. Each file is
checked against the catalogue's size and MD5 digest before anything is moved into the voice folder,
and the model (.onnx), which is what makes a voice visible, is moved last.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NarrateError
from ..files import move_into_place, temporary_path

DEFAULT_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/"
URL_VARIABLE = "NARRATE_VOICES_URL"
"""Set it to a mirror of the piper-voices repository (a newsroom's own server, or a folder served locally)."""
VOICE_FILE_SUFFIXES = (".onnx.json", ".onnx")
"""What a voice is made of, in the order they are moved into place: the model last."""
MODEL_CARD = "MODEL_CARD"
"""The voice's licence and provenance, kept beside it as NAME.MODEL_CARD when the catalogue lists one."""
CHUNK = 1 << 16
TIMEOUT = 60.0

Progress = Callable[[str, int, int], None]
"""Called as bytes arrive: (file name, bytes so far, bytes in all)."""


@dataclass(frozen=True)
class VoiceFile:
    path: str
    """Relative to the catalogue's base URL, e.g. "en/en_US/joe/medium/en_US-joe-medium.onnx"."""
    size: int
    md5: str
    name: str
    """What it is saved as in the voice folder."""


@dataclass(frozen=True)
class CatalogueVoice:
    name: str
    language: str
    """The language family, as articles state it ("en", "uk")."""
    locale: str
    quality: str
    files: tuple[VoiceFile, ...]
    """Its model card (when listed), settings and model, in the order they are moved into place."""

    @property
    def size(self) -> int:
        return sum(file.size for file in self.files)


def catalogue_url() -> str:
    base = os.environ.get(URL_VARIABLE) or DEFAULT_URL
    return base if base.endswith("/") else f"{base}/"


def fetch_catalogue(base_url: str) -> list[CatalogueVoice]:
    """Every voice of the catalogue at `base_url`, by language then name."""
    where = f"{base_url}voices.json"
    try:
        with urllib.request.urlopen(where, timeout=TIMEOUT) as answer:
            entries = json.loads(answer.read())
        voices = [_voice(name, entry) for name, entry in entries.items()]
    except (OSError, ValueError, http.client.HTTPException, AttributeError, KeyError, TypeError) as error:
        raise NarrateError(f"cannot read the voice catalogue: {_reason(error)} (set {URL_VARIABLE} to a mirror)", where) from None
    return sorted(voices, key=lambda voice: (voice.language, voice.name))


def _voice(name: str, entry: dict[str, Any]) -> CatalogueVoice:
    by_file_name = {path.rsplit("/", 1)[-1]: (path, details) for path, details in entry["files"].items()}
    saved_as = {MODEL_CARD: f"{name}.{MODEL_CARD}", **{f"{name}{suffix}": f"{name}{suffix}" for suffix in VOICE_FILE_SUFFIXES}}
    if not all(f"{name}{suffix}" in by_file_name for suffix in VOICE_FILE_SUFFIXES):
        raise ValueError(f"voice {name!r} lists no model and settings file")
    files = tuple(VoiceFile(path, int(details["size_bytes"]), str(details["md5_digest"]), saved_as[file_name])
                  for file_name in saved_as if file_name in by_file_name for path, details in [by_file_name[file_name]])
    return CatalogueVoice(name, entry["language"]["family"], entry["language"]["code"], entry["quality"], files)


def download(voice: CatalogueVoice, base_url: str, folder: Path, progress: Progress) -> None:
    """Fetch `voice`'s files into `folder`, each checked for size and digest; on any failure nothing
    new is left in `folder`."""
    temporaries: list[tuple[Path, Path]] = []
    try:
        for file in voice.files:
            destination = folder / file.name
            temporary = temporary_path(destination)
            temporaries.append((temporary, destination))
            _fetch(file, base_url, temporary, progress)
        for temporary, destination in temporaries:
            move_into_place(temporary, destination)
    finally:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)


def _fetch(file: VoiceFile, base_url: str, temporary: Path, progress: Progress) -> None:
    where = f"{base_url}{file.path}"
    digest, received = hashlib.md5(usedforsecurity=False), 0
    try:
        with urllib.request.urlopen(where, timeout=TIMEOUT) as answer, temporary.open("wb") as out:
            while chunk := answer.read(CHUNK):
                received += len(chunk)
                if received > file.size:
                    break
                digest.update(chunk)
                out.write(chunk)
                progress(file.name, received, file.size)
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise NarrateError(f"download failed: {_reason(error)}; nothing was installed", where) from None
    if received < file.size:
        raise NarrateError(f"download incomplete: {received} of {file.size} bytes arrived; nothing was installed", where)
    if received > file.size:
        raise NarrateError(f"download refused: more than the catalogue's {file.size} bytes; nothing was installed", where)
    if digest.hexdigest() != file.md5:
        raise NarrateError(f"download refused: its MD5 digest {digest.hexdigest()} is not the catalogue's {file.md5}; "
                           "nothing was installed", where)


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__
