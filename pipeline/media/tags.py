"""Tags written into the encoded files, declared once in a table.

`TAG_TABLE` maps each field to its frame (ID3, for MP3), key (Vorbis comment,
for Opus) or atom (iTunes item list, for AAC in MP4). Adding a field or a
format is a row or a column, not a branch.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import os
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mutagen import id3
from mutagen.flac import Picture
from mutagen.id3._tags import save_frame  # the one writer of a frame; used to keep chapters in order
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm
from mutagen.oggopus import OggOpus
from pipeline.textfmt import EXACT, clock

log = logging.getLogger(__name__)

# field -> {format: frame or key}
TAG_TABLE: dict[str, dict[str, str]] = {
    "title": {"mp3": "TIT2", "opus": "TITLE", "aac": "\xa9nam"},
    "artist": {"mp3": "TPE1", "opus": "ARTIST", "aac": "\xa9ART"},
    "album": {"mp3": "TALB", "opus": "ALBUM", "aac": "\xa9alb"},
    "date": {"mp3": "TDRC", "opus": "DATE", "aac": "\xa9day"},
    "genre": {"mp3": "TCON", "opus": "GENRE", "aac": "\xa9gen"},
    "comment": {"mp3": "COMM", "opus": "COMMENT", "aac": "\xa9cmt"},
    "language": {"mp3": "TLAN", "opus": "LANGUAGE", "aac": "----:com.apple.iTunes:LANGUAGE"},
    "copyright": {"mp3": "TCOP", "opus": "COPYRIGHT", "aac": "cprt"},
    "url": {"mp3": "WOAS", "opus": "CONTACT", "aac": "purl"},
}


@dataclass(frozen=True)
class ChapterMark:
    start: float
    end: float
    title: str
    url: str | None = None


@dataclass
class Tags:
    """What an encoded file says about itself."""

    title: str
    artist: str
    album: str
    date: str
    genre: str = "Podcast"
    comment: str = ""
    language: str = ""
    copyright: str = ""
    url: str = ""
    cover: Path | None = None
    chapters: list[ChapterMark] = field(default_factory=list)


ISO639_2 = {"fr": "fra", "en": "eng", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld", "ca": "cat", "br": "bre", "oc": "oci", "eu": "eus", "ar": "ara"}


def _id3_frame(frame_id: str, value: str, language: str) -> id3.Frame:
    if frame_id == "COMM":
        return id3.COMM(encoding=id3.Encoding.UTF8, lang=language, desc="", text=[value])
    if frame_id.startswith("W"):
        return getattr(id3, frame_id)(url=value)
    return getattr(id3, frame_id)(encoding=id3.Encoding.UTF8, text=[value])


def _picture(cover: Path) -> tuple[str, bytes]:
    return mimetypes.guess_type(cover.name)[0] or "image/jpeg", cover.read_bytes()


class TimeOrderedID3(id3.ID3):
    """ID3 whose chapter frames are written in time order.

    mutagen writes frames sorted by size, so ffprobe (and players that read the
    file in order) would list chapters out of order. The other frames are
    written as mutagen orders them; the table of contents, then the chapters,
    follow in the order they were added.
    """

    def _write(self, config):
        keys = [key for key, frame in self.items() if frame.FrameID in ("CTOC", "CHAP")]
        held = [self.pop(key) for key in keys]
        held.sort(key=lambda frame: (frame.FrameID != "CTOC", getattr(frame, "start_time", 0)))
        try:
            head = super()._write(config)
        finally:
            for frame in held:
                self.add(frame)
        return head + b"".join(save_frame(frame, config=config) for frame in held)


def write_mp3_tags(path: Path, tags: Tags) -> None:
    """Replace every ID3 tag of `path` by `tags` (ID3v2.4, UTF-8)."""
    language = ISO639_2.get(tags.language.split("-")[0], "und")
    frames = TimeOrderedID3()
    for name, formats in TAG_TABLE.items():
        value = getattr(tags, name)
        if value and "mp3" in formats:
            frame_id = formats["mp3"]
            frames.add(_id3_frame(frame_id, value if frame_id != "TLAN" else language, language))
    if tags.cover is not None:
        mime, data = _picture(tags.cover)
        frames.add(id3.APIC(encoding=id3.Encoding.UTF8, mime=mime, type=id3.PictureType.COVER_FRONT, desc="", data=data))
    child_ids = []
    for index, chapter in enumerate(sorted(tags.chapters, key=lambda c: c.start), start=1):
        element_id = f"chp{index}"
        child_ids.append(element_id)
        sub_frames: list[id3.Frame] = [id3.TIT2(encoding=id3.Encoding.UTF8, text=[chapter.title])]
        if chapter.url:
            sub_frames.append(id3.WXXX(encoding=id3.Encoding.UTF8, desc="", url=chapter.url))
        frames.add(
            id3.CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=sub_frames,
            )
        )
    if child_ids:
        frames.add(
            id3.CTOC(
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=child_ids,
                sub_frames=[id3.TIT2(encoding=id3.Encoding.UTF8, text=[tags.album])],
            )
        )
    log.debug("writing %d ID3 frames to %s", len(frames), path)
    frames.save(path, v2_version=4)


def write_opus_tags(path: Path, tags: Tags) -> None:
    """Replace the Vorbis comments of an Ogg Opus file by `tags` (cover and chapters included)."""
    audio = OggOpus(path)
    audio.delete()
    for name, formats in TAG_TABLE.items():
        value = getattr(tags, name)
        if value and "opus" in formats:
            audio[formats["opus"]] = [value]
    if tags.cover is not None:
        picture = Picture()
        picture.type = 3  # front cover
        picture.mime, picture.data = _picture(tags.cover)
        audio["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture.write()).decode("ascii")]
    for index, chapter in enumerate(sorted(tags.chapters, key=lambda c: c.start), start=1):
        audio[f"CHAPTER{index:03d}"] = [clock(chapter.start, EXACT)]
        audio[f"CHAPTER{index:03d}NAME"] = [chapter.title]
        if chapter.url:
            audio[f"CHAPTER{index:03d}URL"] = [chapter.url]
    audio.save()


# MP4 (AAC): the iTunes item list, written by mutagen, and Nero chapters (moov.udta.chpl), which ffmpeg,
# mutagen and most players read; mutagen does not write them, so the box is put in here, the chunk
# offsets of the audio moved by what the moov box grew.
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"dinf"}


def _boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """(name, payload) of the boxes one after the other in `data`."""
    found, pos = [], 0
    while pos + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:
            size = len(data) - pos
        if size < header:
            raise ValueError(f"damaged MP4 box {name!r}")
        found.append((name, data[pos + header : pos + size]))
        pos += size
    return found


def _box(name: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), name) + payload


def _nero_chapters(chapters: list[ChapterMark]) -> bytes:
    body = bytearray(b"\x01\x00\x00\x00\x00\x00\x00\x00")  # version 1, no flags, reserved
    body.append(min(len(chapters), 255))
    for chapter in chapters[:255]:
        title = chapter.title.encode("utf-8")[:255].decode("utf-8", "ignore").encode("utf-8")
        body += struct.pack(">QB", round(chapter.start * 10_000_000), len(title)) + title
    return _box(b"chpl", bytes(body))


def _moved(payload: bytes, after: int, delta: int, chpl: bytes | None) -> bytes:
    """A container's payload with chunk offsets past `after` moved by `delta`, and `chpl` put in its udta."""
    out, has_udta = [], False
    for name, body in _boxes(payload):
        if name == b"chpl":
            continue
        if name in (b"stco", b"co64"):
            wide = name == b"co64"
            count = struct.unpack(">I", body[4:8])[0]
            pattern = f">{count}{'Q' if wide else 'I'}"
            offsets = struct.unpack(pattern, body[8 : 8 + struct.calcsize(pattern)])
            body = body[:8] + struct.pack(pattern, *(o + delta if o >= after else o for o in offsets))
        elif name == b"udta" and chpl is not None:
            has_udta = True
            body = _moved(body, after, delta, None) + chpl
        elif name in MP4_CONTAINERS:
            body = _moved(body, after, delta, None)
        out.append(_box(name, body))
    if chpl is not None and not has_udta:
        out.append(_box(b"udta", chpl))
    return b"".join(out)


def _write_mp4_chapters(path: Path, chapters: list[ChapterMark]) -> None:
    """Replace the Nero chapter list of an MP4 file (streamed: only the moov box is held in memory)."""
    size = path.stat().st_size
    with path.open("rb") as source:
        pos, moov = 0, None
        while pos + 8 <= size:
            source.seek(pos)
            head = source.read(16)
            length, name = struct.unpack(">I4s", head[:8])
            length = struct.unpack(">Q", head[8:16])[0] if length == 1 else size - pos if length == 0 else length
            if name == b"moov":
                moov = (pos, length)
                break
            pos += max(length, 8)
        if moov is None:
            raise ValueError(f"{path.name}: no moov box")
        start, length = moov
        source.seek(start)
        payload = _boxes(source.read(length))[0][1]
        chpl = _nero_chapters(chapters) if chapters else b""
        grown = len(_box(b"moov", _moved(payload, size, 0, chpl)))
        rebuilt = _box(b"moov", _moved(payload, start + length, grown - length, chpl))
        temporary = path.with_name(path.name + ".chapters")
        with temporary.open("wb") as target:
            source.seek(0)
            _copy(source, target, start)
            target.write(rebuilt)
            source.seek(start + length)
            shutil.copyfileobj(source, target)
    os.replace(temporary, path)


def _copy(source: BinaryIO, target: BinaryIO, count: int) -> None:
    while count > 0:
        block = source.read(min(count, 1 << 20))
        if not block:
            break
        target.write(block)
        count -= len(block)


def write_mp4_tags(path: Path, tags: Tags) -> None:
    """Replace the iTunes tags of an MP4 (AAC) file by `tags`, cover and chapters included."""
    _write_mp4_chapters(path, sorted(tags.chapters, key=lambda c: c.start))
    audio = MP4(path)
    if audio.tags is None:
        audio.add_tags()
    assert audio.tags is not None
    audio.tags.clear()
    for name, formats in TAG_TABLE.items():
        value = getattr(tags, name)
        key = formats.get("aac")
        if value and key:
            value = ISO639_2.get(value.split("-")[0], "und") if name == "language" else value
            audio.tags[key] = [MP4FreeForm(value.encode("utf-8"))] if key.startswith("----") else [value]
    if tags.cover is not None:
        mime, data = _picture(tags.cover)
        kind = MP4Cover.FORMAT_PNG if mime == "image/png" else MP4Cover.FORMAT_JPEG
        audio.tags["covr"] = [MP4Cover(data, imageformat=kind)]
    audio.save()
