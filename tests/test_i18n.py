"""Interface text: catalogs complete and current, languages negotiated with Babel, dates, names and
plurals from Babel, and a third language served with no code change.

The checks on the committed catalogs (stale .pot, missing or fuzzy translations, placeholders,
content/catalog parity) are what a translator or developer runs into first: each failure says
which command fixes it.
"""

from __future__ import annotations

import io
import re
import shutil
import string
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations

from bot.assistant import Assistant
from bot.cli import main as cli_main
from bot.cli import validate_content
from bot.i18n import (
    SOURCE_LANGUAGE,
    Catalogs,
    Translator,
    available_catalogs,
    catalog_path,
    language_name,
    negotiate_language,
)
from bot.loading import LANGUAGE_DIR_PATTERN
from bot.replies import Reply
from tests.conftest import FIXTURE_CONTENT, Launch, Person, buttons
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
CONTENT = ROOT / "content"
POT = LOCALE / "messages.pot"
# The documented extraction command (README), minus the output file.
EXTRACT = ["extract", "-F", "pyproject.toml", "--no-location", "--sort-output", "--omit-header",
           "-k", "N_"]
TRANSLATED = sorted(available_catalogs(LOCALE) - {SOURCE_LANGUAGE})
# Enough numbers to reach every plural form of every language Babel knows (1000000: Spanish's
# and French's "many" form, as in "1000000 de preguntas").
PLURAL_SAMPLES = (*range(0, 202), 1000, 1_000_000, 2_000_000)


def pybabel(*args: str | Path, cwd: Path = ROOT) -> None:
    """Run Babel's own command line (pybabel), as a developer would."""
    command = [sys.executable, "-m", "babel.messages.frontend", *map(str, args)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=lang)


def key(message: Message) -> tuple[str, str | None]:
    """(msgid, msgid_plural) of a catalog message."""
    if isinstance(message.id, tuple | list):
        return message.id[0], message.id[1]
    return message.id, None


def keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {key(m) for m in catalog if m.id}


def forms(message: Message) -> list[str]:
    """Every translated form of a message (one for a plain message, one per plural form)."""
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string]


BRACE = string.Formatter()
PERCENT = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> list[str]:
    """'{date}' and '%(name)s' placeholders in a string, sorted (duplicates kept)."""
    found = [f"{{{name}}}" for _lit, name, _spec, _conv in BRACE.parse(text) if name is not None]
    found += [match.group(0) for match in PERCENT.finditer(text)]
    return sorted(found)


def translated_text(reply: Reply) -> list[str]:
    """Every interface string a reply shows."""
    texts = [reply.title or "", *reply.paragraphs, reply.contacts_heading or "", reply.footer or ""]
    texts += [label for card in reply.contacts for label, _value in card.details]
    texts += [button.label for row in reply.buttons for button in row]
    if reply.right_now is not None:
        texts.append(reply.right_now.heading)
    return [t for t in texts if t]


# -- the committed catalogs ----------------------------------------------------------------------
def test_pot_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    pybabel(*EXTRACT, "-o", fresh, ".")
    extracted, committed = keys(read_catalog(fresh)), keys(read_catalog(POT))
    assert extracted == committed, (
        "locale/messages.pot is stale: run the extraction and update commands from the README "
        f"(new in code: {sorted(extracted - committed)}; gone from code: "
        f"{sorted(committed - extracted)})"
    )


def test_there_is_a_translated_catalog() -> None:
    assert "es" in TRANSLATED
    assert catalog_path(LOCALE, "es") == LOCALE / "es" / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize("lang", sorted(available_catalogs(LOCALE)))
def test_catalog_has_exactly_the_pot_msgids(lang: str) -> None:
    catalog = read_catalog(catalog_path(LOCALE, lang), lang)
    expected = keys(read_catalog(POT))
    assert keys(catalog) == expected, (
        f"locale/{lang} is out of date: run `pybabel update -i locale/messages.pot -d locale "
        f"--no-fuzzy-matching` (missing: {sorted(expected - keys(catalog))}; extra: "
        f"{sorted(keys(catalog) - expected)})"
    )
    assert not catalog.obsolete, f"obsolete (#~) entries in locale/{lang}: {list(catalog.obsolete)}"
    assert not [key(m) for m in catalog if m.id and m.fuzzy], f"fuzzy entries in locale/{lang}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_msgid_is_translated_in_every_plural_form(lang: str) -> None:
    catalog = read_catalog(catalog_path(LOCALE, lang), lang)
    for message in catalog:
        if not message.id:
            continue
        texts = forms(message)
        if message.pluralizable:
            assert len(texts) == catalog.num_plurals, (lang, key(message), texts)
        assert all(t.strip() for t in texts), f"untranslated in locale/{lang}: {key(message)}"


@pytest.mark.parametrize("lang", sorted(available_catalogs(LOCALE)))
def test_placeholders_match_between_msgid_and_translation(lang: str) -> None:
    catalog = read_catalog(catalog_path(LOCALE, lang), lang)
    for message in catalog:
        if not message.id:
            continue
        singular, plural = key(message)
        wanted = placeholders(singular)
        if plural is not None:
            assert placeholders(plural) == wanted, key(message)
        for form in forms(message):
            if form:  # empty in the source language: the msgid itself is shown
                assert placeholders(form) == wanted, (lang, singular, form)


def test_placeholder_finder() -> None:
    assert placeholders("{n} of {total} {n}") == ["{n}", "{n}", "{total}"]
    assert placeholders("%(name)s has %(count)d, 100%% sure") == ["%(count)d", "%(name)s"]
    assert placeholders("Reviewed on {date}.") != placeholders("Revisado el {fecha}.")


def test_every_language_with_content_has_a_catalog() -> None:
    """Content without a catalog is an error; a catalog without content is a language in
    preparation (Portuguese's catalog was translated before its FAQ landed)."""
    with_content = {
        d.name for d in CONTENT.iterdir()
        if d.is_dir() and LANGUAGE_DIR_PATTERN.match(d.name) and any(d.glob("*.yaml"))
    }
    assert with_content <= available_catalogs(LOCALE)


def test_portuguese_has_a_catalog() -> None:
    assert "pt" in TRANSLATED


# -- negotiation, dates, names, plurals ----------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "expected"),
    [("es-MX", "es"), ("es-419", "es"), ("es", "es"), ("es_MX", "es"), ("ES-mx", "es"),
     ("en-US", "en"), ("en", "en"), ("pt-BR", "pt"), ("pt-PT", "pt"), ("pt", "pt"),
     ("pt_BR", "pt"), ("gl", None), ("garbage", None), ("x-klingon", None), ("", None),
     (None, None)],
)
def test_telegram_language_code_is_negotiated(code: str | None, expected: str | None) -> None:
    assert negotiate_language(code, ["en", "es", "pt"]) == expected


def test_portuguese_is_not_negotiated_without_portuguese() -> None:
    assert negotiate_language("pt-BR", ["en", "es"]) is None


def test_negotiation_gives_the_folder_spelling() -> None:
    assert negotiate_language("es-mx", ["en", "es-MX"]) == "es-MX"
    assert negotiate_language("es-419", ["en", "es-419"]) == "es-419"


def test_dates_and_language_names_come_from_babel() -> None:
    reviewed = date(2026, 11, 29)
    assert Translator("es", NullTranslations()).format_date(reviewed) == "29 de noviembre de 2026"
    assert Translator("en", NullTranslations()).format_date(reviewed) == "November 29, 2026"
    assert Translator("es-419", NullTranslations()).format_date(reviewed) == (
        "29 de noviembre de 2026")
    assert language_name("es") == "español"
    assert language_name("en") == "English"
    assert language_name("fr") == "français"
    assert language_name("pt") == "português"
    assert Translator("pt", NullTranslations()).format_date(reviewed) == (
        "29 de novembro de 2026")


def test_reviewed_date_is_shown_in_the_users_language() -> None:
    assistant = Assistant.load(FIXTURE_CONTENT, LOCALE)
    spanish = assistant.replies("es")
    assert spanish.entry(spanish.content.entries["ice-at-door"]).contacts_heading == (
        "Quién puede ayudar")
    sources = spanish.sources("ice-at-door")
    assert sources is not None and sources.footer == "Revisado el 15 de enero de 2025."
    english = assistant.replies("en").sources("ice-at-door")
    assert english is not None and english.footer == "Reviewed on January 15, 2025."


QUESTIONS = ("{n} question so far.", "{n} questions so far.")


def test_portuguese_plurals_use_all_three_forms() -> None:
    pt = Catalogs(LOCALE, ["pt"]).translator("pt")
    shown = [pt.ngettext(*QUESTIONS, n).format(n=n) for n in (0, 1, 2, 5, 1_000_000)]
    assert shown == [
        "0 pergunta até agora.",  # zero is singular in Portuguese (CLDR)
        "1 pergunta até agora.",
        "2 perguntas até agora.",
        "5 perguntas até agora.",
        "1000000 de perguntas até agora.",
    ]


def test_spanish_plurals_use_all_three_forms() -> None:
    es = Catalogs(LOCALE, ["es"]).translator("es")
    one, *other = (es.ngettext(*QUESTIONS, n).format(n=n) for n in (1, 2, 5, 0, 1_000_000))
    assert one == "1 pregunta hasta ahora."
    assert other == [
        "2 preguntas hasta ahora.",
        "5 preguntas hasta ahora.",
        "0 preguntas hasta ahora.",
        "1000000 de preguntas hasta ahora.",  # the form English does not have
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_ngettext_never_falls_back_to_english(lang: str) -> None:
    """Every plural form is reached and translated: no n shows the English text."""
    catalog = read_catalog(catalog_path(LOCALE, lang), lang)
    translator = Catalogs(LOCALE, [lang]).translator(lang)
    form_of = translator.translations.plural  # type: ignore[attr-defined]  # the header's rule
    assert {form_of(n) for n in PLURAL_SAMPLES} == set(range(catalog.num_plurals))
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals, "no plural message to check"
    for message in plurals:
        singular, plural = key(message)
        for n in PLURAL_SAMPLES:
            shown = translator.ngettext(singular, plural or "", n)
            assert shown == forms(message)[form_of(n)], (lang, singular, n)
            assert shown not in (singular, plural), (lang, singular, n)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_replies_show_no_english_interface_text(lang: str) -> None:
    """Built with a complete catalog, no reply shows an untranslated interface string."""
    english = {key(m)[0] for m in read_catalog(POT) if m.id}
    assistant = Assistant.load(FIXTURE_CONTENT, LOCALE)
    build = assistant.replies(lang)
    entries = list(build.content.entries.values())
    replies = [build.entry(e) for e in entries] + [build.sources(e.id) for e in entries]
    replies += [build.topic(t.id) for t in build.content.topics]
    replies += [build.welcome(), build.topics(), build.contacts(), build.help(), build.privacy(),
                build.forgotten(), build.non_text(), build.error(), build.empty(),
                build.language_menu(), build.language_set(), build.no_answer(), build.urgent(None),
                build.thanks(), build.suggestions(tuple(e.id for e in entries[:2]))]
    replies += [build.more_help(e.id) for e in entries]
    shown = [text for reply in replies if reply is not None for text in translated_text(reply)]
    leftovers = sorted({text for text in shown if text in english})
    assert not leftovers


# -- a third language, with no code change -------------------------------------------------------
FR_SCHOOLS = """\
topic: schools
title: Écoles et élèves
order: 1
entries:
  - id: school-ice-visit
    question: Que se passe-t-il si des agents de l'ICE viennent à l'école de mon enfant ?
    short_title: "L'ICE à l'école de mon enfant"
    phrasings:
      - est-ce que l'ice peut entrer dans l'école de mes enfants
      - des agents de l'immigration à l'école
      - l'ice peut-il venir chercher mon fils à l'école
      - mon enfant est-il en sécurité à l'école
      - des agents de l'ice à l'école de mes enfants
      - l'école laisse-t-elle entrer l'ice
      - l'immigration peut-elle entrer dans une école
      - que se passe-t-il si l'ice vient à l'école
    answer: |
      FIXTURE-ECOLE-ICE. Les écoles ne laissent pas entrer l'ICE sans mandat d'un juge.
    contacts: [legal-aid]
    related: [school-enrollment]
    sources:
      - title: Source de test
        url: https://example.org/schools
    reviewed: 2025-01-15

  - id: school-enrollment
    question: Mon enfant peut-il aller à l'école publique si nous sommes sans papiers ?
    short_title: École publique sans papiers
    phrasings:
      - mon enfant peut aller à l'école sans papiers
      - inscrire mon enfant à l'école publique
      - les enfants sans papiers peuvent-ils aller à l'école publique
      - inscription scolaire sans papiers
      - faut-il des papiers pour inscrire mon enfant
      - école publique pour enfants sans statut
      - mon fils peut-il aller à l'école sans numéro de sécurité sociale
      - inscrire mon enfant sans papiers
    answer: |
      FIXTURE-INSCRIPTION. Oui. Chaque enfant a droit à l'école publique gratuite.
    contacts: [legal-aid]
    related: [school-ice-visit]
    sources:
      - title: Source de test
    reviewed: 2025-01-15
"""

FR_ICE = """\
topic: ice-home
title: L'ICE à la maison
order: 2
entries:
  - id: ice-at-door
    question: Que faire si l'ICE est à ma porte ?
    short_title: "L'ICE à ma porte"
    urgent: true
    phrasings:
      - l'ice frappe à ma porte
      - est-ce que je dois ouvrir la porte à l'ice
      - des agents de l'immigration devant ma maison
      - l'ice frappe chez moi que faire
      - des agents à ma porte veulent entrer
      - dois-je ouvrir si l'ice frappe
      - l'ice devant mon appartement
      - des agents frappent à ma porte
    answer: |
      FIXTURE-PORTE. N'ouvrez pas la porte. Demandez qu'on glisse le mandat sous la porte.
    contacts: [legal-aid, hotline]
    related: [ice-warrant]
    sources:
      - title: Source de test
    reviewed: 2025-01-15

  - id: ice-warrant
    question: Quel mandat permet à l'ICE d'entrer chez moi ?
    short_title: Mandats pour entrer chez moi
    phrasings:
      - quel mandat faut-il à l'ice pour entrer chez moi
      - un mandat signé par un juge ou un formulaire de l'ice
      - l'ice a-t-il besoin d'un mandat d'un juge pour entrer
      - quel type de mandat laisse entrer l'ice
      - un mandat administratif suffit-il pour entrer
      - différence entre mandat judiciaire et mandat de l'ice
      - un formulaire i-205 suffit-il pour entrer chez moi
      - quel mandat faut-il pour entrer dans ma maison
    answer: |
      FIXTURE-MANDAT. Seul un mandat signé par un juge compte.
    contacts: [legal-aid]
    related: [ice-at-door]
    sources:
      - title: Source de test
    reviewed: 2025-01-15
"""

FR_RIGHT_NOW = """\
steps:
  - Appelez le 911 si quelqu'un est blessé ou en danger.
contacts: [hotline]
"""
FR_CONTACTS = """\
general: [legal-aid, hotline]
needs:
  - id: right-now
    title: Tout de suite
    contacts: [hotline]
  - id: legal-help
    title: Aide juridique
    contacts: [legal-aid]
contacts:
  - id: legal-aid
    name: Aide juridique de test
    description: Aide juridique gratuite pour les personnes à faible revenu.
    phone: 1-800-555-0100
    url: https://example.org/legal-aid

  - id: hotline
    name: Ligne d'urgence de test
    description: Appelez si des agents de l'immigration sont chez vous en ce moment.
    phone: 1-800-555-0199
"""

FR_VOCABULARY = """\
concepts:
  ice: [ice, agents de l'immigration, agent de l'immigration, la migra, migra, agents]
  school: [école, écoles, classe]
  door: [porte, portes]
  warrant: [mandat, mandats]
stopwords: [le, la, les, l, un, une, de, des, du, d, à, au, mon, ma, mes, que, qu, est, ce,
            je, dois, si, et, ou, par, pour, quel, chez, moi]
urgent: [en ce moment, à ma porte]
"""

FRENCH = {
    "Know your rights in Connecticut": "Connaissez vos droits au Connecticut",
    "Hello! I answer common questions about immigrants' rights in Connecticut: schools, police, "
    "ICE, detainers and where to find free help.":
        "Bonjour ! Je réponds aux questions courantes sur les droits des immigrés au "
        "Connecticut : écoles, police, ICE, détentions et où trouver de l'aide gratuite.",
    "Language": "Langue",
    "Choose your language:": "Choisissez votre langue :",
    "I will answer in {language} from now on.": "Je vous répondrai désormais en {language}.",
    "Who can help": "Qui peut aider",
    "Reviewed on {date}.": "Revu le {date}.",
    "Start: what I can do, and the topics": "Démarrer : ce que je sais faire, et les thèmes",
}


def make_french_catalog(locale_dir: Path) -> None:
    """`pybabel init` from the committed .pot, then a translator fills in a few strings."""
    pybabel("init", "-i", POT, "-d", locale_dir, "-l", "fr")
    path = catalog_path(locale_dir, "fr")
    catalog = read_catalog(path, "fr")
    for msgid, translation in FRENCH.items():
        message = catalog.get(msgid)
        assert message is not None, msgid
        message.string = translation
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


FR_OUT_OF_SCOPE = """\
out_of_scope:
  - id: small-talk
    phrasings:
      - quel temps fait-il aujourd'hui
      - raconte-moi une blague
"""


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(content_dir, locale_dir) with en, es (fixture content, real catalogs) and a tiny fr."""
    root = tmp_path_factory.mktemp("three-languages")
    content, locale = root / "content", root / "locale"
    for lang in ("en", "es"):
        shutil.copytree(FIXTURE_CONTENT / lang, content / lang)
        shutil.copytree(LOCALE / lang, locale / lang)
    french = content / "fr"
    french.mkdir()
    for name, text in [("schools.yaml", FR_SCHOOLS), ("ice.yaml", FR_ICE),
                       ("contacts.yaml", FR_CONTACTS), ("vocabulary.yaml", FR_VOCABULARY),
                       ("out-of-scope.yaml", FR_OUT_OF_SCOPE), ("right-now.yaml", FR_RIGHT_NOW)]:
        (french / name).write_text(text, encoding="utf-8")
    make_french_catalog(locale)
    return content, locale


def labels(reply: Reply) -> list[str]:
    return [button.label for row in reply.buttons for button in row]


def test_a_third_language_is_served(three_languages: tuple[Path, Path]) -> None:
    content, locale = three_languages
    assistant = Assistant.load(content, locale)
    assert assistant.languages == ("en", "es", "fr")

    # Negotiation: the user's choice, else Telegram's language code, else English.
    assert assistant.language_for(telegram_code="fr-CA") == "fr"
    assert assistant.language_for(telegram_code="fr") == "fr"
    assert assistant.language_for(telegram_code="es-MX") == "es"
    assert assistant.language_for(telegram_code="pt-BR") == "en"
    assert assistant.language_for(chosen="fr", telegram_code="es-MX") == "fr"

    welcome = assistant.replies("fr").welcome()
    assert welcome.title == "Connaissez vos droits au Connecticut"
    assert welcome.paragraphs[0].startswith("Bonjour !")
    assert "/privacy" in welcome.paragraphs[-1]  # untranslated here: English, never empty
    assert labels(welcome) == ["Écoles et élèves", "L'ICE à la maison", "English", "español"]
    assert "français" in labels(assistant.replies("es").welcome())

    menu = assistant.replies("fr").language_menu()
    assert (menu.title, menu.paragraphs) == ("Langue", ("Choisissez votre langue :",))
    assert labels(menu) == ["English", "español", "français"]
    assert [b.action for row in menu.buttons for b in row] == ["l:en", "l:es", "l:fr"]
    chosen = assistant.act("l:fr", "es")
    assert chosen is not None
    assert chosen.paragraphs == ("Je vous répondrai désormais en français.",)

    # A question written in French is answered in French, whatever the phone's language.
    for phone in ("fr-CA", "en", None):
        answer = assistant.ask("est-ce que je dois ouvrir la porte à l'ice", telegram_code=phone)
        reply = answer.reply
        assert (reply.lang, reply.entry_id) == ("fr", "ice-at-door"), phone
        assert reply.paragraphs[-1].startswith("FIXTURE-PORTE")
        sources = assistant.act(f"s:{reply.entry_id}", reply.lang)
        assert sources is not None and sources.footer == "Revu le 15 janvier 2025."
        assert reply.contacts_heading == "Qui peut aider"
        # The same answer in the other two: one button (the keyboard is no longer than with
        # two languages), a menu of both behind it.
        assert labels(reply)[-1] == "English · español"
        assert reply.buttons[-1][-1].action == "o:ice-at-door"
        menu = assistant.act("o:ice-at-door", "fr")
        assert menu is not None
        assert [b.action for row in menu.buttons for b in row] == [
            "e:ice-at-door:en", "e:ice-at-door:es", "e:ice-at-door"]
        spanish = assistant.act("e:ice-at-door:es", "fr")
        assert spanish is not None and spanish.paragraphs[-1].startswith("FIXTURE-PUERTA")


def test_validate_accepts_a_third_language_with_its_catalog(
    three_languages: tuple[Path, Path],
) -> None:
    content, locale = three_languages
    out = io.StringIO()
    assert validate_content(content, out, quiet=True, locale_dir=locale) == 0, out.getvalue()
    assert "fr: 4 entries in 2 topics, 2 contacts" in out.getvalue()


def test_validate_reports_content_without_a_catalog(
    three_languages: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
) -> None:
    content, _locale = three_languages
    # The real locale/ has no French catalog.
    assert cli_main(["validate", "--quiet", str(content)]) == 1
    output = capsys.readouterr().out
    assert "language 'fr' has content but no interface catalog" in output
    assert "1 error," in output


def test_validate_warns_of_a_catalog_without_content(
    three_languages: tuple[Path, Path], tmp_path: Path,
) -> None:
    """A language in preparation (its catalog translated, its FAQ not written yet) is not an
    error: the bot simply does not offer it until its content folder exists."""
    _content, locale = three_languages
    english_only = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT / "en", english_only / "en")
    out = io.StringIO()
    assert validate_content(english_only, out, quiet=True, locale_dir=locale) == 0, (
        out.getvalue())
    for lang in ("es", "fr"):
        assert (f"warning: language '{lang}' has an interface catalog but no content folder "
                "yet, so the bot does not offer it") in out.getvalue()
    assistant = Assistant.load(english_only, locale)
    assert assistant.languages == ("en",)
    assert assistant.language_for(telegram_code="fr-CA") == "en"


async def test_a_third_language_on_telegram(
    tg: FakeTelegram, launch: Launch, three_languages: tuple[Path, Path],
) -> None:
    content, locale = three_languages
    await launch(content_dir=content, locale_dir=locale)
    marie = Person(tg, user_id=3003, language_code="fr-CA")

    (welcome,) = await marie.say("/start")
    assert welcome.params["text"].startswith("<b>Connaissez vos droits au Connecticut</b>")

    (menu,) = await marie.say("/language")
    assert menu.params["text"].startswith("<b>Langue</b>")
    assert buttons(menu) == [("English", "fr|l:en"), ("español", "fr|l:es"),
                             ("français", "fr|l:fr")]
    _, edit = await marie.press("fr|l:es")
    assert "Desde ahora le responderé en español" in edit.params["text"]

    french_menu = tg.commands[('{"type": "default"}', "fr")]
    assert french_menu[0]["description"] == "Démarrer : ce que je sais faire, et les thèmes"
    assert french_menu[1]["description"] == "Browse the questions by topic"  # not translated yet
