"""Reading YAML with positions: every value keeps the line it was written on.

Why a walk over PyYAML nodes instead of `yaml.safe_load`: nodes keep their line numbers, so every
problem can name the file and line an organizer has to fix. `YamlReader` is the typed access to
one file's nodes (text, lists, ids, dates, fields): each wrong shape becomes a `Problem` at its
line, and the rule modules never see a node of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.loading.problems import Place, Problem, Severity
from bot.loading.yaml_mistakes import (
    COLON_FIX,
    DASH_FIX,
    explain_syntax_error,
    is_unquoted_colon,
    merged_lines,
)

# No real content file comes near this (the largest is 65 kB); a file past it is a mistake (a
# pasted export, a log) or hostile, and reading it would hold /reload's lock for long.
MAX_FILE_BYTES = 2 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHORT_LABEL_LIMIT = 40  # phones cut button labels longer than this
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
# libyaml's parser when PyYAML was built with it (the wheels are): the same nodes and lines, ten
# times faster, which is most of the bot's start-up (0.6 s of pure-Python parsing -> 0.07 s).
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def relative_name(path: Path, root: Path) -> str:
    """The path as organizers see it: relative to the content folder, with '/'."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_optional_fields(
    path: Path, root: Path, problems: list[Problem], spec: dict[str, bool]
) -> tuple[YamlReader, dict[str, yaml.Node] | None, bool]:
    """An optional file of top-level fields (vocabulary.yaml, urgency-examples.yaml...): its
    reader, its fields (None when the file is absent or not fields), and whether it could be
    read at all (a file that does not parse hides its ids: they are unknown, not missing)."""
    reader, node, readable = read_optional(path, root, problems)
    if node is None:
        return reader, None, readable
    return reader, reader.fields(node, spec, path.name), True


def read_optional(
    path: Path, root: Path, problems: list[Problem]
) -> tuple[YamlReader, yaml.Node | None, bool]:
    """An optional file's reader, its root node (None when absent, empty or unreadable), and
    whether it could be read at all."""
    reader = YamlReader(path, root, problems)
    if not path.exists():
        return reader, None, True
    node = reader.parse()
    return reader, node, not reader.unreadable


def _pure_python_error(text: str, error: yaml.YAMLError) -> yaml.YAMLError:
    """The same file's error as the pure-Python parser words and places it:
    explain_syntax_error knows its messages (libyaml's say the same thing, differently). The
    pure-Python parser recurses: on a file nested too deep it fails with RecursionError, and
    libyaml's own error (it stops at 1,000 levels) is the one to report."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as pure:
        return pure
    except RecursionError:
        return error
    return error


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class YamlReader:
    """One YAML file of the content folder: its nodes, its lines, and the problems found in it."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]) -> None:
        self.path = path
        self.name = relative_name(path, root)
        self.problems = problems
        self.lines: list[str] = []
        self.unreadable = False  # did not parse: its ids are unknown, not missing

    # -- reading ---------------------------------------------------------------------------
    def parse(self) -> yaml.Node | None:
        """The file's root node, or None (with the problem recorded) if it cannot be read."""
        try:
            size = self.path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.unreadable = True
                self.problems.append(Problem(
                    self.name, 0, f"the file is {megabytes(size)}; a content file may be at most "
                    f"{megabytes(MAX_FILE_BYTES)}", root_cause=True,
                    fix="split it into several files (one topic per file), or check that it is "
                    "the file you meant to put here"))
                return None
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.unreadable = True
            self.problems.append(Problem(
                self.name, 0, "the file is not saved as UTF-8 text", root_cause=True,
                fix="save it again choosing the 'UTF-8' encoding in your editor"))
            return None
        except OSError as exc:
            self.unreadable = True
            self.problems.append(Problem(self.name, 0, f"cannot read the file ({exc.strerror})",
                                         root_cause=True))
            return None
        self.lines = text.splitlines()
        try:
            node = yaml.compose(text, Loader=FAST_LOADER)
        except yaml.YAMLError as error:
            self.unreadable = True
            explained = explain_syntax_error(_pure_python_error(text, error), text)
            self.problems.append(Problem(
                self.name, explained.line, f"the file cannot be read: {explained.message}",
                fix=explained.fix, root_cause=True))
            return None
        except RecursionError:  # the pure-Python parser, when PyYAML was built without libyaml
            self.unreadable = True
            self.problems.append(Problem(
                self.name, 0, "the file cannot be read: it is nested too deeply (lists or "
                "brackets inside one another, hundreds of levels)", root_cause=True))
            return None
        if node is None:
            self.problems.append(Problem(self.name, 1, "the file is empty"))
        return node

    # -- problems --------------------------------------------------------------------------
    def place(self, node: yaml.Node | None) -> Place:
        return Place(self.name, line_of(node))

    def error(self, node: yaml.Node | None, message: str, severity: Severity = "error",
              fix: str = "") -> None:
        self.problems.append(Problem(self.name, line_of(node), message, severity, fix))

    def warn(self, node: yaml.Node | None, message: str, fix: str = "") -> None:
        self.error(node, message, "warning", fix)

    # -- shapes ----------------------------------------------------------------------------
    def fields(
        self, node: yaml.Node, spec: dict[str, bool], what: str
    ) -> dict[str, yaml.Node] | None:
        """Check a mapping: known keys only, required keys present. Returns key -> value node."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} should be a set of 'name: value' fields")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in spec:
                known = ", ".join(spec)
                self.error(key_node, f"unknown field '{key}' in {what} (known fields: {known})",
                           fix="check the spelling of the field name")
                continue
            if key in found:
                self.error(key_node, f"field '{key}' appears twice in {what}")
            found[key] = value_node
        for key, required in spec.items():
            if required and key not in found:
                self.error(node, f"{what} is missing the required field '{key}'")
        return found

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        if node is None:
            return None
        if is_unquoted_colon(node):
            self.error(node, f"{what} should be text, but YAML read it as 'name: value' "
                       "because of a colon followed by a space", fix=COLON_FIX)
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
            self.error(node, f"{what} should be text")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, f"{what} is empty")
            return None
        return value

    def one_line_text(self, node: yaml.Node | None, what: str) -> str | None:
        """Text that belongs on one line (a phrasing): a second line is a lost '- '."""
        value = self.text(node, what)
        if value is not None and isinstance(node, yaml.ScalarNode):
            joined = merged_lines(node, self.lines)
            if joined is not None:
                self.error(node, f"{what} runs on to line {joined}, so the two lines are read "
                           "as one text", fix=DASH_FIX.format(line=joined))
        return value

    def text_list(self, node: yaml.Node | None, what: str, allow_single: bool = False,
                  one_line: bool = False) -> tuple[str, ...]:
        return tuple(value for value, _ in self.text_items(node, what, allow_single, one_line))

    def text_items(self, node: yaml.Node | None, what: str, allow_single: bool = False,
                   one_line: bool = False) -> list[tuple[str, yaml.Node]]:
        """The list's texts with their nodes (for their lines)."""
        if node is None:
            return []
        if allow_single and isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return [(value, node)] if value else []
        if not isinstance(node, yaml.SequenceNode):
            joined = merged_lines(node, self.lines) if isinstance(node, yaml.ScalarNode) else None
            fix = "start each item on its own line with '- '" if joined is None else \
                DASH_FIX.format(line=line_of(node))
            self.error(node, f"{what} should be a list (lines starting with '- ')", fix=fix)
            return []
        read = self.one_line_text if one_line else self.text
        items = [(read(item, f"an item of {what}"), item) for item in node.value]
        return [(value, item) for value, item in items if value]

    def short_label(self, node: yaml.Node | None, what: str) -> str | None:
        """Text shown on a button: at most SHORT_LABEL_LIMIT characters, or phones cut it."""
        value = self.text(node, what)
        if value is not None and len(value) > SHORT_LABEL_LIMIT:
            self.error(node, f"{what} has {len(value)} characters; buttons show at most "
                       f"{SHORT_LABEL_LIMIT}, so shorten it")
        return value

    def identifier(self, node: yaml.Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.error(node, f"{what} '{value}' should use only lowercase letters, digits and "
                       "dashes")
            return None
        return value

    def id_list(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        ids = self.text_list(node, what)
        for value in ids:
            if not ID_PATTERN.match(value):
                self.error(node, f"'{value}' in {what} is not a valid id")
        return ids

    def boolean(self, node: yaml.Node | None, what: str) -> bool:
        if node is None:
            return False
        if node.tag != BOOL_TAG:
            self.error(node, f"{what} should be true or false")
            return False
        return str(node.value).lower() in {"true", "yes", "on"}

    def day(self, node: yaml.Node | None, what: str) -> date | None:
        if node is None:
            return None
        try:
            value = date.fromisoformat(str(node.value))
        except (TypeError, ValueError):
            self.error(node, f"{what} should be a date written like 2026-11-29")
            return None
        if value > date.today():
            self.error(node, f"{what} ({value}) is in the future")
        return value

    def mapping_items(self, node: yaml.Node | None, what: str
                      ) -> Iterator[tuple[Any, yaml.Node]]:
        if node is None:
            return
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} should be a set of 'name: value' lines")
            return
        yield from node.value
