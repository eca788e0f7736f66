"""One language folder (content/en/, content/es/...) read into a `LanguageContent`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import LanguageContent
from bot.loading.contacts import (
    CONTACTS_FILE,
    RIGHT_NOW_FILE,
    check_contacts_listed,
    read_contacts,
    read_right_now,
)
from bot.loading.entries import TopicReader, check_related
from bot.loading.examples import EXAMPLES_FILE, read_examples
from bot.loading.out_of_scope import OUT_OF_SCOPE_FILE, read_out_of_scope
from bot.loading.places import Places
from bot.loading.print_plan import PRINT_FILE, read_print_plan
from bot.loading.problems import Problem
from bot.loading.urgency_examples import URGENCY_EXAMPLES_FILE, read_urgency_examples
from bot.loading.vocabulary import VOCABULARY_FILE, read_vocabulary

NOT_TOPIC_FILES = {
    CONTACTS_FILE, VOCABULARY_FILE, OUT_OF_SCOPE_FILE, RIGHT_NOW_FILE, URGENCY_EXAMPLES_FILE,
    EXAMPLES_FILE, PRINT_FILE,
}


@dataclass
class LanguageRead:
    lang: str
    content: LanguageContent | None  # None if the folder could not be read into content
    places: Places
    unreadable: bool  # a file did not parse: its ids are unknown, not missing


def topic_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_TOPIC_FILES)


def read_language(folder: Path, root: Path, problems: list[Problem]) -> LanguageRead:
    lang = folder.name
    places = Places(lang)
    contacts = read_contacts(folder, root, problems, places)
    right_now, right_now_read = read_right_now(folder, root, problems, places)
    vocabulary, vocabulary_read = read_vocabulary(folder, root, problems)
    urgency_examples, urgency_read = read_urgency_examples(folder, root, problems)
    topics = TopicReader(root, problems, places)
    paths = topic_files(folder)
    if not paths:
        problems.append(Problem(lang, 0, "no topic files (*.yaml) in this language folder"))
    topics.read(paths)
    out_of_scope, out_of_scope_read = read_out_of_scope(
        folder, root, topics.entries, problems, places)
    examples, examples_file_read = read_examples(folder, root, topics.entries, problems)
    print_plan, print_read = read_print_plan(folder, root, problems, topics.entries,
                                             tuple(topics.topics), contacts.contacts)
    unreadable = (contacts.unreadable or topics.unreadable or not right_now_read
                  or not vocabulary_read or not out_of_scope_read or not urgency_read
                  or not examples_file_read or not print_read)
    check_related(topics.entries, places, problems)
    if contacts.contacts is None:
        return LanguageRead(lang, None, places, unreadable)
    listed = list(contacts.lists)
    listed += [(places.entry_field(e.id, "contacts"), f"entry '{e.id}'", e.contacts)
               for e in topics.entries.values()]
    if right_now is not None:
        listed.append((places.files[RIGHT_NOW_FILE], RIGHT_NOW_FILE, right_now.contacts))
    check_contacts_listed(contacts.contacts, listed, places, problems)
    content = LanguageContent(
        lang=lang, topics=tuple(topics.topics), entries=topics.entries,
        contacts=contacts.contacts, general_contacts=contacts.general,
        urgent_contacts=contacts.urgent, vocabulary=vocabulary, out_of_scope=out_of_scope,
        needs=contacts.needs, right_now=right_now, urgency_examples=urgency_examples,
        examples=examples, print_plan=print_plan,
    )
    return LanguageRead(lang, content, places, unreadable)
