"""The scraped-page reader keeps the article and drops site furniture, one fixture per rule family.

Every fixture is a short page written for these tests in the shapes news sites print (no real
page is copied); each states what a listener must hear and what must stay silent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from narrate.errors import ArticleError
from narrate.model import Block
from narrate.readers.boilerplate import author_names, classify
from narrate.readers import read_article
from narrate.readers.scraped import read_scraped_text

LEAD = "The city council approved the new budget on Tuesday after a long debate."
SECOND = "Officials said the money would go to schools, roads and the water network."
HEADER = ("Council passes the budget", "by Anna Kovalenko May 3, 2024")


def read(text: str):
    return read_scraped_text(text, Path("page.txt"), "page.txt")


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Skip to content", "ui"),
        ("Show More", "ui"),
        ("Podcasts image", "ui"),
        ("All Newsletters Arrow right", "ui"),
        ("Advertisement", "ui"),
        ("News Feed", "footer"),
        ("Read more", "footer"),
        ("Editors' Picks", "footer"),
        ("Читати також", "footer"),
        ("4 min read", "read time"),
        ("3 хв", "read time"),
        ("This audio is created with AI assistance", "notice"),
        ("(This story has not been edited by Example staff and is auto-generated from a syndicated feed.)", "notice"),
        ("Fot. Jan Kowalski/Example", "caption"),
        ("Legal Disclaimer:", "footer"),
        ("On this page", "ui"),
        ("A crane lifts a beam at the site on May 2, 2024. (Photo: Ivan Petrenko/AFP)", "caption"),
        ("© Reuters / Jane Doe", "caption"),
        ("Photo: t.me/somechannel", "caption"),
        ("Jane Doe/Getty Images", "caption"),
        ("A tank on a road - Example News, 1920, 02.03.2023", "caption"),
        ("by Anna Kovalenko May 3, 2024 10:15 AM 3 min read", "byline"),
        ("March 4, 2024 9:12 AM", "dateline"),
        ("Wire | Kyiv | Updated: 04-03-2024 11:02 IST", "dateline"),
        ("Status: Accepted · Date: 2025-01-09", "dateline"),
        ("Business / 18 martie", "dateline"),
        ("7:45 PM", "dateline"),
        ("(Updated:  )", "stamp"),
        ("Read also: Ten more villages ordered to evacuate", "related link"),
        ("Читайте також: Уряд ухвалив нове рішення", "related link"),
        ("Follow us on Telegram", "social"),
        ("Subscribe to our daily newsletter", "promo"),
        ("Journalism costs money. Support us or become a member today!", "promo"),
        ("Newsletter", "promo"),
        ("Home / News / Politics", "breadcrumb"),
        ("Reporting by Ann Lee; Editing by Bo Chan", "credits"),
        ("Tags: energy, budget, Kyiv", "tags"),
        ("Author: Kateryna Denisova", "byline"),
        ("Versiunea în limba română", "language switch"),
        ("From Example Wiki", "tagline"),
        ("We are the news team of the Example Post. Write to us with tips.", "bio"),
        ("Jane Roe is a senior reporter covering energy.", "bio"),
        ("By the end of May, prices had risen by a third.", None),
        ("Details", None),
        ("Source: the Ministry of Energy", None),
        ("The charity asked people to donate blood.", None),
        ("By March 5, the army had left the town.", None),
        ("The vote is on May 3.", None),
        ("March 4, 2024, 3:00 p.m.", "dateline"),
        ("Trains on the new line reach a top speed of 160 (km/h)", None),
        ("From Kyiv to Lviv by night train", None),
        (LEAD, None),
    ],
)
def test_each_line_kind_is_recognised_alone(line, kind):
    assert classify(line) == kind


@pytest.mark.parametrize(
    "byline, authors",
    [
        ("by Anna Kovalenko May 3, 2024 10:15 AM 3 min read", ["Anna Kovalenko"]),
        ("by Anna Kovalenko and John Smith May 3, 2024", ["Anna Kovalenko", "John Smith"]),
        ("By Ann Lee, Bo Chan and Cy Diaz | Updated 2024-05-03", ["Ann Lee", "Bo Chan", "Cy Diaz"]),
        ("by The Example Times news desk March 2, 2023 1:00 PM 1 min read", ["The Example Times news desk"]),
        ("by Reuters March 2, 2023", []),
        ("Автор: Олена Коваль 15 жовтня 2024", ["Олена Коваль"]),
        ("By Ann Lee in Kyiv", ["Ann Lee"]),
        ("By Ann Lee, Senior Correspondent", ["Ann Lee"]),
    ],
)
def test_byline_names_without_dates_agencies_or_by(byline, authors):
    assert author_names(byline) == authors


def test_headline_byline_caption_and_notice_around_the_body():
    article = read(
        page(
            "Skip to content",
            "Newsletters",
            "Podcasts image",
            "News Feed",
            "Council passes the budget",
            "",
            "by Anna Kovalenko and John Smith May 3, 2024 10:15 AM 3 min read",
            "Council members vote in the hall on May 2, 2024. (Photo credit: Ivan Petrenko/Example Images)",
            "This audio is created with AI assistance",
            "",
            LEAD,
            "",
            SECOND,
        )
    )
    assert article.title == "Council passes the budget"
    assert article.author == "Anna Kovalenko, John Smith"
    assert (article.date, article.time) == (dt.date(2024, 5, 3), dt.time(10, 15))
    assert article.body == (LEAD, SECOND)


def test_marker_with_a_promo_headline_and_its_blurb_is_not_spoken():
    article = read(
        page(
            " date 2024-05-02 Inside the investigation everyone talks about",
            "Our reporters spent a year following the money. Here is what they found.",
            "Skip to content",
            "Council passes the budget",
            "by Anna Kovalenko May 3, 2024 10:15 AM 3 min read",
            LEAD,
        )
    )
    assert article.title == "Council passes the budget"
    assert article.body == (LEAD,)
    assert article.date == dt.date(2024, 5, 3), "the byline's date (with a year) wins over the marker"


def test_marker_followed_by_the_lead_makes_it_the_first_paragraph():
    article = read(page(f" date 2024-06-13 {LEAD}", "", "Details", "", SECOND))
    assert article.body == (LEAD, "Details", SECOND)
    assert article.blocks[1] == Block("heading", "Details")
    assert article.date == dt.date(2024, 6, 13)
    assert article.title.startswith("The city council approved"), "no headline: titled by the lead's start"


@pytest.mark.parametrize("companion", ["Friday, 01 March 2024 09:00 GMT", "Photo: t.me/somechannel", "Left Menu"])
def test_marker_followed_by_a_clock_a_credit_or_ui_text_is_silent_and_not_the_date(companion):
    article = read(page(f" date 2024-03-02 {companion}", "Council passes the budget", "2024-03-02 07:08:44", LEAD))
    assert article.body == (LEAD,)
    assert article.date == dt.date(2024, 3, 2)


def test_dateline_without_a_year_leaves_the_marker_date_and_without_a_marker_none():
    lines = ("Council passes the budget", "Business / 18 martie", LEAD)
    assert read(page(" date 2024-03-20 ", *lines)).date == dt.date(2024, 3, 20)
    assert read(page(*lines)).date is None


def test_name_under_the_headline_is_the_author_and_a_repeated_headline_is_silent():
    article = read(
        page(
            "Factory doubles its output",
            "Maria Ionescu",
            "Business / 18 martie",
            "FACTORY DOUBLES ITS OUTPUT",
            "Versiunea în limba română",
            LEAD,
        )
    )
    assert (article.title, article.author, article.body) == ("Factory doubles its output", "Maria Ionescu", (LEAD,))


def test_author_card_gives_the_author_when_there_is_no_byline_and_stays_silent():
    article = read(
        page(
            "Council passes the budget",
            "1 min read",
            LEAD,
            SECOND,
            "Avatar",
            "The Example Post news desk",
            "We are the news team of the Example Post. Write to us with tips and feedback.",
            "Read more",
        )
    )
    assert article.author == "The Example Post news desk"
    assert article.body == (LEAD, SECOND)


def test_author_card_without_an_avatar_line_is_found_by_its_bio():
    card = ("Jane Roe", "Jane Roe is a senior reporter covering city politics.")
    article = read(page("Council passes the budget", "March 4, 2024 9:12 AM", LEAD, *card))
    assert (article.author, article.date, article.body) == ("Jane Roe", dt.date(2024, 3, 4), (LEAD,))


def test_photographers_and_wire_agencies_are_not_authors():
    article = read(
        page(
            "Council passes the budget",
            "Wire | Kyiv | Updated: 04-03-2024 11:02 IST",
            "The hall before the vote. (Photo by Jane Doe/Reuters)",
            LEAD,
        )
    )
    assert article.author is None
    assert article.date == dt.date(2024, 3, 4)
    assert read(page("Council passes the budget", "by Reuters March 4, 2024", LEAD)).author is None


def test_teasers_of_other_stories_after_the_body_are_silent():
    article = read(
        page(
            *HEADER,
            LEAD,
            SECOND,
            "Mayor opens a new bridge over the river",
            "Rail strike: trains stop across the region",
            "Unions called the strike after talks failed on Monday evening.",
            "Avatar",
        )
    )
    assert article.body == (LEAD, SECOND)


def test_news_feed_widget_with_timestamps_ends_the_article():
    article = read(
        page(
            *HEADER,
            LEAD,
            "News Feed",
            "6:58 PM",
            "Storm cuts power to thousands of homes.",
            "Crews worked through the night to restore the lines, the utility said.",
        )
    )
    assert article.body == (LEAD,)


def test_label_and_teaser_headline_inside_the_body_are_silent_but_a_subheading_is_spoken():
    article = read(
        page(
            "Council passes the budget",
            "March 4, 2024 9:12 AM",
            LEAD,
            "Explainer",
            "What does the new budget mean for your taxes?",
            SECOND,
            "What comes next",
            "The mayor will sign the budget next week.",
        )
    )
    assert article.body == (LEAD, SECOND, "What comes next", "The mayor will sign the budget next week.")
    assert article.blocks[2].kind == "heading"


def test_list_items_are_spoken_but_a_lone_tag_is_not():
    article = read(
        page(
            "How to prepare for a blackout",
            "Status: Published · Date: 2025-01-09",
            "  • Energy",
            "Keep these at home:",
            "  • a torch and spare batteries",
            "  • water for three days",
        )
    )
    assert article.body == ("Keep these at home:", "• a torch and spare batteries", "• water for three days")
    assert article.date == dt.date(2025, 1, 9)


def test_standfirst_between_headline_and_byline_is_spoken():
    wire = "Wire | Kyiv | Updated: 21-07-2022 17:01 IST"
    article = read(page(" date 2022-07-21 Left Menu", "Bank keeps its key rate", LEAD, wire, SECOND))
    assert (article.title, article.body) == ("Bank keeps its key rate", (LEAD, SECOND))


def test_cut_off_last_paragraph_is_spoken():
    header = ("Upgrade guide", "From Example Wiki", "Jump to navigation Jump to search")
    article = read(page(*header, LEAD, "Next steps", "The upgrade sta"))
    assert article.body == (LEAD, "Next steps", "The upgrade sta")


def test_ukrainian_page(tmp_path):
    path = tmp_path / "kyiv.txt"
    path.write_text(
        page(
            "Новини",
            "Київ отримає нові генератори",
            "Олена Коваль, 15 жовтня 2024, 14:30",
            "3 хв",
            "Міська рада погодила закупівлю двохсот генераторів для шкіл і лікарень.",
            "Читати також: Уряд продовжив програму відновлення",
            "Що далі",
            "Перші генератори мають надійти до кінця місяця, повідомили в управлінні.",
        ),
        encoding="utf-8",
    )
    article = read_article(path, tmp_path)
    assert article.title == "Київ отримає нові генератори"
    assert article.author == "Олена Коваль"
    assert (article.date, article.time) == (dt.date(2024, 10, 15), dt.time(14, 30))
    assert article.body == (
        "Міська рада погодила закупівлю двохсот генераторів для шкіл і лікарень.",
        "Що далі",
        "Перші генератори мають надійти до кінця місяця, повідомили в управлінні.",
    )


def test_page_with_nothing_but_furniture_names_the_file():
    with pytest.raises(ArticleError, match="no body text found") as caught:
        read_scraped_text(page("Skip to content", *HEADER, "Read more"), Path("empty.txt"), "empty.txt")
    assert "empty.txt" in str(caught.value)


def test_section_label_above_a_headline_without_byline_is_silent():
    article = read(page("Politics", "Council passes the budget", LEAD, "What comes next", SECOND))
    assert article.title == "Council passes the budget"
    assert article.body == (LEAD, "What comes next", SECOND)


def test_a_sentence_about_a_reporter_inside_the_article_is_not_an_author_card():
    quote = "Ivan Petrenko is a local journalist who filmed the vote from the gallery."
    article = read(page(*HEADER, LEAD, quote, SECOND))
    assert article.body == (LEAD, quote, SECOND)
    assert article.author == "Anna Kovalenko"


@pytest.mark.parametrize(
    "dateline, date",
    [
        ("Published: 12 March 2024", dt.date(2024, 3, 12)),
        ("03/25/2024 10:00", dt.date(2024, 3, 25)),
        ("25.03.2024, 10:00", dt.date(2024, 3, 25)),
        ("24 de febrero de 2023", dt.date(2023, 2, 24)),
        ("15 жовтня 2024 р., 14:30", dt.date(2024, 10, 15)),
    ],
)
def test_dateline_forms(dateline, date):
    assert read(page("Council passes the budget", dateline, LEAD)).date == date


def test_byline_below_a_long_standfirst_still_gives_author_and_date():
    article = read(page("Council passes the budget", LEAD, SECOND, LEAD + " Again.", "By Ann Lee | May 3, 2024", SECOND))
    assert (article.title, article.author) == ("Council passes the budget", "Ann Lee")
    assert article.date == dt.date(2024, 5, 3)


def test_last_section_before_an_author_card_is_spoken_but_a_teaser_is_not():
    section = ("What we know", "The decision follows weeks of talks between the two sides.")
    teaser = ("Storm cuts power to thousands of homes across the region", "Crews worked through the night.")
    card = ("Anna Kovalenko", "Anna Kovalenko is a reporter covering city politics.")
    assert read(page(*HEADER, LEAD, *section, *card)).body == (LEAD, *section)
    assert read(page(*HEADER, LEAD, *teaser, *card)).body == (LEAD,)


@pytest.mark.parametrize("dateline", ["Ann Lee, 15 May 2024, 14:30", "Ann Lee — Wednesday, 15 May 2024, 14:30"])
def test_name_opening_a_dateline_is_the_author(dateline):
    article = read(page("Council passes the budget", dateline, LEAD))
    assert (article.author, article.date) == ("Ann Lee", dt.date(2024, 5, 15))


def test_dateline_under_the_byline_and_a_posted_by_stamp_give_date_and_author():
    wire = read(page("Oil prices climb", "By Ann Lee and Bo Chan, Reuters", "March 12, 2024 8:15 AM GMT+2", LEAD))
    assert (wire.author, wire.date) == ("Ann Lee, Bo Chan", dt.date(2024, 3, 12))
    footer = ("Share", "Comments", "12 comments")
    blog = read(page("Why we moved our builds", "Posted on 2025-01-14 by Sam Park", LEAD, *footer))
    assert (blog.author, blog.date, blog.body) == ("Sam Park", dt.date(2025, 1, 14), (LEAD,))


@pytest.mark.parametrize("inside", ["A bridge at dawn. (Photo: Jane Doe/Example Images)", "10:45 AM"])
def test_a_caption_or_a_clock_inside_an_article_does_not_make_a_subheading_its_headline(inside):
    article = read(page("Council passes the budget", LEAD, "What comes next", inside, SECOND))
    assert article.title == "Council passes the budget"
    assert article.body == (LEAD, "What comes next", SECOND)


def test_hand_typed_text_with_hard_wrapped_paragraphs_is_read_whole():
    article = read(
        page(
            "A walk along the river",
            "",
            "We set off early in the morning, when the mist still lay over the",
            "water and the town was quiet. The path follows the bank for miles,",
            "and passes three old mills.",
            "",
            "By noon we reached the bridge.",
        )
    )
    assert article.title == "A walk along the river"
    assert article.body == (
        "We set off early in the morning, when the mist still lay over the water and the town was quiet. "
        "The path follows the bank for miles, and passes three old mills.",
        "By noon we reached the bridge.",
    )


def test_tags_under_the_byline_are_silent_even_several():
    article = read(page(*HEADER, "  • Energy", "  • Kyiv", LEAD, "Bring:", "  • a torch", "  • water"))
    assert article.body == (LEAD, "Bring:", "• a torch", "• water")


def test_a_caption_without_a_credit_is_silent_when_a_notice_closes_the_header():
    caption = "Rescuers at the site of the strike on Oct. 3, 2024. Illustrative photo."
    article = read(page(*HEADER, caption, "This audio is created with AI assistance", LEAD))
    assert article.body == (LEAD,)


def test_desk_opening_a_dateline_with_bars_is_the_author():
    article = read(page("Bank keeps its key rate", "Example News Desk | Kyiv | Updated: 21-07-2022 17:01 IST", LEAD))
    assert (article.author, article.date) == ("Example News Desk", dt.date(2022, 7, 21))


def test_news_feed_widget_above_the_article_is_silent():
    widget = ("News Feed", "Storm cuts power to thousands of homes", "6:58 PM", "Crews worked through the night.", "Show More")
    article = read(page(*widget, *HEADER, LEAD, SECOND))
    assert (article.title, article.body) == ("Council passes the budget", (LEAD, SECOND))
