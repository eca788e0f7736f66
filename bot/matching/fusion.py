"""Fusing rankers: a weighted sum of each ranker's scores divided by its own top score.

Each ranker scores on its own scale (BM25 is unbounded, the scorer is 0-100, the classifier a
probability); dividing by the top score puts every ranker's best candidate at 1, so the weights
say how much each is trusted. On the tuning sets this beat reciprocal rank fusion, which throws
away how far ahead the best candidate is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def normalized(scores: np.ndarray) -> np.ndarray:
    """Scores divided by the top one (all zeros stay zeros)."""
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def fuse(rankings: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted sum of normalized scores, divided by the weights' sum (so the best is <= 1)."""
    total = float(sum(weights)) or 1.0
    fused = np.zeros_like(rankings[0], dtype=float)
    for scores, weight in zip(rankings, weights, strict=True):
        if weight:
            fused += weight * normalized(scores)
    return fused / total


def ranked(scores: np.ndarray) -> np.ndarray:
    """Positions from best to worst; ties keep content order (a stable sort: deterministic)."""
    return np.argsort(-scores, kind="stable")
