"""Publishable media: processed audio with its tags, ready to be linked into the site.

Tagged files are kept in the cache too (keyed by the audio and the tags), so
that a build with nothing new encodes and tags nothing. Each is recorded with
its size and SHA-256 when made, and checked against them before it is reused:
a cached file that was changed (edited, truncated) is made again, never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.plain import plain
from pipeline.audio import ProcessedAudio
from pipeline.audio.identity_cache import IdentityCache
from pipeline.media.formats import Format
from pipeline.media.tags import Tags
from pipeline.fsutil import file_digest, file_hashes


@dataclass(frozen=True)
class MediaFile:
    path: Path
    """Where the finished file is (in the cache)."""
    name: str
    """Its path in the site, e.g. media/2024-03-20-debat.mp3."""
    mime: str
    size: int
    """Real byte count, as announced in the feed."""
    duration: float


def record_of(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def fingerprint_of(path: Path) -> dict:
    size, (digest,) = file_hashes(path, "sha256")
    return {"size": size, "sha256": digest.hexdigest()}


def intact(path: Path, known: IdentityCache | None = None) -> bool:
    """True when the cached file is there with the size and digest recorded when it was made.

    With `known`, the answer is remembered by the identity cache while the file's identity (inode, size,
    modification time) is unchanged: the file and its record are read again only after it was touched (a build
    looked at two thousand records for a thousand episodes)."""
    if known is None:
        return _matches_record(path, None)
    try:
        return bool(known.fact(path, "intact", lambda: _matches_record(path, known)))
    except OSError:
        return False


def _matches_record(path: Path, known: IdentityCache | None) -> bool:
    try:
        recorded = json.loads(record_of(path).read_text(encoding="utf-8"))
        if not path.is_file() or path.stat().st_size != recorded.get("size"):
            return False
        digest = known.digest(path) if known is not None else fingerprint_of(path)["sha256"]
        return digest == recorded.get("sha256")
    except (OSError, ValueError, AttributeError):
        return False


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int) -> str:
    """SHA-256 of a cover made into the cache (never changed in place), read once per build."""
    return file_digest(path)


_last_fingerprint: list = [None, ""]
"""The Tags last fingerprinted and its fingerprint: an episode's formats are tagged one after the other with the same Tags."""


def tags_fingerprint(tags: Tags) -> str:
    """The tags as text, for the cache key (done once per episode, not per format)."""
    if _last_fingerprint[0] is not tags:
        _last_fingerprint[:] = [tags, json.dumps({k: str(v) for k, v in plain(tags).items()}, sort_keys=True)]
    return _last_fingerprint[1]


def tagged(audio: ProcessedAudio, fmt: Format, tags: Tags, name: str, cache_root: Path, known: IdentityCache | None = None) -> MediaFile:
    """The `fmt` encoding of `audio` with `tags` written in, made once and cached (`known`: see intact)."""
    source = audio.files[fmt.name]
    fingerprint = tags_fingerprint(tags)
    cover_digest = _digest(tags.cover, tags.cover.stat().st_mtime_ns) if tags.cover else ""
    key = hashlib.sha256(f"{source}\n{fingerprint}\n{cover_digest}".encode()).hexdigest()[:32]
    folder = cache_root / "tagged"
    final = folder / f"{key}.{fmt.extension}"
    if not intact(final, known):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=f".{fmt.extension}", dir=folder)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.chmod(temporary, 0o644)
            fmt.tag_writer(Path(temporary), tags)
            os.replace(temporary, final)
            made = fingerprint_of(final)
            record_of(final).write_text(json.dumps(made) + "\n", encoding="utf-8")
            if known is not None:  # its digest known from now on: the next build does not read the file to hash it
                known.learn_digest(final, made["sha256"])
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return MediaFile(path=final, name=name, mime=fmt.mime, size=final.stat().st_size, duration=audio.duration)
