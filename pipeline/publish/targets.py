"""Publish targets: the `Target` protocol, the settings every target shares, and the registry of kinds.

A kind of target is one class: a `TargetSettings` subclass that declares its settings (the fields of its
`publish.<name>:` entry in podcast.yaml), checks them, and opens the `Target` that publish drives. The
kinds shipped are `local` (local.py), `ssh` (ssh.py) and `s3` (s3.py).

Adding a target is one new module and one line: write `pipeline/publish/<kind>.py` with a `TargetSettings`
subclass (its `kind`, its fields, `open()`) and add its line to `KIND_MODULES` below. Nothing else changes:
podcast.yaml's validation, `portevoix publish`, --rollback and the stats read the kind from here. A
program (or a test) can also call `register()` with a class of its own.
"""

from __future__ import annotations

import importlib
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol
from urllib.parse import SplitResult

from pipeline.errors import Problem
from pipeline.i18n import MESSAGES, say
from pipeline.source.fields import Choice, Field, FieldError, Schema, Url, shown

if TYPE_CHECKING:  # podcast.yaml's validation imports this module: it stays light (plan.py is heavier)
    from pipeline.publish.plan import Manifest, Plan

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

KIND_MODULES: dict[str, str] = {
    "local": "pipeline.publish.local",
    "ssh": "pipeline.publish.ssh",
    "s3": "pipeline.publish.s3",
}
"""Kind name → the module that defines its settings class (imported when a podcast names that kind)."""

_classes: dict[str, type[TargetSettings]] = {}


class Endpoint(Url):
    """An http(s) address; plain http only on this machine (loopback), where nothing travels on a network."""

    kind = "URL"

    def check_address(self, value: str, parts: SplitResult) -> None:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FieldError(say("publish_not_http", value=shown(value)))
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise FieldError(say("publish_needs_https", value=shown(value)))


class Target(Protocol):
    """An opened target, as `publish` drives it: read, lock, send media/pages/feed, verify, finish."""

    where: str
    """How messages name it: `vps (deploy@host:/var/www)`."""

    def read_state(self) -> tuple[Manifest, bytes | None]:
        """What the target holds now: its manifest and the feed it serves (None before the first publish)."""

    def lock(self) -> AbstractContextManager[None]:
        """Held for the whole publish: a second publish to the same target is refused meanwhile."""

    def begin(self, plan: Plan) -> None:
        """Prepare to receive the files of `plan` (read_state() came first)."""

    def send(self, plan: Plan, names: list[str]) -> None:
        """Send these site files (in the order given)."""

    def verify(self, plan: Plan, names: list[str]) -> None:
        """Check that these files arrived whole (size and checksum); raise PortevoixError if not."""

    def finish(self, plan: Plan) -> None:
        """After the feed: make the new site the one served, record it, remove what is no longer needed."""

    def rollback(self) -> str:
        """Serve the previous release again; returns the line that says so."""

    def describe_release(self) -> str:
        """A few words on what finish() left in place, for the summary line."""


class TargetSettings(Schema):
    """The settings every target has; each kind subclasses it with its own fields."""

    type = Choice(KIND_MODULES.keys(), required=True, doc="Kind of target: local (a folder on this machine), ssh (a server, with rsync) or s3.")
    check_url = Endpoint(doc="Where the published site can be fetched for --check when it differs from base_url (e.g. before DNS).")

    kind: ClassVar[str] = ""
    """The `type:` value that chooses this class."""
    needs: ClassVar[tuple[str, ...]] = ()
    """Fields a target of this kind cannot do without."""
    rollback_refused: ClassVar[str] = ""
    """Why --rollback cannot work with this kind (empty: it can): a message key of pipeline.i18n, or the words themselves."""

    name = ""

    def validate(self, errors: list[tuple[str, str]], prefix: str) -> None:
        for field in self.needs:
            if not getattr(self, field):
                errors.append((prefix + field, say("publish_needed", kind=self.kind)))

    def rollback_refusal(self) -> str:
        """Why --rollback cannot work with this kind, in the user's language (empty: it can)."""
        refused = self.rollback_refused
        return say(refused) if refused in MESSAGES else refused

    def check(self, errors: list[tuple[str, str]], prefix: str) -> None:
        """Checks of this kind's own values, after the required ones and the settings it does not use."""

    def refuse_place(self, root: Path) -> Problem | None:
        """A problem when this target would publish into the podcast folder `root` itself (checked before publishing)."""
        return None

    def log_prefix(self) -> str | None:
        """The path prefix under which this target's web server logs its requests, when it differs from base_url's."""
        return None

    def open(self, site: Path) -> Target:
        raise NotImplementedError


def register(settings: type[TargetSettings]) -> type[TargetSettings]:
    """Make a kind of target known (usable as a class decorator); the built-in ones register when imported."""
    KIND_MODULES.setdefault(settings.kind, settings.__module__)
    _classes[settings.kind] = settings
    return settings


def kinds() -> dict[str, type[TargetSettings]]:
    """Every kind of target, by name (their modules imported on first use)."""
    for kind, module in KIND_MODULES.items():
        if kind not in _classes:
            importlib.import_module(module)
    return {kind: _classes[kind] for kind in KIND_MODULES}


def foreign_fields(kind: type[TargetSettings] | None) -> dict[str, Field[Any]]:
    """The fields other kinds declare and `kind` does not (all of them when `kind` is None)."""
    own = kind.fields if kind else TargetSettings.fields
    return {name: field for other in kinds().values() for name, field in other.fields.items() if name not in own}


def read_target(name: str, data: Any, errors: list[tuple[str, str]], prefix: str) -> TargetSettings | None:
    """One `publish.<name>:` entry, validated by the settings class its `type:` chooses.

    Order of the problems said: unknown keys and wrong values of its own fields, a missing field it needs,
    a setting of another kind that it does not use, then its own cross-checks.
    """
    if not isinstance(data, dict):
        return TargetSettings.from_mapping(data, errors, prefix)
    chosen = data.get("type")
    kind = kinds().get(chosen) if isinstance(chosen, str) else None
    others = foreign_fields(kind)
    own = {key: value for key, value in data.items() if str(key) not in others}
    settings = (kind or TargetSettings).from_mapping(own, errors, prefix)
    for key, field in others.items():
        if key not in data or data[key] is None or data[key] == "":
            continue
        value = field.resolve(data[key], errors, prefix)
        if kind is not None and value not in (None, "", False):
            errors.append((prefix + key, say("publish_not_used", kind=kind.kind)))
    if kind is None or settings is None:
        return None
    settings.check(errors, prefix)
    settings.name = name
    return settings

