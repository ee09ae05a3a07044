"""HTML to spoken blocks: headings stay headings, paragraphs and list items become paragraphs, code and tables are not spoken.

Every reader that meets HTML goes through here: trafilatura's extract of a page, a feed item's
content, and Markdown rendered by markdown-it.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError

from ..model import Block

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start a new block; text directly inside them is a paragraph of its own.
BLOCK_ELEMENTS = frozenset(
    {"address", "article", "blockquote", "body", "dd", "details", "div", "dl", "dt", "footer", "header",
     "hgroup", "html", "li", "main", "ol", "p", "section", "summary", "ul"}
)
# What a listener should not hear: code, tables read cell by cell, page furniture, media, scripts.
# An unspoken element (an image) can leave its neighbours' punctuation behind: "see , or".
STRANDED_SPACE = re.compile(r"\s+(?=[,.;:!?])")
REPEATED_COMMA = re.compile(r"([,;:])(?:\s*[,;:])+")
UNSPOKEN = frozenset(
    {"aside", "audio", "button", "canvas", "figcaption", "figure", "form", "head", "iframe", "nav",
     "noscript", "object", "picture", "pre", "script", "select", "style", "svg", "table", "template",
     "textarea", "video"}
)


def html_blocks(html: str) -> tuple[Block, ...]:
    """The speakable blocks of an HTML document or fragment, in reading order."""
    if not html.strip():
        return ()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return ()
    blocks: list[Block] = []
    _walk(root, blocks)
    return tuple(blocks)


def html_text(html: str) -> str:
    """The plain text of a short piece of HTML (a feed title or summary), whitespace collapsed."""
    return " ".join(block.text for block in html_blocks(html))


def without_title(blocks: tuple[Block, ...], title: str) -> tuple[Block, ...]:
    """The blocks minus the first heading that repeats the title (the title is spoken once, first)."""
    repeated = next((i for i, b in enumerate(blocks) if b.kind == "heading" and b.text == _squeezed(title)), None)
    return blocks if repeated is None else blocks[:repeated] + blocks[repeated + 1 :]


def _walk(element: lxml.html.HtmlElement, blocks: list[Block]) -> None:
    inline = [element.text or ""]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag in HEADINGS:
            _flush(inline, blocks)
            _add(blocks, "heading", _inline_text(child))
        elif tag in BLOCK_ELEMENTS:
            _flush(inline, blocks)
            _walk(child, blocks)
        elif tag is not None and tag not in UNSPOKEN:
            inline.append(_inline_text(child))
        inline.append(child.tail or "")
    _flush(inline, blocks)


def _inline_text(element: lxml.html.HtmlElement) -> str:
    """Text of an inline element (a link's words, emphasis), leaving out unspoken parts and comments."""
    if element.tag == "br":
        return " "
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() not in UNSPOKEN:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _flush(inline: list[str], blocks: list[Block]) -> None:
    _add(blocks, "paragraph", "".join(inline))
    inline.clear()


def _add(blocks: list[Block], kind: str, text: str) -> None:
    if text := REPEATED_COMMA.sub(r"\1", STRANDED_SPACE.sub("", _squeezed(text))):
        blocks.append(Block(kind, text))  # type: ignore[arg-type]


def _squeezed(text: str) -> str:
    return " ".join(text.split())
