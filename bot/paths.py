"""Where the content and the interface catalogs are, unless CONTENT_DIR says otherwise."""

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
