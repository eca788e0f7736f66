"""Where the content and the interface catalogs are (unless CONTENT_DIR says otherwise), and
where the bot keeps its state by default: the user's state folder, never the repository (a
state file in a checkout is one `git add .` away from being published)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _first_existing(*candidates: Path) -> Path:
    return next((c for c in candidates if c.is_dir()), candidates[0])


def content_dir() -> Path:
    configured = os.environ.get("CONTENT_DIR")
    if configured:
        return Path(configured)
    return _first_existing(PROJECT_ROOT / "content", Path.cwd() / "content")


def locale_dir() -> Path:
    return _first_existing(PROJECT_ROOT / "locale", Path.cwd() / "locale")


STATE_FILE_NAME = "bot-state.sqlite3"


def state_dir() -> Path:
    """$XDG_STATE_HOME/kyr-bot, else ~/.local/state/kyr-bot (the XDG base directory rule)."""
    configured = os.environ.get("XDG_STATE_HOME")
    base = Path(configured) if configured else Path.home() / ".local" / "state"
    return base / "kyr-bot"


def default_state_file() -> Path:
    return state_dir() / STATE_FILE_NAME
