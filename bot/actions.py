"""What a button does, encoded in one place.

A button carries its action as a short string (Telegram allows 64 bytes of callback data, and the
Telegram adapter adds the message's language in front). Every adapter hands the string back to
`Assistant.act`, which decodes it here; nothing else parses actions.

  code           kind          ref           example
  e:<id>[:<l>]   entry         entry id      "e:ice-at-home", "e:ice-at-home:es" (in Spanish)
  d:<id>         suggestion    entry id      a "did you mean" choice: opens the entry, and the
                                             tap is counted (which offered entry people meant)
  t:<id>         topic         topic id      "t:schools"
  T              topics        -             the list of topics
  l:<lang>       language      language      choose a language
  L              language-menu -             the language menu
  c              contacts      -             the contacts menu (by need)
  n:<id>         need          need id       the contacts for one need ("n:legal-help")
  m:<id>         more-help     entry id      an entry's full contact cards
  s:<id>         sources       entry id      an entry's sources and review date
  o:<id>         languages     entry id      the same entry in each other language (a menu)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActionKind = Literal[
    "entry", "suggestion", "topic", "topics", "language", "language-menu", "contacts", "need",
    "more-help", "sources", "languages",
]

_CODES: dict[ActionKind, str] = {
    "entry": "e", "suggestion": "d", "topic": "t", "topics": "T", "language": "l",
    "language-menu": "L", "contacts": "c", "need": "n", "more-help": "m", "sources": "s",
    "languages": "o",
}
_KINDS: dict[str, ActionKind] = {code: kind for kind, code in _CODES.items()}
# Kinds that name something (an entry, a topic...) and kinds that stand alone.
_WITH_REF: frozenset[ActionKind] = frozenset(
    {"entry", "suggestion", "topic", "language", "need", "more-help", "sources", "languages"}
)


@dataclass(frozen=True)
class Action:
    """A decoded button action: its kind, what it refers to, and (entries only) a language."""

    kind: ActionKind
    ref: str = ""
    lang: str = ""

    def encode(self) -> str:
        parts = [_CODES[self.kind]]
        if self.ref:
            parts.append(self.ref)
        if self.lang:
            parts.append(self.lang)
        return ":".join(parts)

    @classmethod
    def decode(cls, data: str) -> Action | None:
        """The action a string encodes, or None for anything malformed or unknown (a stale or
        forged button must never reach the content)."""
        code, *rest = data.split(":")
        kind = _KINDS.get(code)
        if kind is None:
            return None
        if kind not in _WITH_REF:
            return cls(kind) if not rest else None
        if kind == "entry" and len(rest) == 2 and all(rest):
            return cls(kind, rest[0], rest[1])
        if len(rest) == 1 and rest[0]:
            return cls(kind, rest[0])
        return None


def entry(entry_id: str, lang: str = "") -> str:
    return Action("entry", entry_id, lang).encode()


def suggestion(entry_id: str) -> str:
    return Action("suggestion", entry_id).encode()


def topic(topic_id: str) -> str:
    return Action("topic", topic_id).encode()


def language(code: str) -> str:
    return Action("language", code).encode()


def need(need_id: str) -> str:
    return Action("need", need_id).encode()


def more_help(entry_id: str) -> str:
    return Action("more-help", entry_id).encode()


def sources(entry_id: str) -> str:
    return Action("sources", entry_id).encode()


def languages(entry_id: str) -> str:
    return Action("languages", entry_id).encode()


TOPICS = Action("topics").encode()
LANGUAGE_MENU = Action("language-menu").encode()
CONTACTS = Action("contacts").encode()
