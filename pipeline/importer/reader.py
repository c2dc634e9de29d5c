"""Reading an existing podcast feed (RSS 2.0 with iTunes, Podcasting 2.0, Podlove Simple Chapters) into plain data.

Only what portevoix can carry over is read; everything is kept as the feed wrote it
(the GUIDs exactly). Both Podcasting 2.0 namespace URIs are read (the official one and
the older GitHub address many generators still write). Nothing is fetched here.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.errors import PortevoixError, Problem

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_URIS = ("https://podcastindex.org/namespace/1.0", "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md")
PSC = "http://podlove.org/simple-chapters"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
GOOGLEPLAY = "http://www.google.com/schemas/play-podcasts/1.0"

MAX_FEED_BYTES = 50 * 1024 * 1024


@dataclass
class Person:
    name: str
    role: str = ""
    group: str = ""
    href: str | None = None
    img: str | None = None


@dataclass
class Place:
    name: str
    geo: str | None = None
    osm: str | None = None


@dataclass
class Chapter:
    start: float
    title: str
    url: str | None = None


@dataclass
class Link:
    url: str
    type: str = ""


@dataclass
class FeedEpisode:
    guid: str
    title: str
    published: dt.datetime
    enclosure: Link
    length: int
    notes_html: str = ""
    summary: str = ""
    duration: float | None = None
    season: int | None = None
    number: int | None = None
    episode_type: str = "full"
    explicit: bool | None = None
    image: str | None = None
    persons: list[Person] = field(default_factory=list)
    location: Place | None = None
    licence: str | None = None
    chapters_url: Link | None = None
    chapters: list[Chapter] = field(default_factory=list)
    """Podlove Simple Chapters written in the feed itself."""
    transcripts: list[Link] = field(default_factory=list)


@dataclass
class FeedPodcast:
    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    language: str
    link: str
    feed_url: str
    """The feed's own address (atom:link rel="self"), or where it was read from."""
    image: str | None
    categories: list[str]
    explicit: bool
    type: str
    guid: str | None
    locked: bool
    locked_owner: str | None
    generator: str
    persons: list[Person] = field(default_factory=list)
    funding: list[tuple[str, str]] = field(default_factory=list)
    location: Place | None = None
    licence: str | None = None
    episodes: list[FeedEpisode] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    """One line for each item that cannot become an episode (no enclosure…)."""


def _children(element, tag: str, namespaces: tuple[str, ...]):
    for namespace in namespaces:
        yield from element.iterfind(f"{{{namespace}}}{tag}")


def _first(element, tag: str, namespaces: tuple[str, ...] = ("",)):
    for child in _children(element, tag, namespaces):
        return child
    return None


def _text(element, tag: str, namespaces: tuple[str, ...] = ("",)) -> str:
    child = _first(element, tag, namespaces) if namespaces != ("",) else element.find(tag)
    if child is None or child.text is None:
        return ""
    return child.text.strip()


def _podcast(element, tag: str):
    return _first(element, tag, PODCAST_URIS)


def _podcasts(element, tag: str):
    return list(_children(element, tag, PODCAST_URIS))


def _yes(text: str) -> bool | None:
    value = text.strip().lower()
    if value in ("yes", "true", "explicit"):
        return True
    if value in ("no", "false", "clean"):
        return False
    return None


def _integer(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else None


def parse_clock(text: str) -> float | None:
    """Seconds in "1:02:03.5", "62:03", "3723" or "3723.5"; None when it is none of these."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)", text)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def _date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed


def _persons(element) -> list[Person]:
    persons = []
    for person in _podcasts(element, "person"):
        name = (person.text or "").strip()
        if name:
            role = (person.get("role") or "host").strip().lower()  # the namespace's defaults: host, cast
            persons.append(Person(name, role, (person.get("group") or "cast").strip().lower(), person.get("href"), person.get("img")))
    return persons


def _place(element) -> Place | None:
    location = _podcast(element, "location")
    if location is None or not (location.text or "").strip():
        return None
    geo = location.get("geo", "")
    geo = geo.removeprefix("geo:").split(";")[0] if geo else None
    return Place((location.text or "").strip(), geo or None, location.get("osm"))


def _licence(element) -> str | None:
    licence = _podcast(element, "license")
    return (licence.text or "").strip() or None if licence is not None else None


def _image(element) -> str | None:
    image = _first(element, "image", (ITUNES,))
    if image is not None and image.get("href", "").strip():
        return image.get("href").strip()
    url = element.find("image/url")
    if url is not None and url.text and url.text.strip():
        return url.text.strip()
    return None


def _categories(channel) -> list[str]:
    found = []
    for category in _children(channel, "category", (ITUNES,)):
        parent = (category.get("text") or "").strip()
        if not parent:
            continue
        children = [c.get("text", "").strip() for c in _children(category, "category", (ITUNES,)) if c.get("text", "").strip()]
        found.append(f"{parent} > {children[0]}" if children else parent)
    return found


def _chapters_psc(item) -> list[Chapter]:
    chapters: list[Chapter] = []
    block = _first(item, "chapters", (PSC,))
    if block is None:
        return chapters
    for chapter in _children(block, "chapter", (PSC,)):
        start = parse_clock(chapter.get("start", ""))
        title = (chapter.get("title") or "").strip()
        if start is not None and title:
            chapters.append(Chapter(start, title, chapter.get("href") or None))
    return chapters


def _episode(item, index: int, problems: list[Problem], shown: str) -> FeedEpisode | None:
    title = _text(item, "title") or _text(item, "title", (ITUNES,))
    label = f'item {index} "{title}"' if title else f"item {index}"
    enclosure = item.find("enclosure")
    url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
    if not url:
        problems.append(Problem(shown, "has no enclosure (no audio): it is left out", label))
        return None
    guid = _text(item, "guid") or url
    published = _date(_text(item, "pubDate"))
    if published is None:
        problems.append(Problem(shown, f'has no readable pubDate ("{_text(item, "pubDate")}"): it is left out', label))
        return None
    length_text = (enclosure.get("length") or "").strip()
    notes = _text(item, "encoded", (CONTENT,)) or _text(item, "description") or _text(item, "summary", (ITUNES,))
    duration = parse_clock(_text(item, "duration", (ITUNES,)))
    chapters_link = _podcast(item, "chapters")
    episode = FeedEpisode(
        guid=guid,
        title=title or guid,
        published=published,
        enclosure=Link(url, (enclosure.get("type") or "").strip()),
        length=int(length_text) if length_text.isdigit() else 0,
        notes_html=notes,
        summary=_text(item, "subtitle", (ITUNES,)),
        duration=duration,
        season=_integer(_text(item, "season", PODCAST_URIS) or _text(item, "season", (ITUNES,))),
        number=_integer(_text(item, "episode", PODCAST_URIS) or _text(item, "episode", (ITUNES,))),
        episode_type=(_text(item, "episodeType", (ITUNES,)).lower() or "full"),
        explicit=_yes(_text(item, "explicit", (ITUNES,))),
        image=_image(item),
        persons=_persons(item),
        location=_place(item),
        licence=_licence(item),
        chapters_url=Link(chapters_link.get("url", "").strip(), chapters_link.get("type", "")) if chapters_link is not None and chapters_link.get("url") else None,
        chapters=_chapters_psc(item),
        transcripts=[Link(t.get("url", "").strip(), (t.get("type") or "").strip().lower()) for t in _podcasts(item, "transcript") if t.get("url")],
    )
    if episode.episode_type not in ("full", "trailer", "bonus"):
        episode.episode_type = "full"
    return episode


def _parse_xml(data: bytes, shown: str):
    """(root element, the XML error that was repaired or ""). A cut-short file is refused.

    Podcast apps read feeds with small XML mistakes (an undefined entity, a stray character);
    so does the import, but only for a complete document (one that ends with </rss>).
    """
    strict = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, strict), ""
    except etree.XMLSyntaxError as exc:
        error = f"{exc.msg}"
        if not data.rstrip().endswith(b"</rss>"):
            raise PortevoixError(Problem(shown, f"is not a readable feed: {error}; is the file complete (it does not end with </rss>)?")) from None
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True)
    root = etree.fromstring(data, lenient)
    if root is None:
        raise PortevoixError(Problem(shown, f"is not a readable feed: {error}"))
    return root, error


def parse_feed(data: bytes, shown: str, source: str) -> FeedPodcast:
    """The podcast and its episodes, oldest first. A feed that cannot be read is one problem line."""
    if len(data) > MAX_FEED_BYTES:
        raise PortevoixError(Problem(shown, f"is larger than {MAX_FEED_BYTES // 1024 // 1024} MB: is it really a podcast feed?"))
    root, repaired = _parse_xml(data.lstrip(b"\xef\xbb\xbf").lstrip(), shown)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise PortevoixError(Problem(shown, f"is not an RSS podcast feed (its first element is <{etree.QName(root).localname}>)"))
    problems: list[Problem] = []
    owner = _first(channel, "owner", (ITUNES,))
    self_link = next((link.get("href") for link in _children(channel, "link", (ATOM,)) if link.get("rel") == "self" and link.get("href")), None)
    locked = _podcast(channel, "locked")
    podcast = FeedPodcast(
        title=_text(channel, "title"),
        description=_text(channel, "description") or _text(channel, "summary", (ITUNES,)),
        author=_text(channel, "author", (ITUNES,)) or _text(channel, "managingEditor"),
        owner_name=_text(owner, "name", (ITUNES,)) if owner is not None else "",
        owner_email=_text(owner, "email", (ITUNES,)) if owner is not None else "",
        language=(_text(channel, "language") or "fr").split("-")[0].lower(),
        link=_text(channel, "link"),
        feed_url=(self_link or source).strip(),
        image=_image(channel),
        categories=_categories(channel),
        explicit=bool(_yes(_text(channel, "explicit", (ITUNES,)))),
        type="serial" if _text(channel, "type", (ITUNES,)).lower() == "serial" else "episodic",
        guid=(_podcast(channel, "guid").text or "").strip() or None if _podcast(channel, "guid") is not None else None,
        locked=locked is not None and _yes(locked.text or "") is True,
        locked_owner=(locked.get("owner") or "").strip() or None if locked is not None else None,
        generator=_text(channel, "generator"),
        persons=_persons(channel),
        funding=[(f.get("url", "").strip(), (f.text or "").strip()) for f in _podcasts(channel, "funding") if f.get("url")],
        location=_place(channel),
        licence=_licence(channel),
    )
    if repaired:
        podcast.skipped.append(Problem(shown, f"the feed is not well-formed XML ({repaired}); it was read as podcast apps read it"))
    if not podcast.title:
        problems.append(Problem(shown, "the feed has no title", "title"))
    seen: dict[str, str] = {}
    duplicates = []
    for index, item in enumerate(channel.findall("item"), start=1):
        episode = _episode(item, index, podcast.skipped, shown)
        if episode is None:
            continue
        if episode.guid in seen:
            duplicates.append(Problem(shown, f'"{episode.title}" and "{seen[episode.guid]}" share the guid "{episode.guid}": apps cannot tell them apart; fix the old feed, or remove one of them from the file and import again', f"item {index}"))
            continue
        seen[episode.guid] = episode.title
        podcast.episodes.append(episode)
    problems.extend(duplicates)
    if problems:
        raise PortevoixError(*problems)
    podcast.episodes.sort(key=lambda e: e.published)
    return podcast
