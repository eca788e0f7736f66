"""Urgency is read from the message's words (vocabulary.yaml), apart from the match."""

from __future__ import annotations

import pytest

from bot.knowledge import UrgencyExamples, Vocabulary
from bot.urgency import LearnedUrgency, UrgencyDetector, message_words

VOCABULARY = Vocabulary(
    urgent=("at my door", "knocking", "están tocando", "me están deteniendo", "me paró"),
    distress=("help", "ayuda", "what do i do"),
    right_now=("right now", "rn", "ahorita"),
    calm=("if", "si", "yesterday"),
)
DETECT = UrgencyDetector({"en": VOCABULARY})


@pytest.mark.parametrize("text", [
    "ICE is at my door",
    "they are KNOCKING",
    "estan tocando la puerta",  # accents folded
    "me estan deteniendo",
    "ICE at my dooor right now!!!",  # letters repeated for emphasis
    "they are knoking",  # a typo in a longer word
    "agents here rn",
    "what do i do if they come in, they are at my door right now",  # "if", but right now
    "el policía me paró y me pregunta si tengo papeles, ayuda",  # "si" = whether
    "help!!",  # nothing but a cry
    "ayuda porfa",
])
def test_messages_written_as_it_happens_are_urgent(text: str) -> None:
    assert DETECT.is_urgent(text)


@pytest.mark.parametrize("text", [
    "what should I do if ICE is at my door?",  # ahead of time
    "ICE was knocking yesterday, what are my rights",  # after the fact
    "where can I get help with a lawyer",  # "help" alone is an everyday word
    "necesito ayuda legal para mi caso",
    "¿qué hago si me para la policía?",
    "",
    "🙏🙏",
])
def test_calm_questions_are_not(text: str) -> None:
    assert not DETECT.is_urgent(text)


def test_the_last_letter_is_never_a_typo() -> None:
    """In Spanish it is the tense: 'me paró' happened; 'me para' is a question about a rule."""
    assert not DETECT.is_urgent("¿y si me para la policía?")
    assert not DETECT.is_urgent("me detuvieron el año pasado si")  # not "me están deteniendo"


def test_every_language_words_apply_to_every_message() -> None:
    detect = UrgencyDetector({
        "en": Vocabulary(urgent=("at my door",)), "es": Vocabulary(urgent=("están tocando",)),
    })
    assert detect.is_urgent("la migra is at my door")
    assert detect.is_urgent("ICE están tocando")


def test_examples_teach_what_the_phrases_do_not_list() -> None:
    """A message like the examples, with none of the vocabulary's phrases, is urgent."""
    examples = UrgencyExamples(
        happening=("agents surrounding the house", "officers inside the building now",
                   "they surrounded the store", "agents inside the factory"),
        calm=("can agents enter a house", "what are my rights in a building",
              "is the store safe for us", "can they enter a factory without a warrant"),
    )
    detect = UrgencyDetector({"en": Vocabulary()}, [examples])
    assert detect.is_urgent("there are agents surrounding our building")
    assert not detect.is_urgent("can agents enter our building without a warrant")


def test_learned_scores_are_the_fitted_model_s() -> None:
    """Only the weights are kept; the score must be what scikit-learn would have said."""
    from scipy.sparse import hstack

    happening = ["ice at the door now", "they are taking him", "agents outside help"]
    calm = ["can ice enter my home", "what are my rights", "is it legal to record police"]
    learned = LearnedUrgency(happening, calm, ["hello", "divorce lawyer"])
    for text in ("ice is outside", "what are my rights at work", "hola"):
        words = message_words(text)
        ours = learned.probability(words)
        # refit the same model with scikit-learn's own pipeline and compare
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts = [*happening, *calm, "hello", "divorce lawyer"]
        vectorizers = [TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                       TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)]
        features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
        model = LogisticRegression(C=LearnedUrgency.C, solver="liblinear")
        model.fit(features, [True] * 3 + [False] * 5,
                  sample_weight=[1.0] * 6 + [LearnedUrgency.BACKGROUND_WEIGHT] * 2)
        theirs = model.predict_proba(hstack([v.transform([" ".join(words)]) for v in vectorizers]))
        assert abs(ours - theirs[0][1]) < 1e-9, text
