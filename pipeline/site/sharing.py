"""What other sites and apps read from a page: Open Graph and Twitter meta, JSON-LD, oEmbed, the embed snippet.

Everything points to the podcast's own address (`base_url`): no third-party
script, image or font. The one foreign string is the JSON-LD `@context`, the
name of the schema.org vocabulary, which no browser fetches.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from pipeline import paths
from pipeline.source import notes
from pipeline.media.built import BuiltEpisode
from pipeline.source.load import Podcast
from pipeline.textfmt import iso_duration

SCHEMA_CONTEXT = "https://schema.org"
EMBED_WIDTH = 640
EMBED_BASE_HEIGHT = 184
EMBED_CHAPTERS_HEIGHT = 30
"""Size of the embed iframe at EMBED_WIDTH, as measured in a browser (tests/test_embed_browser.py checks it):
title and player, plus the folded chapter list's line. The page tells its parent when it needs more (postMessage)."""
SHARE_COVER = 320
"""Width of the cover other sites show in their link previews."""


def script_json(data: Any) -> Markup:
    """JSON safe to put inside <script type="application/ld+json"> (no "</script>" can close it early)."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def attribute(text: str) -> str:
    """A value for a double-quoted HTML attribute, escaped only where HTML needs it (an apostrophe stays one).

    The snippet is text a person reads and pastes: "L'école" must show as written, not as L&#39;école."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def embed_height(item: BuiltEpisode) -> int:
    """Height of the embed frame at EMBED_WIDTH: title line, controls, current chapter, the folded chapter list."""
    return EMBED_BASE_HEIGHT + (EMBED_CHAPTERS_HEIGHT if item.episode.meta.chapters else 0)


def embed_snippet(embed_url: str, title: str, height: int) -> str:
    """The HTML a partner site pastes: an iframe of the minimal player page."""
    return (
        f'<iframe src="{attribute(embed_url)}" title="{attribute(title)}" width="100%" height="{height}" '
        f'style="border:0;max-width:{EMBED_WIDTH}px" loading="lazy"></iframe>'
    )


def description(item: BuiltEpisode, limit: int = 300) -> str:
    meta = item.episode.meta
    text = meta.summary or notes.to_text(item.episode.notes)
    return notes.shorten_utf8(" ".join(text.split()), limit)


def series_jsonld(podcast: Podcast) -> dict:
    config = podcast.config
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "PodcastSeries",
        "name": config.title,
        "description": config.description,
        "url": config.base_url,
        "webFeed": podcast.feed_url,
        "inLanguage": config.language,
        "image": paths.absolute(config.base_url, paths.page_cover_file(SHARE_COVER)),
        "author": {"@type": "Organization", "name": config.author},
    }


def episode_jsonld(podcast: Podcast, item: BuiltEpisode, cover: str) -> dict:
    config, episode, meta = podcast.config, item.episode, item.episode.meta
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "PodcastEpisode",
        "name": meta.title,
        "url": paths.absolute(config.base_url, item.page),
        "datePublished": episode.published.isoformat(),
        "description": description(item),
        "duration": iso_duration(item.audio.duration),
        "inLanguage": config.language,
        "image": paths.absolute(config.base_url, cover),
        "associatedMedia": [
            {
                "@type": "AudioObject",
                "contentUrl": paths.absolute(config.base_url, media.name),
                "encodingFormat": media.mime,
                "contentSize": str(media.size),
                "duration": iso_duration(media.duration),
            }
            for media in item.media.values()
        ],
        "partOfSeries": {"@type": "PodcastSeries", "name": config.title, "url": config.base_url},
        "embedUrl": paths.absolute(config.base_url, paths.embed_page(episode.slug)),
    }
    if meta.episode:
        data["episodeNumber"] = meta.episode
    if meta.speakers:
        data["contributor"] = [{"@type": "Person", "name": s.name, **({"url": s.url} if s.url else {})} for s in meta.speakers]
    if meta.venue:
        place = {"@type": "Place", "name": meta.venue.name}
        if meta.venue.address:
            place["address"] = meta.venue.address
        data["locationCreated"] = place
    return data


def site_meta(podcast: Podcast) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the Open Graph and Twitter meta of the index."""
    config = podcast.config
    image = paths.absolute(config.base_url, paths.page_cover_file(SHARE_COVER))
    return [
        ("property", "og:type", "website"),
        ("property", "og:site_name", config.title),
        ("property", "og:title", config.title),
        ("property", "og:description", notes.shorten_utf8(" ".join(config.description.split()), 300)),
        ("property", "og:url", config.base_url),
        ("property", "og:image", image),
        ("property", "og:image:width", str(SHARE_COVER)),
        ("property", "og:image:height", str(SHARE_COVER)),
        ("name", "twitter:card", "summary"),
    ]


def episode_meta(podcast: Podcast, item: BuiltEpisode, cover: str) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter player card of an episode page."""
    config = podcast.config
    base = config.base_url
    return [
        ("property", "og:type", "article"),
        ("property", "og:site_name", config.title),
        ("property", "og:title", item.episode.meta.title),
        ("property", "og:description", description(item)),
        ("property", "og:url", paths.absolute(base, item.page)),
        ("property", "og:image", paths.absolute(base, cover)),
        ("property", "og:image:width", str(SHARE_COVER)),
        ("property", "og:image:height", str(SHARE_COVER)),
        ("property", "og:audio", paths.absolute(base, item.main.name)),
        ("property", "og:audio:type", item.main.mime),
        ("property", "article:published_time", item.episode.published.isoformat()),
        ("name", "twitter:card", "player"),
        ("name", "twitter:title", item.episode.meta.title),
        ("name", "twitter:description", description(item, 200)),
        ("name", "twitter:image", paths.absolute(base, cover)),
        ("name", "twitter:player", paths.absolute(base, paths.embed_page(item.episode.slug))),
        ("name", "twitter:player:width", str(EMBED_WIDTH)),
        ("name", "twitter:player:height", str(embed_height(item))),
    ]


def oembed(podcast: Podcast, item: BuiltEpisode, cover: str) -> str:
    """The static oEmbed answer (type "rich") for an episode: a partner site that pastes the link gets the player."""
    config = podcast.config
    base = config.base_url
    data = {
        "version": "1.0",
        "type": "rich",
        "title": item.episode.meta.title,
        "author_name": config.author,
        "author_url": base,
        "provider_name": config.title,
        "provider_url": base,
        "html": embed_snippet(paths.absolute(base, paths.embed_page(item.episode.slug)), item.episode.meta.title, embed_height(item)),
        "width": EMBED_WIDTH,
        "height": embed_height(item),
        "thumbnail_url": paths.absolute(base, cover),
        "thumbnail_width": SHARE_COVER,
        "thumbnail_height": SHARE_COVER,
    }
    return flat_json(data)


def flat_json(data: dict[str, object]) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2) + "\n"`, written by the C encoder in one call when no value is
    a list or a dict (json's indented output is made in pure Python: a thousand episodes' oEmbed files): its item
    separator is the indented one's, its braces opened onto their own lines."""
    if not data or any(isinstance(value, (dict, list, tuple)) for value in data.values()):
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return "{\n  " + json.dumps(data, ensure_ascii=False, separators=(",\n  ", ": "))[1:-1] + "\n}\n"
