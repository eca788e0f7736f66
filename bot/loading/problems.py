"""What the checks report: a `Problem` names a file and line in the content folder, in plain words.

Files are named relative to the content folder ("es/ice.yaml"), the folder organizers edit, so a
message reads the same on a laptop, in CI and in a /reload reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "note"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


class Place(NamedTuple):
    """A line in a content file; line 0 means the file (or folder) as a whole."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the content, with where to find it.

    Errors keep the bot from loading the content; warnings are advice that `validate` prints;
    notes are the organizers' own review notes, listed by `validate --notes`. `root_cause` marks
    a file that does not read at all: everything else waits until it is fixed. `fix` is one line
    saying how to fix it, for mistakes whose message alone does not.
    """

    file: str
    line: int
    message: str
    severity: Severity = "error"
    fix: str = ""
    root_cause: bool = False
    # "collision": a phrasing the bot would answer with another entry (bot/loading/phrasings.py).
    # There can be dozens; `validate` counts them in one line unless asked to list them.
    kind: str = ""

    @property
    def place(self) -> Place:
        return Place(self.file, self.line)

    def __str__(self) -> str:
        text = f"{self.place}: {self.severity}: {self.message}"
        return f"{text}\n    how to fix: {self.fix}" if self.fix else text


def sort_key(problem: Problem) -> tuple[int, int, str, int]:
    """Root causes first, then errors, warnings and notes, each in file and line order."""
    return (not problem.root_cause, SEVERITY_ORDER[problem.severity], problem.file, problem.line)


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=sort_key)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} content error(s); first: {errors[0] if errors else '-'}")
