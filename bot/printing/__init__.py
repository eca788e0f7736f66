"""Paper for organizers: a wallet card and flyers whose QR codes open the bot at an answer.

- source.py   every printed word, from the content and the catalogs
- links.py    the t.me deep links and the bot's username
- layout.py   the font, text that must fit (never cut), QR codes
- card.py     `python -m bot card`: the wallet card, or a sheet of ten with cut marks
- flyer.py    `python -m bot flyer`: one page per topic (or of the main questions)
- paper.py    what the two commands do, for bot/cli.py

Needs the `print` extra (segno, fpdf2, the font); this module imports none of it, so the command
line can say so in one line.
"""


class PrintError(Exception):
    """Something that keeps a page from being made, in one line an organizer can act on."""
