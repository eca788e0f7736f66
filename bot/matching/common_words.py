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


# A word is one language's own when it is this many times as frequent there as in any other
# language the bot reads (10: one step on wordfreq's Zipf scale). "posso" (Portuguese only),
# "nao" (Portuguese 6.5, Spanish 3.0 once folded) and "usted" are; "casa", "ir", "de" are not.
DISTINCTIVE_RATIO = 10.0
# Half a step: a word that leans towards one language ("o" is Portuguese's article and Spanish's
# "or", 9 times as frequent in Portuguese); only breaks a tie between languages (language.py).
LEANING_RATIO = 3.0


def distinctive_words(lang: str, others: tuple[str, ...], ratio: float = DISTINCTIVE_RATIO
                      ) -> list[str]:
    """The folded common words of `lang` that are `ratio` times as frequent in it as in each
    of `others` (folded forms' frequencies summed), for telling neighbouring languages apart;
    cached on disk like the common words."""
    def code(value: str) -> str:
        return value.replace("_", "-").split("-")[0].lower()

    folding = hashlib.sha256(Path(text.__file__).read_bytes()).hexdigest()[:16]
    job = {"lang": code(lang), "others": sorted({code(o) for o in others} - {code(lang)}),
           "min": MIN_FREQUENCY, "ratio": ratio, "wordfreq": version("wordfreq"),
           "fold": folding}
    return cached("distinctive-words", _read_distinctive_words, job)


def _folded_frequencies(code: str) -> dict[str, float]:
    import wordfreq

    if code not in wordfreq.available_languages(wordlist="small"):
        return {}
    folded: dict[str, float] = {}
    for word, frequency in wordfreq.get_frequency_dict(code, wordlist="small").items():
        if (key := fold(word)) and " " not in key:
            folded[key] = folded.get(key, 0.0) + frequency
    return folded


def _read_distinctive_words(job: dict[str, Any]) -> list[str]:
    import wordfreq

    own = _folded_frequencies(job["lang"])
    others = [_folded_frequencies(code) for code in job["others"]]
    ratio = job["ratio"]
    words = sorted(
        word for word, frequency in own.items()
        if frequency >= job["min"] and all(frequency >= ratio * o.get(word, 0.0) for o in others)
    )
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    return words
