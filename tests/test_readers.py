"""Markdown, HTML and feed readers, and each article's language, on small fixtures in tests/data/readers/."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from narrate.errors import ArticleError
from narrate.model import Block
from narrate.readers import find_articles, read_article, read_file, read_folder
from narrate.readers.language import detect_language, normalise_language
from narrate.state.identities import settle_claims

DATA = Path(__file__).resolve().parent / "data" / "readers"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_text(tmp_path: Path, name: str, text: str):
    return read_article(write(tmp_path, name, text), tmp_path)


# Markdown


def test_toml_front_matter_sets_every_field():
    article = read_article(DATA / "toml-front-matter.md", DATA)
    assert article.title == "Night trains return to the Alps"
    assert (article.date, article.time) == (dt.date(2024, 6, 1), dt.time(5, 30)), "+02:00 is taken to UTC"
    assert article.author == "Ana Ruiz and Ben Ode"
    assert article.url == article.identity == "https://news.example.org/2024/night-trains"
    assert article.language == "en"
    assert article.voice == "espeak-ng:en-gb"
    assert article.summary == "Sleeper services are back after a decade."


def test_markdown_structure_becomes_headings_and_paragraphs_without_code_tables_or_markup():
    article = read_article(DATA / "toml-front-matter.md", DATA)
    assert article.blocks == (
        Block("paragraph", "Sleeper trains are running again between Zurich and Vienna after a ten-year break, "
                           "the operator said on its website."),
        Block("heading", "What changes for travellers"),
        Block("paragraph", "Cabins for one, two or four people"),
        Block("paragraph", "Breakfast served before arrival"),
        Block("paragraph", "Tickets go on sale in May."),
    )


def test_yaml_front_matter_and_title_from_the_first_level_one_heading(tmp_path):
    article = read_text(
        tmp_path,
        "post.markdown",
        "---\ndate: 2023-02-24 06:00:00+02:00\nauthor: [Iryna]\nlang: de\n---\n\nIntro line.\n\n"
        "## Not the title\n\n# Der *echte* Titel\n\nText &amp; mehr.\n",
    )
    assert article.title == "Der echte Titel"
    assert article.blocks == (Block("paragraph", "Intro line."), Block("heading", "Not the title"), Block("paragraph", "Text & mehr."))
    assert (article.date, article.time, article.author, article.language) == (dt.date(2023, 2, 24), dt.time(4, 0), "Iryna", "de")
    assert article.identity == "post.markdown", "without a url the identity is the path in the input folder"


def test_markdown_without_front_matter_or_title_is_refused(tmp_path):
    with pytest.raises(ArticleError, match="no title"):
        read_text(tmp_path, "a.md", "Just a paragraph.\n")


@pytest.mark.parametrize(
    "front, line, problem",
    [
        ("---\ntitle: Fine\nauthor: [unclosed\n---\n", 3, "not valid YAML"),
        ("+++\ntitle = \"Fine\"\ndate = 2024-13-01\n+++\n", 3, "not valid TOML"),
        ("---\ntitle: Fine\ndate: last Tuesday\n---\n", 3, "is not a date"),
        ("---\ntitle: Fine\n\nlanguage: English\n---\n", 4, "not a language code"),
        ("---\n- a list\n---\n", 2, "key: value pairs"),
        ("---\ntitle: Never closed\n\n# Heading\n", 1, "never closed"),
    ],
)
def test_bad_front_matter_names_the_file_and_line(tmp_path, front, line, problem):
    path = write(tmp_path, "bad.md", front + "\n# T\n\nBody.\n")
    with pytest.raises(ArticleError, match=problem) as caught:
        read_article(path, tmp_path)
    assert caught.value.where == f"{path}:{line}"


# HTML


@pytest.fixture(scope="module")
def page():
    return read_article(DATA / "page.html", DATA)


def test_html_metadata(page):
    assert page.title == "Neue Brücke eröffnet"
    assert page.date == dt.date(2024, 3, 5)
    assert page.author == "Anna Schmidt"
    assert page.url == page.identity == "https://stadtblatt.example.org/2024/neue-bruecke"
    assert page.language == "de", "from <html lang='de-DE'>"
    assert page.summary == "Nach drei Jahren Bauzeit ist die Brücke offen."


def test_html_keeps_headings_and_the_article_text(page):
    assert [block.kind for block in page.blocks] == ["paragraph", "heading", "paragraph", "paragraph"]
    assert page.blocks[1].text == "Kosten höher als geplant"
    assert page.body[0].startswith("Nach drei Jahren Bauzeit")


@pytest.mark.parametrize("boilerplate", ["Startseite", "abonnieren", "Kommentare", "Endlich", "Rechte vorbehalten", "Impressum"])
def test_html_navigation_ads_comments_and_footer_are_not_spoken(page, boilerplate):
    assert not any(boilerplate in text for text in (page.title, *page.body))


# Feeds


def test_feed_gives_one_article_per_item_and_one_failure_for_the_broken_item():
    reading = read_file(DATA / "feed" / "feed.xml", DATA)
    ferry, library = reading.articles
    assert ferry.identity == ferry.url == "https://gazette.example.org/2024/ferry-timetable"
    assert ferry.blocks[1] == Block("heading", "Why the change")
    assert (ferry.date, ferry.time, ferry.author) == (dt.date(2024, 10, 1), dt.time(8, 15), "Sam Reed")
    assert ferry.summary == "The first ferry leaves earlier."
    assert ferry.language == "en", "from the channel's <language>en-us</language>"
    assert library.source == DATA / "feed" / "pages" / "library.html"
    assert library.identity == "https://gazette.example.org/2024/library-reopens", "the linked page's og:url"
    assert library.body[0].startswith("The town library opened its doors again")
    assert not any("newsletter" in text or "Sport" in text for text in library.body)
    [broken] = reading.failures
    assert "item 3" in str(broken)
    assert "no content in the feed and its link is not a local file" in str(broken)
    assert reading.used == {DATA / "feed" / "pages" / "library.html"}


def test_a_page_a_feed_reads_in_is_not_read_again_on_its_own():
    reading = read_folder(DATA / "feed", find_articles(DATA / "feed"))
    assert [article.title for article in reading.articles] == ["Ferry timetable changes on Monday", "Library reopens after the flood"]


def test_atom_feed_with_file_links_and_plain_text_content_sniffed_from_xml(tmp_path):
    page = write(tmp_path, "site/story.html", "<html lang='pl'><head><title>Nowy park</title></head><body><article>"
                 "<p>W sobotę otwarto nowy park w centrum miasta. Mieszkańcy chwalą nowe ławki i drzewa.</p>"
                 "</article></body></html>")
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside", "x.html", "<html><body><p>Elsewhere.</p></body></html>")
    feed = write(tmp_path, "atom.xml", f"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><id>urn:f</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title type="text">Plain &lt;text&gt;</title><id>urn:plain</id><updated>2024-05-01T10:00:00+02:00</updated>
<content type="text">First paragraph of plain text.

Second &lt;b&gt;paragraph&lt;/b&gt;.</content></entry>
<entry><title>Nowy park</title><id>urn:park</id><link href="file://{page}"/><updated>2024-05-02T00:00:00Z</updated></entry>
<entry><title>Outside</title><id>urn:out</id><link href="file://{outside}"/></entry>
<entry><title>Missing</title><id>urn:missing</id><link href="site/gone.html"/></entry>
</feed>""")
    reading = read_file(feed, tmp_path)
    plain, park = reading.articles
    assert (plain.identity, plain.title) == ("urn:plain", "Plain <text>")
    assert plain.body == ("First paragraph of plain text.", "Second <b>paragraph</b>.")
    assert (plain.date, plain.time) == (dt.date(2024, 5, 1), dt.time(8, 0))
    assert (park.identity, park.language, park.date) == ("urn:park", "pl", dt.date(2024, 5, 2))
    assert park.body == ("W sobotę otwarto nowy park w centrum miasta. Mieszkańcy chwalą nowe ławki i drzewa.",)
    outside_failure, missing_failure = reading.failures
    assert "outside the input folder" in str(outside_failure)
    assert "gone.html' does not exist" in str(missing_failure)


def test_a_feed_in_a_legacy_encoding_is_read_by_what_its_bytes_are(tmp_path):
    feed = tmp_path / "news.rss"
    feed.write_bytes(
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Т</title><item>'
        "<title>Рішення уряду</title><guid>urn:uk:1</guid><description>&lt;p&gt;Уряд ухвалив нове рішення щодо "
        "підтримки ветеранів.&lt;/p&gt;</description><content:encoded xmlns:content='http://purl.org/rss/1.0/"
        "modules/content/'>&lt;p&gt;Уряд ухвалив нове рішення щодо підтримки ветеранів війни.&lt;/p&gt;"
        "</content:encoded></item></channel></rss>".encode("cp1251")
    )
    [article] = read_file(feed, tmp_path).articles
    assert (article.title, article.language) == ("Рішення уряду", "uk")
    assert article.body == ("Уряд ухвалив нове рішення щодо підтримки ветеранів війни.",)
    assert article.summary == "Уряд ухвалив нове рішення щодо підтримки ветеранів."


def test_an_xhtml_page_saved_as_xml_is_read_as_a_page(tmp_path):
    article = read_text(
        tmp_path, "page.xml", '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'lang="es"><head><title>Hola</title></head><body><article><p>El ayuntamiento aprobó ayer el nuevo '
        "presupuesto para el año que viene.</p></article></body></html>",
    )
    assert (article.title, article.language) == ("Hola", "es")
    assert article.body == ("El ayuntamiento aprobó ayer el nuevo presupuesto para el año que viene.",)


def test_an_xml_file_that_is_no_feed_is_refused(tmp_path):
    with pytest.raises(ArticleError, match="root element is <config>"):
        read_text(tmp_path, "settings.xml", "<?xml version='1.0'?><!-- x --><config><a/></config>")


def test_a_feed_item_identity_is_stable_across_reads(tmp_path):
    shutil.copytree(DATA / "feed", tmp_path / "feed")
    first = read_folder(tmp_path, find_articles(tmp_path))
    (tmp_path / "feed" / "feed.xml").write_text(
        (DATA / "feed" / "feed.xml").read_text(encoding="utf-8").replace("half an hour earlier", "thirty minutes earlier"),
        encoding="utf-8",
    )
    second = read_folder(tmp_path, find_articles(tmp_path))
    assert [a.identity for a in first.articles] == [a.identity for a in second.articles]
    assert first.articles[0].body != second.articles[0].body


def test_two_inputs_with_the_same_url_build_once_and_the_second_is_reported(tmp_path):
    shutil.copy(DATA / "page.html", tmp_path / "a.html")
    shutil.copy(DATA / "page.html", tmp_path / "b.htm")
    articles, [failure] = settle_claims(read_folder(tmp_path, find_articles(tmp_path)).articles, {}, tmp_path)
    assert len(articles) == 1
    assert "same identity" in str(failure) and failure.where == str(tmp_path / "b.htm")


# Language


def test_ukrainian_markdown_without_a_stated_language_is_detected_as_ukrainian():
    assert read_article(DATA / "uk-no-language.md", DATA).language == "uk"


@pytest.mark.parametrize(
    "text, language",
    [
        ("Президент заявив, що країна продовжить боротьбу за свою незалежність.", "uk"),
        ("Президент заявил, что страна продолжит переговоры с партнёрами.", "ru"),
        ("Der Präsident sagte, das Land werde weiter für seine Unabhängigkeit kämpfen.", "de"),
        ("Prezydent powiedział, że kraj będzie nadal walczył o niepodległość.", "pl"),
        ("The president said the country would keep fighting for its independence.", "en"),
    ],
)
def test_detection_tells_close_languages_apart(text, language):
    assert detect_language(text) == language


def test_html_without_a_lang_attribute_gets_a_detected_language(tmp_path):
    article = read_text(
        tmp_path, "strona.html", "<html><head><title>Nowy park w centrum</title></head><body><article><p>W sobotę "
        "otwarto nowy park w centrum miasta. Mieszkańcy chwalą nowe ławki i drzewa.</p></article></body></html>",
    )
    assert article.language == "pl"


@pytest.mark.parametrize(
    "headline, body, language",
    [
        ("Council passes the budget", "The city council approved the new budget on Tuesday after a long debate.", "en"),
        ("Rada przyjęła budżet", "Rada miasta przyjęła w czwartek budżet. To jest plan, który od dawna był w "
         "przygotowaniu i nie budził sporów.", "pl"),
        ("El consejo aprueba el presupuesto", "El consejo aprobó el presupuesto para los próximos años, que incluye "
         "fondos para las escuelas y el agua.", "es"),
        ("Новини дня", "Уряд ухвалив нове рішення щодо підтримки ветеранів війни.", "uk"),
        ("Nieuwe brug geopend", "De gemeenteraad heeft dinsdag de nieuwe begroting goedgekeurd na een lang debat.", "nl"),
    ],
)
def test_scraped_text_gets_a_detected_language(tmp_path, headline, body, language):
    assert read_text(tmp_path, "page.txt", f"{headline}\n\n{body}\n").language == language


@pytest.mark.parametrize("stated, code", [("uk", "uk"), ("en-US", "en"), ("pt_BR", "pt"), ("DE", "de"), ("English", None), ("", None)])
def test_language_tags_normalise_to_iso_639_1(stated, code):
    assert normalise_language(stated) == code
