"""The wallet card (`python -m bot card`): 3.5 x 2 in, like the ILRC red card, front and back.

Front: print.yaml's card title, the right-now steps of right-now.yaml (do not open the door, stay
silent, do not sign, ask for a lawyer) and the phones to call (911, the rapid-response hotline),
in type as big as the card allows, so it can be read through a window. Back: a QR code that opens
the bot at the card's entry (ICE at the door), what it is ("Scan: answers about your rights, in
English and Spanish"), the bot's address typed out, the disclaimer and the review date.

`--sheet` puts ten cards on a US Letter page (2 x 5, the layout of business-card stock), fronts on
page 1 and backs on page 2 mirrored left to right, so a sheet printed on both sides (flipped on
the long edge) backs each front with its own back; thin cut marks in the margin show where to cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from bot.printing import PrintError, layout
from bot.printing.layout import QUIET_GREY, Text
from bot.printing.links import deep_link
from bot.printing.source import PrintSource

INCH = 25.4
CARD_W, CARD_H = 3.5 * INCH, 2 * INCH
MARGIN = 3.5  # mm kept clear inside the cut: a cut a little off still takes no letter
LETTER = (8.5 * INCH, 11 * INCH)
SHEET_COLUMNS, SHEET_ROWS = 2, 5
SHEET_LEFT = (LETTER[0] - SHEET_COLUMNS * CARD_W) / 2  # 0.75 in
SHEET_TOP = (LETTER[1] - SHEET_ROWS * CARD_H) / 2  # 0.5 in
CUT_MARK = (1.5, 6.0)  # a cut mark runs from 1.5 to 6 mm outside the cards
# Type sizes (points): as big as fits, never below what can still be read at arm's length.
FRONT_SIZES = (13.0, 7.5)
BACK_SIZES = (10.0, 6.0)
QR_GAP = 1.5  # mm between the card's edge and the QR code's quiet zone


@dataclass(frozen=True)
class CardFaces:
    """The texts of both faces, with the type size each fits at."""

    front: list[Text]
    front_size: float
    link: str
    back: list[Text]
    back_size: float


def make_card(source: PrintSource, sheet: bool = False) -> bytes:
    """The card as a PDF: two wallet-size pages (front, back), or with `sheet` a US Letter sheet
    of ten fronts and one of ten backs."""
    with layout.measuring_document() as measure:
        faces = card_faces(measure, source)
    with layout.open_document(source.plan.card.title, source.lang) as pdf:
        if not sheet:
            pdf.add_page(format=(CARD_W, CARD_H))
            draw_front(pdf, faces, 0, 0)
            pdf.add_page(format=(CARD_W, CARD_H))
            draw_back(pdf, faces, 0, 0)
            return bytes(pdf.output())
        for draw, mirrored in ((draw_front, False), (draw_back, True)):
            pdf.add_page(format=LETTER)
            for row in range(SHEET_ROWS):
                for column in range(SHEET_COLUMNS):
                    at = SHEET_COLUMNS - 1 - column if mirrored else column
                    draw(pdf, faces, SHEET_LEFT + at * CARD_W, SHEET_TOP + row * CARD_H)
            draw_cut_marks(pdf)
        return bytes(pdf.output())


def card_faces(pdf: FPDF, source: PrintSource) -> CardFaces:
    plan = source.plan.card
    right_now = source.content.right_now
    if right_now is None:
        raise PrintError(f"{source.lang}/right-now.yaml has no steps: the card's front prints them")
    front = [Text(plan.title, f"{source.lang}/print.yaml card title", "B", 1.2, 1.2)]
    front += [Text(step, f"{source.lang}/right-now.yaml step {n}", bullet=True, gap_after=0.6)
              for n, step in enumerate(right_now.steps, start=1)]
    front[-1] = Text(front[-1].text, front[-1].source, bullet=True, gap_after=1.2)
    front += [Text(line, f"{source.lang}/print.yaml card contacts", "B", 1.15)
              for line in source.contact_lines(plan.contacts)]
    inner_w, inner_h = CARD_W - 2 * MARGIN, CARD_H - 2 * MARGIN
    front_size = layout.fit_size(pdf, front, inner_w, inner_h, *FRONT_SIZES,
                                 f"card front ({source.lang})")
    link = deep_link(source.username, plan.entry)
    back = [Text(source.languages_line(), "the card's scan line", "B", 1.1, 1.2),
            Text(f"t.me/{source.username}", "the bot's address", gap_after=1.5),
            Text(source.replies.disclaimer(), "the disclaimer", scale=0.8, gap_after=0.8)]
    reviewed = source.reviewed_line((plan.entry, *plan.based_on))
    if reviewed:
        back.append(Text(reviewed, "the review date", scale=0.8))
    back_size = layout.fit_size(pdf, back, back_text_width(link), inner_h, *BACK_SIZES,
                                f"card back ({source.lang})")
    return CardFaces(front, front_size, link, back, back_size)


def qr_size(link: str) -> float:
    """The QR code as big as the card's height allows, with its quiet zone and a small gap."""
    return (CARD_H - 2 * QR_GAP) / (1 + 2 * layout.QUIET_ZONE / layout.qr_modules(link))


def back_text_width(link: str) -> float:
    return CARD_W - QR_GAP - layout.qr_footprint(link, qr_size(link)) - MARGIN


def draw_front(pdf: FPDF, faces: CardFaces, x: float, y: float) -> None:
    width, height = CARD_W - 2 * MARGIN, CARD_H - 2 * MARGIN
    used = layout.block_height(pdf, faces.front, width, faces.front_size)
    layout.write_block(pdf, faces.front, x + MARGIN, y + MARGIN + (height - used) / 2, width,
                       faces.front_size)


def draw_back(pdf: FPDF, faces: CardFaces, x: float, y: float) -> None:
    size = qr_size(faces.link)
    quiet = (layout.qr_footprint(faces.link, size) - size) / 2
    layout.draw_qr(pdf, faces.link, x + QR_GAP + quiet, y + QR_GAP + quiet, size)
    text_x = x + QR_GAP + layout.qr_footprint(faces.link, size)
    width, height = back_text_width(faces.link), CARD_H - 2 * MARGIN
    used = layout.block_height(pdf, faces.back, width, faces.back_size)
    top = y + MARGIN + (height - used) / 2
    body, small = faces.back[:2], faces.back[2:]
    below = layout.write_block(pdf, body, text_x, top, width, faces.back_size)
    layout.write_block(pdf, small, text_x, below, width, faces.back_size, color=QUIET_GREY)


def draw_cut_marks(pdf: FPDF) -> None:
    """Short hairlines in the sheet's margins, in line with every edge between cards."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.15)
    near, far = CUT_MARK
    right = SHEET_LEFT + SHEET_COLUMNS * CARD_W
    bottom = SHEET_TOP + SHEET_ROWS * CARD_H
    for column in range(SHEET_COLUMNS + 1):
        x = SHEET_LEFT + column * CARD_W
        pdf.line(x, SHEET_TOP - far, x, SHEET_TOP - near)
        pdf.line(x, bottom + near, x, bottom + far)
    for row in range(SHEET_ROWS + 1):
        y = SHEET_TOP + row * CARD_H
        pdf.line(SHEET_LEFT - far, y, SHEET_LEFT - near, y)
        pdf.line(right + near, y, right + far, y)
