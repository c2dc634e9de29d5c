"""Numbers as people read them: clocks (12:30, 1:02:03, 00:12:30.250), durations (1 h 05 min, PT1H5M) and sizes
(55 Mo, 3.4 kB).

One clock formatter, `clock(seconds, style)`; a style says how a place writes its times (the styles are data, one
line each, like the formats table): progress lines, messages, audio warnings, pages, episode.md, tags and chapters.
Durations and sizes on pages put a no-break space between number and unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

@dataclass(frozen=True)
class ClockStyle:
    """How a clock is written."""

    truncate: bool = False
    """Whole seconds by dropping the fraction (a player's elapsed time) instead of rounding to the nearest."""
    millis: Literal["never", "always", "if_any"] = "never"
    """Milliseconds after the seconds: never, always (.000 too), or only when the time falls between seconds."""
    clamp: bool = True
    """A negative time is written as 0."""
    hours: Literal["auto", "always"] = "auto"
    """Hours only when there are some (12:30), or always (00:12:30)."""
    hour_digits: int = 1
    """Digits of the hours at least: 1 (1:02:03) or 2 (01:02:03)."""
    minute_digits: int = 1
    """Digits of the minutes when no hours are written: 1 (2:03) or 2 (02:03)."""


SHORT = ClockStyle()
"""2:03, 1:02:03: progress lines and messages about a recording."""
PLAYER = ClockStyle(truncate=True, clamp=False, minute_digits=2)
"""02:03, 1:02:03: elapsed time as an audio player shows it (pages, transcript cues)."""
REPORT = ClockStyle(truncate=True, clamp=False, hour_digits=2, minute_digits=2)
"""02:03, 01:02:03: places in a recording named in the audio warnings."""
CHAPTER = ClockStyle(hours="always", hour_digits=2)
"""00:12:30: a chapter start or a duration as episode.md writes it."""
CHAPTER_EXACT = ClockStyle(millis="if_any", hours="always", hour_digits=2)
"""00:12:30, or 00:12:30.250 when it falls between seconds: an imported chapter start."""
EXACT = ClockStyle(millis="always", clamp=False, hours="always", hour_digits=2)
"""00:12:30.250: chapter times in audio tags and Podlove Simple Chapters."""


def clock(seconds: float, style: ClockStyle = SHORT) -> str:
    """`seconds` as a clock, written in `style`."""
    if style.millis == "never":
        whole, millis = (int(seconds) if style.truncate else round(seconds)), 0
    else:
        whole, millis = divmod(round(seconds * 1000), 1000)
    if style.clamp:
        whole = max(0, whole)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours or style.hours == "always":
        text = f"{hours:0{style.hour_digits}d}:{minutes:02d}:{secs:02d}"
    else:
        text = f"{minutes:0{style.minute_digits}d}:{secs:02d}"
    if style.millis == "always" or (style.millis == "if_any" and millis):
        text += f".{millis:03d}"
    return text


NBSP = "\u00a0"
"""Between a number and its unit, so that "3 min" or "55 Mo" never breaks across lines."""


def human_duration(seconds: float) -> str:
    """1 h 05 min, 42 min, 35 s (with no-break spaces)."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min"
    if minutes:
        return f"{minutes}{NBSP}min"
    return f"{seconds}{NBSP}s"


def human_size(size: int, language: str) -> str:
    """55 Mo / 55 MB: megabytes, as people read them on a download link."""
    unit = "Mo" if language == "fr" else "MB"
    megabytes = size / 1_000_000
    text = f"{megabytes:.1f}" if megabytes < 10 else f"{megabytes:.0f}"
    if language == "fr":
        text = text.replace(".", ",")
    return f"{text}{NBSP}{unit}"


def iso_duration(seconds: float) -> str:
    """PT1H2M3S, as schema.org and <time datetime> read durations."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


BYTE_UNITS = {"en": ("B", "kB", "MB", "GB"), "fr": ("o", "ko", "Mo", "Go")}


def human_bytes(count: float, language: str = "en") -> str:
    """12 B, 3.4 kB, 55.0 MB (in French 12 o, 3,4 ko, 55,0 Mo): sizes in publish's plans and summaries."""
    units = BYTE_UNITS.get(language, BYTE_UNITS["en"])
    for unit in units:
        if count < 1000 or unit == units[-1]:
            text = f"{count}" if unit == units[0] else f"{count:.1f}"
            return f"{text.replace('.', ',') if language == 'fr' else text} {unit}"
        count /= 1000
    return f"{count} {units[0]}"
