"""Fit the ranking settings and the answer decision on the tuning sets: `python -m bot calibrate`.

Only the tuning sets (tests/data/dev_, tune_ and tune2_ to tune9_messages.jsonl) are read. The
held-out sets are never read here: they measure the result (benchmarks/matching.py).

Cross-fitting. The classifier learns from content/<lang>/examples.yaml, which holds the tuning
messages themselves. Ranked by a classifier that learnt them, tuning messages would look far
easier than a new message does, and the decision fit on them would answer too boldly. So each
tuning file is ranked by a matcher whose classifier learnt every example except that file's
messages: what the bot meets on a message nobody wrote down before.

1. BM25's k1 and b, the classifier's C and the fusion weights: each from a small grid, the value
   that ranks the right entry first for the most in-scope tuning messages (both languages).
2. The decision: a logistic regression over decision.FEATURES of each message's best entry,
   labelled 1 when that entry is the right one. Its threshold is chosen from leave-one-file-out
   predictions (each tuning file predicted by a model fit on the others): the lowest threshold at
   which confident wrong answers stay at or under MAX_CONFIDENT_WRONG of every language's
   messages. Out-of-sample predictions are what the bot meets on new messages; in-sample ones
   would be too sure of themselves.
The result is written to bot/matching/decision.json with the date and the files it was fit on.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TextIO

import numpy as np

from bot.knowledge import Knowledge
from bot.matching.decision import (
    DECISION_FILE,
    FEATURES,
    RANKERS,
    Calibration,
    DecisionModel,
    RankingSettings,
    calibration_json,
    load_calibration,
)
from bot.matching.fusion import fuse, ranked
from bot.matching.matcher import Matcher, MatchResult, Ranking
from bot.matching.text import fold

# tune6 to tune11 were the held-out sets of earlier rounds (heldout, heldout2 to heldout6), written
# by people who never read the phrasings; each joined the tuning sets once it had measured its
# round before and after (heldout7 and heldout8 measure the next). tune12 was written for the
# seven entries of December 2026 and for the formal register of FAQ pages and flyers; tune_pt1
# is the first Portuguese set (every entry, formal and texting, Portuguese-English mixes).
TUNING_SETS = (
    "dev", "tune", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "tune8", "tune9",
    "tune10", "tune11", "tune12", "tune_pt1",
)
# Of each language's tuning messages, out of sample. The limit on new messages is 2%;
# the last round chose 1.5% here and met 2.5% to 7% on new sets, so this aims further under it.
MAX_CONFIDENT_WRONG = 0.01
BM25_GRID = {"bm25_k1": (0.9, 1.2, 1.5), "bm25_b": (0.3, 0.5, 0.75)}
CLASSIFIER_C_GRID = (0.3, 1.0, 3.0)
# No weight is 0: a new entry has phrasings but no examples yet, and the scorer and BM25 read
# its phrasings as well as the classifier does.
WEIGHT_GRID = (0.5, 1.0, 1.5, 2.0, 3.0)
DECISION_C_GRID = (0.1, 0.3, 1.0, 3.0)


@dataclass(frozen=True)
class Example:
    """One tuning message as the matcher ranked it."""

    source: str  # the tuning file it comes from
    lang: str
    expect: str | None
    ranking: Ranking | MatchResult


def read_messages(data_dir: Path, names: Sequence[str] = TUNING_SETS) -> list[tuple[str, dict]]:
    return [
        (name, json.loads(line))
        for name in names
        for line in (data_dir / f"{name}_messages.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def rank_all(matcher: Matcher, messages: list[tuple[str, dict]]) -> list[Example]:
    return [
        Example(name, m["lang"], m.get("expect"), matcher.rank(m["q"], m.get("hint")))
        for name, m in messages
    ]


def example_key(text: str) -> str:
    """How a tuning message and an example are recognized as the same message: folded, without
    punctuation, so "¿Qué es el Trust Act?" leaves "que es el trust act" out too."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def without_examples(knowledge: Knowledge, texts: set[str]) -> Knowledge:
    """The knowledge without the examples whose key is in `texts`."""
    languages = {
        lang: replace(content, examples={
            entry_id: kept for entry_id, messages in content.examples.items()
            if (kept := tuple(m for m in messages if example_key(m) not in texts))
        })
        for lang, content in knowledge.languages.items()
    }
    return replace(knowledge, languages=languages)


def rank_cross_fitted(
    knowledge: Knowledge, ranking: RankingSettings, messages: list[tuple[str, dict]]
) -> list[Example]:
    """Every message ranked by a matcher whose classifier never learnt its file's messages
    (see the module's docstring), in the order of `messages`."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for i, (name, _) in enumerate(messages):
        by_file[name].append(i)
    examples: list[Example | None] = [None] * len(messages)
    for positions in by_file.values():
        held = {example_key(messages[i][1]["q"]) for i in positions}
        matcher = Matcher(
            without_examples(knowledge, held), calibration=Calibration(ranking, None),
            isolated_fit=False,
        )
        for i, example in zip(positions, rank_all(matcher, [messages[i] for i in positions]),
                              strict=True):
            examples[i] = example
    return [e for e in examples if e is not None]


def _top1(examples: list[Example], pick: Callable[[Ranking], str | None]) -> float:
    """The share of in-scope messages whose right entry `pick` puts first, averaged over
    languages (so the language with more tuning messages does not decide alone)."""
    shares = []
    for lang in sorted({e.lang for e in examples}):
        in_scope = [e for e in examples if e.lang == lang and e.expect is not None]
        right = sum(
            isinstance(e.ranking, Ranking) and pick(e.ranking) == e.expect for e in in_scope
        )
        shares.append(right / max(len(in_scope), 1))
    return float(np.mean(shares))


def _fused_top(ranking: Ranking, weights: Sequence[float]) -> str:
    return ranking.ids[int(ranked(fuse(list(ranking.scores), weights))[0])]


def choose_ranking(
    knowledge: Knowledge, messages: list[tuple[str, dict]], log: TextIO
) -> tuple[RankingSettings, list[Example]]:
    """k1 and b by BM25 alone, C by the classifier alone (cross-fitted), then the weights by
    the fusion. Returns the settings and the tuning messages ranked (cross-fitted) with them."""
    settings = RankingSettings()
    best: tuple[float, RankingSettings] | None = None
    # BM25 does not read the examples: one matcher per (k1, b), the classifier's fit cached.
    for k1, b in itertools.product(BM25_GRID["bm25_k1"], BM25_GRID["bm25_b"]):
        candidate = replace(settings, bm25_k1=k1, bm25_b=b)
        examples = rank_all(Matcher(
            knowledge, calibration=Calibration(candidate, None), isolated_fit=False
        ), messages)
        share = _top1(examples, lambda r: r.ranker_top("bm25"))
        log.write(f"  bm25 k1={k1} b={b}: top-1 {share:.3f}\n")
        if best is None or share > best[0] + 1e-9:
            best = (share, candidate)
    settings = best[1]  # type: ignore[index]
    chosen: tuple[float, RankingSettings, list[Example]] | None = None
    for c in CLASSIFIER_C_GRID:
        candidate = replace(settings, classifier_c=c)
        examples = rank_cross_fitted(knowledge, candidate, messages)
        share = _top1(examples, lambda r: r.ranker_top("classifier"))
        log.write(f"  classifier C={c}: top-1 {share:.3f} (cross-fitted)\n")
        if chosen is None or share > chosen[0] + 1e-9:
            chosen = (share, candidate, examples)
    _, settings, examples = chosen  # type: ignore[misc]
    scored: list[tuple[float, float, tuple[float, ...]]] = []
    for weights in itertools.product(WEIGHT_GRID, repeat=len(RANKERS)):
        share = _top1(examples, lambda r, w=weights: _fused_top(r, w))
        # Ties go to the weights closest to equal: no ranker is favoured without a reason.
        scored.append((share, -float(np.std(np.array(weights) / max(weights))), weights))
    share, _, weights = max(scored)
    log.write(f"  fusion weights {dict(zip(RANKERS, weights, strict=True))}: top-1 {share:.3f}\n")
    settings = replace(settings, weights=dict(zip(RANKERS, weights, strict=True)))
    # The decision's features depend on the fused ranking: rank again with the chosen weights.
    return settings, rank_cross_fitted(knowledge, settings, messages)


def _matrix(examples: list[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features and labels of the messages whose best candidate is an entry, and which
    examples those are (the others get `none` whatever the model says)."""
    rows, labels, used = [], [], []
    for i, e in enumerate(examples):
        r = e.ranking
        if isinstance(r, Ranking) and r.best < r.covered:
            rows.append([r.features[name] for name in FEATURES])
            labels.append(r.ids[r.best] == e.expect)
            used.append(i)
    return np.array(rows), np.array(labels, dtype=int), np.array(used, dtype=int)


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> DecisionModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    if len(set(y.tolist())) < 2:  # all right (or all wrong): only the base rate is known
        rate = min(max(float(y.mean()) if y.size else 0.0, 1e-3), 1 - 1e-3)
        coefficients, intercept = np.zeros(x.shape[1]), float(np.log(rate / (1 - rate)))
    else:
        model = LogisticRegression(C=c, max_iter=5000, tol=1e-8)
        model.fit((x - mean) / scale, y)
        coefficients, intercept = model.coef_[0], float(model.intercept_[0])
    return DecisionModel(
        FEATURES, tuple(mean.round(6).tolist()), tuple(scale.round(6).tolist()),
        tuple(coefficients.round(6).tolist()), round(intercept, 6), 0.5,
    )


def _probabilities(model: DecisionModel, x: np.ndarray) -> np.ndarray:
    return np.array([model.probability(dict(zip(FEATURES, row, strict=True))) for row in x])


def _out_of_sample(
    examples: list[Example], x: np.ndarray, y: np.ndarray, used: np.ndarray, c: float
) -> np.ndarray:
    """Each tuning file's probabilities from a model fit on the other files."""
    sources = np.array([examples[i].source for i in used])
    predicted = np.zeros(len(y))
    for source in sorted(set(sources.tolist())):
        held = sources == source
        predicted[held] = _probabilities(_fit(x[~held], y[~held], c), x[held])
    return predicted


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def figures_at(
    examples: list[Example], used: np.ndarray, probability: np.ndarray, threshold: float
) -> dict[str, dict[str, float]]:
    """Per language: right answers among in-scope messages, confident wrong among all."""
    answered = {
        int(i): p >= threshold and not examples[i].ranking.ambiguous  # type: ignore[union-attr]
        for i, p in zip(used, probability, strict=True)
    }
    out: dict[str, dict[str, float]] = {}
    for lang in sorted({e.lang for e in examples}):
        mine = [(i, e) for i, e in enumerate(examples) if e.lang == lang]
        in_scope = [(i, e) for i, e in mine if e.expect is not None]
        right = wrong = 0
        for i, e in mine:
            if answered.get(i):
                best = e.ranking.ids[e.ranking.best]  # type: ignore[union-attr]
                right += best == e.expect
                wrong += best != e.expect
        out[lang] = {
            "confident_right": round(right / max(len(in_scope), 1), 4),
            "confident_wrong": round(wrong / max(len(mine), 1), 4),
            "messages": len(mine),
        }
    return out


def choose_threshold(
    examples: list[Example], used: np.ndarray, probability: np.ndarray
) -> float:
    """The lowest threshold at which every language's confident wrong rate is within
    MAX_CONFIDENT_WRONG (lower thresholds answer more)."""
    for threshold in sorted(set(np.round(probability, 6).tolist())):
        figures = figures_at(examples, used, probability, threshold)
        if all(f["confident_wrong"] <= MAX_CONFIDENT_WRONG for f in figures.values()):
            return float(threshold)
    return 1.0


def calibrate(
    knowledge: Knowledge, data_dir: Path, out: TextIO, path: Path = DECISION_FILE,
    search_ranking: bool = True, sets: Sequence[str] = TUNING_SETS,
) -> Calibration:
    """Refit everything from the tuning sets, write the data file, print the figures."""
    messages = read_messages(data_dir, sets)
    out.write(f"Tuning sets: {len(messages)} messages from {', '.join(sets)}\n")
    if search_ranking:
        out.write("Ranking (top-1 of in-scope messages, mean of the languages):\n")
        ranking, examples = choose_ranking(knowledge, messages, out)
    else:  # the ranking of the file being rewritten, else of the shipped one
        ranking = load_calibration(path if path.exists() else DECISION_FILE).ranking
        examples = rank_cross_fitted(knowledge, ranking, messages)
    out.write("Each ranker, cross-fitted:\n")
    for ranker in RANKERS:
        share = _top1(examples, lambda r, n=ranker: r.ranker_top(n))
        out.write(f"  {ranker} alone: top-1 {share:.3f}\n")
    out.write(f"  fused: top-1 {_top1(examples, lambda r: r.ids[r.best]):.3f}\n")
    x, y, used = _matrix(examples)
    losses = {c: _log_loss(y, _out_of_sample(examples, x, y, used, c)) for c in DECISION_C_GRID}
    c = min(losses, key=lambda k: (losses[k], k))
    out.write("Decision (leave-one-file-out log loss): "
              + ", ".join(f"C={k}: {v:.4f}" for k, v in losses.items()) + f"; C={c} kept\n")
    predicted = _out_of_sample(examples, x, y, used, c)
    threshold = choose_threshold(examples, used, predicted)
    held_out_figures = figures_at(examples, used, predicted, threshold)
    model = replace(_fit(x, y, c), threshold=round(threshold, 6))
    calibration = Calibration(
        ranking, model, date.today().isoformat(),
        tuple(f"tests/data/{name}_messages.jsonl" for name in sets),
        {
            "decision_c": c,
            "max_confident_wrong": MAX_CONFIDENT_WRONG,
            "leave_one_file_out": held_out_figures,
        },
    )
    path.write_text(calibration_json(calibration), encoding="utf-8")
    out.write(f"Threshold {threshold:.4f} (confident wrong <= {MAX_CONFIDENT_WRONG:.1%} per "
              "language, leave-one-file-out):\n")
    for lang, f in held_out_figures.items():
        out.write(f"  {lang}: confident right {f['confident_right']:.1%} of in-scope messages, "
                  f"confident wrong {f['confident_wrong']:.1%} of {f['messages']} messages\n")
    out.write("  per file (en right/wrong, es right/wrong):\n")
    for name in sets:
        mine = [i for i, e in enumerate(examples) if e.source == name]
        position = {i: n for n, i in enumerate(mine)}
        rows = [k for k, i in enumerate(used) if i in position]
        f = figures_at([examples[i] for i in mine], np.array([position[used[k]] for k in rows],
                       dtype=int), predicted[rows], threshold)
        out.write(f"    {name}: " + ", ".join(
            f"{lang} {v['confident_right']:.1%}/{v['confident_wrong']:.1%}"
            for lang, v in f.items()) + "\n")
    out.write(f"Wrote {path}\n")
    return calibration
