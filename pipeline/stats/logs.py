"""Reading web server access logs, streamed: nginx and Apache "combined" lines, S3 server access logs.

A file may be plain or gzip-compressed (rotated sets: access.log, access.log.1,
access.log.2.gz…); the format is recognised line by line. Files are read in the order
of their first line's time and merged by time where they overlap (two servers, or
S3's many small files), with only the overlapping ones open at once. Only the
lines that ask for a media file are parsed in full; each comes out as a `Request`
with the byte offset of its line, so that a later run can start where this one
stopped (see `state.py`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

QUOTED = r'"((?:[^"\\]|\\.)*)"'
COMBINED = re.compile(r'(\S+) \S+ \S+ \[([^\]]+)\] ' + QUOTED + r" (\d{3}) (\d+|-)(?: " + QUOTED + " " + QUOTED + ")?")
"""nginx's and Apache's combined format (the common format, without referrer and agent, is read too)."""
S3 = re.compile(
    r"\S+ \S+ \[([^\]]+)\] (\S+) \S+ \S+ (\S+) (\S+) " + QUOTED + r" (\d{3}|-) \S+ (\d+|-) \S+ \S+ \S+ " + QUOTED + " " + QUOTED
)
"""S3 server access log: owner bucket [time] ip requester id operation key "request" status error bytes size time turnaround "referrer" "agent"…"""
MONTHS = {name: number for number, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
FINGERPRINT_LINES = 8
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(slots=True)
class Request:
    """One logged request for a media file (the client's address stays in memory only)."""

    time: int
    """Seconds since the epoch."""
    ip: str
    user_agent: str
    method: str
    path: str
    status: int
    sent: int
    """Bytes of the body sent."""
    file: int
    """Index of the log file it comes from."""
    offset: int
    """Byte offset of its line in that (uncompressed) file."""


@dataclass
class LogFile:
    """One input file and what reading it found."""

    path: Path
    index: int
    start: int = 0
    """Uncompressed byte offset reading starts from (a later run resumes a file it has read)."""
    first_time: int | None = None
    fingerprint: str = ""
    """Identifies the file across runs and renames (rotation) from its first lines' times, requests and sizes, no address."""
    end: int = 0
    """Offset just past the last complete line read."""
    lines: int = 0
    """Lines read in this run."""
    unreadable: int = 0
    """Lines in no known format."""
    size: int = 0
    """Uncompressed size as far as read (whole lines)."""
    problem: str | None = None
    extras: dict = field(default_factory=dict)


class TimeParser:
    """'10/Oct/2000:13:55:36 -0700' → epoch seconds, with the hour's conversion cached."""

    def __init__(self) -> None:
        self._hours: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        # dd/Mon/yyyy:HH:MM:SS +hhmm
        key = text[:14] + text[20:]
        base = self._hours.get(key)
        if base is None:
            day, month, year, hour = int(text[0:2]), MONTHS[text[3:6]], int(text[7:11]), int(text[12:14])
            offset = text[21:26]
            sign = -1 if offset[0] == "-" else 1
            tz = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
            base = int(dt.datetime(year, month, day, hour, tzinfo=tz).timestamp())
            if len(self._hours) > 100_000:
                self._hours.clear()
            self._hours[key] = base
        return base + int(text[15:17]) * 60 + int(text[18:20])


def open_log(path: Path):
    """A text stream of the file's lines, decompressed when it is gzip (recognised by its first bytes, not its name)."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    if compressed:
        return gzip.open(path, "rt", encoding="latin-1", newline="\n")
    return path.open("r", encoding="latin-1", newline="\n")


def unescape(text: str) -> str:
    """A quoted log field as sent: Apache writes \\" and \\\\, nginx \\xHH."""
    if "\\" not in text:
        return text
    return re.sub(r"\\x([0-9A-Fa-f]{2})|\\(.)", lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def parse_line(line: str, times: TimeParser) -> tuple[int, str, str, str, str, int, int] | None:
    """(time, ip, user agent, method, path, status, bytes sent) of a combined or S3 line, or None."""
    match = COMBINED.match(line)
    if match:
        ip, when, request, status, sent, _referrer, agent = match.groups()
        method, _, rest = unescape(request).partition(" ")
        path = rest.rsplit(" ", 1)[0] if " HTTP/" in rest else rest
    else:
        match = S3.match(line)
        if not match:
            return None
        when, ip, operation, key, request, status, sent, _referrer, agent = match.groups()
        if status == "-":
            return None
        method, _, rest = unescape(request).partition(" ")
        path = rest.rsplit(" ", 1)[0] if " HTTP/" in rest else rest
        if operation.startswith("REST.") and key != "-":
            # The object's key, without the bucket (path-style requests put it in the URI).
            path = "/" + key
    try:
        time = times(when)
    except (ValueError, KeyError, IndexError):
        return None
    return time, ip, unescape(agent or ""), method, path, int(status), 0 if sent == "-" else int(sent)


def line_fingerprint(parsed: tuple[int, str, str, str, str, int, int]) -> str:
    """What identifies a line without saying who made it: time, method, path, status, size."""
    time, _ip, _agent, method, path, status, sent = parsed
    return f"{time} {method} {path} {status} {sent}"


def survey(log: LogFile, times: TimeParser) -> None:
    """Read a file's first lines: the time it starts at and its fingerprint."""
    digest = hashlib.sha256()
    seen = 0
    try:
        with open_log(log.path) as stream:
            for line in stream:
                parsed = parse_line(line, times)
                if parsed is None:
                    continue
                if log.first_time is None:
                    log.first_time = parsed[0]
                digest.update(line_fingerprint(parsed).encode("utf-8", "replace") + b"\n")
                seen += 1
                if seen >= FINGERPRINT_LINES:
                    break
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        log.problem = str(getattr(exc, "strerror", None) or exc)
        return
    log.fingerprint = digest.hexdigest()[:32] if seen else ""


def requests_in(log: LogFile, wanted: Callable[[str], bool], times: TimeParser) -> Iterator[Request]:
    """The media requests of one file from `log.start` on; counts lines as it goes.

    `wanted(line)` is a cheap test on the raw line (does it name the media folder?);
    other lines are only counted. A last line without its newline (being written) is left for next time."""
    offset = 0
    try:
        with open_log(log.path) as stream:
            if log.start:
                # One byte per character (latin-1, newlines untouched): the offset is a byte offset; gzip seeks
                # forward by decompressing.
                stream.seek(log.start)
                offset = log.start
            for line in stream:
                if not line.endswith("\n"):
                    break
                start = offset
                offset += len(line)
                log.lines += 1
                if not wanted(line):
                    continue
                parsed = parse_line(line, times)
                if parsed is None:
                    log.unreadable += 1
                    continue
                time, ip, agent, method, path, status, sent = parsed
                yield Request(time, ip, agent, method, path, status, sent, log.index, start)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        log.problem = str(getattr(exc, "strerror", None) or exc)
    log.end = offset


def merged(logs: list[LogFile], wanted: Callable[[str], bool], times: TimeParser) -> Iterator[Request]:
    """The media requests of all files in time order, opening each file only when its first line's time comes."""
    heap: list[tuple[int, int, Iterator[Request] | None, Request | None]] = [
        (log.first_time or 0, log.index, None, None) for log in logs if log.problem is None
    ]
    heapq.heapify(heap)
    by_index = {log.index: log for log in logs}
    while heap:
        _, index, requests, request = heapq.heappop(heap)
        if requests is None:
            requests = requests_in(by_index[index], wanted, times)
            request = next(requests, None)
            if request is not None:
                heapq.heappush(heap, (request.time, index, requests, request))
            continue
        assert request is not None
        yield request
        # Stay on this file while it is the earliest (the usual case: one file at a time).
        for request in requests:
            if heap and request.time > heap[0][0]:
                heapq.heappush(heap, (request.time, index, requests, request))
                break
            yield request
