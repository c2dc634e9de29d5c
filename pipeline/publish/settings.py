"""The `publish:` section of podcast.yaml: named targets, each a local folder, an SSH host or a bucket.

Credentials never go here: SSH uses the agent or key files named by path, S3
uses the standard AWS variables or a named profile.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.source.fields import Boolean, Choice, Field, FieldError, Integer, Schema, Text, near_miss, shown

TARGET_TYPES = ("local", "ssh", "s3")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


class Endpoint(Field):
    """An http(s) address; plain http only on this machine (loopback), where nothing travels on a network."""

    kind = "URL"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"{shown(value)} is not a URL")
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FieldError(f"{shown(value)} is not an http(s):// address")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise FieldError(f"{shown(value)} must use https:// (plain http only for 127.0.0.1)")
        return value


class PublishTarget(Schema):
    type = Choice(TARGET_TYPES, required=True, doc="Kind of target: local (a folder on this machine), ssh (a server, with rsync) or s3.")
    path = Text(doc="local and ssh: absolute folder that receives releases/ and the current link (the web root is <path>/current).")
    host = Text(doc="ssh: the server's name or address (an alias of ~/.ssh/config works too).")
    user = Text(doc="ssh: the account on the server (default: your SSH settings).")
    port = Integer(minimum=1, doc="ssh: the SSH port (default: 22 or your SSH settings).")
    identity_file = Text(doc="ssh: path of a private key file to use (the key itself never goes in podcast.yaml).")
    known_hosts = Text(doc="ssh: a known_hosts file to check the server's key against (default: yours, new hosts accepted once).")
    keep = Integer(minimum=2, default=5, doc="local and ssh: how many releases to keep for --rollback.")
    bucket = Text(doc="s3: the bucket's name.")
    prefix = Text(default="", doc="s3: folder inside the bucket, e.g. podcast/ (default: the bucket's root).")
    endpoint_url = Endpoint(doc="s3: the storage's API address, for providers other than AWS (e.g. https://s3.fr-par.scw.cloud).")
    region = Text(doc="s3: the bucket's region (default: from your AWS settings).")
    profile = Text(doc="s3: a named profile of ~/.aws/credentials (default: the standard AWS variables).")
    public_read = Boolean(default=False, doc="s3: give each object the public-read ACL (for providers where bucket policies do not make a bucket public).")
    check_url = Endpoint(doc="Where the published site can be fetched for --check when it differs from base_url (e.g. before DNS).")

    name = ""

    USED_BY = {
        "local": {"path", "keep"},
        "ssh": {"path", "host", "user", "port", "identity_file", "known_hosts", "keep"},
        "s3": {"bucket", "prefix", "endpoint_url", "region", "profile", "public_read"},
    }
    REQUIRED = {"local": ("path",), "ssh": ("host", "path"), "s3": ("bucket",)}

    def validate(self, errors, prefix):
        if self.type not in TARGET_TYPES:
            return
        for name in self.REQUIRED[self.type]:
            if not getattr(self, name):
                errors.append((prefix + name, f"is missing (a {self.type} target needs it)"))
        for name in self.fields:
            if name in ("type", "check_url", "keep", "prefix", "public_read") or name in self.USED_BY[self.type]:
                continue
            if getattr(self, name) not in (None, "", False):
                errors.append((prefix + name, f"is not used by a {self.type} target"))
        if self.path and self.type in ("local", "ssh") and not self.path.startswith("/"):
            errors.append((prefix + "path", f"{shown(self.path)} must be an absolute folder (starting with /)"))
        if self.path and self.path.startswith("/"):
            self.path = normal_path(self.path)
            if self.path == "/":
                errors.append((prefix + "path", "cannot be the root folder /"))
        if self.prefix:
            parts = self.prefix.strip("/").split("/")
            if any(part in ("", ".", "..") for part in parts):
                errors.append((prefix + "prefix", f"{shown(self.prefix)} has an empty, '.' or '..' part (write it like podcast/ or media/podcast/)"))
            else:
                self.prefix = "/".join(parts) + "/"


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

    def resolve(self, value: Any, errors: list[tuple[str, str]], prefix: str) -> dict[str, PublishTarget]:
        where = prefix + self.name
        if not isinstance(value, dict):
            errors.append((where, "must be a mapping of target names (e.g. 'vps:') to their settings"))
            return {}
        targets = {}
        for name, settings in value.items():
            name = str(name)
            if not name.replace("-", "").replace("_", "").isalnum():
                errors.append((f"{where}.{name}", "a target name is letters, digits, - and _ only"))
                continue
            target = PublishTarget.from_mapping(settings, errors, f"{where}.{name}.")
            if target is not None:
                target.name = name
                targets[name] = target
        return targets


def choose_target(targets: dict[str, PublishTarget] | None, name: str | None) -> PublishTarget:
    """The target named on the command line, or the only one there is."""
    from pipeline.errors import PortevoixError, Problem

    targets = targets or {}
    if not targets:
        raise PortevoixError(Problem("podcast.yaml", "no target declared; add one (see the README, Publishing)", "publish"))
    if name is None:
        if len(targets) == 1:
            return next(iter(targets.values()))
        raise PortevoixError(Problem("podcast.yaml", f"several targets ({', '.join(targets)}); choose one with --target NAME", "publish"))
    if name not in targets:
        raise PortevoixError(Problem("podcast.yaml", f"no target named {shown(name)}{near_miss(name, targets)}; known: {', '.join(targets)}", "publish"))
    return targets[name]
