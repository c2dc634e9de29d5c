"""Normalising and encoding one recording, streamed through ffmpeg.

The gain is measured, not guessed: the input is measured once, the gain and
limiter chain is measured once more (cheap, no encoding), and the gain is
corrected by what the limiter took before the single encoding pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.loudness import SILENCE_LUFS, Loudness, measure
from pipeline.audio.probe import RecordingInfo
from pipeline.audio.tools import FFMPEG_QUIET, run
from pipeline.presets import Preset

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
LIMITER_MARGIN_DB = 1.0
"""The limiter works on samples; encoded files overshoot it. Keep this much below the true-peak ceiling."""
CORRECTION_PASSES = 3
CORRECTION_TOLERANCE_LU = 0.2


class RenderError(ValueError):
    pass


@dataclass(frozen=True)
class RenderPlan:
    gain_db: float
    channels: int
    filters: str


def channel_filter(channels: int) -> str:
    """Downmix explicitly (predictable gain whatever the sample format): mono stays mono, more becomes stereo."""
    if channels == 1:
        return "aformat=channel_layouts=mono"
    if channels == 2:
        return "aformat=channel_layouts=stereo"
    return "aresample=ochl=stereo,aformat=channel_layouts=stereo"


def chain(gain_db: float, preset: Preset, channels: int) -> str:
    ceiling = 10 ** ((preset.true_peak - LIMITER_MARGIN_DB) / 20)
    return ",".join(
        [
            channel_filter(channels),
            f"volume={gain_db:.2f}dB",
            f"alimiter=limit={ceiling:.4f}:attack=5:release=50:level=disabled",
            f"aresample={SAMPLE_RATE}",
        ]
    )


def plan(source: Path, info: RecordingInfo, preset: Preset, before: Loudness) -> RenderPlan:
    if before.integrated <= SILENCE_LUFS:
        raise RenderError("no sound found: the recording is silent (check the microphone input)")
    gain = preset.integrated - before.integrated
    channels = 1 if info.channels == 1 or preset.channels == "mono" else 2
    # The limiter takes more as the gain grows: correct until the chain lands on the target.
    for _ in range(CORRECTION_PASSES):
        limited = measure(source, filters=chain(gain, preset, channels), true_peak=False)
        error = preset.integrated - limited.integrated
        log.debug("gain %.2f dB gives %.2f LUFS", gain, limited.integrated)
        if abs(error) <= CORRECTION_TOLERANCE_LU:
            break
        gain += error
    return RenderPlan(gain, channels, chain(gain, preset, channels))


def _encode(source: Path, target: Path, render: RenderPlan, codec_args: list[str]) -> None:
    args = [
        "ffmpeg", *FFMPEG_QUIET, "-v", "error", "-y", "-i", str(source), "-map", "0:a:0",
        "-af", render.filters, "-map_metadata", "-1", *codec_args, str(target),
    ]
    result = run(args)
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1:] or ["unknown error"]
        raise RenderError(f"encoding failed ({last[0]})")


def encode_mp3(source: Path, target: Path, render: RenderPlan, preset: Preset) -> None:
    """MP3, constant bitrate with a Xing header: what every podcast app plays and seeks in."""
    bitrate = preset.mp3_bitrate_mono if render.channels == 1 else preset.mp3_bitrate_stereo
    _encode(source, target, render, ["-c:a", "libmp3lame", "-b:a", bitrate, "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3"])


def encode_opus(source: Path, target: Path, render: RenderPlan, preset: Preset) -> None:
    """Opus in Ogg: a small speech-quality alternative for the page player and the feed."""
    _encode(source, target, render, ["-c:a", "libopus", "-b:a", preset.opus_bitrate, "-application", "voip", "-f", "ogg"])
