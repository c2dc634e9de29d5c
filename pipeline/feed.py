"""The RSS feed, built with feedgen: RSS 2.0 with the iTunes tags.

Deterministic: the same input gives the same bytes (lastBuildDate is the newest
episode's date, never "now"); items come out newest first.
"""

from __future__ import annotations

import html
import logging

from feedgen.feed import FeedGenerator

from pipeline import layout, notes
from pipeline.layout import BuiltEpisode
from pipeline.load import Podcast

log = logging.getLogger(__name__)

DESCRIPTION_LIMIT = 4000  # bytes, Apple Podcasts


def build_feed(podcast: Podcast, built: list[BuiltEpisode]) -> bytes:
    config = podcast.config
    base = config.base_url
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(config.title)
    fg.description(notes.shorten_utf8(config.description, DESCRIPTION_LIMIT))
    fg.language(config.language)
    fg.generator("portevoix")
    fg.copyright(config.license)
    # feedgen writes the channel <link> from its last link() call: the self link first, the site last.
    fg.link(href=podcast.feed_url, rel="self", type="application/rss+xml")
    fg.link(href=base, rel="alternate")
    fg.image(url=layout.absolute(base, layout.COVER), title=config.title, link=base)
    fg.podcast.itunes_author(config.author)
    fg.podcast.itunes_owner(name=config.owner.name, email=config.owner.email)
    fg.podcast.itunes_image(layout.absolute(base, layout.COVER))
    fg.podcast.itunes_explicit("yes" if config.explicit else "no")
    fg.podcast.itunes_type(config.type)
    fg.podcast.itunes_summary(notes.shorten_utf8(config.description, DESCRIPTION_LIMIT))
    for category in config.categories[:1]:
        parent, _, child = category.partition(" > ")
        fg.podcast.itunes_category(parent, child or None)
    if built:
        fg.lastBuildDate(max(b.episode.published for b in built))

    for item in built:  # newest first
        episode, meta = item.episode, item.episode.meta
        entry = fg.add_entry(order="append")
        entry.guid(meta.guid, permalink=False)
        entry.title(meta.title)
        entry.link(href=layout.absolute(base, item.page))
        plain = meta.summary or notes.to_text(episode.notes)
        # <description> is HTML for every reader: plain text goes in escaped, or "<A" would become a tag.
        entry.description(html.escape(notes.shorten_utf8(plain, DESCRIPTION_LIMIT), quote=False))
        entry.content(notes.to_html(episode.notes), type="CDATA")
        entry.enclosure(layout.absolute(base, item.mp3.name), str(item.mp3.size), item.mp3.mime)
        entry.published(episode.published)
        entry.podcast.itunes_duration(round(item.mp3.duration))
        explicit = config.explicit if meta.explicit is None else meta.explicit
        entry.podcast.itunes_explicit("yes" if explicit else "no")
        entry.podcast.itunes_episode_type(meta.episode_type)
        if meta.season:
            entry.podcast.itunes_season(meta.season)
        if meta.episode:
            entry.podcast.itunes_episode(meta.episode)
    log.info("feed with %d episodes", len(built))
    return fg.rss_str(pretty=True)
