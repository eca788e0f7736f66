"""What changed since the last content that passed, so `validate` names the problems of your edit
first instead of drowning them in old ones.

An organizer who adds one phrasing that lands on another entry should read about that line, not
"91 phrasings would be answered with another entry" (one more than yesterday). So `validate`
compares each content file with an earlier version of it: the bot's last-good copy (the last
content that passed, `last-good-content/` next to STATE_FILE), else the version committed in
git (`git show HEAD:...`), else nothing. A problem is the edit's when the lines it points at
were added or changed: its own line, and the lines indented under it (an entry's fields, the
text of a multi-line answer). Comparing lines costs milliseconds; running the phrasing pass
again on the older content would double validate's time, so a collision the edit causes on an
older, unchanged phrasing is counted with the older ones.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.loading.problems import Problem

CONTENT_SUFFIXES = (".yaml", ".yml", ".txt")
GIT_SECONDS = 10


@dataclass
class Baseline:
    """An earlier version of the content folder: `read(relative path)` gives a file's text then
    (None if it did not exist), `label` says in words which version it is."""

    label: str
    read: Callable[[str], str | None]
    # the files that may differ, when that can be asked at once (git: one call, not one a file)
    candidates: Callable[[], frozenset[str] | None] = lambda: None
    _changed: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)
    _candidates: list[frozenset[str] | None] = field(default_factory=list, repr=False)

    def changed_lines(self, content_dir: Path, relative: str) -> frozenset[int]:
        """The lines (1-based) of the file as it is now that were added or changed since."""
        if not self._candidates:
            self._candidates.append(self.candidates())
        if self._candidates[0] is not None and relative not in self._candidates[0]:
            return frozenset()
        if relative not in self._changed:
            self._changed[relative] = _changed_lines(content_dir / relative, self.read(relative))
        return self._changed[relative]


def _changed_lines(path: Path, before: str | None) -> frozenset[int]:
    try:
        now = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    if before is None:
        return frozenset(range(1, len(now) + 1))  # a new file: every line is the edit's
    matcher = difflib.SequenceMatcher(None, before.splitlines(), now, autojunk=False)
    return frozenset(
        line + 1 for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
        if tag in ("replace", "insert") for line in range(j1, j2)
    )


def folder_baseline(folder: Path, label: str) -> Baseline:
    def read(relative: str) -> str | None:
        try:
            return (folder / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return Baseline(label, read)


def last_good_baseline(copy_dir: Path) -> Baseline | None:
    """The bot's copy of the last content that passed, if there is one."""
    if not copy_dir.is_dir():
        return None
    saved = datetime.fromtimestamp(copy_dir.stat().st_mtime)
    return folder_baseline(copy_dir, f"the last content that passed ({copy_dir}, saved "
                                     f"{saved:%Y-%m-%d %H:%M})")


def _git(content_dir: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run([git, "-C", str(content_dir), *args], capture_output=True,
                              text=True, encoding="utf-8", timeout=GIT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired, UnicodeDecodeError):
        return None


def git_baseline(content_dir: Path, revision: str = "HEAD") -> Baseline | None:
    """The content as committed in `revision`, if the folder is in a git checkout that has it."""
    found = _git(content_dir, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if found is None or found.returncode != 0:
        return None
    commit = found.stdout.strip()

    def read(relative: str) -> str | None:
        shown = _git(content_dir, "show", f"{commit}:./{relative}")
        return shown.stdout if shown is not None and shown.returncode == 0 else None

    def candidates() -> frozenset[str] | None:
        """The files changed since, and the new ones (None: read every file)."""
        changed = _git(content_dir, "diff", "--name-only", "--relative", commit, "--", ".")
        untracked = _git(content_dir, "ls-files", "--others", "--exclude-standard", "--", ".")
        if changed is None or untracked is None or changed.returncode or untracked.returncode:
            return None
        return frozenset((changed.stdout + untracked.stdout).splitlines())

    return Baseline(f"git {revision} ({commit[:10]})", read, candidates)


def find_baseline(content_dir: Path, since: str | None, last_good_dir: Path) -> Baseline | None:
    """`--since` (a folder, or a git revision), else the bot's last-good copy, else git HEAD."""
    if since:
        if Path(since).is_dir():
            return folder_baseline(Path(since), since)
        return git_baseline(content_dir, since)
    return last_good_baseline(last_good_dir) or git_baseline(content_dir)


def content_files(content_dir: Path) -> list[str]:
    """Every content file, relative to the folder ("en/ice.yaml")."""
    return sorted(
        path.relative_to(content_dir).as_posix() for path in content_dir.rglob("*")
        if path.is_file() and path.suffix in CONTENT_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(content_dir).parts)
    )


def changed_files(content_dir: Path, baseline: Baseline) -> dict[str, int]:
    """{file: lines added or changed} for every content file that changed since the baseline."""
    counts = {f: len(baseline.changed_lines(content_dir, f)) for f in content_files(content_dir)}
    return {f: n for f, n in counts.items() if n}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def span(lines: list[str], line: int) -> range:
    """The lines (1-based) a problem at `line` is about: that line and those indented under it
    (an entry's fields, a multi-line answer), up to the next line at its indentation or less."""
    if not 1 <= line <= len(lines):
        return range(0)
    own = _indent(lines[line - 1])
    end = line
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#") and _indent(text) <= own:
            break
        end += 1
    return range(line, end + 1)


def new_problems(problems: Iterable[Problem], content_dir: Path, baseline: Baseline
                 ) -> list[Problem]:
    """The problems at lines added or changed since the baseline (a file-wide problem: when the
    file itself is new)."""
    found = []
    lines_of: dict[str, list[str]] = {}
    for problem in problems:
        path = content_dir / problem.file
        if not path.is_file():
            continue
        changed = baseline.changed_lines(content_dir, problem.file)
        if not changed:
            continue
        if problem.line == 0:
            if baseline.read(problem.file) is None:
                found.append(problem)
            continue
        if problem.file not in lines_of:
            lines_of[problem.file] = path.read_text(encoding="utf-8").splitlines()
        if any(line in changed for line in span(lines_of[problem.file], problem.line)):
            found.append(problem)
    return found


@dataclass(frozen=True)
class Edit:
    """What `validate` says about the edit: which version it compared with, the files changed
    (with how many lines), and the problems at those lines."""

    label: str
    changed: dict[str, int]
    new: list[Problem]


def edit_since(problems: list[Problem], content_dir: Path, baseline: Baseline) -> Edit:
    return Edit(baseline.label, changed_files(content_dir, baseline),
                new_problems(problems, content_dir, baseline))
