"""Install a backend plugin the way a real package does: a module plus a dist-info with an entry point."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

TONE_BACKEND = '''
"""A backend from outside narrate: a tone whose length follows the text.

It kills its own process when the text says CRASH and never returns when it says HANG.
"""
import math, os, signal, time
from narrate.model import AudioChunk
from narrate.tts import VoiceInfo


class ToneBackend:
    name = "tone"
    max_chars = 300
    memory_mb = 5

    def __init__(self, spec):
        self.spec = spec

    @classmethod
    def unavailable(cls):
        return None

    @classmethod
    def voices(cls, spec):
        return [VoiceInfo("beep", ("en",), "a 440 Hz tone")]

    def synthesize(self, text, language):
        if "CRASH" in text:
            os.kill(os.getpid(), signal.SIGSEGV)
        if "HANG" in text:
            time.sleep(3600)
        wave = (int(8000 * math.sin(2 * math.pi * 440 * i / 16000)) for i in range(160 * len(text)))
        return AudioChunk(b"".join(v.to_bytes(2, "little", signed=True) for v in wave), 16000)
'''


def install_tone_backend(folder: Path) -> dict[str, str]:
    """Write the plugin below `folder`; returns an environment whose processes (and their workers) see it."""
    dist_info = folder / "narrate_tone-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (folder / "narrate_tone.py").write_text(textwrap.dedent(TONE_BACKEND), encoding="utf-8")
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: narrate-tone\nVersion: 1.0\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[narrate.backends]\ntone = narrate_tone:ToneBackend\n", encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}
