"""Fetching what an imported feed links to: the feed itself, covers, chapters, transcripts and the media.

Only http(s) addresses are fetched (never `file:` or another scheme); a local feed is read
from a path the user names. Media are downloaded into a `.part` file beside their final
name and resumed with a byte range when a download was interrupted; the finished file is
renamed into place, so that a half-downloaded recording is never taken for a whole one.
"""

from __future__ import annotations

import logging
import os
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from pipeline import __version__
from pipeline.progress import Progress

log = logging.getLogger(__name__)

TIMEOUT = 30  # seconds without an answer
SMALL_LIMIT = 20 * 1024 * 1024  # covers, chapters, transcripts
CHUNK = 256 * 1024
USER_AGENT = f"portevoix/{__version__} (podcast import)"


class FetchError(Exception):
    """Something linked by the feed could not be fetched; the message says why, in a few words."""


def is_web_address(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https")


def _open(url: str, headers: dict[str, str] | None = None):
    if not is_web_address(url):
        raise FetchError(f'"{url}" is not an http(s) address')
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot reach the server ({exc.reason})") from None
    except (OSError, ValueError) as exc:
        raise FetchError(str(exc) or type(exc).__name__) from None


def fetch_bytes(url: str, limit: int = SMALL_LIMIT) -> bytes:
    """The body at `url`, refused past `limit` bytes."""
    with _open(url) as response:
        try:
            data = response.read(limit + 1)
        except OSError as exc:
            raise FetchError(f"the transfer broke off ({exc})") from None
    if len(data) > limit:
        raise FetchError(f"is larger than {limit // 1024 // 1024} MB")
    return data


def download(url: str, target: Path, label: str) -> int:
    """Download `url` to `target` (resuming `target`.part), with progress; the size written."""
    partial = target.with_name("." + target.name + ".part")
    done = partial.stat().st_size if partial.is_file() else 0
    response = _open(url, {"Range": f"bytes={done}-"} if done else None)
    with response:
        if done and response.status != 206:
            done = 0  # the server ignored the range: start again
        expected = response.headers.get("Content-Length")
        total = done + int(expected) if expected and expected.isdigit() else 0
        progress = Progress(label, total or 1)
        try:
            with open(partial, "ab" if done else "wb") as out:
                while True:
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
                    done += len(chunk)
                    if total:
                        progress.update(done)
        except OSError as exc:
            raise FetchError(f"the transfer broke off after {done} bytes ({exc}); run the import again to resume it") from None
    if total and done < total:
        raise FetchError(f"the transfer broke off after {done} of {total} bytes; run the import again to resume it")
    progress.finish()
    os.replace(partial, target)
    return done
