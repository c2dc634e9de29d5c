"""Release folders on a local or SSH target, switched atomically.

On the target, under `path`:

    releases/<id>/                one complete site per publish (unchanged files hard-linked between them)
    releases/<id>.manifest.json   what it holds (size and checksums of each file)
    releases/.incoming/           the release being sent; never served; reused by the next run if interrupted
    current -> releases/<id>      the web root; replaced in one rename (ln -s, then mv -T)
    .publish.lock                 held by the publish running now

A reader of `current` sees the old site or the new one, never a mix.

Only a folder named like a release (`RELEASE_ID`) that has its manifest beside
it counts as a release: anything else a person put in `releases/` is left
alone, never pruned, and never chosen by --rollback.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shlex
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PortevoixError
from pipeline.i18n import say
from pipeline.publish import lock
from pipeline import failpoints
from pipeline.paths import FEED
from pipeline.publish.plan import MEDIA, Manifest, Plan, manifest_json, parse_manifest
from pipeline.publish.settings import normal_path
from pipeline.publish.shell import Shell
from pipeline.publish.targets import TargetSettings
from pipeline.source.fields import Integer, Text, shown

log = logging.getLogger(__name__)

RELEASES = "releases"
INCOMING = ".incoming"
CURRENT = "current"
MARK = b"--portevoix--"
RELEASE_ID = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
"""How new_release_id names a release: 20240320T183000Z, or 20240320T183000Z-2 within the same second."""


@dataclass
class TargetState:
    current: str | None
    """Id of the release `current` points to."""
    releases: list[str]
    """Ids of complete releases, oldest first."""
    manifest: Manifest
    feed: bytes | None


def new_release_id(existing: list[str]) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate, counter = stamp, 1
    while candidate in existing:
        counter += 1
        candidate = f"{stamp}-{counter}"
    return candidate


def complete_releases(listing: str) -> list[str]:
    """Release ids, oldest first, from `find -printf '%y %f\\0'` of releases/: folders named like a release with a manifest."""
    entries = [entry.split(" ", 1) for entry in listing.split("\0") if " " in entry]
    folders = {name for kind, name in entries if kind == "d" and RELEASE_ID.fullmatch(name)}
    manifests = {name.removesuffix(".manifest.json") for kind, name in entries if kind == "f" and name.endswith(".manifest.json")}
    return sorted(folders & manifests, key=release_order)


def release_order(release: str) -> tuple[str, int]:
    stamp, _, counter = release.partition("-")
    return stamp, int(counter or 1)


class ReleaseSettings(TargetSettings):
    """The settings of the targets that hold release folders (local and ssh)."""

    path = Text(doc="local and ssh: absolute folder that receives releases/ and the current link (the web root is <path>/current).")
    keep = Integer(minimum=2, default=5, doc="local and ssh: how many releases to keep for --rollback.")

    def check(self, errors: list[tuple[str, str]], prefix: str) -> None:
        if not self.path:
            return
        if not self.path.startswith("/"):
            errors.append((prefix + "path", say("publish_path_absolute", path=shown(self.path))))
            return
        self.path = normal_path(self.path)
        if self.path == "/":
            errors.append((prefix + "path", say("publish_path_root")))


class ReleaseTarget:
    def __init__(self, target: ReleaseSettings, shell: Shell, site: Path):
        self.target = target
        self.shell = shell
        self.site = site
        self.base = target.path
        self.where = shell.where
        self.state: TargetState  # set by read_state(), the first step of every publish
        self.release_id = ""

    def q(self, *parts: str) -> str:
        return shlex.quote("/".join([self.base, *parts]))

    # -- reading ----------------------------------------------------------
    def read_state(self) -> tuple[Manifest, bytes | None]:
        not_a_folder = shlex.quote(say("publish_not_a_folder", path=self.base))
        not_a_link = shlex.quote(say("publish_current_not_link", path=f"{self.base}/{CURRENT}"))
        script = f"""
B={shlex.quote(self.base)}
if [ -e "$B" ] && [ ! -d "$B" ]; then echo {not_a_folder} >&2; exit 3; fi
if [ -e "$B/{CURRENT}" ] && [ ! -L "$B/{CURRENT}" ]; then echo {not_a_link} >&2; exit 3; fi
cur=$(readlink "$B/{CURRENT}" 2>/dev/null || true)
echo {MARK.decode()}; echo "$cur"
echo {MARK.decode()}; [ -d "$B/{RELEASES}" ] && find "$B/{RELEASES}/" -mindepth 1 -maxdepth 1 -printf '%y %f\\0'; true
echo {MARK.decode()}; [ -n "$cur" ] && cat "$B/$cur.manifest.json" 2>/dev/null
echo {MARK.decode()}; [ -n "$cur" ] && cat "$B/$cur/feed.xml" 2>/dev/null
true
"""
        output = self.shell.run(script)
        _, current, listing, manifest, feed = output.split(MARK + b"\n", 4)
        current_id = current.decode().strip().removeprefix(RELEASES + "/") or None
        releases = complete_releases(listing.decode(errors="replace"))
        self.state = TargetState(current_id, releases, parse_manifest(manifest.decode() or "{}"), feed or None)
        return self.state.manifest, self.state.feed

    # -- locking ----------------------------------------------------------
    @contextmanager
    def lock(self):
        command = self.shell.command(lock.LOCK_SCRIPT.format(base=shlex.quote(self.base)))
        try:
            with lock.held_on_target(command, self.where):
                yield
        except lock.LockFailed as exc:
            raise self.shell.fail(exc.error, say("publish_lock_failed", status=exc.returncode)) from None

    # -- sending ----------------------------------------------------------
    def begin(self, plan: Plan) -> None:
        """Prepare `.incoming`: hard links to every unchanged file of the current release, and to retained media."""
        self.release_id = new_release_id(self.state.releases)
        incoming = self.q(RELEASES, INCOMING)
        script = f"mkdir -p {incoming}"
        linked = [name for name in plan.manifest if name not in set(plan.changed())] + plan.retained
        if self.state.current and linked:
            script += f" && cd {self.q(RELEASES, self.state.current)} && xargs -0 cp -l -p --parents --remove-destination -t {incoming}/"
        self.shell.run(script, data=b"\0".join(n.encode() for n in linked))

    def send(self, plan: Plan, names: list[str]) -> None:
        """rsync the new and changed files among `names` into `.incoming` (a rerun resumes where a killed one stopped)."""
        changed = set(plan.changed())
        sending = [n for n in names if n in changed]
        if sending:
            args = ["-rlt", "--chmod=D755,F644", "--from0", "--files-from=-", "--partial-dir=.rsync-partial"]
            args += [f"{self.site}/", self.shell.rsync_destination(f"{self.base}/{RELEASES}/{INCOMING}/")]
            self.shell.rsync(args, data=b"\0".join(n.encode() for n in sending))
        if names == [FEED]:
            failpoints.reach("feed")

    def verify(self, plan: Plan, names: list[str]) -> None:
        """Size and SHA-256 of each file sent, as the target holds it."""
        if not names:
            return
        listing = b"\0".join(n.encode() for n in names)
        folder, names_file = self.q(RELEASES, INCOMING), self.q(RELEASES, ".verify-names")
        script = (f"cat > {names_file} && cd {folder} && xargs -0 stat -c '%s %n' -- < {names_file}"
                  f" && xargs -0 sha256sum -- < {names_file} && rm -f {names_file}")
        output = self.shell.run(script, data=listing).decode()
        sizes, sums = {}, {}
        for line in output.splitlines():
            first, _, name = line.partition(" ")
            if first.isdigit():
                sizes[name] = int(first)
            else:
                sums[name.lstrip(" *")] = first
        damaged = [n for n in names if sizes.get(n) != plan.manifest[n].size or sums.get(n) != plan.manifest[n].sha256]
        if damaged:
            # Removed, so that the next run sends them again whatever their size and date say.
            self.shell.run(f"cd {folder} && xargs -0 rm -f --", data=b"\0".join(n.encode() for n in damaged))
            raise PortevoixError(say("publish_damaged", where=self.where, name=damaged[0]))

    def finish(self, plan: Plan) -> None:
        """Drop leftovers, record the manifest, then switch `current` in one rename and prune old releases."""
        self.verify(plan, [n for n in plan.changed() if n not in plan.group(MEDIA)])
        incoming = f"{self.base}/{RELEASES}/{INCOMING}/"
        protect = [f"--filter=P /{name}" for name in plan.retained]
        self.shell.rsync(["-r", "--delete", "--existing", "--ignore-existing", *protect, f"{self.site}/", self.shell.rsync_destination(incoming)])
        stored = dict(plan.manifest)
        stored.update({name: plan.previous[name] for name in plan.retained})
        rid = self.release_id
        script = (
            f"cd {self.q(RELEASES)} && cat > .incoming.manifest.json && mv {INCOMING} {rid} && mv .incoming.manifest.json {rid}.manifest.json"
            f" && ln -sfn {RELEASES}/{rid} ../.{CURRENT}.new && mv -T ../.{CURRENT}.new ../{CURRENT}"
        )
        # Then old releases go, beyond the last `keep`.
        for release in self.outdated([*self.state.releases, rid], rid):
            script += f" && rm -rf {self.q(RELEASES, release)} {self.q(RELEASES, release + '.manifest.json')}"
        self.shell.run(script, data=manifest_json(stored).encode())
        log.info("switched %s to release %s", self.where, rid)

    def outdated(self, releases: list[str], current: str) -> list[str]:
        """Releases beyond the last `keep` (only ever complete releases of ours: see complete_releases)."""
        keep = set(sorted(releases, key=release_order)[-self.target.keep:]) | {current}
        return [r for r in releases if r not in keep and RELEASE_ID.fullmatch(r)]

    def switch(self, release: str) -> None:
        self.shell.run(f"cd {shlex.quote(self.base)} && ln -sfn {RELEASES}/{release} .{CURRENT}.new && mv -T .{CURRENT}.new {CURRENT}")

    def rollback(self) -> str:
        state = self.state
        if not state.current:
            raise PortevoixError(say("publish_nothing_to_roll_back", where=self.where))
        earlier = [r for r in state.releases if release_order(r) < release_order(state.current)]
        if not earlier:
            raise PortevoixError(say("publish_no_older_release", where=self.where, current=state.current))
        missing = self.missing_files(earlier[-1])
        if missing:
            raise PortevoixError(say("publish_release_incomplete", where=self.where, release=earlier[-1], count=len(missing),
                                     first=missing[0], current=state.current))
        self.switch(earlier[-1])
        return say("publish_rolled_back", where=self.where, current=state.current, release=earlier[-1])

    def missing_files(self, release: str) -> list[str]:
        """Files of `release`'s manifest that are not there with their size (the release is complete when none)."""
        manifest = parse_manifest(self.shell.run(f"cat {self.q(RELEASES, release + '.manifest.json')}").decode(errors="replace") or "{}")
        if not manifest:
            return [say("publish_its_manifest")]
        listing = b"\0".join(name.encode() for name in manifest)
        script = f"cd {self.q(RELEASES, release)} && xargs -0 stat -c '%s %n' -- 2>/dev/null; true"
        sizes = {}
        for line in self.shell.run(script, data=listing).decode(errors="replace").splitlines():
            size, _, name = line.partition(" ")
            if size.isdigit():
                sizes[name] = int(size)
        return [name for name, entry in manifest.items() if sizes.get(name) != entry.size]

    def describe_release(self) -> str:
        return say("publish_release", release=self.release_id)

