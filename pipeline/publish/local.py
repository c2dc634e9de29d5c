"""A local target: a folder on this machine (a web root served by nginx, Apache…).

Commands run in a local shell; files travel with rsync, like over SSH, so that
both targets share the release protocol of `release.py`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import Problem
from pipeline.i18n import say
from pipeline.publish.release import ReleaseSettings, ReleaseTarget
from pipeline.publish.settings import inside_podcast
from pipeline.publish.shell import Shell
from pipeline.publish.targets import Target, register
from pipeline.source.fields import shown


@register
class LocalSettings(ReleaseSettings):
    kind = "local"
    needs = ("path",)

    def refuse_place(self, root: Path) -> Problem | None:
        if self.path and (self.path == "/" or inside_podcast(self.path, root)):
            return Problem("podcast.yaml", say("publish_inside_podcast", path=shown(self.path)), f"publish.{self.name}.path")
        return None

    def open(self, site: Path) -> Target:
        return ReleaseTarget(self, LocalShell(self), site)


class LocalShell(Shell):
    def __init__(self, target: ReleaseSettings):
        self.target = target
        self.where = say("publish_local_where", name=target.name, path=target.path)

    def command(self, script: str) -> list[str]:
        return ["sh", "-c", script]

    def rsync_destination(self, path: str) -> str:
        return path

    def rsync_options(self) -> list[str]:
        return []
