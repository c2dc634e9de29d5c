"""Loudness and encoding presets: data files, not constants in code.

Each `<name>.json` beside this file is one preset. A podcast picks one in
`podcast.yaml` (`audio_preset`), an episode may pick another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

PRESET_DIR = Path(__file__).parent


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


def names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PRESET_DIR.glob("*.json")))


@cache
def load(name: str) -> Preset:
    data = json.loads((PRESET_DIR / f"{name}.json").read_text(encoding="utf-8"))
    known = {f.name for f in fields(Preset)}
    return Preset(name=name, **{k: v for k, v in data.items() if k in known})
