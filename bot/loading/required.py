"""required-entries.txt: entries that may not disappear from any language (one id a line)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.knowledge import LanguageContent
from bot.loading.problems import Problem

REQUIRED_FILE = "required-entries.txt"


def required_ids(root: Path) -> list[tuple[int, str]]:
    path = root / REQUIRED_FILE
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = ((n, line.split("#", 1)[0].strip()) for n, line in enumerate(lines, start=1))
    return [(n, entry_id) for n, entry_id in numbered if entry_id]


def check_required_entries(root: Path, languages: Mapping[str, LanguageContent],
                           problems: list[Problem]) -> None:
    for number, entry_id in required_ids(root):
        for lang, content in languages.items():
            if entry_id not in content.entries:
                problems.append(Problem(
                    REQUIRED_FILE, number, f"required entry '{entry_id}' is missing in {lang}/",
                    fix=f"put the entry back in {lang}/ (same id); remove it from this list "
                    "only if the FAQ should really stop answering it"))
