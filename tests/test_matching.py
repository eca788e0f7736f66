"""How the matcher treats what real people send, on the real FAQ content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge import Knowledge, Vocabulary
from bot.loading import load_knowledge
from bot.matching import Matcher
from bot.matching.analyzer import Analyzer
from bot.matching.common_words import common_words
from bot.matching.text import fold, last_sentence

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(CONTENT)


@pytest.fixture(scope="module")
def matcher(knowledge: Knowledge) -> Matcher:
    return Matcher(knowledge)


def test_fold_ignores_case_accents_punctuation_and_emoji() -> None:
    assert fold("¿Tengo que abrirle la PUERTA a la Migra?? 😱") == (
        "tengo que abrirle la puerta a la migra"
    )
    assert fold("niño, kid's") == "nino kids"
    assert fold("🙏🏽😭") == ""


def test_last_sentence_is_where_the_question_usually_is() -> None:
    story = "My husband was stopped yesterday. I am scared. Can ICE come into my house?"
    assert last_sentence(story) == "Can ICE come into my house?"
    assert last_sentence("just one question") is None


@pytest.mark.parametrize("text, entry_id", [
    ("can ice come into my kids school", "school-ice-visit"),
    ("¿tengo que abrirle la puerta a la migra?", "ice-at-home"),
    ("ICE IS KNOCKING ON MY DOOR DO I HAVE TO OPEN", "ice-at-home"),
    ("what is a detainer", "detainer-what-is"),
    ("que es el trust act", "trust-act"),
    ("can a notario help me with my papers", "notario-fraud"),
])
def test_clear_questions_get_a_confident_answer(
    matcher: Matcher, text: str, entry_id: str
) -> None:
    result = matcher.match(text)
    assert (result.decision, result.entry_id) == ("answer", entry_id)


@pytest.mark.parametrize("text, entry_id", [
    ("can the scool refuse to enrol my son bc we dont have papers", "school-enrollment-right"),
    ("la escuela me puede pedir el social de mi hijo pa inscribirlo", "school-enrollment-right"),
    ("kiero saber si la chota me puede preguntar si tengo papeles", "police-status-question"),
])
def test_typos_abbreviations_and_slang_still_find_the_entry(
    matcher: Matcher, text: str, entry_id: str
) -> None:
    result = matcher.match(text)
    offered = (result.entry_id, *result.suggestions)
    assert result.decision in {"answer", "suggest"}
    assert entry_id in offered


@pytest.mark.parametrize("text", [
    "hello", "hola buenas tardes", "thank you so much!", "gracias", "ok", "👍", "",
    "how do I file for divorce", "como pago mis taxes", "can I get a green card through marriage",
    "what's the weather tomorrow",
])
def test_out_of_scope_messages_never_get_a_confident_answer(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).decision != "answer"


def test_empty_and_emoji_only_messages_match_nothing(matcher: Matcher) -> None:
    for text in ("", "   ", "😭🙏🏽", "?!?"):
        result = matcher.match(text)
        assert (result.entry_id, result.decision, result.score) == (None, "none", 0)


def test_language_comes_from_the_text_not_the_phone(matcher: Matcher) -> None:
    assert matcher.match("la migra esta afuera de mi casa", "en").lang == "es"
    assert matcher.match("ICE is outside my house", "es").lang == "en"


def test_everyday_words_decide_the_language_when_the_content_mixes_both(
    matcher: Matcher,
) -> None:
    """English phrasings quote Spanglish ("la migra esta tocando la puerta, should she open"),
    so the content alone cannot tell; that "tocando" and "puerta" are everyday Spanish can."""
    assert matcher.match("migra tocando puerta").lang == "es"
    assert matcher.match("licencia drive only").lang == "es"


def test_the_hint_decides_only_when_the_text_cannot(matcher: Matcher) -> None:
    assert matcher.match("ICE", "es").lang == "es"
    assert matcher.match("ICE", "en").lang == "en"


def test_spanish_answers_come_from_spanish_entries_with_shared_ids(
    matcher: Matcher, knowledge: Knowledge
) -> None:
    english = matcher.match("do I have to open the door to ICE")
    spanish = matcher.match("tengo que abrir la puerta si llega ICE")
    assert english.entry_id == spanish.entry_id == "ice-at-home"
    assert (english.lang, spanish.lang) == ("en", "es")


def test_a_long_story_with_the_question_at_the_end(matcher: Matcher) -> None:
    story = (
        "I came here ten years ago and I work in a restaurant in New Haven. Last week my "
        "neighbor told me that agents were in the building. I have two kids and I am scared "
        "all the time. " * 3
        + "Do I have to open the door if ICE knocks?"
    )
    result = matcher.match(story)
    assert result.entry_id == "ice-at-home"


def test_huge_messages_are_handled(matcher: Matcher) -> None:
    result = matcher.match("ice school " * 5000)
    assert result.decision in {"answer", "suggest", "none"}


def test_one_endless_word_is_not_respelled_letter_by_letter(matcher: Matcher) -> None:
    """Respelling tries letter changes in pairs; a 2,000-letter "word" would mean millions."""
    assert matcher.match("s" * 2000, "es").decision == "none"


def test_suggestions_never_repeat_the_best_entry(matcher: Matcher) -> None:
    result = matcher.match("ice")
    assert result.entry_id not in result.suggestions
    assert len(result.suggestions) <= 2


def test_match_json_contract(matcher: Matcher) -> None:
    data = matcher.match("what is the trust act").as_json()
    assert set(data) == {"id", "lang", "score", "decision", "suggestions"}
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100


def test_a_question_the_faq_does_not_cover_is_recognized(matcher: Matcher) -> None:
    result = matcher.match("how do I file for divorce")
    assert (result.decision, result.entry_id, result.not_covered) == ("none", None, "divorce")


def test_out_of_scope_phrasings_are_never_answered_and_never_offered(
    knowledge: Knowledge, matcher: Matcher
) -> None:
    """Every question organizers listed as not covered gets `none` or "did you mean", and the
    out-of-scope topic itself is never offered as if it were an entry."""
    for lang, content in knowledge.languages.items():
        for phrasings in content.out_of_scope.values():
            for phrasing in phrasings:
                result = matcher.match(phrasing, lang)
                assert result.decision != "answer", (lang, phrasing, result.entry_id)
                offered = {result.entry_id, *result.suggestions} - {None}
                assert offered <= set(content.entries), (lang, phrasing, offered)


def test_a_word_only_out_of_scope_questions_use_blocks_a_confident_answer(
    matcher: Matcher,
) -> None:
    """Connecticut's Drive Only license is not an answer about Texas, however well it fits."""
    in_connecticut = matcher.match("can undocumented people get a driver's license in connecticut")
    assert (in_connecticut.decision, in_connecticut.entry_id) == ("answer", "drive-only-license")
    elsewhere = matcher.match("can undocumented people get a driver's license in texas")
    assert elsewhere.decision != "answer"
    assert elsewhere.not_covered == "other-states"


@pytest.mark.parametrize("text", ["school", "escuela", "SCHOOL??"])
def test_a_word_many_entries_share_is_not_enough_for_an_answer(
    matcher: Matcher, text: str
) -> None:
    result = matcher.match(text)
    assert result.decision == "suggest"
    assert len({result.entry_id, *result.suggestions}) >= 2


def test_evidence_does_not_drift_when_organizers_add_out_of_scope_questions(
    knowledge: Knowledge, matcher: Matcher
) -> None:
    """The evidence a confident answer needs is measured among the entries only."""
    without = replace(knowledge, languages={
        lang: replace(content, out_of_scope={}) for lang, content in knowledge.languages.items()
    })
    bare = Matcher(without)
    for text in ("school", "what is a detainer", "que es el trust act"):
        assert bare.match(text).decision == matcher.match(text).decision, text


def test_typo_correction_fixes_misspellings_but_leaves_real_words_alone() -> None:
    """A word the FAQ does not use is corrected only when it is not a common word of the
    language: "enero" (January) must not become "entro", nor "causar" become "casar" (marry)."""
    vocabularies = {"es": Vocabulary(concepts={"school": ("escuela",)})}
    phrasings = ["entro a la escuela", "se quieren casar"]
    own = {w for p in phrasings for w in fold(p).split()}
    analyzer = Analyzer("es", vocabularies, own, own, common_words("es"))
    assert analyzer.words("escula") == ["escuela"]
    assert analyzer.words("enero causar") == ["enero", "causar"]


def test_another_languages_texting_is_read_unless_it_is_a_word_here() -> None:
    """"ya" is "yes" in English texting but "already" in Spanish; "idk" is texting anywhere."""
    vocabularies = {
        "es": Vocabulary(abbreviations={"q": "que"}),
        "en": Vocabulary(abbreviations={"ya": "yes", "idk": "i do not know"}),
    }
    analyzer = Analyzer("es", vocabularies, (), (), common_words("es"))
    assert analyzer.words("ya q idk") == ["ya", "que", "i", "do", "not", "know"]


def test_words_written_as_they_sound_are_read_as_meant() -> None:
    """Spanish `spellings` (data, not code): "yega" is "llega", "yebo" is "llevo" (two changes);
    a word the content already knows is never respelled."""
    vocabularies = {"es": Vocabulary(spellings=(("y", "ll"), ("b", "v")))}
    own = {"llega", "llevo", "yo", "bus"}
    analyzer = Analyzer("es", vocabularies, own, own)
    assert analyzer.words("yega yebo yo bus") == ["llega", "llevo", "yo", "bus"]
