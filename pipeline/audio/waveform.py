"""A recording's waveform for the studio's editor: min/max peaks, not the audio, in waveform-data's JSON.

One cheap ffmpeg pass decodes the first audio stream to 8 kHz mono 16-bit and streams it; every block
of samples becomes one (min, max) pair, scaled to 8 bits (the format peaks.js reads as `waveformData.json`).
Memory stays flat: one block of samples at a time. The analysis pass of the build is not used for this:
its 100 ms frame peaks are true peaks in dBFS (no sign, ten points a second) and are not kept on disk;
this pass is finer (up to 1000 points a second) and costs a decoding, without the band filters and meters.

The result is cached in `.cache/portevoix/waveforms/`, keyed by the recording's identity (device, inode,
size and modification time, as in identity_cache.py): computed once, made again when the file changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

from pipeline.audio.cache import CACHE_DIR
from pipeline.fsutil import write_atomically
from pipeline.audio.containers import input_args
from pipeline.audio.identity_cache import identity
from pipeline.audio.tools import FFMPEG_QUIET, executable

log = logging.getLogger(__name__)

WAVEFORM_VERSION = 1
"""Bump when the peaks change (rate, scaling): every cached waveform is then made again."""
PEAKS_RATE = 8000
"""Samples per second decoded for the peaks (the waveform is a picture: 4 kHz of bandwidth is plenty)."""
MOST_POINTS = 200_000
"""Points (min/max pairs) at most, up to COARSEST: about 1.7 MB of JSON for ten minutes or two hours."""
FINEST = 8
"""Samples per point for short recordings: 1000 points a second (a few seconds still fill a wide screen)."""
COARSEST = 800
"""Samples per point at least resolution: 10 points a second, whatever the length."""
FOLDER = CACHE_DIR + "/waveforms"


class WaveformError(ValueError):
    """ffmpeg could not decode the recording; the message says why."""


def samples_per_point(duration: float) -> int:
    """The block size: 1 ms for short recordings, coarser for long ones (MOST_POINTS at most, 28 a second for two hours)."""
    wanted = PEAKS_RATE * max(duration, 1.0) / MOST_POINTS
    return int(min(COARSEST, max(FINEST, -(-wanted // 1))))


def compute(source: Path, duration: float, demuxer: str | None = None) -> dict[str, Any]:
    """The peaks of `source` (first audio stream, channels mixed), as waveform-data's JSON (version 2, 8 bits)."""
    block = samples_per_point(duration)
    command = [executable("ffmpeg"), *FFMPEG_QUIET, "-v", "error", *input_args(source, demuxer), "-map", "0:a:0",
               "-ac", "1", "-ar", str(PEAKS_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"]
    lows, highs = array("h"), array("h")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert process.stdout is not None and process.stderr is not None
    rest = b""
    while True:
        chunk = process.stdout.read(block * 2 * 512)
        if not chunk:
            break
        data = rest + chunk
        whole = len(data) - len(data) % (block * 2)
        rest = data[whole:]
        _add_blocks(data[:whole], block, lows, highs)
    if len(rest) >= 2:
        _add_blocks(rest[: len(rest) - len(rest) % 2], block, lows, highs)
    errors = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    if process.wait() != 0:
        raise WaveformError(f"ffmpeg could not decode it ({errors[-1] if errors else 'no message'})")
    return waveform_json(lows, highs, block)


def _add_blocks(data: bytes, block: int, lows: array, highs: array) -> None:
    samples = array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    for start in range(0, len(samples), block):
        part = samples[start : start + block]
        lows.append(min(part))
        highs.append(max(part))


def waveform_json(lows: array, highs: array, block: int) -> dict[str, Any]:
    """waveform-data's JSON: the peaks scaled so that the loudest stretch (all but the top 0.2 % of the
    points, so that one click does not flatten the speech) reaches the full 8 bits."""
    loudest = sorted(max(-low, high) for low, high in zip(lows, highs))
    reference = loudest[int(len(loudest) * 0.998)] if loudest else 0
    scale = 127 / reference if reference > 0 else 0.0
    data: list[int] = []
    for low, high in zip(lows, highs):
        data.append(max(-128, round(low * scale)))
        data.append(min(127, round(high * scale)))
    return {"version": 2, "channels": 1, "sample_rate": PEAKS_RATE, "samples_per_pixel": block, "bits": 8,
            "length": len(lows), "data": data}


def cached_waveform(root: Path, source: Path, duration: float, demuxer: str | None = None) -> dict[str, Any]:
    """The peaks of `source`, from `.cache/portevoix/waveforms/` while the file is unchanged, else computed and kept."""
    before = source.stat()
    key_text = json.dumps([WAVEFORM_VERSION, *identity(before), samples_per_point(duration)])
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    path = root / FOLDER / f"{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    log.info("computing the waveform of %s", source)
    peaks = compute(source, duration, demuxer)
    if identity(source.stat()) != identity(before):
        return peaks  # changed while it was read: not kept under the old identity
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(peaks, separators=(",", ":")))
    except OSError as exc:
        log.warning("cannot keep the waveform of %s in %s: %s", source, path.parent, exc)
    return peaks
