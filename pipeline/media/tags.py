"""Tags written into the encoded files, declared once in a table.

`TAG_TABLE` maps each field to its frame (ID3, for MP3) or key (Vorbis comment,
for Opus). Adding a field or a format is a row or a column, not a branch.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

import base64

from mutagen import id3
from mutagen.flac import Picture
from mutagen.id3._tags import save_frame  # the one writer of a frame; used to keep chapters in order
from mutagen.oggopus import OggOpus

log = logging.getLogger(__name__)

# field -> {format: frame or key}
TAG_TABLE: dict[str, dict[str, str]] = {
    "title": {"mp3": "TIT2", "opus": "TITLE"},
    "artist": {"mp3": "TPE1", "opus": "ARTIST"},
    "album": {"mp3": "TALB", "opus": "ALBUM"},
    "date": {"mp3": "TDRC", "opus": "DATE"},
    "genre": {"mp3": "TCON", "opus": "GENRE"},
    "comment": {"mp3": "COMM", "opus": "COMMENT"},
    "language": {"mp3": "TLAN", "opus": "LANGUAGE"},
    "copyright": {"mp3": "TCOP", "opus": "COPYRIGHT"},
    "url": {"mp3": "WOAS", "opus": "CONTACT"},
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


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


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
        audio[f"CHAPTER{index:03d}"] = [_clock(chapter.start)]
        audio[f"CHAPTER{index:03d}NAME"] = [chapter.title]
        if chapter.url:
            audio[f"CHAPTER{index:03d}URL"] = [chapter.url]
    audio.save()


WRITERS = {"mp3": write_mp3_tags, "opus": write_opus_tags}
"""The tag writer for each encoded format."""
