"""Interface text in the user's language: gettext catalogs, language negotiation, dates and names.

FAQ text lives in content/; every other word the bot says goes through gettext with Babel catalogs
in locale/<lang>/LC_MESSAGES/messages.po. English is the source language: its msgids are the text.

Why the .po files are compiled in memory at start-up rather than shipped as .mo files: there is
no build step to forget, a translator's edit takes effect on the next start, and the catalog that
runs is always the one in the repository (Babel's `write_mo` leaves fuzzy entries out, exactly as
`pybabel compile` does).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


def catalog_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_catalogs(locale_dir: Path) -> set[str]:
    """Languages that have a catalog in locale/."""
    if not locale_dir.is_dir():
        return set()
    return {d.name for d in locale_dir.iterdir() if catalog_path(locale_dir, d.name).is_file()}


def load_translations(locale_dir: Path, lang: str) -> NullTranslations:
    """Compile one language's .po catalog in memory (fuzzy entries are left out)."""
    path = catalog_path(locale_dir, lang)
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def parse_locale(code: str) -> Locale | None:
    """Babel Locale for 'es', 'es-419', 'es_MX'; None for codes Babel does not know."""
    try:
        return Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def negotiate_language(code: str | None, available: Iterable[str]) -> str | None:
    """The available language that best fits a Telegram language code, or None.

    'es-MX', 'es-419' and 'es' all give 'es'; 'pt-BR' gives None when there is no Portuguese.
    """
    if not code:
        return None
    choices = sorted(available)
    wanted = code.replace("_", "-").lower()
    chosen = negotiate_locale([wanted, wanted.split("-")[0]], choices, sep="-")
    if chosen is None:
        return None
    # negotiate_locale answers in the caller's spelling; map back to the folder's own name.
    return next((c for c in choices if c.lower() == chosen.lower()), None)


@dataclass(frozen=True)
class Translator:
    """gettext, plurals, dates and language names for one language."""

    lang: str
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def language_list(self, codes: Iterable[str], style: str = "or") -> str:
        """Languages named in this language, joined with "or": 'inglés o español' (style
        "standard" joins them with "and": 'inglés y español')."""
        locale = parse_locale(self.lang) or Locale.parse(SOURCE_LANGUAGE)
        names = [
            (parsed.get_display_name(locale) if (parsed := parse_locale(code)) else None) or code
            for code in codes
        ]
        return format_list(names, style=style, locale=locale)

    def format_date(self, value: date) -> str:
        """'November 29, 2026' / '29 de noviembre de 2026'."""
        locale = parse_locale(self.lang) or Locale.parse(SOURCE_LANGUAGE)
        return format_date(value, format="long", locale=locale)


def language_name(lang: str) -> str:
    """A language's name in that language ('English', 'español'), for the switch button."""
    locale = parse_locale(lang)
    if locale is None:
        return lang
    return locale.get_display_name(locale) or lang


class Catalogs:
    """Every language's translator, loaded once at start-up."""

    def __init__(self, locale_dir: Path, languages: Iterable[str]) -> None:
        self.locale_dir = locale_dir
        self._translators: Mapping[str, Translator] = {
            lang: Translator(lang, load_translations(locale_dir, lang)) for lang in languages
        }

    def translator(self, lang: str) -> Translator:
        return self._translators.get(lang) or Translator(lang, NullTranslations())
