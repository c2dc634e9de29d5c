"""EBU R128 measurement with ffmpeg's ebur128 filter, streamed (memory stays flat).

The filter prints one line every 100 ms (`framelog=info`) with the momentary
(400 ms) and short-term (3 s) loudness and the peaks of that frame, and a
summary at the end. `EbuLog` reads both from ffmpeg's stderr as it comes, for
several named meters in one filter graph (`ebur128@name`).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.audio.containers import input_args
from pipeline.audio.tools import FFMPEG_QUIET, ONE_FILTER_THREAD, last_error, run_streaming

SILENCE_LUFS = -69.0  # ebur128 reports -70 LUFS when nothing passes the absolute gate
FRAME_SECONDS = 0.1
"""ebur128 logs one frame every 100 ms: the 400 ms blocks, 75 % overlapped, that R128 gating uses."""


class MeasureError(ValueError):
    pass


@dataclass(frozen=True)
class Loudness:
    integrated: float
    """Integrated loudness, LUFS."""
    lra: float
    """Loudness range, LU."""
    true_peak: float | None
    """True peak, dBTP (None when not measured)."""
    sample_peak: float | None = None
    """Highest sample, dBFS (None when not measured)."""

    def as_dict(self) -> dict:
        return asdict(self)


_NUMBER = r"(-?(?:\d+(?:\.\d+)?|inf))"
_PREFIX = re.compile(r"^\[(?P<name>[^\]@ ]+(?:@[^\] ]+)?) @ 0x[0-9a-f]+\] (?P<rest>.*)$")
_FRAME = re.compile(r"t:\s*(?P<t>[\d.]+)\s+TARGET:\S+ LUFS\s+M:\s*(?P<m>-?[\d.]+|-?inf|nan)\s+S:\s*(?P<s>-?[\d.]+|-?inf|nan)")
_FTPK = re.compile(r"FTPK:((?:\s+-?(?:[\d.]+|inf))+) dBFS")
_SPK = re.compile(r"SPK:((?:\s+-?(?:[\d.]+|inf))+) dBFS")


def _number(text: str) -> float:
    value = float(text)
    return value if value == value else -120.7  # nan: nothing measured yet


@dataclass
class Meter:
    """What one ebur128 instance reported: its frames (if logged) and its summary."""

    # Arrays of doubles, not lists of floats: 8 bytes a frame instead of 32 (108,000 frames in 3 hours).
    momentary: array = field(default_factory=lambda: array("d"))
    short_term: array = field(default_factory=lambda: array("d"))
    frame_peak: array = field(default_factory=lambda: array("d"))
    """Highest true (or sample) peak of each 100 ms frame over all channels, dBFS."""
    channel_peaks: list[float] = field(default_factory=list)
    """Sample peak of each channel over the whole recording, dBFS (from the last frame)."""
    last_time: float = 0.0
    summary: list[str] = field(default_factory=list)

    def loudness(self) -> Loudness:
        return parse_summary("\n".join(self.summary))


class EbuLog:
    """Reads ffmpeg's stderr line by line; `meters[name]` holds what `ebur128@name` said."""

    def __init__(self, keep_frames: set[str] | None = None, on_time=None):
        self.meters: dict[str, Meter] = {}
        self.keep_frames = keep_frames
        self.on_time = on_time
        self._summary_of: str | None = None

    def meter(self, name: str) -> Meter:
        return self.meters.setdefault(name, Meter())

    def feed(self, line: str) -> None:
        prefixed = _PREFIX.match(line)
        if not prefixed:
            if self._summary_of is not None:
                self.meters[self._summary_of].summary.append(line.rstrip("\n"))
            return
        self._summary_of = None
        name, rest = prefixed.group("name"), prefixed.group("rest")
        if not name.startswith("ebur128") and not name.startswith("Parsed_ebur128"):
            return
        name = name.split("@", 1)[-1] if "@" in name else "main"
        if rest.startswith("Summary:"):
            self._summary_of = name
            self.meter(name).summary = ["Summary:"]
            return
        frame = _FRAME.search(rest)
        if not frame:
            return
        meter = self.meter(name)
        meter.last_time = float(frame.group("t"))
        if self.on_time is not None:
            self.on_time(meter.last_time)
        if self.keep_frames is not None and name not in self.keep_frames:
            return
        meter.momentary.append(_number(frame.group("m")))
        meter.short_term.append(_number(frame.group("s")))
        peaks = _FTPK.search(rest) or _SPK.search(rest)
        meter.frame_peak.append(max(_number(v) for v in peaks.group(1).split()) if peaks else -120.0)
        spk = _SPK.search(rest)
        if spk:
            meter.channel_peaks = [_number(v) for v in spk.group(1).split()]


def parse_summary(stderr: str) -> Loudness:
    summary = stderr[stderr.rfind("Summary:") :]
    integrated = re.search(r"I:\s+" + _NUMBER + r" LUFS", summary)
    lra = re.search(r"LRA:\s+" + _NUMBER + r" LU", summary)
    sample = re.search(r"Sample peak:\s+Peak:\s+" + _NUMBER + r" dBFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+" + _NUMBER + r" dBFS", summary)
    if not integrated or not lra:
        raise MeasureError("ffmpeg gave no loudness figures")
    return Loudness(
        float(integrated.group(1)),
        float(lra.group(1)),
        float(peak.group(1)) if peak else None,
        float(sample.group(1)) if sample else None,
    )


def measure(path: Path, *, filters: str = "", true_peak: bool = True, demuxer: str | None = None) -> Loudness:
    """Loudness of `path` (its first audio stream), after optional `filters`."""
    chain = ",".join(f for f in (filters, f"ebur128=framelog=quiet{':peak=true+sample' if true_peak else ''}") if f)
    log = EbuLog(keep_frames=set())
    status, last = run_streaming(["ffmpeg", *FFMPEG_QUIET, *ONE_FILTER_THREAD, *input_args(path, demuxer), "-map", "0:a:0", "-af", chain, "-f", "null", "-"], log.feed)
    if status != 0:
        raise MeasureError(f"ffmpeg could not decode it ({last_error(last)})")
    return log.meter("main").loudness()
