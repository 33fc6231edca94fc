"""Text from data, made safe to show a person: on a terminal, in a table cell, in a spreadsheet.

A key, a name or a column title comes from a file anyone may have typed; shown as is it could
move the cursor, recolour or clear a terminal (ANSI escapes), reorder what is read (bidi
overrides), break a table row (`|`, line breaks) or run as a formula in a spreadsheet. Every
writer that shows data text passes it through one of these functions, so it is seen literally.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cc: C0, DEL, C1; Cf: bidi overrides and isolates, zero-width and other invisible format
# characters; Cs: lone surrogates (from JSON "\ud800"), which no UTF-8 stream can carry;
# Zl, Zp: U+2028 and U+2029, which many readers take for line breaks.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

# What a spreadsheet may take for the start of a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 cannot hold, so an XLSX cell cannot either (openpyxl refuses them), and
# the carriage return, which every XML reader turns into a line feed.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Markdown punctuation; `_` only where it could start or end emphasis (not inside a word, so
# `emulation_flag` stays as written).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>&|~]|(?<![^\W_])_|_(?![^\W_])")


@lru_cache(maxsize=4096)
def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN


def escape_char(char: str) -> str:
    """A character as Python would write it in a string: `\\x1b`, `\\u202e`, `\\U000e0001`."""
    code = ord(char)
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{code:02x}")
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every control, format and line-separator character written as an escape.

    Letters, marks, spaces, symbols and punctuation (so all of Vietnamese) pass unchanged; a
    backslash is left alone, so a Windows path reads naturally. With `newlines`, a line feed
    is kept as a line break (for multi-line text such as an explanation).
    """
    if text.isprintable() and text.isascii():
        return text
    return "".join(
        escape_char(c) if _hidden(c) and not (newlines and c == "\n") else c for c in text
    )


def defuse_formula(text: str) -> str:
    """A text cell for a CSV file that a spreadsheet shows as text and never evaluates.

    A leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before it (the OWASP
    advice for "CSV injection"); any other text is written exactly.
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def xlsx_text(text: str) -> str:
    """A string for an XLSX cell: characters XML cannot hold (or would change) as escapes.

    The cell itself is written with the string type, which no spreadsheet evaluates, so no
    quote is added and the text stays exactly the data's.
    """
    return _XML_ILLEGAL.sub(lambda m: escape_char(m.group()), text)


def markdown_text(text: str) -> str:
    """Text for a Markdown table cell or heading, read literally.

    Markdown punctuation (`|` included, which would end the cell) is backslash-escaped, and
    line breaks and other hidden characters are written as escapes, so one cell stays on its
    row and renders as typed.
    """
    return printable(_MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), text))


def table_cell(text: str) -> str:
    """Text for a cell of a Markdown table holding formulas or prose: `|` escaped and hidden
    characters written as escapes, other Markdown left as written."""
    return printable(text.replace("|", "\\|"))
