"""Loudness and encoding presets: data files, not constants in code.

Each `<name>.json` beside this file is one preset. A podcast picks one in
`podcast.yaml` (`audio_preset`), an episode may pick another. The leveler's
settings are data too: `leveler/<off|gentle|strong>.json`. Nothing here reads podcast.yaml: the fields that
choose a preset are declared in source/ (config.py, episode_meta.py), from the names listed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path

PRESET_DIR = Path(__file__).parent
LEVELER_DIR = PRESET_DIR / "leveler"


@dataclass(frozen=True)
class Leveler:
    """How the speech leveler rides the gain, planned on the whole recording (no pumping: it looks ahead)."""

    name: str
    description: str
    ratio: float
    """How much of the gap between a passage and the whole recording is closed (0 = off, 1 = all of it)."""
    window: float
    """Seconds of speech around each moment whose loudness is compared to the whole."""
    smoothing: float
    """Seconds over which the gain curve is smoothed (twice, a triangle), so that it glides."""
    max_boost: float
    """At most this many dB added to a quiet passage."""
    max_cut: float
    """At most this many dB taken from a loud passage."""
    speech_gate_lu: float
    """Frames quieter than the whole by more than this are pauses or room noise: they do not steer the gain."""
    speech_above_noise_lu: float = 6.0
    """Frames must also be this much louder than the room noise (the quietest tenth of the recording) to steer it."""
    transient_lu: float = 10.0
    """A frame this much louder than the median around it is a bang or a knock: left to the limiter, ignored by the curve."""
    transient_peak_db: float = 6.0
    """A 100 ms frame whose peak stands this far over the loud syllables around it is a bang: it is taken down to them."""
    transient_context: float = 3.0
    """Seconds around a frame whose median it is compared with to find transients."""


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    integrated: float
    """Target integrated loudness, LUFS (EBU R128)."""
    true_peak: float
    """Ceiling for the true peak of every encoded file, dBTP."""
    channels: str
    """"auto" keeps stereo unless the recording is effectively mono; "mono" always downmixes."""
    mp3_bitrate_stereo: str
    mp3_bitrate_mono: str
    opus_bitrate: str
    leveler: str = "gentle"
    """Speech leveler: "off", "gentle" or "strong" (settings in leveler/<name>.json)."""
    tolerance_lu: float = 0.3
    """When the processed audio misses the target by more than this, the gain is corrected and it is made again."""
    # Each format's limiter margin, codec loudness offset, codec band and encoder settings are in
    # pipeline/media/formats.py; a preset gives only the bitrates.
    denoise: str = "auto"
    """Broadband noise reduction: "off", "light", "medium", or "auto" (light when room noise is measured, else off)."""
    denoise_reduction_db: dict = field(default_factory=lambda: {"light": 12.0, "medium": 24.0})
    """How much each strength takes from the noise (afftdn's reduction, dB), its profile learnt from the recording's pauses."""
    noisy_snr_lu: float = 35.0
    """Room noise is measured when the quietest tenth of the recording is less than this under its speech."""
    declip: bool = False
    """Repair clipped stretches (ffmpeg's adeclip, only where clipping was found)."""
    rumble_highpass_hz: float = 80.0
    """High-pass (twice, 24 dB/octave) applied when rumble is measured under the speech."""
    hum_notch_width_hz: float = 4.0
    """Width of each notch on the mains frequency and its harmonics, when hum is measured."""
    trim_gate_lu: float = -25.0
    """Dead air at both ends: frames quieter than the whole recording by more than this."""
    trim_pad: float = 0.5
    """Seconds of room sound kept before the first and after the last sound."""
    trim_min: float = 1.0
    """Dead air shorter than this is left alone."""

    def leveler_settings(self) -> Leveler:
        return load_leveler(self.leveler)


def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PRESET_DIR.glob("*.json")))


def leveler_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in LEVELER_DIR.glob("*.json")))


@cache
def load(name: str) -> Preset:
    data = json.loads((PRESET_DIR / f"{name}.json").read_text(encoding="utf-8"))
    known = {f.name for f in fields(Preset)}
    return Preset(name=name, **{k: v for k, v in data.items() if k in known})


def with_leveler(preset: Preset, leveler: str | None) -> Preset:
    """`preset`, with another leveler setting when one is chosen (podcast.yaml or episode.md)."""
    return replace(preset, leveler=leveler) if leveler else preset


DENOISE_CHOICES = ("off", "light", "medium")


def with_repairs(preset: Preset, denoise: str | None, declip: bool | None) -> Preset:
    """`preset`, with the noise reduction and declipping chosen in podcast.yaml or episode.md (None: unchanged)."""
    if denoise:
        preset = replace(preset, denoise=denoise)
    if declip is not None:
        preset = replace(preset, declip=declip)
    return preset


@cache
def load_leveler(name: str) -> Leveler:
    data = json.loads((LEVELER_DIR / f"{name}.json").read_text(encoding="utf-8"))
    known = {f.name for f in fields(Leveler)}
    return Leveler(name=name, **{k: v for k, v in data.items() if k in known})
