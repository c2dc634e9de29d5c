"""The package as users install it: a wheel built from a copy of the sources, in a fresh virtual environment."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .cli import REPO

TOP_LEVEL_NOT_SOURCES = {".git", ".venv", "node_modules", "site", ".cache", "build", "tests", "bench", "episodes", "stats"}


def not_sources(folder: str, names: list[str]) -> set[str]:
    """What the copy of the sources leaves out: the repository's own state and outputs, never a package's files."""
    left = {n for n in names if n in ("__pycache__", ".pytest_cache", ".hypothesis") or n.endswith(".egg-info")}
    if Path(folder) == REPO:
        left |= {n for n in names if n in TOP_LEVEL_NOT_SOURCES or n.startswith("site.")}
    return left


def install_wheel(tmp_path: Path) -> Path:
    """A wheel built from a copy of the sources, installed in a fresh virtual environment; its folder.

    The dependencies it declares are taken from this test environment (a .pth line; the repository
    itself is not on the path)."""
    sources = tmp_path / "sources"
    shutil.copytree(REPO, sources, ignore=not_sources)
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(wheels)],
                           cwd=sources, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("portevoix-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "pipeline/templates/base.html" in names and "pipeline/templates/static/style.css" in names
    assert "pipeline/templates/studio/base.html" in names and "pipeline/templates/studio/studio.css" in names  # portevoix studio
    for vendored in ("peaks.js/peaks.ext.min.js", "peaks.js/COPYING", "konva/konva.min.js", "konva/LICENSE",
                     "waveform-data/waveform-data.min.js", "waveform-data/LICENSE", "README.md"):  # the waveform editor, no CDN
        assert f"pipeline/templates/studio/static/vendor/{vendored}" in names, vendored
    assert "pipeline/templates/studio/static/waveform.js" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory) -> Path:
    """install_wheel once for the session (test_wheel and test_install use the same installed package)."""
    return install_wheel(tmp_path_factory.mktemp("wheel"))
