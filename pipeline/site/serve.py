"""`portevoix serve`: preview `site/` on localhost, as an honest web server.

Python's http.server answers every request with the whole file, lists folders
and follows any link; this one:

- answers `Range: bytes=a-b` with `206 Partial Content` (players seek), ignores
  an invalid range (`bytes=5-1`, RFC 9110: 200 and the whole file) and answers
  one past the end, or with a number too long to be a size, with 416;
- serves only regular files inside `site/` (links leading out, FIFOs and other
  special files are 404), and never lists a folder;
- answers malformed requests with 400 (NUL bytes in the path), 414 (a request
  line too long) or 505 (an HTTP version it does not speak), never an empty
  reply; and closes connections left idle (`IDLE_TIMEOUT`);
- decides the framing headers from the file actually served: only the embed
  player may be framed by other sites, whatever the path says
  (`/embed/..%2findex.html` is the home page, and is not frameable);
- sends the Content-Type the feed announces, and lets browser players on other
  sites fetch transcripts and chapters (`Access-Control-Allow-Origin: *`).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import posixpath
import re
import stat
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.media.formats import FORMATS

log = logging.getLogger(__name__)

EXTRA_TYPES = {
    **{f".{f.extension}": f.mime for f in FORMATS.values()},
    ".ogg": "audio/ogg",
    ".xml": "application/rss+xml",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}
CHAPTERS_SUFFIX = ".chapters.json"
CHAPTERS_TYPE = "application/json+chapters"
"""The type the feed's podcast:chapters announces."""
SHARED_SUFFIXES = (".vtt", ".srt", ".json")
"""Transcripts, chapters and oEmbed files: fetched by players and sites on other origins."""
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
IDLE_TIMEOUT = 30
"""Seconds a connection may stay silent before it is closed."""
MAX_DIGITS = 18
"""A range number with more digits than this is beyond any file's size."""


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= MAX_DIGITS else 10 ** MAX_DIGITS


class RangeRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    timeout = IDLE_TIMEOUT
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"
    """What a request whose version cannot be read is answered in: with a status line (HTTP/0.9 has none)."""
    served: str | None = None
    """The site path of the file this response carries (None: an error or a redirect)."""
    _remaining: int | None = None  # bytes left to send of a range answer; None for a whole file

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def parse_request(self) -> bool:
        self.served = None
        return super().parse_request()

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        # The framing rules the README asks of a real host: partners may frame the embed player, nothing else.
        if self.served is not None and self.served.startswith("embed/"):
            self.send_header("Content-Security-Policy", "frame-ancestors *")
        else:
            self.send_header("Content-Security-Policy", "frame-ancestors 'self'")
            self.send_header("X-Frame-Options", "SAMEORIGIN")
        if self.served is not None and self.served.endswith(SHARED_SUFFIXES):
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def guess_type(self, path) -> str:
        if str(path).endswith(CHAPTERS_SUFFIX):
            return CHAPTERS_TYPE
        return super().guess_type(path)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def site_file(self) -> Path | None:
        """The regular file inside the site this request names, or None once an error has been sent."""
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        decoded = urllib.parse.unquote(raw, errors="surrogatepass")
        if "\x00" in decoded or not decoded.startswith("/"):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
            return None
        root = os.path.realpath(self.directory)
        wanted = posixpath.normpath(decoded).lstrip("/")
        try:
            real = os.path.realpath(os.path.join(root, wanted))
        except ValueError:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
            return None
        if real != root and not real.startswith(root + os.sep):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        if os.path.isdir(real):
            if not raw.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", raw + "/" + (self.path[len(raw):] if len(self.path) > len(raw) else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            real = os.path.realpath(os.path.join(real, "index.html"))
            if real != root and not real.startswith(root + os.sep):
                self.send_error(HTTPStatus.NOT_FOUND, "File not found")
                return None
        try:
            mode = os.stat(real).st_mode
        except (OSError, ValueError):
            mode = 0
        if not stat.S_ISREG(mode):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        self.served = Path(real).relative_to(root).as_posix()
        return Path(real)

    def send_head(self):
        path = self.site_file()
        if path is None:
            return None
        try:
            handle = path.open("rb")
        except OSError:
            self.served = None
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        start, end = 0, size - 1
        match = RANGE.match((self.headers.get("Range") or "").strip())
        partial_content = False
        if match and match.groups() != ("", ""):
            first, last = match.groups()
            if first == "":
                start, end = max(0, size - _number(last)), size - 1
                partial_content = True
            elif not last or _number(last) >= _number(first):  # bytes=5-1 is invalid: ignored, the whole file
                start, end = _number(first), min(_number(last), size - 1) if last else size - 1
                partial_content = True
            if partial_content and (start >= size or size == 0):
                handle.close()
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        handle.seek(start)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if partial_content else HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if partial_content:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Last-Modified", self.date_time_string(int(os.fstat(handle.fileno()).st_mtime)))
        self.end_headers()
        self._remaining = end - start + 1
        return handle

    def copyfile(self, source, outputfile) -> None:
        remaining = self._remaining
        if remaining is None:
            return super().copyfile(source, outputfile)
        try:
            while remaining > 0:
                block = source.read(min(1 << 16, remaining))
                if not block:
                    break
                outputfile.write(block)
                remaining -= len(block)
        finally:
            self._remaining = None


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    mimetypes.init()
    handler = partial(RangeRequestHandler, directory=os.fspath(site))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
