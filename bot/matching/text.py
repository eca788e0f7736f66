"""Language-independent text folding: the first step for every message and every phrasing.

People type "ESCUELA", "escuéla" and "escuela!!" for the same word. Folding lowercases, removes
accents and punctuation, and drops emoji, so only letters and digits are compared.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Apostrophes join words rather than split them: "kid's" -> "kids", "don't" -> "dont".
_APOSTROPHES = re.compile(r"[\u0027\u2019\u02bc\u0060\u00b4]")
_SENTENCE_END = re.compile(r"(?<=[.!?¿¡\n])\s*")


def fold(text: str) -> str:
    """Lowercase, strip accents, remove punctuation and emoji.

    "ñ" becomes "n" too: people typing on English keyboards write "nino" for "niño".
    """
    text = _APOSTROPHES.sub("", text.casefold())
    if text.isascii():
        return " ".join(_NON_WORD.sub(" ", text).split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


def last_sentence(text: str) -> str | None:
    """The last sentence of a multi-sentence message, where people usually put their question."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if len(p.strip()) > 3]
    return parts[-1] if len(parts) > 1 else None
