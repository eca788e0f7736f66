"""The usual YAML slips of people who do not write YAML every day, explained in their words.

PyYAML says "mapping values are not allowed here" or "expected <block end>, but found '-'"; an
organizer needs "put the text in quotes" and the line to change. Each function here turns one
kind of slip into a message and a one-line fix. Everything is judged from the file's own lines,
so the hints never guess at what the content means.
"""

from __future__ import annotations

from typing import NamedTuple

import yaml


class Explained(NamedTuple):
    line: int  # 1-based
    message: str
    fix: str


TAB_FIX = "replace the tab with spaces (YAML allows only spaces at the start of a line)"
COLON_FIX = ("a colon followed by a space starts a 'name: value' pair; put the whole text in "
             "double quotes, like: question: \"Note: ...\"")
INDENT_FIX = ("lines of one list start in the same column, and fields of one entry line up "
              "under each other; move line {line} to line up with the lines around it")
BRACKET_FIX = ("close it on the same line; if the text itself has [ ] { } or quotes, put the "
               "whole text in double quotes and write a quote inside it as \\\"")
DASH_FIX = "if line {line} is a new item of the list, start it with '- ' like the items above"
DASH_SPACE_FIX = "put a space after the dash, like the items above: '- {text}'"


def explain_syntax_error(error: yaml.YAMLError, text: str) -> Explained:
    """The line to look at, a plain message and a fix for a file that does not parse."""
    lines = text.splitlines()
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    tab = _first_tab_in_indentation(lines)
    if tab is not None or "'\\t'" in problem:
        where = tab or line
        return Explained(where, f"line {where} starts with a tab", TAB_FIX)
    context = getattr(error, "context", None) or ""
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context.startswith(("while parsing a flow",
                                                        "while scanning a quoted")):
        opened = context_mark.line + 1
        what = "a quote" if "quoted" in context else "a bracket ([ or {)"
        return Explained(opened, f"line {opened} opens {what} that is not closed "
                         f"(YAML noticed on line {line})", BRACKET_FIX)
    block_problem = any(words in problem for words in (
        "expected <block end>", "mapping values are not allowed", "expected ':'"))
    glued = _dash_without_space(lines, line) if block_problem else None
    if glued is not None:
        text = lines[glued - 1].lstrip()[1:]
        return Explained(glued, f"line {glued} starts with '-' but no space after it, so YAML "
                         "does not read it as a new item of the list",
                         DASH_SPACE_FIX.format(text=_shortened(text)))
    odd = _oddly_indented(lines, line) if block_problem else None
    if odd is not None:
        return Explained(odd, f"line {odd} is not lined up with the lines around it",
                         INDENT_FIX.format(line=odd))
    if "mapping values are not allowed" in problem:
        return Explained(line, f"line {line} has a second ': ' in its text, so YAML cannot "
                         "tell the name from the value", COLON_FIX)
    if "expected <block end>" in problem or "expected ':'" in problem:
        return Explained(line, f"YAML could not read line {line} ({problem})",
                         INDENT_FIX.format(line=line))
    context = getattr(error, "context_mark", None)
    started = ""
    if context is not None and context.line + 1 != line:
        started = f"; it started on line {context.line + 1}"
    return Explained(line, f"YAML could not read line {line} ({problem}){started}",
                     "check the quotes, brackets and indentation of this line and the one above")


def _first_tab_in_indentation(lines: list[str]) -> int | None:
    for number, line in enumerate(lines, start=1):
        indentation = line[: len(line) - len(line.lstrip(" \t-"))]
        if "\t" in indentation:
            return number
    return None


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _dash_without_space(lines: list[str], line: int) -> int | None:
    """A list item written `-text` (no space) at or just before where the parser stopped."""
    for number in range(line, max(1, line - 3) - 1, -1):
        text = lines[number - 1].lstrip(" ") if number <= len(lines) else ""
        if text.startswith("-") and len(text) > 1 and not text[1].isspace() \
                and not text.startswith("---") and not text[1].isdigit():
            return number
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _oddly_indented(lines: list[str], line: int) -> int | None:
    """A line at or just before where the parser stopped that is indented by an odd number of
    spaces: the content indents in steps of two, so that line took or lost a stray space."""
    for number in range(max(1, line - 3), min(line, len(lines)) + 1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#") and _indent(text) % 2:
            return number
    return None


def merged_lines(node: yaml.ScalarNode, lines: list[str]) -> int | None:
    """The first continuation line of an unquoted text that spans lines, if the text is one
    that should fit on one line (a phrasing): a list item that lost its '- ' is read as the end
    of the item above it, silently. Returns that line (1-based) or None."""
    if not is_plain(node) or node.start_mark.line == node.end_mark.line:
        return None
    last = node.end_mark.line if node.end_mark.column else node.end_mark.line - 1
    for index in range(node.start_mark.line + 1, min(last, len(lines) - 1) + 1):
        if lines[index].strip():
            return index + 1
    return None


def is_unquoted_colon(node: yaml.Node) -> bool:
    """A list item written `- what if: they come` is read as a one-pair mapping, not text."""
    return (
        isinstance(node, yaml.MappingNode) and len(node.value) == 1
        and isinstance(node.value[0][0], yaml.ScalarNode) and is_plain(node.value[0][0])
    )


def is_plain(node: yaml.ScalarNode) -> bool:
    """Written without quotes or a block marker. PyYAML's pure-Python composer says so with
    style None, libyaml's with '': both mean plain."""
    return not node.style
