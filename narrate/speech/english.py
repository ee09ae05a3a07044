"""English, as a newsreader says it: "$60.84 billion" is "sixty point eight four billion dollars"."""

from __future__ import annotations

from decimal import Decimal

from .rules import LanguageRules

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MONTH_ABBREVIATIONS = {"Jan.": "January", "Feb.": "February", "Mar.": "March", "Apr.": "April",
                       "Jun.": "June", "Jul.": "July", "Aug.": "August", "Sep.": "September",
                       "Sept.": "September", "Oct.": "October", "Nov.": "November", "Dec.": "December"}

TITLES = {
    "Gen.": "General", "Lt.": "Lieutenant", "Col.": "Colonel", "Maj.": "Major", "Capt.": "Captain",
    "Sgt.": "Sergeant", "Adm.": "Admiral", "Cmdr.": "Commander", "Sec.": "Secretary", "Gov.": "Governor",
    "Sen.": "Senator", "Rep.": "Representative", "Pres.": "President", "Amb.": "Ambassador",
    "Dr.": "Doctor", "Prof.": "Professor", "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz",
    "Mt.": "Mount", "Ft.": "Fort", "Rev.": "Reverend",
}
OTHER_ABBREVIATIONS = {
    "Jr.": "Junior", "Sr.": "Senior", "Inc.": "Incorporated", "Corp.": "Corporation", "Co.": "Company",
    "Ltd.": "Limited", "Dept.": "Department", "vs.": "versus", "etc.": "et cetera", "e.g.": "for example",
    "i.e.": "that is", "approx.": "approximately", "est.": "established",
}

BEFORE_NUMBERS = {"No.": "number", "Nos.": "numbers", "no.": "number", "Art.": "Article", "p.": "page",
                  "pp.": "pages", "vol.": "volume", "Vol.": "Volume", "Fig.": "Figure"}
NEVER_LAST = frozenset({"e.g.", "i.e.", "vs.", "approx.", "St."})
"""Abbreviations a sentence goes on after, besides titles and months ("St." stays as written: Saint or Street)."""

LETTER_ACRONYMS = frozenset({
    "US", "UK", "EU", "UN", "USA", "USSR", "FBI", "CIA", "BBC", "CNN", "IAEA", "IMF", "OSCE",
    "NSA", "SBU", "HUR", "ZSU", "AFU", "MP", "PM", "CEO", "AI", "TV", "GDP", "UAV", "NGO", "EV", "LNG",
})
WORD_ACRONYMS = frozenset({
    "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "AIDS", "COVID", "SWIFT", "BRICS", "ASEAN",
    "HIMARS", "ATACMS", "FIFA", "UEFA", "ISIS", "OTAN",
})


def plural(number: Decimal) -> int:
    """English counts one thing in the singular and everything else (0, 2, 1.5) in the plural."""
    return 0 if number == 1 else 1


MEASURE_WORDS = frozenset({
    "of", "from", "to", "in", "into", "on", "at", "by", "per", "for", "with", "away", "long", "wide", "high",
    "deep", "thick", "tall", "and", "or", "a", "an", "the", "north", "south", "east", "west", "is", "are",
    "was", "were",
})
"""Words after a measure that show it is a quantity ("40 km away"), not a compound adjective."""


def unit_is_adjective(unit: str, attached: bool, next_word: str) -> bool:
    """Before a noun, "155mm shells" and, for calibres, "155 mm shells" are compound adjectives said
    in the singular ("millimeter"); "40 km", "5mm of rain" and "a 155mm." are quantities (plural)."""
    before_a_noun = next_word[:1].islower() and next_word not in MEASURE_WORDS
    return before_a_noun and unit[0].isalpha() and (attached or unit == "mm")


def say_date(month: str, day: int, year: int | None, rules: LanguageRules) -> str | None:
    """ "October fourteenth, twenty twenty-four" (the American newsreader's order, as these articles write it)."""
    if not 1 <= day <= 31:
        return None
    spoken = f"{month} {rules.ordinal(day)}"
    return f"{spoken}, {rules.year(year)}" if year else spoken


def say_time(hour: int, minute: int, meridiem: str | None, rules: LanguageRules) -> str | None:
    """ "three oh two P.M", "eleven P.M", "fifteen thirty": how a clock is read aloud."""
    if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
        return None
    spoken = [rules.cardinal(Decimal(hour))]
    if minute:
        spoken.append(("oh " if minute < 10 else "") + rules.cardinal(Decimal(minute)))
    elif not meridiem:
        spoken.append("hundred")
    if meridiem:
        spoken.append(f"{meridiem[0].upper()}.M")
    return " ".join(spoken)


def say_decade(year_words: str) -> str:
    """ "nineteen ninety" → "nineteen nineties"."""
    return year_words[:-1] + "ies" if year_words.endswith("y") else year_words + "s"


RULES = LanguageRules(
    code="en",
    decimal_mark=".",
    group_marks=",",
    plural=plural,
    words={"point": "point", "minus": "minus", "and": "and", "to": "to", "dot": "dot", "at": "at", "slash": "slash"},
    percent=("percent", "percent"),
    currencies={
        "US$": ("US dollar", "US dollars"), "$": ("dollar", "dollars"), "€": ("euro", "euros"),
        "£": ("pound", "pounds"), "¥": ("yen", "yen"), "₴": ("hryvnia", "hryvnias"),
        "Hr": ("hryvnia", "hryvnias"), "UAH": ("hryvnia", "hryvnias"), "₽": ("ruble", "rubles"),
        "EUR": ("euro", "euros"), "USD": ("dollar", "dollars"), "GBP": ("pound", "pounds"),
    },
    scales={"thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
            "k": "thousand", "m": "million", "mn": "million", "bn": "billion", "tn": "trillion"},
    units={
        "mm": ("millimeter", "millimeters"), "cm": ("centimeter", "centimeters"), "m": ("meter", "meters"),
        "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"), "g": ("gram", "grams"),
        "t": ("ton", "tons"), "km/h": ("kilometer per hour", "kilometers per hour"),
        "mph": ("mile per hour", "miles per hour"), "kW": ("kilowatt", "kilowatts"),
        "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"), "ha": ("hectare", "hectares"),
        "sq km": ("square kilometer", "square kilometers"), "°C": ("degree Celsius", "degrees Celsius"),
        "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    },
    months=MONTHS,
    month_abbreviations=MONTH_ABBREVIATIONS,
    abbreviations={**TITLES, **OTHER_ABBREVIATIONS, **MONTH_ABBREVIATIONS},
    before_numbers=BEFORE_NUMBERS,
    non_final_abbreviations=frozenset(TITLES) | frozenset(MONTH_ABBREVIATIONS) | NEVER_LAST,
    letter_acronyms=LETTER_ACRONYMS,
    word_acronyms=WORD_ACRONYMS,
    ordinal_suffixes="st|nd|rd|th",
    minor_currencies={"US$": ("cent", "cents"), "$": ("cent", "cents"), "€": ("cent", "cents"),
                      "£": ("penny", "pence")},
    unit_is_adjective=unit_is_adjective,
    date=say_date,
    time=say_time,
    decade=say_decade,
)
