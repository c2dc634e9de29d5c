"""How many bytes of a published file make "about one minute of audio".

From the built file when there is one (site/media/…): the metadata at its start
(ID3 tag with its cover, Ogg header pages, MP4 boxes before the audio) plus sixty
seconds at its audio byte rate, which is what a player must receive to have played
a minute. Without a built file, sixty seconds at the preset's nominal bitrate.
"""

from __future__ import annotations

import struct
from pathlib import Path

import mutagen

MINUTE = 60.0


def header_bytes(path: Path, kind: str) -> int:
    """Bytes before the first audio frame: what every download from the start receives first."""
    with path.open("rb") as handle:
        if kind == "mp3":
            head = handle.read(10)
            if head[:3] != b"ID3" or len(head) < 10:
                return 0
            size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
            return 10 + size + (10 if head[5] & 0x10 else 0)
        if kind == "opus":
            # Ogg pages until the first one that carries audio (granule position above zero).
            offset = 0
            while True:
                handle.seek(offset)
                page = handle.read(27)
                if len(page) < 27 or page[:4] != b"OggS":
                    return 0
                granule = struct.unpack("<q", page[6:14])[0]
                segments = handle.read(page[26])
                if granule > 0:
                    return offset
                offset += 27 + page[26] + sum(segments)
        # MP4 (AAC): top-level boxes up to the media data.
        offset = 0
        while True:
            handle.seek(offset)
            box = handle.read(16)
            if len(box) < 8:
                return 0
            size, name = struct.unpack(">I4s", box[:8])
            header = 8
            if size == 1:
                size, header = struct.unpack(">Q", box[8:16])[0], 16
            if name == b"mdat":
                return offset + header
            if size < 8:
                return 0
            offset += size


def threshold_of_file(path: Path, kind: str) -> int | None:
    """The one-minute threshold of a built media file, or None when it cannot be read as audio."""
    try:
        info = mutagen.File(path)
        duration = float(info.info.length) if info is not None else 0.0
        size = path.stat().st_size
        header = header_bytes(path, kind)
    except (OSError, mutagen.MutagenError, struct.error):
        return None
    if duration <= 0 or size <= header:
        return None
    rate = (size - header) / duration
    return header + int(rate * MINUTE)


def threshold_of_bitrate(bitrate: str) -> int:
    """Sixty seconds at a nominal bitrate written as ffmpeg takes it ("96k")."""
    kilobits = float(bitrate.lower().rstrip("k"))
    return int(kilobits * 1000 / 8 * MINUTE)
