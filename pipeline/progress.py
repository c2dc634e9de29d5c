"""Progress of long work: a bar with the time left on a terminal, a few plain lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO
from pipeline.textfmt import clock

BAR_WIDTH = 24
PLAIN_STEP = 25
"""Without a terminal (a log file, a CI job): one line every this many percent."""


class Progress:
    """`update(done)` with `done` out of `total` (seconds of audio, here); `finish()` at the end."""

    def __init__(self, label: str, total: float, stream: TextIO | None = None, *, clock_source=time.monotonic):
        self.label = label
        self.total = max(total, 1e-6)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.now = clock_source
        self.started = self.now()
        self.last_draw = 0.0
        self.last_step = 0
        self.fraction = 0.0

    def time_left(self) -> float | None:
        elapsed = self.now() - self.started
        if self.fraction < 0.02 or elapsed < 0.5:
            return None
        return elapsed * (1 - self.fraction) / self.fraction

    def line(self) -> str:
        left = self.time_left()
        eta = f", {clock(left)} left" if left is not None else ""
        return f"{self.label}: {self.fraction * 100:3.0f}%{eta}"

    def update(self, done: float) -> None:
        self.fraction = min(1.0, max(0.0, done / self.total))
        if self.tty:
            now = self.now()
            if now - self.last_draw >= 0.25:
                self.last_draw = now
                filled = round(self.fraction * BAR_WIDTH)
                left = self.time_left()
                eta = f" {clock(left)} left" if left is not None else ""
                self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.fraction * 100:3.0f}%{eta}\033[K")
                self.stream.flush()
            return
        step = int(self.fraction * 100) // PLAIN_STEP * PLAIN_STEP
        if step > self.last_step and step < 100:
            self.last_step = step
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def finish(self) -> None:
        elapsed = self.now() - self.started
        text = f"{self.label}: done in {clock(elapsed)}"
        self.stream.write(("\r" + text + "\033[K\n") if self.tty else text + "\n")
        self.stream.flush()


class ProgressGroup:
    """One display for work done at once by several workers: one bar, the sum of their parts.

    `task(label, total)` is what `audio.process` takes as `progress`: each task adds its
    part (seconds of audio) to the whole; a task made again with the same label (a second
    encoding pass) replaces its earlier part. Safe to call from several threads."""

    def __init__(self, label: str, total: float, stream: TextIO | None = None, *, clock_source=time.monotonic):
        self.bar = Progress(label, total, stream, clock_source=clock_source)
        self.parts: dict[str, float] = {}
        self.lock = threading.Lock()

    def task(self, label: str, total: float) -> GroupPart:
        return GroupPart(self, label, total)

    def _set(self, label: str, done: float) -> None:
        with self.lock:
            self.parts[label] = done
            self.bar.update(sum(self.parts.values()))

    def finish(self) -> None:
        with self.lock:
            self.bar.finish()


class GroupPart:
    def __init__(self, group: ProgressGroup, label: str, total: float):
        self.group, self.label, self.total = group, label, max(total, 0.0)
        group._set(label, 0.0)

    def update(self, done: float) -> None:
        self.group._set(self.label, min(self.total, max(0.0, done)))

    def finish(self) -> None:
        self.group._set(self.label, self.total)
