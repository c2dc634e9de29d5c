"""Running the real command line on a corpus case, in English, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from corpus.cases import Case
from corpus.folders import Materials, make_case_folder

WITHOUT_ROOT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
"""Root reads any file whatever its permissions; without these two capabilities it obeys them, like a user."""


def english_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    return env


def run_portevoix(root: Path, *args: str, env: dict[str, str] | None = None, obey_permissions: bool = False) -> subprocess.CompletedProcess[str]:
    prefix = WITHOUT_ROOT_OVERRIDE if obey_permissions and os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pipeline", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env=env or english_environment(),
    )


def run_case(case: Case, workdir: Path, materials: Materials, command: str = "check") -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = workdir / case.name
    if not root.exists():
        make_case_folder(root, case.files, materials)
    return root, run_portevoix(root, command, obey_permissions=case.needs_non_root)


def lines_of(result: subprocess.CompletedProcess[str], root: Path) -> list[str]:
    """stderr lines, with the podcast folder's path written <folder>; not the warnings about what is
    unfinished (the corpus's folders have no summaries, an example e-mail): tests/test_init.py tests them."""
    return [line.replace(str(root), "<folder>") for line in result.stderr.splitlines() if not line.startswith("warning: ")]
