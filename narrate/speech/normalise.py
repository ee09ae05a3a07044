"""Written text → the words a newsreader says: numbers, money, dates, units, abbreviations, pauses.

Every rule is a regular expression built from the language's table (narrate/speech/rules.py);
a rule whose table is empty does nothing. Rules run in a fixed order, most specific first, so
"$60.84 billion" is read as money before "60.84" could be read as a plain number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from . import english, german, ukrainian
from .rules import LanguageRules

LANGUAGES: dict[str, LanguageRules] = {"en": english.RULES, "de": german.RULES, "uk": ukrainian.RULES}

TLDS = "com|org|net|gov|edu|int|mil|info|io|ua|uk|us|eu|de|fr|pl|ru|ca|au|news|media"
URL = re.compile(
    rf"(?<![\w@.])(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{TLDS})(?![\w@])(?:/[^\s]*[\w/])?",
    re.IGNORECASE,
)
EMAIL = re.compile(r"(?<![\w.])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<![.])")
CLOSING_SINGLE_QUOTE = re.compile(r"’(?!\w)")
"""’ inside a word is an apostrophe ("Russia’s"); anywhere else it closes a quotation, which is not said."""
TYPOGRAPHY = str.maketrans({"’": "'", "‘": None, "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
                            "“": None, "”": None, "„": None, "«": None, "»": None, '"': None,
                            "\u00ad": None, "…": "...", "−": "-"})
PAUSES = (
    (re.compile(r"\s*[(\[]\s*"), ", "),
    (re.compile(r"\s*[)\]]"), ","),
    (re.compile(r"(?<!\d)\s+[—–-]+\s+|\s+[—–-]+\s+(?!\d)|\s*—\s*"), ", "),
)
"""Brackets and dashes become commas (a short pause); a spaced dash between numbers is a range."""
TIDY = (
    (re.compile(r"\s+([,.!?;:])"), r"\1"),
    (re.compile(r",(?:\s*,)+"), ","),
    (re.compile(r",+\s*([.!?;:])"), r"\1"),
    (re.compile(r"([.!?;:]),+"), r"\1"),
    (re.compile(r",(?=[^\s\d])"), ", "),
    (re.compile(r"^[\s,]+|[\s,]+$"), ""),
    (re.compile(r"\s{2,}"), " "),
)
AT_END = re.compile(r"\s*$")
ROMAN_NUMERAL = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
AFTER_A_NAME = re.compile(r"\b(?!(?:The|A|An|This|That|These|Those|Its|His|Her|Our|Their|In|On|At|For|And|But)\b)[A-Z][a-z]+ $")
"""A Roman numeral follows a name ("Leo XIV", "World War II"); "the CLI" is an acronym."""
VOWEL = re.compile(r"[AEIOUY]")
RESPELT_BEFORE, RESPELT_AFTER = re.compile(r"[a-z]-"), re.compile(r"-[a-z]")
"""Capitals hyphenated to lowercase letters are a stressed syllable of a respelling ("zeh-LEN-skee")."""


def rules_for(language: str) -> LanguageRules | None:
    """The rules of a language code such as "en", "en-GB" or "uk_UA"; None when we have none."""
    return LANGUAGES.get(re.split(r"[-_]", language, maxsplit=1)[0].lower())


def normalise(text: str, language: str) -> str:
    """What to say for `text` in `language`; an unknown language gets the language-neutral rules only."""
    text = _replace_all(CLOSING_SINGLE_QUOTE.sub("", text).translate(TYPOGRAPHY), PAUSES)
    rules = rules_for(language)
    if rules is not None:
        for rule in _rules(rules):
            text = rule(text)
    return _replace_all(text, TIDY)


def _replace_all(text: str, replacements: Iterable[tuple[re.Pattern[str], str]]) -> str:
    for pattern, replacement in replacements:
        text = pattern.sub(replacement, text)
    return text


Rule = Callable[[str], str]


@functools.cache
def _rules(rules: LanguageRules) -> tuple[Rule, ...]:
    """The language's rules in the order they must run, their patterns compiled once."""
    number = _number_pattern(rules)
    rule_list = [
        _addresses(rules),
        _numeric_dates(rules),
        _dates(rules),
        _times(rules),
        _before_numbers(rules),
        _money(rules, number),
        _year_ranges(rules),
        _ranges(rules, number),
        _percent(rules, number),
        _units(rules, number),
        _designations(rules),
        _ordinals(rules),
        _decades(rules),
        _years(rules),
        _numbers(rules, number),
        _abbreviations(rules),
        _acronyms(rules),
    ]
    return tuple(rule for rule in rule_list if rule is not None)


def _number_pattern(rules: LanguageRules) -> str:
    """A written number in this language: digits, thousands grouped or not, and decimals."""
    group, mark = re.escape(rules.group_marks), re.escape(rules.decimal_mark)
    return rf"(?<![\w.,])(?:\d{{1,3}}(?:[{group}]\d{{3}})+|\d+)(?:{mark}\d+)?(?!\d|[.,]\w)"


def _value(written: str, rules: LanguageRules) -> Decimal:
    for mark in rules.group_marks:
        written = written.replace(mark, "")
    return Decimal(written.replace(rules.decimal_mark, "."))


def _alternatives(words: Iterable[str]) -> str:
    """An alternation that tries longer words first, so "US$" wins over "$"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _addresses(rules: LanguageRules) -> Rule:
    """E-mail addresses, then web addresses: "www.example.com/news" → "w w w dot example dot com
    slash news"; the scheme (https://) is not said."""
    separators = {".": rules.words["dot"], "/": rules.words["slash"], "@": rules.words["at"]}

    def say(match: re.Match[str]) -> str:
        address = re.sub(r"^https?://", "", match.group(0), flags=re.IGNORECASE)
        address = re.sub(r"^www\.", "w w w.", address, flags=re.IGNORECASE)
        return re.sub(r"[./@]", lambda separator: f" {separators[separator.group(0)]} ", address).strip()

    return lambda text: URL.sub(say, EMAIL.sub(say, text))


def _sub(pattern: str, replace: Callable[[re.Match[str]], str | None], flags: int = 0) -> Rule:
    """A rule: each match is replaced, unless `replace` returns None (then it stays as written)."""
    compiled = re.compile(pattern, flags)

    def rule(text: str) -> str:
        return compiled.sub(lambda match: _or_written(replace(match), match), text)

    return rule


def _or_written(spoken: str | None, match: re.Match[str]) -> str:
    return match.group(0) if spoken is None else spoken


def _numeric_dates(rules: LanguageRules) -> Rule | None:
    """ "2024-10-15", "21-07-2022", "03.02.2023"; with slashes "7/21/2022" is month first unless its
    first number cannot be a month ("21/7/2022"). A date that is not a real day stays as written."""
    if not rules.months:
        return None

    def say(year: str, month: str, day: str) -> str | None:
        in_range = 1 <= int(month) <= 12 and 1 <= int(day) <= 31
        return rules.date(rules.months[int(month) - 1], int(day), int(year), rules) if in_range else None

    def day_first(match: re.Match[str]) -> str | None:
        first, separator, second, year = match.groups()
        month_first = separator == "/" and int(first) <= 12
        return say(year, first, second) if month_first else say(year, second, first)

    iso = _sub(r"(?<![\w./-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])", lambda match: say(*match.groups()))
    other = _sub(r"(?<![\w./-])(\d{1,2})([-./])(\d{1,2})\2(\d{4})(?![\w/-]|[.,]\d)", day_first)
    return lambda text: other(iso(text))


def _dates(rules: LanguageRules) -> Rule | None:
    if not rules.months:
        return None
    names = {**{month: month for month in rules.months}, **rules.month_abbreviations}
    suffix = f"(?:{rules.ordinal_suffixes})?" if rules.ordinal_suffixes else ""

    def say(match: re.Match[str]) -> str | None:
        month, day, year = match.group(1), int(match.group(2)), match.group(3)
        return rules.date(names[month], day, int(year) if year else None, rules)

    return _sub(rf"(?<!\w)({_alternatives(names)})\s+(\d{{1,2}}){suffix}(?!\w)(?:,?\s+(\d{{4}})(?!\w))?", say)


def _times(rules: LanguageRules) -> Rule:
    meridiem = r"(?:\s*([ap])\.?\s?m\b(?:\.(?!\s*$))?)"

    def say(match: re.Match[str]) -> str | None:
        hour, minute, half = match.group(1), match.group(2), match.group(3)
        return rules.time(int(hour), int(minute or 0), half.lower() if half else None, rules)

    clock = _sub(rf"(?<![\w:.])(\d{{1,2}}):(\d{{2}})(?![\w:]){meridiem}?", say, re.IGNORECASE)
    hour_only = _sub(rf"(?<![\w:.])(\d{{1,2}})()(?!\d){meridiem}", say, re.IGNORECASE)
    return lambda text: hour_only(clock(text))


def _before_numbers(rules: LanguageRules) -> Rule | None:
    if not rules.before_numbers:
        return None
    words = rules.before_numbers
    return _sub(rf"(?<![\w.])({_alternatives(words)})(?=\s?\d)", lambda match: words[match.group(1)])


def _money(rules: LanguageRules, number: str) -> Rule | None:
    if not rules.currencies:
        return None
    scales = rf"(?:\s?({_alternatives(rules.scales)})(?!\w))?" if rules.scales else "()"

    def say(match: re.Match[str]) -> str:
        symbol, amount, scale = match.group(1), _value(match.group(2), rules), match.group(3)
        name = rules.currencies[symbol]
        if scale:
            return f"{rules.cardinal(amount)} {rules.scales[scale]} {rules.counted(Decimal(10**6), name)}"
        whole, _, cents = match.group(2).partition(rules.decimal_mark)
        minor = rules.minor_currencies.get(symbol)
        if minor and len(cents) == 2 and int(cents):
            units, hundredths = _value(whole, rules), Decimal(cents)
            return (f"{rules.cardinal(units)} {rules.counted(units, name)} {rules.words['and']} "
                    f"{rules.cardinal(hundredths)} {rules.counted(hundredths, minor)}")
        return f"{rules.cardinal(amount)} {rules.counted(amount, name)}"

    return _sub(rf"(?<![\w$€£¥₴₽])({_alternatives(rules.currencies)})\s?({number}){scales}", say)


def _year_ranges(rules: LanguageRules) -> Rule:
    def say(match: re.Match[str]) -> str | None:
        first, second = match.group(1), match.group(2)
        if len(second) == 2:
            return f"{rules.year(int(first))} {rules.words['to']} {rules.cardinal(Decimal(second))}"
        if int(second) <= int(first):
            return None
        return f"{rules.year(int(first))} {rules.words['to']} {rules.year(int(second))}"

    return _sub(r"(?<![\w.,-])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?![\w.,%-]|\s?%)", say)


def _ranges(rules: LanguageRules, number: str) -> Rule:
    """ "10–15%" → "10 to 15%": only the first number and the dash; the rest is read by later rules."""
    to = rules.words["to"]
    return _sub(rf"({number})(?:\s?–\s?|-)(?=\d)", lambda match: f"{match.group(1)} {to} ")


def _percent(rules: LanguageRules, number: str) -> Rule | None:
    if not rules.percent:
        return None

    def say(match: re.Match[str]) -> str:
        amount = _value(match.group(1), rules)
        return f"{rules.cardinal(amount)} {rules.counted(amount, rules.percent)}"

    return _sub(rf"({number})\s?%", say)


def _units(rules: LanguageRules, number: str) -> Rule | None:
    if not rules.units:
        return None

    def say(match: re.Match[str]) -> str:
        amount, space, unit, next_word = _value(match.group(1), rules), match.group(2), match.group(3), match.group(4)
        adjective = rules.unit_is_adjective and rules.unit_is_adjective(unit, not space, next_word or "")
        count = Decimal(1) if adjective else amount
        return f"{rules.cardinal(amount)} {rules.counted(count, rules.units[unit])}"

    return _sub(rf"({number})(\s?)({_alternatives(rules.units)})(?![\w/])(?=\s+(\w+))?", say)


def _designations(rules: LanguageRules) -> Rule:
    """A model number after letters and a hyphen is read like a year: "Tu-160" → "Tu-one sixty",
    "Shahed-136/131" → "Shahed-one thirty-six slash one thirty-one"."""
    slash = f" {rules.words['slash']} "

    def say(match: re.Match[str]) -> str:
        return slash.join(rules.year(int(number)) for number in match.group(0).split("/"))

    return _sub(r"(?<=[A-Za-z]-)\d{1,4}(?:/\d{1,4})*(?!\w|[.,]\d)", say)


def _ordinals(rules: LanguageRules) -> Rule | None:
    if not rules.ordinal_suffixes:
        return None
    return _sub(rf"(?<![\w.,])(\d+)(?:{rules.ordinal_suffixes})(?!\w)", lambda m: rules.ordinal(m.group(1)))


def _decades(rules: LanguageRules) -> Rule | None:
    decade = rules.decade
    if decade is None:
        return None
    return _sub(r"(?<![\w.,])(1[1-9]\d0|20\d0)s(?!\w)", lambda match: decade(rules.year(int(match.group(1)))))


def _years(rules: LanguageRules) -> Rule:
    """A four-digit number from 1100 to 2099, ungrouped, is read as a year ("twenty twenty-four")."""
    return _sub(r"(?<![\w.,$€£-])(1[1-9]\d\d|20\d\d)(?![\w]|[.,]\d)", lambda match: rules.year(int(match.group(1))))


def _numbers(rules: LanguageRules, number: str) -> Rule:
    def say(match: re.Match[str]) -> str:
        amount = _value(match.group(2), rules)
        return rules.cardinal(amount.copy_negate() if match.group(1) else amount)

    return _sub(rf"(?:(?<![\w-])(-)(?=\d))?({number})(?![^\W\d_])", say)


def _abbreviations(rules: LanguageRules) -> Rule | None:
    if not rules.abbreviations:
        return None

    def say(match: re.Match[str]) -> str:
        spoken = rules.abbreviations[match.group(0)]
        ends = AT_END.fullmatch(match.string, match.end()) is not None
        return spoken + "." if ends else spoken

    return _sub(rf"(?<![\w.])(?:{_alternatives(rules.abbreviations)})", say)


def _acronyms(rules: LanguageRules) -> Rule:
    """Known letter acronyms are spelt out ("FBI" → "F.B.I"), known word acronyms made a word
    ("NATO" → "Nato") so no backend spells them. An unknown one is spelt out when it has no vowel
    or at most three letters ("IDP", "UNN"), unless the whole text is in capitals (a shouted
    headline, whose short words are words), it is a Roman numeral after a name ("Leo XIV"), or it
    is joined by a hyphen to lowercase letters (a stressed syllable in a respelling, "zeh-LEN-skee")."""
    pattern = re.compile(r"(?<![\w.'])([A-Z]{2,8})(s|'s)?(?![\w']|\.\w)")

    def rule(text: str) -> str:
        shouted = _mostly_capitals(text)
        return pattern.sub(lambda match: _or_written(_acronym(match, rules, shouted), match), text)

    return rule


def _acronym(match: re.Match[str], rules: LanguageRules, shouted: bool) -> str | None:
    word, suffix = match.group(1), match.group(2) or ""
    if word in rules.word_acronyms:
        return word.capitalize() + suffix
    before, after = match.string[max(match.start() - 2, 0) : match.start()], match.string[match.end() : match.end() + 2]
    in_respelling = bool(RESPELT_BEFORE.fullmatch(before) or RESPELT_AFTER.fullmatch(after))
    short_or_vowelless = len(word) <= 3 or not VOWEL.search(word)
    numeral = ROMAN_NUMERAL.fullmatch(word) and AFTER_A_NAME.search(match.string, 0, match.start())
    guessed = short_or_vowelless and not (shouted or in_respelling or numeral)
    if word in rules.letter_acronyms or guessed:
        return ".".join(word) + (".'s" if suffix else "")
    return None


def _mostly_capitals(text: str) -> bool:
    letters = [character for character in text if character.isalpha()]
    return len(letters) > 12 and sum(character.isupper() for character in letters) > len(letters) * 0.6
