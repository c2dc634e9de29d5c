"""The published files are metered side by side (verify.meter_files, one ffmpeg each): each file's figures are its
own, as an independent meter (Debian's ffmpeg) gives them, and a file that does not decode is an error.

(One ffmpeg for all the files was tried: its filter graphs print their summaries from their own threads as they
end, and the lines of two summaries then interleave, one file's figures lost about one build in ten.)"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipeline.audio.loudness import MeasureError
from pipeline.audio.tools import FFMPEG_QUIET, executable
from pipeline.audio.verify import meter_files

SYSTEM_FFMPEG = shutil.which("ffmpeg") or "ffmpeg"


def make(path, source: str, codec: list[str]) -> None:
    subprocess.run([executable("ffmpeg"), *FFMPEG_QUIET, "-y", "-f", "lavfi", "-i", source, *codec, str(path)], check=True,
                   capture_output=True)


def system_meter(path) -> tuple[float, float]:
    err = subprocess.run([SYSTEM_FFMPEG, "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0",
                          "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    summary = err[err.rfind("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def test_each_file_gets_its_own_figures(tmp_path):
    loud, quiet = tmp_path / "audio.mp3", tmp_path / "audio.opus"
    # two sounds far apart in level and peak, so that a mix-up of the two meters could not pass
    make(loud, "sine=frequency=997:sample_rate=44100:duration=4,volume=-6dB", ["-c:a", "libmp3lame", "-b:a", "128k"])
    make(quiet, "anoisesrc=color=pink:amplitude=0.05:duration=4:sample_rate=48000:seed=3", ["-c:a", "libopus", "-b:a", "32k"])
    measured = meter_files({"mp3": loud, "opus": quiet})
    assert set(measured) == {"mp3", "opus"}
    for name, path in (("mp3", loud), ("opus", quiet)):
        integrated, peak = system_meter(path)
        assert measured[name].integrated == pytest.approx(integrated, abs=0.15), name
        assert measured[name].true_peak is not None
        assert measured[name].true_peak == pytest.approx(peak, abs=0.25), name
    assert measured["mp3"].integrated - measured["opus"].integrated > 8


def test_a_file_that_does_not_decode_is_an_error(tmp_path):
    good, broken = tmp_path / "audio.mp3", tmp_path / "audio.opus"
    make(good, "sine=frequency=440:sample_rate=44100:duration=2", ["-c:a", "libmp3lame", "-b:a", "128k"])
    broken.write_bytes(b"OggS" + bytes(200))
    with pytest.raises(MeasureError):
        meter_files({"mp3": good, "opus": broken})
