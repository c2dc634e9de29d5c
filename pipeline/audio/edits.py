"""Edits of the published audio: dead air trimmed, ranges cut out, intro and outro jingles around it.

Every time in an episode folder (chapters, transcript cues, soundbites) is a
time in the recording. `TimeMap` turns it into a time in the published audio:
what was cut before it moves it back, the intro moves it forward. A time inside
a cut lands where the audio resumes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CUT_CROSSFADE = 0.05
"""Seconds over which the two sides of a cut are crossfaded (no click)."""
JINGLE_CROSSFADE = 0.5
"""Seconds over which an intro or outro overlaps the programme."""


@dataclass(frozen=True)
class Edits:
    """What an episode asks of its audio besides the processing: cuts (recording times) and jingles."""

    cuts: tuple[tuple[float, float], ...] = ()
    intro: Path | None = None
    outro: Path | None = None

    def settings(self, digest) -> dict:
        """What the audio cache key must change with (the jingles by their bytes)."""
        return {
            "cuts": [list(c) for c in self.cuts],
            "intro": digest(self.intro) if self.intro else None,
            "outro": digest(self.outro) if self.outro else None,
        }


def kept_segments(start: float, end: float, cuts: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """The stretches of the recording published, in order: [start, end] less the cuts."""
    segments, position = [], start
    for cut_start, cut_end in sorted(cuts):
        if cut_end <= position or cut_start >= end:
            continue
        if cut_start > position:
            segments.append((position, cut_start))
        position = max(position, cut_end)
    if position < end:
        segments.append((position, end))
    return segments or [(start, start)]


@dataclass(frozen=True)
class TimeMap:
    """Where each kept stretch of the recording sits in the published audio."""

    segments: tuple[tuple[float, float, float], ...]
    """(recording start, recording end, published start) of each kept stretch."""
    duration: float
    """Of the published audio, seconds."""

    @classmethod
    def build(cls, segments: list[tuple[float, float]], intro: float, outro: float) -> TimeMap:
        """`intro`/`outro`: the jingles' lengths (0 when none); each overlaps the programme by JINGLE_CROSSFADE."""
        placed, position = [], max(0.0, intro - JINGLE_CROSSFADE) if intro else 0.0
        for index, (start, end) in enumerate(segments):
            if index:
                position -= CUT_CROSSFADE
            placed.append((start, end, round(position, 4)))
            position += end - start
        if outro:
            position += outro - JINGLE_CROSSFADE
        return cls(tuple(placed), round(position, 4))

    def published(self, seconds: float) -> float:
        """A time in the recording as a time in the published audio."""
        for start, end, at in self.segments:
            if seconds < end:
                return round(max(at, at + seconds - start), 4)
        start, end, at = self.segments[-1]
        return round(min(self.duration, at + end - start), 4)

    def recording(self, seconds: float) -> float:
        """A time in the published audio (the programme's part) as a time in the recording."""
        chosen = self.segments[0]
        for segment in self.segments:
            if seconds >= segment[2]:
                chosen = segment
        start, end, at = chosen
        return round(min(end, max(start, start + seconds - at)), 4)

    def as_list(self) -> list[list[float]]:
        return [list(s) for s in self.segments]


NO_EDITS = Edits()
