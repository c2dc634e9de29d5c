"""The audio stage: measure, level, normalise, trim and encode each recording, cached.

Two passes over the recording, whatever its length, memory flat:

1. analysis (`analysis.analyse`): loudness, peaks, the loudness of every 100 ms,
   dead air at both ends, effectively-mono stereo;
2. processing (`render.render`): trim, mixdown, leveler curve and gain (planned
   by `leveler` from the analysis), limiters, MP3 and Opus at once, and a meter
   of the result.

The raw recording is only ever read. What comes out is kept in the audio cache,
keyed by the recording's bytes and the settings, and reused until either changes.
"""

from __future__ import annotations

import json
from array import array
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.audio import leveler, render, verify
from pipeline.audio.analysis import Analysis, analyse
from pipeline.audio.cache import AudioCache, file_digest, key_for
from pipeline.audio.loudness import FRAME_SECONDS, Loudness, MeasureError
from pipeline.audio.probe import RecordingInfo
from pipeline.presets import Preset

log = logging.getLogger(__name__)

AUDIO_VERSION = 7
"""Bump when the processing changes, so that cached audio is made again."""
SERIES_STEP = 3.0
"""Seconds between two points of the loudness-over-time series kept for the report."""
MAX_ATTEMPTS = 3
"""Processing passes at most: the first, and up to two corrections of a file over its ceiling or off its target."""
RETRY_GAIN_FACTOR = 1.5
"""The limiter takes back part of any extra gain: a retry asks for more than the error."""
MONO_OFFSET_DB = {"both": -3.01, "left": 0.0, "right": 0.0}
"""How much quieter the mono mixdown measures than the stereo recording (R128 sums channel powers)."""


@dataclass(frozen=True)
class ProcessedAudio:
    mp3: Path
    opus: Path
    duration: float
    before: Loudness
    """The recording as it is processed (surround folded down to stereo), from the analysis pass."""
    after: Loudness
    """The published MP3, decoded and measured."""
    gain_db: float
    """Gain on top of the leveler curve (MP3)."""
    from_cache: bool
    trim_start: float = 0.0
    """Seconds of dead air cut at the start: every time in the recording moves back by this much."""
    trim_end: float = 0.0
    """Seconds of dead air cut at the end."""
    channels: int = 2
    leveler: str = "off"
    series_step: float = SERIES_STEP
    short_term_before: list[float] = field(default_factory=list)
    """Short-term loudness of the recording, one point every `series_step` seconds (recording time), LUFS."""
    short_term_after: list[float] = field(default_factory=list)
    """Short-term loudness of the published audio, one point every `series_step` seconds (published time), LUFS."""
    published: dict[str, Loudness] = field(default_factory=dict)
    """Each published file (mp3, opus), decoded and measured."""


class AudioError(ValueError):
    pass


def settings_of(preset: Preset) -> dict:
    return {"version": AUDIO_VERSION, "preset": asdict(preset), "leveler": asdict(preset.leveler_settings())}


def series(values: Sequence[float], step: float = SERIES_STEP) -> list[float]:
    """Every `step` seconds, one value of a 10-per-second series (rounded: it goes into JSON and SVG)."""
    stride = max(1, round(step / FRAME_SECONDS))
    return [round(max(v, -70.0), 1) for v in values[stride - 1 :: stride]]


def trim_points(analysis: Analysis, info: RecordingInfo, preset: Preset) -> tuple[float, float]:
    """Where the published audio starts and ends in the recording: dead air cut, a short pad kept."""
    start = analysis.lead_silence - preset.trim_pad
    start = start if start >= preset.trim_min else 0.0
    tail = analysis.trail_silence - preset.trim_pad
    end_of_recording = max(info.duration, analysis.duration)
    end = end_of_recording - tail if tail >= preset.trim_min else end_of_recording + 1.0
    return round(start, 2), round(end, 2)


def margins_of(preset: Preset) -> dict[str, float]:
    """How far below the true-peak ceiling each format's limiter starts (raised when a file overshoots)."""
    return {"mp3": preset.limiter_margin_mp3, "opus": preset.limiter_margin_opus}


def make_plan(analysis: Analysis, info: RecordingInfo, preset: Preset, margins: dict[str, float] | None = None,
              corrections: dict[str, float] | None = None, repairs: tuple[str, ...] = ()) -> render.RenderPlan:
    channels, mono_from = analysis.channels, None
    if channels == 2 and preset.channels == "auto" and analysis.mono_from:
        channels, mono_from = 1, analysis.mono_from
    offset = MONO_OFFSET_DB[mono_from] if mono_from else 0.0
    momentary = array("d", (m + offset for m in analysis.momentary))
    peaks = analysis.frame_peak
    start, end = trim_points(analysis, info, preset)
    settings = preset.leveler_settings()
    curve = leveler.gain_curve(momentary, analysis.loudness.integrated + offset, settings, peaks)
    first, last = round(start / FRAME_SECONDS), min(len(momentary), round(end / FRAME_SECONDS))
    blocks = (momentary[first:last], peaks[first:last], curve[first:last])
    margins = margins or margins_of(preset)
    corrections = corrections or {}
    formats = {"mp3": (render.SAMPLE_RATE, preset.mp3_loudness_offset, preset.mp3_lowpass),
               "opus": (render.OPUS_RATE, preset.opus_loudness_offset, preset.opus_lowpass)}
    branches = []
    for name, (rate, codec_offset, lowpass) in formats.items():
        limit = preset.true_peak - margins[name]
        gain = leveler.static_gain(*blocks, preset.integrated + codec_offset, limit)
        branches.append(render.Branch(name=name, rate=rate, gain_db=gain + corrections.get(name, 0.0), limit_db=limit, lowpass=lowpass))
    return render.RenderPlan(branches=tuple(branches), curve=curve, channels=channels, mono_from=mono_from,
                             trim_start=start, trim_end=end, repairs=repairs)


def produce(source: Path, info: RecordingInfo, preset: Preset, folder: Path, progress=None) -> dict:
    """Both passes, into `folder`, then every published file metered; returns the record kept beside the files.

    A file over the true-peak ceiling, or off the target by more than the
    tolerance, is made again with its limiter lowered or its gain corrected.
    """
    watch = progress(f"analysing {source.name}", info.duration) if progress else None
    try:
        analysis = analyse(source, info.channels, preset, demuxer=info.demuxer, on_time=watch.update if watch else None)
    except MeasureError as exc:
        raise AudioError(str(exc)) from None
    if watch:
        watch.finish()
    if analysis.silent:
        raise AudioError("no sound found: the recording is silent (check the microphone input)")
    margins = margins_of(preset)
    corrections: dict[str, float] = {}
    plan = make_plan(analysis, info, preset, margins, corrections)
    for attempt in range(MAX_ATTEMPTS):
        published = min(plan.trim_end, info.duration) - plan.trim_start
        watch = progress(f"encoding {source.name}", published) if progress else None
        try:
            meter = render.render(source, info.channels, plan, preset, folder, demuxer=info.demuxer, on_time=watch.update if watch else None)
            verdicts = verify.judge({b.name: folder / f"audio.{b.name}" for b in plan.branches}, preset.integrated, preset.true_peak)
        except (MeasureError, render.RenderError) as exc:
            raise AudioError(str(exc)) from None
        if watch:
            watch.finish()
        wrong = {n: v for n, v in verdicts.items() if v.peak_excess > 0 or abs(v.loudness_error) > preset.tolerance_lu}
        for name, verdict in verdicts.items():
            log.info("%s: %s published at %.2f LUFS, %.2f dBTP (target %.1f, ceiling %.1f)", source, name,
                     verdict.loudness.integrated, verdict.loudness.true_peak or 0.0, preset.integrated, preset.true_peak)
        if not wrong or attempt == MAX_ATTEMPTS - 1:
            break
        for name, verdict in wrong.items():
            if verdict.peak_excess > 0:
                margins[name] += verdict.peak_excess + verify.TP_SAFETY_DB
            if abs(verdict.loudness_error) > preset.tolerance_lu:
                corrections[name] = corrections.get(name, 0.0) + verdict.loudness_error * RETRY_GAIN_FACTOR
        log.info("%s: %s made again (limiter margins %s, gain corrections %s)", source, ", ".join(wrong), margins, corrections)
        plan = make_plan(analysis, info, preset, margins, corrections)
    duration = meter.last_time
    first = plan.branches[0]
    return {
        "before": analysis.loudness.as_dict(),
        "after": verdicts[first.name].loudness.as_dict(),
        "published": {name: v.loudness.as_dict() for name, v in verdicts.items()},
        "gain_db": round(first.gain_db, 2),
        "duration": round(duration, 3),
        "trim_start": plan.trim_start,
        "trim_end": round(max(0.0, info.duration - min(plan.trim_end, info.duration)), 2),
        "channels": plan.channels,
        "leveler": preset.leveler,
        "series_step": SERIES_STEP,
        "short_term_before": series(analysis.short_term),
        "short_term_after": series(meter.short_term),
    }


def process(source: Path, info: RecordingInfo, preset: Preset, cache: AudioCache, progress=None) -> ProcessedAudio:
    """The processed audio of `source`, from the cache when its bytes and the settings are unchanged.

    `progress(label, total_seconds)`, when given, makes an object with `update(seconds)` and `finish()`.
    """
    key = key_for(file_digest(source), settings_of(preset))
    entry = cache.entry(key)
    from_cache = entry is not None
    if entry is None:
        log.info("processing audio of %s", source)
        entry = cache.fill(key, lambda folder: produce(source, info, preset, folder, progress))
    else:
        log.info("audio of %s is up to date", source)
    record = json.loads((entry / "done.json").read_text(encoding="utf-8"))
    return ProcessedAudio(
        mp3=entry / "audio.mp3",
        opus=entry / "audio.opus",
        duration=record["duration"],
        before=Loudness(**record["before"]),
        after=Loudness(**record["after"]),
        gain_db=record["gain_db"],
        from_cache=from_cache,
        trim_start=record["trim_start"],
        trim_end=record["trim_end"],
        channels=record["channels"],
        leveler=record["leveler"],
        series_step=record["series_step"],
        short_term_before=record["short_term_before"],
        short_term_after=record["short_term_after"],
        published={name: Loudness(**values) for name, values in record.get("published", {}).items()},
    )
