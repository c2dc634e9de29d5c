"""What the render will do, decided from the analysis alone: trim points, repairs, the leveler curve and each
format's gain (the render plan), and the notices the analysis gives. Pure functions: nothing here reads a file.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from pipeline.audio import leveler, notices, render
from pipeline.audio.analysis import HARMONICS, Analysis
from pipeline.audio.edits import NO_EDITS, Edits, kept_segments
from pipeline.audio.loudness import FRAME_SECONDS
from pipeline.audio.probe import RecordingInfo
from pipeline.media.formats import Format
from pipeline.presets import Preset

DENOISE_DELAY = 1102
"""Samples (at render.SAMPLE_RATE, where the repairs run) by which ffmpeg's afftdn delays its output: 25 ms,
measured by cross-correlation on white noise with ffmpeg 5.1 and 9.0, whatever the strength or mode
(tests/test_audio_room.py checks it on a marker tone)."""

MONO_OFFSET_DB = {"both": -3.01, "left": 0.0, "right": 0.0}
"""How much quieter the mono mixdown measures than the stereo recording (R128 sums channel powers)."""


def trim_points(analysis: Analysis, info: RecordingInfo, preset: Preset) -> tuple[float, float]:
    """Where the published audio starts and ends in the recording: dead air cut, a short pad kept."""
    start = analysis.lead_silence - preset.trim_pad
    start = start if start >= preset.trim_min else 0.0
    tail = analysis.trail_silence - preset.trim_pad
    end_of_recording = max(info.duration, analysis.duration)
    end = end_of_recording - tail if tail >= preset.trim_min else end_of_recording + 1.0
    return round(start, 2), round(end, 2)


def margins_of(formats: tuple[Format, ...]) -> dict[str, float]:
    """How far below the true-peak ceiling each format's limiter starts (raised when a file overshoots)."""
    return {f.name: f.limiter_margin for f in formats}


def room_noise(analysis: Analysis, preset: Preset) -> tuple[float, float]:
    """(noise floor, speech level) of the recording, LUFS: the quietest tenth of its frames, and the median of those
    well above it."""
    floor = leveler.noise_floor(analysis.momentary)
    speech = sorted(m for m in analysis.momentary if m >= floor + 10)
    return floor, (speech[len(speech) // 2] if speech else floor)


def denoise_strength(analysis: Analysis, preset: Preset) -> str:
    """off, light or medium: as chosen, or for "auto" light when the room noise is measured, else off."""
    if preset.denoise != "auto":
        return preset.denoise
    floor, speech = room_noise(analysis, preset)
    return "light" if speech - floor < preset.noisy_snr_lu and floor > -70 else "off"


def first_pause(analysis: Analysis, floor: float) -> tuple[float, float] | None:
    """The first stretch (at least 0.6 s) of frames at the room's level: its noise alone, early enough to learn from.

    Usually the room tone before the first word (the repairs run before the trim cuts it).
    """
    run_start = None
    for i, value in enumerate([*analysis.momentary, 0.0]):
        if value <= floor + 6.0 and value > -100:
            run_start = i if run_start is None else run_start
            if i - run_start >= 15:  # long enough: 1.5 s
                break
        elif run_start is not None:
            if i - run_start >= 6:
                break
            run_start = None
    else:
        return None
    if run_start is None:
        return None
    # a momentary value covers the 400 ms before its frame: the quiet sound lies from 0.4 s after the run starts
    return (run_start + 1) * FRAME_SECONDS, i * FRAME_SECONDS


def repairs_for(analysis: Analysis, info: RecordingInfo, preset: Preset) -> tuple[str, ...]:
    """The repair filters the analysis found needed (times in the recording): nothing for a clean recording."""
    room, filters = analysis.room, []
    if room.rumble:
        filters += [f"highpass=f={preset.rumble_highpass_hz:.0f}"] * 2
    if room.hum_hz:
        for k in range(1, HARMONICS + 1):
            notch = f"bandreject=f={room.hum_hz * k:.0f}:width_type=h:w={preset.hum_notch_width_hz:.1f}"
            filters += [notch, notch]
    strength = denoise_strength(analysis, preset)
    if strength != "off":
        floor, _ = room_noise(analysis, preset)
        reduction = preset.denoise_reduction_db[strength]
        pause = first_pause(analysis, floor)
        # afftdn gives its output DENOISE_DELAY samples late: padded at the end and trimmed at the start, the
        # sound keeps its times and its length (chapters, cuts and the leveler curve stay where they belong)
        filters.append(f"apad=pad_len={DENOISE_DELAY}")
        if pause is not None:
            a, b = pause
            filters.append(f"asendcmd=c='{a:.2f} afftdn@denoise sn start;{b:.2f} afftdn@denoise sn stop'")
            filters.append(f"afftdn@denoise=nr={reduction:.0f}")
        else:  # no pause to learn from: follow the noise as it goes
            filters.append(f"afftdn@denoise=nr={reduction:.0f}:nf={max(-80.0, min(-20.0, floor)):.0f}:tn=1")
        filters.append(f"atrim=start_sample={DENOISE_DELAY},asetpts=PTS-STARTPTS")
    return tuple(filters)


DECLIP_MARGIN = 0.1
"""Seconds repaired before and after each clipped stretch the analysis found."""


def declip_stretches(analysis: Analysis, preset: Preset) -> tuple[tuple[float, float], ...]:
    """Where adeclip runs (recording time): the clipped stretches and a margin, when the preset asks for declipping.

    Each ends a frame before the end of the recording, so that sound follows it (render.declip_parts)."""
    if not (analysis.room.clipped and preset.declip):
        return ()
    end = max(0.0, analysis.duration - 2 * FRAME_SECONDS)
    return tuple((max(0.0, a - DECLIP_MARGIN), min(end, b + DECLIP_MARGIN)) for a, b in analysis.room.clipped
                 if min(end, b + DECLIP_MARGIN) > max(0.0, a - DECLIP_MARGIN))


def notices_of(analysis: Analysis, preset: Preset, plan: render.RenderPlan) -> list[notices.Notice]:
    """What the analysis found, and what the leveler left (notices.py): kept in the record, said when read."""
    floor, speech = room_noise(analysis, preset)
    offset = MONO_OFFSET_DB[plan.mono_from] if plan.mono_from else 0.0
    return (notices.room_notices(analysis, preset, denoise_strength(analysis, preset), floor, speech)
            + notices.leveler_notices(analysis, preset, plan.curve, offset))


def kept_frames(values: Sequence[float], segments: list[tuple[float, float]]) -> array:
    """The frames of a 10-per-second series that fall in the kept stretches (recording time), in order."""
    return array("d", (values[i] for a, b in segments for i in range(round(a / FRAME_SECONDS), min(len(values), round(b / FRAME_SECONDS)))))


def make_plan(analysis: Analysis, info: RecordingInfo, preset: Preset, formats: tuple[Format, ...],
              margins: dict[str, float] | None = None, corrections: dict[str, float] | None = None,
              repairs: tuple[str, ...] = (), edits: Edits = NO_EDITS,
              jingles: dict[str, tuple[int, float]] | None = None) -> render.RenderPlan:
    """`jingles`: {"intro"/"outro": (channels, integrated loudness after the mixdown)} of the edits' jingle files."""
    channels, mono_from = analysis.channels, None
    if channels == 2 and preset.channels == "auto" and analysis.mono_from:
        channels, mono_from = 1, analysis.mono_from
    offset = MONO_OFFSET_DB[mono_from] if mono_from else 0.0
    momentary = array("d", (m + offset for m in analysis.momentary))
    peaks = analysis.frame_peak
    start, end = trim_points(analysis, info, preset)
    settings = preset.leveler_settings()
    curve = leveler.gain_curve(momentary, analysis.loudness.integrated + offset, settings, peaks)
    segments = kept_segments(start, min(end, max(info.duration, analysis.duration)), edits.cuts)
    if len(segments) == 1 and edits.cuts:
        start, end = segments[0]  # a cut at either end of the recording is one more trim (the render uses the trim points alone)
    blocks = (kept_frames(momentary, segments), kept_frames(peaks, segments), kept_frames(curve, segments))
    margins = margins or margins_of(formats)
    corrections = corrections or {}
    branches = []
    for fmt in formats:
        limit = preset.true_peak - margins[fmt.name]
        gain = leveler.static_gain(*blocks, preset.integrated + fmt.loudness_offset_for(channels), limit)
        branches.append(render.Branch(format=fmt, gain_db=gain + corrections.get(fmt.name, 0.0), limit_db=limit))
    programme = preset.integrated + branches[0].format.loudness_offset_for(channels) - branches[0].gain_db
    placed = tuple(
        render.Jingle(path=path, channels=(jingles or {})[place][0], gain_db=programme - (jingles or {})[place][1], place=place)
        for place, path in (("intro", edits.intro), ("outro", edits.outro)) if path is not None
    )
    return render.RenderPlan(branches=tuple(branches), curve=curve, channels=channels, mono_from=mono_from,
                             trim_start=start, trim_end=end, repairs=repairs, declip=declip_stretches(analysis, preset),
                             segments=tuple(segments) if len(segments) > 1 else (), jingles=placed)
