"""vocabulary.yaml: concepts, texting shortcuts, stop words, urgent phrases and spellings."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import LanguageContent, Vocabulary
from bot.loading.problems import Problem
from bot.loading.yaml_file import YamlReader, read_optional_fields
from bot.matching.text import fold

VOCABULARY_FILE = "vocabulary.yaml"
VOCABULARY_FIELDS = {
    "concepts": False, "abbreviations": False, "stopwords": False, "urgent": False,
    "spellings": False, "right_now": False, "distress": False, "calm": False,
    "thanks": False,
}


def read_vocabulary(folder: Path, root: Path, problems: list[Problem]) -> tuple[Vocabulary, bool]:
    """The vocabulary (empty if the file is absent) and whether the file could be read."""
    reader, top, readable = read_optional_fields(
        folder / VOCABULARY_FILE, root, problems, VOCABULARY_FIELDS)
    if top is None:
        return Vocabulary(), readable
    abbreviations: dict[str, str] = {}
    for key_node, value_node in reader.mapping_items(top.get("abbreviations"), "abbreviations"):
        expansion = reader.text(value_node, f"the meaning of '{key_node.value}'")
        if expansion:
            abbreviations[str(key_node.value).casefold()] = expansion
    stopwords = reader.text_list(top.get("stopwords"), "stopwords")
    return Vocabulary(
        spellings=_read_spellings(reader, top.get("spellings")),
        concepts=_read_concepts(reader, top.get("concepts")),
        abbreviations=abbreviations,
        stopwords=frozenset(w.casefold() for w in stopwords),
        urgent=reader.text_list(top.get("urgent"), "urgent"),
        right_now=reader.text_list(top.get("right_now"), "right_now"),
        distress=reader.text_list(top.get("distress"), "distress"),
        calm=reader.text_list(top.get("calm"), "calm"),
        thanks=reader.text_list(top.get("thanks"), "thanks"),
    ), True


def _read_concepts(reader: YamlReader, node: yaml.Node | None) -> dict[str, tuple[str, ...]]:
    concepts: dict[str, tuple[str, ...]] = {}
    seen_terms: dict[str, str] = {}
    for key_node, value_node in reader.mapping_items(node, "concepts"):
        name = reader.identifier(key_node, "concept name")
        terms = reader.text_list(value_node, f"the words of concept '{key_node.value}'")
        if name is None:
            continue
        for term in terms:
            folded = fold(term)
            if len(folded) < 2:
                reader.error(value_node, f"'{term}' in concept '{name}' is only '{folded}' once "
                             "punctuation is removed: too short to match")
                continue
            if folded in seen_terms and seen_terms[folded] != name:
                reader.error(value_node, f"'{term}' is in concept '{name}' and also in "
                             f"'{seen_terms[folded]}': a word can mean only one thing")
            seen_terms[folded] = name
        concepts[name] = terms
    return concepts


def _read_spellings(reader: YamlReader, node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    """`spellings`: letters as people write them -> the letters they mean ("y: ll")."""
    rules: list[tuple[str, str]] = []
    for key_node, value_node in reader.mapping_items(node, "spellings"):
        written = fold(str(key_node.value))
        for meant in reader.text_list(value_node, f"what '{key_node.value}' stands for",
                                      allow_single=True):
            if not written or not fold(meant) or " " in written or " " in fold(meant):
                reader.error(value_node, f"spelling '{key_node.value}: {meant}' should be "
                             "letters on both sides, like 'y: ll'")
            else:
                rules.append((written, fold(meant)))
    return tuple(rules)


def note_silent_concepts(languages: dict[str, LanguageContent], problems: list[Problem]) -> None:
    """A concept whose name is also a stop word (in any language) is recognized but never counts.

    That is how 'now' is meant to work; for any other concept it is usually a slip, so say it.
    """
    stopwords = {fold(w) for c in languages.values() for w in c.vocabulary.stopwords}
    for lang, content in languages.items():
        for concept in content.vocabulary.concepts:
            if concept in stopwords:
                problems.append(Problem(
                    f"{lang}/{VOCABULARY_FILE}", 0,
                    f"concept '{concept}' is also a stop word: its words are recognized but do "
                    "not count towards any answer", "note",
                ))
