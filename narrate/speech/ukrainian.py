"""Ukrainian: decimal comma, spaces between thousands, and the three plural forms counted words take."""

from __future__ import annotations

from decimal import Decimal

from .rules import LanguageRules


def plural(number: Decimal) -> int:
    """0: 1, 21, 31… (відсоток); 1: 2–4, 22–24… (відсотки); 2: 0, 5–20… (відсотків); 3: fractions (відсотка)."""
    if number != number.to_integral_value():
        return 3
    whole = int(abs(number))
    if whole % 10 == 1 and whole % 100 != 11:
        return 0
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return 1
    return 2


RULES = LanguageRules(
    code="uk",
    decimal_mark=",",
    group_marks=" ",
    plural=plural,
    words={"point": "кома", "minus": "мінус", "and": "і", "to": "до", "dot": "крапка", "at": "ет",
           "slash": "скісна риска"},
    percent=("відсоток", "відсотки", "відсотків", "відсотка"),
    units={"км": ("кілометр", "кілометри", "кілометрів", "кілометра"),
           "мм": ("міліметр", "міліметри", "міліметрів", "міліметра")},
    abbreviations={"т. зв.": "так званий", "т. д.": "так далі", "ім.": "імені", "вул.": "вулиця",
                   "м.": "місто", "обл.": "область"},
    non_final_abbreviations=frozenset({"т. зв.", "ім.", "вул.", "м.", "обл."}),
)
