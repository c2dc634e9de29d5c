"""The audio cache: processed audio keyed by the recording's bytes and the settings.

It lives outside `site/` (in `.cache/portevoix/` of the podcast folder). An entry
is written in a temporary folder and renamed into place when complete, so that
an interrupted run never leaves a half-written entry under its final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.fsutil import file_digest

__all__ = ["CACHE_DIR", "AudioCache", "file_digest", "key_for"]

CACHE_DIR = ".cache/portevoix"


def key_for(source_digest: str, settings: dict) -> str:
    return key_for_text(source_digest, settings_text(settings))


def settings_text(settings: dict) -> str:
    """The settings as the key has them (JSON, keys sorted)."""
    return json.dumps(settings, sort_keys=True)


def key_for_text(source_digest: str, text: str) -> str:
    """`key_for` with the settings already as `settings_text` made them (the same for most episodes: made once)."""
    return hashlib.sha256(f"{source_digest}\n{text}".encode()).hexdigest()[:32]


class AudioCache:
    def __init__(self, root: Path):
        self.root = root / CACHE_DIR / "audio"

    def entry(self, key: str) -> Path | None:
        path = self.root / key
        return path if (path / "done.json").is_file() else None

    def fill(self, key: str, produce) -> Path:
        """Run `produce(folder)` in a fresh temporary folder, then move it to the entry `key`."""
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.root))
        try:
            record = produce(work)
            (work / "done.json").write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
            final = self.root / key
            if final.exists():
                shutil.rmtree(final)
            os.replace(work, final)
            return final
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)

    def remove_others(self, prefix: str) -> int:
        """Remove the entries whose names do not start with `prefix` (made by an older processing, never looked up
        again); returns the bytes freed. Temporary entries (dot names) are the interrupted build's cleanup's."""
        freed = 0
        for path in self.root.iterdir() if self.root.is_dir() else ():
            if path.name.startswith((".", prefix)) or not path.is_dir():
                continue
            freed += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            shutil.rmtree(path, ignore_errors=True)
        return freed
