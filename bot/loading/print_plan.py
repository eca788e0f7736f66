"""print.yaml (optional): what the wallet card and the flyers show (`python -m bot card|flyer`).

Which entries go on paper is the organizers' choice, so it is data here and not code: the entry
the card's QR code opens, the phones on its front, the questions of the main flyer and of each
topic's flyer. The texts on paper are the entries' own questions and the right-now steps, so a
content edit changes the next print; this file only adds the two headings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.knowledge import (
    CardPlan,
    Contact,
    Entry,
    FlyerPlan,
    LanguageContent,
    PrintPlan,
    Topic,
)
from bot.loading.problems import Problem
from bot.loading.yaml_file import YamlReader, read_optional_fields

PRINT_FILE = "print.yaml"
PRINT_FIELDS = {"card": True, "flyer": True, "topics": False}
CARD_FIELDS = {"title": True, "entry": True, "contacts": True, "based_on": False}
FLYER_FIELDS = {"title": True, "entries": True, "contacts": True}
# A US Letter flyer holds 8 questions with a QR code each big enough to scan at arm's length;
# fewer than 4 leave the page half empty.
FLYER_MAX_ENTRIES = 8
FLYER_MIN_ENTRIES = 4
TITLE_LIMIT = 60  # one or two lines of big type


def read_print_plan(
    folder: Path, root: Path, problems: list[Problem], entries: Mapping[str, Entry],
    topics: tuple[Topic, ...], contacts: Mapping[str, Contact] | None,
) -> tuple[PrintPlan | None, bool]:
    """The plan (None when the file is absent or wrong) and whether the file could be read."""
    reader, top, readable = read_optional_fields(
        folder / PRINT_FILE, root, problems, PRINT_FIELDS)
    if top is None:
        return None, readable
    errors_before = len([p for p in problems if p.severity == "error"])
    rules = _Rules(reader, entries, contacts or {})
    card = rules.card(top.get("card"))
    flyer = rules.flyer(top.get("flyer"), "flyer")
    topic_flyers = rules.topic_flyers(top.get("topics"), {t.id for t in topics})
    errors = len([p for p in problems if p.severity == "error"]) > errors_before
    if card is None or flyer is None or errors:
        return None, True
    return PrintPlan(card, flyer, topic_flyers), True


class _Rules:
    """The checks of each part of print.yaml, reported at its line."""

    def __init__(self, reader: YamlReader, entries: Mapping[str, Entry],
                 contacts: Mapping[str, Contact]) -> None:
        self.reader = reader
        self.entries = entries
        self.contacts = contacts

    def card(self, node: yaml.Node | None) -> CardPlan | None:
        fields = self.reader.fields(node, CARD_FIELDS, "card") if node is not None else None
        if fields is None:
            return None
        title = self._title(fields.get("title"), "the card's title")
        entry = self.reader.identifier(fields.get("entry"), "the card's entry")
        if entry is not None:
            self._known_entries(fields["entry"], (entry,), "the card")
        contacts = self._phones(fields.get("contacts"), "the card")
        based_on = self.reader.id_list(fields.get("based_on"), "based_on")
        self._known_entries(fields.get("based_on"), based_on, "based_on")
        if title is None or entry is None:
            return None
        return CardPlan(title, entry, contacts, based_on)

    def flyer(self, node: yaml.Node | None, what: str) -> FlyerPlan | None:
        fields = self.reader.fields(node, FLYER_FIELDS, what) if node is not None else None
        if fields is None:
            return None
        title = self._title(fields.get("title"), "the flyer's title")
        entries = self._flyer_entries(fields.get("entries"), what)
        contacts = self._reachable(fields.get("contacts"), what)
        return FlyerPlan(title, entries, contacts) if title is not None else None

    def topic_flyers(self, node: yaml.Node | None, topic_ids: set[str]
                     ) -> dict[str, tuple[str, ...]]:
        flyers: dict[str, tuple[str, ...]] = {}
        for key, value in self.reader.mapping_items(node, "topics"):
            topic = key.value if isinstance(key, yaml.ScalarNode) else None
            if topic not in topic_ids:
                known = ", ".join(sorted(topic_ids))
                self.reader.error(key, f"topics lists '{topic}', which is not a topic",
                                  fix=f"use a topic id of this folder: {known}")
                continue
            flyers[topic] = self._flyer_entries(value, f"the {topic} flyer")
        return flyers

    # -- the parts ------------------------------------------------------------------------------
    def _title(self, node: yaml.Node | None, what: str) -> str | None:
        title = self.reader.text(node, what)
        if title is not None and len(title) > TITLE_LIMIT:
            self.reader.error(node, f"{what} has {len(title)} characters; at most {TITLE_LIMIT} "
                              "fit in big type, so shorten it")
        return title

    def _flyer_entries(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        ids = self.reader.id_list(node, f"the entries of {what}")
        self._known_entries(node, ids, what)
        if len(set(ids)) < len(ids):
            self.reader.error(node, f"{what} lists an entry twice")
        if len(ids) > FLYER_MAX_ENTRIES:
            self.reader.error(node, f"{what} lists {len(ids)} entries; a page holds at most "
                              f"{FLYER_MAX_ENTRIES} with a QR code each big enough to scan")
        elif node is not None and len(ids) < FLYER_MIN_ENTRIES:
            self.reader.warn(node, f"{what} lists {len(ids)} entries; with fewer than "
                             f"{FLYER_MIN_ENTRIES} the page is half empty")
        return ids

    def _known_entries(self, node: yaml.Node | None, ids: tuple[str, ...], what: str) -> None:
        for entry_id in ids:
            if entry_id not in self.entries:
                self.reader.error(node, f"{what} names entry '{entry_id}', which is not an entry "
                                  "of this language")

    def _reachable(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        ids = self.reader.id_list(node, f"the contacts of {what}")
        for contact_id in ids:
            contact = self.contacts.get(contact_id)
            if contact is None:
                self.reader.error(node, f"{what} lists contact '{contact_id}', which is not in "
                                  "contacts.yaml")
            elif not contact.reachable:
                self.reader.error(node, f"{what} lists contact '{contact_id}', which has no "
                                  "phone and no web address")
        return ids

    def _phones(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        """The card's contacts: a phone each (a web address cannot be called from a doorway)."""
        ids = self._reachable(node, what)
        for contact_id in ids:
            contact = self.contacts.get(contact_id)
            if contact is not None and contact.url and not contact.phones:
                self.reader.error(node, f"{what} lists contact '{contact_id}', which has no "
                                  "phone: the card is for calling")
        return ids


def check_print_plans(languages: Mapping[str, LanguageContent], problems: list[Problem]) -> None:
    """Across languages: print.yaml in every language or in none (a card must be printable in
    each); a topic without its own flyer list gets a note (its flyer shows its first entries)."""
    with_plan = sorted(lang for lang, c in languages.items() if c.print_plan is not None)
    if not with_plan:
        return
    for lang, content in languages.items():
        if content.print_plan is None:
            problems.append(Problem(
                lang, 0, f"{lang}/ has no {PRINT_FILE}, so its card and flyers cannot be printed",
                "warning", fix=f"copy {with_plan[0]}/{PRINT_FILE} here (same ids) and translate "
                "its titles"))
            continue
        for topic in content.topics:
            if topic.id not in content.print_plan.topic_flyers:
                shown = min(len(topic.entry_ids), FLYER_MAX_ENTRIES)
                problems.append(Problem(
                    f"{lang}/{PRINT_FILE}", 0, f"topic '{topic.id}' has no flyer list under "
                    f"topics: its flyer shows its first {shown} entries", "note"))
