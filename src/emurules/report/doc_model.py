"""The published criteria as a plain document: headings, paragraphs, lists and tables of
text already in the reader's language. `emurules doc` builds it once (report/doc.py) and
each writer (Markdown, HTML, Word) lays the same document out, so the three never differ
in what they say."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from emurules.plan.metadata import Metadata

Marker = Literal["bullet", "number", "letter"]

# Items of a list under a letter, as Vietnamese documents letter them (no f, j, w, z; đ).
_LETTERS = {
    "vi": [
        "a",
        "b",
        "c",
        "d",
        "đ",
        "e",
        "g",
        "h",
        "i",
        "k",
        "l",
        "m",
        "n",
        "o",
        "p",
        "q",
        "r",
        "s",
        "t",
        "u",
        "v",
        "x",
        "y",
    ],
    "en": list("abcdefghijklmnopqrstuvwxyz"),
}


@attrs.frozen
class Heading:
    """`level` 1 is the title; the text carries its own number ("I. Tập thể")."""

    level: int
    text: str


@attrs.frozen
class Paragraph:
    text: str


@attrs.frozen
class Items:
    """A list: bullets, numbers (1., 2.) or letters (a), b))."""

    items: tuple[str, ...]
    marker: Marker = "bullet"


@attrs.frozen
class Table:
    """A table with a header row; `numeric` marks the columns aligned to the right."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()


Block: TypeAlias = Heading | Paragraph | Items | Table


@attrs.frozen
class Document:
    """The title, the head (who issues the criteria, the legal bases), the body's blocks in
    order, and the metadata: a Word document puts the national header in place of the head
    when the criteria state who issues them."""

    title: str
    blocks: tuple[Block, ...]
    lang: str
    head: tuple[Block, ...] = ()
    metadata: Metadata = attrs.field(factory=Metadata)


def marker(kind: Marker, index: int, lang: str) -> str:
    """The marker of the `index`-th item (from 0): `1.`, `a)`; past the letters, numbers."""
    if kind == "bullet":
        return "-"
    letters = _LETTERS.get(lang, _LETTERS["en"])
    if kind == "letter" and index < len(letters):
        return f"{letters[index]})"
    return f"{index + 1}."


def roman(number: int) -> str:
    """I, II, III... for the parts of the document."""
    found = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            found += letters
            number -= value
    return found
