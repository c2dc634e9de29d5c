"""Digests of files and of whole trees (what a build or a publish left)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.paths import SITE_MARKER


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below `folder` (a site's marker file, never published, left out)."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file() and p != folder / SITE_MARKER}
