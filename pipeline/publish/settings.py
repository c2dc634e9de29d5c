"""The `publish:` section of podcast.yaml: named targets, each of a kind of `targets.py` (a folder, an SSH host, a bucket…).

Credentials never go here: SSH uses the agent or key files named by path, S3
uses the standard AWS variables or a named profile.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from pipeline.i18n import say
from pipeline.publish.targets import TargetSettings, read_target
from pipeline.source.fields import Field, near_miss, shown


def normal_path(path: str) -> str:
    """An absolute path with `.`, `..`, repeated and trailing slashes worked out: "/tmp/.." and "/." are "/"."""
    return "/" + posixpath.normpath(path).lstrip("/")


def inside_podcast(path: str, root: Path) -> bool:
    """True when the folder `path` (links followed) is the podcast folder or inside it (its site/, its cache…)."""
    real, home = Path(os.path.realpath(path)), root.resolve()
    return real == home or home in real.parents


class Targets(Field):
    """A mapping of target names to targets: `publish: {vps: {type: ssh, …}, cdn: {type: s3, …}}`."""

    kind = "mapping of targets"

    def __init__(self, **kw: Any):
        kw.setdefault("default", None)
        super().__init__(**kw)

    def resolve(self, value: Any, errors: list[tuple[str, str]], prefix: str) -> dict[str, TargetSettings]:
        where = prefix + self.name
        if not isinstance(value, dict):
            errors.append((where, say("publish_targets_mapping")))
            return {}
        targets = {}
        for name, settings in value.items():
            name = str(name)
            if not name.replace("-", "").replace("_", "").isalnum():
                errors.append((f"{where}.{name}", say("publish_target_name")))
                continue
            target = read_target(name, settings, errors, f"{where}.{name}.")
            if target is not None:
                targets[name] = target
        return targets


def choose_target(targets: dict[str, TargetSettings] | None, name: str | None) -> TargetSettings:
    """The target named on the command line, or the only one there is."""
    from pipeline.errors import PortevoixError, Problem

    targets = targets or {}
    if not targets:
        raise PortevoixError(Problem("podcast.yaml", say("publish_no_target"), "publish"))
    if name is None:
        if len(targets) == 1:
            return next(iter(targets.values()))
        raise PortevoixError(Problem("podcast.yaml", say("publish_several_targets", names=", ".join(targets)), "publish"))
    if name not in targets:
        raise PortevoixError(Problem("podcast.yaml", say("publish_unknown_target", name=shown(name), hint=near_miss(name, targets), names=", ".join(targets)), "publish"))
    return targets[name]
