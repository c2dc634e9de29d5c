"""A local target: a folder on this machine (a web root served by nginx, Apache…).

Commands run in a local shell; files travel with rsync, like over SSH, so that
both targets share the release protocol of `release.py`.
"""

from __future__ import annotations

from pipeline.publish.settings import PublishTarget
from pipeline.publish.shell import Shell


class LocalShell(Shell):
    def __init__(self, target: PublishTarget):
        self.target = target
        self.where = f"{target.name} (folder {target.path})"

    def command(self, script: str) -> list[str]:
        return ["sh", "-c", script]

    def rsync_destination(self, path: str) -> str:
        return path

    def rsync_options(self) -> list[str]:
        return []
