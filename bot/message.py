"""A message as the bot reads it, read once: the text kept, folded, split into words.

Why: urgency, the thank-you check, the unsupported-language check and the matcher each folded
and split the same text on their own (four passes over every message), and a long message cost
whatever its length made it cost. Here a message is read once into a `Message` that every step
takes, and what one message can cost is bounded in one place:

- the end of a long message is kept (`MAX_QUESTION_CHARS`): past that a "question" is a pasted
  document, and the question is usually at its end. The urgency phrases are looked for in all
  of it (a message written as it happens may start with it: "ICE is at my door, ...");
- the matcher and the learned urgency model, whose cost grows with every word they have not
  seen before (stems, typo corrections, n-grams), read its last `MAX_WORDS` words (`tail`).
  No test message comes near either bound (the longest has 65 words), so they change no
  decision, and a 4,096-character message of unknown words costs under 10 ms;
- the language it is written in is worked out once (by the matcher, which knows the
  vocabularies) and kept on the message for every later step (`language`).

Nothing here knows about Telegram or about the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from bot.matching.text import fold

# Telegram caps a message at 4096 characters; past this, a "question" is a pasted document.
# The question is usually at the end of a long story, so the end is what we keep.
MAX_QUESTION_CHARS = 2000
# The matcher reads at most this many words (about 600 characters of English, several
# sentences): each word it does not know costs a stem and fuzzy comparisons.
MAX_WORDS = 100
_TOKEN_START = re.compile(r"(?:^|(?<=\s))\S")
_REPEATS = re.compile(r"([a-z])\1{2,}")


def last_words(text: str, count: int = MAX_WORDS) -> str:
    """The text from the start of its `count`-th last word (the text otherwise as written)."""
    starts = [m.start() for m in _TOKEN_START.finditer(text)]
    return text[starts[-count]:] if len(starts) > count else text


@dataclass(frozen=True, eq=False)
class Message:
    """One message, read once. Build it with `Message.read(text)`."""

    text: str  # what the bot reads: the whole message, or the end of a long one
    folded: str  # lower case, accents and punctuation folded (bot.matching.text.fold)
    words: tuple[str, ...]  # the folded words
    _languages: dict[object, str] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, text: str | Message) -> Message:
        if isinstance(text, Message):
            return text
        kept = text[-MAX_QUESTION_CHARS:] if len(text) > MAX_QUESTION_CHARS else text
        folded = fold(kept)
        return cls(kept, folded, tuple(folded.split()))

    @cached_property
    def tail(self) -> Message:
        """What the matcher reads: the message itself, or its last MAX_WORDS words."""
        if len(self.words) <= MAX_WORDS and len(self.text.split()) <= MAX_WORDS:
            return self
        return Message.read(last_words(self.text))

    @cached_property
    def plain_words(self) -> tuple[str, ...]:
        """The words with emphasis undone ("ayudaaa" -> "ayuda"): what urgency and the
        thank-you check compare with their phrases."""
        return tuple(_REPEATS.sub(r"\1", word) for word in self.words)

    def language(self, hints: object, detect: Callable[[], str]) -> str:
        """The language it is written in (given the hints: Telegram's language, the user's
        choice), detected once per hints."""
        found = self._languages.get(hints)
        if found is None:
            found = self._languages[hints] = detect()
        return found
