"""Show notes written in HTML by another tool, as the Markdown and plain text portevoix keeps.

Scripts, styles and anything markdownify does not know become text or disappear; links
keep their address only when it is http(s) (the notes renderer refuses the rest anyway).
"""

from __future__ import annotations

import html
import re

from markdownify import markdownify

SUMMARY_LIMIT = 300


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"</?[a-zA-Z][^>]*>|&[a-z]+;|&#\d+;", text))


def to_markdown(text: str) -> str:
    """Markdown for the notes of an episode; plain text is kept as it is."""
    if not text.strip():
        return ""
    if not looks_like_html(text):
        return text.strip()
    markdown = markdownify(text, heading_style="ATX", bullets="-", strip=["script", "style", "iframe", "img", "object", "embed", "form"])
    markdown = re.sub(r"\]\((?!https?://|#)[^)]*\)", "]", markdown)  # links that are not http(s): text only
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def to_text(text: str) -> str:
    """Plain text of HTML (or of plain text), whitespace folded."""
    without_tags = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    without_tags = re.sub(r"<br\s*/?>|</p>|</li>|</h\d>", "\n", without_tags, flags=re.I)
    without_tags = re.sub(r"<[^>]+>", " ", without_tags)
    plain = html.unescape(without_tags)
    return re.sub(r"[ \t\r\f\v\u00a0]+", " ", plain).strip()


def to_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first sentences of the notes, on one line, at most `limit` characters."""
    plain = re.sub(r"\s+", " ", to_text(text)).strip()
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"
