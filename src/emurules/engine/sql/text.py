"""Text read in SQL as the row validator reads a text cell (`data.cells.clean`): without
a byte-order mark, in NFC, stripped of every space Python strips, blank as NULL. So a key
or a unit typed on another keyboard, or padded with a tab, names the same subject or
group in a database as in a file."""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from emurules.engine.sql.connect import DatabaseDialect

# What Python's str.strip() strips (every character whose isspace() is true), as a class
SPACES: Final = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_CLEAN: Final = f"^\ufeff?[{SPACES}]*|[{SPACES}]+$"
_ASCII_SPACES: Final = "".join(c for c in SPACES if c.isascii())


def clean_text(raw: exp.Expr, dialect: DatabaseDialect) -> exp.Expr:
    """`raw`, a text, cleaned as a file's cell is (blank as NULL)."""
    nfc: exp.Expr = (
        exp.Anonymous(this="NFC_NORMALIZE", expressions=[raw.copy()])
        if dialect == "duckdb"
        else exp.Anonymous(this="NORMALIZE", expressions=[raw.copy(), exp.var("NFC")])
    )
    pattern = exp.Literal.string(_CLEAN)
    clean = exp.Anonymous(
        this="REGEXP_REPLACE",
        expressions=[nfc, pattern, exp.Literal.string(""), exp.Literal.string("g")],
    )
    # an ASCII text only needs trimming, as in `cells.clean`: most cells, at a third of
    # the cost (its bytes are as many as its characters)
    ascii = exp.EQ(
        this=exp.Anonymous(this="STRLEN" if dialect == "duckdb" else "OCTET_LENGTH",
                           expressions=[raw.copy()]),
        expression=exp.Length(this=raw.copy()),
    )  # fmt: skip
    trimmed = exp.Trim(this=raw.copy(), expression=exp.Literal.string(_ASCII_SPACES))
    either = exp.case().when(ascii, trimmed).else_(clean)
    # and one whose ends are no space or control character (every ASCII space is at most
    # 32) is already clean: no trimming at all, the most common cell of all
    ends = [raw.copy(), exp.Right(this=raw.copy(), expression=exp.Literal.number(1))]
    printable = [exp.GT(this=exp.Anonymous(this="ASCII", expressions=[end]),
                        expression=exp.Literal.number(32)) for end in ends]  # fmt: skip
    clean_already = exp.and_(ascii.copy(), *printable)
    blank = exp.Nullif(this=either, expression=exp.Literal.string(""))
    return exp.case().when(clean_already, raw.copy()).else_(blank)


def text_type(dialect: DatabaseDialect) -> exp.DataType:
    return exp.DataType.build("VARCHAR" if dialect == "duckdb" else "TEXT")


__all__ = ["SPACES", "clean_text", "text_type"]
