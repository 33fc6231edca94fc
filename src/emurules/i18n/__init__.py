"""Messages as data: a stage says *which* message and with what arguments; the words are
looked up in a catalogue only when someone reads them, in the language they read.

A `Message` is an id from the catalogue (``check.unknown-name``) and its arguments. The
catalogues are gettext ones: the sources are the ``.po`` files in ``i18n/<lang>/`` (one per
stage, so that each stays short), compiled by ``make messages`` into one ``.mo`` per language
under ``i18n/locale/``, which the standard library's `gettext` reads. Templates name their
arguments in braces, ``unknown field '{name}' on {kind}``; a message with an integer
argument ``count`` is a plural entry (``msgid_plural``, one text per plural form). A value
people read (a score, a date) is passed as a `Shown`, written in the reader's language
(`formatting`); the language itself, when nobody chose, is `default_language()`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final, TypeAlias

import attrs

from emurules.i18n.formatting import Shown, whole

DOMAIN: Final = "emurules"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
LANGUAGES: Final = ("en", "vi")
DEFAULT: Final = "en"

Arg: TypeAlias = "str | int | Message | Shown | tuple[Arg, ...]"


@attrs.frozen(slots=True)
class Message:
    """A catalogue message and its arguments; `str()` reads it in English."""

    id: str
    args: tuple[tuple[str, Arg], ...] = ()

    def text(self, lang: str = DEFAULT) -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, DEFAULT)


def default_language(
    ruleset_language: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The language to speak when no one chose: the ruleset's own, else the environment's
    locale (the first of LC_ALL, LC_MESSAGES, LANG that is set, as gettext reads them),
    else English. One function, so that every command decides the same way."""
    if ruleset_language is not None and ruleset_language in LANGUAGES:
        return ruleset_language
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else DEFAULT
    return DEFAULT


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
        args["count"] = whole(number, lang)
    return template(text.id, lang, number).format_map(args)


def _arg(value: Arg, lang: str) -> str:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, Shown):
        return value.text(lang)
    if isinstance(value, tuple):
        return ", ".join(_arg(v, lang) for v in value)
    return str(value)
