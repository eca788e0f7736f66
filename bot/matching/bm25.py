"""BM25 over documents of terms: one document per entry (all its phrasings joined).

Written here rather than taken from a library: it is twenty lines over numpy, the documents are
already terms (the analyzer's), and scoring a message against 10,000 entries must stay a few
vector additions. Okapi BM25 with the "+1" idf of Lucene, which is never negative.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np


class BM25:
    """Scores every document for a query; documents are lists of terms (repeats count)."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float, b: float) -> None:
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=float)
        average = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        # The part of the BM25 denominator that depends on the document only.
        norms = k1 * (1 - b + b * lengths / average)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for position, document in enumerate(documents):
            for term, count in sorted(Counter(document).items()):
                positions, weights = postings.setdefault(term, ([], []))
                positions.append(position)
                weights.append(count * (k1 + 1) / (count + norms[position]))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (positions, weights) in postings.items():
            idf = math.log(1 + (self.size - len(positions) + 0.5) / (len(positions) + 0.5))
            self.postings[term] = (
                np.array(positions, dtype=np.int32), idf * np.array(weights, dtype=float)
            )

    def scores(self, query: Iterable[str]) -> np.ndarray:
        """BM25 score of every document; each distinct query term counts once."""
        total = np.zeros(self.size)
        for term in sorted(set(query)):
            posting = self.postings.get(term)
            if posting is not None:
                total[posting[0]] += posting[1]
        return total
