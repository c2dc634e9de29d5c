"""Shared fixtures: real podcast folders, real ffmpeg, the real command line."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.paths import SITE_MARKER

REPO = Path(__file__).resolve().parent.parent


def run_cli(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `portevoix -C root args…` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below `folder` (a site's marker file, never published, left out)."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file() and p != folder / SITE_MARKER}


def copy_demo(target: Path) -> Path:
    """A copy of the repository's demo podcast folder (config, cover, episodes)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "podcast.yaml", target / "podcast.yaml")
    shutil.copy2(REPO / "cover.jpg", target / "cover.jpg")
    shutil.copytree(REPO / "episodes", target / "episodes")
    return target


def make_tone(path: Path, seconds: float = 3.0, *, volume_db: float = -20.0, channels: int = 1, rate: int = 44100, codec: list[str] | None = None) -> Path:
    """A short speech-like test recording made by ffmpeg: modulated noise and tone."""
    layout = {1: "mono", 2: "stereo", 6: "5.1"}[channels]
    source = (
        f"aevalsrc='(0.6*sin(2*PI*220*t)+0.4*sin(2*PI*330*t))*(0.55+0.45*sin(2*PI*3*t))':s={rate}:d={seconds}:c={layout}"
    )
    args = ["ffmpeg", "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-af", f"volume={volume_db}dB"]
    args += codec or []
    subprocess.run([*args, str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """The demo podcast, copied and built once for the whole session."""
    root = copy_demo(tmp_path_factory.mktemp("demo"))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    yield


def ebur128(path: Path) -> dict[str, float]:
    """Independent loudness meter: ffmpeg's ebur128 filter read here, not through the pipeline's code."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = result.stderr.split("Summary:")[-1]
    values = {}
    for line in summary.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("I:", "LRA:", "Peak:"):
            values[parts[0].rstrip(":")] = float(parts[1])
    return values


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
# The tests read portevoix's English lines: a French machine must not change them.
# Tests of the French lines set their own locale variables.
os.environ["LANG"] = "C.UTF-8"
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
