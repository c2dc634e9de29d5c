"""The podcast's own static files (templates/static/): regular files inside the folder, nothing else.

They are copied into every site as they are, so a link there must not bring in
a file from elsewhere on the machine, nor a named pipe block the build.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.errors import Problem

STATIC_FOLDER = "templates/static"


def static_files(source: Path, shown: str) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """(relative name, file) of each file below `source`, links followed only to regular files inside it.

    A link leading out of the folder, a link to a folder (which could loop), a named pipe, a device or a socket is
    a problem, named as `shown`/<name>; all are returned, for one line each."""
    if not source.is_dir():
        return [], []
    top = source.resolve()
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for folder, folders, files in os.walk(source, followlinks=False):
        for entry in sorted([*folders, *files]):
            path = Path(folder) / entry
            name = path.relative_to(source).as_posix()
            where = f"{shown.rstrip('/')}/{name}"
            if path.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(Problem(where, "is a link that leads nowhere (or in a loop): remove it"))
                    continue
                if real != top and top not in real.parents:
                    problems.append(Problem(where, f"is a link leading out of {shown.rstrip('/')}/: copy the file itself there"))
                elif real.is_dir():
                    problems.append(Problem(where, "is a link to a folder: copy the folder itself"))
                elif real.is_file():
                    found.append((name, real))
                else:
                    problems.append(Problem(where, "is a link to a special file, not a regular file: remove it"))
                continue
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                continue
            if stat.S_ISREG(mode):
                found.append((name, path))
            else:
                problems.append(Problem(where, "is a named pipe, a device or a socket, not a regular file: remove it"))
        folders[:] = [f for f in folders if not (Path(folder) / f).is_symlink()]
    return sorted(found), problems
