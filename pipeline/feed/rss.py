"""The RSS feed, built with feedgen: RSS 2.0, the iTunes tags and Podcasting 2.0.

Deterministic: the same input gives the same bytes. `lastBuildDate` is given by
the caller (the newest episode's date, or when the feed's content last
changed, as recorded in published.json), never "now"; items come out newest
first. With `feed_limit`, feed.xml holds the newest episodes and archive pages
(feed-2.xml, …) hold the rest, linked by RFC 5005 paging.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email.utils import format_datetime
from html import escape as escape_html
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from pipeline.fsutil import write_atomically
from pipeline import identity, paths
from pipeline.source import notes
from pipeline.audio.cache import CACHE_DIR
from pipeline.media import images
from pipeline.source.config import licence_identity, podcast_guid
from pipeline.errors import Problem
from pipeline.feed.checks import FilesSite, check_feeds, sri_sha256
from pipeline.feed.podcasting import (
    EXTENSION_NAME,
    AlternateEnclosure,
    Image,
    Licence,
    Location,
    Person,
    PodcastIndexEntryExtension,
    PodcastIndexExtension,
    RemoteItem,
    SocialInteract,
    SimpleChapter,
    Soundbite,
    Trailer,
    Transcript,
)
from pipeline.source.cues import DRAFT_NOTICE
from pipeline.feed.sidecars import chapter_lines, is_draft, published_chapters, sidecar_files
from pipeline.media.built import BuiltEpisode
from pipeline.source.load import Podcast
from pipeline.source.transcripts import MIME_TYPES as TRANSCRIPT_TYPES

log = logging.getLogger(__name__)

DESCRIPTION_LIMIT = 4000  # bytes, Apple Podcasts
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

# Episode roles (episode_meta.ROLES) as Podcasting 2.0 taxonomy roles and groups.
TAXONOMY = {
    "host": ("host", "cast"),
    "co-host": ("co-host", "cast"),
    "guest": ("guest", "cast"),
    "moderator": ("host", "cast"),
    "speaker": ("guest", "cast"),
    "panelist": ("guest", "cast"),
    "audience": ("guest", "cast"),
    "producer": ("producer", "creative direction"),
    "editor": ("audio editor", "audio post-production"),
    "sound engineer": ("audio engineer", "audio production"),
}


def feed_page(number: int) -> str:
    """Site path of page `number` of the feed: feed.xml, then feed-2.xml, feed-3.xml…"""
    return paths.FEED if number == 1 else f"feed-{number}.xml"


def licence_of(text: str, url: str | None = None) -> Licence:
    known = licence_identity(text)
    if known:
        return Licence(known[0], url or known[1])
    return Licence(text, url)


def _location(place, rel: str | None) -> Location:
    return Location(name=place.name, geo=place.geo, osm=place.osm, country=getattr(place, "country", None), rel=rel)


def _channel(podcast: Podcast, page: int, pages: int, updated: dt.datetime) -> FeedGenerator:
    config = podcast.config
    base = config.base_url
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension(EXTENSION_NAME, PodcastIndexExtension, PodcastIndexEntryExtension, atom=False)
    fg.title(config.title)
    # Plain text, HTML-escaped: readers take <description> as HTML (as for the items below).
    fg.description(escape_html(notes.shorten_utf8(config.description, DESCRIPTION_LIMIT), quote=False))
    fg.language(config.language)
    fg.generator("portevoix")
    fg.docs("https://www.rssboard.org/rss-specification")
    fg.copyright(config.license)
    fg.lastBuildDate(updated)
    # feedgen writes the channel <link> from its last link() call: the self link first, the site last.
    fg.link(href=paths.absolute(base, feed_page(page)), rel="self", type="application/rss+xml")
    fg.link(href=base, rel="alternate")
    cover = paths.absolute(base, paths.COVER)
    fg.image(url=cover, title=config.title, link=base)
    itunes = fg.podcast
    itunes.itunes_author(config.author)
    itunes.itunes_owner(name=config.owner.name, email=config.owner.email)
    itunes.itunes_image(cover)
    itunes.itunes_type(config.type)
    itunes.itunes_summary(notes.shorten_utf8(config.description, DESCRIPTION_LIMIT))
    if config.new_feed_url:
        itunes.itunes_new_feed_url(config.new_feed_url)
    for category in config.categories[:1]:
        parent, _, child = (part.strip() for part in category.partition(">"))
        itunes.itunes_category(parent, child or None)

    data = getattr(fg, EXTENSION_NAME).data
    data.explicit = config.explicit
    data.guid = config.guid
    data.locked = config.locked
    data.locked_owner = config.owner.email if config.locked else None
    data.medium = config.medium
    data.persons = [_host(h) for h in config.hosts]
    data.licence = licence_of(config.license, config.license_url)
    data.funding = [(f.url, f.text) for f in config.funding]
    data.location = _location(config.location, "creator") if config.location else None
    _directory_tags(podcast, data, cover)
    if pages > 1:
        data.paging = [("first", paths.absolute(base, feed_page(1)))]
        if page > 1:
            data.paging.append(("previous", paths.absolute(base, feed_page(page - 1))))
        if page < pages:
            data.paging.append(("next", paths.absolute(base, feed_page(page + 1))))
        data.paging.append(("last", paths.absolute(base, feed_page(pages))))
    return fg


def _directory_tags(podcast: Podcast, data, cover: str) -> None:
    """What directories and apps read beyond the basics: ownership proof, artwork, frequency, allied podcasts."""
    config = podcast.config
    if config.apple_verify:
        data.txt = [("applepodcastsverify", config.apple_verify)]
    cover_file = podcast.root / config.cover
    if cover_file.is_file():
        side = images.feed_cover_size(cover_file)
        data.image = Image(cover, config.cover_alt, side, side)
    if config.update_frequency:
        frequency = config.update_frequency
        data.update_frequency = (frequency.text, frequency.rrule, bool(frequency.complete))
    data.podroll = [RemoteItem(entry.guid or podcast_guid(entry.feed_url), entry.feed_url, entry.title) for entry in config.podroll]


def trailers(podcast: Podcast, built: list[BuiltEpisode]) -> list[Trailer]:
    """podcast:trailer for every episode whose type is trailer, newest first."""
    base = podcast.config.base_url
    return [
        Trailer(b.episode.meta.title, paths.absolute(base, b.main.name), format_datetime(b.episode.published), b.main.size, b.main.mime, b.episode.meta.season)
        for b in built
        if b.episode.meta.episode_type == "trailer"
    ]


def social_protocol(url: str) -> str:
    """The podcast:socialInteract protocol of a discussion address (fediverse servers speak ActivityPub)."""
    host = urlsplit(url).netloc.lower()
    if host in ("bsky.app", "bsky.social"):
        return "atproto"
    if host in ("twitter.com", "x.com"):
        return "twitter"
    return "activitypub"


def _host(host) -> Person:
    return Person(host.name, host.role.lower(), host.group.lower(), host.url, host.img)


def item_persons(podcast: Podcast, item: BuiltEpisode) -> list[Person]:
    """The hosts, then everyone who speaks: item persons replace the channel's in apps."""
    persons: list[Person] = []
    speakers = {s.name for s in item.episode.meta.speakers}
    for host in podcast.config.hosts:
        if host.name not in speakers:
            persons.append(_host(host))
    for speaker in item.episode.meta.speakers:
        role, group = TAXONOMY.get(speaker.role, (speaker.role, speaker.group))
        if speaker.group and speaker.group != "cast":
            group = speaker.group.lower()  # written by the user: kept
        persons.append(Person(speaker.name, role, group, speaker.url, speaker.img))
    return persons


_LAST_BUILD = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


class FeedCache:
    """What is slow to make for a large feed, made once and kept across builds in `.cache/`.

    Show notes rendered from Markdown (HTML for content:encoded, plain text for description),
    keyed by the notes' digest; SRI digests of finished media, keyed by path, size and time
    (finished media in the cache are never changed in place). Only what the last build used is kept.
    """

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / "feed-cache.json"
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.notes, self.digests = dict(saved["notes"]), dict(saved["digests"])
        except (OSError, ValueError, KeyError, TypeError):
            self.notes, self.digests = {}, {}
        self.used: set[str] = set()
        self.added = False

    def render(self, markdown: str) -> tuple[str, str]:
        key = hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        if key not in self.notes:
            self.notes[key] = [notes.to_html(markdown), notes.to_text(markdown)]
            self.added = True
        html, text = self.notes[key]
        return html, text

    def sri(self, path: Path) -> str:
        stat = path.stat()
        key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
        self.used.add(key)
        if key not in self.digests:
            self.digests[key] = sri_sha256(path)
            self.added = True
        return self.digests[key]

    def save(self) -> None:
        if not self.added and self.used >= set(self.notes) | set(self.digests):
            return
        kept = {
            "notes": {k: v for k, v in sorted(self.notes.items()) if k in self.used},
            "digests": {k: v for k, v in sorted(self.digests.items()) if k in self.used},
        }
        try:
            write_atomically(self.path, json.dumps(kept, ensure_ascii=False))
        except OSError as exc:
            log.warning("cannot keep the feed cache in %s: %s", self.path, exc)


def _item(fg: FeedGenerator, podcast: Podcast, item: BuiltEpisode, cache: FeedCache) -> None:
    config = podcast.config
    base = config.base_url
    episode, meta = item.episode, item.episode.meta
    slug = episode.slug
    entry = fg.add_entry(order="append")
    entry.guid(meta.guid, permalink=False)
    entry.title(meta.title)
    entry.link(href=paths.absolute(base, item.page))
    html, text = cache.render(episode.notes)
    language = config.language.split("-")[0]
    # Chapters as "00:00:00 Title" lines at the end of the description (Spotify, Apple, YouTube read them),
    # kept whole: the summary is shortened to leave them room. <description> is HTML for every reader:
    # plain text goes in escaped (or "<A" would become a tag), lines are broken with <br>.
    lines = chapter_lines(item, language)
    block = "".join("<br>\n" + escape_html(line, quote=False) for line in lines)
    block = "<br>" + block if block else ""
    summary = notes.shorten_utf8(meta.summary or text, DESCRIPTION_LIMIT - len(block.encode("utf-8")) - 16)
    entry.description(escape_html(summary, quote=False) + block)
    if lines:
        html += "\n<p>" + "<br>\n".join(escape_html(line, quote=False) for line in lines) + "</p>"
    if is_draft(item):
        notice = DRAFT_NOTICE.get(language, DRAFT_NOTICE["en"])
        html += f'\n<p><a href="{escape_html(paths.absolute(base, paths.transcript_page(slug)))}">{escape_html(notice)}</a></p>'
    entry.content(html, type="CDATA")
    main = item.main
    entry.enclosure(paths.absolute(base, main.name), str(main.size), main.mime)
    entry.published(episode.published)
    itunes = entry.podcast
    itunes.itunes_duration(round(main.duration))
    itunes.itunes_episode_type(meta.episode_type)
    if meta.season:
        itunes.itunes_season(meta.season)
    if meta.episode:
        itunes.itunes_episode(meta.episode)

    data = getattr(entry, EXTENSION_NAME).data
    data.explicit = config.explicit if meta.explicit is None else meta.explicit
    data.season, data.episode = meta.season, meta.episode
    data.persons = item_persons(podcast, item)
    data.location = _location(meta.venue, "creator") if meta.venue else None
    chapters = published_chapters(item)
    if chapters:
        data.chapters_url = paths.absolute(base, paths.chapters_file(slug))
    data.simple_chapters = [SimpleChapter(c.start, c.title, c.url) for c in chapters]
    if episode.transcript is not None:
        for extension in ("vtt", "srt"):
            data.transcripts.append(
                Transcript(
                    url=paths.absolute(base, paths.transcript_file(slug, extension)),
                    mime=TRANSCRIPT_TYPES["." + extension],
                    language=config.language,
                    rel="captions" if extension == "vtt" else None,
                )
            )
    for bite in meta.soundbites:
        start = item.published_time(bite.start)
        duration = min(float(bite.duration), item.audio.duration - start)
        if duration > 0:
            data.soundbites.append(Soundbite(start, duration, bite.title or ""))
    if episode.cover is not None:
        data.image = paths.absolute(base, paths.episode_feed_cover_file(slug))
    if meta.discussion:
        data.social = [SocialInteract(meta.discussion, social_protocol(meta.discussion))]
    # An episode's own licence, when it is one apps can name without a link (a custom one would need its url).
    data.licence = licence_of(meta.license) if meta.license and licence_identity(meta.license) else None
    for fmt, media in item.alternates:
        data.alternates.append(
            AlternateEnclosure(
                mime=media.mime,
                length=media.size,
                bitrate=round(media.size * 8 / media.duration) if media.duration else 0,
                sources=(paths.absolute(base, media.name),),
                integrity=cache.sri(media.path),
                codecs=fmt.codecs,
                title=fmt.label,
            )
        )


def newest_date(built: list[BuiltEpisode]) -> dt.datetime:
    return max((b.episode.published for b in built), default=EPOCH)


def build_feeds(
    podcast: Podcast, built: list[BuiltEpisode], updated: dt.datetime | None = None, cache: FeedCache | None = None
) -> dict[str, bytes]:
    """{site path: RSS bytes}: feed.xml, and archive pages when `feed_limit` cuts the list.

    `built` is newest first. `updated` is the lastBuildDate (default: the newest episode's date).
    """
    cache = cache or FeedCache(podcast.root)
    updated = updated or newest_date(built)
    limit = podcast.config.feed_limit or max(len(built), 1)
    chunks = [built[i : i + limit] for i in range(0, len(built), limit)] or [[]]
    feeds = {}
    for number, chunk in enumerate(chunks, start=1):
        fg = _channel(podcast, number, len(chunks), updated)
        getattr(fg, EXTENSION_NAME).data.trailers = trailers(podcast, built)
        for item in chunk:
            _item(fg, podcast, item, cache)
        feeds[feed_page(number)] = fg.rss_str(pretty=True)
    cache.save()
    log.info("feed with %d episodes in %d page(s)", len(built), len(chunks))
    return feeds


def with_last_build(feed: bytes, when: dt.datetime) -> bytes:
    """`feed` with `when` as its lastBuildDate, written as feedgen writes it (RFC 2822, C locale)."""
    return _LAST_BUILD.sub(b"<lastBuildDate>" + format_datetime(when).encode("ascii") + b"</lastBuildDate>", feed, count=1)


@dataclass
class Feed:
    """What the feed step made: its files ({site path: bytes}: feed pages, chapters, transcripts) and its state."""

    files: dict[str, bytes]
    sidecars: dict[str, bytes]
    """The chapters and transcript files among `files` (the pages show the transcripts' sizes)."""
    state: tuple[str, dt.datetime]
    """(content digest, lastBuildDate), for published-feed.json."""


def render(podcast: Podcast, built: list[BuiltEpisode], published: identity.Published, cache: FeedCache | None = None,
           now: dt.datetime | None = None) -> Feed:
    """The build's feed step: chapters and transcripts, then the feed pages, as files.

    `published.feed_state` (published-feed.json) decides the lastBuildDate: it moves only when the content does."""
    language = podcast.config.language.split("-")[0]
    sidecars = {name: data for item in built for name, data in sidecar_files(item, language).items()}
    cache = cache or FeedCache(podcast.root)
    newest = newest_date(built)
    feeds = build_feeds(podcast, built, newest, cache=cache)
    digest = identity.feed_content_digest(feeds)
    changed = identity.feed_changed_at(published.feed_state, digest, newest, now or dt.datetime.now(dt.timezone.utc))
    if changed != newest:  # only the date differs: set it in the text rather than making the feed again
        feeds = {name: with_last_build(data, changed) for name, data in feeds.items()}
    return Feed(files={**sidecars, **feeds}, sidecars=sidecars, state=(digest, changed))


def check(podcast: Podcast, built: list[BuiltEpisode], files: Mapping[str, bytes], cache: FeedCache) -> list[Problem]:
    """Every violation in the feed pages among `files` (what the build is about to write), checked against those
    files and the finished media; the media's integrity digests come from the cache."""
    media = {m.name: m.path for b in built for m in b.media.values()}
    return check_feeds(FilesSite(files, media, sri_of=cache.sri), podcast.config.base_url)
