"""The loudness report of each episode: before/after figures and a picture of loudness over time.

The picture is a small self-contained SVG (no script, no font or URL from
elsewhere) written beside the episode page; the figures are also printed by
`portevoix build --report`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from pipeline.audio import ProcessedAudio
from pipeline.fsutil import code_digest
from pipeline.presets import Preset

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 44, 28
FLOOR, TOP_LUFS = -50.0, -5.0

LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "title": "Volume sonore au fil de l'enregistrement",
        "before": "avant",
        "after": "après",
        "target": "cible",
        "minutes": "min",
        "figures": "Intégré {i_before} → {i_after} LUFS · plage (LRA) {lra_before} → {lra_after} LU · crête {tp_before} → {tp_after} dBTP",
        "leveler": {"off": "aucun", "gentle": "doux", "strong": "fort"},
        "actions": "gain {gain} dB · nivellement {leveler} · silence coupé {trim_start} s au début, {trim_end} s à la fin",
        "published": "fichier {format} : {i} LUFS, crête {tp} dBTP",
    },
    "en": {
        "title": "Loudness over the recording",
        "before": "before",
        "after": "after",
        "target": "target",
        "minutes": "min",
        "figures": "Integrated {i_before} → {i_after} LUFS · range (LRA) {lra_before} → {lra_after} LU · peak {tp_before} → {tp_after} dBTP",
        "leveler": {"off": "off", "gentle": "gentle", "strong": "strong"},
        "actions": "gain {gain} dB · leveler {leveler} · dead air cut {trim_start} s at the start, {trim_end} s at the end",
        "published": "{format} file: {i} LUFS, peak {tp} dBTP",
    },
}


@cache
def _code_stamp() -> str:
    return code_digest("loudness picture 1", [Path(__file__)])


def svg_key(audio: ProcessedAudio, language: str) -> str | None:
    """The input key of loudness_svg's picture: the audio's cache entry, the language and this module's code; None
    for audio that comes from no cache entry. The entry's name is the digest of the recording and of the whole
    preset (audio.settings_of), so it fixes every figure, series and target the picture shows."""
    if not audio.entry_key:
        return None
    return hashlib.sha256(f"{_code_stamp()}|{audio.entry_key}|{language}".encode()).hexdigest()


def svg_name(slug: str) -> str:
    """Where the picture goes in the site, beside the episode page."""
    return f"episodes/{slug}/loudness.svg"


def _number(value: float | None, sign: bool = False) -> str:
    if value is None:
        return "?"
    return f"{value:+.1f}" if sign else f"{value:.1f}"


def figures(audio: ProcessedAudio, language: str = "en") -> dict[str, str]:
    labels = LABELS.get(language.split("-")[0], LABELS["en"])
    return {
        "i_before": _number(audio.before.integrated),
        "i_after": _number(audio.after.integrated),
        "lra_before": _number(audio.before.lra),
        "lra_after": _number(audio.after.lra),
        "tp_before": _number(audio.before.true_peak),
        "tp_after": _number(audio.after.true_peak),
        "gain": _number(audio.gain_db, sign=True),
        "leveler": labels["leveler"].get(audio.leveler, audio.leveler),
        "trim_start": _number(audio.trim_start),
        "trim_end": _number(audio.trim_end),
    }


def summary_line(name: str, audio: ProcessedAudio, language: str = "en") -> str:
    labels = LABELS.get(language.split("-")[0], LABELS["en"])
    values = figures(audio, language)
    files = " · ".join(
        labels["published"].format(format=fmt.upper(), i=_number(loud.integrated), tp=_number(loud.true_peak))
        for fmt, loud in audio.published.items()
    )
    return f"{name}: {labels['figures'].format(**values)}; {labels['actions'].format(**values)}" + (f"; {files}" if files else "")


def _points(values: list[float], step: float, offset: float, x_of, y_of) -> str:
    return " ".join(f"{x_of(offset + (i + 1) * step):.1f},{y_of(v):.1f}" for i, v in enumerate(values))


def loudness_svg(audio: ProcessedAudio, preset: Preset, language: str = "fr") -> str:
    """Short-term loudness before (grey) and after (blue) on the recording's time line, the target dashed."""
    labels = LABELS.get(language.split("-")[0], LABELS["en"])
    step = audio.series_step
    span = max(step * len(audio.short_term_before), audio.trim_start + step * len(audio.short_term_after), 1.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(seconds: float) -> float:
        return LEFT + plot_w * min(seconds, span) / span

    def y_of(lufs: float) -> float:
        clamped = min(TOP_LUFS, max(FLOOR, lufs))
        return TOP + plot_h * (TOP_LUFS - clamped) / (TOP_LUFS - FLOOR)

    values = figures(audio, language)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(labels["title"])}</title>',
        f'<desc id="d">{escape(labels["figures"].format(**values))}; {escape(labels["actions"].format(**values))}</desc>',
        '<style>text{font:11px sans-serif;fill:#333}.grid{stroke:#ddd;stroke-width:1}.before{fill:none;stroke:#999;stroke-width:1.2}'
        ".after{fill:none;stroke:#1f5fbf;stroke-width:1.6}.target{stroke:#c33;stroke-width:1;stroke-dasharray:4 3}</style>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="14">{escape(labels["figures"].format(**values))}</text>',
        f'<text x="{LEFT}" y="30">{escape(labels["actions"].format(**values))}</text>',
    ]
    for lufs in range(int(FLOOR), int(TOP_LUFS) + 1, 10):
        y = y_of(lufs)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{lufs}</text>')
    minutes = span / 60
    tick = next(t for t in (1, 2, 5, 10, 15, 30, 60, 120) if minutes / t <= 8)
    for minute in range(0, int(minutes) + 1, tick):
        x = x_of(minute * 60)
        if x > WIDTH - RIGHT - 30:  # leave room for the unit
            continue
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{minute}</text>')
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 10}" text-anchor="end">{labels["minutes"]}</text>')
    target = y_of(preset.integrated)
    parts.append(f'<line class="target" x1="{LEFT}" y1="{target:.1f}" x2="{WIDTH - RIGHT}" y2="{target:.1f}"/>')
    parts.append(f'<polyline class="before" points="{_points(audio.short_term_before, step, 0.0, x_of, y_of)}"/>')
    parts.append(f'<polyline class="after" points="{_points(audio.short_term_after, step, audio.trim_start, x_of, y_of)}"/>')
    legend_y = TOP + 12
    parts.append(f'<text x="{WIDTH - RIGHT - 4}" y="{legend_y}" text-anchor="end"><tspan fill="#999">— {labels["before"]}</tspan>'
                 f' <tspan fill="#1f5fbf">— {labels["after"]}</tspan> <tspan fill="#c33">- - {labels["target"]} {preset.integrated:g} LUFS</tspan></text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
