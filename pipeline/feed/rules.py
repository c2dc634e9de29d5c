"""The rules of a feed's elements, one small function each, and what the channel and item checks share.

`check_item` runs `ITEM_RULES` in order on one <item>; `feed/checks.py` checks the channel and
the site around them. A rule receives the item, where it is ("item \"<guid>\""), the function that
records a problem, and `SiteFiles`: how to look at the files the feed points to (None when only
the feed's text is checked).
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipeline.feed.podcasting import ATOM_NS, ITUNES_NS, PODCAST_NS
from pipeline.source import transcripts

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DESCRIPTION_LIMIT = 4000
RFC2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
TRANSCRIPT_TYPES = {"text/vtt", "application/x-subrip", "application/srt", "application/json", "text/html", "text/plain"}
ENCLOSURE_TYPES = {"audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/aac", "video/mp4", "video/quicktime", "video/x-m4v", "application/pdf"}
GROUPS_ROLES_PATTERN = re.compile(r"^[a-z][a-z -]*$")
SRI = re.compile(r"^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$")

I, P, A = "{%s}" % ITUNES_NS, "{%s}" % PODCAST_NS, "{%s}" % ATOM_NS


def text_of(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None or found.text is None else found.text.strip()


def is_https(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in url)


def date_problem(value: str | None) -> str | None:
    if not value:
        return "is missing"
    if not RFC2822.match(value):
        return f'"{value}" is not an RFC 2822 date (Wed, 20 Mar 2024 18:30:00 +0100)'
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.strftime("%a") != value[:3]:
        return f'"{value}": {parsed:%d %b %Y} is a {parsed:%A}'
    return None


Add = Callable[..., None]
"""add(field, message, where="") records one problem."""


@dataclass(frozen=True)
class SiteFiles:
    """How the checks look at the files a feed points to; each answers None for a file not in the site."""

    size_of: Callable[[str], int | None] | None = None
    read_file: Callable[[str], bytes | None] | None = None
    digest_of: Callable[[str], str | None] | None = None


def podcast_common(element, add: Add, where: str) -> None:
    """Tags allowed on both channel and item."""
    for person in element.findall(P + "person"):
        if not (person.text or "").strip():
            add("podcast:person", "has no name", where)
        for attribute in ("role", "group"):
            value = person.get(attribute)
            if value is not None and not GROUPS_ROLES_PATTERN.match(value):
                add("podcast:person", f'{attribute} "{value}" is not a lowercase role of the taxonomy', where)
        for attribute in ("href", "img"):
            if person.get(attribute) is not None and not is_https(person.get(attribute)):
                add("podcast:person", f"{attribute} must be an https address", where)
    for location in element.findall(P + "location"):
        text = (location.text or "").strip()
        if not text or len(text) > 128:
            add("podcast:location", "must name the place in 1 to 128 characters", where)
        geo = location.get("geo")
        if geo is not None and not re.fullmatch(r"geo:-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?(,-?\d+(\.\d+)?)?(;u=\d+(\.\d+)?)?", geo):
            add("podcast:location", f'geo "{geo}" is not a geo: URI', where)
        if location.get("rel") not in (None, "subject", "creator"):
            add("podcast:location", "rel must be subject or creator", where)
    licences = element.findall(P + "license")
    if len(licences) > 1:
        add("podcast:license", "appears more than once", where)
    for licence in licences:
        if not (licence.text or "").strip():
            add("podcast:license", "is empty", where)
        if licence.get("url") is not None and not is_https(licence.get("url")):
            add("podcast:license", "url must be an https address", where)


def chapters_problem(body: bytes) -> str | None:
    """Why `body` is not Podcasting 2.0 JSON chapters, or None."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return f"is not JSON ({exc})"
    if not isinstance(document, dict) or not isinstance(document.get("version"), str):
        return 'has no "version"'
    chapters = document.get("chapters")
    if not isinstance(chapters, list) or not chapters:
        return 'has no "chapters" list'
    previous = -1.0
    for number, chapter in enumerate(chapters, start=1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if not isinstance(start, (int, float)) or isinstance(start, bool) or start < 0:
            return f"chapter {number} has no startTime in seconds"
        if start < previous:
            return f"chapter {number} starts before the previous one"
        previous = start
        if "title" in chapter and not isinstance(chapter["title"], str):
            return f"chapter {number} has a title that is not text"
    return None


def _identity(item, where: str, add: Add, site: SiteFiles) -> None:
    """Title, a GUID that is not an address, an RFC 2822 date."""
    for tag in ("title", "guid"):
        if not text_of(item, tag):
            add(tag, "is missing", where)
    guid = item.find("guid")
    if guid is not None and guid.get("isPermaLink") != "false":
        add("guid", 'needs isPermaLink="false" (it is not an address)', where)
    problem = date_problem(text_of(item, "pubDate"))
    if problem:
        add("pubDate", problem, where)


def _enclosure(item, where: str, add: Add, site: SiteFiles) -> None:
    """One enclosure, https, of a type Apple takes, with the real byte count."""
    enclosures = item.findall("enclosure")
    if len(enclosures) != 1:
        add("enclosure", "each item needs exactly one enclosure", where)
    for enclosure in enclosures:
        url, length, kind = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
        if not is_https(url):
            add("enclosure", f"url {url} is not an https address", where)
        if kind not in ENCLOSURE_TYPES:
            add("enclosure", f'type "{kind}" is not one Apple accepts', where)
        if not (length or "").isdigit() or int(length) <= 0:
            add("enclosure", f'length "{length}" is not a byte count', where)
        elif site.size_of is not None:
            real = site.size_of(url)
            if real is None:
                add("enclosure", f"{url} is not in the site", where)
            elif real != int(length):
                add("enclosure", f"length is {length} but the file has {real} bytes", where)


def _itunes(item, where: str, add: Add, site: SiteFiles) -> None:
    """Duration, explicit, episode type, description, link, season and episode numbers."""
    duration = text_of(item, I + "duration")
    if duration is None or not duration.isdigit():
        add("itunes:duration", f'"{duration}" is not a number of seconds', where)
    if text_of(item, I + "explicit") not in (None, "true", "false"):
        add("itunes:explicit", "must be true or false", where)
    if text_of(item, I + "episodeType") not in (None, "full", "trailer", "bonus"):
        add("itunes:episodeType", "must be full, trailer or bonus", where)
    description = text_of(item, "description") or ""
    if not description and item.find("{%s}encoded" % CONTENT_NS) is None:
        add("description", "is missing", where)
    if len(description.encode("utf-8")) > DESCRIPTION_LIMIT:
        add("description", f"is {len(description.encode())} bytes; Apple reads at most {DESCRIPTION_LIMIT}", where)
    if not is_https(text_of(item, "link")):
        add("link", "is not an https address", where)
    for tag in ("season", "episode"):
        value = text_of(item, P + tag)
        if value is not None and not re.fullmatch(r"\d+(\.\d+)?", value):
            add(f"podcast:{tag}", f'"{value}" is not a number', where)


def _chapters(item, where: str, add: Add, site: SiteFiles) -> None:
    """podcast:chapters: https, its type, and a JSON chapters file in the site."""
    chapters = item.find(P + "chapters")
    if chapters is not None:
        url = chapters.get("url")
        if not is_https(url) or chapters.get("type") != "application/json+chapters":
            add("podcast:chapters", 'needs an https url and type="application/json+chapters"', where)
        elif site.read_file is not None:
            body = site.read_file(url)
            problem = "is not in the site" if body is None else chapters_problem(body)
            if problem:
                add("podcast:chapters", f"{url} {problem}", where)


def _transcripts(item, where: str, add: Add, site: SiteFiles) -> None:
    """podcast:transcript: https, a transcript type, and a file that parses."""
    for transcript in item.findall(P + "transcript"):
        url, kind = transcript.get("url"), transcript.get("type")
        if not is_https(url) or kind not in TRANSCRIPT_TYPES:
            add("podcast:transcript", f"needs an https url and a transcript type (got {kind})", where)
            continue
        if site.read_file is not None and kind in ("text/vtt", "application/x-subrip", "application/srt"):
            body = site.read_file(url)
            if body is None:
                add("podcast:transcript", f"{url} is not in the site", where)
                continue
            try:
                transcripts.parse(body.decode("utf-8-sig"), ".vtt" if kind == "text/vtt" else ".srt")
            except (transcripts.TranscriptError, UnicodeDecodeError) as exc:
                add("podcast:transcript", f"{url}: {exc}", where)


def _soundbites(item, where: str, add: Add, site: SiteFiles) -> None:
    """podcast:soundbite: a start and a positive duration."""
    for bite in item.findall(P + "soundbite"):
        try:
            if float(bite.get("startTime")) < 0 or float(bite.get("duration")) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            add("podcast:soundbite", "needs startTime and a positive duration in seconds", where)


def _alternates(item, where: str, add: Add, site: SiteFiles) -> None:
    """podcast:alternateEnclosure: a type, sources, a matching integrity and length."""
    for alternate in item.findall(P + "alternateEnclosure"):
        if not alternate.get("type"):
            add("podcast:alternateEnclosure", "type is missing", where)
        sources = alternate.findall(P + "source")
        if not sources or not all(s.get("uri") for s in sources):
            add("podcast:alternateEnclosure", "needs at least one podcast:source with a uri", where)
        for integrity in alternate.findall(P + "integrity"):
            value = integrity.get("value") or ""
            if integrity.get("type") not in ("sri", "pgp-signature") or (integrity.get("type") == "sri" and not SRI.match(value)):
                add("podcast:integrity", f'"{value}" is not a Subresource Integrity value', where)
            elif site.digest_of is not None and sources and value.startswith("sha256-"):
                real = site.digest_of(sources[0].get("uri"))
                if real is None:
                    add("podcast:alternateEnclosure", f"{sources[0].get('uri')} is not in the site", where)
                elif real != value:
                    add("podcast:integrity", f"does not match {sources[0].get('uri')}", where)
        length = alternate.get("length")
        if length is not None and site.size_of is not None and sources:
            size = site.size_of(sources[0].get("uri"))
            if size is not None and str(size) != length:
                add("podcast:alternateEnclosure", f"length is {length} but the file has {size} bytes", where)


def _directory_tags(item, where: str, add: Add, site: SiteFiles) -> None:
    """The item's own cover (itunes:image) and where it is discussed (podcast:socialInteract)."""
    for image in item.findall(I + "image"):
        href = image.get("href")
        if not is_https(href) or not str(href).endswith((".jpg", ".png")):
            add("itunes:image", f"{href} must be an https address ending in .jpg or .png", where)
        elif site.size_of is not None and site.size_of(href) is None:
            add("itunes:image", f"{href} is not in the site", where)
    for social in item.findall(P + "socialInteract"):
        if not is_https(social.get("uri")) or not social.get("protocol"):
            add("podcast:socialInteract", "needs an https uri and a protocol", where)


ITEM_RULES = (_identity, _enclosure, _itunes, _chapters, _transcripts, _soundbites, _alternates)


def check_item(item, where: str, add: Add, site: SiteFiles) -> None:
    """Every rule of an item, in order, then the tags it shares with the channel and those directories read."""
    for item_rule in ITEM_RULES:
        item_rule(item, where, add, site)
    podcast_common(item, add, where)
    _directory_tags(item, where, add, site)
