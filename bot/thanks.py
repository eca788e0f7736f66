"""Is a message only a thank-you? Then it gets a one-line "you're welcome", not a prompt to ask.

"thanks", "muchas gracias 🙏", "ok thank you so much for the info" close a conversation; answering
them with "write your question in your own words" reads as if the bot did not listen. The words
live in each language's vocabulary.yaml (`thanks`). A message is a thank-you when it holds one of
those phrases and every other word is a word of those phrases or a stop word: "gracias, ¿y si me
detienen?" is a question, and goes to the matcher.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.knowledge import Vocabulary
from bot.matching.text import fold
from bot.message import Message
from bot.urgency import PhraseList, exact_word


class ThanksDetector:
    """Built once from every language's vocabulary; `is_thanks(text)` is pure."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        every = list(vocabularies.values())
        self.phrases = PhraseList.of(p for v in every for p in v.thanks)
        self.allowed = frozenset(w for p in self.phrases.phrases for w in p) | {
            fold(w) for v in every for w in v.stopwords
        }

    def is_thanks(self, text: str | Message) -> bool:
        words = Message.read(text).plain_words
        return (
            bool(words)
            and all(w in self.allowed for w in words)
            and self.phrases.found_in(words, exact_word)
        )
