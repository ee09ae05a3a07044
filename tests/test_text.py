"""Input bytes become clean text: legacy encodings detected when reliable, binaries refused, XML-forbidden characters dropped."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from narrate.readers.text import UndecodableText, clean, decode

UKRAINIAN = "Київ — столиця України. Сьогодні в місті гарна погода, і люди гуляють у парках.\n\nДругий абзац статті."
SPANISH = "El cañón del río es muy bonito. La niña comió paella en la playa.\n\nSegundo párrafo, más corto."
FRENCH = "Le café est très bon à Paris. L'été dernier, nous sommes allés à la plage avec nos enfants."
POLISH = "Zażółć gęślą jaźń. Polska gospodarka rośnie szybko w tym roku, mówią ekonomiści."


@pytest.mark.parametrize(
    "text, encoding",
    [(UKRAINIAN, "cp1251"), (SPANISH, "latin-1"), (FRENCH, "latin-1"), (POLISH, "cp1250"), (UKRAINIAN, "utf-8")],
)
def test_legacy_encodings_are_decoded_correctly(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-16"), (b"", "utf-32")])
def test_byte_order_marks_are_honoured_and_removed(bom, encoding):
    assert decode(bom + UKRAINIAN.encode(encoding)) == UKRAINIAN


@pytest.mark.parametrize(
    "data, reason",
    [
        (bytes(range(256)) * 8, "binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary data"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "byte-order mark"),
    ],
)
def test_binaries_and_broken_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(UndecodableText, match=reason):
        decode(data)


def test_clean_drops_controls_keeps_text_and_joins_line_endings():
    assert clean("Tab\tok\r\nline\rend\x00\x07\x1b[31m\ufffe\x85") == "Tab\tok\nline\nend[31m"
    assert clean("e\u0301te\u0301 \u200fשלום\u200f 🎙️") == "été \u200fשלום\u200f 🎙️"


@given(st.text())
def test_cleaned_text_is_always_valid_xml(text):
    element = etree.Element("item")
    element.text = clean(text)
    assert etree.fromstring(etree.tostring(element)).text in (clean(text), None)
