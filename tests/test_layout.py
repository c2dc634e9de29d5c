"""The package's shape (issue 11): every module imports on its own, whatever is imported first (no import cycle)."""

from __future__ import annotations

import subprocess
import sys

from support.cli import REPO

EACH_ALONE = """
import importlib, pathlib, sys, traceback
root = pathlib.Path(sys.argv[1])
names = sorted(".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
               for p in (root / "pipeline").rglob("*.py") if p.name != "__main__.py")  # that one runs the CLI
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m == "pipeline" or m.startswith("pipeline.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed.append(name + ": " + traceback.format_exc().strip().splitlines()[-1])
print(len(names))
print("\\n".join(failed))
"""


def test_every_module_imports_first():
    result = subprocess.run([sys.executable, "-c", EACH_ALONE, str(REPO)], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    count, *failed = result.stdout.strip().split("\n")
    assert int(count) > 80
    assert [line for line in failed if line] == []


def test_presets_are_data_that_import_no_validator():
    script = "import sys, pipeline.presets as p; p.load('podcast'); print(sorted(m for m in sys.modules if m.startswith('pipeline')))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['pipeline', 'pipeline.presets']"


def test_no_test_module_imports_another():
    import ast

    found = []
    for path in sorted((REPO / "tests").rglob("*.py")) + sorted((REPO / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                last = name.split(".")[-1]
                if last == "conftest" or last.startswith("test_"):
                    found.append(f"{path.relative_to(REPO)}: {name}")
    assert found == []


def test_tests_top_holds_only_test_modules():
    """Helpers go in tests/support/ (a package), so that the top of tests/ is test modules and conftest only."""
    found = sorted(p.name for p in (REPO / "tests").glob("*.py") if p.name != "conftest.py" and not p.name.startswith("test_"))
    assert found == []
