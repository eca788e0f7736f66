"""A linear classifier over character and word n-grams: the third ranker.

Intent classifiers (Rasa's among them) read a message as TF-IDF weighted character n-grams
(2-5 letters, inside words: robust to typos and endings) and word uni- and bigrams, and learn one
linear model over them from example phrasings. It is trained here on the phrasings of every
language together (entry ids are shared), so Spanglish meets both. Unlike BM25 and the scorer, it
learns which words tell *neighbouring* entries apart, which is what keeps confident wrong
answers down.

The featurization is written here (and reused at prediction) so that classifying one message is
a dictionary look-up per n-gram and one small matrix product, without scikit-learn's per-call
overhead; scikit-learn only fits the weights: a linear support vector machine (`LinearSVC`,
liblinear), one per label against the rest, as Rasa's scikit-learn intent classifier does. It fits
the FAQ's ~3,400 phrasings in about a second, where a multinomial logistic regression needed 25 s
to converge (and was no better on the tuning sets).

The fitted weights are cached on disk, keyed by a hash of everything they depend on (phrasings,
labels, settings), and fit in a child process, as bot/fitting.py does for small models: importing
scikit-learn and scipy costs seconds and ~100 MB for good, so a bot loads the weights with numpy
alone. Here they are a dense n-grams x labels matrix (~10 MB), kept as .npz rather than JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any

import numpy as np

from bot.fitting import CACHE_KEEP, cache_dir
from bot.matching.text import fold
from bot.private_files import private_dir

log = logging.getLogger(__name__)

CHAR_NGRAMS = (2, 5)
_WORD_CACHE_LIMIT = 50_000
CACHE_FORMAT = "1"  # bump when the featurization or the fit changes


@cache
def _sublinear_tf(largest: int) -> np.ndarray:
    """1 + log(count) for every count up to `largest`, computed by math.log as `vector` does."""
    return np.array([0.0, *(1 + math.log(c) for c in range(1, largest + 1))])


def _word_ngrams(word: str) -> list[str]:
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    return [
        padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    ]


class NgramFeatures:
    """Text -> sparse TF-IDF vector (sublinear tf, smoothed idf, unit length), fit on phrasings."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self._cache: dict[str, list[str]] = {}
        self._known: dict[str, np.ndarray] = {}  # word -> indices of its known n-grams
        self.vocabulary = {g: i for i, g in enumerate(vocabulary)}
        self.idf = idf

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int) -> tuple[NgramFeatures, Any]:
        """The features of the phrasings (n-grams in at least `min_df` of them) and their
        TF-IDF matrix (scipy CSR, for fitting)."""
        features = cls((), np.zeros(0))
        counts = [features._counts(t) for t in texts]
        df = Counter(g for c in counts for g in c)
        kept = sorted(g for g, n in df.items() if n >= min_df)
        features.vocabulary = {g: i for i, g in enumerate(kept)}
        n = len(texts)
        features.idf = np.array([math.log((1 + n) / (1 + df[g])) + 1 for g in kept])
        return features, features._matrix(counts)

    def _grams(self, word: str) -> list[str]:
        grams = self._cache.get(word)
        if grams is None:
            grams = _word_ngrams(word)
            if len(self._cache) < _WORD_CACHE_LIMIT:
                self._cache[word] = grams
        return grams

    def _counts(self, text: str) -> Counter[str]:
        words = fold(text).split()
        grams: Counter[str] = Counter()
        for word in words:
            grams.update(self._grams(word))
        grams.update(f"w {w}" for w in words)
        grams.update(f"w {a} {b}" for a, b in pairwise(words))
        return grams

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, TF-IDF values) of one text; unknown n-grams are dropped.

        The same vector as fitting computes, faster: each word's known n-grams are looked up
        once and kept as an index array (messages reuse a small set of words)."""
        words = fold(text).split()
        parts = [self._word_features(w) for w in words]
        vocabulary = self.vocabulary
        pairs = [vocabulary.get(f"w {a} {b}", -1) for a, b in pairwise(words)]
        parts.append(np.array([i for i in pairs if i >= 0], dtype=np.int64))
        found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        if not found.size:
            return found, np.zeros(0)
        index, counts = np.unique(found, return_counts=True)
        values = (1 + np.log(counts)) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def _word_features(self, word: str) -> np.ndarray:
        known = self._known.get(word)
        if known is None:
            vocabulary = self.vocabulary
            found = [vocabulary.get(g, -1) for g in (*_word_ngrams(word), f"w {word}")]
            known = np.array([i for i in found if i >= 0], dtype=np.int64)
            if len(self._known) < _WORD_CACHE_LIMIT:
                self._known[word] = known
        return known

    def _vector(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """One phrasing's TF-IDF row, as arrays (the look-ups run in C: fitting reads thousands
        of phrasings, and this was most of its featurization time)."""
        found = np.fromiter(map(self.vocabulary.get, counts, repeat(-1)), dtype=np.int64,
                            count=len(counts))
        known = found >= 0
        if not known.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        times = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))[known]
        index = found[known]
        order = np.argsort(index)
        index, times = index[order], times[order]
        values = _sublinear_tf(int(times.max()))[times] * self.idf[index]
        return index, values / np.linalg.norm(values)

    def _matrix(self, counts: list[Counter[str]]) -> Any:
        from scipy.sparse import csr_matrix  # only to fit; see the module docstring

        rows = [self._vector(c) for c in counts]
        indptr = np.cumsum([0, *(len(i) for i, _ in rows)])
        indices = np.concatenate([i for i, _ in rows]) if rows else np.zeros(0, dtype=np.int64)
        data = np.concatenate([v for _, v in rows]) if rows else np.zeros(0)
        return csr_matrix((data, indices, indptr), shape=(len(rows), len(self.vocabulary)))


class PhrasingClassifier:
    """Linear scores over labels (entry ids, out-of-scope topics) for a message: positive
    means "this label rather than the others"."""

    def __init__(
        self, labels: Sequence[str], features: NgramFeatures, weights: np.ndarray,
        bias: np.ndarray,
    ) -> None:
        self.labels: tuple[str, ...] = tuple(labels)
        self.features = features
        self._weights = weights  # n-grams x labels, so a message gathers its n-grams' rows
        self._bias = bias

    @classmethod
    def trained(
        cls, texts: Sequence[str], labels: Sequence[str], c: float, min_df: int = 2,
        cache: Path | None = None, isolated: bool = True,
    ) -> PhrasingClassifier:
        """Fit on the phrasings, or load the weights fit on exactly these before.

        `isolated` fits in a child process, so that scikit-learn and scipy (about 130 MB once
        imported, for good) never enter a long-running bot, even on /reload of new content;
        when this process has imported scikit-learn already, there is nothing to keep out and
        the fit runs here. A caller that rebuilds many times in a row (a cross-validation) may
        ask for an in-process fit. Where it runs, the weights are the same.
        """
        key = hashlib.sha256(
            json.dumps([CACHE_FORMAT, c, min_df, list(texts), list(labels)]).encode()
        ).hexdigest()[:32]
        path = (cache or cache_dir()) / f"classifier-{key}.npz"
        loaded = cls._load(path)
        if loaded is not None:
            return loaded
        if not isolated or "sklearn" in sys.modules:
            fitted = cls._fit(texts, labels, c, min_df)
            fitted._save(path)
            return fitted
        with tempfile.TemporaryDirectory(prefix="kyr-fit-") as scratch:
            written = Path(scratch) / "classifier.npz"
            job = json.dumps({"texts": list(texts), "labels": list(labels), "c": c,
                              "min_df": min_df, "path": str(written)})
            # The child imports this module from the same place this process did.
            package_root = str(Path(__file__).resolve().parents[2])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(
                filter(None, (package_root, os.environ.get("PYTHONPATH"))))}
            subprocess.run(
                [sys.executable, "-c", f"from {__name__} import _fit_job; _fit_job()"],
                input=job, text=True, check=True, env=env,
            )
            fitted = cls._load(written)
        if fitted is None:
            raise RuntimeError("the classifier fit in a child process wrote no weights")
        fitted._save(path)
        return fitted

    @classmethod
    def _fit(
        cls, texts: Sequence[str], labels: Sequence[str], c: float, min_df: int
    ) -> PhrasingClassifier:
        from sklearn.svm import LinearSVC  # only to fit; see the module docstring

        features, matrix = NgramFeatures.fit(texts, min_df)
        names = sorted(set(labels))
        position = {label: i for i, label in enumerate(names)}
        target = np.array([position[label] for label in labels])
        if len(names) < 2:  # nothing to tell apart
            weights = np.zeros((len(names), len(features.vocabulary)))
            bias = np.zeros(len(names))
        else:
            # liblinear visits the phrasings in a shuffled order: a fixed seed, the same weights.
            model = LinearSVC(C=c, random_state=0).fit(matrix, target)
            weights, bias = model.coef_, model.intercept_
            if len(names) == 2:  # scikit-learn keeps one row for two labels
                weights = np.vstack([-weights[0], weights[0]])
                bias = np.array([-bias[0], bias[0]])
        return cls(
            names, features, np.ascontiguousarray(weights.T, dtype=np.float32),
            np.asarray(bias, dtype=np.float32),
        )

    def _save(self, path: Path) -> None:
        """Write the weights where the next start finds them; a read-only disk only costs the
        next start its fitting time."""
        try:
            private_dir(path.parent)  # owner-only, as every file the bot writes
            partial = path.with_name(f"{path.stem}.{os.getpid()}.partial.npz")
            vocabulary = sorted(self.features.vocabulary, key=self.features.vocabulary.__getitem__)
            np.savez(
                partial, labels=np.array(self.labels, dtype=str),
                vocabulary=np.array(vocabulary, dtype=str), idf=self.features.idf,
                weights=self._weights, bias=self._bias,
            )
            partial.replace(path)
            # Each content version leaves its weights (~10 MB): keep the latest few.
            older = sorted(path.parent.glob("classifier-*.npz"), key=lambda f: f.stat().st_mtime)
            for stale in older[:-CACHE_KEEP]:
                stale.unlink(missing_ok=True)
        except OSError as error:
            log.warning("classifier weights not cached (%s): %s", path.parent, error.strerror)

    @classmethod
    def _load(cls, path: Path) -> PhrasingClassifier | None:
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    data["labels"].tolist(),
                    NgramFeatures(data["vocabulary"].tolist(), data["idf"]),
                    data["weights"], data["bias"],
                )
        except (OSError, KeyError, ValueError):
            return None

    def scores(self, text: str) -> np.ndarray:
        """The linear score of every label, in `self.labels` order."""
        index, values = self.features.vector(text)
        return self._bias.astype(float) + values @ self._weights[index]


def _fit_job() -> None:
    """In the child process: fit the job read from stdin, write its weights (see
    PhrasingClassifier.trained)."""
    job = json.loads(sys.stdin.read())
    fitted = PhrasingClassifier._fit(job["texts"], job["labels"], job["c"], job["min_df"])
    fitted._save(Path(job["path"]))

