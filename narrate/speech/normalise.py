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
    say = functools.partial
    rule_list = [
        say(EMAIL.sub, say(_url, rules)),
        say(URL.sub, say(_url, rules)),
        _iso_dates(rules),
        _dates(rules),
        _times(rules),
        _money(rules, number),
        _year_ranges(rules),
        _ranges(rules, number),
        _percent(rules, number),
        _units(rules, number),
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
    return rf"(?<![\w.,]){_digits(group)}(?:{mark}\d+)?(?![\d]|[.,]\d)"


def _digits(group: str) -> str:
    return rf"(?:\d{{1,3}}(?:[{group}]\d{{3}})+|\d+)" if group else r"\d+"


def _value(written: str, rules: LanguageRules) -> Decimal:
    for mark in rules.group_marks:
        written = written.replace(mark, "")
    return Decimal(written.replace(rules.decimal_mark, "."))


def _alternatives(words: Iterable[str]) -> str:
    """An alternation that tries longer words first, so "US$" wins over "$"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _url(rules: LanguageRules, match: re.Match[str]) -> str:
    """ "www.example.com/news" → "w w w dot example dot com slash news"; the scheme is not said."""
    address = re.sub(r"^https?://", "", match.group(0), flags=re.IGNORECASE)
    address = re.sub(r"^www\.", "w w w.", address, flags=re.IGNORECASE)
    separators = {".": rules.words["dot"], "/": rules.words["slash"], "@": rules.words["at"]}
    return re.sub(r"[./@]", lambda sep: f" {separators[sep.group(0)]} ", address).strip()


def _sub(pattern: str, replace: Callable[[re.Match[str]], str | None], flags: int = 0) -> Rule:
    """A rule: each match is replaced, unless `replace` returns None (then it stays as written)."""
    compiled = re.compile(pattern, flags)

    def rule(text: str) -> str:
        return compiled.sub(lambda match: _or_written(replace(match), match), text)

    return rule


def _or_written(spoken: str | None, match: re.Match[str]) -> str:
    return match.group(0) if spoken is None else spoken


def _iso_dates(rules: LanguageRules) -> Rule | None:
    if not rules.months:
        return None

    def say(match: re.Match[str]) -> str | None:
        year, month, day = (int(part) for part in match.groups())
        return rules.date(rules.months[month - 1], day, year, rules) if 1 <= month <= 12 else None

    return _sub(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])", say)


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


def _money(rules: LanguageRules, number: str) -> Rule | None:
    if not rules.currencies:
        return None
    scales = rf"(?:\s?({_alternatives(rules.scales)})(?!\w))?" if rules.scales else "()"

    def say(match: re.Match[str]) -> str:
        symbol, amount, scale = match.group(1), _value(match.group(2), rules), match.group(3)
        name = rules.currencies[symbol]
        if scale:
            return f"{rules.cardinal(amount)} {rules.scales[scale]} {rules.counted(Decimal(10**6), name)}"
        whole, cents = divmod(amount, 1)
        minor = rules.minor_currencies.get(symbol)
        if minor and cents and len(match.group(2).rpartition(rules.decimal_mark)[2]) == 2:
            hundredths = Decimal(int(cents * 100))
            return (f"{rules.cardinal(whole)} {rules.counted(whole, name)} {rules.words['and']} "
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
        amount = _value(match.group(1), rules)
        unit = match.group(3)
        adjective = rules.attached_unit_is_adjective and not match.group(2) and unit[0].isalpha()
        count = Decimal(1) if adjective else amount
        return f"{rules.cardinal(amount)} {rules.counted(count, rules.units[unit])}"

    return _sub(rf"({number})(\s?)({_alternatives(rules.units)})(?![\w/])", say)


def _ordinals(rules: LanguageRules) -> Rule | None:
    if not rules.ordinal_suffixes:
        return None
    return _sub(rf"(?<![\w.,])(\d+)(?:{rules.ordinal_suffixes})(?!\w)", lambda m: rules.ordinal(int(m.group(1))))


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
        return rules.cardinal(-amount if match.group(1) else amount)

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
    ("NATO" → "Nato") so no backend spells them; an unknown one with no vowel is spelt out too."""

    def say(match: re.Match[str]) -> str | None:
        word, suffix = match.group(1), match.group(2) or ""
        if word in rules.word_acronyms:
            return word.capitalize() + suffix
        if word in rules.letter_acronyms or not re.search(r"[AEIOUY]", word):
            return ".".join(word) + (".'s" if suffix else "")
        return None

    return _sub(r"(?<![\w.'])([A-Z]{2,8})(s|'s)?(?![\w']|\.\w)", say)
