"""What the analysis found in a recording, as lines people can act on: clipping, hum, rumble, room noise,
a voice left apart from the others, a recording that is mostly silence.

Each is kept in the audio cache's record as a notice — a message key of `pipeline.i18n` and its values,
times already written as clock times — and put into words when read: `build --report` and `check`
say them in the user's language, and `check` reads them from the cache without opening a recording.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from pipeline.audio import leveler
from pipeline.audio.analysis import HARMONICS, Analysis
from pipeline.audio.loudness import FRAME_SECONDS
from pipeline.i18n import say
from pipeline.presets import Preset
from pipeline.textfmt import REPORT, clock

Notice = tuple[str, dict]
"""(message key in pipeline.i18n, its values)."""
MOSTLY_SILENT = 0.5
"""A recording (over a minute) with sound in less than this share of its length is said to be mostly silence."""
LISTED_CLIPS = 6
"""Clipped stretches listed by their times (then "…")."""


def tenths(seconds: float) -> int:
    """The tenth of a second that a REPORT clock (whole seconds, truncated) leaves out."""
    return int(seconds * 10 + 1e-6) % 10


def span(start: float, end: float) -> str:
    """A stretch as "01:40-01:52"; within one second, with tenths ("01:40.2-01:40.8"), or one time when shorter still."""
    first, last = clock(start, REPORT), clock(end, REPORT)
    if first != last:
        return f"{first}-{last}"
    if tenths(start) == tenths(end):
        return f"{first}.{tenths(start)}"
    return f"{first}.{tenths(start)}-{last}.{tenths(end)}"


def room_notices(analysis: Analysis, preset: Preset, strength: str, floor: float, speech_level: float) -> list[Notice]:
    """What the room did (and what was done about it). `strength`: the noise reduction chosen; `floor` and
    `speech_level`: the room's noise and the speech, LUFS."""
    room, found = analysis.room, list[Notice]()
    if room.clipped:
        times = ", ".join(span(a, b) for a, b in room.clipped[:LISTED_CLIPS])
        times += " …" if len(room.clipped) > LISTED_CLIPS else ""
        found.append(("audio_clipped_repaired" if preset.declip else "audio_clipped", {"times": times}))
    if strength != "off":
        found.append(("audio_noise", {"lu": round(speech_level - floor), "strength": strength}))
    if room.hum_hz:
        notches = ", ".join(f"{room.hum_hz * k:.0f}" for k in range(1, HARMONICS + 1))
        found.append(("audio_hum", {"hz": round(room.hum_hz), "db": round(room.hum_db or 0.0), "notches": notches}))
    if room.rumble:
        found.append(("audio_rumble", {}))
    sound = sum(1 for m in analysis.momentary if m >= analysis.loudness.integrated - 20) * FRAME_SECONDS
    if analysis.duration > 60 and sound < MOSTLY_SILENT * analysis.duration:
        found.append(("audio_mostly_silent", {"sound": round(sound / 60), "total": round(analysis.duration / 60)}))
    return found


def leveler_notices(analysis: Analysis, preset: Preset, curve: Sequence[float], offset: float) -> list[Notice]:
    """A notice for each stretch of speech the leveler leaves more than 4 LU from the others.

    `offset`: how much quieter the mixdown measures than the recording (dB)."""
    settings = preset.leveler_settings()
    momentary = array("d", (m + offset for m in analysis.momentary))
    found = []
    for start, end, off in leveler.voices_left_apart(momentary, analysis.loudness.integrated + offset, settings, curve):
        found.append(("audio_voice_under" if off < 0 else "audio_voice_over",
                      {"start": clock(start, REPORT), "end": clock(end, REPORT), "lu": round(abs(off)),
                       "advice": "try_strong" if preset.leveler != "strong" else "check_microphone"}))
    return found


PUBLISHED_TOLERANCE_LU = 0.5
"""EBU R128's tolerance on a programme's loudness: a file the last pass leaves off the preset's own (narrower)
tolerance but within this is published without a notice."""


def published_notices(wrong: dict, preset: Preset, tries: int) -> list[Notice]:
    """A notice for each published file still over the ceiling, or off the target by more than
    PUBLISHED_TOLERANCE_LU, after the last pass (`wrong`: {format: verify.Verdict}); the build publishes it,
    and says so."""
    return [("audio_published_off", {"format": name, "lufs": round(v.loudness.integrated, 1),
                                     "peak": round(v.loudness.true_peak or 0.0, 1), "tries": tries,
                                     "target": preset.integrated, "ceiling": preset.true_peak})
            for name, v in sorted(wrong.items()) if v.wrong(PUBLISHED_TOLERANCE_LU)]


def text(notice: Notice) -> str:
    """The notice in the user's language."""
    key, values = notice
    if "advice" in values:
        values = {**values, "advice": say(f"audio_advice_{values['advice']}")}
    return say(key, **values)


def from_record(record: dict) -> list[str]:
    """The lines of an audio cache record (done.json): its notices in words (older records kept English lines)."""
    if "notices" in record:
        return [text((key, values)) for key, values in record["notices"]]
    return list(record.get("warnings", []))

