"""The learned answer decision and the ranking settings, read from a reviewable data file.

`decision.json` (next to this module) holds everything that was fit on the tuning sets: BM25's
k1 and b, the fusion weights, the classifier's regularization, and a logistic regression over
named features of a ranking (how far the best entry leads in each ranker, whether the rankers
agree, how much of the message it explains...) with its threshold, the date and the data it was
fit on. `python -m bot calibrate` refits and rewrites it; the running bot only reads it, so the
decision never changes at start-up and a change to it is a reviewable diff.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DECISION_FILE = Path(__file__).with_name("decision.json")

RANKERS = ("scorer", "bm25", "classifier")

# What the decision knows about a ranking; each is computed in Matcher._features.
FEATURES = (
    "fused_top",  # the best entry's fused score (1 when every ranker puts it first)
    "fused_margin",  # its lead over the runner-up (entry or out-of-scope topic), fused
    "scorer_score",  # the scorer's 0-1 score for it: coverage and closeness to one phrasing
    "scorer_margin",  # its lead in the scorer, over the scorer's top score
    "bm25_margin",  # its lead in BM25, over BM25's top score (negative when BM25 prefers another)
    "classifier_score",  # the classifier's linear score for it (positive: "this entry")
    "classifier_margin",  # its lead in that score over the classifier's next choice
    "agreement",  # how many rankers put it first (0-3)
    "coverage",  # the share of the message (IDF-weighted) that the entry's words explain
    "recall",  # the largest share of one of its phrasings that the message has
    "evidence",  # how specific the shared terms are among the entries (summed IDF)
    "terms",  # log(1 + distinct terms in the message): long stories differ from one word
    "unknown_share",  # the share of the message's terms the content never uses
    "out_of_scope",  # the best out-of-scope topic's fused score, over the best entry's
    "off_topic",  # 1 when the question names a word only out-of-scope topics use
    "vague",  # 1 when the only shared term is one plain word
    "missing_subject",  # how specific a word of the message is that the entry never uses
)


@dataclass(frozen=True)
class RankingSettings:
    """How the three rankers are built and fused (chosen on the tuning sets by calibrate)."""

    bm25_k1: float = 1.2
    bm25_b: float = 0.5
    weights: Mapping[str, float] = field(
        default_factory=lambda: {"scorer": 1.0, "bm25": 1.0, "classifier": 1.0}
    )
    classifier_c: float = 1.0
    classifier_min_df: int = 2

    def weight_list(self) -> list[float]:
        return [float(self.weights.get(name, 0.0)) for name in RANKERS]


@dataclass(frozen=True)
class DecisionModel:
    """Logistic regression: P(the best entry is the right one) from standardized features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.intercept + sum(
            c * (values[name] - m) / s
            for name, m, s, c in zip(
                self.features, self.mean, self.scale, self.coefficients, strict=True
            )
        )
        return 1 / (1 + math.exp(-z)) if z > -700 else 0.0

    def answers(self, values: Mapping[str, float]) -> bool:
        return self.probability(values) >= self.threshold


@dataclass(frozen=True)
class Calibration:
    """The whole data file: ranking settings, the decision model, and where they came from."""

    ranking: RankingSettings
    decision: DecisionModel | None
    fitted: str = ""
    fit_on: tuple[str, ...] = ()
    figures: Mapping[str, object] = field(default_factory=dict)


def load_calibration(path: Path = DECISION_FILE) -> Calibration:
    """Read the data file; a missing file gives default ranking and no decision model (every
    match is then a "did you mean": safe, and `python -m bot calibrate` writes the file)."""
    if not path.exists():
        return Calibration(RankingSettings(), None)
    data = json.loads(path.read_text(encoding="utf-8"))
    ranking = RankingSettings(**data["ranking"])
    model = data.get("decision")
    decision = None
    if model:
        names = tuple(model["features"])
        decision = DecisionModel(
            features=names,
            mean=tuple(float(model["mean"][n]) for n in names),
            scale=tuple(float(model["scale"][n]) for n in names),
            coefficients=tuple(float(model["coefficients"][n]) for n in names),
            intercept=float(model["intercept"]),
            threshold=float(model["threshold"]),
        )
    return Calibration(
        ranking, decision, data.get("fitted", ""), tuple(data.get("fit_on", ())),
        data.get("figures", {}),
    )


def calibration_json(calibration: Calibration) -> str:
    """The data file's text: one named number per line, so a refit reads as a small diff."""
    ranking = calibration.ranking
    data: dict[str, object] = {
        "fitted": calibration.fitted,
        "fit_on": list(calibration.fit_on),
        "ranking": {
            "bm25_k1": ranking.bm25_k1, "bm25_b": ranking.bm25_b,
            "weights": dict(ranking.weights), "classifier_c": ranking.classifier_c,
            "classifier_min_df": ranking.classifier_min_df,
        },
    }
    model = calibration.decision
    if model is not None:
        data["decision"] = {
            "features": list(model.features),
            "coefficients": dict(zip(model.features, model.coefficients, strict=True)),
            "intercept": model.intercept,
            "threshold": model.threshold,
            "mean": dict(zip(model.features, model.mean, strict=True)),
            "scale": dict(zip(model.features, model.scale, strict=True)),
        }
    data["figures"] = dict(calibration.figures)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
