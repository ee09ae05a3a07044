"""What runs inside a synthesis worker process: one backend, made at start-up, then one clip per call.

Spawned workers import this module afresh, so it imports only what making a clip needs; the
scheduling (narrate.tts.runner) stays in the main process.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import multiprocessing
import os
import signal
import sys
import threading
from dataclasses import dataclass

from ..errors import SynthesisError
from ..model import AudioChunk
from . import Backend, BackendSpec, create_backend
from .clip_cache import ClipCache

_backend: Backend | None = None
_cache: ClipCache | None = None

PR_SET_PDEATHSIG = 1
"""Linux prctl(2) option: the signal the kernel sends this process when its parent dies."""
ORPHANED_EXIT_STATUS = 1


@dataclass(frozen=True)
class ClipRequest:
    """One clip to make: the key it is cached under, and what to say in which language."""

    key: str
    text: str
    language: str


def start_worker(spec: BackendSpec, cache: ClipCache | None) -> None:
    """Tie this worker's life to the build's, then create its backend once; backend chatter on
    stdout must not reach the user."""
    global _backend, _cache
    _exit_with_parent()
    with contextlib.redirect_stdout(io.StringIO()):
        _backend = create_backend(spec)
    _cache = cache


def _exit_with_parent() -> None:
    """End this process as soon as the process that started it ends, however that ends (even SIGKILL).

    An idle worker waits on a queue whose write end it holds itself, so it never notices that the
    build is gone: it would live on, holding the caller's stdout open. On Linux the kernel kills it
    (PR_SET_PDEATHSIG), which works even while a backend's C code holds the interpreter (the kernel
    watches the thread that started the worker: the runner starts them from the thread it runs in);
    elsewhere a thread waits for the pipe that the parent holds open while it lives to close. The
    parent may have died before either was set up: the pipe says so at once.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if _killed_by_kernel_when_orphaned():
        if not parent.is_alive():
            os._exit(ORPHANED_EXIT_STATUS)
    else:
        threading.Thread(target=_exit_when_gone, args=(parent,), name="exit-with-parent", daemon=True).start()


def _killed_by_kernel_when_orphaned() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_when_gone(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()
    os._exit(ORPHANED_EXIT_STATUS)


def speak_in_worker(request: ClipRequest) -> AudioChunk | None:
    assert _backend is not None, "worker started without a backend"
    return speak(_backend, _cache, request)


def speak(backend: Backend, cache: ClipCache | None, request: ClipRequest) -> AudioChunk | None:
    """One clip: stored in the cache (None is returned, so the audio never travels between
    processes), or returned when there is no cache."""
    audio = backend.synthesize(request.text, request.language)
    if cache is None:
        return audio
    try:
        cache.put(request.key, audio)
    except OSError as error:
        raise SynthesisError(f"cannot store speech in the cache {cache.folder}: {error.strerror}") from None
    return None
