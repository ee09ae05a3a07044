"""What the player says, in the episode's language: labels, dates and durations from a table per language.

Month names and number formats are written in the table rather than taken from the machine's locale,
so a build gives the same bytes on every machine, whatever locales it has installed. A language
without a table gets English (and says so with `language`, so the page marks its labels as English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .durations import format_duration

RIGHT_TO_LEFT = frozenset({"ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left: article text in them runs right to left even when the labels are English."""


@dataclass(frozen=True)
class PlayerStrings:
    """One language's labels; `{position}`, `{duration}`, `{show}`, `{day}`, `{month}`, `{year}` are filled in."""

    language: str
    direction: Literal["ltr", "rtl"]
    listen: str
    transcript: str
    play: str
    pause: str
    back: str
    forward: str
    position: str
    position_of: str
    speed: str
    download: str
    subscribe: str
    feed_address: str
    subscribe_to: str
    months: tuple[str, ...]
    date: str
    units: tuple[str, str, str]
    """Hours, minutes, seconds as abbreviations, which need no plural forms."""
    decimal: str = "."


TABLES = {
    "en": PlayerStrings(
        "en", "ltr", "Listen to this article", "Transcript", "Play", "Pause", "Back 15 seconds", "Forward 15 seconds",
        "Position", "{position} of {duration}", "Playback speed", "Download the audio (MP3)",
        "Subscribe in your podcast app:", "Or paste the feed address into any podcast app:", "Subscribe to {show}",
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"),
        "{day} {month} {year}", ("h", "min", "s"),
    ),
    "uk": PlayerStrings(
        "uk", "ltr", "Слухати статтю", "Текст", "Відтворити", "Пауза", "Назад на 15 секунд", "Уперед на 15 секунд",
        "Позиція", "{position} з {duration}", "Швидкість відтворення", "Завантажити аудіо (MP3)",
        "Підпишіться у своєму застосунку для подкастів:",
        "Або вставте адресу стрічки в будь-який застосунок для подкастів:", "Підписатися на «{show}»",
        ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
         "листопада", "грудня"),
        "{day} {month} {year} р.", ("год", "хв", "с"), ",",
    ),
    "de": PlayerStrings(
        "de", "ltr", "Artikel anhören", "Transkript", "Abspielen", "Pause", "15 Sekunden zurück", "15 Sekunden vor",
        "Position", "{position} von {duration}", "Wiedergabegeschwindigkeit", "Audio herunterladen (MP3)",
        "In Ihrer Podcast-App abonnieren:", "Oder fügen Sie die Feed-Adresse in eine beliebige Podcast-App ein:",
        "{show} abonnieren",
        ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
         "November", "Dezember"),
        "{day}. {month} {year}", ("Std.", "Min.", "Sek."), ",",
    ),
    "he": PlayerStrings(
        "he", "rtl", "האזינו לכתבה", "תמליל", "הפעלה", "השהיה", "15 שניות אחורה", "15 שניות קדימה",
        "מיקום", "{position} מתוך {duration}", "מהירות ההשמעה", "הורדת השמע (MP3)",
        "הירשמו באפליקציית הפודקאסטים שלכם:", "או הדביקו את כתובת הפיד בכל אפליקציית פודקאסטים:",
        "הרשמה ל־{show}",
        ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר",
         "דצמבר"),
        "{day} ב{month} {year}", ("שע׳", "דק׳", "שנ׳"),
    ),
}


def primary_language(language: str | None) -> str:
    """'uk' from 'uk', 'uk-UA' or 'UK_ua'; '' when unknown."""
    return (language or "").replace("_", "-").split("-")[0].lower()


def strings_for(language: str | None) -> PlayerStrings:
    """The table of the language (any region of it), English when there is none."""
    return TABLES.get(primary_language(language), TABLES["en"])


def text_direction(language: str | None) -> Literal["ltr", "rtl"]:
    return "rtl" if primary_language(language) in RIGHT_TO_LEFT else "ltr"


def format_date(date: dt.date, strings: PlayerStrings) -> str:
    """'1 December 2024', '1 грудня 2024 р.', '1. Dezember 2024'."""
    return strings.date.format(day=date.day, month=strings.months[date.month - 1], year=date.year)


def format_length(seconds: float, strings: PlayerStrings) -> str:
    """'2 min 13 s', '2 хв 13 с', '2 Min. 13 Sek.'."""
    return format_duration(seconds, "words", strings.units)


def format_speed(speed: float, strings: PlayerStrings) -> str:
    """'1.25×' or '1,25×'."""
    return f"{speed:g}".replace(".", strings.decimal) + "×"
