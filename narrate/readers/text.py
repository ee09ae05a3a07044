"""Turn an input file's bytes into clean text: detect legacy encodings, refuse binaries, drop what XML forbids."""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# When several legacy encodings fit a file equally well, the one more articles are written in wins.
PREFERRED_ENCODINGS = ("cp1252", "cp1251", "cp1250", "iso8859_15", "koi8_r", "cp1253", "cp1254", "cp1257")
MAX_CHAOS = 0.1
# XML 1.0 forbids C0 controls other than tab, newline and carriage return, surrogates, U+FFFE and
# U+FFFF; C1 controls are allowed by XML but never meant as text in an article.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class UndecodableText(ValueError):
    """The bytes are not text narrate can read with confidence; the message says why."""


def decode(data: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16/32 with BOM, or a legacy encoding detected reliably."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UndecodableText(f"starts with a {encoding} byte-order mark but is not {encoding}: {error.reason}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UndecodableText("binary data, not text")
    return _legacy(data)


def _legacy(data: bytes) -> str:
    matches = [match for match in from_bytes(data) if match.chaos <= MAX_CHAOS]
    if not matches:
        raise UndecodableText("not UTF-8, and no other text encoding fits it reliably; save it as UTF-8")
    best = min((match.chaos, -match.coherence) for match in matches)
    tied = [match for match in matches if (match.chaos, -match.coherence) == best]
    tied.sort(key=lambda m: PREFERRED_ENCODINGS.index(m.encoding) if m.encoding in PREFERRED_ENCODINGS else 99)
    return str(tied[0])


def clean(text: str) -> str:
    """NFC-normalised text with Unix newlines and without characters XML 1.0 (and listeners) cannot take."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return FORBIDDEN.sub("", unicodedata.normalize("NFC", text))
