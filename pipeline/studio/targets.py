"""The publish targets of podcast.yaml, listed on the settings page, each with "test the connection".

The test is what `portevoix publish --dry-run` does first, with the same code: podcast.yaml read and
the target chosen (`steps.load_settings`, which refuses a folder inside the podcast folder), the
target opened (its settings' `open`: rsync over a local or SSH shell, or boto3 for S3) and its state
read (`read_state`: what the last publish left there). For a folder or an SSH server it then asks
the same shell whether the account may write there. Whatever goes wrong is said in the words publish
itself uses ("connection refused", "the server refused the SSH key", "bucket … does not exist").
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, render_template

from pipeline.errors import PortevoixError
from pipeline.i18n import say
from pipeline.publish.release import ReleaseTarget
from pipeline.publish.steps import SITE_DIR, load_settings
from pipeline.publish.targets import TargetSettings, kinds
from pipeline.source.config import CONFIG_FILE
from pipeline.source.yamlio import YamlError
from pipeline.studio import roundtrip

WRITABLE = """B={base}
D="$B"
while [ ! -e "$D" ]; do D=$(dirname "$D"); done
if [ ! -d "$D" ]; then printf {not_a_folder} "$D" >&2; exit 3; fi
if [ ! -w "$D" ]; then echo "Permission denied: $D" >&2; exit 3; fi
"""
"""The folder (or its nearest existing parent, which publish would create it in) must be writable
(a refusal says "Permission denied", which the shell explains in the user's words)."""


@dataclass
class Listed:
    """One target as the settings page shows it."""

    name: str
    kind: str
    where: str


def listed(data: Any) -> list[Listed]:
    """The targets of the round-trip podcast.yaml mapping `data`, as written (not yet validated)."""
    section = data.get("publish") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return []
    found = []
    for name, settings in section.items():
        settings = settings if isinstance(settings, dict) else {}
        kind = str(settings.get("type", "?"))
        if kind == "s3":
            where = f"s3://{settings.get('bucket', '?')}/{settings.get('prefix', '') or ''}"
        elif kind == "ssh":
            user = f"{settings['user']}@" if settings.get("user") else ""
            port = f":{settings['port']}" if settings.get("port") else ""
            where = f"{user}{settings.get('host', '?')}{port}:{settings.get('path', '?')}"
        else:
            where = str(settings.get("path", "?"))
        found.append(Listed(str(name), kind, where))
    return found


def test_connection(root: Path, name: str) -> tuple[bool, str]:
    """(True, what the target holds) or (False, what is wrong, in publish's words)."""
    try:
        _config, settings = load_settings(root, name)
        target = settings.open(root / SITE_DIR)
        manifest, feed = target.read_state()
        if isinstance(target, ReleaseTarget):
            not_a_folder = shlex.quote(say("publish_not_a_folder", path="%s") + "\n")
            target.shell.run(WRITABLE.format(base=shlex.quote(target.base or ""), not_a_folder=not_a_folder))
    except PortevoixError as exc:
        return False, "; ".join(p.message if not p.field else f"{p.field}: {p.message}" for p in exc.problems)
    if not manifest:
        return True, say("studio_target_empty", where=target.where)
    return True, say("studio_target_holds", where=target.where, count=len(manifest), feed=say("studio_yes" if feed else "studio_no"))


def settings_of(kind: str) -> list[str]:
    """The settings a target of this kind has, besides type:."""
    chosen = kinds().get(kind)
    return [name for name in (chosen or TargetSettings).fields if name != "type"]


def blueprint(root: Path) -> Blueprint:
    pages = Blueprint("targets", __name__)

    @pages.post("/settings/targets/<name>/test")
    def test(name: str) -> Any:
        try:
            known = {t.name: t for t in listed(roundtrip.read_config(root / CONFIG_FILE))}
        except (YamlError, OSError) as exc:
            return render_template("broken.html", file=CONFIG_FILE, message=str(exc)), 422
        if name not in known:
            abort(404)
        ok, message = test_connection(root, name)
        return render_template("target_test.html", here="settings", target=known[name], ok=ok, message=message,
                               used=settings_of(known[name].kind)), 200 if ok else 422

    return pages
