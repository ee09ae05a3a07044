"""narrate: articles in, podcast episodes, feed and embeddable player out."""

__version__ = "0.1.0"

from .build import BuildReport, build  # noqa: E402  (after __version__, which the feed stage reads)
from .config import load_config  # noqa: E402

__all__ = ["BuildReport", "__version__", "build", "load_config"]
