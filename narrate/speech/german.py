"""German: decimal comma, thousands dot, "Prozent"; enough to show how a language plugs in."""

from __future__ import annotations

from .english import plural
from .rules import LanguageRules

RULES = LanguageRules(
    code="de",
    decimal_mark=",",
    group_marks=".",
    plural=plural,  # German, like English, counts one thing in the singular and all else in the plural
    words={"point": "Komma", "minus": "minus", "and": "und", "to": "bis", "dot": "Punkt", "at": "at",
           "slash": "Schrägstrich"},
    percent=("Prozent", "Prozent"),
    currencies={"€": ("Euro", "Euro"), "$": ("Dollar", "Dollar"), "US$": ("US-Dollar", "US-Dollar")},
    units={"km": ("Kilometer", "Kilometer"), "kg": ("Kilogramm", "Kilogramm"), "mm": ("Millimeter", "Millimeter"),
           "€": ("Euro", "Euro")},
    abbreviations={"z. B.": "zum Beispiel", "z.B.": "zum Beispiel", "usw.": "und so weiter",
                   "bzw.": "beziehungsweise", "d. h.": "das heißt", "Dr.": "Doktor",
                   "ca.": "circa", "Mio.": "Millionen", "Mrd.": "Milliarden"},
    before_numbers={"Nr.": "Nummer", "S.": "Seite", "Abs.": "Absatz"},
    non_final_abbreviations=frozenset({"z. B.", "z.B.", "bzw.", "d. h.", "Nr.", "Dr.", "ca."}),
    ordinal_dot=True,
    letter_acronyms=frozenset({"USA", "EU", "UN", "BND", "CDU", "SPD", "ARD", "ZDF"}),
    word_acronyms=frozenset({"NATO"}),
)
