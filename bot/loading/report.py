"""What `python -m bot validate` prints: problems first, then one line that sums it all up.

Quiet by default: errors and warnings (root causes first; phrasing collisions counted in one
line, `--collisions` lists them), then a single summary line naming the folder checked and how
many review notes there are. The notes, which organizers work through
over weeks, are a checklist grouped by file, printed only when asked for (`--notes`).
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from bot.knowledge import Knowledge
from bot.loading.problems import Problem, sort_key


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def problem_lines(problems: list[Problem]) -> list[str]:
    """Errors and warnings in order; a "how to fix" line that repeats the one just above it is
    left out (twenty phrasings with the same advice need it once)."""
    lines: list[str] = []
    last_fix = ""
    for problem in sorted((p for p in problems if p.severity != "note"), key=sort_key):
        lines.append(f"{problem.place}: {problem.severity}: {problem.message}")
        if problem.fix and problem.fix != last_fix:
            lines.append(f"    how to fix: {problem.fix}")
        last_fix = problem.fix
    return lines


def notes_checklist(problems: list[Problem]) -> list[str]:
    notes = sorted((p for p in problems if p.severity == "note"), key=sort_key)
    lines = [f"Review notes ({len(notes)}), by file:"] if notes else []
    for file, group in groupby(notes, key=lambda p: p.file):
        lines.append(file)
        lines.extend(f"  [ ] line {p.line}: {p.message}" if p.line else f"  [ ] {p.message}"
                     for p in group)
    return lines


def summary_line(folder: str, knowledge: Knowledge | None, problems: list[Problem],
                 notes_shown: bool) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notes = sum(p.severity == "note" for p in problems)
    unreadable = {p.file for p in problems if p.root_cause}
    notes_part = _count(notes, "review note") + ("" if notes_shown or not notes else
                                                  " (--notes lists them)")
    if unreadable:
        return (f"{folder}: {_count(len(unreadable), 'file')} cannot be read; the other checks "
                "run once it is fixed. The bot keeps its last good content until then.")
    if errors or knowledge is None:
        return (f"{folder}: {_count(errors, 'error')}, {_count(warnings, 'warning')}, "
                f"{notes_part}. The bot keeps its last good content until the errors are fixed.")
    sizes = "; ".join(f"{lang}: {len(c.entries)} entries in {len(c.topics)} topics, "
                      f"{len(c.contacts)} contacts"
                      for lang, c in knowledge.languages.items())
    return f"{folder}: OK ({sizes}). {_count(warnings, 'warning')}, {notes_part}."


def report_lines(folder: str, knowledge: Knowledge | None, problems: list[Problem],
                 notes: bool = False, collisions: bool = False) -> list[str]:
    """The report; phrasing collisions are counted in one line unless `collisions` lists them
    (on today's content there are about a hundred: a list that long hides the errors)."""
    listed = problems if collisions else [p for p in problems if p.kind != "collision"]
    lines = problem_lines(listed)
    hidden = len(problems) - len(listed)
    if hidden:
        lines.append(f"{_count(hidden, 'phrasing')} would be answered with another entry or "
                     "called not covered (--collisions lists them, with what to do)")
    if notes:
        lines += notes_checklist(problems)
    return [*lines, summary_line(folder, knowledge, problems, notes)]


def print_problems(problems: list[Problem], out: TextIO, quiet: bool = True) -> None:
    """Errors and warnings, root causes first (and the review notes unless quiet): for the
    commands that stop on content with errors (`run`, `chat`, `try`, `calibrate`)."""
    for line in problem_lines(problems) + ([] if quiet else notes_checklist(problems)):
        out.write(f"{line}\n")
