"""Transcripts: WebVTT and SubRip files read into cues (start, end, speaker, text).

Used to check a transcript before publishing it, and to lay out the transcript
page. Speakers come from WebVTT voice tags (`<v Claire Vernay>…`) or from a
leading "Name:" in SubRip.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.i18n import say
from pipeline.source.fields import BIDI_CONTROLS, INVISIBLE

MIME_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s+.*)?$"
)
_LOOKS_LIKE_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d+\s*[-=–—]+>?")
"""A line that starts like a cue timing but is not one (00:00:01.000 -> 00:00:03.000, a dash too few)."""
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>")
_SRT_SPEAKER = re.compile(r"^([A-ZÀ-ÖØ-Þ][^:\n]{0,60}):\s+")
_TAG = re.compile(r"<[^>]*>")


class TranscriptError(ValueError):
    """The file is not a readable transcript; the message says where."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str | None = None


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return hours * 3600 + minutes * 60 + seconds


_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def _refused_character(text: str) -> tuple[int, str] | None:
    """(line number, character) of what a transcript may not hold, as its lines are read: the first line holding a
    character no page can carry (fields.INVISIBLE) or a bidi control, and in that line the first of the former, else
    the first of the latter. Two searches of the whole text, not one per line and character."""
    invisible, bidi = INVISIBLE.search(text), _BIDI.search(text)
    lines = [(text.count("\n", 0, found.start()) + 1, found.group()) for found in (invisible, bidi) if found is not None]
    return min(lines, key=lambda line: line[0]) if lines else None


def parse(text: str, kind: str) -> list[Cue]:
    """Cues of a transcript; `kind` is ".vtt" or ".srt"."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    refused = _refused_character(text)
    if refused is not None:
        number, bad = refused
        raise TranscriptError(f"line {number}: " + say("control_character", code=f"{ord(bad):#04x}"))
    if kind == ".vtt" and not lines[0].startswith("WEBVTT"):
        raise TranscriptError("line 1: a WebVTT file must start with WEBVTT")
    cues: list[Cue] = []
    index = 0
    while index < len(lines):
        match = _TIMING.match(lines[index])
        if not match:
            if "-->" in lines[index] or _LOOKS_LIKE_TIMING.match(lines[index]):
                raise TranscriptError(f"line {index + 1}: the timing is not start --> end (write 00:01:02.500 --> 00:01:05.000)")
            index += 1
            continue
        start, end = _seconds(match["start"]), _seconds(match["end"])
        if end < start:
            raise TranscriptError(f"line {index + 1}: the cue ends before it starts")
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip():
            body.append(lines[index].strip())
            index += 1
        raw = " ".join(body)
        speaker = None
        voice = _VOICE.match(raw)
        if voice:
            speaker = html.unescape(voice.group(1)).strip()
        elif kind == ".srt":
            named = _SRT_SPEAKER.match(raw)
            if named:
                speaker, raw = html.unescape(named.group(1)).strip(), raw[named.end():]
        cues.append(Cue(start, end, html.unescape(_TAG.sub("", raw)).strip(), speaker))
    if not cues:
        raise TranscriptError("holds no cue (no line like 00:00:01.000 --> 00:00:04.000)")
    return cues


def read(path: Path) -> list[Cue]:
    """The cues of a transcript file, parsed once while the file stays the same.

    A build looks at a transcript several times (validation, sidecar files, pages, search): the file is
    read and parsed once, then remembered by its identity (inode, size, modification time in ns)."""
    kind = path.suffix.lower()
    if kind not in MIME_TYPES:
        raise TranscriptError("must be a WebVTT (.vtt) or SubRip (.srt) file")
    stat = path.stat()
    return list(_read(path, kind, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))


def digest(path: Path) -> tuple[str, int]:
    """(SHA-256 hex, size) of a transcript file's bytes, read once while the file stays the same (as `read`): the
    keys of what is made from it (feed/sidecars.transcript_key) ask for it several times in a build."""
    stat = path.stat()
    return _digest(path, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16384)
def _digest(path: Path, device: int, inode: int, size: int, mtime_ns: int) -> tuple[str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


@lru_cache(maxsize=16384)
def _read(path: Path, kind: str, device: int, inode: int, size: int, mtime_ns: int) -> tuple[Cue, ...]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TranscriptError("the text is not UTF-8 (save it as UTF-8)") from None
    return tuple(parse(text, kind))
