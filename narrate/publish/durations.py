"""An episode's length written for people, rounded to the second: as a player shows it or in words."""

from __future__ import annotations

from typing import Literal


def format_duration(
    seconds: float, style: Literal["clock", "words"], units: tuple[str, str, str] = ("h", "min", "s")
) -> str:
    """'1:02:05', '2:13' or '0:09' ("clock", as audio players show a length), or '1 h 02 min 05 s',
    '2 min 13 s' or '9 s' ("words", what a person reads at a glance in a sentence; `units` names hours,
    minutes and seconds in the reader's language)."""
    whole = round(seconds)
    hours, minutes, secs = whole // 3600, whole // 60 % 60, whole % 60
    if style == "clock":
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    hour, minute, second = units
    if hours:
        return f"{hours} {hour} {minutes:02d} {minute} {secs:02d} {second}"
    return f"{minutes} {minute} {secs:02d} {second}" if minutes else f"{secs} {second}"
