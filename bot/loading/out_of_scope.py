"""out-of-scope.yaml: questions people ask that the FAQ does not answer, learned like entries."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import Entry
from bot.loading.places import Places
from bot.loading.problems import Problem
from bot.loading.yaml_file import read_optional
from bot.matching.text import fold

OUT_OF_SCOPE_FILE = "out-of-scope.yaml"
OUT_OF_SCOPE_FIELDS = {"out_of_scope": True}
OUT_OF_SCOPE_ITEM_FIELDS = {"id": True, "phrasings": True}


def read_out_of_scope(
    folder: Path, root: Path, entries: dict[str, Entry], problems: list[Problem], places: Places
) -> tuple[dict[str, tuple[str, ...]], bool]:
    """The topics (id -> phrasings; empty if the file is absent) and whether the file was read.

    A phrasing may not also be an entry's: the same words cannot be both answered and not."""
    reader, node, readable = read_optional(folder / OUT_OF_SCOPE_FILE, root, problems)
    if node is None:
        return {}, readable
    top = reader.fields(node, OUT_OF_SCOPE_FIELDS, OUT_OF_SCOPE_FILE)
    items = top.get("out_of_scope") if top is not None else None
    if items is None:
        return {}, True
    if not isinstance(items, yaml.SequenceNode):
        reader.error(items, "out_of_scope should be a list of '- id: ...' items")
        return {}, True
    answered = {fold(text): (entry.id, text) for entry in entries.values()
                for text in entry.match_texts}
    topics: dict[str, tuple[str, ...]] = {}
    for item in items.value:
        f = reader.fields(item, OUT_OF_SCOPE_ITEM_FIELDS, "an out-of-scope topic")
        if f is None:
            continue
        topic_id = reader.identifier(f.get("id"), "out-of-scope id")
        where = f"out-of-scope topic '{topic_id}'" if topic_id else "this out-of-scope topic"
        phrasing_items = reader.text_items(f.get("phrasings"), f"phrasings of {where}",
                                           one_line=True)
        if f.get("phrasings") is not None and not phrasing_items:
            reader.error(f["phrasings"], f"{where} needs at least one phrasing")
        for text, phrasing_node in phrasing_items:
            entry_id, entry_text = answered.get(fold(text), (None, ""))
            if entry_id is not None:
                entry_place = places.phrasing(entry_id, entry_text)
                reader.error(phrasing_node, f"'{text}' is also a phrasing of entry '{entry_id}' "
                             f"({entry_place}): a question the FAQ answers cannot be out of "
                             "scope", fix="delete it here, or there if the entry does not "
                             "answer it")
        if topic_id is None or not phrasing_items:
            continue
        if topic_id in topics or topic_id in entries:
            what = "another out-of-scope topic" if topic_id in topics else "an entry"
            reader.error(f.get("id"), f"out-of-scope id '{topic_id}' is already used by {what}")
            continue
        topics[topic_id] = tuple(text for text, _ in phrasing_items)
        places.out_of_scope[topic_id] = reader.place(item)
        for text, phrasing_node in phrasing_items:
            places.phrasings.setdefault((topic_id, text), reader.place(phrasing_node))
    return topics, True
