"""The scraped-page reader finds the seed article's metadata and exactly its seven body paragraphs."""

from __future__ import annotations

import datetime as dt

import pytest

from narrate.errors import ArticleError
from narrate.readers import find_articles, read_article
from narrate.readers.scraped import read_scraped_text

from .conftest import SEEDS


@pytest.fixture(scope="module")
def seed():
    [path] = find_articles(SEEDS)
    return read_article(path, SEEDS)


def test_seed_metadata(seed):
    assert seed.title == "NATO will do what's necessary for Ukraine to prevail, Secretary General Rutte says"
    assert seed.date == dt.date(2024, 10, 15)
    assert seed.time == dt.time(15, 2)
    assert seed.author == "Martin Fornusek"
    assert seed.identity == "000_a3b3e9c99c223144.txt"


def test_seed_body_is_exactly_the_seven_paragraphs(seed):
    assert len(seed.body) == 7
    assert seed.body[0].startswith("NATO will not back down in the face of Russian threats")
    assert seed.body[-1].startswith('"As this democratic alliance, the strongest military alliance')
    assert all(block.kind == "paragraph" for block in seed.blocks)


@pytest.mark.parametrize(
    "unspoken",
    [
        "Uncover what's happening in the territories under Russian occupation",
        "by Martin Fornusek",
        "Sean Gallup/Getty Images",
        "This audio is created with AI assistance",
        "date 2024-10-15",
    ],
)
def test_seed_boilerplate_is_not_in_the_body(seed, unspoken):
    assert not any(unspoken in paragraph for paragraph in seed.body + (seed.title,))


def test_marker_date_is_used_when_there_is_no_byline(tmp_path):
    article = read_scraped_text(" date 2023-02-24 \nHeadline here\n\nFirst paragraph.\n", tmp_path / "a.txt", "a.txt")
    assert article.date == dt.date(2023, 2, 24)
    assert article.author is None
    assert article.body == ("First paragraph.",)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no headline"),
        ("   \n\n  \t\n", "no headline"),
        ("Only a headline\n", "no body"),
        (" date 2024-13-45 promo\nTitle\nBody.\n", "not a real date"),
    ],
)
def test_unreadable_pages_fail_clearly(tmp_path, text, reason):
    with pytest.raises(ArticleError, match=reason):
        read_scraped_text(text, tmp_path / "bad.txt", "bad.txt")


def test_windows_1251_article_is_read_correctly(tmp_path):
    path = tmp_path / "kyiv.txt"
    path.write_bytes("Київ готується до зими\n\nМіська влада перевіряє укриття та генератори.\n".encode("cp1251"))
    article = read_article(path, tmp_path)
    assert article.title == "Київ готується до зими"
    assert article.body == ("Міська влада перевіряє укриття та генератори.",)


def test_binary_file_with_a_text_extension_is_refused_with_its_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ArticleError, match="binary data, not text") as caught:
        read_article(path, tmp_path)
    assert "image.txt" in str(caught.value)


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\n\nBody text.\n".encode("utf-8"))
    assert read_article(path, tmp_path).title == "Headline"
