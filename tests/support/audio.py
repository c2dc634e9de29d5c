"""Short recordings made by ffmpeg for the audio tests: speech-like, with channels that really differ."""

from __future__ import annotations

import subprocess
from pathlib import Path

# A "voice": two partials, syllables at 3-4 Hz. Each channel gets its own pitch and rhythm, so that stereo is stereo.
VOICE = "(0.6*sin(2*PI*{f}*t)+0.3*sin(2*PI*{f2}*t))*(0.5+0.5*sin(2*PI*{s}*t))"
CHANNEL_VOICES = [(220, 470, 3.0), (260, 545, 3.7), (180, 390, 2.6), (150, 300, 3.3), (90, 190, 1.0), (310, 650, 4.1)]


def voice(channel: int) -> str:
    f, f2, s = CHANNEL_VOICES[channel]
    return VOICE.format(f=f, f2=f2, s=s)


def make_recording(path: Path, *, seconds: float = 4.0, channels: int = 1, rate: int = 44100, volume_db: float = -24.0,
                   codec: list[str] | None = None, lead: float = 0.0, trail: float = 0.0, expressions: list[str] | None = None) -> Path:
    """`seconds` of speech-like sound, with `lead`/`trail` seconds of quiet room noise around it."""
    exprs = expressions or [voice(c) for c in range(channels)]
    total = lead + seconds + trail
    gate = f"between(t,{lead},{lead + seconds})"
    source = "|".join(f"({e})*{gate}+0.0005*sin(2*PI*50*t)" for e in exprs)
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[len(exprs)]
    args = ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
            f"aevalsrc='{source}':s={rate}:d={total}:c={layout}", "-af", f"volume={volume_db}dB"]
    subprocess.run([*args, *(codec or []), str(path)], check=True)
    return path


def probe_stream(path: Path) -> dict:
    """Channels, sample rate and duration of the first audio stream, as ffprobe reads them."""
    result = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                             "stream=channels,sample_rate,codec_name:format=duration", "-of", "default=noprint_wrappers=1", str(path)],
                            capture_output=True, text=True, check=True)
    values = dict(line.split("=", 1) for line in result.stdout.split())
    return {"channels": int(values["channels"]), "sample_rate": int(values["sample_rate"]), "codec": values["codec_name"],
            "duration": float(values["duration"])}
