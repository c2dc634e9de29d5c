"""The processing pass: one ffmpeg run makes every encoding at once.

decode → cut the dead air → mix down → 44.1 kHz → × gain curve (leveler + gain, a 2nd input) →
  ├ limiter (MP3 ceiling) → codec offset → MP3 encoder   (own thread)
  │                        └ meter (after figures, loudness over time)
  └ 48 kHz → its gain → limiter (lower Opus ceiling) → Opus encoder  (own thread)

The gain curve planned by `leveler` comes in as a second, 10 Hz input that
ffmpeg resamples and multiplies the audio by, so the gain glides as planned.
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.analysis import channel_filter
from pipeline.audio.loudness import FRAME_SECONDS, EbuLog, Meter
from pipeline.audio.containers import input_args
from pipeline.audio.tools import FFMPEG_QUIET, last_error, run_streaming
from pipeline.presets import Preset

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
OPUS_RATE = 48000
CURVE_FILE = "gain.f32"
CURVE_RATE = 10
"""The gain curve has one point per 100 ms frame of the analysis."""
CURVE_PADDING = 50


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
    """The leveler curve and the gain as a 10 Hz stream of linear gains (raw float32), in the time of the trimmed audio.

    ffmpeg reads it as a second input, resamples it to the audio's rate (a smooth,
    band-limited glide between the points) and multiplies the audio by it: memory
    and time stay flat however long the recording (timed filter commands do not).
    """
    first = min(round(plan.trim_start / FRAME_SECONDS), max(0, len(plan.curve) - 1))
    last = min(len(plan.curve), round(plan.trim_end / FRAME_SECONDS) + 1)
    gains = array("f", (10 ** ((plan.curve[i] + plan.gain_db) / 20) for i in range(first, last)))
    if not gains:
        gains.append(10 ** (plan.gain_db / 20))
    gains.extend([gains[-1]] * CURVE_PADDING)  # the audio must never outlast its gain
    path.write_bytes(gains.tobytes())


def graph(plan: RenderPlan, source_channels: int, preset: Preset) -> str:
    layout = "mono" if plan.channels == 1 else "stereo"
    return ";".join(
        [
            f"[1:a]aresample={SAMPLE_RATE},aformat=sample_fmts=flt,{'pan=stereo|c0=c0|c1=c0' if layout == 'stereo' else 'anull'}[gain]",
            f"[0:a:0]atrim=start={plan.trim_start:.3f}:end={plan.trim_end:.3f},asetpts=PTS-STARTPTS,"
            f"{plan.mix(source_channels, preset)},aresample={SAMPLE_RATE},aformat=sample_fmts=flt[sound]",
            "[sound][gain]amultiply,asplit=2[m][o]",
            f"[m]alimiter=limit={ceiling(preset, preset.limiter_margin_mp3):.5f}:attack=5:release=50:level=disabled:latency=1,asplit=2[limited][meter]",
            f"[limited]volume={preset.mp3_loudness_offset:.2f}dB:precision=float[mp3]",
            "[meter]ebur128@after=peak=true+sample:framelog=info[measured]",
            f"[o]aresample={OPUS_RATE},volume={plan.opus_extra_db + preset.opus_loudness_offset:.2f}dB:precision=float,alimiter=limit={ceiling(preset, preset.limiter_margin_opus):.5f}:attack=5:release=50:level=disabled:latency=1[opus]",
        ]
    )


def render(source: Path, source_channels: int, plan: RenderPlan, preset: Preset, folder: Path, *, demuxer: str | None = None, on_time=None) -> Meter:
    """Write folder/audio.mp3 and folder/audio.opus; return the meter of the processed audio (before the encoders)."""
    write_curve(folder / CURVE_FILE, plan)
    mp3_bitrate = preset.mp3_bitrate_mono if plan.channels == 1 else preset.mp3_bitrate_stereo
    args = [
        "ffmpeg", *FFMPEG_QUIET, "-y", *input_args(source, demuxer),
        "-ar", str(CURVE_RATE), "-ac", "1", *input_args(folder / CURVE_FILE, "f32le"),
        "-filter_complex", graph(plan, source_channels, preset),
        "-map", "[mp3]", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", mp3_bitrate, "-compression_level", str(preset.mp3_quality),
        "-write_xing", "1", "-id3v2_version", "0", "-fflags", "+bitexact", "-f", "mp3", str((folder / "audio.mp3").resolve()),
        "-map", "[opus]", "-map_metadata", "-1", "-c:a", "libopus", "-b:a", preset.opus_bitrate,
        "-application", preset.opus_application, "-compression_level", str(preset.opus_complexity),
        # bitexact: the Ogg stream serial is otherwise random, and the same audio would give another file (and digest).
        "-fflags", "+bitexact", "-f", "ogg", str((folder / "audio.opus").resolve()),
        "-map", "[measured]", "-f", "null", "-",
    ]
    ebu = EbuLog(keep_frames={"after"}, on_time=on_time)
    status, last = run_streaming(args, ebu.feed)
    (folder / CURVE_FILE).unlink(missing_ok=True)
    if status != 0 or "after" not in ebu.meters:
        raise RenderError(f"encoding failed ({last_error(last)})")
    return ebu.meters["after"]
