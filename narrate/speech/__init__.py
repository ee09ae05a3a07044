"""What the listener hears: the user's pronunciations, then text said the way a newsreader would say it."""

from .lexicon import Lexicon
from .normalise import normalise, rules_for

__all__ = ["Lexicon", "normalise", "rules_for"]
