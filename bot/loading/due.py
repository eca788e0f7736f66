"""What is due for review: entries checked long ago, and every note that says RE-VERIFY.

The answers describe rules that changed many times in 2025-2026 (home entry with ICE warrants,
courthouse arrests, registration, bond), so an answer nobody has checked for half a year may no
longer be true. `validate --due [DAYS]` lists, grouped by file and oldest first, every entry whose
`reviewed` date is more than DAYS ago (default 180) and every review note that starts with
RE-VERIFY (a fact someone flagged as not confirmed); `validate` says how many in its summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.knowledge import Knowledge
from bot.loading.places import Places
from bot.loading.problems import Place

DEFAULT_DAYS = 180
RE_VERIFY = re.compile(r"\s*re-?verify\b", re.IGNORECASE)


@dataclass(frozen=True)
class Due:
    """One thing to check again: an old entry, or a RE-VERIFY note (of an entry or a contact)."""

    place: Place
    what: str  # "entry 'trust-act'", "contact 'nhlegal'"
    reviewed: date | None  # the entry's reviewed date; None for a contact (it has none)
    note: str = ""  # the RE-VERIFY note; empty for an entry that is only old

    def sort_key(self) -> tuple[date, int]:
        return (self.reviewed or date.min, self.place.line)


def due_for_review(knowledge: Knowledge, places: Mapping[str, Places], today: date,
                   days: int = DEFAULT_DAYS) -> list[Due]:
    """Entries reviewed more than `days` ago, and every RE-VERIFY note, oldest first (contacts,
    which carry no date, count as oldest), in file and line order within a date."""
    found: list[Due] = []
    for lang, content in knowledge.languages.items():
        where = places[lang]
        for entry in content.entries.values():
            what = f"entry '{entry.id}'"
            if entry.reviewed is not None and (today - entry.reviewed).days > days:
                found.append(Due(where.entry_field(entry.id, "reviewed"), what, entry.reviewed))
            found += [
                Due(where.review_notes.get(("entry", entry.id, note),
                                           where.entry_field(entry.id, "review_notes")),
                    what, entry.reviewed, note)
                for note in entry.review_notes if RE_VERIFY.match(note)
            ]
        for contact in content.contacts.values():
            found += [
                Due(where.review_notes.get(("contact", contact.id, note),
                                           where.contact_field(contact.id, "review_notes")),
                    f"contact '{contact.id}'", None, note)
                for note in contact.review_notes if RE_VERIFY.match(note)
            ]
    return sorted(found, key=lambda d: (d.sort_key(), d.place.file))


def due_lines(items: list[Due], today: date, days: int) -> list[str]:
    """A checklist grouped by file, files in the order of their oldest item."""
    if not items:
        return [f"Due for review: nothing (no entry reviewed more than {days} days ago, no "
                "RE-VERIFY note)."]
    lines = [f"Due for review ({len(items)}): entries reviewed more than {days} days ago and "
             "RE-VERIFY notes, oldest first, by file:"]
    files = list(dict.fromkeys(item.place.file for item in items))
    for file in files:
        lines.append(file)
        for item in (i for i in items if i.place.file == file):
            age = (f"reviewed {item.reviewed.isoformat()}, {(today - item.reviewed).days} days "
                   "ago" if item.reviewed else "no reviewed date")
            detail = f": {item.note}" if item.note else ""
            lines.append(f"  [ ] line {item.place.line}: {item.what} ({age}){detail}")
    return lines


def due_summary(items: list[Due], days: int) -> str:
    """'2 entries older than 180 days and 36 RE-VERIFY notes due for review'."""
    old = sum(not item.note for item in items)
    notes = len(items) - old
    return (f"{old} {'entry' if old == 1 else 'entries'} older than {days} days and {notes} "
            f"RE-VERIFY note{'' if notes == 1 else 's'} due for review")
