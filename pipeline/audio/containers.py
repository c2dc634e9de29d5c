"""Which containers a recording may be, and how ffmpeg and ffprobe are told to open it and nothing else.

Some of ffmpeg's demuxers open other files or URLs: an HLS playlist
(`#EXTM3U`), an ffconcat list, a DASH manifest, an SDP description… A file
named `enregistrement.mp3` may be any of them, whatever its extension, and
contain bytes that make it look binary. Opened as it is, it would make the
build read (and publish) audio from anywhere. So:

- the first look at a recording (ffprobe) may only choose among single-file
  containers (`PROBE_FORMATS`: the audio containers, plus pictures so that a
  picture renamed .mp3 is named as such), with `file` as the only protocol;
- the container ffprobe found is checked against `AUDIO_DEMUXERS` by
  `demuxer_for`, and every later pass names that demuxer explicitly (`-f`),
  so that no later pass probes again;
- `input_args` is the one place that builds those input arguments: every
  ffmpeg and ffprobe call that reads a recording goes through it.
"""

from __future__ import annotations

from pathlib import Path

AUDIO_DEMUXERS: frozenset[str] = frozenset(
    {
        "wav",  # WAV, BWF, RF64
        "w64",
        "aiff",
        "caf",
        "flac",
        "mp3",
        "ogg",  # Vorbis, Opus, FLAC in Ogg
        "mov",  # M4A, MP4, MOV (external data references are off by default)
        "matroska",  # MKA, WebM
        "aac",  # raw ADTS
        "asf",  # WMA
        "wv",  # WavPack
        "amr",
        "au",
        "ac3",
    }
)
"""ffmpeg demuxers of real audio containers: each reads one file and never opens another."""

PICTURE_DEMUXERS: frozenset[str] = frozenset({"png_pipe", "jpeg_pipe", "gif", "webp_pipe", "bmp_pipe", "tiff_pipe"})
"""Single-file picture demuxers: allowed at the first look only, so that a renamed picture is reported as one."""

PROBE_FORMATS = ",".join(sorted(AUDIO_DEMUXERS | PICTURE_DEMUXERS))
"""The `-format_whitelist` of the first look at a file, when its container is not known yet."""

PLAYLIST_MARKERS = (b"#EXTM3U", b"ffconcat version", b"<MPD", b"v=0", b"[playlist]", b"<smil", b"<?xml")
"""How playlists and manifests start (after blank space and a byte-order mark): used only to word the message."""


def demuxer_for(format_name: str) -> str | None:
    """The demuxer to pass with `-f` for what ffprobe calls `format_name`, or None when it is not an audio container.

    ffprobe names some demuxers by a list of the formats they read ("mov,mp4,m4a,3gp,3g2,mj2"); the first is the
    demuxer's name."""
    name = format_name.split(",", 1)[0].strip()
    return name if name in AUDIO_DEMUXERS else None


def input_args(path: Path, demuxer: str | None) -> list[str]:
    """ffmpeg/ffprobe arguments that open `path` as `demuxer` (None: among PROBE_FORMATS), reading that file only.

    The path is given as a `file:` URL, so that a name like "subfile,..." or "concat:..." is never taken for a
    protocol; `file` is the only protocol allowed."""
    args = ["-protocol_whitelist", "file"]
    args += ["-f", demuxer] if demuxer else ["-format_whitelist", PROBE_FORMATS]
    return [*args, "-i", "file:" + str(path.resolve())]


def looks_like_playlist(head: bytes) -> bool:
    """True when the first bytes are those of a playlist or manifest (only to choose the words of the refusal)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return any(start.startswith(marker) for marker in PLAYLIST_MARKERS) or b"<MPD" in head[:1024]
