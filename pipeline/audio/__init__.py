"""The audio stage: measure, level, normalise, trim and encode each recording, cached.

Two passes over the recording, whatever its length, memory flat:

1. analysis (`analysis.analyse`): loudness, peaks, the loudness of every 100 ms,
   dead air at both ends, effectively-mono stereo;
2. processing (`render.render`): trim, mixdown, leveler curve and gain (planned
   by `planning.py` and `leveler` from the analysis), limiters, every published
   format at once (`media/formats.py`: MP3, Opus, AAC), and a meter of the result,
   each stage on a thread of its own (`render.command`).

The raw recording is only ever read. What comes out is kept in the audio cache,
keyed by the recording's bytes and the settings, and reused until either changes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.audio import notices, render, verify
from pipeline.audio.planning import make_plan, margins_of, notices_of, repairs_for
from pipeline.audio.analysis import Analysis, analyse, channel_filter
from pipeline.audio.edits import NO_EDITS, Edits, TimeMap
from pipeline.audio.cache import AudioCache, file_digest, key_for, key_for_text, settings_text
from pipeline.audio.loudness import FRAME_SECONDS, SILENCE_LUFS, Loudness, MeasureError, Meter, measure
from pipeline.audio.probe import ProbeError, RecordingInfo, probe
from pipeline.audio.tools import release_freed_memory
from pipeline.media.formats import Format, chosen
from pipeline.plain import plain
from pipeline.presets import Preset

log = logging.getLogger(__name__)

AUDIO_VERSION = 11
"""Bump when the processing changes, so that cached audio is made again."""
ENTRY_PREFIX = f"v{AUDIO_VERSION}-"
"""How the names of this version's cache entries start: an entry of an older version (the version is in its key
too, so it is never looked up again) is known by its name alone, without opening it."""
SERIES_STEP = 3.0
"""Seconds between two points of the loudness-over-time series kept for the report."""
MAX_ATTEMPTS = 3
"""Processing passes at most: the first, and up to two corrections of a file over its ceiling or off its target."""
RETRY_GAIN_FACTOR = 1.5
"""The limiter takes back part of any extra gain: a retry asks for more than the error."""


@dataclass(frozen=True)
class ProcessedAudio:
    files: dict[str, Path]
    """{format name: the encoded file}, main format first (see media/formats.py)."""
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
    time_map: TimeMap | None = None
    """Where each kept stretch of the recording is in the published audio (cuts, intro)."""
    warnings: list[str] = field(default_factory=list)
    """What the analysis found in the recording (clipping, hum, rumble, silence), one line each, with times."""
    published: dict[str, Loudness] = field(default_factory=dict)
    """Each published file (mp3, opus), decoded and measured."""
    entry_key: str = ""
    """The cache entry it comes from (its name: the digest of the recording, the settings and the edits); what is
    made from this audio alone (the loudness picture) may be keyed by it. Empty for audio made elsewhere."""


    @property
    def mp3(self) -> Path:
        return self.files["mp3"]

    @property
    def opus(self) -> Path:
        return self.files["opus"]


class AudioError(ValueError):
    pass


def published_time(audio: ProcessedAudio, seconds: float) -> float:
    """A time in the raw recording as a time in the published audio (trim, cuts and intro move it)."""
    if audio.time_map is not None:
        return audio.time_map.published(seconds)
    return max(0.0, min(seconds - audio.trim_start, audio.duration))


def recording_time(audio: ProcessedAudio, seconds: float) -> float:
    """A time in the published audio as a time in the raw recording."""
    if audio.time_map is not None:
        return audio.time_map.recording(seconds)
    return seconds + audio.trim_start


def moves_time(audio: ProcessedAudio) -> bool:
    """Whether any time of the recording is another time in the published audio."""
    return published_time(audio, 0.0) != 0.0 or recording_time(audio, 1.0) != 1.0 or (
        audio.time_map is not None and len(audio.time_map.segments) > 1)


_SETTINGS: dict[tuple[int, ...], tuple[Preset, tuple[Format, ...], dict, str]] = {}
"""settings_of's answers and their text as the key has it (settings_text), by the identity of the preset and formats
objects (kept, so that an id is never reused)."""


def _settings_entry(preset: Preset, formats: tuple[Format, ...]) -> tuple[Preset, tuple[Format, ...], dict, str]:
    """Made once per preset and formats objects (frozen: most episodes share one): written out for every episode,
    the settings' text was a fifth of looking up a thousand episodes' audio in the cache."""
    memo = (id(preset), *map(id, formats))
    known = _SETTINGS.get(memo)
    if known is None or known[0] is not preset or known[1] != formats:
        # the encoder's options for each channel count (bitrate included): a change of them makes the audio again
        rows = [{**{k: v for k, v in vars(f).items() if not callable(v)},
                 "encoder": [f.encoder(f.bitrate(preset, channels)) for channels in (1, 2)]} for f in formats]
        settings = {"version": AUDIO_VERSION, "preset": plain(preset), "leveler": plain(preset.leveler_settings()), "formats": rows}
        if len(_SETTINGS) > 64:
            _SETTINGS.clear()
        known = _SETTINGS[memo] = (preset, formats, settings, settings_text(settings))
    return known


def settings_of(preset: Preset, formats: tuple[Format, ...]) -> dict:
    """Everything the processed audio depends on besides the recording's bytes: the cache key (a new dict each call)."""
    return dict(_settings_entry(preset, formats)[2])


def series(values: Sequence[float], step: float = SERIES_STEP) -> list[float]:
    """Every `step` seconds, one value of a 10-per-second series (rounded: it goes into JSON and SVG)."""
    stride = max(1, round(step / FRAME_SECONDS))
    return [round(max(v, -70.0), 1) for v in values[stride - 1 :: stride]]


def time_map(plan: render.RenderPlan, jingles: dict[str, tuple[int, float]], info: RecordingInfo, analysis: Analysis) -> TimeMap:
    segments = list(plan.segments) or [(plan.trim_start, min(plan.trim_end, max(info.duration, analysis.duration)))]
    lengths = {place: jingle_length(j.path) for place, j in ((j.place, j) for j in plan.jingles)}
    return TimeMap.build(segments, lengths.get("intro", 0.0), lengths.get("outro", 0.0))


def jingle_length(path: Path) -> float:
    return probe(path, decode=False).duration


def measure_jingles(edits: Edits, channels: int) -> dict[str, tuple[int, float]]:
    """Channels and loudness (as mixed into the programme) of the intro and outro files."""
    found = {}
    for place, path in (("intro", edits.intro), ("outro", edits.outro)):
        if path is None:
            continue
        try:
            info = probe(path, decode=False)
            loudness = measure(path, filters=channel_filter(info.channels, channels == 1), true_peak=False)
        except (ProbeError, MeasureError) as exc:
            raise AudioError(f"{path.name}: {exc}") from None
        if loudness.integrated <= SILENCE_LUFS:
            raise AudioError(f"{path.name}: no sound found in the {place}")
        found[place] = (info.channels, loudness.integrated)
    return found


@dataclass(frozen=True)
class Attempt:
    """One file made of a format: what it was made with, what it measured, where it waits."""

    branch: render.Branch
    verdict: verify.Verdict
    path: Path
    meter: Meter | None
    """The meter of the pass (the report's loudness over time), when this format was the first it rendered."""


def best_attempt(attempts: list[Attempt], tolerance_lu: float) -> Attempt:
    """The file to publish among those made of one format: under the ceiling first (else the least over), then on
    target (else the least off); the last made among equals. Each retry corrects the one before, but a codec may
    land further off (ffmpeg's AAC encoder moves its peaks at random)."""
    return min(reversed(attempts), key=lambda kept: (round(kept.verdict.peak_excess, 6), kept.verdict.loudness_miss(tolerance_lu)))


def produce(source: Path, info: RecordingInfo, preset: Preset, formats: tuple[Format, ...], folder: Path, progress=None,
            edits: Edits = NO_EDITS) -> dict:
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
    margins = margins_of(formats)
    corrections: dict[str, float] = {}
    repairs = repairs_for(analysis, info, preset)
    channels = 1 if analysis.channels == 1 or (preset.channels == "auto" and analysis.mono_from) else 2
    jingles = measure_jingles(edits, channels)
    plan = make_plan(analysis, info, preset, formats, margins, corrections, repairs, edits, jingles)
    tried: dict[str, list[Attempt]] = {b.name: [] for b in plan.branches}
    """Every file made of each format, kept aside until the best is chosen: a retry may land further off."""
    todo = [b.name for b in plan.branches]
    wrong: dict[str, verify.Verdict] = {}
    for attempt in range(MAX_ATTEMPTS):
        release_freed_memory()  # what the planning freed, before the long pass
        published = min(plan.trim_end, info.duration) - plan.trim_start
        watch = progress(f"encoding {source.name}", published) if progress else None
        branches = tuple(b for b in plan.branches if b.name in todo)
        try:
            run_meter = render.render(source, info.channels, replace(plan, branches=branches), preset, folder, demuxer=info.demuxer,
                                      on_time=watch.update if watch else None)
            verdicts = verify.judge({b.name: folder / b.file_name for b in branches}, preset.integrated, preset.true_peak)
        except (MeasureError, render.RenderError) as exc:
            raise AudioError(str(exc)) from None
        if watch:
            watch.finish()
        for branch in branches:
            aside = folder / f"try{attempt}-{branch.file_name}"
            (folder / branch.file_name).replace(aside)
            # the meter follows the first branch rendered: the main format's, when it is rendered
            tried[branch.name].append(Attempt(branch, verdicts[branch.name], aside, run_meter if branch is branches[0] else None))
        for name in todo:
            verdict = verdicts[name]
            log.info("%s: %s published at %.2f LUFS, %.2f dBTP (target %.1f, ceiling %.1f)", source, name,
                     verdict.loudness.integrated, verdict.loudness.true_peak or 0.0, preset.integrated, preset.true_peak)
        wrong = {n: v for n, v in verdicts.items() if v.wrong(preset.tolerance_lu)}
        if not wrong or attempt == MAX_ATTEMPTS - 1:
            break
        for name, verdict in wrong.items():
            if verdict.peak_excess > 0:
                margins[name] += verdict.peak_excess + verify.TP_SAFETY_DB
            if verdict.loudness_miss(preset.tolerance_lu) > 0:
                corrections[name] = corrections.get(name, 0.0) + verdict.loudness_error * RETRY_GAIN_FACTOR
        todo = list(wrong)
        log.info("%s: %s made again, alone (limiter margins %s, gain corrections %s)", source, ", ".join(wrong), margins, corrections)
        plan = make_plan(analysis, info, preset, formats, margins, corrections, repairs, edits, jingles)
    chosen = {name: best_attempt(attempts, preset.tolerance_lu) for name, attempts in tried.items()}
    for name, attempts in tried.items():
        for kept in attempts:
            if kept is chosen[name]:
                kept.path.replace(folder / kept.branch.file_name)
            else:
                kept.path.unlink()
    verdicts = {name: kept.verdict for name, kept in chosen.items()}
    wrong = {name: v for name, v in verdicts.items() if v.wrong(preset.tolerance_lu)}
    """What is still over the ceiling or off the target: said in the notices."""
    plan = replace(plan, branches=tuple(chosen[b.name].branch for b in plan.branches))
    meter = chosen[plan.branches[0].name].meter
    assert meter is not None
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
        "notices": notices_of(analysis, preset, plan) + notices.published_notices(wrong, preset, MAX_ATTEMPTS),
        "time_map": time_map(plan, jingles, info, analysis).as_list(),
        "repairs": [*(f"adeclip {a:.2f}-{b:.2f} s" for a, b in plan.declip), *repairs],
        "short_term_before": series(analysis.short_term),
        "short_term_after": series(meter.short_term),
    }


def cache_key(source_digest: str, preset: Preset, formats: tuple[Format, ...], edits: Edits = NO_EDITS) -> str:
    """The audio cache's key for a recording (its SHA-256), the settings, the formats and the edits."""
    if edits == NO_EDITS:
        return f"{ENTRY_PREFIX}{key_for_text(source_digest, _settings_entry(preset, formats)[3])}"
    settings = settings_of(preset, formats)
    settings["edits"] = edits.settings(file_digest)
    return f"{ENTRY_PREFIX}{key_for(source_digest, settings)}"


def remove_stale_audio(cache: AudioCache) -> int:
    """Remove the processed audio an older version of portevoix made (after a build is in place); returns the bytes
    freed. Each AUDIO_VERSION makes every recording's audio again, and the old copies stayed for good: about 145 MB
    per two-hour debate (MP3 and Opus) each time. Entries of this version with other settings stay: going back to
    a leveler or a preset tried finds its audio made."""
    freed = cache.remove_others(ENTRY_PREFIX)
    if freed:
        log.info("%d bytes of audio an older portevoix processed removed from the cache", freed)
    return freed


def cached_notes(root: Path, episodes: list, formats: tuple[Format, ...], edits_of, known) -> tuple[list[tuple[Path, str]], list[Path]]:
    """What the last build's analysis found in each episode's recording, read from the audio cache without
    opening a recording: ([(recording, line)], [recordings whose audio is not analysed yet]); nothing at all for
    a podcast never built.

    `edits_of(episode)`: its Edits; `known`: the IdentityCache (the recording's digest, when known for the
    file as it is now). Analysing here would cost a pass over every recording (~15 s an hour of audio):
    `check` must stay cheap on a large archive, and the build analyses anyway."""
    cache, lines, missing = AudioCache(root), [], []
    if not cache.root.is_dir():
        return [], []  # never built: nothing was analysed, and the first build will (no line for each episode)
    for episode in episodes:
        digest = known.known_digest(episode.recording)
        entry = None if digest is None else cache.entry(cache_key(digest, episode.preset, formats, edits_of(episode)))
        try:
            record = json.loads((entry / "done.json").read_text(encoding="utf-8")) if entry else None
        except (OSError, ValueError):
            record = None
        if record is None:
            missing.append(episode.recording)
        else:
            lines += [(episode.recording, line) for line in notices.from_record(record)]
    return lines, missing


def cached(source_digest: str, preset: Preset, cache: AudioCache, formats: tuple[Format, ...] | None = None,
           edits: Edits = NO_EDITS) -> ProcessedAudio | None:
    """The processed audio of the recording whose SHA-256 is `source_digest`, if the cache has it (else None)."""
    formats = formats or chosen(None)
    entry = cache.entry(cache_key(source_digest, preset, formats, edits))
    return None if entry is None else _from_entry(entry, formats, from_cache=True)


def process(source: Path, info: RecordingInfo, preset: Preset, cache: AudioCache, progress=None, edits: Edits = NO_EDITS,
            formats: tuple[Format, ...] | None = None, source_digest: str | None = None) -> ProcessedAudio:
    """The processed audio of `source` in each of `formats` (default: MP3 and Opus), from the cache when its
    bytes, the settings and the edits are unchanged.

    `progress(label, total_seconds)`, when given, makes an object with `update(seconds)` and `finish()`.
    `source_digest`, the SHA-256 of the recording when already known, saves reading it again.
    """
    formats = formats or chosen(None)
    key = cache_key(source_digest or file_digest(source), preset, formats, edits)
    entry = cache.entry(key)
    from_cache = entry is not None
    if entry is None:
        log.info("processing audio of %s", source)
        entry = cache.fill(key, lambda folder: produce(source, info, preset, formats, folder, progress, edits))
    else:
        log.info("audio of %s is up to date", source)
    return _from_entry(entry, formats, from_cache)


def _from_entry(entry: Path, formats: tuple[Format, ...], from_cache: bool) -> ProcessedAudio:
    record = json.loads((entry / "done.json").read_text(encoding="utf-8"))
    return ProcessedAudio(
        files={f.name: entry / f"audio.{f.extension}" for f in formats},
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
        warnings=notices.from_record(record),
        time_map=TimeMap(tuple(tuple(s) for s in record["time_map"]), record["duration"]) if "time_map" in record else None,
        published={name: Loudness(**values) for name, values in record.get("published", {}).items()},
        entry_key=entry.name,
    )
