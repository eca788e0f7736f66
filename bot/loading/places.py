"""Where each entry, contact and phrasing of one language folder was written.

The cross-language and matcher checks run on the loaded objects, which carry no positions; they
look up the lines here so that every message still names a file and line in each language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.loading.problems import Place


@dataclass
class Places:
    folder: str  # "es"
    entries: dict[str, Place] = field(default_factory=dict)
    entry_fields: dict[tuple[str, str], Place] = field(default_factory=dict)  # (id, field)
    phrasings: dict[tuple[str, str], Place] = field(default_factory=dict)  # (id, text)
    contacts: dict[str, Place] = field(default_factory=dict)
    contact_fields: dict[tuple[str, str], Place] = field(default_factory=dict)
    topics: dict[str, Place] = field(default_factory=dict)
    out_of_scope: dict[str, Place] = field(default_factory=dict)
    needs: dict[str, Place] = field(default_factory=dict)
    files: dict[str, Place] = field(default_factory=dict)  # "right-now.yaml" -> the file
    # ("entry" or "contact", its id, the note) -> the line of each review note
    review_notes: dict[tuple[str, str, str], Place] = field(default_factory=dict)
    # contacts with a phone refused: comparing their phones with other languages would only
    # repeat that error
    refused_phones: set[str] = field(default_factory=set)

    def entry_field(self, entry_id: str, name: str) -> Place:
        """The line of one field of an entry, else the entry's own line."""
        return self.entry_fields.get((entry_id, name)) or self.entries.get(
            entry_id, Place(self.folder, 0))

    def contact_field(self, contact_id: str, name: str) -> Place:
        return self.contact_fields.get((contact_id, name)) or self.contacts.get(
            contact_id, Place(self.folder, 0))

    def phrasing(self, owner: str, text: str) -> Place:
        return self.phrasings.get((owner, text)) or self.entries.get(owner) or \
            self.out_of_scope.get(owner, Place(self.folder, 0))
