"""Finding and running ffmpeg and ffprobe, the programs that do the heavy audio work.

Two providers of ffmpeg are used, each for what it does best:

- the processing passes (analysis, normalising and encoding) run the static
  ffmpeg shipped in the `imageio-ffmpeg` wheel when it is installed: it runs
  each encoder on its own thread and its EBU R128 true-peak meter is several
  times faster than Debian's 5.1;
- `ffprobe` (and ffmpeg when the wheel is missing) come from the system.

`PORTEVOIX_FFMPEG` names another ffmpeg program to use for the processing passes.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from pipeline.errors import PortevoixError
from pipeline.i18n import say

log = logging.getLogger(__name__)


@cache
def executable(name: str) -> str:
    if name == "ffmpeg":
        chosen = processing_ffmpeg()
        if chosen:
            return chosen
    path = shutil.which(name)
    if path is None:
        raise PortevoixError(say("tool_missing", name=name))
    return path


def processing_ffmpeg() -> str | None:
    """The ffmpeg for the processing passes: $PORTEVOIX_FFMPEG, else the imageio-ffmpeg wheel's, else None."""
    configured = os.environ.get("PORTEVOIX_FFMPEG")
    if configured:
        return shutil.which(configured) or configured
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


PR_SET_PDEATHSIG = 1
_PRCTL: Callable[..., int] | None
try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: nothing is loaded in the forked child
except (OSError, AttributeError):
    _PRCTL = None


_MALLOC_TRIM: Callable[..., int] | None
try:
    _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim  # glibc; absent elsewhere (musl, macOS)
except (OSError, AttributeError):
    _MALLOC_TRIM = None


def release_freed_memory() -> None:
    """Hand the memory Python has freed back to the system (glibc keeps it for reuse otherwise).

    Called before a long ffmpeg pass: the planning's series of a frame each (a few MB in 3 hours) are freed by
    then, and without this the process would stay that much larger for the whole pass."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _die_with_parent() -> None:
    """In the child, before ffmpeg starts: the kernel kills it (SIGKILL) when the build that started it dies,
    even by SIGKILL, so that no ffmpeg outlives a killed build and goes on writing into the cache."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def run(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg/ffprobe (args[0] is the program's name), capturing its text output."""
    command = [executable(args[0]), *args[1:]]
    log.debug("running %s", " ".join(command))
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout, stdin=subprocess.DEVNULL,
                          preexec_fn=_die_with_parent)


def run_streaming(args: list[str], on_line: Callable[[str], None], *, keep_last: int = 20, cwd: Path | None = None,
                  stdin=subprocess.DEVNULL) -> tuple[int, list[str]]:
    """Run ffmpeg, handing each line it writes on stderr to `on_line` as it comes (memory stays flat).

    Returns the exit status and the last `keep_last` lines, for error messages.
    """
    command = [executable(args[0]), *args[1:]]
    log.debug("running %s", " ".join(command))
    last: list[str] = []
    with subprocess.Popen(
        command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1 << 16, cwd=cwd,
        preexec_fn=_die_with_parent,
    ) as process:
        assert process.stderr is not None
        try:
            for line in process.stderr:
                on_line(line)
                last.append(line.rstrip("\n"))
                if len(last) > keep_last:
                    del last[0]
        except BaseException:
            process.kill()
            raise
        status = process.wait()
    return status, last


def run_fanned(producer: list[str], outputs: list[list[str]], consumers: list[list[str]], on_line: Callable[[str], None], *,
               keep_last: int = 20) -> tuple[int, list[str]]:
    """Run ffmpeg `producer` and the ffmpeg `consumers` side by side, the producer's i-th output (its options
    `outputs[i]`, then a pipe appended here) into consumer i's standard input; `on_line` gets each line the first
    consumer writes on stderr. Returns the exit status and last lines of the one that failed (a consumer's before the
    producer's: the producer then fails on its closed pipe), else the first consumer's.

    One ffmpeg per consumer, not one ffmpeg with an output each: ffmpeg's scheduler keeps all the outputs of one
    process within 100 ms of each other, so that its filters and its encoders take turns instead of running
    together (two encoders in one process: 11.3 s for what two processes do in 6.4, see bench/RESULTS.md)."""
    if len(outputs) != len(consumers) or not consumers:
        raise ValueError("one producer output for each consumer")
    started: list[subprocess.Popen] = []
    told: dict[int, list[str]] = {}
    drains: list[threading.Thread] = []

    def drain(stream, lines: list[str]) -> None:
        for raw in stream:
            lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
            if len(lines) > keep_last:
                del lines[0]

    def kill_all() -> None:
        for process in started:
            if process.poll() is None:
                process.kill()

    ends: list[int] = []
    try:
        for consumer in consumers:
            read_end, write_end = os.pipe()
            ends.append(write_end)
            command = [executable(consumer[0]), *consumer[1:]]
            log.debug("running %s", " ".join(command))
            try:
                started.append(subprocess.Popen(command, stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                                preexec_fn=_die_with_parent))
            finally:
                os.close(read_end)
        head = [executable(producer[0]), *producer[1:]]
        for options, write_end in zip(outputs, ends):
            head += [*options, f"pipe:{write_end}"]
        log.debug("running %s", " ".join(head))
        started.insert(0, subprocess.Popen(head, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                           pass_fds=ends, preexec_fn=_die_with_parent))
    except BaseException:
        kill_all()
        raise
    finally:
        for write_end in ends:
            os.close(write_end)  # the consumers see the end of their input when the producer closes its copies
    for index, process in enumerate(started):
        told[index] = []
        if index != 1:
            assert process.stderr is not None
            drains.append(threading.Thread(target=drain, args=(process.stderr, told[index]), daemon=True))
            drains[-1].start()
    main = started[1]
    assert main.stderr is not None
    try:
        for raw in main.stderr:
            line = raw.decode("utf-8", "replace")
            on_line(line)
            told[1].append(line.rstrip("\n"))
            if len(told[1]) > keep_last:
                del told[1][0]
        statuses = [process.wait() for process in started[1:]]
        if any(status != 0 for status in statuses):
            kill_all()
        statuses.insert(0, started[0].wait())
    except BaseException:
        kill_all()
        raise
    finally:
        for thread in drains:
            thread.join()
        for process in started:
            process.wait()
            if process.stderr is not None:
                process.stderr.close()
    for index, status in enumerate(statuses[1:], start=1):
        if status > 0:  # a consumer's own failure (the producer then fails on its closed pipe)
            return status, told[index]
    if statuses[0] != 0:  # the consumers only saw their input end early
        return statuses[0], told[0]
    for index, status in enumerate(statuses[1:], start=1):
        if status != 0:
            return status, told[index]
    return 0, told[1]


def last_error(lines: list[str]) -> str:
    """The most telling line ffmpeg printed before failing."""
    for line in reversed(lines):
        text = line.strip()
        if text and "t:" not in text and "Summary" not in text:
            return text.split("] ", 1)[-1]
    return "unknown error"


FFMPEG_QUIET = ["-hide_banner", "-nostdin", "-nostats"]

ONE_FILTER_THREAD = ["-filter_threads", "1", "-filter_complex_threads", "1"]
"""For the passes that already run several ffmpeg side by side: ffmpeg's slice threads (one per channel
in afftdn and the biquads) only add their hand-offs, 25-30 % of the filters' CPU on the bench's room input
(afftdn 11.5 -> 8.7 CPU-s per 10 minutes, the repairs' graph 17.0 -> 12.2, loaded machine), the same bytes out."""
