"""Publishable media: processed audio with its tags, ready to be linked into the site.

Tagged files are kept in the cache too (keyed by the audio and the tags), so
that a build with nothing new copies no audio: the site links to them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.audio import ProcessedAudio
from pipeline.media.tags import WRITERS, Tags

MIME_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg"}


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


def tagged(audio: ProcessedAudio, kind: str, tags: Tags, name: str, cache_root: Path) -> MediaFile:
    """The `kind` ("mp3", "opus") encoding of `audio` with `tags` written in, made once and cached."""
    source = getattr(audio, kind)
    fingerprint = json.dumps({k: str(v) for k, v in asdict(tags).items()}, sort_keys=True)
    cover_digest = hashlib.sha256(tags.cover.read_bytes()).hexdigest() if tags.cover else ""
    key = hashlib.sha256(f"{source}\n{fingerprint}\n{cover_digest}".encode()).hexdigest()[:32]
    folder = cache_root / "tagged"
    final = folder / f"{key}.{kind}"
    if not final.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=f".{kind}", dir=folder)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.chmod(temporary, 0o644)
            WRITERS[kind](Path(temporary), tags)
            os.replace(temporary, final)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return MediaFile(path=final, name=name, mime=MIME_TYPES[kind], size=final.stat().st_size, duration=audio.duration)
