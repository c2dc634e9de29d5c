"""The processing pass: one ffmpeg run makes every encoding at once.

decode → cut the dead air → mix down → 44.1 kHz → leveler curve + gain →
  ├ limiter (MP3 ceiling) → codec offset → MP3 encoder   (own thread)
  │                        └ meter (after figures, loudness over time)
  └ 48 kHz → its gain → limiter (lower Opus ceiling) → Opus encoder  (own thread)

The leveler curve is sent to ffmpeg's `volume` filter as timed commands
(`asendcmd`), so the gain glides frame by frame as planned by `leveler`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.analysis import channel_filter
from pipeline.audio.loudness import FRAME_SECONDS, EbuLog, Meter
from pipeline.audio.tools import FFMPEG_QUIET, last_error, run_streaming
from pipeline.presets import Preset

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
OPUS_RATE = 48000
CURVE_FILE = "leveler.cmd"
CURVE_STEP_DB = 0.05
"""A new gain is sent to ffmpeg when the curve has moved by this much."""


class RenderError(ValueError):
    pass


@dataclass(frozen=True)
class RenderPlan:
    gain_db: float
    """Static gain on top of the leveler curve."""
    opus_extra_db: float
    """More gain for the Opus branch, whose lower limiter takes a little more."""
    curve: list[float]
    """Leveler gain (dB) per 100 ms frame of the recording."""
    channels: int
    mono_from: str | None
    trim_start: float
    trim_end: float
    """Where the published audio starts and ends in the recording, seconds."""

    def mix(self, source_channels: int, preset: Preset) -> str:
        if self.mono_from == "left":
            return channel_filter(source_channels, False) + ",pan=mono|c0=c0"
        if self.mono_from == "right":
            return channel_filter(source_channels, False) + ",pan=mono|c0=c1"
        return channel_filter(source_channels, self.channels == 1)


def ceiling(preset: Preset, margin: float) -> float:
    """Limiter threshold (linear sample value) `margin` dB below the preset's true-peak ceiling."""
    return 10 ** ((preset.true_peak - margin) / 20)


def write_curve(path: Path, plan: RenderPlan) -> None:
    """Timed gain commands for `volume@lev`, in the time of the trimmed audio."""
    first = round(plan.trim_start / FRAME_SECONDS)
    last = round(plan.trim_end / FRAME_SECONDS)
    lines, sent = [], None
    # Frame i's momentary value covers the 400 ms before (i+1)*0.1 s: its centre is 0.2 s earlier.
    for i in range(max(0, first - 2), min(len(plan.curve), last + 3)):
        value = plan.curve[i] + plan.gain_db
        if sent is not None and abs(value - sent) < CURVE_STEP_DB:
            continue
        at = max(0.0, (i + 1) * FRAME_SECONDS - 0.2 - plan.trim_start)
        lines.append(f"{at:.3f} volume@lev volume {10 ** (value / 20):.6f};")
        sent = value
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def graph(plan: RenderPlan, source_channels: int, preset: Preset) -> str:
    first = min(len(plan.curve) - 1, round(plan.trim_start / FRAME_SECONDS)) if plan.curve else 0
    start_gain = 10 ** (((plan.curve[first] if plan.curve else 0.0) + plan.gain_db) / 20)
    return ";".join(
        [
            f"[0:a:0]atrim=start={plan.trim_start:.3f}:end={plan.trim_end:.3f},asetpts=PTS-STARTPTS,"
            f"{plan.mix(source_channels, preset)},aresample={SAMPLE_RATE},"
            f"asendcmd=f={CURVE_FILE},volume@lev=volume={start_gain:.6f}:eval=once:precision=float,asplit=2[m][o]",
            f"[m]alimiter=limit={ceiling(preset, preset.limiter_margin_mp3):.5f}:attack=5:release=50:level=disabled:latency=1,asplit=2[limited][meter]",
            f"[limited]volume={preset.mp3_loudness_offset:.2f}dB:precision=float[mp3]",
            "[meter]ebur128@after=peak=true+sample:framelog=info[measured]",
            f"[o]aresample={OPUS_RATE},volume={plan.opus_extra_db:.2f}dB:precision=float,alimiter=limit={ceiling(preset, preset.limiter_margin_opus):.5f}:attack=5:release=50:level=disabled:latency=1[opus]",
        ]
    )


def render(source: Path, source_channels: int, plan: RenderPlan, preset: Preset, folder: Path, *, on_time=None) -> Meter:
    """Write folder/audio.mp3 and folder/audio.opus; return the meter of the processed audio (before the encoders)."""
    write_curve(folder / CURVE_FILE, plan)
    mp3_bitrate = preset.mp3_bitrate_mono if plan.channels == 1 else preset.mp3_bitrate_stereo
    args = [
        "ffmpeg", *FFMPEG_QUIET, "-y", "-i", str(source.resolve()), "-filter_complex", graph(plan, source_channels, preset),
        "-map", "[mp3]", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", mp3_bitrate, "-compression_level", str(preset.mp3_quality),
        "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str((folder / "audio.mp3").resolve()),
        "-map", "[opus]", "-map_metadata", "-1", "-c:a", "libopus", "-b:a", preset.opus_bitrate,
        "-application", preset.opus_application, "-compression_level", str(preset.opus_complexity), "-f", "ogg", str((folder / "audio.opus").resolve()),
        "-map", "[measured]", "-f", "null", "-",
    ]
    ebu = EbuLog(keep_frames={"after"}, on_time=on_time)
    status, last = run_streaming(args, ebu.feed, cwd=folder)
    (folder / CURVE_FILE).unlink(missing_ok=True)
    if status != 0 or "after" not in ebu.meters:
        raise RenderError(f"encoding failed ({last_error(last)})")
    return ebu.meters["after"]
