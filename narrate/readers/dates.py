"""Dates and times as news sites print them in bylines and datelines, in several languages."""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "січня", "січень", "января", "январь", "stycznia", "styczeń", "ianuarie", "enero", "januar", "janvier", "gennaio"),
    2: ("february", "feb", "лютого", "лютий", "февраля", "февраль", "lutego", "luty", "februarie", "febrero", "februar", "février", "febbraio"),
    3: ("march", "mar", "березня", "березень", "марта", "март", "marca", "marzec", "martie", "marzo", "märz", "mars"),
    4: ("april", "apr", "квітня", "квітень", "апреля", "апрель", "kwietnia", "kwiecień", "aprilie", "abril", "avril", "aprile"),
    5: ("may", "травня", "травень", "мая", "май", "maja", "maj", "mai", "mayo", "maggio"),
    6: ("june", "jun", "червня", "червень", "июня", "июнь", "czerwca", "czerwiec", "iunie", "junio", "juni", "juin", "giugno"),
    7: ("july", "jul", "липня", "липень", "июля", "июль", "lipca", "lipiec", "iulie", "julio", "juli", "juillet", "luglio"),
    8: ("august", "aug", "серпня", "серпень", "августа", "август", "sierpnia", "sierpień", "agosto", "août"),
    9: ("september", "sep", "sept", "вересня", "вересень", "сентября", "сентябрь", "września", "wrzesień", "septembrie", "septiembre", "septembre", "settembre"),
    10: ("october", "oct", "жовтня", "жовтень", "октября", "октябрь", "października", "październik", "octombrie", "octubre", "oktober", "octobre", "ottobre"),
    11: ("november", "nov", "листопада", "листопад", "ноября", "ноябрь", "listopada", "listopad", "noiembrie", "noviembre", "novembre"),
    12: ("december", "dec", "грудня", "грудень", "декабря", "декабрь", "grudnia", "grudzień", "decembrie", "diciembre", "dezember", "décembre", "dicembre"),
}
MONTHS: dict[str, int] = {name: number for number, names in MONTH_NAMES.items() for name in names}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

WITH_YEAR = (
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_DAY}[./-](?P<month>\d{{1,2}})[./-]{_YEAR}\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE),
)
WITHOUT_YEAR = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH}(?!\w)", re.IGNORECASE),
)
CLOCK = re.compile(r"\b(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s*(?P<half>[AaPp]\.?[Mm]\.?))?(?!\d)")


def find_date(text: str) -> dt.date | None:
    """The first real calendar date with a year in `text`; dates without a year say too little."""
    for pattern in WITH_YEAR:
        for match in pattern.finditer(text):
            if (date := _to_date(match)) is not None:
                return date
    return None


def find_time(text: str) -> dt.time | None:
    """The first clock time in `text` (12- or 24-hour)."""
    for match in CLOCK.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        if half := match["half"]:
            hour = hour % 12 + (12 if half[0] in "Pp" else 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    return None


def without_dates(text: str) -> str:
    """`text` with every date and clock time taken out, to see what else a dateline says."""
    for pattern in (*WITH_YEAR, *WITHOUT_YEAR, CLOCK):
        text = pattern.sub(" ", text)
    return text


def date_start(text: str) -> int:
    """Where the first date or clock time in `text` begins (its length when there is none)."""
    starts = [match.start() for pattern in (*WITH_YEAR, *WITHOUT_YEAR, CLOCK) if (match := pattern.search(text))]
    return min(starts, default=len(text))


def mentions_date(text: str) -> bool:
    """Whether `text` holds a date (with or without a year) or a clock time."""
    return any(pattern.search(text) for pattern in (*WITH_YEAR, *WITHOUT_YEAR, CLOCK))


def _to_date(match: re.Match[str]) -> dt.date | None:
    month, day = match["month"].lower(), int(match["day"])
    number = int(month) if month.isdigit() else MONTHS[month]
    if number > 12 >= day:
        number, day = day, number
    try:
        return dt.date(int(match["year"]), number, day)
    except ValueError:
        return None
