"""Metering what is published: every encoded file is decoded and measured (EBU R128, true peak).

A limiter ahead of an encoder does not bound what the decoder gives back (Opus
and MP3 overshoot on clipped or impulsive sound), so the figures that count are
those of the files themselves. The files are measured side by side, one ffmpeg
each, so that both cores work. (Not one ffmpeg for all: its filter graphs, each on
its own thread, print their summaries as they end, and two summaries' lines then
interleave in its log.)
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.loudness import Loudness, measure

TP_SAFETY_DB = 0.2
"""A branch over its ceiling is made again this much further under it than the overshoot measured."""


@dataclass(frozen=True)
class Verdict:
    name: str
    loudness: Loudness
    peak_excess: float
    """dB over the true-peak ceiling (0 when under)."""
    loudness_error: float
    """Target minus measured integrated loudness, LU."""

    def wrong(self, tolerance_lu: float) -> bool:
        """Over the ceiling, or off the target by more than `tolerance_lu`.

        ebur128 gives tenths of a LU: a file measured exactly `tolerance_lu` off (-16.3 for -16) is within it,
        although -16.0 - (-16.3) is 0.30000000000000071 in floating point (it was made again for nothing)."""
        return self.peak_excess > 0 or self.loudness_miss(tolerance_lu) > 0

    def loudness_miss(self, tolerance_lu: float) -> float:
        """LU off the target beyond `tolerance_lu` (0 within it), at ebur128's tenths (see `wrong`)."""
        return max(0.0, round(abs(self.loudness_error), 6) - tolerance_lu)


def meter_files(files: dict[str, Path]) -> dict[str, Loudness]:
    """{format: loudness} of each published file, decoded (first audio stream only: cover art is not audio)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(measure, path) for name, path in files.items()}
        return {name: future.result() for name, future in futures.items()}


def judge(files: dict[str, Path], target: float, ceiling: float) -> dict[str, Verdict]:
    verdicts = {}
    for name, loudness in meter_files(files).items():
        peak = loudness.true_peak if loudness.true_peak is not None else 0.0
        verdicts[name] = Verdict(name, loudness, max(0.0, peak - ceiling), target - loudness.integrated)
    return verdicts
