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
import subprocess
import sys
from pathlib import Path

from support.cli import REPO
from support.podcasts import copy_demo
from support.files import tree_digest

def test_a_wheel_installed_outside_the_repository_builds_the_demo(installed_wheel, demo_build, tmp_path):
    venv = installed_wheel
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
