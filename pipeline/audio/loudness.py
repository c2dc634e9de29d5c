"""EBU R128 measurement with ffmpeg's ebur128 filter, streamed (memory stays flat)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.audio.tools import FFMPEG_QUIET, run

SILENCE_LUFS = -69.0  # ebur128 reports -70 LUFS when nothing passes the absolute gate


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

    def as_dict(self) -> dict:
        return asdict(self)


_NUMBER = r"(-?(?:\d+(?:\.\d+)?|inf))"


def parse_summary(stderr: str) -> Loudness:
    summary = stderr[stderr.rfind("Summary:") :]
    integrated = re.search(r"I:\s+" + _NUMBER + r" LUFS", summary)
    lra = re.search(r"LRA:\s+" + _NUMBER + r" LU", summary)
    peak = re.search(r"True peak:\s+Peak:\s+" + _NUMBER + r" dBFS", summary)
    if not integrated or not lra:
        raise MeasureError("ffmpeg gave no loudness figures")
    return Loudness(float(integrated.group(1)), float(lra.group(1)), float(peak.group(1)) if peak else None)


def measure(path: Path, *, filters: str = "", true_peak: bool = True) -> Loudness:
    """Loudness of `path` (its first audio stream), after optional `filters`."""
    chain = ",".join(f for f in (filters, f"ebur128=framelog=verbose{':peak=true' if true_peak else ''}") if f)
    result = run(["ffmpeg", *FFMPEG_QUIET, "-i", str(path), "-map", "0:a:0", "-af", chain, "-f", "null", "-"])
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1:] or ["unknown error"]
        raise MeasureError(f"ffmpeg could not decode it ({last[0]})")
    return parse_summary(result.stderr)
