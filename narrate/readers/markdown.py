"""Reader for Markdown articles with optional YAML (---) or TOML (+++) front matter."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from ..errors import ArticleError
from ..model import Article
from .blocks import html_blocks, html_text, without_title
from .frontmatter import split_front_matter

# CommonMark plus the GitHub tables and strikethrough writers use; tables are then recognised and left unspoken.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_markdown(text: str, path: Path, identity: str) -> Article:
    """Title from the front matter, else the first `#` heading; the body as headings and paragraphs."""
    fields, body = split_front_matter(text, path)
    blocks = html_blocks(PARSER.render(body))
    title = fields.pop("title", None) or _first_level_one_heading(body)
    if not title:
        raise ArticleError("no title: give one in the front matter (title: ...) or start with a # heading", path)
    blocks = without_title(blocks, title)
    if not any(block.kind == "paragraph" for block in blocks):
        raise ArticleError("no body text found after the title", path)
    language = fields.pop("language", None)
    identity = fields.get("url") or identity
    return Article(source=path, identity=identity, title=title, blocks=blocks, language=language, **fields)


def _first_level_one_heading(body: str) -> str | None:
    tokens = PARSER.parse(body)
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open" and opening.tag == "h1":
            return html_text(PARSER.renderInline(inline.content)) or None
    return None
