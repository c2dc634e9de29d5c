"""What the built site holds, what changed since the last publish, and in which order it travels.

Three groups, always in this order: media (audio, sidecars, images), pages
(HTML and their assets), then the feed alone, last. A manifest records each
file's size and checksums; comparing the site's manifest with the one the
target holds says what must travel. Media that the published feed still
references is kept even when the new site no longer holds it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.i18n import language, say
from pipeline.textfmt import human_bytes
from pipeline.fsutil import file_hashes
from pipeline import paths

MEDIA, PAGES, FEED = "media", "pages", "feed"
GROUPS = (MEDIA, PAGES, FEED)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif"}
PAGE_SUFFIXES = {".html", ".htm"}


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str
    md5: str

    def as_list(self) -> list:
        return [self.size, self.sha256, self.md5]

    def same_content(self, other: Entry | None) -> bool:
        """Whether `other` (what a target holds) has this content; S3 listings know the MD5 only."""
        if other is None or other.size != self.size:
            return False
        return other.sha256 == self.sha256 if other.sha256 else other.md5 == self.md5


Manifest = dict[str, Entry]
"""{site-relative POSIX path: Entry}"""


def group_of(name: str) -> str:
    path = PurePosixPath(name)
    if name == paths.FEED:
        return FEED
    if path.parts[0] == "media" or path.suffix.lower() in IMAGE_SUFFIXES:
        return MEDIA
    return PAGES


def hash_file(path: Path) -> Entry:
    size, (sha, md5) = file_hashes(path, "sha256", "md5")
    return Entry(size, sha.hexdigest(), md5.hexdigest())


def site_files(site: Path) -> list[Path]:
    """The files of the site that are published (its marker file, which says portevoix wrote the folder, is not)."""
    return [p for p in sorted(site.rglob("*")) if p.is_file() and p != site / paths.SITE_MARKER]


def site_manifest(site: Path) -> Manifest:
    return {p.relative_to(site).as_posix(): hash_file(p) for p in site_files(site)}


def manifest_json(manifest: Manifest) -> str:
    return json.dumps({"files": {name: entry.as_list() for name, entry in sorted(manifest.items())}}, indent=0) + "\n"


def parse_manifest(text: str) -> Manifest:
    """A manifest as stored on a target; an empty or damaged one counts as nothing known."""
    try:
        files = json.loads(text)["files"]
        return {name: Entry(int(v[0]), str(v[1]), str(v[2])) for name, v in files.items()}
    except (ValueError, KeyError, TypeError, IndexError):
        return {}


def feed_references(feed: bytes | None, base_url: str) -> set[str]:
    """Site paths that a feed points at (enclosures, alternate enclosures, transcripts, chapters, images).

    Read generically: every attribute or text that is a URL under `base_url`.
    """
    if not feed:
        return set()
    try:
        root = ET.fromstring(feed)
    except ET.ParseError:
        return set()
    found = set()
    for element in root.iter():
        for value in [*element.attrib.values(), element.text or ""]:
            value = value.strip()
            if value.startswith(base_url):
                path = unquote(urlsplit(value).path)
                base_path = urlsplit(base_url).path
                relative = path[len(base_path):] if path.startswith(base_path) else ""
                if relative and not relative.endswith("/") and group_of(relative) == MEDIA:
                    found.add(relative)
    return found


@dataclass
class Plan:
    """What travels where, in order."""

    manifest: Manifest
    """The site as built: everything the new release holds."""
    previous: Manifest
    """What the target holds now (its last complete publish)."""
    retained: list[str] = field(default_factory=list)
    """Media the published feed still references that the new site no longer holds: kept."""

    def group(self, name: str) -> list[str]:
        files = [f for f in self.manifest if group_of(f) == name]
        if name == PAGES:  # assets before HTML, the index last
            files.sort(key=lambda f: (f.endswith((".html", ".htm")), f == paths.INDEX, f))
        return files

    def changed(self, name: str | None = None) -> list[str]:
        """New or changed files (of one group), in upload order."""
        names = self.group(name) if name else [f for g in GROUPS for f in self.group(g)]
        return [f for f in names if not self.manifest[f].same_content(self.previous.get(f))]

    def is_new(self, name: str) -> bool:
        return name not in self.previous

    @property
    def removed(self) -> list[str]:
        """Files the target holds that the new site does not, except retained media."""
        return sorted(set(self.previous) - set(self.manifest) - set(self.retained))

    def bytes_to_send(self, name: str | None = None) -> int:
        return sum(self.manifest[f].size for f in self.changed(name))

    @property
    def unchanged(self) -> int:
        return len(self.manifest) - len(self.changed())

    def describe(self, where: str) -> list[str]:
        lines = [say("publish_plan_head", count=len(self.manifest), where=where)]
        for group in GROUPS:
            changed = self.changed(group)
            lines.append(say("publish_plan_group", group=say(f"publish_group_{group}"), count=len(changed),
                             size=human_bytes(self.bytes_to_send(group), language()), unchanged=len(self.group(group)) - len(changed)))
            for name in changed:
                state = say("publish_file_new" if self.is_new(name) else "publish_file_changed")
                lines.append(f"    {name}  {human_bytes(self.manifest[name].size, language())}  {state}")
        lines += [say("publish_plan_keep", name=name) for name in self.retained]
        lines += [say("publish_plan_remove", name=name) for name in self.removed]
        lines.append(say("publish_plan_total", count=len(self.changed()), size=human_bytes(self.bytes_to_send(), language())))
        return lines


def make_plan(site: Path, previous: Manifest, published_feed: bytes | None, base_url: str) -> Plan:
    manifest = site_manifest(site)
    referenced = feed_references(published_feed, base_url)
    retained = sorted(f for f in referenced if f not in manifest and f in previous)
    return Plan(manifest=manifest, previous=previous, retained=retained)
