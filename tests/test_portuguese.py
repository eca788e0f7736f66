"""Portuguese through every door that is not Telegram: the console chat, `try`, the urgent path,
the welcome and the reply to a language the bot does not read. The fixture content (en, es, pt)
with the real catalogs, so the Portuguese interface text is the one that ships."""

from __future__ import annotations

import io

import pytest

from bot.assistant import Assistant
from bot.console import ConsoleChat, render_text
from bot.dry_run import dry_run
from bot.loading import inspect_content
from bot.paths import locale_dir
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(FIXTURE_CONTENT, locale_dir())


def test_a_portuguese_question_gets_the_portuguese_answer_and_interface(
    assistant: Assistant,
) -> None:
    reply = assistant.ask("meu filho pode ir para a escola sem documentos", record=False).reply
    assert (reply.lang, reply.entry_id) == ("pt", "school-enrollment")
    assert reply.paragraphs[0].startswith("FIXTURE-MATRICULA")
    assert reply.contacts_heading == "Quem pode ajudar"
    labels = [b.label for row in reply.buttons for b in row]
    assert labels[-2:] == ["Ver os temas", "English · español"]
    sources = assistant.act("s:school-enrollment", "pt")
    assert sources is not None and sources.footer == "Revisado em 15 de janeiro de 2025."


def test_the_urgent_path_in_portuguese_starts_with_911(assistant: Assistant) -> None:
    reply = assistant.ask("o ice está na minha porta agora mesmo", record=False).reply
    assert reply.kind == "urgent" and reply.lang == "pt"
    assert reply.right_now is not None
    assert reply.right_now.heading == "Se isto está acontecendo agora mesmo:"
    assert "911" in reply.right_now.steps[0]
    shown = render_text(reply)
    assert reply.entry_id == "ice-at-door"  # the urgent entry, after the right-now steps
    assert shown.index("911") < shown.index("FIXTURE-PORTA")
    assert shown.index("911") < 600


def test_the_welcome_names_the_three_languages_in_the_readers_own(assistant: Assistant) -> None:
    welcome = assistant.replies("pt").welcome()
    assert welcome.title == "Conheça os seus direitos em Connecticut"
    assert ("Escreva a sua pergunta com as suas palavras, em português, inglês ou espanhol, ou "
            "escolha um tema aqui embaixo.") in welcome.paragraphs
    spanish = assistant.replies("es").welcome()
    assert ("Escriba su pregunta con sus propias palabras, en español, inglés o portugués, o "
            "elija un tema aquí abajo.") in spanish.paragraphs
    english = assistant.replies("en").welcome()
    assert ("Write your question in your own words, in English, Spanish, or Portuguese, or "
            "choose a topic below.") in english.paragraphs


def test_a_language_the_bot_does_not_read_is_told_in_all_three(assistant: Assistant) -> None:
    reply = assistant.ask("移民局可以进我家吗", record=False).reply
    assert reply.kind == "unsupported-language"
    body = reply.paragraphs[0]
    assert "Eu consigo ler inglês, espanhol ou português." in body
    assert [b.label for row in reply.buttons for b in row] == ["English", "español", "português"]


def test_the_console_chat_in_portuguese() -> None:
    assistant = Assistant.load(FIXTURE_CONTENT, locale_dir())
    out = io.StringIO()
    lines = ["/language\n", "3\n", "ICE\n", "/start school-ice-visit\n"]
    ConsoleChat(assistant).run(lines, out, interactive=False)
    shown = out.getvalue()
    assert "[3] português" in shown
    assert "A partir de agora, vou responder em português." in shown
    assert "VOCÊ QUIS DIZER…?" in shown  # "ICE" alone: the chosen language's did-you-mean
    assert "FIXTURE-ESCOLA-ICE" in shown


def test_the_console_starts_in_portuguese_with_lang_pt(assistant: Assistant) -> None:
    out = io.StringIO()
    ConsoleChat(assistant, "pt").run(["/help\n"], out, interactive=False)
    assert "COMO USAR ESTE BOT" in out.getvalue()


def test_try_reads_a_portuguese_message(assistant: Assistant) -> None:
    inspection = inspect_content(FIXTURE_CONTENT)
    result = dry_run(assistant, inspection.places, "o ice pode entrar na escola do meu filho",
                     None)
    assert result.outcome == "answer" and result.lang == "pt"
    words = result.in_words()
    assert "  O que acontece se agentes do ICE forem à escola do meu filho?" in words
    assert any("pt/schools.yaml" in line for line in words)


def test_the_language_button_stays_one_button_however_many_languages(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch,
) -> None:
    build = assistant.replies("pt")
    (button,) = build.other_language_button("ice-at-door")
    assert (button.label, button.action) == ("English · español", "o:ice-at-door")
    # Names that no longer fit a button (phones cut labels past 40 characters): its own words.
    monkeypatch.setattr(build, "other_languages", lambda: ["en", "es", "fr", "de", "ht"])
    (button,) = build.other_language_button("ice-at-door")
    assert (button.label, button.action) == ("Outros idiomas", "o:ice-at-door")
    monkeypatch.setattr(build, "other_languages", lambda: ["es"])  # two languages: as before
    (button,) = build.other_language_button("ice-at-door")
    assert (button.label, button.action) == ("español", "e:ice-at-door:es")
