"""Is a message written in a language the bot does not read at all?

Connecticut's immigrant families also write in Portuguese, Haitian Creole, French, Polish,
Arabic, Chinese or Vietnamese. Matching such a message against English or Spanish content gives a
confusing "did you mean" at best; a short reply in every language the bot reads, naming them, is
what helps (a relative who reads one of them can step in).

Two signals, both conservative, because answering a real English or Spanish question with "I do
not read your language" would be worse than a weak match:
- letters, but none of them Latin ("¿" and emoji are not letters): Arabic, Chinese, Cyrillic...;
- at least three words, most of them everyday words (per wordfreq) of one of the languages below,
  and clearly more of them than of any language the bot reads. Typos in Spanish or English are
  everyday words of no other language, so they do not trip it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bot.matching.common_words import common_words
from bot.message import Message

# Languages spoken in Connecticut's immigrant communities that wordfreq knows (Haitian Creole
# it does not). Loaded only when a message is mostly unknown in the bot's own languages, so most
# processes never load them (about 0.2 s and a few MiB each, once).
OTHER_LANGUAGES = ("pt", "fr", "pl", "vi")
MIN_WORDS = 3
OTHER_LANGUAGE_SHARE = 0.7  # this share of everyday words of one other language...
MARGIN = 0.25  # ...and this much more than in any of the bot's languages: it is that language
MIN_LATIN_SHARE = 0.5  # fewer Latin letters than this: Arabic, Chinese, Cyrillic...


class UnsupportedLanguageDetector:
    """Built once with the bot's languages; `is_unsupported(text)` is pure."""

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(languages)
        self.others = tuple(c for c in OTHER_LANGUAGES if c not in self.languages)

    def is_unsupported(self, text: str | Message) -> bool:
        message = Message.read(text)
        letters = [ch for ch in message.text if ch.isalpha()]
        if not letters:
            return False  # emoji, digits, punctuation: nothing to read in any language
        latin = sum(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in letters)
        if latin / len(letters) < MIN_LATIN_SHARE:
            return True
        words = [w for w in message.words if w.isalpha() and len(w) > 1]
        if len(words) < MIN_WORDS:
            return False
        ours = max(_share(words, code) for code in self.languages)
        if ours + MARGIN > 1:
            return False
        return any(
            (share := _share(words, code)) >= OTHER_LANGUAGE_SHARE and share >= ours + MARGIN
            for code in self.others
        )


def _share(words: list[str], lang: str) -> float:
    """The share of the words that are everyday words of a language."""
    common = common_words(lang)
    return sum(w in common for w in words) / len(words)
