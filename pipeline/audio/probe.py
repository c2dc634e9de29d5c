"""What a recording is: its duration, channels and sample rate, read by ffprobe.

A recording straight from a field recorder or a phone can be empty, unreadable,
a text file that was renamed, damaged, cut short by an interrupted copy, or
silent (microphone unplugged). `probe` finds each of these cheaply, so that
`portevoix check` says so in one sentence before any long processing starts:
ffprobe reads the headers, then a few short windows spread over the file are
decoded (the last one at the very end, which finds a copy cut short); only when
every window is silent is the whole file decoded, to be sure it is.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.textfmt import clock
from pipeline.audio.containers import demuxer_for, input_args, looks_like_playlist
from pipeline.audio.tools import FFMPEG_QUIET, run
from pipeline.i18n import say, unreadable


class ProbeError(ValueError):
    """The file is not a readable recording; the message says why, in words."""


@dataclass(frozen=True)
class RecordingInfo:
    duration: float
    channels: int
    sample_rate: int
    codec: str
    demuxer: str | None = None
    """The container's ffmpeg demuxer, passed with -f to every later pass (None: chosen among containers.PROBE_FORMATS)."""


WINDOW_SECONDS = 2.0
WINDOWS = 4
"""Short windows decoded across the recording, besides the one at its end."""
SILENT_DB = -60.0
"""A recording whose loudest sample stays below this is silent (a room with people in it never is)."""
TRUNCATION_TOLERANCE = 1.5
"""Seconds a header's duration may overstate the real sound (encoder padding) before it is called cut short."""

_HEAD_BYTES = 4096
PROBE_TIMEOUT = 120
"""Seconds ffprobe may take to read a recording's header."""


def looks_like_text(head: bytes) -> bool:
    """True when the first bytes are readable text (no audio container starts like that)."""
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sample
            return False
        text = head[: exc.start].decode("utf-8")
    return all(c.isprintable() or c in "\r\n\t\f" for c in text.lstrip("\ufeff"))


def probe(path: Path, *, decode: bool = True) -> RecordingInfo:
    """Read what `path` is; with `decode`, also check that its sound is there (not cut short, not silent)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise ProbeError(unreadable(exc)) from None
    if size == 0:
        raise ProbeError(say("recording_empty"))
    if looks_like_playlist(head):
        raise ProbeError(say("recording_playlist"))
    if looks_like_text(head):
        raise ProbeError(say("recording_text"))
    try:
        result = run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", *input_args(path, None)],
                     timeout=PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ProbeError(f"ffprobe gave no answer in {PROBE_TIMEOUT} s (a damaged file, or a network folder that hangs?)") from None
    if result.returncode != 0:
        if "not on whitelist" in result.stderr:
            raise ProbeError(say("recording_playlist" if _opens_others(result.stderr) else "recording_container"))
        raise ProbeError(say("recording_not_audio"))
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError:
        raise ProbeError(say("recording_not_audio")) from None
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise ProbeError(say("recording_no_audio"))
    demuxer = demuxer_for(str(data.get("format", {}).get("format_name", "")))
    if demuxer is None:
        raise ProbeError(say("recording_container"))
    stream = streams[0]
    duration = stream.get("duration") or data.get("format", {}).get("duration")
    try:
        seconds = float(duration)
    except (TypeError, ValueError):
        raise ProbeError("has no readable duration (truncated or corrupt file?)") from None
    if seconds <= 0.1:
        raise ProbeError("is shorter than a tenth of a second")
    info = RecordingInfo(
        duration=seconds,
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
        codec=str(stream.get("codec_name", "")),
        demuxer=demuxer,
    )
    declared = wav_declared_seconds(head)
    if declared is not None and size < declared[1] - 8 and declared[0] > info.duration + TRUNCATION_TOLERANCE:
        raise ProbeError(say("recording_truncated", expected=clock(declared[0]), actual=clock(info.duration)))
    if decode:
        check_sound(path, info)
    return info


_OPENS_OTHERS = ("hls", "concat", "dash", "sdp", "rtp", "rtsp", "mpd", "smil", "mpl2", "image2", "tee", "pls")


def _opens_others(stderr: str) -> bool:
    """True when the demuxer ffprobe refused (named "[hls @ 0x…] Format not on whitelist") opens other files."""
    found = re.search(r"\[(\w+) @ [^]]*\] Format not on whitelist", stderr)
    return found is not None and found.group(1) in _OPENS_OTHERS


def wav_declared_seconds(head: bytes) -> tuple[float, int] | None:
    """(seconds, file size) a WAV header announces, or None when it is not a WAV or says nothing useful.

    A WAV copy cut short keeps its header: ffprobe reports what is there, the header what should be."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    offset, byte_rate = 12, 0
    while offset + 8 <= len(head):
        chunk, length = head[offset : offset + 4], struct.unpack("<I", head[offset + 4 : offset + 8])[0]
        if chunk == b"fmt " and offset + 20 <= len(head):
            byte_rate = struct.unpack("<I", head[offset + 16 : offset + 20])[0]
        if chunk == b"data":
            if not byte_rate or length in (0, 0xFFFFFFFF):  # streaming writers leave the size open
                return None
            return length / byte_rate, offset + 8 + length
        offset += 8 + length + (length & 1)
    return None


@dataclass(frozen=True)
class Window:
    decoded: float
    """Seconds of sound actually decoded."""
    peak_db: float | None
    """Loudest sample, dBFS (None when nothing was decoded)."""
    error: str


def decode_window(path: Path, start: float, length: float | None, rate: int, demuxer: str | None) -> Window:
    """Decode `length` seconds from `start` (to the end when None): how much came out, how loud at most."""
    args = ["ffmpeg", *FFMPEG_QUIET, "-v", "info", "-ss", f"{start:.3f}"]
    if length is not None:
        args += ["-t", f"{length:.3f}"]
    args += [*input_args(path, demuxer), "-map", "0:a:0", "-af", "aformat=sample_fmts=flt:channel_layouts=mono,volumedetect", "-f", "null", "-"]
    result = run(args)
    # The last report counts: newer ffmpeg configures the filters twice and reports an empty first run.
    samples = re.findall(r"n_samples: (\d+)", result.stderr)[-1:]
    peak = re.findall(r"max_volume: (-?[\d.]+|-inf) dB", result.stderr)[-1:]
    decoded = int(samples[0]) / rate if samples and rate else 0.0
    peak_db = float(peak[0]) if peak and peak[0] != "-inf" else (None if not samples else -200.0)
    error = "" if result.returncode == 0 else (result.stderr.strip().splitlines()[-1:] or [""])[0]
    return Window(decoded, peak_db, error)


def check_sound(path: Path, info: RecordingInfo) -> None:
    """Raise ProbeError when the recording is cut short, undecodable or silent."""
    duration, rate = info.duration, info.sample_rate or 44100
    # The end first: a copy cut short announces a duration its data does not reach.
    tail_start = max(0.0, duration - WINDOW_SECONDS - TRUNCATION_TOLERANCE)
    tail = decode_window(path, tail_start, None, rate, info.demuxer)
    if tail.decoded < 0.05 or tail_start + tail.decoded < duration - TRUNCATION_TOLERANCE - 0.5:
        whole = decode_window(path, 0.0, None, rate, info.demuxer)
        if whole.decoded < 0.05:
            raise ProbeError(say("recording_corrupt", at=clock(0)))
        if whole.decoded < duration - TRUNCATION_TOLERANCE:
            raise ProbeError(say("recording_truncated", expected=clock(duration), actual=clock(whole.decoded)))
    peaks = [tail.peak_db]
    span = max(0.0, tail_start - WINDOW_SECONDS)
    for index in range(WINDOWS):
        if peaks and max((p for p in peaks if p is not None), default=-200.0) > SILENT_DB:
            return  # sound found: not silent
        start = span * index / max(1, WINDOWS - 1)
        window = decode_window(path, start, WINDOW_SECONDS, rate, info.demuxer)
        if window.decoded < 0.05 and window.error:
            raise ProbeError(say("recording_corrupt", at=clock(start)))
        peaks.append(window.peak_db)
    if max((p for p in peaks if p is not None), default=-200.0) > SILENT_DB:
        return
    # Every window was silent: decode everything before saying so.
    whole = decode_window(path, 0.0, None, rate, info.demuxer)
    if whole.peak_db is None or whole.peak_db <= SILENT_DB:
        raise ProbeError(say("recording_silent"))
