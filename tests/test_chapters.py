"""Chapters from the real timeline: one per section, or per ~2 minutes of paragraphs, covering the episode."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from narrate.publish.chapters import CHAPTER_SECONDS, MAX_CHAPTERS, chapters, chapters_json
from narrate.model import Segment, TimedSegment


def timeline_of(blocks: list[tuple[str, str, float]], sentences_per_block: int | list[int] = 2) -> list[TimedSegment]:
    """A timeline: the title, then each (kind, text, seconds) block as sentences of `seconds` each
    (`sentences_per_block` of them, or as many as the list gives for that block)."""
    counts = sentences_per_block if isinstance(sentences_per_block, list) else [sentences_per_block] * len(blocks)
    found = [TimedSegment(Segment("title", "t", "The Title", None, 1.2), 0.25, 2.0)]
    position = 3.2
    for index, ((kind, text, seconds), sentences) in enumerate(zip(blocks, counts)):
        for number in range(sentences):
            written = f"{text} sentence {number}."
            found.append(TimedSegment(Segment(kind, written, written, index, 0.25), position, position + seconds))
            position += seconds + 0.25
        position += 0.5
    return found


def test_one_chapter_per_heading_named_by_it_starting_where_it_is_spoken():
    timeline = timeline_of([
        ("paragraph", "Opening", 10), ("heading", "Background", 2), ("paragraph", "Story", 30),
        ("heading", "What comes next", 2), ("paragraph", "Ending", 20),
    ])
    found = chapters(timeline, duration=150.0)
    assert [chapter.title for chapter in found] == ["The Title", "Background sentence 0.", "What comes next sentence 0."]
    headings = [t for t in timeline if t.segment.kind == "heading" and t.segment.written.endswith("0.")]
    assert [chapter.start for chapter in found] == [0.0] + [t.start for t in headings]
    assert [chapter.end for chapter in found] == [t.start for t in headings] + [150.0]


def test_without_headings_paragraphs_are_grouped_into_chapters_of_about_two_minutes():
    timeline = timeline_of([("paragraph", f"Paragraph {n}", 20) for n in range(20)])
    found = chapters(timeline, duration=timeline[-1].end + 1)
    assert len(found) > 2
    paragraph_starts = {t.start for t in timeline if t.segment.written.endswith("sentence 0.")}
    for earlier, later in zip(found, found[1:]):
        assert later.start in paragraph_starts, "a chapter starts where a paragraph starts"
        assert CHAPTER_SECONDS <= later.start - earlier.start < CHAPTER_SECONDS + 45
        assert earlier.end == later.start
    assert found[1].title.startswith("Paragraph ") and found[1].title.endswith("sentence 0.")


def test_a_short_article_without_headings_is_one_chapter_covering_it_all():
    timeline = timeline_of([("paragraph", "Only", 10), ("paragraph", "Two", 10)])
    assert [(c.title, c.start, c.end) for c in chapters(timeline, 50.0)] == [("The Title", 0.0, 50.0)]


def test_long_paragraph_openings_are_cut_to_their_first_words():
    timeline = timeline_of([("paragraph", "word " * 30, 130)] * 3, sentences_per_block=1)
    titles = [chapter.title for chapter in chapters(timeline, 500.0)[1:]]
    assert titles and all(title.endswith("…") and len(title.split()) == 8 for title in titles)


def test_no_more_chapters_than_a_ctoc_frame_can_list():
    timeline = timeline_of([("heading", f"H{n}", 1) for n in range(600)], sentences_per_block=1)
    found = chapters(timeline, timeline[-1].end)
    assert 100 < len(found) <= MAX_CHAPTERS
    assert all(earlier.end == later.start < later.end for earlier, later in zip(found, found[1:]))


def test_json_chapters_follow_podcasting_2_0():
    found = chapters(timeline_of([("heading", "Ça va", 2), ("paragraph", "Body", 5)]), 20.0)
    payload = json.loads(chapters_json(found))
    assert payload == {
        "version": "1.2.0",
        "chapters": [{"startTime": 0.0, "title": "The Title"}, {"startTime": 3.2, "title": "Ça va sentence 0."}],
    }


@given(
    st.lists(
        st.tuples(st.sampled_from(["paragraph", "heading"]), st.floats(0.1, 90), st.integers(1, 4)),
        min_size=1, max_size=80,
    ),
    st.floats(0, 30),
)
def test_chapters_always_cover_the_episode_in_order_from_block_starts(blocks, tail):
    timeline = timeline_of(
        [(kind, f"Block {index}", seconds) for index, (kind, seconds, _) in enumerate(blocks)],
        [sentences for _, _, sentences in blocks],
    )
    duration = timeline[-1].end + tail
    found = chapters(timeline, duration)
    assert 1 <= len(found) <= MAX_CHAPTERS
    assert found[0].start == 0.0 and found[-1].end == duration
    assert all(earlier.end == later.start and earlier.start < later.start for earlier, later in zip(found, found[1:]))
    block_starts = {t.start for t in timeline if t.segment.written.endswith("sentence 0.")}
    assert all(chapter.start in block_starts for chapter in found[1:])
    headings = [index for index, (kind, _, _) in enumerate(blocks) if kind == "heading"]
    if headings:
        assert [chapter.title for chapter in found[1:]] == [f"Block {index} sentence 0." for index in headings]
