"""Topic files and their entries: the fields an entry needs and the rules its text follows.

A topic file is one `topic:` with its `entries:`; every other *.yaml of a language folder that is
not contacts, vocabulary, out-of-scope or right-now is a topic file.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.knowledge import Entry, Source, Topic
from bot.loading.places import Places
from bot.loading.problems import Problem
from bot.loading.yaml_file import YamlReader, line_of

TOPIC_FIELDS = {"topic": True, "title": True, "entries": True, "order": False}
ENTRY_FIELDS = {
    "id": True, "question": True, "short_title": True, "phrasings": True, "answer": True,
    "contacts": True, "sources": True, "reviewed": True, "keywords": False, "related": False,
    "urgent": False, "review_notes": False,
}
SOURCE_FIELDS = {"title": True, "url": False}
# The matcher learns an entry from its phrasings; with fewer, people's own wording misses it.
MIN_PHRASINGS = 8
TELEGRAM_MESSAGE_LIMIT = 4096
# Room kept for the title, contact labels, "reviewed on" line and buttons' text around an answer.
REPLY_FRAME_ALLOWANCE = 400
LONG_ANSWER = 1500
URL_PATTERN = r"^https?://\S+$"


class TopicReader:
    """Reads the topic files of one language folder into topics and entries."""

    def __init__(self, root: Path, problems: list[Problem], places: Places) -> None:
        self.root = root
        self.problems = problems
        self.places = places
        self.topics: list[Topic] = []
        self.entries: dict[str, Entry] = {}
        self.unreadable = False

    def read(self, paths: list[Path]) -> None:
        for path in paths:
            reader = YamlReader(path, self.root, self.problems)
            node = reader.parse()
            self.unreadable |= reader.unreadable
            topic = self.read_topic(reader, node) if node is not None else None
            if topic is None:
                continue
            if topic.id in self.places.topics:
                reader.error(None, f"topic id '{topic.id}' is already used by "
                             f"{self.places.topics[topic.id].file}")
                continue
            self.places.topics[topic.id] = reader.place(node)
            self.topics.append(topic)
        self.topics.sort(key=lambda t: (t.order, t.id))

    def read_topic(self, reader: YamlReader, root: yaml.Node) -> Topic | None:
        top = reader.fields(root, TOPIC_FIELDS, "the topic file")
        if top is None:
            return None
        topic_id = reader.identifier(top.get("topic"), "topic")
        title = reader.short_label(top.get("title"), "the topic title")
        order = 100
        if "order" in top:
            try:
                order = int(top["order"].value)
            except (TypeError, ValueError):
                reader.error(top["order"], "order should be a whole number")
        entries_node = top.get("entries")
        if entries_node is not None and not isinstance(entries_node, yaml.SequenceNode):
            reader.error(entries_node, "entries should be a list of entries (each starting "
                         "'- id:')")
            return None
        ids: list[str] = []
        for node in entries_node.value if entries_node is not None else []:
            entry = self.read_entry(reader, node, topic_id or "")
            if entry is None:
                continue
            self.entries[entry.id] = entry
            ids.append(entry.id)
        if topic_id is None or title is None:
            return None
        return Topic(id=topic_id, title=title, entry_ids=tuple(ids), order=order)

    def read_entry(self, reader: YamlReader, node: yaml.Node, topic_id: str) -> Entry | None:
        f = reader.fields(node, ENTRY_FIELDS, "an entry")
        if f is None:
            return None
        entry_id = reader.identifier(f.get("id"), "entry id")
        where = f"entry '{entry_id}'" if entry_id else "this entry"
        question = reader.text(f.get("question"), f"the question of {where}")
        short_title = (
            reader.short_label(f.get("short_title"), f"the short title of {where}")
            if "short_title" in f else None
        )
        answer = reader.text(f.get("answer"), f"the answer of {where}")
        phrasing_items = reader.text_items(f.get("phrasings"), f"phrasings of {where}",
                                           one_line=True)
        phrasings = tuple(text for text, _ in phrasing_items)
        if "phrasings" in f:
            self.check_phrasings(reader, f["phrasings"], phrasing_items, where)
        sources = self.read_sources(reader, f.get("sources"), where)
        reviewed = reader.day(f.get("reviewed"), f"the reviewed date of {where}")
        urgent = reader.boolean(f.get("urgent"), "urgent") if "urgent" in f else False
        if answer is not None:
            self.check_answer_length(reader, f["answer"], answer, question, where)
        note_items = reader.text_items(f.get("review_notes"), "review_notes")
        for note, note_node in note_items:
            reader.error(note_node, f"{where}: {note}", "note")
        notes = tuple(note for note, _ in note_items)
        if not (entry_id and question and answer and phrasings):
            return None
        if entry_id in self.entries:
            reader.error(node, f"entry id '{entry_id}' is already used at "
                         f"{self.places.entries[entry_id]}")
            return None
        self.places.entries[entry_id] = reader.place(node)
        for name, value_node in f.items():
            self.places.entry_fields[(entry_id, name)] = reader.place(value_node)
        for text, item in phrasing_items:
            self.places.phrasings.setdefault((entry_id, text), reader.place(item))
        for note, note_node in note_items:
            self.places.review_notes.setdefault(("entry", entry_id, note), reader.place(note_node))
        return Entry(
            id=entry_id, topic=topic_id, question=question, answer=answer, phrasings=phrasings,
            keywords=reader.text_list(f.get("keywords"), "keywords"),
            contacts=reader.id_list(f.get("contacts"), "contacts"),
            related=reader.id_list(f.get("related"), "related"),
            sources=sources, reviewed=reviewed, urgent=urgent, short_title=short_title,
            review_notes=notes,
        )

    @staticmethod
    def check_phrasings(reader: YamlReader, node: yaml.Node,
                        items: list[tuple[str, yaml.Node]], where: str) -> None:
        seen: dict[str, int] = {}
        for text, item in items:
            key = text.casefold()
            if key in seen:
                reader.warn(item, f"this phrasing of {where} is already on line {seen[key]}",
                            fix="delete one of the two")
            seen.setdefault(key, line_of(item))
        if isinstance(node, yaml.SequenceNode) and len(seen) < MIN_PHRASINGS:
            reader.error(node, f"{where} has {len(seen)} different phrasing(s); it needs at "
                         f"least {MIN_PHRASINGS}", fix="add the ways people really ask it, one "
                         "per line starting with '- ' (short ones, long ones, with typos)")

    @staticmethod
    def check_answer_length(reader: YamlReader, node: yaml.Node, answer: str,
                            question: str | None, where: str) -> None:
        if len(answer) + len(question or "") + REPLY_FRAME_ALLOWANCE > TELEGRAM_MESSAGE_LIMIT:
            reader.error(node, f"the answer of {where} is too long for one Telegram message "
                         f"({len(answer)} characters)")
        elif len(answer) > LONG_ANSWER:
            reader.warn(node, f"the answer of {where} has {len(answer)} characters; on a phone, "
                        "under 900 reads best")

    @staticmethod
    def read_sources(reader: YamlReader, node: yaml.Node | None, where: str
                     ) -> tuple[Source, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            reader.error(node, f"sources of {where} should be a list of '- title: ...' items")
            return ()
        sources = []
        for item in node.value:
            f = reader.fields(item, SOURCE_FIELDS, f"a source of {where}")
            if f is None:
                continue
            title = reader.text(f.get("title"), "source title")
            url = reader.text(f.get("url"), "source url") if "url" in f else None
            if url is not None and not _is_url(url):
                reader.error(f["url"], f"source url '{url}' should start with http:// or "
                             "https://")
            if title:
                sources.append(Source(title=title, url=url))
        return tuple(sources)


def _is_url(text: str) -> bool:
    return re.match(URL_PATTERN, text) is not None


def check_related(entries: dict[str, Entry], places: Places, problems: list[Problem]) -> None:
    """Related entries ("see also" buttons) exist and are not the entry itself."""
    for entry_id, entry in entries.items():
        place = places.entry_field(entry_id, "related")
        for related in entry.related:
            if related not in entries:
                problems.append(Problem(*place, f"entry '{entry_id}' lists related entry "
                                        f"'{related}', which does not exist"))
            elif related == entry_id:
                problems.append(Problem(*place, f"entry '{entry_id}' lists itself as related"))
