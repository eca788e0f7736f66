"""urgency-examples.yaml (optional): messages written as it happens, and calm ones.

The bot learns from them which new messages need the right-now steps first (bot/urgency.py),
the way it learns entries from their phrasings. Organizers add a message here when the bot
missed one that was urgent, or alarmed someone who asked calmly.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import UrgencyExamples
from bot.loading.problems import Problem
from bot.loading.yaml_file import read_optional_fields

URGENCY_EXAMPLES_FILE = "urgency-examples.yaml"
URGENCY_EXAMPLES_FIELDS = {"happening": True, "calm": True}


def read_urgency_examples(
    folder: Path, root: Path, problems: list[Problem]
) -> tuple[UrgencyExamples, bool]:
    """The examples (none if the file is absent) and whether the file could be read."""
    reader, top, readable = read_optional_fields(
        folder / URGENCY_EXAMPLES_FILE, root, problems, URGENCY_EXAMPLES_FIELDS)
    if top is None:
        return UrgencyExamples(), readable
    happening = reader.text_list(top.get("happening"), "happening")
    calm = reader.text_list(top.get("calm"), "calm")
    calm_node = top.get("calm")
    for item in calm_node.value if isinstance(calm_node, yaml.SequenceNode) else ():
        if item.value in happening:
            reader.error(item, f"'{item.value}' is in happening too: keep it in one of them")
    return UrgencyExamples(happening, calm), True
