"""An article's language is detected from its body; the title only helps."""

from __future__ import annotations

import pytest

from narrate.readers import read_article

ENGLISH_BODY = (
    "The council met on Tuesday to discuss the new budget for the harbour. Members agreed to spend more "
    "on the ferry service and less on the roads, after a long debate about the town's future."
)


@pytest.mark.parametrize("title", ["Headline " * 1200, "word " * 2000, "A" * 10000])
def test_the_language_is_detected_from_the_body_not_a_huge_title(tmp_path, title):
    path = tmp_path / "long-title.md"
    path.write_text(f'---\ntitle: "{title.strip()}"\n---\n\n{ENGLISH_BODY}\n', encoding="utf-8")
    assert read_article(path, tmp_path).language == "en"
