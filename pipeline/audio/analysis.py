"""The analysis pass: one decoding of the recording gives everything the processing needs.

Integrated loudness, loudness range, true and sample peak, the loudness of every
100 ms frame (for the leveler and the report), the dead air at both ends, and
whether a stereo recording is effectively mono (both channels the same, or one
of them dead).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.audio.loudness import FRAME_SECONDS, SILENCE_LUFS, EbuLog, Loudness, MeasureError
from pipeline.audio.containers import input_args
from pipeline.audio.tools import FFMPEG_QUIET, ONE_FILTER_THREAD, last_error, run_streaming
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


MAINS_HZ = (50.0, 60.0)
HARMONICS = 4
"""The mains fundamental and its first three harmonics are notched when hum is found."""
HUM_OVER_NEIGHBOURS_DB = 6.0
"""Hum: the narrow band at the mains frequency stands this far above the bands 20 % below and above it."""
RUMBLE_UNDER_SPEECH_DB = 18.0
"""Rumble: the band under 40 Hz is less than this far under the speech band (150 Hz - 4 kHz)."""
CLIP_NEAR_DB = 0.3
"""Clipping: 100 ms frames whose peak comes this close to the recording's highest sample, when that is near full scale."""
CLIP_FULL_SCALE_DBFS = -1.0
CLIP_MIN_FRAMES = 3
CLIP_MIN_SAMPLES = 20
"""Samples at exactly the highest value: one or two is a loud peak, dozens are flat tops."""

SPEECH_RATE = 11025
"""Hz: the rate the speech band is metered at (4 kHz is its top)."""
LOW_RATE = 2205
"""Hz: the rate the rumble and mains bands are metered at (72 Hz is the highest of them)."""
BANDS = {
    "full": (None, "anull"),
    "speech": (SPEECH_RATE, "highpass=f=150,lowpass=f=4000"),
    "low": (LOW_RATE, "lowpass=f=40,lowpass=f=40,lowpass=f=40"),
    **{f"m{round(hz * k)}": (LOW_RATE, f"bandpass=f={hz * k}:width_type=h:w=4,bandpass=f={hz * k}:width_type=h:w=4")
       for hz in MAINS_HZ for k in (0.8, 1.0, 1.2)},
}
"""Band meters of the analysis pass (astats RMS over the whole recording): {band: (rate, filters)}. Only the full
band (whose peak count finds flat tops) is metered at the recording's rate; the others on the sound resampled to
what their band needs: astats costs as much as a dozen biquads a sample, and at 44.1 kHz the nine meters were
the analysis pass's largest part (7.9 of 11.7 CPU-s per 10 minutes of the bench's room input)."""


@dataclass(frozen=True)
class RoomFindings:
    """What the room did to the recording, measured in the analysis pass."""

    hum_hz: float | None = None
    """Mains frequency found (50 or 60), or None."""
    hum_db: float | None = None
    """How far the hum stands above the bands beside it, dB."""
    rumble: bool = False
    clipped: tuple[tuple[float, float], ...] = ()
    """Stretches (start, end seconds in the recording) whose peaks sit at full scale."""


def band_graph(mix: str, stereo: bool = False) -> str:
    """The band meters' graph: the first channel, resampled from 44.1 kHz to 11025 Hz and from there to 2205 Hz
    (integer ratios), each band split from its rate. `stereo`: also the side meter (ebur128@side, the channels'
    difference), whose summary tells a mono recording stored as stereo."""
    at = {rate: [name for name, (r, _) in BANDS.items() if r == rate] for rate in (None, SPEECH_RATE, LOW_RATE)}

    def split(names: list[str]) -> str:
        return f"asplit={len(names)}" + "".join(f"[{name}]" for name in names)

    head = f"[0:a:0]{mix},"
    if stereo:
        # one filter graph on one thread: the filters print their summaries one after the other, never mixed
        head += "asplit=2[first][side];[side]pan=mono|c0=0.5*c0-0.5*c1,ebur128@side=framelog=quiet,anullsink;[first]"
    parts = [f"{head}pan=mono|c0=c0,{split(['out', *at[None], 'speech_rate'])}",
             f"[speech_rate]aresample={SPEECH_RATE},{split([*at[SPEECH_RATE], 'low_rate'])}",
             f"[low_rate]aresample={LOW_RATE},{split(at[LOW_RATE])}"]
    parts += [f"[{name}]{chain},astats@{name}=measure_overall=RMS_level+Peak_count:measure_perchannel=none,anullsink"
              for name, (_, chain) in BANDS.items()]
    return ";".join(parts)


def band_levels(lines: list[str]) -> dict[str, float]:
    """{band: RMS dB} from the astats@<band> summaries ffmpeg printed."""
    levels = {}
    for line in lines:
        prefixed = re.match(r"^\[astats@(\w+) @ 0x[0-9a-f]+\] (RMS level dB|Peak count): (-?[\d.]+|-?inf)", line)
        if prefixed:
            value = float(prefixed.group(3))
            key = prefixed.group(1) + ("" if prefixed.group(2).startswith("RMS") else ":peaks")
            levels[key] = value if value == value else -150.0
    return levels


def find_hum(levels: dict[str, float]) -> tuple[float | None, float | None]:
    best: tuple[float | None, float | None] = (None, None)
    for hz in MAINS_HZ:
        centre, below, above = (levels.get(f"m{round(hz * k)}", -150.0) for k in (1.0, 0.8, 1.2))
        # rumble may rise under the fundamental: the band below need only not be louder
        stands = centre - above
        if stands >= HUM_OVER_NEIGHBOURS_DB and centre >= below - 3.0 and centre > -90 and (best[1] is None or stands > best[1]):
            best = (hz, round(stands, 1))
    return best


def find_clipping(frame_peak: Sequence[float], sample_peak: float | None, peak_count: float) -> tuple[tuple[float, float], ...]:
    """Runs of 100 ms frames whose peak reaches the highest sample, when that sits at full scale and many samples
    share it (flat tops: the converter ran out of range)."""
    if sample_peak is None or sample_peak < CLIP_FULL_SCALE_DBFS or peak_count < CLIP_MIN_SAMPLES:
        return ()
    hits = [i for i, p in enumerate(frame_peak) if p >= sample_peak - CLIP_NEAR_DB]
    if len(hits) < CLIP_MIN_FRAMES:
        return ()
    stretches, first, last = [], hits[0], hits[0]
    for i in hits[1:]:
        if i - last > 10:  # more than a second apart: another stretch
            stretches.append((first, last))
            first = i
        last = i
    stretches.append((first, last))
    return tuple((round(a * FRAME_SECONDS, 1), round((b + 1) * FRAME_SECONDS, 1)) for a, b in stretches if b - a + 1 >= CLIP_MIN_FRAMES)


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
    room: RoomFindings = RoomFindings()

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
    # Two ffmpeg runs side by side, one a core: the loudness meter (true peak included, the larger), and the band
    # meters with the side meter. Not two filter graphs in one run: ffmpeg's threads print without regard to each
    # other's lines, and the summaries would get mixed up.
    graph = f"[0:a:0]{mix},ebur128@src=peak=true+sample:framelog=info[out]"
    bands = band_graph(mix, stereo)
    ebu = EbuLog(keep_frames={"src"}, on_time=on_time)
    side_log = EbuLog(keep_frames=set())
    stats: list[str] = []

    def run(chain: str, feed) -> tuple[int, list[str]]:
        return run_streaming(["ffmpeg", *FFMPEG_QUIET, *ONE_FILTER_THREAD, *input_args(source, demuxer), "-filter_complex", chain, "-map", "[out]", "-f", "null", "-"], feed)

    def band_line(line: str) -> None:
        if line.startswith("[astats@"):
            stats.append(line)
        side_log.feed(line)  # a prefixed line of another filter ends the side meter's summary

    with ThreadPoolExecutor(max_workers=1) as pool:
        banded = pool.submit(run, bands, band_line)
        status, last = run(graph, ebu.feed)
        band_status, band_last = banded.result()
    if status == 0 and band_status != 0:
        status, last = band_status, band_last
    if status != 0 or "src" not in ebu.meters:
        raise MeasureError(f"ffmpeg could not decode it ({last_error(last)})")
    src = ebu.meters["src"]
    loudness = src.loudness()
    duration = src.last_time
    mono_from = None
    if stereo and loudness.integrated > SILENCE_LUFS:
        side = side_log.meters["side"].loudness().integrated if "side" in side_log.meters else 0.0
        peaks = src.channel_peaks
        if side <= loudness.integrated - MONO_SIDE_LU:
            mono_from = "both"
        elif len(peaks) == 2 and min(peaks) < DEAD_CHANNEL_DBFS and max(peaks) > DEAD_CHANNEL_DBFS + 20:
            mono_from = "left" if peaks[0] > peaks[1] else "right"
    levels = band_levels(stats)
    hum_hz, hum_db = find_hum(levels)
    rumble = levels.get("low", -150.0) > levels.get("speech", -150.0) - RUMBLE_UNDER_SPEECH_DB
    room = RoomFindings(hum_hz=hum_hz, hum_db=hum_db, rumble=rumble, clipped=find_clipping(src.frame_peak, loudness.sample_peak, levels.get("full:peaks", 0.0)))
    log.info("room of %s: bands %s, %s", source, levels, room)
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
        room=room,
    )
