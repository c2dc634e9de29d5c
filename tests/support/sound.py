"""Short recordings made by ffmpeg, and meters independent of the pipeline (ffmpeg's ebur128 and silencedetect)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_tone(path: Path, seconds: float = 3.0, *, volume_db: float = -20.0, channels: int = 1, rate: int = 44100, codec: list[str] | None = None) -> Path:
    """A short speech-like test recording made by ffmpeg: modulated noise and tone."""
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[channels]
    source = (
        f"aevalsrc='(0.6*sin(2*PI*220*t)+0.4*sin(2*PI*330*t))*(0.55+0.45*sin(2*PI*3*t))':s={rate}:d={seconds}:c={layout}"
    )
    args = ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-af", f"volume={volume_db}dB"]
    args += codec or []
    subprocess.run([*args, str(path)], check=True)
    return path


def ebur128(path: Path) -> dict[str, float]:
    """Independent loudness meter: ffmpeg's ebur128 filter read here, not through the pipeline's code."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = result.stderr.split("Summary:")[-1]
    values = {}
    for line in summary.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("I:", "LRA:", "Peak:"):
            values[parts[0].rstrip(":")] = float(parts[1])
    return values


def sound_starts(path: Path) -> list[float]:
    """Where sound starts after each silence, by ffmpeg's silencedetect (independent of the pipeline)."""
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "silencedetect=noise=-45dB:d=0.3",
                             "-f", "null", "-"], capture_output=True, text=True, check=True)
    return [float(line.split("silence_end:")[1].split("|")[0]) for line in result.stderr.splitlines() if "silence_end:" in line]
