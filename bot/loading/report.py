"""What `python -m bot validate` prints: problems first, then one line that sums it all up.

Quiet by default: errors and warnings (root causes first; phrasing collisions counted in one
line, `--collisions` lists them), then a single summary line naming the folder checked and how
many review notes there are. The notes, which organizers work through
over weeks, are a checklist grouped by file, printed only when asked for (`--notes`).

When an earlier version of the content is known (bot/loading/since.py), the problems at lines
added or changed since come first, every one named with its line and advice, collisions
included; the older ones follow as before. What is due for review (bot/loading/due.py) is
counted in the summary and listed with `--due`.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from bot.knowledge import Knowledge
from bot.loading.problems import Problem, sort_key
from bot.loading.since import Edit


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
                 notes_shown: bool, due: str = "") -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notes = sum(p.severity == "note" for p in problems)
    unreadable = {p.file for p in problems if p.root_cause}
    notes_part = _count(notes, "review note") + ("" if notes_shown or not notes else
                                                  " (--notes lists them)")
    if unreadable:
        return (f"{folder}: {_count(len(unreadable), 'file')} cannot be read; the other checks "
                "run once it is fixed. The bot keeps its last good content until then.")
    due_part = f"; {due}" if due else ""
    if errors or knowledge is None:
        return (f"{folder}: {_count(errors, 'error')}, {_count(warnings, 'warning')}, "
                f"{notes_part}{due_part}. The bot keeps its last good content until the errors "
                "are fixed.")
    sizes = "; ".join(f"{lang}: {len(c.entries)} entries in {len(c.topics)} topics, "
                      f"{len(c.contacts)} contacts"
                      for lang, c in knowledge.languages.items())
    return f"{folder}: OK ({sizes}). {_count(warnings, 'warning')}, {notes_part}{due_part}."


def edit_lines(edit: Edit) -> list[str]:
    """The edit's own problems, each with its line and advice, before anything older."""
    if not edit.changed:
        return [f"No content file changed since {edit.label}."]
    files = ", ".join(f"{file} ({n})" for file, n in list(edit.changed.items())[:5])
    more = len(edit.changed) - 5
    lines = [f"Since {edit.label}: {_count(sum(edit.changed.values()), 'line')} added or "
             f"changed in {files}{f' and {more} more files' if more > 0 else ''}."]
    if not edit.new:
        return [*lines, "No problem at those lines."]
    return [*lines, f"At those lines ({_count(len(edit.new), 'problem')}; yours, fix them "
                    "first):", *("  " + line for line in problem_lines(edit.new))]


def report_lines(folder: str, knowledge: Knowledge | None, problems: list[Problem],
                 notes: bool = False, collisions: bool = False, edit: Edit | None = None,
                 due: list[str] | None = None, due_count: str = "") -> list[str]:
    """The report; phrasing collisions are counted in one line unless `collisions` lists them
    (on today's content there are about a hundred: a list that long hides the errors). With an
    `edit`, the problems at the lines it added or changed come first, collisions included."""
    mine = set(edit.new) if edit is not None else set()
    older = [p for p in problems if p not in mine]
    lines = edit_lines(edit) if edit is not None else []
    listed = older if collisions else [p for p in older if p.kind != "collision"]
    if edit is not None and edit.changed and any(p.severity != "note" for p in listed):
        lines.append("Older problems:")
    lines += problem_lines(listed)
    hidden = len(older) - len(listed)
    if hidden:
        word = "older phrasing" if edit is not None and edit.changed else "phrasing"
        lines.append(f"{_count(hidden, word)} would be answered with another entry or "
                     "called not covered (--collisions lists them, with what to do)")
    if notes:
        lines += notes_checklist(problems)
    if due:
        lines += due
    return [*lines, summary_line(folder, knowledge, problems, notes, due_count)]

def print_problems(problems: list[Problem], out: TextIO, quiet: bool = True) -> None:
    """Errors and warnings, root causes first (and the review notes unless quiet): for the
    commands that stop on content with errors (`run`, `chat`, `try`, `calibrate`)."""
    for line in problem_lines(problems) + ([] if quiet else notes_checklist(problems)):
        out.write(f"{line}\n")
