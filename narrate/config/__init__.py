"""narrate.toml → one typed, validated Config. Imports no pipeline stage: every stage may import it."""

from .loading import load_config
from .settings import AudioConfig, Config, FeedConfig, PathsConfig, PublishConfig, VoiceConfig, is_url, is_web_url

__all__ = [
    "AudioConfig", "Config", "FeedConfig", "PathsConfig", "PublishConfig", "VoiceConfig", "is_url", "is_web_url",
    "load_config",
]
