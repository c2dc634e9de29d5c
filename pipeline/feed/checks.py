"""Checks of a generated feed: the rules podcast apps, Apple and the W3C feed validator apply.

Run by `build` on the feed it is about to publish (a violation stops the build,
the previous site stays) and by `check` on the last published site. Every
violation is reported, one line each: `feed.xml: item "<guid>": field: what is wrong`.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import logging
import html
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from pipeline.source import transcripts
from pipeline.source.config import MEDIUMS, apple_categories
from pipeline.errors import Problem
from pipeline.feed.podcasting import ATOM_NS, ITUNES_NS, PODCAST_NS

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DESCRIPTION_LIMIT = 4000
RFC2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
TRANSCRIPT_TYPES = {"text/vtt", "application/x-subrip", "application/srt", "application/json", "text/html", "text/plain"}
ENCLOSURE_TYPES = {"audio/mpeg", "audio/x-m4a", "audio/mp4", "audio/aac", "video/mp4", "video/quicktime", "video/x-m4v", "application/pdf"}
GROUPS_ROLES_PATTERN = re.compile(r"^[a-z][a-z -]*$")
SRI = re.compile(r"^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$")

log = logging.getLogger(__name__)

I, P, A = "{%s}" % ITUNES_NS, "{%s}" % PODCAST_NS, "{%s}" % ATOM_NS


def _text(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None or found.text is None else found.text.strip()


def _https(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in url)


def _date_problem(value: str | None) -> str | None:
    if not value:
        return "is missing"
    if not RFC2822.match(value):
        return f'"{value}" is not an RFC 2822 date (Wed, 20 Mar 2024 18:30:00 +0100)'
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed.strftime("%a") != value[:3]:
        return f'"{value}": {parsed:%d %b %Y} is a {parsed:%A}'
    return None


def check_feed(
    name: str,
    data: bytes,
    *,
    feed_url: str | None = None,
    size_of: Callable[[str], int | None] | None = None,
    read_file: Callable[[str], bytes | None] | None = None,
    digest_of: Callable[[str], str | None] | None = None,
) -> list[Problem]:
    """Every violation in the feed `data` (published as `name`).

    `size_of(url)`, `read_file(url)` and `digest_of(url)` give what the site really holds at a
    URL (None when it does not hold it): enclosure lengths, chapters and transcripts are
    then checked against the real files.
    """
    problems: list[Problem] = []

    def add(field: str, message: str, where: str = "") -> None:
        problems.append(Problem(name, message, f"{where}{field}" if where else field))

    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        return [Problem(name, f"is not well-formed XML: {exc}")]
    if root.tag != "rss" or root.get("version") != "2.0":
        return [Problem(name, "is not an RSS 2.0 document")]
    if root.nsmap.get("podcast") not in (None, PODCAST_NS):
        add("xmlns:podcast", f"must be {PODCAST_NS}")
    channel = root.find("channel")
    if channel is None:
        return [Problem(name, "has no <channel>")]

    for tag in ("title", "link", "description", "language"):
        if not _text(channel, tag):
            add(tag, "is missing")
    language = _text(channel, "language") or ""
    if language and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        add("language", f'"{language}" is not an ISO 639 code')
    if not _https(_text(channel, "link")):
        add("link", "is not an https address")
    last_build = channel.find("lastBuildDate")
    if last_build is not None:
        problem = _date_problem(last_build.text)
        if problem:
            add("lastBuildDate", problem)
    self_links = [link for link in channel.findall(A + "link") if link.get("rel") == "self"]
    if len(self_links) != 1:
        add("atom:link", 'needs exactly one rel="self" link to the feed')
    elif feed_url and self_links[0].get("href") != feed_url:
        add("atom:link", f'rel="self" is {self_links[0].get("href")}, not the feed address {feed_url}')

    image = channel.find(I + "image")
    href = image.get("href") if image is not None else None
    if not href:
        add("itunes:image", "is missing")
    elif not _https(href) or not re.search(r"\.(jpg|png)$", urlsplit(href).path) or urlsplit(href).query:
        add("itunes:image", f"{href} must be an https address ending in .jpg or .png")
    explicit = _text(channel, I + "explicit")
    if explicit not in ("true", "false"):
        add("itunes:explicit", f'is "{explicit}"; Apple wants true or false')
    if not _text(channel, I + "author"):
        add("itunes:author", "is missing")
    owner_email = _text(channel, f"{I}owner/{I}email")
    if not owner_email or "@" not in owner_email:
        add("itunes:owner", "needs an itunes:email")
    if _text(channel, I + "type") not in ("episodic", "serial"):
        add("itunes:type", "must be episodic or serial")
    categories = channel.findall(I + "category")
    if not categories:
        add("itunes:category", "is missing")
    known = apple_categories()
    for category in categories:
        parent = category.get("text")
        if parent not in known:
            add("itunes:category", f'"{parent}" is not on Apple\'s list')
            continue
        for child in category.findall(I + "category"):
            if child.get("text") not in known[parent]:
                add("itunes:category", f'"{child.get("text")}" is not a subcategory of {parent}')
    new_feed = _text(channel, I + "new-feed-url")
    if new_feed is not None and not _https(new_feed):
        add("itunes:new-feed-url", f"{new_feed} is not an https address")
    description = _text(channel, "description") or ""
    if len(description.encode("utf-8")) > DESCRIPTION_LIMIT:
        add("description", f"is {len(description.encode())} bytes; Apple reads at most {DESCRIPTION_LIMIT}")

    guid = _text(channel, P + "guid")
    if guid is not None:
        try:
            uuid.UUID(guid)
        except ValueError:
            add("podcast:guid", f'"{guid}" is not a UUID')
    locked = channel.find(P + "locked")
    if locked is not None and (locked.text or "").strip() not in ("yes", "no"):
        add("podcast:locked", "must be yes or no")
    medium = _text(channel, P + "medium")
    if medium is not None and medium.removesuffix("L") not in MEDIUMS:
        add("podcast:medium", f'"{medium}" is not a medium of the namespace')
    for funding in channel.findall(P + "funding"):
        if not _https(funding.get("url")):
            add("podcast:funding", "url must be an https address")
    _podcast_common(channel, add, "")
    _directory_tags(channel, add, size_of)

    guids: dict[str, int] = {}
    for index, item in enumerate(channel.findall("item"), start=1):
        item_guid = _text(item, "guid")
        where = f'item "{item_guid}": ' if item_guid else f"item {index}: "
        _check_item(item, where, add, size_of, read_file, digest_of)
        _item_directory_tags(item, where, add, size_of)
        if item_guid:
            if item_guid in guids:
                add("guid", f"is also the guid of item {guids[item_guid]}: every episode needs its own", where)
            guids[item_guid] = index
    if b"<content:encoded>" in data and b"<content:encoded><![CDATA[" not in data:
        add("content:encoded", "HTML must be inside CDATA")
    return problems


def _directory_tags(channel, add, size_of) -> None:
    """podcast:txt, image, updateFrequency, trailer and podroll, as directories read them."""
    for txt in channel.findall(P + "txt"):
        if not (txt.text or "").strip() or len(txt.text or "") > 4000:
            add("podcast:txt", "must hold 1 to 4000 characters")
    for image in channel.findall(P + "image"):
        if not _https(image.get("href")):
            add("podcast:image", "href must be an https address")
    for frequency in channel.findall(P + "updateFrequency"):
        if not (frequency.text or "").strip():
            add("podcast:updateFrequency", "must say how often, in words")
        if frequency.get("rrule") is not None and not frequency.get("rrule", "").startswith("FREQ="):
            add("podcast:updateFrequency", f'rrule "{frequency.get("rrule")}" is not an iCalendar rule')
    for trailer in channel.findall(P + "trailer"):
        url = trailer.get("url")
        if not _https(url) or not trailer.get("pubdate") or not (trailer.text or "").strip():
            add("podcast:trailer", "needs a title, an https url and a pubdate")
        elif size_of is not None and trailer.get("length") not in (None, str(size_of(url))):
            add("podcast:trailer", f"length {trailer.get('length')} is not the size of {url}")
    for podroll in channel.findall(P + "podroll"):
        remotes = podroll.findall(P + "remoteItem")
        if not remotes:
            add("podcast:podroll", "holds no podcast:remoteItem")
        for remote in remotes:
            try:
                uuid.UUID(remote.get("feedGuid") or "")
            except ValueError:
                add("podcast:remoteItem", f'feedGuid "{remote.get("feedGuid")}" is not a UUID')
            if remote.get("feedUrl") is not None and not _https(remote.get("feedUrl")):
                add("podcast:remoteItem", "feedUrl must be an https address")


def _item_directory_tags(item, where: str, add, size_of) -> None:
    """The item's own cover (itunes:image) and where it is discussed (podcast:socialInteract)."""
    for image in item.findall(I + "image"):
        href = image.get("href")
        if not _https(href) or not str(href).endswith((".jpg", ".png")):
            add("itunes:image", f"{href} must be an https address ending in .jpg or .png", where)
        elif size_of is not None and size_of(href) is None:
            add("itunes:image", f"{href} is not in the site", where)
    for social in item.findall(P + "socialInteract"):
        if not _https(social.get("uri")) or not social.get("protocol"):
            add("podcast:socialInteract", "needs an https uri and a protocol", where)


def _podcast_common(element, add, where: str) -> None:
    """Tags allowed on both channel and item."""
    for person in element.findall(P + "person"):
        if not (person.text or "").strip():
            add("podcast:person", "has no name", where)
        for attribute in ("role", "group"):
            value = person.get(attribute)
            if value is not None and not GROUPS_ROLES_PATTERN.match(value):
                add("podcast:person", f'{attribute} "{value}" is not a lowercase role of the taxonomy', where)
        for attribute in ("href", "img"):
            if person.get(attribute) is not None and not _https(person.get(attribute)):
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
        if licence.get("url") is not None and not _https(licence.get("url")):
            add("podcast:license", "url must be an https address", where)


def _check_item(item, where, add, size_of, read_file, digest_of) -> None:
    for tag in ("title", "guid"):
        if not _text(item, tag):
            add(tag, "is missing", where)
    guid = item.find("guid")
    if guid is not None and guid.get("isPermaLink") != "false":
        add("guid", 'needs isPermaLink="false" (it is not an address)', where)
    problem = _date_problem(_text(item, "pubDate"))
    if problem:
        add("pubDate", problem, where)
    enclosures = item.findall("enclosure")
    if len(enclosures) != 1:
        add("enclosure", "each item needs exactly one enclosure", where)
    for enclosure in enclosures:
        url, length, kind = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
        if not _https(url):
            add("enclosure", f"url {url} is not an https address", where)
        if kind not in ENCLOSURE_TYPES:
            add("enclosure", f'type "{kind}" is not one Apple accepts', where)
        if not (length or "").isdigit() or int(length) <= 0:
            add("enclosure", f'length "{length}" is not a byte count', where)
        elif size_of is not None:
            real = size_of(url)
            if real is None:
                add("enclosure", f"{url} is not in the site", where)
            elif real != int(length):
                add("enclosure", f"length is {length} but the file has {real} bytes", where)
    duration = _text(item, I + "duration")
    if duration is None or not duration.isdigit():
        add("itunes:duration", f'"{duration}" is not a number of seconds', where)
    if _text(item, I + "explicit") not in (None, "true", "false"):
        add("itunes:explicit", "must be true or false", where)
    if _text(item, I + "episodeType") not in (None, "full", "trailer", "bonus"):
        add("itunes:episodeType", "must be full, trailer or bonus", where)
    description = _text(item, "description") or ""
    if not description and item.find("{%s}encoded" % CONTENT_NS) is None:
        add("description", "is missing", where)
    if len(description.encode("utf-8")) > DESCRIPTION_LIMIT:
        add("description", f"is {len(description.encode())} bytes; Apple reads at most {DESCRIPTION_LIMIT}", where)
    if not _https(_text(item, "link")):
        add("link", "is not an https address", where)
    for tag in ("season", "episode"):
        value = _text(item, P + tag)
        if value is not None and not re.fullmatch(r"\d+(\.\d+)?", value):
            add(f"podcast:{tag}", f'"{value}" is not a number', where)

    chapters = item.find(P + "chapters")
    if chapters is not None:
        url = chapters.get("url")
        if not _https(url) or chapters.get("type") != "application/json+chapters":
            add("podcast:chapters", 'needs an https url and type="application/json+chapters"', where)
        elif read_file is not None:
            body = read_file(url)
            problem = "is not in the site" if body is None else chapters_problem(body)
            if problem:
                add("podcast:chapters", f"{url} {problem}", where)
    for transcript in item.findall(P + "transcript"):
        url, kind = transcript.get("url"), transcript.get("type")
        if not _https(url) or kind not in TRANSCRIPT_TYPES:
            add("podcast:transcript", f"needs an https url and a transcript type (got {kind})", where)
            continue
        if read_file is not None and kind in ("text/vtt", "application/x-subrip", "application/srt"):
            body = read_file(url)
            if body is None:
                add("podcast:transcript", f"{url} is not in the site", where)
                continue
            try:
                transcripts.parse(body.decode("utf-8-sig"), ".vtt" if kind == "text/vtt" else ".srt")
            except (transcripts.TranscriptError, UnicodeDecodeError) as exc:
                add("podcast:transcript", f"{url}: {exc}", where)
    for bite in item.findall(P + "soundbite"):
        try:
            if float(bite.get("startTime")) < 0 or float(bite.get("duration")) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            add("podcast:soundbite", "needs startTime and a positive duration in seconds", where)
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
            elif digest_of is not None and sources and value.startswith("sha256-"):
                real = digest_of(sources[0].get("uri"))
                if real is None:
                    add("podcast:alternateEnclosure", f"{sources[0].get('uri')} is not in the site", where)
                elif real != value:
                    add("podcast:integrity", f"does not match {sources[0].get('uri')}", where)
        length = alternate.get("length")
        if length is not None and size_of is not None and sources:
            real = size_of(sources[0].get("uri"))
            if real is not None and str(real) != length:
                add("podcast:alternateEnclosure", f"length is {length} but the file has {real} bytes", where)
    _podcast_common(item, add, where)


def sri_sha256(path: Path) -> str:
    """Subresource Integrity string of a file: "sha256-" and the digest in base64."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256-" + base64.b64encode(digest.digest()).decode("ascii")


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


def check_site(
    site: Path,
    base_url: str,
    shown: str = "",
    known_digest: Callable[[str], str | None] | None = None,
    sri_of: Callable[[Path], str] = sri_sha256,
) -> list[Problem]:
    """Check feed.xml and its archive pages in a built `site` folder, against the files it holds.

    `known_digest(url)` may give known SRI digests (the build has them), instead of reading the files again;
    otherwise `sri_of(path)` gives a file's (`portevoix check` remembers them while the files are unchanged).
    """

    def local(url: str | None) -> Path | None:
        if not url or not url.startswith(base_url):
            return None
        path = site / url[len(base_url) :]
        return path if path.is_file() else None

    def size_of(url):
        path = local(url)
        return None if path is None else path.stat().st_size

    def read_file(url):
        path = local(url)
        return None if path is None else path.read_bytes()

    def digest_of(url):
        if known_digest is not None:
            return known_digest(url)
        path = local(url)
        return None if path is None else sri_of(path)

    problems = feed_cover_problems(site / "cover.jpg", shown + "cover.jpg")
    pages = [site / "feed.xml"] + sorted(site.glob("feed-*.xml"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0))
    for page in pages:
        if not page.is_file():
            continue
        data = page.read_bytes()
        self_link = re.search(rb'<atom:link href="([^"]*)" rel="self"', data)
        # Compared as parsed text, not escaped bytes: a base_url with & is &amp; in the feed.
        if self_link and html.unescape(self_link.group(1).decode()) != base_url + page.name:
            log.warning("warning: %s%s was built for %s; 'portevoix build' makes it again", shown, page.name, html.unescape(self_link.group(1).decode()))
            continue
        problems += check_feed(
            shown + page.name, data, feed_url=base_url + page.name, size_of=size_of, read_file=read_file, digest_of=digest_of
        )
    return problems


def feed_cover_problems(path: Path, shown: str) -> list[Problem]:
    """Apple's rules for the published cover: a square RGB JPEG of 1400 to 3000 px."""
    if not path.is_file():
        return []
    from PIL import Image

    from pipeline.media.images import FEED_MAX, FEED_MIN

    problems = []
    with Image.open(path) as image:
        width, height = image.size
        if image.format != "JPEG" or image.mode != "RGB":
            problems.append(Problem(shown, f"is {image.format} {image.mode}; Apple wants an RGB JPEG"))
        if width != height or not FEED_MIN <= width <= FEED_MAX:
            problems.append(Problem(shown, f"is {width}x{height} px; Apple wants a square of {FEED_MIN} to {FEED_MAX} px"))
    return problems
