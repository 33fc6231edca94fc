"""Messages as data: a stage says *which* message and with what arguments; the words are
looked up in a catalogue only when someone reads them, in the language they read.

A `Message` is an id from the catalogue (``check.unknown-name``) and its arguments. The
catalogues are gettext ones: the sources are the ``.po`` files in ``i18n/<lang>/`` (one per
stage, so that each stays short), compiled by ``make messages`` into one ``.mo`` per language
under ``i18n/locale/``, which the standard library's `gettext` reads. Templates name their
arguments in braces, ``unknown field '{name}' on {kind}``; a message with an integer
argument ``count`` is a plural entry (``msgid_plural``, one text per plural form).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Final, TypeAlias

import attrs

DOMAIN: Final = "emurules"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
LANGUAGES: Final = ("en",)
DEFAULT: Final = "en"

Arg: TypeAlias = "str | int | Message | tuple[Arg, ...]"


@attrs.frozen(slots=True)
class Message:
    """A catalogue message and its arguments; `str()` reads it in English."""

    id: str
    args: tuple[tuple[str, Arg], ...] = ()

    def text(self, lang: str = DEFAULT) -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, DEFAULT)


def message(id: str, /, **args: Arg) -> Message:
    """The message `id` of the catalogue with these arguments."""
    return Message(id, tuple(args.items()))


class MissingMessage(LookupError):
    """A message id the catalogue lacks: a bug in emurules, never a user's mistake."""


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}; there are {', '.join(LANGUAGES)}")
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def template(id: str, lang: str = DEFAULT, count: int | None = None) -> str:
    """The catalogue's text for `id`, its arguments still in braces; with a `count`, the
    plural form the language uses for that number."""
    catalogue = _catalogue(lang)
    found = catalogue.gettext(id) if count is None else catalogue.ngettext(id, id, count)
    if found == id:
        raise MissingMessage(f"the {lang} catalogue has no message {id!r}")
    return found


def render(text: Message | str, lang: str = DEFAULT) -> str:
    """The words of a message in `lang`; a plain string is already words (a formula, a
    name) and stays as it is."""
    if isinstance(text, str):
        return text
    args = {name: _arg(value, lang) for name, value in text.args}
    count = dict(text.args).get("count")
    number = count if isinstance(count, int) else None
    if number is not None:  # a quantity, in groups of three digits (a year is never one)
        args["count"] = f"{number:,}"
    return template(text.id, lang, number).format_map(args)


def _arg(value: Arg, lang: str) -> str:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, tuple):
        return ", ".join(_arg(v, lang) for v in value)
    return str(value)
