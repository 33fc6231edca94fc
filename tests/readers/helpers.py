"""Shared by the reader tests: the hostile files, and reading one to its error text."""

from __future__ import annotations

from pathlib import Path

import pytest

from emurules.data.readers import read_file
from emurules.errors import DataError

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"


def refusal(path: Path, **options: str) -> DataError:
    """The DataError reading `path` raises (the test fails if it reads)."""
    with pytest.raises(DataError) as raised:
        read_file(path, **options)
    return raised.value


def codes(error: DataError) -> list[tuple[str, str | None, int | None, str | None]]:
    """(code, file, row, field) of each diagnostic."""
    return [
        (d.code, d.place.file if d.place else None, d.place.row if d.place else None,
         d.place.field if d.place else None)
        for d in error.diagnostics
    ]  # fmt: skip
