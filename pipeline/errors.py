"""Expected errors: what the user did wrong, said in one line each.

A `Problem` names the file (and the field when there is one) and says what to fix.
Loading code collects problems instead of raising at the first one; the command
line prints them all, one per line, then exits with status 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        if self.field:
            return f"{self.path}: {self.field}: {self.message}"
        return f"{self.path}: {self.message}"


class PortevoixError(Exception):
    """An expected failure: printed without a traceback, exit status 1."""

    def __init__(self, *problems: Problem | str):
        self.problems = [p if isinstance(p, Problem) else Problem("portevoix", p) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemCollector:
    """Collects every problem found, so that all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path | str, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(str(path), message, field))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise PortevoixError(*self.problems)
