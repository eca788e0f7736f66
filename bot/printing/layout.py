"""The page tools the card and the flyers share: the font, text that must fit, QR codes.

Why these choices: the font is Atkinson Hyperlegible (Braille Institute, SIL Open Font License),
drawn so that letters a tired or low-vision reader confuses (I l 1, O 0, rn m) stay apart, which
matters on a card shown through a window; it ships in a Python package, so nothing is downloaded
when printing, and it has every letter of the content's languages (¿ ¡ ñ ã ç, curly quotes). A
text never shrinks below a size that can still be read, and never gets cut: when it does not fit
at that size, `PrintError` says which text and by how much. QR codes are drawn as vector squares
(sharp at any printer resolution) with the 4-module quiet zone scanners need.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible
import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from bot.printing import PrintError

FONT = "atkinson"
FONT_FILES = {
    "": "AtkinsonHyperlegible-Regular.ttf",
    "B": "AtkinsonHyperlegible-Bold.ttf",
}
MM_PER_PT = 25.4 / 72
LINE_SPACING = 1.2  # line height as a multiple of the type size
QUIET_ZONE = 4  # modules of white around a QR code (ISO/IEC 18004)
BULLET = "•"
BULLET_INDENT = 0.25  # mm per point of type: the text of a step starts this far after its bullet
INK = (0, 0, 0)
QUIET_GREY = (90, 90, 90)  # small print: still dark enough to read on cheap paper


def font_path(style: str) -> Path:
    return Path(fontpkg_atkinson_hyperlegible.ROOT) / "files" / FONT_FILES[style]


@cache
def font_characters(style: str) -> frozenset[str]:
    """Every character the print font can draw in this style."""
    with TTFont(font_path(style)) as font:
        return frozenset(map(chr, font.getBestCmap()))


def missing_characters(text: str, style: str = "") -> list[str]:
    """The characters of `text` the print font has no letter for (line breaks aside)."""
    have = font_characters(style)
    return sorted({c for c in text if c not in have and not c.isspace()})


@contextmanager
def open_document(title: str, lang: str) -> Iterator[FPDF]:
    """An empty PDF with the print font, no automatic page breaks and no cell padding: every
    position on the page is placed by the card and flyer code, in millimetres. The font files
    fpdf2 keeps open are closed when the block ends."""
    pdf = _new_document(title, lang)
    try:
        yield pdf
    finally:
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()


@contextmanager
def measuring_document() -> Iterator[FPDF]:
    """A document with one blank page, to measure text on before the real pages exist."""
    with open_document("", "en") as pdf:
        pdf.add_page()
        yield pdf


def _new_document(title: str, lang: str) -> FPDF:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    for style in FONT_FILES:
        pdf.add_font(FONT, style, str(font_path(style)))
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("kyr-bot")
    return pdf


def line_height(size: float) -> float:
    """The height in mm of one line of type of `size` points."""
    return size * LINE_SPACING * MM_PER_PT


@dataclass(frozen=True)
class Text:
    """A paragraph to place: its words, where it comes from (for the error that names it), its
    style ("" or "B") and its size relative to the block's body size."""

    text: str
    source: str
    style: str = ""
    scale: float = 1.0
    gap_after: float = 0.0  # mm below it
    bullet: bool = False  # a step of a list: a bullet, and the lines indented after it

    def check_letters(self) -> None:
        missing = missing_characters(self.text, self.style)
        if missing:
            raise PrintError(f"{self.source} has {' '.join(missing)}, which the print font "
                             "cannot draw: write it without that character")


def wrapped_lines(pdf: FPDF, text: str, width: float, size: float, style: str = "") -> list[str]:
    """`text` broken into the lines it takes at this width and size (words kept whole)."""
    pdf.set_font(FONT, style, size)
    return pdf.multi_cell(width, line_height(size), text, dry_run=True,
                          output=MethodReturnValue.LINES)


def text_width(text: Text, width: float, size: float) -> float:
    """The width its lines wrap at: less the bullet's indent for a step of a list."""
    return width - BULLET_INDENT * size * text.scale if text.bullet else width


def block_height(pdf: FPDF, texts: Sequence[Text], width: float, size: float) -> float:
    return sum(len(wrapped_lines(pdf, t.text, text_width(t, width, size), size * t.scale,
                                 t.style)) * line_height(size * t.scale) + t.gap_after
               for t in texts)


def sizes(largest: float, smallest: float, step: float = 0.5) -> Iterator[float]:
    size = largest
    while size >= smallest - 1e-9:
        yield round(size, 2)
        size -= step


def fit_size(pdf: FPDF, texts: Sequence[Text], width: float, height: float, largest: float,
             smallest: float, what: str) -> float:
    """The largest body size (points) at which every text fits the box, or `PrintError` saying
    how far over the box it runs at the smallest readable size."""
    for text in texts:
        text.check_letters()
    for size in sizes(largest, smallest):
        if block_height(pdf, texts, width, size) <= height:
            return size
    over = block_height(pdf, texts, width, smallest) - height
    longest = max(texts, key=lambda t: len(t.text))
    per_mm = len(longest.text) / max(block_height(pdf, [longest], width, smallest), 0.1)
    which = f" (the longest is {longest.source})" if len(texts) > 1 else ""
    raise PrintError(
        f"{what}: the text is {max(1, round(over))} mm too long at the smallest type "
        f"({smallest:g} pt); shorten it by about {max(1, round(over * per_mm))} characters{which}")


def write_block(pdf: FPDF, texts: Sequence[Text], x: float, y: float, width: float,
                size: float, align: str = "L", color: tuple[int, int, int] = INK) -> float:
    """Draw the texts top-down from (x, y); returns the y below the last one."""
    pdf.set_text_color(*color)
    for text in texts:
        pdf.set_font(FONT, text.style, size * text.scale)
        height = line_height(size * text.scale)
        indent = width - text_width(text, width, size)
        if text.bullet:
            pdf.set_xy(x, y)
            pdf.cell(indent, height, BULLET)
        pdf.set_xy(x + indent, y)
        pdf.multi_cell(width - indent, height, text.text, align=align)
        y = pdf.get_y() + text.gap_after
    return y


def qr_modules(data: str) -> int:
    """How many modules wide the QR code of `data` is (without the quiet zone)."""
    return qr_code(data).symbol_size(border=0)[0]


@lru_cache(maxsize=256)  # a flyer measures, then draws, each code: encode it once
def qr_code(data: str) -> segno.QRCode:
    # Error correction M (15% of the code may be dirty or torn) is the usual level for print.
    return segno.make_qr(data, error="m")


def draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    """The QR code of `data` as black squares, `size` mm wide, top left at (x, y). The caller
    leaves QUIET_ZONE modules of white around it (see `qr_footprint`)."""
    code = qr_code(data)
    module = size / code.symbol_size(border=0)[0]
    pdf.set_fill_color(*INK)
    for row_index, row in enumerate(code.matrix_iter(scale=1, border=0)):
        column = 0
        cells = list(row)
        while column < len(cells):
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < len(cells) and cells[column]:
                column += 1
            # A run of dark modules as one rectangle; a hair wider so no white seam shows.
            pdf.rect(x + start * module, y + row_index * module,
                     (column - start) * module + 0.01, module + 0.01, style="F")


def qr_footprint(data: str, size: float) -> float:
    """The width the code takes with its quiet zone on both sides."""
    return size * (1 + 2 * QUIET_ZONE / qr_modules(data))
