"""Reply -> Telegram HTML and keyboards: escaping, splitting and Telegram's limits."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import Catalogs
from bot.loading import Problem
from bot.replies import Button, ContactCard, ContactLine, Reply, RightNow
from bot.telegram import admin
from bot.telegram.render import (
    CALLBACK_DATA_LIMIT,
    MESSAGE_LIMIT,
    inline_article,
    keyboard,
    parse_callback_data,
    render,
    render_single,
    split_plain,
    telegram_length,
    visible_text,
)


def reply(**fields: object) -> Reply:
    return Reply(lang="en", kind="answer", **fields)  # type: ignore[arg-type]


def test_everything_is_escaped_and_formatted() -> None:
    card = ContactCard("A & B <Legal>", "Free <help>", (("Phone", "1 < 2"),))
    (message,) = render(reply(
        title="Is <b> & bold?", paragraphs=("Text with <i>tags</i> & ampersands.\n- one\n- two",),
        contacts_heading="Who can help", contacts=(card,), footer="Reviewed <today>.",
    ))
    assert message.text == (
        "<b>Is &lt;b&gt; &amp; bold?</b>\n\n"
        "Text with &lt;i&gt;tags&lt;/i&gt; &amp; ampersands.\n• one\n• two\n\n"
        "<b>Who can help</b>\n\n"
        "• <b>A &amp; B &lt;Legal&gt;</b> — Free &lt;help&gt;\n    Phone: 1 &lt; 2\n\n"
        "<i>Reviewed &lt;today&gt;.</i>"
    )
    assert message.markup is None


def test_keyboard_carries_the_language_and_respects_limits() -> None:
    long_id = "x" * 70
    rows = (
        (Button("Fine", "e:school-ice-visit"), Button("Too long", f"e:{long_id}")),
        tuple(Button(str(n), f"t:{n}") for n in range(10)),
    )
    markup = keyboard(Reply(lang="es", kind="topics", buttons=rows))
    assert markup is not None
    layout = [[b.callback_data for b in row] for row in markup.inline_keyboard]
    assert layout[0] == ["es|e:school-ice-visit"]  # the too-long one is left out
    assert [len(row) for row in layout[1:]] == [8, 2]  # at most 8 in a row
    assert all(len(d.encode()) <= CALLBACK_DATA_LIMIT for row in layout for d in row if d)
    assert parse_callback_data("es|e:a:en") == ("es", "e:a:en")
    assert parse_callback_data("T") == (None, "T")


def test_keyboard_has_at_most_100_buttons_and_keeps_the_last_row() -> None:
    rows = (*((Button(f"Q{n}", f"e:q{n}"),) for n in range(150)), (Button("Back", "T"),))
    markup = keyboard(reply(buttons=rows))
    assert markup is not None
    assert sum(map(len, markup.inline_keyboard)) == 100
    assert markup.inline_keyboard[-1][0].text == "Back"


def test_long_reply_is_split_between_blocks_with_the_keyboard_last() -> None:
    paragraph = "Word & more. " * 200  # 2,600 characters, 3,400 once escaped
    messages = render(reply(
        title="Title", paragraphs=(paragraph, paragraph, paragraph),
        buttons=((Button("Topics", "T"),),),
    ))
    # The title joins the first paragraph; the keyboard goes on the last message.
    assert [m.markup is not None for m in messages] == [False, False, True]
    assert messages[0].text.startswith("<b>Title</b>\n\nWord &amp; more.")
    assert all(telegram_length(m.text) <= MESSAGE_LIMIT for m in messages)


def test_the_right_now_steps_come_before_everything_else() -> None:
    steps = RightNow("If this is happening right now:", ("Call 911 if anyone is hurt.",),
                     (ContactLine("Hotline & co", "1-844-363-1423"),))
    (message,) = render(reply(right_now=steps, title="Title", paragraphs=("Answer",),
                              contact_lines=(ContactLine("Legal aid", "1-800-453-3320"),)))
    assert message.text == (
        "<b>If this is happening right now:</b>\n• Call 911 if anyone is hurt.\n"
        "• <b>Hotline &amp; co</b>: 1-844-363-1423\n\n<b>Title</b>\n\nAnswer\n\n"
        "• <b>Legal aid</b>: 1-800-453-3320"
    )
    assert visible_text(message.text).startswith("If this is happening right now:\n• Call 911")


def test_a_single_huge_paragraph_is_cut_at_words() -> None:
    text = ("ñandú & " * 2000) + "x" * 9000  # words, then one enormous "word"
    pieces = split_plain(text, MESSAGE_LIMIT)
    assert all(telegram_length(p.replace("&", "&amp;")) <= MESSAGE_LIMIT for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    messages = render(reply(paragraphs=(text,)))
    assert all(telegram_length(m.text) <= MESSAGE_LIMIT for m in messages)


def test_emoji_count_as_two_units() -> None:
    messages = render(reply(paragraphs=("🚨" * 3000,)))
    assert len(messages) == 2 and all(telegram_length(m.text) <= 4096 for m in messages)


def test_inline_article_fits_and_links_back() -> None:
    entry = reply(title="Q" * 300, paragraphs=("A <b> " * 2000,), entry_id="e" * 80)
    article = inline_article(entry, "kyr_test_bot", "Open")
    assert len(article.id.encode()) <= 64 and len(article.title) <= 100
    assert telegram_length(article.input_message_content.message_text) <= 4096  # type: ignore[union-attr]
    assert render_single(reply(paragraphs=("short",))) == "short"


def test_admin_reload_report_shows_ten_problems_relative_and_escaped() -> None:
    content = Path("/srv/content")
    problems = [Problem(f"/srv/content/en/t{n}.yaml", n, "bad <value> & more") for n in range(15)]
    translator = Catalogs(Path("/nonexistent"), ["en"]).translator("en")
    (message,) = render(admin.reload_refused(problems, content, translator, "en"))
    assert message.text.count("en/t") == 10 and "/srv/content" not in message.text
    assert "en/t3.yaml:3: error: bad &lt;value&gt; &amp; more" in message.text
    assert "15 errors" in message.text and "5 more" in message.text
