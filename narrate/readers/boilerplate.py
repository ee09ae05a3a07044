"""What one line of a scraped page is, judged alone: site furniture a listener must not hear, or text.

Each kind of furniture has one named classifier; `classify` tries them in table order. Whether a
line of plain text is the headline, a subheading or a teaser of another story depends on its
neighbours, which is the page reader's job (scraped.py); this module only offers the shapes
(`is_title_like`, `is_name_like`, `is_bullet`) it judges them by.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import date_start, mentions_date, mentions_day, without_dates

LINK = re.compile(r"https?://|www\.")
BULLET = re.compile(r"^[•·▪●◦‣∙*–-]\s+")
SENTENCE_END = re.compile(r"[.!:;…,]$")
ABBREVIATED_END = re.compile(r"(?:\b[ap]\.m|\bр|\bг|\br)\.$", re.IGNORECASE)
"""A dateline may end in an abbreviation's dot ('3:00 p.m.', '2024 р.') where a sentence would end."""
CLOSERS = "\"'”’»)]"
DATELINE_WORDS = 6
"""Words a dateline may carry besides its date: a name or desk, a place, 'Updated', a time zone."""

UI_WORDS = frozenset(
    word.strip()
    for word in """
    skip to content|skip to main content|jump to navigation jump to search|jump to content|menu|left menu
    |main menu|search|more|featured|edit post|show more|load more|view all|see all|see more|share|print
    |close|back to top|sign in|log in|login|register|subscribe|advertisement|advertising|sponsored
    |sponsored content|реклама|поділитися|показати більше|детальніше|ще|пошук|меню|compartir
    |síguenos en|publicidad|anuncio|udostępnij|reklama|więcej|teilen|anzeige|werbung|partager|publicité
    |edit this page|on this page|table of contents|contents|previous|next|back|copy link|hide this message
    """.split("|")
)
"""Whole lines that are buttons, menus or labels of a site's own furniture, in several languages."""

FOOTER_WORDS = frozenset(
    word.strip()
    for word in """
    news feed|read more|editors' picks|editors’ picks|editor's picks|most popular|most read|popular
    |related|related articles|related stories|related news|more stories|more news|recommended
    |you may also like|you might also like|latest news|top stories|trending|comments|avatar
    |читайте також|читати також|популярне|останні новини|новини|стрічка новин|схожі новини
    |читайте также|последние новости|leer más|lo más leído|noticias relacionadas|czytaj więcej
    |najnowsze|citește mai mult|mehr zum thema|à lire aussi|legal disclaimer|disclaimer
    """.split("|")
)
"""Whole lines that open the end-of-page furniture: after one of these, the article is over."""

READ_TIME = re.compile(
    r"^(?:reading time:?\s*|час читання:?\s*|время чтения:?\s*|читати\s+)?"
    r"\d+\s*(?:min(?:ute)?s?|хв(?:илин[аи]?)?|мин(?:ут[аы]?)?)\.?"
    r"(?:\s*(?:read|читання|чтения|de lectura|czytania))?$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?i:by|written by|authors?:|від|автор(?:и|ка)?:?|por|von|par|przez|autor(?:zy)?:?)"
    r"\s+(?P<rest>[A-ZА-ЯІЇЄҐ\u00C0-\u017F].*)$",
)
CREDIT_IN_PARENTHESES = re.compile(
    r"\((?:[^()]*\b(?:photo|фото|foto|fot|credit|image)\b[^()]*|(?-i:[^()]*\w\s?/\s?[A-Z][^()]*)"
    r"|[^()]*\b(?:getty|images|afp|reuters|associated press|ap|epa|shutterstock)\b[^()]*)\)$",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"^(?:©|\(c\)|photo(?: credit)?:|фото:|foto:|fot\.|credit:|image:|illustration:|ілюстрація:)"
    r"|^[\w .'’-]{2,40}/\s?(?:getty images|afp|ap|reuters|epa|shutterstock|[\w .'’-]{2,30} images?)$",
    re.IGNORECASE,
)
IMAGE_ALT = re.compile(r"^-\s+[^,]{2,40},\s*\d{3,4}$|\s-\s[^-]{2,40},\s*\d{3,4}(?:,\s*[\d.]{8,10})?$")
NOTICE = re.compile(
    r"^\(?(?:this audio is created with ai assistance|listen to (?:this|the) article|listen to this story"
    r"|this (?:story|article|content) (?:has not been|was|is) (?:machine |automatically |auto-)?"
    r"(?:edited|translated|generated|produced)\b.*|audio version of this article.*)$",
    re.IGNORECASE,
)
RELATED_LINK = re.compile(
    r"^(?:read also|read more|see also|also read|related|more on this|read next|читайте також|читати також"
    r"|дивіться також|див\. також|читайте также|смотрите также|lee también|leer también|czytaj też"
    r"|zobacz też|czytaj także|citește și|citiți și|lesen sie auch|à lire aussi|leggi anche)\s*[:—–-]\s*\S",
    re.IGNORECASE,
)
SOCIAL = re.compile(
    r"\b(?:follow us|watch us on|join us on|find us on|síguenos|підписуйтесь|підписуйтеся|подписывайтесь"
    r"|obserwuj nas|folgen sie uns|suivez-nous|urmăriți-ne)\b",
    re.IGNORECASE,
)
PROMO = re.compile(
    r"\b(?:become (?:a|our) (?:member|patron|subscriber)|support (?:us|our|independent) |subscribe to (?:our|the)"
    r"|sign up (?:for|to) (?:our|the)|donate to|підпишіться на|підтримайте|оформіть підписку|suscríbete a"
    r"|zapisz się na)",
    re.IGNORECASE,
)
"""Phrases that only a site's call for money or sign-ups uses; single words like 'donate' need a short line."""
PROMO_WORDS = re.compile(r"\b(?:subscribe|sign up|newsletter|donate|membership|підписка|suscripción)\b", re.IGNORECASE)
LANGUAGE_SWITCH = re.compile(
    r"^(?:(?:read|читати|читайте|leer|czytaj|citește)\s+(?:in|на|en|po|în)\s+\S+"
    r"|\S+\s+version|versiunea\s+(?:în\s+)?(?:limba\s+)?\S+|versión\s+en\s+\S+|wersja\s+\S+|версія\s+\S+"
    r"|українською|по-русски|english|română|español|polski|deutsch|français)$",
    re.IGNORECASE,
)
TAGLINE = re.compile(r"^From (?:[A-Z0-9][\w.'’-]*\s?){1,4}(?:, the free encyclopedia)?$")
BREADCRUMB = re.compile(r"^[^/»>›|]{1,30}(?:\s[/»>›|]\s[^/»>›|]{1,30}){2,}$")
TAGS = re.compile(r"^(?:tags|topics|теги|мітки|теми|etiquetas|temas|tagi|schlagwörter|mots-clés):\s*\S", re.IGNORECASE)
CREDITS = re.compile(r"^(?:(?:additional )?reporting|writing|editing|compiled|translated) by\b", re.IGNORECASE)
STAMP = re.compile(
    r"^\(?\s*(?:updated|published|posted|оновлено|опубліковано|обновлено|actualizado)\b.{0,40}$", re.IGNORECASE
)
ROLE = (
    r"(?:reporter|journalist|correspondent|editor|writer|columnist|analyst|producer|photographer|contributor"
    r"|кореспондент(?:ка)?|журналіст(?:ка)?|редактор(?:ка)?)"
)
BIO = re.compile(
    r"^(?:(?i:we are (?:the|a|an) [\w ’'-]{0,40}(?:team|desk|newsroom))"
    r"|[A-ZА-ЯІЇЄҐ][\w'’-]+(?:\s[A-ZА-ЯІЇЄҐ][\w'’-]+){1,3} is an? (?:[\w-]+ ){0,4}" + ROLE + ")"
)
DESK = re.compile(
    r"^(?:the\s+)?[\w .'’-]{0,40}\b(?:news desk|newsdesk|desk|newsroom|staff|editorial team|editorial board)$"
    r"|^редакція\b.{0,40}$|^редакция\b.{0,40}$",
    re.IGNORECASE,
)
BYLINE_TAIL = r"\s*[|•·/]\s*|\s+\d|\s+(?:in|from|reporting from|у|в|з)\s+(?=[A-ZА-ЯІЇЄҐ])"
"""Where a byline's names end: a separator, a number, or the place the reporter writes from."""
WIRE_AGENCIES = frozenset(
    "reuters|ap|associated press|afp|agence france-presse|dpa|efe|ansa|tass|ria novosti|interfax|ukrinform"
    "|укрінформ|інтерфакс-україна|unn|xinhua|bloomberg|pap|menafn|anadolu|upi|sputnik".split("|")
)
PHOTOGRAPHER = re.compile(r"\b(?:photo|photos|photographer|фото|foto)\b", re.IGNORECASE)


def _normal(line: str) -> str:
    return " ".join(line.lower().replace("’", "'").split()).strip(" :")


def is_ui(line: str) -> bool:
    normal = _normal(line)
    return normal in UI_WORDS or bool(re.fullmatch(r"[\w ]{2,30} image|all [\w ]{2,30} arrow right", normal))


def is_footer(line: str) -> bool:
    return _normal(line) in FOOTER_WORDS


def is_read_time(line: str) -> bool:
    return bool(READ_TIME.match(line))


def is_byline(line: str) -> bool:
    """'by Name …' with a capitalised name and no sentence end: 'By March 5, the army had left.' is prose."""
    return bool(BYLINE.match(line)) and len(line.split()) <= 18 and not SENTENCE_END.search(line)


def is_dateline(line: str) -> bool:
    """A short line that is mostly a date or a clock time, perhaps with a place, a section or a label."""
    if len(line.split()) > 12 or not mentions_date(line):
        return False
    leftover = re.findall(r"[^\W\d_]{2,}", without_dates(line))
    return len(leftover) <= DATELINE_WORDS and not SENTENCE_END.search(ABBREVIATED_END.sub("", line.rstrip(CLOSERS)))


def is_clock(line: str) -> bool:
    """A dateline that gives only a time of day ('6:58 PM'): live blogs and news feeds print these."""
    return is_dateline(line) and not mentions_day(line)


def is_credits(line: str) -> bool:
    return len(line.split()) <= 25 and bool(CREDITS.match(line))


def is_tags(line: str) -> bool:
    return len(line.split()) <= 30 and bool(TAGS.match(line))


def is_stamp(line: str) -> bool:
    return bool(STAMP.match(line))


def is_caption(line: str) -> bool:
    """A photo caption ending in its credit, a bare credit line, or an image's alt text."""
    return bool(CREDIT_IN_PARENTHESES.search(line) or CREDIT_LINE.search(line) or IMAGE_ALT.search(line))


def is_notice(line: str) -> bool:
    return bool(NOTICE.match(line))


def is_related_link(line: str) -> bool:
    return bool(RELATED_LINK.match(line))


def is_social(line: str) -> bool:
    return len(line.split()) <= 12 and bool(SOCIAL.search(line))


def is_promo(line: str) -> bool:
    """A call to subscribe or pay: a telling phrase in a short line, or a promo word in a short label."""
    if len(line.split()) > 15:
        return False
    return bool(PROMO.search(line)) or (is_title_like(line) and bool(PROMO_WORDS.search(line)))


def is_language_switch(line: str) -> bool:
    return bool(LANGUAGE_SWITCH.match(_normal(line)))


def is_tagline(line: str) -> bool:
    return bool(TAGLINE.match(line))


def is_bio(line: str) -> bool:
    return bool(BIO.match(line))


def is_breadcrumb(line: str) -> bool:
    return bool(BREADCRUMB.match(line)) and not SENTENCE_END.search(line)


LINE_KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("ui", is_ui),
    ("footer", is_footer),
    ("read time", is_read_time),
    ("notice", is_notice),
    ("caption", is_caption),
    ("byline", is_byline),
    ("credits", is_credits),
    ("tags", is_tags),
    ("stamp", is_stamp),
    ("dateline", is_dateline),
    ("related link", is_related_link),
    ("social", is_social),
    ("promo", is_promo),
    ("language switch", is_language_switch),
    ("tagline", is_tagline),
    ("breadcrumb", is_breadcrumb),
    ("bio", is_bio),
)
"""Named line classifiers, most specific first; a line none of them claims is text."""


def classify(line: str) -> str | None:
    """The kind of furniture `line` is, or None when it is text (headline, body, or a teaser)."""
    return next((kind for kind, matches in LINE_KINDS if matches(line)), None)


def is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def is_title_like(line: str) -> bool:
    """Short, without a sentence end or a link: a headline, subheading, label, or a teaser's headline."""
    return len(line.split()) <= 25 and not ends_sentence(line) and not LINK.search(line)


def ends_sentence(line: str) -> bool:
    """Whether `line` ends as a sentence or a clause does (closing quotes and brackets aside)."""
    return bool(SENTENCE_END.search(line.rstrip(CLOSERS)))


def is_name_like(line: str) -> bool:
    """Two to four capitalised words and nothing else: a person's name on a byline or author card."""
    words = line.split()
    return 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-ZА-ЯІЇЄҐ\u00C0-\u017F][\w'’.-]*", word) for word in words)


def is_desk(line: str) -> bool:
    return bool(DESK.match(line)) and len(line.split()) <= 8


def author_names(byline: str) -> list[str]:
    """The people a byline names: 'by A, B and C May 2, 2024' → [A, B, C]; agencies are not authors."""
    match = BYLINE.match(byline)
    text = match["rest"] if match else byline
    text = re.split(BYLINE_TAIL, text[: date_start(text)], maxsplit=1)[0]
    names = [name.strip() for name in re.split(r",\s*|\s+(?:and|&|та|і|и|y|i|und|et|și)\s+", text.strip(" ,"))]
    return [name for name in names if name and is_author(name) and not re.search(ROLE, name, re.IGNORECASE)]


def is_author(name: str) -> bool:
    """A name that can be an article's author: not a wire agency, not a photographer's credit."""
    return _normal(name) not in WIRE_AGENCIES and not PHOTOGRAPHER.search(name) and len(name.split()) <= 8


def dateline_author(line: str) -> str | None:
    """The name a dateline starts or ends with: 'Ann Lee, 15 May 2024', 'Ann Lee — Monday, 15 May 2024',
    'Posted 2024-05-15 by Ann Lee'."""
    opening = re.match(r"(?P<name>[^,—–|]+?)\s*(?:,|\s[—–|]\s)", line[: date_start(line)])
    closing = re.search(r"\bby\s+(?P<name>[^,|•·]+?)\s*$", line)
    name = next((match["name"] for match in (opening, closing) if match), "")
    return name if is_name_like(name) and is_author(name) else None
