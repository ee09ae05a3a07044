"""Dates and times as news sites print them in bylines and datelines, in several languages."""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES: dict[str, str] = {
    "en": "january february march april may june july august september october november december",
    "en, short": "jan feb mar apr may jun jul aug sep oct nov dec",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "uk, nom.": "січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ru, nom.": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "pl, nom.": "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}
"""Each language's twelve month names in calendar order, as dates print them (Slavic ones in two cases)."""
MONTHS: dict[str, int] = {
    name: number for names in MONTH_NAMES.values() for number, name in enumerate(names.split(), start=1)
} | {"sept": 9}
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


def mentions_day(text: str) -> bool:
    """Whether `text` names a calendar day, with or without its year."""
    return any(pattern.search(text) for pattern in (*WITH_YEAR, *WITHOUT_YEAR))


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
