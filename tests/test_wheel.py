"""The package as users install it: a wheel built from the repository, in a fresh virtual environment.

`pip wheel .` builds the wheel from a copy of the sources (so that the build leaves nothing in the
repository); it is installed without the repository anywhere on the path, and builds the demo
podcast. The site must be byte for byte the one a source checkout builds: templates, presets,
categories and every other data file travel with the wheel. A second test reads every import of
pipeline/ and checks that each third-party one is a declared dependency of the wheel.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, copy_demo, tree_digest

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


def test_a_wheel_installed_outside_the_repository_builds_the_demo(demo_build, tmp_path):
    venv = install_wheel(tmp_path)
    python = venv / "bin" / "python"
    root = copy_demo(tmp_path / "podcast")
    shutil.copytree(demo_build / ".cache" / "portevoix" / "audio", root / ".cache" / "portevoix" / "audio")  # no need to encode again
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = subprocess.run([str(python), "-c", "import pipeline; print(pipeline.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    result = subprocess.run([str(venv / "bin" / "portevoix"), "-C", str(root), "build"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "site") == tree_digest(demo_build / "site")


def third_party_imports() -> set[str]:
    """Top-level names of the modules pipeline/ imports that are neither its own nor the standard library's."""
    found = set()
    for path in (REPO / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return {name for name in found if name != "pipeline" and name not in sys.stdlib_module_names}


def test_every_library_imported_is_a_declared_dependency():
    requirements = importlib.metadata.requires("portevoix") or []
    declared = {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-")
                for r in requirements if "extra ==" not in r or 'extra == "transcribe"' in r}
    owners = importlib.metadata.packages_distributions()
    missing = {}
    for module in third_party_imports():
        distributions = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if not distributions & declared:
            missing[module] = sorted(distributions)
    assert not missing, f"imported by pipeline/ but not declared in pyproject.toml: {missing}"
