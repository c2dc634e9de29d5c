"""The Podcasting 2.0 namespace as a feedgen extension (feedgen has none).

Registered under the name `podcastindex` (feedgen's iTunes extension already
owns `podcast`). The channel and each item keep plain data; `extend_rss`
writes it as `podcast:` elements, with the literal prefix `podcast` that
some parsers (podcast-partytime) match on. It also writes `itunes:explicit`
as true/false, which feedgen's iTunes extension cannot, and Podlove Simple
Chapters (`psc:chapters`, the only chapters Spotify reads besides timestamps
in the description).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.etree  # noqa: F401  (feedgen.ext.base uses lxml.etree without importing it)
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from pipeline.textfmt import EXACT, clock

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
PSC_NS = "http://podlove.org/simple-chapters"
PSC_VERSION = "1.2"
EXTENSION_NAME = "podcastindex"


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    group: str
    href: str | None = None
    img: str | None = None


@dataclass(frozen=True)
class Location:
    name: str
    geo: str | None = None
    """Latitude,longitude; written as a geo: URI."""
    osm: str | None = None
    country: str | None = None
    rel: str | None = None
    """"creator" (where it was recorded) or "subject" (what it is about)."""


@dataclass(frozen=True)
class Licence:
    identifier: str
    url: str | None = None


@dataclass(frozen=True)
class Transcript:
    url: str
    mime: str
    language: str
    rel: str | None = None


@dataclass(frozen=True)
class SimpleChapter:
    start: float
    title: str
    href: str | None = None


def npt(seconds: float) -> str:
    """A Podlove Simple Chapters time: HH:MM:SS.mmm."""
    return clock(seconds, EXACT)


@dataclass(frozen=True)
class Soundbite:
    start: float
    duration: float
    title: str = ""


@dataclass(frozen=True)
class AlternateEnclosure:
    mime: str
    length: int
    bitrate: int
    sources: tuple[str, ...]
    integrity: str | None = None
    """Subresource Integrity string, e.g. sha256-…"""
    codecs: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class RemoteItem:
    feed_guid: str
    feed_url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Trailer:
    title: str
    url: str
    pubdate: str
    """RFC 2822."""
    length: int
    mime: str
    season: int | None = None


@dataclass(frozen=True)
class Image:
    href: str
    alt: str | None
    width: int
    height: int
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class SocialInteract:
    uri: str
    protocol: str = "activitypub"


def _number(value: float) -> str:
    """Seconds as the shortest exact decimal: 12, 12.5, 12.345."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _sub(parent, tag: str, text: str | None = None, ns: str = PODCAST_NS, **attributes: str | None):
    element = xml_elem("{%s}%s" % (ns, tag), parent)
    for name, value in attributes.items():
        if value is not None:
            element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _person(parent, person: Person) -> None:
    _sub(parent, "person", person.name, role=person.role, group=person.group, href=person.href, img=person.img)


def _location(parent, location: Location) -> None:
    geo = "geo:" + location.geo.replace(" ", "") if location.geo else None
    _sub(parent, "location", location.name, rel=location.rel, geo=geo, osm=location.osm, country=location.country)


def _licence(parent, licence: Licence) -> None:
    _sub(parent, "license", licence.identifier, url=licence.url)


@dataclass
class ChannelData:
    guid: str | None = None
    explicit: bool = False
    locked_owner: str | None = None
    locked: bool | None = None
    medium: str | None = None
    persons: list[Person] = field(default_factory=list)
    licence: Licence | None = None
    funding: list[tuple[str, str]] = field(default_factory=list)
    location: Location | None = None
    paging: list[tuple[str, str]] = field(default_factory=list)
    """RFC 5005 links (rel, href): first, previous, next, last; written as atom:link."""
    txt: list[tuple[str, str]] = field(default_factory=list)
    """(purpose, value): podcast:txt, e.g. ("applepodcastsverify", code)."""
    image: Image | None = None
    update_frequency: tuple[str, str | None, bool] | None = None
    """(text, iCalendar rule, complete)."""
    podroll: list[RemoteItem] = field(default_factory=list)
    trailers: list[Trailer] = field(default_factory=list)


@dataclass
class ItemData:
    explicit: bool = False
    persons: list[Person] = field(default_factory=list)
    location: Location | None = None
    chapters_url: str | None = None
    transcripts: list[Transcript] = field(default_factory=list)
    soundbites: list[Soundbite] = field(default_factory=list)
    season: int | None = None
    episode: int | None = None
    licence: Licence | None = None
    alternates: list[AlternateEnclosure] = field(default_factory=list)
    image: str | None = None
    """The episode's own cover (itunes:image at item level)."""
    social: list[SocialInteract] = field(default_factory=list)
    simple_chapters: list[SimpleChapter] = field(default_factory=list)


class PodcastIndexExtension(BaseExtension):
    """Channel-level `podcast:` tags, and `itunes:explicit` as true/false."""

    def __init__(self):
        self.data = ChannelData()

    def extend_ns(self):
        return {"podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        data = self.data
        for rel, href in data.paging:
            _sub(channel, "link", ns=ATOM_NS, rel=rel, href=href, type="application/rss+xml")
        _sub(channel, "explicit", "true" if data.explicit else "false", ns=ITUNES_NS)
        if data.guid:
            _sub(channel, "guid", data.guid)
        if data.locked is not None:
            _sub(channel, "locked", "yes" if data.locked else "no", owner=data.locked_owner)
        if data.medium:
            _sub(channel, "medium", data.medium)
        for person in data.persons:
            _person(channel, person)
        if data.licence:
            _licence(channel, data.licence)
        for url, text in data.funding:
            _sub(channel, "funding", text, url=url)
        if data.location:
            _location(channel, data.location)
        for purpose, value in data.txt:
            _sub(channel, "txt", value, purpose=purpose)
        if data.image:
            image = data.image
            _sub(channel, "image", href=image.href, alt=image.alt, width=str(image.width), height=str(image.height), type=image.mime, purpose="artwork")
        if data.update_frequency:
            text, rule, complete = data.update_frequency
            _sub(channel, "updateFrequency", text, rrule=rule, complete="true" if complete else None)
        for trailer in data.trailers:
            _sub(channel, "trailer", trailer.title, pubdate=trailer.pubdate, url=trailer.url, length=str(trailer.length), type=trailer.mime, season=str(trailer.season) if trailer.season else None)
        if data.podroll:
            podroll = _sub(channel, "podroll")
            for remote in data.podroll:
                _sub(podroll, "remoteItem", feedGuid=remote.feed_guid, feedUrl=remote.feed_url, title=remote.title)
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level `podcast:` tags, and `itunes:explicit` as true/false."""

    def __init__(self):
        self.data = ItemData()

    def extend_ns(self):
        return {"podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, item):
        data = self.data
        _sub(item, "explicit", "true" if data.explicit else "false", ns=ITUNES_NS)
        if data.season is not None:
            _sub(item, "season", str(data.season))
        if data.episode is not None:
            _sub(item, "episode", str(data.episode))
        for person in data.persons:
            _person(item, person)
        if data.location:
            _location(item, data.location)
        if data.chapters_url:
            _sub(item, "chapters", url=data.chapters_url, type="application/json+chapters")
        for transcript in data.transcripts:
            _sub(item, "transcript", url=transcript.url, type=transcript.mime, language=transcript.language, rel=transcript.rel)
        for bite in data.soundbites:
            _sub(item, "soundbite", bite.title or None, startTime=_number(bite.start), duration=_number(bite.duration))
        if data.licence:
            _licence(item, data.licence)
        if data.image:
            _sub(item, "image", ns=ITUNES_NS, href=data.image)
        for social in data.social:
            _sub(item, "socialInteract", uri=social.uri, protocol=social.protocol)
        for alternate in data.alternates:
            element = _sub(
                item,
                "alternateEnclosure",
                type=alternate.mime,
                length=str(alternate.length),
                bitrate=str(alternate.bitrate),
                codecs=alternate.codecs,
                title=alternate.title,
            )
            for uri in alternate.sources:
                _sub(element, "source", uri=uri)
            if alternate.integrity:
                _sub(element, "integrity", type="sri", value=alternate.integrity)
        if data.simple_chapters:
            chapters = _sub(item, "chapters", ns=PSC_NS, version=PSC_VERSION)
            for chapter in data.simple_chapters:
                _sub(chapters, "chapter", ns=PSC_NS, start=npt(chapter.start), title=chapter.title, href=chapter.href)
        return item
