"""The node feed parsers (podcast-partytime, feedsmith), installed by `make node-deps`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .cli import REPO

NODE_DIR = REPO / "tests" / "node"


def node(script: str, feed: Path) -> dict:
    if not (REPO / "node_modules" / "podcast-partytime").is_dir():
        pytest.fail("node packages missing: run 'make node-deps'")
    result = subprocess.run(["node", str(NODE_DIR / script), str(feed)], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
