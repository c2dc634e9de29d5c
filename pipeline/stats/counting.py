"""The counting rules: which requests make a download (IAB Podcast Measurement Technical Guidelines v2.1).

- Only GET requests answered 200 or 206 count; HEAD, other methods, errors and
  `bytes=0-1` probes (a 206 that sent 2 bytes or fewer) do not.
- A request whose user agent is on the OPAWG bots list, or that has none, does not count.
- The bytes one client (IP address + user agent) receives of one episode in one day (in
  the podcast's timezone) are summed over its requests, all formats together; it is
  one download once they reach about one minute of that file's audio (its metadata
  header plus sixty seconds at its byte rate), and never more than one that day.
- The client is known only by a keyed hash of its address (IPv6 cut to its /64
  first) and agent, under a random key drawn for each day and forgotten when the
  day is closed: nothing written can tell who listened, nor link two days.

A day stays open while requests of it may still come (until `GRACE` after its end,
by the log's own clock or, at the end of a run, by the real one); then its downloads
are added up and its key and clients are dropped. What is kept: counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from pipeline.stats.agents import AgentList
from pipeline.stats.logs import Request

GRACE = 3 * 3600
"""How long after the end of a day its requests may still be logged (a long download is logged when it ends)."""
PROBE_BYTES = 2
"""A 206 answer of this many bytes or fewer is a probe (bytes=0-1), not listening."""
MINUTE = 60.0

EXCLUSIONS = ("not_get", "head", "status", "probe", "bot", "no_agent", "short", "late")
"""Why requests (or, for "short", client-episode-days) were not counted, as kept in the state and shown in the report."""


@dataclass(frozen=True)
class MediaFile:
    slug: str
    format: str
    threshold: int
    """Bytes that make about one minute of this file: its header plus 60 s of audio."""


class MediaIndex:
    """Request path → the published media file it names, from the site's layout."""

    def __init__(self, files: dict[str, MediaFile], prefixes: Iterable[str]):
        self.files = files
        self.prefixes = sorted({("/" + p.strip("/") + "/").replace("//", "/") for p in prefixes}, key=len, reverse=True)
        folders = {name.rsplit("/", 1)[0] for name in files}
        self.needles = tuple(f"/{folder}/" for folder in folders)
        self.needle = self.needles[0] if len(self.needles) == 1 else None

    def wanted(self, line: str) -> bool:
        """A cheap test on a raw log line: could it ask for one of the media files?"""
        if self.needle is not None:
            return self.needle in line
        return any(needle in line for needle in self.needles)

    def find(self, path: str) -> MediaFile | None:
        path = urlsplit(path).path if ("?" in path or "://" in path) else path
        if "%" in path:
            path = unquote(path)
        for prefix in self.prefixes:
            if path.startswith(prefix):
                found = self.files.get(path[len(prefix) :])
                if found is not None:
                    return found
        return None


def client_address(ip: str) -> bytes:
    """The part of an address that names a client: an IPv4 address, the /64 network of an IPv6 one."""
    if ":" not in ip:
        return ip.encode("ascii", "replace")
    try:
        address = ipaddress.IPv6Address(ip.split("%")[0].strip("[]"))
    except ValueError:
        return ip.encode("ascii", "replace")
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped).encode("ascii")
    return address.packed[:8]


@dataclass
class Day:
    """An open day: its secret key, its clients' progress, where its requests start in each file."""

    date: dt.date
    end: int
    """Epoch second its last request may be logged at (its end + GRACE)."""
    key: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    progress: dict[bytes, float] = field(default_factory=dict)
    """Client-episode hash → fraction of one minute received (1.0 or more: counted)."""
    downloads: Counter = field(default_factory=Counter)
    """(episode, app) → downloads."""
    excluded: Counter = field(default_factory=Counter)
    """Reason → requests not counted (see EXCLUSIONS)."""
    first_offsets: dict[int, int] = field(default_factory=dict)
    """File index → offset of the first line of this day read in it."""


class DayCounter:
    """Feeds requests through the rules; closed days' downloads go to `closed` as (date, episode, app) → count."""

    def __init__(self, media: MediaIndex, agents: AgentList, tz: ZoneInfo, counted_days: set[dt.date]):
        self.media = media
        self.agents = agents
        self.tz = tz
        self.counted_days = counted_days
        """Days closed by earlier runs: their requests are already counted (a resumed read meets some again)."""
        self.closed_days: set[dt.date] = set()
        """Days closed by this run."""
        self.open: dict[dt.date, Day] = {}
        self.closed: Counter = Counter()
        self.excluded: Counter = Counter()
        self.requests = 0
        """Requests for media files seen."""
        self.already_counted = 0
        """Of which were counted by an earlier run."""
        self.newest = 0
        self._dates: dict[int, dt.date] = {}

    def local_date(self, time: int) -> dt.date:
        # Every UTC offset and every change of one falls on a quarter hour: a quarter hour is all one local date.
        quarter = time // 900
        date = self._dates.get(quarter)
        if date is None:
            date = dt.datetime.fromtimestamp(quarter * 900, self.tz).date()
            if len(self._dates) > 200_000:
                self._dates.clear()
            self._dates[quarter] = date
        return date

    def day_end(self, date: dt.date) -> int:
        midnight = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)
        return int(midnight.timestamp()) + GRACE

    def add(self, request: Request) -> None:
        media = self.media.find(request.path)
        if media is None:
            return
        self.requests += 1
        if request.time > self.newest:
            self.newest = request.time
            self.close_before(request.time)
        date = self.local_date(request.time)
        if date in self.counted_days:
            self.already_counted += 1
            return
        if date in self.closed_days:
            self.excluded["late"] += 1
            return
        day = self.open.get(date)
        if day is None:
            day = self.open[date] = Day(date, self.day_end(date))
            if day.end <= self.newest:
                # A request for a day already over by the log's clock: its clients are gone.
                del self.open[date]
                self.excluded["late"] += 1
                return
        day.first_offsets.setdefault(request.file, request.offset)
        if request.method != "GET":
            day.excluded["head" if request.method == "HEAD" else "not_get"] += 1
            return
        if request.status not in (200, 206):
            day.excluded["status"] += 1
            return
        if request.status == 206 and request.sent <= PROBE_BYTES:
            day.excluded["probe"] += 1
            return
        agent_text = request.user_agent.strip()
        if not agent_text or agent_text == "-":
            day.excluded["no_agent"] += 1
            return
        agent = self.agents.identify(agent_text)
        if agent.is_bot:
            day.excluded["bot"] += 1
            return
        client = hashlib.blake2b(
            client_address(request.ip) + b"\0" + agent_text.encode("utf-8", "replace") + b"\0" + media.slug.encode(),
            key=day.key,
            digest_size=16,
        ).digest()
        before = day.progress.get(client, 0.0)
        if before >= 1.0:
            return
        after = before + request.sent / media.threshold
        day.progress[client] = after
        if after >= 1.0:
            day.downloads[(media.slug, agent.name)] += 1

    def close_before(self, now: int) -> None:
        """Close every open day whose requests can no longer come by `now`."""
        for date in [date for date, day in self.open.items() if day.end <= now]:
            self.close(date)

    def close(self, date: dt.date) -> None:
        day = self.open.pop(date)
        for (slug, app), count in day.downloads.items():
            self.closed[(date, slug, app)] += count
        self.excluded.update(day.excluded)
        self.excluded["short"] += sum(1 for value in day.progress.values() if value < 1.0)
        self.closed_days.add(date)
        # The key and the clients' hashes go with the day.
        day.progress.clear()
        day.key = b""

    def still_open(self) -> Counter:
        """(date, episode, app) → downloads so far of the days still open (provisional; recounted next run)."""
        counts: Counter = Counter()
        for date, day in self.open.items():
            for (slug, app), count in day.downloads.items():
                counts[(date, slug, app)] += count
        return counts

    def resume_offsets(self) -> dict[int, int]:
        """File index → offset the next run must read from: the first line of a day still open."""
        offsets: dict[int, int] = {}
        for day in self.open.values():
            for index, offset in day.first_offsets.items():
                offsets[index] = min(offset, offsets.get(index, offset))
        return offsets
