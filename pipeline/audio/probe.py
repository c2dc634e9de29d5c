"""What a recording is: its duration, channels and sample rate, read by ffprobe."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.tools import run


class ProbeError(ValueError):
    """The file is not a readable recording; the message says why, in words."""


@dataclass(frozen=True)
class RecordingInfo:
    duration: float
    channels: int
    sample_rate: int
    codec: str


def probe(path: Path) -> RecordingInfo:
    if path.stat().st_size == 0:
        raise ProbeError("the file is empty (0 bytes): copy the recording again")
    result = run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)])
    if result.returncode != 0:
        raise ProbeError("is not an audio file ffmpeg can read (corrupt, or not a recording)")
    data = json.loads(result.stdout or "{}")
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise ProbeError("contains no audio")
    stream = streams[0]
    duration = stream.get("duration") or data.get("format", {}).get("duration")
    try:
        seconds = float(duration)
    except (TypeError, ValueError):
        raise ProbeError("has no readable duration (truncated or corrupt file?)") from None
    if seconds <= 0.1:
        raise ProbeError("is shorter than a tenth of a second")
    return RecordingInfo(
        duration=seconds,
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
        codec=str(stream.get("codec_name", "")),
    )
