"""Checks of a generated feed: the rules podcast apps, Apple and the W3C feed validator apply.

Run by `build` on the feed it is about to publish (a violation stops the build,
the previous site stays) and by `check` on the last published site. Every
violation is reported, one line each: `feed.xml: item "<guid>": field: what is wrong`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import html
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import urlsplit

from lxml import etree

from pipeline.source.config import MEDIUMS, apple_categories
from pipeline.errors import Problem
from pipeline.feed.podcasting import ATOM_NS, ITUNES_NS, PODCAST_NS
from pipeline.feed.rules import (
    DESCRIPTION_LIMIT, SiteFiles, check_item, date_problem, is_https, podcast_common, text_of,
)
from pipeline.fsutil import code_digest, file_hashes, pieces

log = logging.getLogger(__name__)

I, P, A = "{%s}" % ITUNES_NS, "{%s}" % PODCAST_NS, "{%s}" % ATOM_NS



def _is_rss(root) -> bool:
    return root.tag == "rss" and root.get("version") == "2.0"


def _first_channel(root):
    """The root's first <channel> child, or None."""
    return next((child for child in root if child.tag == "channel"), None)


def check_feed(
    name: str,
    data: bytes | Path,
    *,
    feed_url: str | None = None,
    size_of: Callable[[str], int | None] | None = None,
    read_file: Callable[[str], bytes | None] | None = None,
    digest_of: Callable[[str], str | None] | None = None,
    trusted: Callable[[str], bool] | None = None,
) -> list[Problem]:
    """Every violation in the feed `data` (published as `name`): its bytes, or the file that holds them (read as a
    stream, never held whole: a build's feed of ten thousand episodes is 23 MB, see rss.render).

    `size_of(url)`, `read_file(url)` and `digest_of(url)` give what the site really holds at a
    URL (None when it does not hold it): enclosure lengths, chapters and transcripts are
    then checked against the real files. `trusted(guid)`: the item with this guid passed these checks
    before, as it is and with the files it points to (a build knows it; see rss.check); its rules are
    not run again (its guid still counts for uniqueness).

    The feed is read as a stream: each item is checked, then dropped, so that no tree of a whole feed
    of ten thousand episodes is ever held; the channel's own tags are checked at the end, in the
    order of the report (channel first, then the items).
    """
    problems: list[Problem] = []
    item_problems: list[Problem] = []

    def add(field: str, message: str, where: str = "") -> None:
        problems.append(Problem(name, message, f"{where}{field}" if where else field))

    def add_item(field: str, message: str, where: str = "") -> None:
        item_problems.append(Problem(name, message, f"{where}{field}" if where else field))

    channel = None
    rss = True
    root = None
    index = 0
    guids: dict[str, int] = {}
    site = SiteFiles(size_of, read_file, digest_of)
    try:
        # Only the items' ends come back to Python (lxml filters the events by tag): the elements inside them
        # are not walked here, one by one, for the trusted items.
        source = io.BytesIO(data) if isinstance(data, bytes) else open(data, "rb")
        with source:
            parsing = etree.iterparse(_Unnamed(source), events=("end",), tag="item")
            for _, element in parsing:
                if root is None:
                    root = element.getroottree().getroot()
                    rss = _is_rss(root)
                if channel is None:  # the root's first <channel>, once it has begun
                    channel = _first_channel(root)
                if not rss or channel is None or element.getparent() is not channel:
                    continue
                index += 1
                item_guid = text_of(element, "guid")
                where = f'item "{item_guid}": ' if item_guid else f"item {index}: "
                if not (item_guid and trusted is not None and trusted(item_guid)):
                    check_item(element, where, add_item, site)
                if item_guid:
                    if item_guid in guids:
                        add_item("guid", f"is also the guid of item {guids[item_guid]}: every episode needs its own", where)
                    guids[item_guid] = index
                element.clear()
                channel.remove(element)
        if root is None:  # no item at all
            root = parsing.root
            rss = _is_rss(root)
        if channel is None:
            channel = _first_channel(root)
    except etree.XMLSyntaxError as exc:
        return [Problem(name, f"is not well-formed XML: {exc}")]
    if root.nsmap.get("podcast") not in (None, PODCAST_NS):
        problems.insert(0, Problem(name, f"must be {PODCAST_NS}", "xmlns:podcast"))
    if not rss:
        return [Problem(name, "is not an RSS 2.0 document")]
    if channel is None:
        return [Problem(name, "has no <channel>")]

    _channel_basics(channel, add, feed_url)
    _channel_itunes(channel, add)
    _channel_podcast(channel, add)
    podcast_common(channel, add, "")
    _directory_tags(channel, add, size_of)
    problems += item_problems
    if _holds(data, b"<content:encoded>") and not _holds(data, b"<content:encoded><![CDATA["):
        add("content:encoded", "HTML must be inside CDATA")
    return problems


class _Unnamed:
    """A file as lxml reads it without its name: a syntax error then says "<string>", as for bytes."""

    def __init__(self, source: IO[bytes]):
        self.read = source.read


def _holds(data: bytes | Path, wanted: bytes) -> bool:
    """Whether `data` (bytes, or the file holding them, read in pieces: fsutil.pieces) holds `wanted`, a text that
    cannot span two pieces (pieces are cut before "<item>", and `wanted` holds none of its beginnings after its "<")."""
    if isinstance(data, bytes):
        return wanted in data
    return any(wanted in piece for piece in pieces(data, b"<item>"))


def _channel_basics(channel, add, feed_url: str | None) -> None:
    """RSS itself: title, link, description, language, lastBuildDate, the atom:link to itself."""
    for tag in ("title", "link", "description", "language"):
        if not text_of(channel, tag):
            add(tag, "is missing")
    language = text_of(channel, "language") or ""
    if language and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        add("language", f'"{language}" is not an ISO 639 code')
    if not is_https(text_of(channel, "link")):
        add("link", "is not an https address")
    last_build = channel.find("lastBuildDate")
    if last_build is not None:
        problem = date_problem(last_build.text)
        if problem:
            add("lastBuildDate", problem)
    self_links = [link for link in channel.findall(A + "link") if link.get("rel") == "self"]
    if len(self_links) != 1:
        add("atom:link", 'needs exactly one rel="self" link to the feed')
    elif feed_url and self_links[0].get("href") != feed_url:
        add("atom:link", f'rel="self" is {self_links[0].get("href")}, not the feed address {feed_url}')


def _channel_itunes(channel, add) -> None:
    """What Apple Podcasts requires of a channel: cover, explicit, author, owner, type, categories."""
    image = channel.find(I + "image")
    href = image.get("href") if image is not None else None
    if not href:
        add("itunes:image", "is missing")
    elif not is_https(href) or not re.search(r"\.(jpg|png)$", urlsplit(href).path) or urlsplit(href).query:
        add("itunes:image", f"{href} must be an https address ending in .jpg or .png")
    explicit = text_of(channel, I + "explicit")
    if explicit not in ("true", "false"):
        add("itunes:explicit", f'is "{explicit}"; Apple wants true or false')
    if not text_of(channel, I + "author"):
        add("itunes:author", "is missing")
    owner_email = text_of(channel, f"{I}owner/{I}email")
    if not owner_email or "@" not in owner_email:
        add("itunes:owner", "needs an itunes:email")
    if text_of(channel, I + "type") not in ("episodic", "serial"):
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
    new_feed = text_of(channel, I + "new-feed-url")
    if new_feed is not None and not is_https(new_feed):
        add("itunes:new-feed-url", f"{new_feed} is not an https address")
    description = text_of(channel, "description") or ""
    if len(description.encode("utf-8")) > DESCRIPTION_LIMIT:
        add("description", f"is {len(description.encode())} bytes; Apple reads at most {DESCRIPTION_LIMIT}")


def _channel_podcast(channel, add) -> None:
    """The Podcasting 2.0 channel tags: guid, locked, medium, funding."""
    guid = text_of(channel, P + "guid")
    if guid is not None:
        try:
            uuid.UUID(guid)
        except ValueError:
            add("podcast:guid", f'"{guid}" is not a UUID')
    locked = channel.find(P + "locked")
    if locked is not None and (locked.text or "").strip() not in ("yes", "no"):
        add("podcast:locked", "must be yes or no")
    medium = text_of(channel, P + "medium")
    if medium is not None and medium.removesuffix("L") not in MEDIUMS:
        add("podcast:medium", f'"{medium}" is not a medium of the namespace')
    for funding in channel.findall(P + "funding"):
        if not is_https(funding.get("url")):
            add("podcast:funding", "url must be an https address")


def _directory_tags(channel, add, size_of) -> None:
    """podcast:txt, image, updateFrequency, trailer and podroll, as directories read them."""
    for txt in channel.findall(P + "txt"):
        if not (txt.text or "").strip() or len(txt.text or "") > 4000:
            add("podcast:txt", "must hold 1 to 4000 characters")
    for image in channel.findall(P + "image"):
        if not is_https(image.get("href")):
            add("podcast:image", "href must be an https address")
    for frequency in channel.findall(P + "updateFrequency"):
        if not (frequency.text or "").strip():
            add("podcast:updateFrequency", "must say how often, in words")
        if frequency.get("rrule") is not None and not frequency.get("rrule", "").startswith("FREQ="):
            add("podcast:updateFrequency", f'rrule "{frequency.get("rrule")}" is not an iCalendar rule')
    for trailer in channel.findall(P + "trailer"):
        url = trailer.get("url")
        if not is_https(url) or not trailer.get("pubdate") or not (trailer.text or "").strip():
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
            if remote.get("feedUrl") is not None and not is_https(remote.get("feedUrl")):
                add("podcast:remoteItem", "feedUrl must be an https address")


def sri_sha256(path: Path) -> str:
    """Subresource Integrity string of a file: "sha256-" and the digest in base64."""
    _, (digest,) = file_hashes(path, "sha256")
    return "sha256-" + base64.b64encode(digest.digest()).decode("ascii")


class SiteView(Protocol):
    """What the checks need of a site: its files by site path (a folder, or the files a build is about to write)."""

    def names(self) -> Iterable[str]: ...
    def size(self, name: str) -> int | None: ...
    def read(self, name: str) -> bytes | None: ...
    def digest(self, name: str) -> str | None: ...
    def feed(self, name: str) -> bytes | Path | None:
        """A feed page: its bytes, or the file that holds them (checked as a stream); None when there is none."""
        ...


class FolderSite:
    """A built site folder (`portevoix check`)."""

    def __init__(self, site: Path, sri_of: Callable[[Path], str] = sri_sha256):
        self.site, self.sri_of = site, sri_of

    def _path(self, name: str) -> Path | None:
        path = self.site / name
        return path if path.is_file() else None

    def names(self) -> Iterable[str]:
        return [p.name for p in self.site.glob("feed*.xml")] + (["cover.jpg"] if (self.site / "cover.jpg").is_file() else [])

    def size(self, name: str) -> int | None:
        path = self._path(name)
        return None if path is None else path.stat().st_size

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        return None if path is None else path.read_bytes()

    def digest(self, name: str) -> str | None:
        path = self._path(name)
        return None if path is None else self.sri_of(path)

    def feed(self, name: str) -> bytes | None:
        return self.read(name)


class FilesSite:
    """The files a build is about to write: {site path: bytes}, and finished media {site path: file} with their SRI digests.

    `on_disk`: more files about to be written, {site path: file} (the feed pages, see rss.render): a feed page is
    checked as a stream from its file, never held whole. `known(name)`: the size and SHA-256 (hex) of a file among
    `files` whose bytes are made only when read (the transcript files, see sidecar_memo.py), else None."""

    def __init__(self, files: Mapping[str, bytes], media: Mapping[str, Path], sri_of: Callable[[Path], str] = sri_sha256,
                 on_disk: Mapping[str, Path] | None = None, known: Callable[[str], tuple[int, str] | None] | None = None):
        self.files, self.media, self.sri_of = files, media, sri_of
        self.on_disk: Mapping[str, Path] = on_disk or {}
        self.known: Callable[[str], tuple[int, str] | None] = known or (lambda name: None)

    def names(self) -> Iterable[str]:
        return list(dict.fromkeys([*self.files, *self.on_disk, *self.media]))  # `files` may show the on_disk ones

    def feed(self, name: str) -> bytes | Path | None:
        return self.on_disk[name] if name in self.on_disk else self.read(name)

    def size(self, name: str) -> int | None:
        if name in self.on_disk:
            return self.on_disk[name].stat().st_size
        if name in self.files:
            known = self.known(name)
            return known[0] if known is not None else len(self.files[name])
        return self.media[name].stat().st_size if name in self.media else None

    def read(self, name: str) -> bytes | None:
        if name in self.on_disk:
            return self.on_disk[name].read_bytes()
        if name in self.files:
            return self.files[name]
        return self.media[name].read_bytes() if name in self.media else None

    def digest(self, name: str) -> str | None:
        if name in self.on_disk:
            return sri_sha256(self.on_disk[name])
        if name in self.files:
            known = self.known(name)
            digest = bytes.fromhex(known[1]) if known is not None else hashlib.sha256(self.files[name]).digest()
            return "sha256-" + base64.b64encode(digest).decode("ascii")
        return self.sri_of(self.media[name]) if name in self.media else None

    def fingerprint(self, name: str) -> str:
        """What the checks of an item would read of `name`, as a short string: the digest of bytes about to be
        written, a finished medium's path, size and modification time (those are never changed in place)."""
        if name in self.on_disk:
            return file_hashes(self.on_disk[name], "sha256")[1][0].hexdigest()
        if name in self.files:
            known = self.known(name)
            return known[1] if known is not None else hashlib.sha256(self.files[name]).hexdigest()
        if name in self.media:
            stat = self.media[name].stat()
            return f"{self.media[name]}|{stat.st_size}|{stat.st_mtime_ns}"
        return "-"


def checks_version() -> str:
    """The digest of the checks' own code: an item checked by other rules is checked again."""
    here = Path(__file__).resolve().parent
    return code_digest("", (here / "checks.py", here / "rules.py", here.parent / "source" / "transcripts.py", here.parent / "source" / "cues.py"))


def check_site(site: Path, base_url: str, shown: str = "", sri_of: Callable[[Path], str] = sri_sha256) -> list[Problem]:
    """Check feed.xml and its archive pages in a built `site` folder, against the files it holds.

    `sri_of(path)` gives a file's SRI digest (`portevoix check` remembers them while the files are unchanged)."""
    return check_feeds(FolderSite(site, sri_of), base_url, shown)


def check_feeds(site: SiteView, base_url: str, shown: str = "", trusted: Callable[[str], bool] | None = None) -> list[Problem]:
    """Check the feed pages of `site` (feed.xml, feed-2.xml…) against the files it holds (sizes, chapters, digests).

    `trusted(guid)`: the items already checked as they are (see check_feed)."""

    def local(url: str | None) -> str | None:
        return url[len(base_url) :] if url and url.startswith(base_url) else None

    def size_of(url):
        name = local(url)
        return None if name is None else site.size(name)

    def read_file(url):
        name = local(url)
        return None if name is None else site.read(name)

    def digest_of(url):
        name = local(url)
        return None if name is None else site.digest(name)

    cover = site.read("cover.jpg")
    problems = feed_cover_problems(cover, shown + "cover.jpg") if cover is not None else []
    names = sorted((n for n in site.names() if re.fullmatch(r"feed(-\d+)?\.xml", n)), key=lambda n: int(re.sub(r"\D", "", n) or 0))
    for name in names:
        data = site.feed(name)
        if data is None:
            continue
        if isinstance(data, bytes):
            self_link = SELF_LINK.search(data)
        else:
            self_link = next(filter(None, (SELF_LINK.search(piece) for piece in pieces(data, b"<item>"))), None)
        # Compared as parsed text, not escaped bytes: a base_url with & is &amp; in the feed.
        if self_link and html.unescape(self_link.group(1).decode()) != base_url + name:
            log.warning("warning: %s%s was built for %s; 'portevoix build' makes it again", shown, name, html.unescape(self_link.group(1).decode()))
            continue
        problems += check_feed(
            shown + name, data, feed_url=base_url + name, size_of=size_of, read_file=read_file, digest_of=digest_of, trusted=trusted
        )
    return problems


SELF_LINK = re.compile(rb'<atom:link href="([^"]*)" rel="self"')
"""A feed page's link to itself; in a page's file, looked for in pieces cut before each <item> (fsutil.pieces): none
can begin inside one, as no "<" is in a well-formed attribute's value."""


def feed_cover_problems(data: bytes, shown: str) -> list[Problem]:
    """Apple's rules for the published cover (its bytes): a square RGB JPEG of 1400 to 3000 px."""
    import io

    from PIL import Image

    from pipeline.media.images import FEED_MAX, FEED_MIN

    problems = []
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if image.format != "JPEG" or image.mode != "RGB":
            problems.append(Problem(shown, f"is {image.format} {image.mode}; Apple wants an RGB JPEG"))
        if width != height or not FEED_MIN <= width <= FEED_MAX:
            problems.append(Problem(shown, f"is {width}x{height} px; Apple wants a square of {FEED_MIN} to {FEED_MAX} px"))
    return problems
