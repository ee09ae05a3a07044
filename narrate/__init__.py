"""narrate: articles in, podcast episodes, feed and embeddable player out.

The library's names are imported on first use, not here: every synthesis worker process imports
this package, and it needs none of the build's modules (importing them all took ~0.4 s per worker).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
DISTRIBUTION = "narrate-podcast"
"""The name pip installs narrate by: `narrate` on PyPI is an unrelated project."""

_LAZY = {"BuildReport": ".pipeline", "build": ".pipeline", "load_config": ".config"}

__all__ = ["BuildReport", "__version__", "build", "load_config"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
