"""A flyer for a wall (`python -m bot flyer`): one US Letter page (A4 with `--a4`).

A title, then 4 to 8 questions, each beside its own QR code that opens the bot at that entry
(codes of 30 mm: a phone at arm's length reads them), then a bigger code to the bot itself (to
the topic, on a topic's flyer), the help lines, the disclaimer and the review date. Without a
topic, the flyer shows print.yaml's `flyer` entries; with one, that topic's list under `topics`,
or the topic's first entries when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from bot.knowledge import FlyerPlan
from bot.loading.print_plan import FLYER_MAX_ENTRIES, PRINT_FILE
from bot.printing import PrintError, layout
from bot.printing.layout import QUIET_GREY, Text
from bot.printing.links import deep_link
from bot.printing.source import PrintSource

LETTER = (215.9, 279.4)
A4 = (210.0, 297.0)
MARGIN = 13.0  # mm: more than any office printer's unprintable edge
COLUMNS = 2
COLUMN_GAP = 8.0
QR_SIZE = 30.0  # mm per entry code, without its quiet zone (scans from about 1 m)
BOT_QR_SIZE = 34.0
HEADER_H = 34.0
FOOTER_H = 56.0
ROW_GAP = 3.0
TITLE_SIZES = (34.0, 20.0)
INTRO_SIZE = 13.0
QUESTION_SIZES = (17.0, 11.0)
FOOTER_SIZES = (12.0, 8.0)


@dataclass(frozen=True)
class Question:
    entry_id: str
    text: Text
    link: str


@dataclass(frozen=True)
class FlyerPage:
    """The flyer measured: its texts, their type sizes and the grid of questions."""

    title: str
    paper: tuple[float, float]
    title_texts: list[Text]
    title_size: float
    intro: list[Text]
    questions: list[Question]
    question_size: float
    row_h: float
    column_w: float
    code_w: float  # the widest code with its quiet zone: where the questions' text starts
    bot_link: str
    bot_texts: list[Text]
    help_texts: list[Text]
    small: list[Text]
    footer_size: float


def flyer_plan(source: PrintSource, topic_id: str | None) -> FlyerPlan:
    """What this flyer shows: the main flyer, or a topic's (its list, else its first entries)."""
    plan = source.plan
    if topic_id is None:
        return plan.flyer
    topic = source.content.topic(topic_id)
    if topic is None:
        topics = ", ".join(t.id for t in source.content.topics)
        raise PrintError(f"unknown topic '{topic_id}' in {source.lang}/: the topics are {topics}")
    entries = plan.topic_flyers.get(topic_id) or topic.entry_ids[:FLYER_MAX_ENTRIES]
    return FlyerPlan(topic.title, entries, plan.flyer.contacts, topic=topic_id)


def make_flyer(source: PrintSource, topic_id: str | None = None, a4: bool = False) -> bytes:
    """The flyer as a one-page PDF."""
    with layout.measuring_document() as measure:
        page = flyer_page(measure, source, topic_id, A4 if a4 else LETTER)
    with layout.open_document(page.title, source.lang) as pdf:
        draw_flyer(pdf, page)
        return bytes(pdf.output())


def flyer_page(measure: FPDF, source: PrintSource, topic_id: str | None,
               paper: tuple[float, float]) -> FlyerPage:
    """Every text of the flyer with the type size it fits at (or `PrintError`)."""
    flyer = flyer_plan(source, topic_id)
    width, height = paper
    where = f"flyer ({source.lang}{', topic ' + topic_id if topic_id else ''})"
    inner_w = width - 2 * MARGIN

    title = [Text(flyer.title, f"{source.lang}/{PRINT_FILE} title"
                  if topic_id is None else f"the title of topic '{topic_id}'", "B")]
    title_size = layout.fit_size(measure, title, inner_w, HEADER_H - 9, *TITLE_SIZES, where)
    intro = [Text(source.gettext(
        "Scan a code with your phone's camera: the answer opens in Telegram."), "the scan line")]
    intro[0].check_letters()

    rows = -(-len(flyer.entries) // COLUMNS)
    grid_h = height - 2 * MARGIN - HEADER_H - FOOTER_H
    row_h = min(grid_h / max(rows, 1), 62.0)
    column_w = (inner_w - COLUMN_GAP * (COLUMNS - 1)) / COLUMNS
    questions = [Question(e, Text(source.content.entries[e].question,
                                  f"entry '{e}' ({source.lang}) question"),
                          deep_link(source.username, e)) for e in flyer.entries]
    # Every question's text starts at the same place, after the widest code with its quiet zone
    # (a longer link makes a code of more, smaller modules, with a narrower quiet zone).
    code_w = max(layout.qr_footprint(q.link, QR_SIZE) for q in questions)
    text_w = column_w - code_w
    question_size = min(
        layout.fit_size(measure, [q.text], text_w, row_h - ROW_GAP, *QUESTION_SIZES,
                        f"{where}: the question of entry '{q.entry_id}'")
        for q in questions)

    bot_link = deep_link(source.username, topic_id)
    bot_text_w = inner_w / 2 - layout.qr_footprint(bot_link, BOT_QR_SIZE)
    bot_texts = [Text(source.languages_line(), "the scan line", "B", gap_after=1.5),
                 Text(f"t.me/{source.username}", "the bot's address")]
    help_texts = [Text(source.gettext("Who can help"), "the help heading", "B", gap_after=1)]
    help_texts += [Text(line, f"{source.lang}/{PRINT_FILE} flyer contacts", gap_after=0.8)
                   for line in source.contact_lines(flyer.contacts)]
    small = [Text(source.replies.disclaimer(), "the disclaimer", scale=0.85, gap_after=0.8)]
    reviewed = source.reviewed_line(flyer.entries)
    if reviewed:
        small.append(Text(reviewed, "the review date", scale=0.85))
    footer_w = inner_w / 2 - 4
    footer_size = min(
        layout.fit_size(measure, bot_texts, bot_text_w, FOOTER_H - 6, *FOOTER_SIZES, where),
        layout.fit_size(measure, help_texts + small, footer_w, FOOTER_H - 6, *FOOTER_SIZES,
                        where))

    return FlyerPage(flyer.title, paper, title, title_size, intro, questions, question_size,
                     row_h, column_w, code_w, bot_link, bot_texts, help_texts, small, footer_size)


def draw_flyer(pdf: FPDF, page: FlyerPage) -> None:
    width = page.paper[0]
    pdf.add_page(format=page.paper)
    inner_w = width - 2 * MARGIN
    y = layout.write_block(pdf, page.title_texts, MARGIN, MARGIN, inner_w, page.title_size)
    layout.write_block(pdf, page.intro, MARGIN, y + 1, inner_w, INTRO_SIZE)
    top = MARGIN + HEADER_H
    for index, question in enumerate(page.questions):
        row, column = divmod(index, COLUMNS)
        x = MARGIN + column * (page.column_w + COLUMN_GAP)
        y = top + row * page.row_h
        quiet = (page.code_w - QR_SIZE) / 2
        layout.draw_qr(pdf, question.link, x + quiet, y + quiet, QR_SIZE)
        layout.write_block(pdf, [question.text], x + page.code_w, y + quiet,
                           page.column_w - page.code_w, page.question_size)
    draw_footer(pdf, page)


def draw_footer(pdf: FPDF, page: FlyerPage) -> None:
    """The bot's own code with what it is on the left; help lines and small print on the right."""
    width, height = page.paper
    bot_link, size = page.bot_link, page.footer_size
    top = height - MARGIN - FOOTER_H
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, top, width - MARGIN, top)
    footprint = layout.qr_footprint(bot_link, BOT_QR_SIZE)
    quiet = (footprint - BOT_QR_SIZE) / 2
    layout.draw_qr(pdf, bot_link, MARGIN + quiet, top + quiet + 2, BOT_QR_SIZE)
    inner_w = width - 2 * MARGIN
    layout.write_block(pdf, page.bot_texts, MARGIN + footprint, top + quiet + 2,
                       inner_w / 2 - footprint, size)
    right = MARGIN + inner_w / 2 + 4
    y = layout.write_block(pdf, page.help_texts, right, top + 4, inner_w / 2 - 4, size)
    layout.write_block(pdf, page.small, right, y + 1, inner_w / 2 - 4, size, color=QUIET_GREY)
