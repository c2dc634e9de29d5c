"""Long work started from the studio (a build), run in the background as the command line runs it.

A job is `portevoix -C ROOT build` in a child process: exactly what the terminal does, with its build
lock (a second build, from the studio or a terminal, is refused with the same message) and its progress
lines, kept here as they come so that every tab sees them; closing the tab does not stop it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Job:
    command: list[str]
    lines: list[str] = field(default_factory=list)
    status: int | None = None
    """The exit status once finished; None while it runs."""

    @property
    def running(self) -> bool:
        return self.status is None


class Jobs:
    """At most one job of each kind at a time, for one podcast folder."""

    def __init__(self, root: Path):
        self.root = root
        self.current: dict[str, Job] = {}
        self.guard = threading.Lock()

    def start(self, kind: str, *arguments: str) -> Job:
        """Start `portevoix -C root <kind> <arguments>` unless one is running already (then that one)."""
        with self.guard:
            job = self.current.get(kind)
            if job is not None and job.running:
                return job
            command = [sys.executable, "-m", "pipeline", "-C", str(self.root), kind, *arguments]
            job = Job(command)
            # Unbuffered: the report (stdout) and the progress and warnings (stderr) arrive line by line, in order.
            environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       text=True, errors="replace", start_new_session=True, env=environment)  # Ctrl+C on the studio leaves it to finish
            self.current[kind] = job
        threading.Thread(target=self._follow, args=(job, process), daemon=True).start()
        return job

    @staticmethod
    def _follow(job: Job, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            job.lines.append(line.rstrip("\n").split("\r")[-1])
        job.status = process.wait()
