"""Words that are common in a language, so a word among them is never "corrected" as a typo.

Typo correction replaces a word the FAQ never uses with the closest word it does use. Without
this list it also "corrects" real words: "words" became "works", "enero" (January) became
"entro", "causar" became "casar" (to marry), "avisaron" (they warned) became "acusaron" (they
accused). A real word the content does not know is better left alone: it then counts as a word
the FAQ does not explain, which is the truth.

The list comes from wordfreq (word frequencies from many sources, 40+ languages, folded here the
way messages are), so a language added as a content folder gets its list with no code change;
a language wordfreq lacks simply gets no guard. Reading wordfreq's lists costs start-up a
third of a second; the folded list is cached on disk (bot/fitting.py), keyed by wordfreq's
version, so only the first start after an upgrade reads them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bot.fitting import cached
from bot.matching import text
from bot.matching.text import fold

# Zipf 3 (once per million words) is wordfreq's "small" list: everyday words, while misspellings
# people actually send ("escula", "abogao", "imigracion", "guidence") are rarer than that.
MIN_FREQUENCY = 1e-6


@cache
def common_words(lang: str) -> frozenset[str]:
    """The folded common words of a language code ("es", "en"), or none if wordfreq lacks it."""
    code = lang.replace("_", "-").split("-")[0].lower()
    # Everything the list depends on: wordfreq's data and how words are folded.
    folding = hashlib.sha256(Path(text.__file__).read_bytes()).hexdigest()[:16]
    job = {"lang": code, "min": MIN_FREQUENCY, "wordfreq": version("wordfreq"), "fold": folding}
    return frozenset(cached("common-words", _read_common_words, job))


def _read_common_words(job: dict[str, Any]) -> list[str]:
    import wordfreq  # here, not at the top: a cached start never imports it

    code, minimum = job["lang"], job["min"]
    if code not in wordfreq.available_languages(wordlist="small"):
        return []
    frequencies = wordfreq.get_frequency_dict(code, wordlist="small")
    words = sorted({
        folded for word, frequency in frequencies.items()
        if frequency >= minimum and (folded := fold(word)) and " " not in folded
    })
    # wordfreq keeps every list it read in its own caches (6 MiB for English and Spanish); the
    # folded list above is all the bot needs, for as long as it runs.
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    return words
