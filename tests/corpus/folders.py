"""Making a corpus case's podcast folder from its small description.

Every case starts from the same good podcast (one episode, a short generated
recording, the demo cover) and changes a few files. A file's content is text,
bytes, None (delete it), or a `Made` value that names something generated here:
recordings by ffmpeg, images by Pillow, links, permissions.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

CONFIG = """\
title: "Débats du collectif"
description: "Les débats publics du collectif, enregistrés."
author: "Collectif"
owner: {name: "Collectif", email: "contact@example.org"}
base_url: "https://debats.example.org/"
"""

EPISODE_DIR = "episodes/2024-03-20-debat"
EPISODE = f"{EPISODE_DIR}/episode.md"
RECORDING = f"{EPISODE_DIR}/enregistrement.wav"
GUID = "2f1c9a7e-5b1d-4c3e-9a50-000000000001"
RECORDING_SECONDS = 6.0


def front(notes: str = "Des notes.\n", **fields: str | None) -> str:
    """An episode.md: the good front matter, with `fields` replaced (raw YAML values) or removed (None)."""
    values: dict[str, str | None] = {
        "title": '"Débat à la Bourse du travail"',
        "date": "2024-03-20T18:30:00+01:00",
        "recording": "enregistrement.wav",
        "guid": GUID,
    }
    values.update(fields)
    lines = [f"{key}: {value}" if not value.startswith("\n") else f"{key}:{value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + notes


@dataclass(frozen=True)
class Made:
    """Something generated when the folder is made: `kind` is one of MAKERS, `arg` its detail."""

    kind: str
    arg: str = ""


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-v", "error", "-y", *args], check=True)


def _tone(target: Path, seconds: float = RECORDING_SECONDS, extra: tuple[str, ...] = ()) -> None:
    source = f"aevalsrc='0.3*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*3*t))':s=44100:d={seconds}"
    _ffmpeg("-f", "lavfi", "-i", source, *extra, str(target))


class Materials:
    """Generated files, made once per session and copied into each case."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, name: str) -> Path:
        path = self.folder / name
        if not path.exists():
            getattr(self, "make_" + name.replace(".", "_").replace("-", "_"))(path)
        return path

    def make_tone_wav(self, path: Path) -> None:
        _tone(path)

    def make_tone_mp3(self, path: Path) -> None:
        _tone(path, extra=("-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "1"))

    def make_silent_wav(self, path: Path) -> None:
        _ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", str(RECORDING_SECONDS), str(path))

    def make_truncated_mp3(self, path: Path) -> None:
        data = self.get("tone.mp3").read_bytes()
        path.write_bytes(data[: len(data) // 2])

    def make_truncated_wav(self, path: Path) -> None:
        data = self.get("tone.wav").read_bytes()
        path.write_bytes(data[: len(data) // 2])

    def make_random_bin(self, path: Path) -> None:
        generator = random.Random(7)
        path.write_bytes(bytes(generator.randrange(256) for _ in range(40_000)))

    def make_picture_png(self, path: Path) -> None:
        from PIL import Image

        Image.new("RGB", (64, 64), (200, 40, 40)).save(path, "PNG")


PLAYLIST_KINDS = ("hls", "ffconcat", "dash", "sdp")
JUNK = bytes(range(0x80, 0x100)) * 16
"""2 KiB of bytes that are not text (and hold no NUL, which would end ffmpeg's own sniffing)."""


def playlist(kind: str, segment: Path, binary: bool = False) -> bytes:
    """A playlist or manifest of `kind` that points to `segment`; `binary` puts bytes in it that are not text."""
    junk = JUNK if binary else b""
    if kind == "hls":
        return (b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#" + junk + b"\n#EXTINF:6.0,\n"
                + str(segment).encode() + b"\n#EXT-X-ENDLIST\n")
    if kind == "ffconcat":
        return b"ffconcat version 1.0\n#" + junk + b"\nfile '" + str(segment).encode() + b"'\n"
    if kind == "dash":
        # Junk first: a "does it start like text?" test sees bytes, ffmpeg's DASH sniffer still finds the manifest.
        return junk + (
            '<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"'
            ' type="static" mediaPresentationDuration="PT6S" minBufferTime="PT1S"><Period><AdaptationSet mimeType="audio/wav">'
            f'<Representation id="a" bandwidth="705600"><BaseURL>file://{segment}</BaseURL></Representation>'
            "</AdaptationSet></Period></MPD>\n"
        ).encode()
    if kind == "sdp":
        return b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=" + junk + b"\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n"
    raise ValueError(kind)


def _image(path: Path, spec: str) -> None:
    """spec: "WIDTHxHEIGHT MODE", e.g. "1400x1400 CMYK"."""
    from PIL import Image

    size, mode = spec.split()
    width, height = (int(n) for n in size.split("x"))
    colour = {"RGB": (30, 90, 160), "CMYK": (80, 20, 0, 10)}[mode]
    Image.new(mode, (width, height), colour).save(path, "JPEG", quality=70)


def _png(path: Path, spec: str) -> None:
    """spec "huge": 4000x4000 px (a few kB on disk); "ztxt": a valid 1400 px PNG with a 100 MB zTXt chunk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    size = 4000 if spec == "huge" else 1400
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))  # 1-bit greyscale
    compressor, row = zlib.compressobj(9), b"\x00" * (1 + (size + 7) // 8)
    rows = b"".join(compressor.compress(row) for _ in range(size)) + compressor.flush()
    extra = b""
    if spec == "ztxt":
        extra = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * 100_000_000, 9))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + header + extra + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def make_case_folder(root: Path, files: dict[str, object], materials: Materials) -> Path:
    """The good podcast in `root`, then `files` applied in order."""
    root.mkdir(parents=True)
    (root / "podcast.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copy2(REPO / "cover.jpg", root / "cover.jpg")
    (root / EPISODE_DIR).mkdir(parents=True)
    (root / EPISODE).write_text(front(), encoding="utf-8")
    shutil.copy2(materials.get("tone.wav"), root / RECORDING)
    for name, content in files.items():
        target = root / name
        if content is None:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            target.write_bytes(content)
        elif isinstance(content, Made):
            _make(target, content, root, materials)
        else:
            raise TypeError(f"{name}: {content!r}")
    return root


def _make(target: Path, made: Made, root: Path, materials: Materials) -> None:
    if made.kind == "material":
        shutil.copy2(materials.get(made.arg), target)
    elif made.kind == "image":
        _image(target, made.arg)
    elif made.kind == "link-out":
        # A symbolic link to something beside the podcast folder: a recording, or a whole episode folder ("name/").
        outside = root.parent / f"{root.name}-outside"
        outside.mkdir(exist_ok=True)
        thing = outside / made.arg.rstrip("/")
        if made.arg.endswith("/"):
            thing.mkdir()
            (thing / "episode.md").write_text(front(guid="9c0ffee0-0000-4000-8000-0000000000aa"), encoding="utf-8")
            shutil.copy2(materials.get("tone.wav"), thing / "enregistrement.wav")
        else:
            shutil.copy2(materials.get("tone.wav"), thing)
        if target.exists() or target.is_symlink():
            target.unlink()
        os.symlink(thing, target)
    elif made.kind == "unreadable":
        # The given text, or the file as it is, or else the recording; then no permission at all.
        if made.arg:
            target.write_text(made.arg, encoding="utf-8")
        elif not target.exists():
            shutil.copy2(materials.get("tone.wav"), target)
        os.chmod(target, 0)
    elif made.kind == "folder":
        target.mkdir()
    elif made.kind == "png":
        _png(target, made.arg)
    elif made.kind == "symlink":
        target.unlink(missing_ok=True)
        os.symlink(made.arg, target)
    elif made.kind == "fifo":
        target.unlink(missing_ok=True)
        os.mkfifo(target)
    elif made.kind == "playlist":
        # "hls" or "hls binary": a playlist pointing to a recording beside the podcast folder.
        kind, _, binary = made.arg.partition(" ")
        outside = root.parent / f"{root.name}-outside"
        outside.mkdir(exist_ok=True)
        shutil.copy2(materials.get("tone.wav"), outside / "secret.wav")
        target.write_bytes(playlist(kind, outside / "secret.wav", binary == "binary"))
    else:
        raise ValueError(made.kind)
