"""The last content that passed every check, kept next to the bot's state, for start-up.

A platform redeploy restarts the bot on whatever the content folder holds. If an edit with an
error was pushed, refusing to start would take the bot down for everyone, although the content
it served a minute ago was fine. So every time the bot loads content that passes, it copies the
folder to `last-good-content/` next to its state file; started on content with errors, it serves
that copy instead (and the caller tells the admins why). Only if no content has ever passed is
there nothing to serve, and the bot does not start.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.knowledge import Knowledge
from bot.loading.check import inspect_content
from bot.loading.problems import ContentError, Problem
from bot.private_files import private_tree

log = logging.getLogger(__name__)

LAST_GOOD_DIR = "last-good-content"


@dataclass(frozen=True)
class StartContent:
    """The content to start with. `problems` are the errors of the content folder when the last
    good copy is served instead (empty when the folder itself passed)."""

    knowledge: Knowledge
    problems: list[Problem] = field(default_factory=list)
    saved_at: datetime | None = None  # when the copy being served was saved

    @property
    def fallback(self) -> bool:
        return bool(self.problems)


def last_good_dir(state_file: Path) -> Path:
    return state_file.parent / LAST_GOOD_DIR


def save_last_good(content_dir: Path, copy_dir: Path) -> None:
    """Replace the copy with the content folder, whole or not at all (copy, then swap)."""
    fresh = copy_dir.with_name(copy_dir.name + ".new")
    old = copy_dir.with_name(copy_dir.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(content_dir, fresh, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    private_tree(fresh)  # beside the state: owner-only like it (bot/private_files.py)
    if copy_dir.exists():
        copy_dir.rename(old)
    fresh.rename(copy_dir)
    shutil.rmtree(old, ignore_errors=True)


def remember(content_dir: Path, state_file: Path) -> None:
    """Keep a copy of content that just passed (at start-up or /reload). A copy that cannot be
    written costs only the fallback, so it is logged, not raised."""
    try:
        save_last_good(content_dir, last_good_dir(state_file))
    except OSError as error:
        log.warning("could not keep a copy of the content as last good: %s", error.strerror)


def start_content(content_dir: Path, state_file: Path) -> StartContent:
    """The content folder if it passes (and a fresh copy of it), else the last good copy with
    the folder's errors; raises ContentError if neither can be served."""
    inspection = inspect_content(content_dir)
    if inspection.knowledge is not None:
        remember(content_dir, state_file)
        return StartContent(inspection.knowledge)
    errors = [p for p in inspection.problems if p.severity == "error"] or inspection.problems
    copy_dir = last_good_dir(state_file)
    if not copy_dir.is_dir():
        raise ContentError(inspection.problems)
    copy = inspect_content(copy_dir)
    if copy.knowledge is None:  # possible only if the rules got stricter since it was saved
        raise ContentError(inspection.problems)
    saved_at = datetime.fromtimestamp(copy_dir.stat().st_mtime)
    for problem in errors:
        log.error("content error: %s", problem)
    log.warning("content has %d error(s): serving the last good copy saved %s",
                len(errors), saved_at.isoformat(timespec="minutes"))
    return StartContent(copy.knowledge, errors, saved_at)
