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
import io
import re
from email.utils import format_datetime
from html import escape as escape_html
import json
import logging
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from typing import IO, cast
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from pipeline.plain import plain
from pipeline.fsutil import pieces, write_atomically, writing_atomically
from pipeline import identity, paths
from pipeline.source import notes
from pipeline.audio.cache import CACHE_DIR
from pipeline.media import images
from pipeline.source.config import licence_identity, podcast_guid
from pipeline.errors import PortevoixError, Problem
from pipeline.feed import items, sidecar_memo
from pipeline.feed.checks import FilesSite, check_feeds, checks_version, sri_sha256
from pipeline.feed.podcasting import (
    EXTENSION_NAME,
    ItemData,
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
    (finished media in the cache are never changed in place); the items' texts (`items`, see
    feed/items.py); the proofs of the items that passed the build's checks (`checked`: an item
    and the files it points to, see `check`). Only what the last build used is kept.
    """

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / "feed-cache.json"
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.notes, self.digests = dict(saved["notes"]), dict(saved["digests"])
            self.checked = set(saved.get("checked", []))
        except (OSError, ValueError, KeyError, TypeError):
            self.notes, self.digests, self.checked = {}, {}, set()
        self.items = items.ItemStore(root)
        self.used: set[str] = set()
        self.proved: set[str] = set()
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

    def passed(self, proofs: set[str]) -> None:
        """The items of these proofs passed the checks of this build: the next one need not run them again."""
        self.added = self.added or not proofs <= self.checked
        self.proved = proofs

    def save(self) -> None:
        self.items.prune()
        if not self.added and self.used >= set(self.notes) | set(self.digests) and self.proved >= self.checked:
            return
        kept = {
            "notes": {k: v for k, v in sorted(self.notes.items()) if k in self.used},
            "digests": {k: v for k, v in sorted(self.digests.items()) if k in self.used},
            "checked": sorted(self.proved),
        }
        try:
            write_atomically(self.path, json.dumps(kept, ensure_ascii=False))
        except OSError as exc:
            log.warning("cannot keep the feed cache in %s: %s", self.path, exc)


def item_view(podcast: Podcast, item: BuiltEpisode, cache: FeedCache) -> dict:
    """Every value the episode's <item> shows, as plain JSON data: the item is made from it alone
    (fill_entry), and its digest is the key of the item's cached text (feed/items.py)."""
    config = podcast.config
    base = config.base_url
    episode, meta = item.episode, item.episode.meta
    slug = episode.slug
    html, text = cache.render(episode.notes)
    language = config.language.split("-")[0]
    # Chapters as "00:00:00 Title" lines at the end of the description (Spotify, Apple, YouTube read them),
    # kept whole: the summary is shortened to leave them room. <description> is HTML for every reader:
    # plain text goes in escaped (or "<A" would become a tag), lines are broken with <br>.
    lines = chapter_lines(item, language)
    block = "".join("<br>\n" + escape_html(line, quote=False) for line in lines)
    block = "<br>" + block if block else ""
    summary = notes.shorten_utf8(meta.summary or text, DESCRIPTION_LIMIT - len(block.encode("utf-8")) - 16)
    if lines:
        html += "\n<p>" + "<br>\n".join(escape_html(line, quote=False) for line in lines) + "</p>"
    if is_draft(item):
        notice = DRAFT_NOTICE.get(language, DRAFT_NOTICE["en"])
        html += f'\n<p><a href="{escape_html(paths.absolute(base, paths.transcript_page(slug)))}">{escape_html(notice)}</a></p>'
    main = item.main
    chapters = published_chapters(item)
    transcript_files = []
    if episode.transcript is not None:
        transcript_files = [
            Transcript(url=paths.absolute(base, paths.transcript_file(slug, extension)), mime=TRANSCRIPT_TYPES["." + extension],
                       language=config.language, rel="captions" if extension == "vtt" else None)
            for extension in ("vtt", "srt")
        ]
    bites = []
    for bite in meta.soundbites:
        start = item.published_time(bite.start)
        duration = min(float(bite.duration), item.audio.duration - start)
        if duration > 0:
            bites.append(Soundbite(start, duration, bite.title or ""))
    alternates = [
        AlternateEnclosure(
            mime=media.mime,
            length=media.size,
            bitrate=round(media.size * 8 / media.duration) if media.duration else 0,
            sources=(paths.absolute(base, media.name),),
            integrity=cache.sri(media.path),
            codecs=fmt.codecs,
            title=fmt.label,
        )
        for fmt, media in item.alternates
    ]
    data = ItemData(
        explicit=config.explicit if meta.explicit is None else meta.explicit,
        persons=item_persons(podcast, item),
        location=_location(meta.venue, "creator") if meta.venue else None,
        chapters_url=paths.absolute(base, paths.chapters_file(slug)) if chapters else None,
        transcripts=transcript_files,
        soundbites=bites,
        season=meta.season,
        episode=meta.episode,
        # An episode's own licence, when it is one apps can name without a link (a custom one would need its url).
        licence=licence_of(meta.license) if meta.license and licence_identity(meta.license) else None,
        alternates=alternates,
        image=paths.absolute(base, paths.episode_feed_cover_file(slug)) if episode.cover is not None else None,
        social=[SocialInteract(meta.discussion, social_protocol(meta.discussion))] if meta.discussion else [],
        simple_chapters=[SimpleChapter(c.start, c.title, c.url) for c in chapters],
    )
    return {
        "guid": meta.guid,
        "title": meta.title,
        "link": paths.absolute(base, item.page),
        "description": escape_html(summary, quote=False) + block,
        "content": html,
        "enclosure": [paths.absolute(base, main.name), str(main.size), main.mime],
        "published": episode.published.isoformat(),
        "duration": round(main.duration),
        "episode_type": meta.episode_type,
        "season": meta.season,
        "episode": meta.episode,
        "data": plain(data),
    }


def fill_entry(entry, view: dict) -> None:
    """Write `view` (item_view) into the feedgen entry: what the <item> holds comes from it alone."""
    entry.guid(view["guid"], permalink=False)
    entry.title(view["title"])
    entry.link(href=view["link"])
    entry.description(view["description"])
    entry.content(view["content"], type="CDATA")
    entry.enclosure(*view["enclosure"])
    entry.published(dt.datetime.fromisoformat(view["published"]))
    itunes = entry.podcast
    itunes.itunes_duration(view["duration"])
    itunes.itunes_episode_type(view["episode_type"])
    if view["season"]:
        itunes.itunes_season(view["season"])
    if view["episode"]:
        itunes.itunes_episode(view["episode"])
    getattr(entry, EXTENSION_NAME).data = item_data(view["data"])


def item_data(values: dict) -> ItemData:
    """ItemData back from its plain form (dataclasses.asdict, read back from JSON)."""
    def one(kind, value):
        return None if value is None else kind(**value)

    return ItemData(
        explicit=values["explicit"],
        persons=[Person(**p) for p in values["persons"]],
        location=one(Location, values["location"]),
        chapters_url=values["chapters_url"],
        transcripts=[Transcript(**t) for t in values["transcripts"]],
        soundbites=[Soundbite(**b) for b in values["soundbites"]],
        season=values["season"],
        episode=values["episode"],
        licence=one(Licence, values["licence"]),
        alternates=[AlternateEnclosure(**{**a, "sources": tuple(a["sources"])}) for a in values["alternates"]],
        image=values["image"],
        social=[SocialInteract(**s) for s in values["social"]],
        simple_chapters=[SimpleChapter(**c) for c in values["simple_chapters"]],
    )


def referenced(view: dict, base: str) -> list[str]:
    """Site paths of the files the item points to (its media, chapters, transcripts, cover): what its checks read."""
    data = view["data"]
    urls = [view["enclosure"][0], data["chapters_url"], data["image"], *(t["url"] for t in data["transcripts"]),
            *(uri for a in data["alternates"] for uri in a["sources"])]
    return [url[len(base):] for url in urls if url and url.startswith(base)]


def newest_date(built: list[BuiltEpisode]) -> dt.datetime:
    return max((b.episode.published for b in built), default=EPOCH)


def build_feeds(
    podcast: Podcast, built: list[BuiltEpisode], updated: dt.datetime | None = None, cache: FeedCache | None = None
) -> dict[str, bytes]:
    """{site path: RSS bytes}: feed.xml, and archive pages when `feed_limit` cuts the list.

    `built` is newest first. `updated` is the lastBuildDate (default: the newest episode's date).
    Each item is made from its view only when the cache's store does not hold it already (feed/items.py);
    `cache` (default: the podcast's, saved here) is saved by the caller.
    """
    own = cache is None
    cache = cache or FeedCache(podcast.root)
    pages = FeedPages(podcast, built, updated, cache).pages
    if own:
        cache.save()
    return pages


PAGES_FOLDER = "feed-pages"
"""The cache's folder where a build writes its feed pages (see FeedPages), until they are checked and written."""


class FeedPages:
    """The feed pages of `built` (newest first), made item by item: {site path: bytes} in `pages`, and for each
    item its guid, key and the site paths it points to in `keys` (what the checks of a build need).

    `folder`: the pages are written into files there instead, {site path: file} in `files` (`pages` stays
    empty): a build's feed of ten thousand episodes is 23 MB, which was held from the feed step to its writing,
    the build's peak included. What the folder held before is removed (a build's own scratch files)."""

    def __init__(self, podcast: Podcast, built: list[BuiltEpisode], updated: dt.datetime | None, cache: FeedCache,
                 folder: Path | None = None):
        store = cache.items
        updated = updated or newest_date(built)
        limit = podcast.config.feed_limit or max(len(built), 1)
        chunks = [built[i : i + limit] for i in range(0, len(built), limit)] or [[]]
        self.pages: dict[str, bytes] = {}
        self.files: dict[str, Path] = {}
        self.keys: dict[str, tuple[str, list[str]]] = {}
        if folder is not None:
            _clear_folder(folder)
        maker = FeedGenerator()  # makes one entry at a time, with the extensions' namespaces and data
        maker.load_extension("podcast")
        maker.register_extension(EXTENSION_NAME, PodcastIndexExtension, PodcastIndexEntryExtension, atom=False)
        all_trailers = trailers(podcast, built)
        for number, chunk in enumerate(chunks, start=1):
            fg = _channel(podcast, number, len(chunks), updated)
            getattr(fg, EXTENSION_NAME).data.trailers = all_trailers
            head, tail, nsmap = items.channel_parts(fg.rss_str(pretty=True))
            name = feed_page(number)
            write = partial(self._write, podcast, chunk, cache, maker, head, tail, nsmap)
            if folder is None:
                buffer = io.BytesIO()
                write(buffer)
                self.pages[name] = buffer.getvalue()
            else:
                with _open_page(folder / name) as page:
                    write(page)
                self.files[name] = folder / name
        log.info("feed with %d episodes in %d page(s), %d item(s) made", len(built), len(chunks), store.made)

    def _write(self, podcast: Podcast, chunk: list[BuiltEpisode], cache: FeedCache, maker: FeedGenerator, head: bytes, tail: bytes,
               nsmap: dict, page: IO[bytes]) -> None:
        """One feed page into `page`, piece by piece: the items' texts are not all held beside the page."""
        page.write(head)
        for item in chunk:
            view = item_view(podcast, item, cache)
            key = items.item_key(view)
            self.keys[view["guid"]] = (key, referenced(view, podcast.config.base_url))
            page.write(cache.items.text(key, partial(_item_text, maker, view, nsmap)))
        page.write(tail)


def _clear_folder(folder: Path) -> None:
    """Make `folder` (in the cache) an empty folder for this build's feed pages."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            if old.is_file() or old.is_symlink():
                old.unlink()
    except OSError as exc:
        raise PortevoixError(Problem(str(folder), str(exc))) from None


def _open_page(path: Path) -> IO[bytes]:
    try:
        return open(path, "wb")
    except OSError as exc:
        raise PortevoixError(Problem(str(path), str(exc))) from None


def _item_text(maker: FeedGenerator, view: dict, nsmap: dict) -> bytes:
    entry = maker.add_entry(order="append")
    try:
        fill_entry(entry, view)
        return items.item_text(entry.rss_entry(), nsmap)
    finally:
        maker.remove_entry(entry)


def with_last_build(feed: bytes, when: dt.datetime) -> bytes:
    """`feed` with `when` as its lastBuildDate, written as feedgen writes it (RFC 2822, C locale)."""
    return _LAST_BUILD.sub(b"<lastBuildDate>" + format_datetime(when).encode("ascii") + b"</lastBuildDate>", feed, count=1)


def with_last_build_file(path: Path, when: dt.datetime) -> None:
    """`with_last_build` on the feed page in the file `path`, read and written in pieces cut before each <item>
    (no <item> can begin inside a lastBuildDate), replaced in one rename."""
    stamp = b"<lastBuildDate>" + format_datetime(when).encode("ascii") + b"</lastBuildDate>"
    done = False
    with writing_atomically(path) as out:
        for piece in pieces(path, b"<item>"):
            if not done:
                piece, found = _LAST_BUILD.subn(stamp, piece, count=1)
                done = found > 0
            out.write(piece)


@dataclass
class Feed:
    """What the feed step made: its files ({site path: bytes}: feed pages, chapters, transcripts) and its state."""

    files: Mapping[str, bytes]
    sidecars: Mapping[str, bytes]
    """The chapters and transcript files among `files` (the pages show the transcripts' sizes)."""
    state: tuple[str, dt.datetime]
    """(content digest, lastBuildDate), for published-feed.json."""
    keys: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """{guid: (the key of its item's text, the site paths it points to)} (FeedPages.keys), for `check`."""
    pages: dict[str, Path] = field(default_factory=dict)
    """The feed pages written into files (render's `folder`): {site path: file}, not among `files`."""


def feed_sidecars(podcast: Podcast, built: list[BuiltEpisode], memo: sidecar_memo.Memo | None = None) -> Mapping[str, bytes]:
    """{site path: bytes} of the episodes' chapters and transcript files, as the feed points to them; with `memo`,
    a transcript's files are made only when their bytes are asked for, if they were made before (sidecar_memo.py)."""
    language = podcast.config.language.split("-")[0]
    if memo is not None:
        return sidecar_memo.SidecarFiles(built, language, memo)
    return {name: data for item in built for name, data in sidecar_files(item, language).items()}


def render(podcast: Podcast, built: list[BuiltEpisode], published: identity.Published, cache: FeedCache | None = None,
           now: dt.datetime | None = None, folder: Path | None = None, sidecars: Mapping[str, bytes] | None = None) -> Feed:
    """The build's feed step: chapters and transcripts, then the feed pages, as files.

    `published.feed_state` (published-feed.json) decides the lastBuildDate: it moves only when the content does.
    `cache` (default: the podcast's, saved here) is saved by the caller once the feed is checked. `folder`: the
    feed pages are written into files there (Feed.pages, see FeedPages), not held as bytes among Feed.files.
    `sidecars`: feed_sidecars' files, when already made (the build makes them first: the pages show their sizes)."""
    if sidecars is None:
        sidecars = feed_sidecars(podcast, built)
    own = cache is None
    cache = cache or FeedCache(podcast.root)
    newest = newest_date(built)
    made = FeedPages(podcast, built, newest, cache=cache, folder=folder)
    feeds = made.pages
    digest = identity.feed_content_digest(made.files if folder is not None else feeds)
    changed = identity.feed_changed_at(published.feed_state, digest, newest, now or dt.datetime.now(dt.timezone.utc))
    if changed != newest:  # only the date differs: set it in the text rather than making the feed again
        feeds = {name: with_last_build(data, changed) for name, data in feeds.items()}
        for path in made.files.values():
            with_last_build_file(path, changed)
    if own:
        cache.save()
    files = ChainMap(feeds, cast(MutableMapping[str, bytes], sidecars))  # read, never written: the sidecars not copied (made when read)
    return Feed(files=files, sidecars=sidecars, state=(digest, changed), keys=made.keys, pages=made.files)


def check(podcast: Podcast, built: list[BuiltEpisode], files: Mapping[str, bytes], cache: FeedCache,
          keys: Mapping[str, tuple[str, list[str]]] | None = None, on_disk: Mapping[str, Path] | None = None,
          known: Callable[[str], tuple[int, str] | None] | None = None) -> list[Problem]:
    """Every violation in the feed pages among `files` (what the build is about to write), checked against those
    files and the finished media; the media's integrity digests come from the cache.

    `keys` (Feed.keys): an item whose text and the files it points to are as when it last passed (its proof,
    remembered in `cache`) is not checked again; when every item passes, their proofs are remembered. `on_disk`:
    files about to be written that are in files, not among `files` (Feed.pages), read as streams. `known(name)`:
    the size and SHA-256 of a file among `files` whose bytes are made only when read (sidecar_memo.SidecarFiles)."""
    media = {m.name: m.path for b in built for m in b.media.values()}
    site = FilesSite(files, media, sri_of=cache.sri, on_disk=on_disk, known=known)
    rules = checks_version()
    proofs = {}
    for guid, (key, names) in (keys or {}).items():
        proof = hashlib.sha256(f"{rules}\0{key}".encode())
        for name in names:
            proof.update(f"\0{name}\0{site.fingerprint(name)}".encode())
        proofs[guid] = proof.hexdigest()
    problems = check_feeds(site, podcast.config.base_url, trusted=lambda guid: proofs.get(guid, "") in cache.checked)
    if not problems:
        cache.passed(set(proofs.values()))
    return problems
