"""A column of many distinct texts (names, say) given as Python strings, checked by Polars
at once rather than one cell at a time: whether no two are equal (`different`), and
whether every one reads as itself (`plain`), so that neither a dictionary of a million
cells nor a million calls of `cells.clean` is made for it."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

_SAMPLE = 256  # the first cells looked at: a column that repeats one there is not names


def different(cells: list[Any]) -> Any | None:
    """The cells as a Polars column, when every one is a text (`str` itself) and no two
    are equal; else None (the caller lists the distinct cells itself). A column whose
    first cells repeat one is left at once: it has few distinct cells, which a Python
    dictionary finds cheaper than a Polars column is made."""
    head = cells[:_SAMPLE]
    if set(map(type, head)) != {str} or len(set(head)) != len(head):
        return None
    if set(map(type, cells)) != {str}:
        return None
    import polars as pl  # this path serves the columnar engine, which has Polars

    try:
        series = pl.Series("cell", cells, dtype=pl.String)
    except Exception:  # a text UTF-8 cannot hold (a lone surrogate): Python lists them
        return None
    return series if series.n_unique() == len(cells) else None


def plain(series: Any, cells: list[str]) -> bool:
    """Whether every text (`cells`, and the same as a Polars column) reads as itself, as
    `records._text` reads it: none blank, none with a space (as `str.strip` sees one) at
    either end or a byte-order mark first (checked by Polars), every one NFC (as
    `unicodedata` says: Polars' Unicode tables may be another version's)."""
    import polars as pl

    cell = pl.col("cell")
    found = (
        series.rename("cell")
        .to_frame()
        .select(
            (cell.str.len_bytes() == 0).any().alias("blank"),
            cell.str.contains(edges()).any().alias("edges"),
        )
    )
    blank, edged = found.row(0)
    if blank or edged:
        return False
    return all(map(functools.partial(unicodedata.is_normalized, "NFC"), cells))


@functools.cache
def edges() -> str:
    """A regular expression (for Arrow's RE2 and Polars' Rust regex alike: `^` and `$`
    only at the text's ends) for a text `str.strip` would change, or that starts with a
    byte-order mark: Python's own set of spaces, not either library's."""
    spaces = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x110000)) if c.isspace())
    return f"^[{spaces}\\x{{feff}}]|[{spaces}]$"
