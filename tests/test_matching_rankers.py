"""The matcher's parts on tiny content: BM25, fusion, the classifier, the learned decision,
calibration, and that a ranking never depends on Python's hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.loading import load_knowledge
from bot.matching import Matcher
from bot.matching.bm25 import BM25
from bot.matching.calibrate import calibrate, rank_cross_fitted, without_examples
from bot.matching.classifier import PhrasingClassifier
from bot.matching.decision import (
    FEATURES,
    Calibration,
    DecisionModel,
    RankingSettings,
    calibration_json,
    load_calibration,
)
from bot.matching.fusion import fuse, ranked
from bot.matching.matcher import Ranking

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fitted classifier weights go to a folder of this test, not the user's cache."""
    monkeypatch.setenv("KYR_CACHE_DIR", str(tmp_path / "cache"))


def test_bm25_ranks_the_document_with_the_rarer_shared_term_first() -> None:
    """3 documents, 2 query terms: "warrant" is in one document, "ice" in all three."""
    bm25 = BM25([["ice", "door"], ["ice", "warrant"], ["ice", "school"]], k1=1.2, b=0.5)
    scores = bm25.scores(["ice", "warrant"])
    assert int(np.argmax(scores)) == 1
    assert scores[0] == scores[2] > 0  # "ice" alone, same length: same score
    assert not bm25.scores(["divorce"]).any()


def test_bm25_repeats_in_a_document_count_with_saturation() -> None:
    bm25 = BM25([["ice"], ["ice", "ice"], ["ice", "ice", "ice", "ice"], ["other"]], 1.2, 0.0)
    once, twice, four = bm25.scores(["ice"])[:3]
    assert once < twice < four
    assert four - twice < twice - once  # k1 saturates term frequency


def test_fusion_divides_each_ranker_by_its_top_score_then_weighs() -> None:
    bm25 = np.array([10.0, 5.0, 0.0])  # unbounded scale
    scorer = np.array([0.2, 0.4, 0.1])  # another scale
    fused = fuse([bm25, scorer], [1.0, 1.0])
    assert fused == pytest.approx([(1.0 + 0.5) / 2, (0.5 + 1.0) / 2, (0 + 0.25) / 2])
    assert fuse([bm25, scorer], [3.0, 1.0])[0] > fuse([bm25, scorer], [3.0, 1.0])[1]
    assert not fuse([np.zeros(3), np.zeros(3)], [1.0, 1.0]).any()


def test_ranking_ties_keep_content_order() -> None:
    assert ranked(np.array([0.5, 0.9, 0.9, 0.1])).tolist() == [1, 2, 0, 3]


def test_classifier_learns_which_words_tell_labels_apart(tmp_path: Path) -> None:
    texts = ["ice at my door", "agents knocking on the door", "enroll my kid in school",
             "school registration papers", "how do i get a divorce", "divorce lawyer"]
    labels = ["door", "door", "school", "school", "divorce", "divorce"]
    classifier = PhrasingClassifier.trained(texts, labels, c=1.0, min_df=1, cache=tmp_path)
    for text, expected in (("someone knocking at the door", "door"),
                           ("registration at the school", "school"),
                           ("divorse", "divorce")):  # character n-grams survive typos
        scores = classifier.scores(text)
        assert classifier.labels[int(np.argmax(scores))] == expected, text


def test_classifier_weights_are_cached_and_reloaded_identically(tmp_path: Path) -> None:
    texts, labels = ["ice at my door", "school papers", "divorce"], ["a", "b", "c"]
    first = PhrasingClassifier.trained(texts, labels, c=1.0, min_df=1, cache=tmp_path)
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 1
    again = PhrasingClassifier.trained(texts, labels, c=1.0, min_df=1, cache=tmp_path)
    assert again.scores("door ice").tolist() == first.scores("door ice").tolist()
    other = PhrasingClassifier.trained(texts, ["a", "b", "b"], c=1.0, min_df=1, cache=tmp_path)
    assert other.labels == ("a", "b")  # different phrasings or labels: a new fit
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 2


def _model(threshold: float, coefficient: float) -> DecisionModel:
    n = len(FEATURES)
    coefficients = [0.0] * n
    coefficients[FEATURES.index("fused_margin")] = coefficient
    return DecisionModel(FEATURES, (0.0,) * n, (1.0,) * n, tuple(coefficients), 0.0, threshold)


def test_decision_model_is_a_logistic_regression_over_named_features() -> None:
    model = _model(threshold=0.7, coefficient=2.0)
    values = dict.fromkeys(FEATURES, 0.0)
    assert model.probability(values) == pytest.approx(0.5)
    values["fused_margin"] = 1.0
    assert model.probability(values) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert model.answers(values)  # 0.88 >= 0.7
    values["fused_margin"] = 0.2
    assert not model.answers(values)  # 0.60 < 0.7


def test_the_data_file_round_trips_and_the_matcher_applies_it(tmp_path: Path) -> None:
    path = tmp_path / "decision.json"
    knowledge = load_knowledge(FIXTURE_CONTENT)
    for threshold, expected in ((0.0, "answer"), (1.0, "suggest")):
        calibration = Calibration(RankingSettings(), _model(threshold, 1.0), "2026-12-04",
                                  ("tests/data/x.jsonl",))
        path.write_text(calibration_json(calibration), encoding="utf-8")
        loaded = load_calibration(path)
        assert loaded.decision == calibration.decision
        assert loaded.fit_on == ("tests/data/x.jsonl",)
        result = Matcher(knowledge, calibration=loaded).match("do i have to open the door to ice")
        assert (result.entry_id, result.decision) == ("ice-at-door", expected)


def test_without_a_decision_file_nothing_is_answered_with_confidence(tmp_path: Path) -> None:
    calibration = load_calibration(tmp_path / "missing.json")
    assert calibration.decision is None
    matcher = Matcher(load_knowledge(FIXTURE_CONTENT), calibration=calibration)
    result = matcher.match("do i have to open the door to ice")
    assert (result.entry_id, result.decision) == ("ice-at-door", "suggest")


def test_the_shipped_decision_file_names_its_data_and_date() -> None:
    calibration = load_calibration()
    assert calibration.decision is not None
    assert set(calibration.decision.features) == set(FEATURES)
    assert calibration.fitted
    assert calibration.fit_on and all("heldout" not in name for name in calibration.fit_on)


def test_calibrate_fits_on_the_tuning_files_and_writes_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    questions = {
        "ice-at-door": ["ice is at my door", "do i open the door for immigration",
                        "agents knocking should i open", "la migra at the door"],
        "ice-warrant": ["what warrant does ice need", "judge warrant or ice warrant",
                        "is an ice paper enough to enter", "warrant signed by a judge"],
        "school-ice-visit": ["can ice come into the school", "immigration agents at school",
                             "ice at my kids school", "will the school let ice in"],
        None: ["how is the weather", "tell me a joke", "ice cream near me", "door repair"],
    }
    for number, name in enumerate(("dev", "tune")):
        lines = [
            json.dumps({"q": texts[i], "lang": "en", "expect": expect})
            for expect, texts in questions.items() for i in (number, number + 2)
        ]
        (data / f"{name}_messages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "decision.json"
    printed = tmp_path / "printed.txt"
    with printed.open("w", encoding="utf-8") as out:
        calibrate(load_knowledge(FIXTURE_CONTENT), data, out, path, search_ranking=False,
                  sets=("dev", "tune"))
    written = load_calibration(path)
    assert written.decision is not None and 0.0 <= written.decision.threshold <= 1.0
    assert written.fit_on == ("tests/data/dev_messages.jsonl", "tests/data/tune_messages.jsonl")
    assert "Threshold" in printed.read_text(encoding="utf-8")


def test_a_tuning_file_is_ranked_by_a_classifier_that_never_learnt_its_messages() -> None:
    """The tuning messages are also the classifier's examples; ranked by a classifier that
    learnt them, they would look easier than any new message (see calibrate's docstring)."""
    knowledge = load_knowledge(FIXTURE_CONTENT)
    english = knowledge.languages["en"]
    taught = replace(knowledge, languages={**knowledge.languages, "en": replace(english, examples={
        "ice-warrant": ("The agents at school, what paper do they need?", "judge or not"),
    })})
    tuning = [("dev", {"q": "the agents at SCHOOL: what paper do they need", "lang": "en",
                       "expect": "school-ice-visit"})]
    untaught = without_examples(taught, {"the agents at school what paper do they need"})
    assert untaught.languages["en"].examples == {"ice-warrant": ("judge or not",)}
    settings = load_calibration().ranking
    (example,) = rank_cross_fitted(taught, settings, tuning)
    expected = Matcher(untaught, calibration=Calibration(settings, None)).rank(tuning[0][1]["q"])
    assert isinstance(example.ranking, Ranking) and isinstance(expected, Ranking)
    assert np.allclose(example.ranking.scores, expected.scores)


def test_ranking_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts iterate in a different order under each PYTHONHASHSEED; the matcher must
    give the same scores anyway (the prototype's shortlist did not)."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from bot.loading import load_knowledge\n"
        "from bot.matching import Matcher\n"
        f"m = Matcher(load_knowledge(Path({str(ROOT / 'content')!r})))\n"
        "out = []\n"
        "for q in ['can ice come into my kids school', 'la migra toco la puerta y no abri',\n"
        "          'school', 'my cousin got picked up and they put a hold on him at the jail',\n"
        "          'how do i get a divorce', 'licencia en texas']:\n"
        "    r = m.rank(q)\n"
        "    out.append([q, m.match(q).as_json(), r.scores.tolist(), r.features])\n"
        "print(json.dumps(out))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT),
               "KYR_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, check=True, cwd=ROOT)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]


def test_a_subject_the_best_entry_is_never_asked_about_counts_against_answering_it() -> None:
    """"ICE at my kid's school, knocking" shares words with the door entry, but "school" is
    what another entry is about: the decision sees it (missing_subject), a plain door question
    has none."""
    matcher = Matcher(load_knowledge(FIXTURE_CONTENT))
    plain = matcher.rank("ice agents knocking at my front door")
    mixed = matcher.rank("ice agents knocking at the door of my kids school")
    assert isinstance(plain, Ranking) and isinstance(mixed, Ranking)
    assert plain.ids[plain.best] == "ice-at-door"
    assert plain.features["missing_subject"] == 0
    assert mixed.features["missing_subject"] > 0
