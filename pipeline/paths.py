"""Where things go in the site, and the public URLs they get. One place decides."""

from __future__ import annotations

FEED = "feed.xml"
INDEX = "index.html"
STATIC = "static"
SITE_MARKER = ".portevoix-site"
"""Written at the top of every site: says that portevoix made the folder, so that a later build may replace it.
It is not published (publish/plan.py leaves it out)."""


def episode_page(slug: str) -> str:
    return f"episodes/{slug}/"


def index_page(number: int) -> str:
    """The index, split into pages: index.html, then page/2/index.html, page/3/index.html…"""
    return INDEX if number == 1 else f"page/{number}/index.html"


def transcript_page(slug: str) -> str:
    return f"episodes/{slug}/transcription/"


def search_page(language: str) -> str:
    """The search page, named in the podcast's language."""
    return "recherche/" if language == "fr" else "search/"


SEARCH_BUNDLE = "pagefind"
"""Pagefind's index and script, fetched by the search page fragment by fragment."""


def embed_page(slug: str) -> str:
    """The minimal player partner sites put in an iframe."""
    return f"embed/{slug}/"


def oembed_file(slug: str) -> str:
    return f"embed/{slug}/oembed.json"


def episode_cover_file(slug: str, size: int) -> str:
    """An episode's own cover, resized for its pages."""
    return f"media/{slug}-{size}.jpg"


def episode_feed_cover_file(slug: str) -> str:
    """An episode's own cover as the feed announces it (itunes:image of the item)."""
    return f"media/{slug}.jpg"


def media_file(slug: str, extension: str) -> str:
    return f"media/{slug}.{extension}"


COVER = "cover.jpg"


def page_cover_file(size: int) -> str:
    return f"cover-{size}.jpg"


def transcript_file(slug: str, extension: str) -> str:
    """The episode's transcript as published (vtt, srt or txt), beside its media."""
    return f"media/{slug}.{extension}"


def chapters_file(slug: str) -> str:
    """Podcasting 2.0 JSON chapters."""
    return f"media/{slug}.chapters.json"


def clip_file(slug: str, number: int, extension: str) -> str:
    """The episode's soundbite number `number` as a clip of its own (media/clips.py), beside its media."""
    return f"media/{slug}.extrait-{number}.{extension}"


def absolute(base_url: str, path: str) -> str:
    return base_url + path
