"""After publishing: fetch the feed from the live site and HEAD every enclosure, as a podcast app would.

Each enclosure must answer 200 with the feed's length, the feed's content type,
and `Accept-Ranges: bytes` (Apple Podcasts requires byte ranges). Every problem
is reported, one line each.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pipeline import paths

log = logging.getLogger(__name__)

TIMEOUT = 30


@dataclass
class CheckResult:
    feed_url: str
    enclosures: int
    problems: list[str]


def _open(url: str, method: str):
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "portevoix-check"})
    return urllib.request.urlopen(request, timeout=TIMEOUT)


def check_site(base_url: str, check_url: str | None = None) -> CheckResult:
    """Fetch `feed.xml` and HEAD each enclosure; addresses under base_url are fetched from check_url when given."""
    reach = (check_url or base_url).rstrip("/") + "/"

    def reachable(url: str) -> str:
        return reach + url[len(base_url):] if url.startswith(base_url) else url

    feed_url = reach + paths.FEED
    try:
        with _open(feed_url, "GET") as response:
            feed = response.read()
    except (urllib.error.URLError, OSError) as exc:
        return CheckResult(feed_url, 0, [f"{feed_url}: cannot fetch the feed ({getattr(exc, 'reason', exc)})"])
    try:
        channel = ET.fromstring(feed)
    except ET.ParseError as exc:
        return CheckResult(feed_url, 0, [f"{feed_url}: not valid XML ({exc})"])
    problems = []
    enclosures = channel.findall("./channel/item/enclosure")
    for enclosure in enclosures:
        url, length, kind = (enclosure.get(k, "") for k in ("url", "length", "type"))
        where = reachable(url)
        try:
            with _open(where, "HEAD") as response:
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as exc:
            problems.append(f"{where}: answers {exc.code}, not 200")
            continue
        except (urllib.error.URLError, OSError) as exc:
            problems.append(f"{where}: unreachable ({getattr(exc, 'reason', exc)})")
            continue
        if status != 200:
            problems.append(f"{where}: answers {status}, not 200")
        if headers.get("Content-Length") != length:
            problems.append(f"{where}: length {headers.get('Content-Length')}, the feed announces {length}")
        served_type = (headers.get("Content-Type") or "").split(";")[0].strip()
        if served_type != kind:
            problems.append(f"{where}: content type {served_type or 'missing'}, the feed announces {kind}")
        if (headers.get("Accept-Ranges") or "").strip().lower() != "bytes":
            problems.append(f"{where}: no 'Accept-Ranges: bytes' (Apple Podcasts needs byte ranges for seeking)")
    log.info("checked %d enclosures of %s", len(enclosures), feed_url)
    return CheckResult(feed_url, len(enclosures), problems)
