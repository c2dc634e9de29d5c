"""After publishing: fetch the feed from the live site and HEAD every file it announces, as a podcast app would.

Every file the feed points to is checked, not only the MP3: enclosures,
alternate enclosures (Opus), transcripts, chapters and cover images. Each must
answer 200 with the feed's length (where it gives one) and content type; audio
must also offer `Accept-Ranges: bytes` (Apple Podcasts requires byte ranges).
Only http(s) addresses under `base_url` (or `check_url`) are fetched: never a
`file:` URL, another host, or a redirect leaving the site. Every problem,
network and protocol errors included, is one line.
"""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from pipeline import paths
from pipeline.i18n import say

log = logging.getLogger(__name__)

TIMEOUT = 30
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
SAME_AS = {"application/json+chapters": {"application/json"}}
"""Types a server may send for a type the feed announces (a plain web server knows chapters as JSON)."""
IMAGE_TYPES = {"image/jpeg", "image/png"}
PLAYER_ORIGIN = "https://player.example"
"""The origin a browser player on another site would send (a name only: never contacted)."""


@dataclass
class CheckResult:
    feed_url: str
    enclosures: int
    problems: list[str]


@dataclass(frozen=True)
class Announced:
    url: str
    length: str | None
    kind: str | None
    audio: bool
    cross_origin: bool = False
    """Fetched by browser players on other sites (chapters, transcripts): needs Access-Control-Allow-Origin."""


class _StayOnSite(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address that may be fetched (see allowed)."""

    def __init__(self, allowed):
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.allowed(newurl):
            raise urllib.error.URLError(say("publish_check_redirected", url=newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def announced_files(feed: ET.Element) -> list[Announced]:
    """Every file the feed points to, with the length and type it announces for it."""
    found: list[Announced] = []
    for image in feed.findall("./channel/image/url"):
        found.append(Announced((image.text or "").strip(), None, None, False))
    for element in [*feed.findall(f"./channel/{ITUNES}image"), *feed.findall(f"./channel/item/{ITUNES}image")]:
        found.append(Announced(element.get("href", ""), None, None, False))
    for item in feed.findall("./channel/item"):
        for enclosure in item.findall("enclosure"):
            found.append(Announced(enclosure.get("url", ""), enclosure.get("length"), enclosure.get("type"), True))
        for alternate in item.findall(f"{PODCAST}alternateEnclosure"):
            for source in alternate.findall(f"{PODCAST}source"):
                found.append(Announced(source.get("uri", ""), alternate.get("length"), alternate.get("type"), True))
        for sidecar in [*item.findall(f"{PODCAST}transcript"), *item.findall(f"{PODCAST}chapters")]:
            found.append(Announced(sidecar.get("url", ""), None, sidecar.get("type"), False, cross_origin=True))
    unique: dict[str, Announced] = {}
    for entry in found:
        unique.setdefault(entry.url, entry)
    return list(unique.values())


def check_site(base_url: str, check_url: str | None = None) -> CheckResult:
    """Fetch `feed.xml` and HEAD each file it announces; addresses under base_url are fetched from check_url when given."""
    reach = (check_url or base_url).rstrip("/") + "/"
    base = base_url.rstrip("/") + "/"

    def allowed(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and any(url.startswith(prefix) for prefix in (base, reach))

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(), _StayOnSite(allowed)):
        opener.add_handler(handler)

    def fetch(url: str, method: str, origin: str | None = None):
        headers = {"User-Agent": "portevoix-check", **({"Origin": origin} if origin else {})}
        request = urllib.request.Request(url, method=method, headers=headers)
        return opener.open(request, timeout=TIMEOUT)

    def reachable(url: str) -> str:
        return reach + url[len(base):] if url.startswith(base) else url

    feed_url = reach + paths.FEED
    try:
        with fetch(feed_url, "GET") as response:
            feed = response.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        return CheckResult(feed_url, 0, [say("publish_check_no_feed", url=feed_url, reason=_reason(exc))])
    try:
        channel = ET.fromstring(feed)
    except ET.ParseError as exc:
        return CheckResult(feed_url, 0, [say("publish_check_bad_xml", url=feed_url, error=exc)])
    problems = []
    files = announced_files(channel)
    for entry in files:
        where = reachable(entry.url)
        if not allowed(where):
            problems.append(say("publish_check_outside", url=entry.url or say("publish_check_empty_address"), base=base))
            continue
        try:
            with fetch(where, "HEAD", PLAYER_ORIGIN if entry.cross_origin else None) as response:
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as exc:
            problems.append(say("publish_check_status", url=where, status=exc.code))
            continue
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            problems.append(say("publish_check_unreachable", url=where, reason=_reason(exc)))
            continue
        if status != 200:
            problems.append(say("publish_check_status", url=where, status=status))
        if entry.length is not None and headers.get("Content-Length") != entry.length:
            problems.append(say("publish_check_length", url=where, length=headers.get("Content-Length"), announced=entry.length))
        served_type = (headers.get("Content-Type") or "").split(";")[0].strip()
        expected = {entry.kind, *SAME_AS.get(entry.kind or "", set())} if entry.kind else IMAGE_TYPES
        if served_type not in expected:
            problems.append(say("publish_check_type", url=where, served=served_type or say("publish_check_type_missing"),
                                 announced=entry.kind or say("publish_check_an_image")))
        if entry.cross_origin and (headers.get("Access-Control-Allow-Origin") or "").strip() not in ("*", PLAYER_ORIGIN):
            problems.append(say("publish_check_no_cors", url=where))
        if entry.audio and (headers.get("Accept-Ranges") or "").strip().lower() != "bytes":
            problems.append(say("publish_check_no_ranges", url=where))
    enclosures = len(channel.findall("./channel/item/enclosure"))
    log.info("checked %d files (%d enclosures) of %s", len(files), enclosures, feed_url)
    return CheckResult(feed_url, enclosures, problems)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    return " ".join(str(reason).split()) or type(exc).__name__
