"""The table a language hands the normaliser: its words for numbers, money, units, dates and abbreviations.

A language is data, not code paths: the normaliser applies the same rules to every language and
skips a rule whose table is empty. Word order and grammar that a table cannot express (how a date
or a clock time is said) are small functions the language supplies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from num2words import num2words

log = logging.getLogger(__name__)

MAX_DIGITS = 15
"""Longer numbers (beyond the trillions, which no newsreader says) are read digit by digit."""

Forms = tuple[str, ...]
"""A counted word in each plural form of its language, in the order the language's `plural` numbers them."""


def _no_date(month: str, day: int, year: int | None, rules: LanguageRules) -> str | None:
    return None


def _no_time(hour: int, minute: int, meridiem: str | None, rules: LanguageRules) -> str | None:
    return None


@dataclass(frozen=True, eq=False)
class LanguageRules:
    """Everything language-specific the normaliser needs; see narrate/speech/english.py for a full one."""

    code: str
    """The language's code for num2words."""
    decimal_mark: str
    group_marks: str
    """Characters that group thousands in this language's numbers ("," in English, "." in German)."""
    plural: Callable[[Decimal], int]
    """Which of a word's forms follows this number (0 for singular in English)."""
    words: Mapping[str, str]
    """Connecting words: point, minus, and, to (ranges), dot, at, slash."""
    percent: Forms = ()
    currencies: Mapping[str, Forms] = field(default_factory=dict)
    """Symbol or code written before the amount ("$", "US$", "Hr") → the currency's name forms."""
    scales: Mapping[str, str] = field(default_factory=dict)
    """Words and short forms after an amount ("bn", "million") → the word said."""
    minor_currencies: Mapping[str, Forms] = field(default_factory=dict)
    """Currency symbol → its hundredth ("cent"), so "$2.50" is said "two dollars and fifty cents"."""
    units: Mapping[str, Forms] = field(default_factory=dict)
    unit_is_adjective: Callable[[str, bool, str], bool] | None = None
    """Whether a measure is a compound adjective ("155mm shells": "millimeter", singular), from
    the unit, whether it is written onto the number, and the word after it; None: never."""
    months: tuple[str, ...] = ()
    """The twelve month names, January first."""
    month_abbreviations: Mapping[str, str] = field(default_factory=dict)
    """Abbreviated month as written, with its dot ("Oct.") → the month's name."""
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    """Written abbreviation (case-sensitive, with its dot) → what is said."""
    before_numbers: Mapping[str, str] = field(default_factory=dict)
    """Abbreviations said only before a number ("No. 5" → "number five"; "No." alone is a word)."""
    non_final_abbreviations: frozenset[str] = frozenset()
    """Abbreviations after which a sentence never ends, even before a capital ("Gen. Smith")."""
    ordinal_dot: bool = False
    """True where a number with a dot is an ordinal ("am 3. Oktober"), so no sentence ends after one."""
    letter_acronyms: frozenset[str] = frozenset()
    """Capitalised words said letter by letter ("FBI", "US")."""
    word_acronyms: frozenset[str] = frozenset()
    """Capitalised words said as a word ("NATO"), so no backend spells them out."""
    ordinal_suffixes: str = ""
    """A regular expression for the letters after an ordinal number ("st|nd|rd|th")."""
    date: Callable[[str, int, int | None, LanguageRules], str | None] = _no_date
    """How a date is said, from the month's name, the day and the year if written."""
    time: Callable[[int, int, str | None, LanguageRules], str | None] = _no_time
    """How a clock time is said, from hour, minute and "am"/"pm" if written."""
    decade: Callable[[str], str] | None = None
    """The plural of a year said in words ("nineteen nineties"), or None to leave decades alone."""

    def cardinal(self, number: Decimal) -> str:
        """A number in words; the digits after the decimal mark are said one by one, as written."""
        if number < 0:
            return f"{self.words['minus']} {self.cardinal(number.copy_negate())}"  # exact: `-` rounds to 28 digits
        whole, _, decimals = f"{number:f}".partition(".")
        spoken = [self._words(whole, "cardinal")]
        if decimals:
            spoken += [self.words["point"], *(self._words(digit, "cardinal") for digit in decimals)]
        return " ".join(spoken)

    def ordinal(self, number: int | str) -> str:
        return self._words(str(number), "ordinal")

    def year(self, number: int) -> str:
        return self._words(str(number), "year")

    def counted(self, number: Decimal, forms: Forms) -> str:
        """The form of a counted word that follows `number`."""
        return forms[min(self.plural(number), len(forms) - 1)]

    def _words(self, digits: str, kind: str) -> str:
        """num2words' text for the number written `digits`, without the commas it puts between
        thousands (a listener hears no commas). The digits stay a string until they are known to be
        few: Python refuses to make an int of more than 4,300 of them."""
        significant = digits.lstrip("0") or "0"
        if len(significant) > MAX_DIGITS:
            return " ".join(self._words(digit, "cardinal") for digit in digits)
        number = int(significant)
        try:
            return num2words(number, lang=self.code, to=kind).replace(",", "")
        except (ArithmeticError, LookupError, NotImplementedError):  # a gap in num2words for this language
            log.warning("num2words cannot say %s as %s in %r; left as digits", number, kind, self.code)
            return str(number)
