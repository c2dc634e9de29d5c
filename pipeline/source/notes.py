"""Show notes: Markdown rendered safely (raw HTML off, unsafe links refused), and as plain text."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def to_html(markdown: str) -> str:
    return _markdown.render(markdown)


def to_text(markdown: str) -> str:
    """Plain text of the notes: the words without Markdown or HTML."""
    rendered = to_html(markdown)
    text = re.sub(r"<[^>]+>", " ", rendered.replace("</p>", "\n\n").replace("</li>", "\n"))
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def shorten_utf8(text: str, limit: int) -> str:
    """Cut `text` so that its UTF-8 encoding holds in `limit` bytes, at a word when possible."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - len("…".encode())].decode("utf-8", "ignore")
    if " " in cut[-40:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "…"
