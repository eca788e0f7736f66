"""The card and the flyers, made from the real content, read back as an organizer's phone would.

Every page is rendered to an image (PDFium) and its QR codes decoded (zxing-cpp, the decoder of
many phone apps); each decoded link is then sent to the real bot, through the fake Bot API, as
Telegram sends a `t.me/<bot>?start=<id>` link: `/start <id>`. Entry ids are taken from the
loaded content (print.yaml), never listed here, so new entries and languages are covered too.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pypdfium2 as pdfium
import pytest
import zxingcpp

from bot import paths
from bot.cli import main
from bot.knowledge import Knowledge
from bot.loading import check_content
from bot.printing import PrintError
from bot.printing.card import make_card
from bot.printing.flyer import flyer_plan, make_flyer
from bot.printing.layout import missing_characters
from bot.printing.links import clean_username, deep_link
from bot.printing.paper import PaperRequest, make_paper
from bot.printing.source import PrintSource
from bot.telegram.identity import username_from_telegram
from bot.telegram.render import render
from tests.conftest import TOKEN, Launch, Person
from tests.fake_telegram import BOT_USERNAME, FakeTelegram

CONTENT = paths.content_dir()
LOCALE = paths.locale_dir()
_knowledge, _problems = check_content(CONTENT)
pytestmark = pytest.mark.skipif(
    _knowledge is None, reason="content/ does not validate yet (python -m bot validate)")
DPI = 200
MM_PER_PX = 25.4 / DPI
NO_TELEGRAM = {"BOT_USERNAME": BOT_USERNAME}


def knowledge() -> Knowledge:
    assert _knowledge is not None
    return _knowledge


def languages() -> tuple[str, ...]:
    return knowledge().language_codes if _knowledge is not None else ()


def source(lang: str) -> PrintSource:
    return PrintSource.of(knowledge(), LOCALE, lang, BOT_USERNAME)


def make(tmp: Path, kind: str, lang: str, **options: object) -> Path:
    """The PDF the command would write (the content is loaded once, not per PDF)."""
    request = PaperRequest(kind, lang, None, **options)  # type: ignore[arg-type]
    out = tmp / request.default_name(lang)
    out.write_bytes(make_card(source(lang), request.sheet) if kind == "card" else
                    make_flyer(source(lang), request.topic, request.a4))
    return out


def pages(pdf: Path) -> list[pdfium.PdfPage]:
    return list(pdfium.PdfDocument(pdf))


@dataclass(frozen=True)
class Scan:
    """One QR code found on a page: what it says, and how wide it is printed."""

    link: str
    width_mm: float


@cache
def scan(pdf: Path) -> tuple[tuple[Scan, ...], ...]:
    """Every QR code of every page of the PDF, as a phone's decoder reads it (each PDF is
    rendered and decoded once per test run)."""
    found = []
    for page in pages(pdf):
        codes = zxingcpp.read_barcodes(page.render(scale=DPI / 72).to_pil())
        assert all(code.format == zxingcpp.BarcodeFormat.QRCode for code in codes)
        found.append(tuple(
            Scan(code.text, (code.position.top_right.x - code.position.top_left.x) * MM_PER_PX)
            for code in codes))
    return tuple(found)


def links(pdf: Path, page: int = 0) -> list[str]:
    return sorted(code.link for code in scan(pdf)[page])


def words(page: pdfium.PdfPage) -> str:
    """The page's text with line breaks as spaces (a step wrapped on two lines reads whole)."""
    return " ".join(page.get_textpage().get_text_bounded().split())


def flyers(lang: str) -> list[str | None]:
    return [None, *(t.id for t in knowledge().languages[lang].topics)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str | None], Path]:
    """Every card and flyer of every language: (kind, lang, topic or "sheet") -> PDF."""
    tmp = tmp_path_factory.mktemp("paper")
    made: dict[tuple[str, str, str | None], Path] = {}
    for lang in languages():
        made["card", lang, None] = make(tmp, "card", lang)
        made["card", lang, "sheet"] = make(tmp, "card", lang, sheet=True)
        for topic in flyers(lang):
            made["flyer", lang, topic] = make(tmp, "flyer", lang, topic=topic)
    return made


# -- the QR codes -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", languages())
def test_the_card_back_opens_the_bot_at_the_cards_entry(printed: dict, lang: str) -> None:
    plan = source(lang).plan.card
    card, sheet = printed["card", lang, None], printed["card", lang, "sheet"]
    assert links(card, 0) == [] and links(card, 1) == [deep_link(BOT_USERNAME, plan.entry)]
    assert links(sheet, 0) == []
    assert links(sheet, 1) == [deep_link(BOT_USERNAME, plan.entry)] * 10


@pytest.mark.parametrize("lang", languages())
def test_every_flyer_has_a_code_per_question_and_one_to_the_bot(printed: dict, lang: str) -> None:
    for topic in flyers(lang):
        plan = flyer_plan(source(lang), topic)
        pdf = printed["flyer", lang, topic]
        (page,) = pages(pdf)
        expected = [deep_link(BOT_USERNAME, e) for e in plan.entries]
        assert links(pdf) == sorted([*expected, deep_link(BOT_USERNAME, topic)]), topic
        for question in plan.entries:  # each question is printed beside its code
            assert words(page).count(" ".join(
                knowledge().languages[lang].entries[question].question.split())) == 1


@pytest.mark.parametrize("lang", languages())
def test_flyer_codes_are_big_enough_to_scan_at_arms_length(printed: dict, lang: str) -> None:
    for topic in flyers(lang):
        (page,) = scan(printed["flyer", lang, topic])
        assert min(code.width_mm for code in page) >= 25, topic
    _front, (code,) = scan(printed["card", lang, None])
    assert code.width_mm >= 25


async def test_the_bot_answers_every_printed_link_with_its_entry(
    printed: dict, tg: FakeTelegram, launch: Launch
) -> None:
    """What a phone does with a scanned code: Telegram opens the chat and sends /start <id>."""
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    scanned = sorted({(lang, code.link) for (_kind, lang, _topic), pdf in printed.items()
                      for page in scan(pdf) for code in page})
    assert len(scanned) > len(languages())  # a card entry and the flyers' entries, at least
    for user_id, (lang, link) in enumerate(scanned, start=1000):  # a new person each time
        url = urlparse(link)
        assert url.scheme == "https" and url.netloc == "t.me"
        assert url.path == f"/{BOT_USERNAME}"
        ref = parse_qs(url.query).get("start", [None])[0]
        message = f"/start {ref}" if ref else "/start"
        (reply,) = await Person(tg, user_id=user_id, language_code=lang).say(message)
        build = source(lang).replies
        entry = build.content.entries.get(ref or "")
        expected = build.entry(entry) if entry else build.topic(ref) if ref else build.welcome()
        assert expected is not None, f"{link}: the bot has no entry or topic {ref!r}"
        assert reply.params["text"] == render(expected)[0].text, link


# -- what the paper says ------------------------------------------------------------------------
@pytest.mark.parametrize("lang", languages())
def test_the_card_front_has_the_right_now_steps_911_and_the_hotline(printed: dict,
                                                                     lang: str) -> None:
    content = knowledge().languages[lang]
    plan = source(lang).plan.card
    front, back = pages(printed["card", lang, None])
    text = words(front)
    assert content.right_now is not None
    for step in content.right_now.steps:
        assert " ".join(step.split()) in text
    phones = [content.contacts[c].phones[0] for c in plan.contacts]
    assert "911" in phones
    for phone in phones:
        assert phone in text
    assert plan.title in text
    back_text = words(back)
    for code in languages():  # "in English and Spanish", named in the card's language
        name = source(lang).replies.t.language_list([code])
        assert name in back_text, (name, back_text)
    assert " ".join(source(lang).replies.disclaimer().split()) in back_text
    assert f"t.me/{BOT_USERNAME}" in back_text


def test_the_card_names_the_languages_of_the_content_in_its_own_language() -> None:
    for lang in languages():
        line = source(lang).languages_line()
        assert all(source(lang).replies.t.language_list([c]) in line for c in languages())
        assert (lang == "en") == line.startswith("Scan:")  # translated in every other language


@pytest.mark.parametrize("lang", languages())
def test_page_sizes_are_wallet_card_and_us_letter(printed: dict, lang: str,
                                                  tmp_path: Path) -> None:
    sizes = [tuple(round(v) for v in page.get_size())
             for page in pages(printed["card", lang, None])]
    assert sizes == [(252, 144), (252, 144)]  # 3.5 x 2 in, front and back
    sheet = [tuple(round(v) for v in page.get_size())
             for page in pages(printed["card", lang, "sheet"])]
    assert sheet == [(612, 792), (612, 792)]
    (flyer,) = pages(printed["flyer", lang, None])
    assert tuple(round(v) for v in flyer.get_size()) == (612, 792)
    a4_pdf = make(tmp_path, "flyer", lang, a4=True)
    (a4,) = pages(a4_pdf)
    assert tuple(round(v) for v in a4.get_size()) == (595, 842)
    assert len(links(a4_pdf)) == len(flyer_plan(source(lang), None).entries) + 1


def test_the_print_font_has_every_letter_the_paper_can_show() -> None:
    for lang, content in knowledge().languages.items():
        texts = [e.question for e in content.entries.values()]
        texts += [t.title for t in content.topics] + [c.name for c in content.contacts.values()]
        texts += list(content.right_now.steps if content.right_now else ())
        plan = source(lang).plan
        texts += [plan.card.title, plan.flyer.title, source(lang).languages_line(),
                  source(lang).replies.disclaimer(), source(lang).reviewed_line(
                      tuple(content.entries)) or ""]
        for text in texts:
            assert not missing_characters(text) and not missing_characters(text, "B"), text


def test_a_content_edit_changes_the_next_print(content_copy: Path, tmp_path: Path) -> None:
    entry_id = flyer_plan(source("en"), None).entries[0]
    old = knowledge().languages["en"].entries[entry_id].question
    for topic_file in (content_copy / "en").glob("*.yaml"):
        text = topic_file.read_text(encoding="utf-8")
        if f"question: {old}" in text:
            topic_file.write_text(text.replace(f"question: {old}",
                                               "question: Can ICE agents come into my home?"))
    out = make_paper(PaperRequest("flyer", "en", tmp_path / "f.pdf"), content_copy, LOCALE,
                     env=NO_TELEGRAM)
    assert "Can ICE agents come into my home?" in words(pages(out)[0])


# -- the bot's username ---------------------------------------------------------------------------
async def test_the_username_is_asked_of_telegram_with_the_token(tg: FakeTelegram) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url}
    assert await asyncio.to_thread(username_from_telegram, env) == BOT_USERNAME
    assert username_from_telegram({}) is None


def test_the_username_option_wins_and_is_cleaned(tmp_path: Path) -> None:
    assert clean_username("@Kyr_CT_bot") == "Kyr_CT_bot"
    assert clean_username("https://t.me/kyr_ct_bot/") == "kyr_ct_bot"
    out = make_paper(PaperRequest("card", "en", tmp_path / "c.pdf", bot_username="t.me/other_bot"),
                     CONTENT, LOCALE, env=NO_TELEGRAM)
    assert links(out, 1) == [deep_link("other_bot", source("en").plan.card.entry)]
    for wrong in ("kyr", "kyr_ct", "kyr ct bot", "@"):
        with pytest.raises(PrintError, match="not a bot's username"):
            clean_username(wrong)


# -- bad input: one line, exit code 1 --------------------------------------------------------------
def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("argv", "says"), [
    (["card", "--lang", "xx"], "unknown language 'xx': the content has"),
    (["flyer", "--topic", "no-such-topic"], "unknown topic 'no-such-topic'"),
    (["card", "--out", "no/such/folder/card.pdf"], "the folder 'no/such/folder' does not exist"),
    (["card", "--bot-username", "kyr"], "'kyr' is not a bot's username"),
])
def test_bad_input_is_one_line_and_exit_code_1(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_USERNAME", BOT_USERNAME)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(says), err
    assert list(tmp_path.iterdir()) == []


def test_without_any_username_it_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_USERNAME", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code, _out, err = run(capsys, "card")
    assert code == 1 and err.count("\n") == 1
    assert "--bot-username" in err and "BOT_USERNAME" in err and "TELEGRAM_BOT_TOKEN" in err


def test_a_question_too_long_to_fit_is_named_with_how_much_to_cut(
    content_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    entry_id = flyer_plan(source("es"), None).entries[0]
    old = knowledge().languages["es"].entries[entry_id].question
    long = " ".join([old.rstrip("?")] * 8) + "?"
    for topic_file in (content_copy / "es").glob("*.yaml"):
        text = topic_file.read_text(encoding="utf-8")
        if f"question: {old}" in text:
            topic_file.write_text(text.replace(f"question: {old}", f"question: {long}"))
    monkeypatch.setenv("CONTENT_DIR", str(content_copy))
    monkeypatch.setenv("BOT_USERNAME", BOT_USERNAME)
    code, _out, err = run(capsys, "flyer", "--lang", "es", "--out", str(tmp_path / "f.pdf"))
    assert code == 1 and err.count("\n") == 1, err
    assert f"entry '{entry_id}'" in err
    assert re.search(r"\d+ mm too long .* shorten it by about \d+ characters", err), err
    assert not (tmp_path / "f.pdf").exists()


def test_the_command_writes_the_pdf_and_says_where(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    lang = languages()[-1]
    code, out, err = run(capsys, "card", "--lang", lang, "--sheet", "--bot-username", BOT_USERNAME)
    assert (code, err) == (0, "")
    assert out == f"wrote card-{lang}-sheet.pdf\n"
    assert (tmp_path / f"card-{lang}-sheet.pdf").read_bytes().startswith(b"%PDF")


def test_content_with_errors_prints_nothing(
    content_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    plan = content_copy / "en" / "print.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("entry: ", "entry: no-such-"),
                    encoding="utf-8")
    monkeypatch.setenv("CONTENT_DIR", str(content_copy))
    code, out, err = run(capsys, "card", "--bot-username", BOT_USERNAME,
                         "--out", str(tmp_path / "card.pdf"))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith("the content has 1 error(s), so nothing is printed")
    assert not (tmp_path / "card.pdf").exists()
