"""The analysis pass: one decoding of the recording gives everything the processing needs.

Integrated loudness, loudness range, true and sample peak, the loudness of every
100 ms frame (for the leveler and the report), the dead air at both ends, and
whether a stereo recording is effectively mono (both channels the same, or one
of them dead).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.loudness import FRAME_SECONDS, SILENCE_LUFS, EbuLog, Loudness, MeasureError
from pipeline.audio.containers import input_args
from pipeline.audio.tools import FFMPEG_QUIET, last_error, run_streaming
from pipeline.presets import Preset

log = logging.getLogger(__name__)

MONO_SIDE_LU = 30.0
"""A stereo recording whose side signal (L-R) is this much quieter than the whole is effectively mono."""
DEAD_CHANNEL_DBFS = -60.0
"""A channel whose highest sample stays below this carries nothing (a microphone on one input only)."""


SURROUND_TO_STEREO = {
    # ITU-R BS.775 fold-down, LFE left out: front + 0.707 centre + 0.707 surrounds (5.1 and 7.1, back or side).
    6: "pan=stereo|c0=c0+0.707*c2+0.707*c4|c1=c1+0.707*c2+0.707*c5",
    8: "pan=stereo|c0=c0+0.707*c2+0.707*c4+0.707*c6|c1=c1+0.707*c2+0.707*c5+0.707*c7",
}


def to_stereo(channels: int) -> str:
    """An explicit fold-down of more than two channels (the same in both passes, whatever ffmpeg would choose)."""
    if channels in SURROUND_TO_STEREO:
        return SURROUND_TO_STEREO[channels]
    left = "+".join(f"{2 / channels:.4f}*c{i}" for i in range(0, channels, 2))
    right = "+".join(f"{2 / channels:.4f}*c{i}" for i in range(1, channels, 2))
    return f"pan=stereo|c0={left}|c1={right}"


def channel_filter(channels: int, mono: bool) -> str:
    """Explicit mixdown in floating point (its gain does not depend on the sample format): to mono, or above 2 to stereo."""
    steps = ["aformat=sample_fmts=fltp"]
    if channels > 2:
        steps.append(to_stereo(channels))
        channels = 2
    if mono and channels == 2:
        steps.append("pan=mono|c0=0.5*c0+0.5*c1")
    elif channels == 1:
        steps.append("aformat=channel_layouts=mono")
    else:
        steps.append("aformat=channel_layouts=stereo")
    return ",".join(steps)


@dataclass(frozen=True)
class Analysis:
    loudness: Loudness
    """Of the recording as it will be processed (5.1 mixed down to stereo, mono when the preset says so)."""
    duration: float
    momentary: Sequence[float]
    """Momentary loudness (400 ms) every 100 ms, LUFS."""
    short_term: Sequence[float]
    """Short-term loudness (3 s) every 100 ms, LUFS."""
    frame_peak: Sequence[float]
    """True peak of each 100 ms frame, dBFS."""
    channels: int
    """1 or 2, after mixdown."""
    mono_from: str | None
    """For stereo: "both" when the channels are the same, "left"/"right" when the other is dead, else None."""
    lead_silence: float
    """Seconds of dead air at the start (before any sound louder than the trim gate)."""
    trail_silence: float
    """Seconds of dead air at the end."""

    @property
    def silent(self) -> bool:
        return self.loudness.integrated <= SILENCE_LUFS


def dead_air(momentary: Sequence[float], integrated: float, gate_lu: float, duration: float) -> tuple[float, float]:
    """Seconds before the first and after the last frame louder than `integrated + gate_lu` (or -60 LUFS)."""
    threshold = max(integrated + gate_lu, -60.0)
    loud = [i for i, value in enumerate(momentary) if value >= threshold]
    if not loud:
        return 0.0, 0.0
    first_end = (loud[0] + 1) * FRAME_SECONDS
    last_end = (loud[-1] + 1) * FRAME_SECONDS
    lead = max(0.0, first_end - 0.4)  # a momentary value covers the 400 ms before its time
    trail = max(0.0, duration - last_end)
    return lead, trail


def analyse(source: Path, channels: int, preset: Preset, *, demuxer: str | None = None, on_time=None) -> Analysis:
    """Measure `source` (first audio stream) in one decoding pass."""
    want_mono = preset.channels == "mono"
    mix = channel_filter(channels, want_mono)
    stereo = channels >= 2 and not want_mono
    graph = f"[0:a:0]{mix},"
    if stereo:
        graph += "asplit=2[main][side];[side]pan=mono|c0=0.5*c0-0.5*c1,ebur128@side=framelog=quiet,anullsink;[main]"
    graph += "ebur128@src=peak=true+sample:framelog=info[out]"
    ebu = EbuLog(keep_frames={"src"}, on_time=on_time)
    status, last = run_streaming(
        ["ffmpeg", *FFMPEG_QUIET, *input_args(source, demuxer), "-filter_complex", graph, "-map", "[out]", "-f", "null", "-"], ebu.feed
    )
    if status != 0 or "src" not in ebu.meters:
        raise MeasureError(f"ffmpeg could not decode it ({last_error(last)})")
    src = ebu.meters["src"]
    loudness = src.loudness()
    duration = src.last_time
    mono_from = None
    if stereo and loudness.integrated > SILENCE_LUFS:
        side = ebu.meters["side"].loudness().integrated if "side" in ebu.meters else 0.0
        peaks = src.channel_peaks
        if side <= loudness.integrated - MONO_SIDE_LU:
            mono_from = "both"
        elif len(peaks) == 2 and min(peaks) < DEAD_CHANNEL_DBFS and max(peaks) > DEAD_CHANNEL_DBFS + 20:
            mono_from = "left" if peaks[0] > peaks[1] else "right"
    lead, trail = dead_air(src.momentary, loudness.integrated, preset.trim_gate_lu, duration)
    log.debug("analysis of %s: %s, mono from %s, dead air %.1f s + %.1f s", source, loudness, mono_from, lead, trail)
    return Analysis(
        loudness=loudness,
        duration=duration,
        momentary=src.momentary,
        short_term=src.short_term,
        frame_peak=src.frame_peak,
        channels=1 if (want_mono or channels == 1) else 2,
        mono_from=mono_from,
        lead_silence=lead,
        trail_silence=trail,
    )
