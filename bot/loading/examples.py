"""examples.yaml (optional): messages people wrote, each under the entry that answers it.

The matcher's classifier learns from them beside the phrasings (bot/matching/classifier.py).
Phrasings are the ways organizers write a question; examples are how people really send it: long
stories, typos, slang, Spanglish. Keeping them apart lets them stay messy (they are never shown,
and `validate` does not weigh them against other entries as it does phrasings) and lets the
phrasings stay readable. Organizers add one when the bot missed a question.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import Entry
from bot.loading.problems import Problem
from bot.loading.yaml_file import line_of, read_optional

EXAMPLES_FILE = "examples.yaml"


def read_examples(
    folder: Path, root: Path, entries: dict[str, Entry], problems: list[Problem]
) -> tuple[dict[str, tuple[str, ...]], bool]:
    """entry id -> its example messages (empty if the file is absent), and whether the file
    could be read. An id that is not an entry of this folder is an error at its line: the
    messages under it would teach the matcher nothing, silently."""
    reader, node, readable = read_optional(folder / EXAMPLES_FILE, root, problems)
    if node is None:
        return {}, readable
    examples: dict[str, tuple[str, ...]] = {}
    found_in: dict[str, int] = {}  # folded message -> the line it was first written on
    for key, value in reader.mapping_items(node, EXAMPLES_FILE):
        entry_id = reader.identifier(key, "entry id")
        if entry_id is None:
            continue
        if entry_id not in entries:
            reader.error(key, f"'{entry_id}' is not an entry of this language",
                         fix="use an id from a topic file (look for 'id:'), spelled the same")
            continue
        if entry_id in examples:
            reader.error(key, f"'{entry_id}' is listed twice: keep one list of its examples")
            continue
        items = reader.text_items(value, f"the examples of '{entry_id}'")
        for text, item in items:
            folded = " ".join(text.lower().split())
            if folded in found_in:
                reader.error(item, f"'{text}' is already an example (line {found_in[folded]})",
                             fix="delete one of them: a message answers one entry")
            found_in.setdefault(folded, line_of(item))
        examples[entry_id] = tuple(text for text, _ in items)
    return examples, True
