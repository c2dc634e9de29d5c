"""Running commands on a local or SSH target, and saying in one line what went wrong."""

from __future__ import annotations

import logging
import subprocess

from typing import TYPE_CHECKING

from pipeline.errors import PortevoixError
from pipeline.i18n import say

if TYPE_CHECKING:
    from pipeline.publish.release import ReleaseSettings

log = logging.getLogger(__name__)

TIMEOUT = 3600


class Shell:
    """How to run a shell script and rsync on a target. Subclasses: LocalShell, SshShell."""

    where = ""
    target: ReleaseSettings

    def command(self, script: str) -> list[str]:
        raise NotImplementedError

    def rsync_destination(self, path: str) -> str:
        raise NotImplementedError

    def rsync_options(self) -> list[str]:
        raise NotImplementedError

    def unreachable(self, stderr: str) -> str | None:
        """A one-line explanation when the target could not be reached at all."""
        return None

    def explain(self, stderr: str, fallback: str) -> str:
        found = self.unreachable(stderr)
        if found:
            return found
        if "No space left on device" in stderr or "Disk quota exceeded" in stderr:
            return say("publish_no_space")
        if "rsync: command not found" in stderr or "rsync: not found" in stderr or "protocol version mismatch" in stderr:
            return say("publish_no_rsync")
        if "Permission denied" in stderr or "Read-only file system" in stderr:
            return say("publish_denied", path=self.target.path)
        lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
        causes = [line for line in lines if not line.startswith("rsync error:")]
        return (causes or lines or [fallback])[0]

    def fail(self, stderr: str, fallback: str) -> PortevoixError:
        return PortevoixError(say("publish_where", where=self.where, problem=self.explain(stderr, fallback)))

    def run(self, script: str, data: bytes | None = None) -> bytes:
        """Run a POSIX shell script on the target; its stdout, or one clear error."""
        log.debug("on %s: %s", self.where, script)
        try:
            result = subprocess.run(self.command(script), input=data, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PortevoixError(say("publish_no_answer", where=self.where, seconds=TIMEOUT)) from None
        if result.returncode != 0:
            raise self.fail(result.stderr.decode("utf-8", "replace"), say("publish_command_failed", status=result.returncode))
        return result.stdout

    def rsync(self, args: list[str], data: bytes | None = None) -> None:
        command = ["rsync", *self.rsync_options(), *args]
        log.debug("rsync %s", " ".join(command))
        try:
            result = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PortevoixError(say("publish_rsync_no_answer", where=self.where, seconds=TIMEOUT)) from None
        if result.returncode != 0:
            raise self.fail(result.stderr.decode("utf-8", "replace"), say("publish_rsync_failed", status=result.returncode))
