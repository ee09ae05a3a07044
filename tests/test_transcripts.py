"""Transcript cues: split within a sentence's real time span, ordered, non-overlapping, escaped for WebVTT."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from narrate.model import Segment, TimedSegment
from narrate.publish.transcripts import LINE_LENGTH, cues, plain_text, split_cue, srt, webvtt


def timed(written: str, start: float, end: float, kind: str = "paragraph", source: int | None = 0) -> TimedSegment:
    return TimedSegment(Segment(kind, written.lower(), written, source, 0.25), start, end)


LONG = (
    "The alliance's secretary general said that the member states would keep supplying air defence "
    "systems, artillery shells and training for as long as it takes, and that no decision about the "
    "future of the partnership would be taken without the government in Kyiv at the table."
)


def test_a_short_sentence_is_one_cue_with_its_real_times_and_written_text():
    [cue] = cues([timed("Rutte spoke on Oct. 14.", 1.25, 3.5)])
    assert (cue.start_ms, cue.end_ms) == (1250, 3500)
    assert cue.lines == ("Rutte spoke on Oct. 14.",)


def test_a_long_sentence_is_split_into_cues_of_two_short_lines_sharing_its_span_by_characters():
    found = split_cue(LONG, 10_000, 30_000)
    assert len(found) == 3, "274 characters make five lines, so three cues"
    lengths = [sum(map(len, cue.lines)) for cue in found]
    assert max(lengths) < 1.3 * min(lengths), "the words are shared out evenly, no short last cue"
    assert all(len(cue.lines) <= 2 and all(len(line) <= LINE_LENGTH for line in cue.lines) for cue in found)
    assert " ".join(line for cue in found for line in cue.lines) == LONG
    assert found[0].start_ms == 10_000 and found[-1].end_ms == 30_000
    assert all(earlier.end_ms == later.start_ms for earlier, later in zip(found, found[1:]))
    total = sum(len(line) for cue in found for line in cue.lines)
    for cue in found:
        assert abs((cue.end_ms - cue.start_ms) / 20_000 - sum(map(len, cue.lines)) / total) < 0.001


def test_a_word_longer_than_a_line_is_cut_rather_than_overflowing():
    url = "https://example.org/" + "a" * 150
    found = split_cue(url, 0, 3000)
    assert all(len(line) <= LINE_LENGTH for cue in found for line in cue.lines)
    assert "".join(line for cue in found for line in cue.lines) == url


def test_webvtt_escapes_markup_characters_and_srt_numbers_cues():
    found = cues([timed("Q&A: <b>bold</b> -> 5 > 3", 0.25, 2.0), timed("Next.", 2.5, 3.0)])
    vtt = webvtt(found)
    assert vtt.startswith("WEBVTT\n\n00:00:00.250 --> 00:00:02.000\n")
    assert "Q&amp;A: &lt;b&gt;bold&lt;/b&gt; -&gt; 5 &gt; 3" in vtt
    assert "<b>" not in vtt and "-->" not in vtt.split("\n")[3]
    assert srt(found) == "1\n00:00:00,250 --> 00:00:02,000\nQ&A: <b>bold</b> -> 5 > 3\n\n2\n00:00:02,500 --> 00:00:03,000\nNext.\n\n"


def test_hours_are_written_in_the_clock():
    [cue] = cues([timed("Late.", 3723.004, 3724.5)])
    assert "01:02:03.004 --> 01:02:04.500" in webvtt([cue])


def test_plain_text_keeps_paragraphs_apart_and_sentences_together():
    segments = [
        Segment("intro", "x", "Narrated by a computer.", None, 0.9),
        Segment("title", "x", "Title", None, 1.2),
        Segment("paragraph", "x", "One.", 0, 0.25),
        Segment("paragraph", "x", "Two.", 0, 0.75),
        Segment("paragraph", "x", "Three.", 1, 0.75),
    ]
    assert plain_text(segments) == "Narrated by a computer.\n\nTitle\n\nOne. Two.\n\nThree."


sentences = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=400
).filter(lambda text: text.strip())


@given(st.lists(st.tuples(sentences, st.floats(0.05, 30), st.floats(0, 2)), min_size=1, max_size=12))
def test_cues_are_ordered_non_overlapping_short_and_keep_every_word(parts):
    timeline, position = [], 0.25
    for text, length, pause in parts:
        timeline.append(timed(text, round(position, 3), round(position + length, 3)))
        position += length + pause
    found = cues(timeline)
    for cue in found:
        assert cue.start_ms <= cue.end_ms
        assert 1 <= len(cue.lines) <= 2 and all(0 < len(line) <= LINE_LENGTH for line in cue.lines)
    for earlier, later in zip(found, found[1:]):
        assert earlier.end_ms <= later.start_ms
    spoken = "".join(text for text, _, _ in parts)
    shown = "".join(line for cue in found for line in cue.lines)
    assert re.sub(r"\s", "", shown) == re.sub(r"\s", "", spoken)
