"""CORPUS.md: the table of every broken input and the exact lines it produces, generated from cases.py.

Run `python tests/corpus/table.py` after changing a case; tests/test_corpus.py
fails while the table and the cases disagree, and checks every case's lines
against the real command line, so the table cannot drift from what users see.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.cases import CASES

TABLE = Path(__file__).resolve().parent.parent / "CORPUS.md"

HEADER = """\
# Broken input, and what portevoix says about it

Generated from `tests/corpus/cases.py` by `python tests/corpus/table.py`; `tests/test_corpus.py`
checks that every line below is exactly what `portevoix check` prints (in English; with a French
locale the most common messages are in French) and that this file is up to date.
Each case starts from a good podcast folder with one episode, `episodes/2024-03-20-debat/`.
Exit status 1 and no traceback for every broken folder; `<folder>` is the podcast folder's path.

| # | case | what is wrong | what `portevoix check` prints |
|---|------|---------------|-------------------------------|
"""


def cell(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;").replace("\n", " ")


def render() -> str:
    rows = []
    for number, case in enumerate(CASES, start=1):
        said = "<br>".join(f"<code>{cell(line)}</code>" for line in case.lines) or "accepted: `N episodes, no problem found`, exit 0"
        rows.append(f"| {number} | `{case.name}` | {cell(case.what)} | {said} |")
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    TABLE.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE} ({len(CASES)} cases)")
