"""Progress: plain lines without a terminal, a bar with the time left on one."""

from __future__ import annotations

import io

from pipeline.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_plain_lines_every_quarter_when_not_a_terminal():
    out, clock = io.StringIO(), Clock()
    progress = Progress("encoding debat.wav", 100.0, out, clock_source=clock)
    for done in range(0, 101, 5):
        clock.now = done / 10
        progress.update(done)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert [line.split(":")[1].split("%")[0].strip() for line in lines[:-1]] == ["25", "50", "75"]
    assert lines[1] == "encoding debat.wav:  50%, 0:05 left"
    assert lines[-1] == "encoding debat.wav: done in 0:10"
    assert "\r" not in out.getvalue()


def test_a_bar_with_the_time_left_on_a_terminal():
    out, clock = Terminal(), Clock()
    progress = Progress("analysing debat.wav", 3600.0, out, clock_source=clock)
    clock.now = 60.0
    progress.update(900.0)
    text = out.getvalue()
    assert text.startswith("\ranalysing debat.wav [######..................]  25% 3:00 left")
