"""Soundbite clips: each `soundbites:` entry of an episode as a short file of its own, to share.

A clip is cut from the processed audio (the file of the same format in the audio
cache), so that it is at the episode's loudness and its times move with the trim,
the cuts and the intro like every other time of the episode. pydub reads just
that stretch (`AudioSegment.from_file(…, start_second=…, duration=…)`: short
clips only, pydub holds what it reads in memory), fades it in and out, and
encodes it with the format's own encoder options (media/formats.py: one clip per
published format). The clip is then decoded and metered: one over the true-peak
ceiling (re-encoding a decoded file can overshoot) is made again that much lower.

Clips are kept in the cache (`.cache/portevoix/clips/`), keyed by the processed
audio they come from, their times and the encoder's options: a build in which
none of those changed makes none again (and reads no recording byte for them).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audio import ProcessedAudio
from pipeline.audio import published_time as moved_time
from pipeline.audio.loudness import MeasureError, measure
from pipeline.audio.tools import executable
from pipeline.audio.verify import TP_SAFETY_DB
from pipeline.media.formats import Format
from pipeline.media.tagged import fingerprint_of, intact, record_of
from pipeline.presets import Preset

log = logging.getLogger(__name__)

CLIP_VERSION = 1
"""Bump when the way clips are made changes, so that cached clips are made again."""
FADE_SECONDS = 0.3
"""Fade in at the start of a clip and out at its end (no click where it is cut)."""
SHORTEST = 1.0
"""Seconds: a soundbite that would be shorter in the published audio (it ends past the end) gets no clip."""
ATTEMPTS = 3
CACHE_FOLDER = "clips"


class ClipError(ValueError):
    pass


@dataclass(frozen=True)
class Clip:
    number: int
    """1 for the episode's first soundbite, 2 for the next…"""
    title: str
    start: float
    """Where it starts in the published audio, seconds."""
    duration: float
    files: dict[str, Path] = field(default_factory=dict)
    """{format name: the clip file, in the cache}, in the episode's format order."""
    sizes: dict[str, int] = field(default_factory=dict)
    """{format name: its byte count}."""


def placed(audio: ProcessedAudio, start: float, duration: float) -> tuple[float, float]:
    """(start, duration) in the published audio of a soundbite given in recording time; duration 0 when none is left."""
    begin = max(0.0, min(moved_time(audio, start), audio.duration))
    return round(begin, 3), round(max(0.0, min(float(duration), audio.duration - begin)), 3)


def clip_key(source: Path, start: float, duration: float, options: list[str], ceiling: float) -> str:
    text = json.dumps({"version": CLIP_VERSION, "source": str(source), "start": start, "duration": duration,
                       "fade": FADE_SECONDS, "encoder": options, "ceiling": ceiling}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def pydub_options(options: list[str]) -> tuple[str, str, list[str]]:
    """A format's ffmpeg output options as pydub's export takes them: (codec, muxer, the other options)."""
    named: dict[str, str] = {}
    rest: list[str] = []
    for option, value in zip(options[::2], options[1::2]):
        if option in ("-c:a", "-f"):
            named[option] = value
        else:
            rest += [option, value]
    return named["-c:a"], named["-f"], rest


def encode_clip(source: Path, start: float, duration: float, options: list[str], ceiling: float, target: Path) -> float:
    """Write the clip of `source` [start, start + duration] to `target`; returns its true peak, dBTP."""
    from pydub import AudioSegment

    AudioSegment.converter = executable("ffmpeg")
    try:
        segment = AudioSegment.from_file(str(source), start_second=start, duration=duration)
    except Exception as exc:  # pydub raises its own errors, and OSError when ffmpeg cannot run
        raise ClipError(f"{source.name}: cannot read {start:.1f}-{start + duration:.1f} s ({str(exc).splitlines()[0]})") from None
    codec, muxer, rest = pydub_options(options)
    fade = min(round(FADE_SECONDS * 1000), len(segment) // 4)
    segment = segment.fade_in(fade).fade_out(fade)
    gain, peak = 0.0, 0.0
    for _ in range(ATTEMPTS):
        with target.open("wb") as handle:
            (segment.apply_gain(gain) if gain else segment).export(handle, format=muxer, codec=codec, parameters=rest)
        try:
            peak = measure(target).true_peak or 0.0
        except MeasureError as exc:
            raise ClipError(f"{target.name}: {exc}") from None
        if peak <= ceiling:
            break
        gain -= peak - ceiling + TP_SAFETY_DB
        log.info("%s: clip at %.2f dBTP, over %.1f: made again %.2f dB lower", target.name, peak, ceiling, -gain)
    return peak


def make_clips(audio: ProcessedAudio, soundbites: list, formats: tuple[Format, ...], preset: Preset, cache_root: Path) -> list[Clip]:
    """The clips of an episode's soundbites (start, duration and title, in recording time), made or from the cache.

    `cache_root`: the podcast folder's .cache/portevoix."""
    folder = cache_root / CACHE_FOLDER
    clips = []
    for number, bite in enumerate(soundbites, start=1):
        start, duration = placed(audio, bite.start, bite.duration)
        if duration < SHORTEST:
            continue
        files, sizes = {}, {}
        for fmt in formats:
            source = audio.files[fmt.name]
            options = fmt.encoder(fmt.bitrate(preset, audio.channels))
            final = folder / f"{clip_key(source, start, duration, options, preset.true_peak)}.{fmt.extension}"
            if not intact(final):
                folder.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(prefix=".clip.", suffix=f".{fmt.extension}", dir=folder)
                os.close(handle)
                temporary = Path(name)
                try:
                    peak = encode_clip(source, start, duration, options, preset.true_peak, temporary)
                    os.chmod(temporary, 0o644)
                    os.replace(temporary, final)
                    record_of(final).write_text(json.dumps({**fingerprint_of(final), "true_peak": peak}) + "\n", encoding="utf-8")
                finally:
                    temporary.unlink(missing_ok=True)
            files[fmt.name], sizes[fmt.name] = final, final.stat().st_size
        clips.append(Clip(number=number, title=bite.title or "", start=start, duration=duration, files=files, sizes=sizes))
    return clips
