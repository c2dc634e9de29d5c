"""The audio stage: measure, normalise and encode each recording, cached.

The raw recording is only ever read. What comes out is kept in the audio cache,
keyed by the recording's bytes and the settings, and reused until either changes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.audio import render
from pipeline.audio.cache import AudioCache, file_digest, key_for
from pipeline.audio.loudness import Loudness, MeasureError, measure
from pipeline.audio.probe import RecordingInfo, probe
from pipeline.presets import Preset

log = logging.getLogger(__name__)

AUDIO_VERSION = 2
"""Bump when the processing changes, so that cached audio is made again."""


@dataclass(frozen=True)
class ProcessedAudio:
    mp3: Path
    opus: Path
    duration: float
    before: Loudness
    after: Loudness
    gain_db: float
    from_cache: bool
    trim_start: float = 0.0
    """Seconds of dead air cut at the start: every time in the recording moves back by this much."""


class AudioError(ValueError):
    pass


def settings_of(preset: Preset) -> dict:
    return {"version": AUDIO_VERSION, "preset": asdict(preset)}


def process(source: Path, info: RecordingInfo, preset: Preset, cache: AudioCache) -> ProcessedAudio:
    key = key_for(file_digest(source), settings_of(preset))
    entry = cache.entry(key)
    from_cache = entry is not None
    if entry is None:
        log.info("processing audio of %s", source)

        def produce(folder: Path) -> dict:
            try:
                before = measure(source)
                plan = render.plan(source, info, preset, before)
                render.encode_mp3(source, folder / "audio.mp3", plan, preset)
                render.encode_opus(source, folder / "audio.opus", plan, preset)
                after = measure(folder / "audio.mp3")
            except (MeasureError, render.RenderError) as exc:
                raise AudioError(str(exc)) from None
            duration = probe(folder / "audio.mp3").duration
            return {"before": before.as_dict(), "after": after.as_dict(), "gain_db": plan.gain_db, "duration": duration}

        entry = cache.fill(key, produce)
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
    )

