"""The document metadata of a ruleset: who issues the criteria, as what, where and when,
on which legal bases, who signs, and in which language.

Written once in the ruleset header and read by everything that publishes the criteria
(`emurules doc`, a decision), so it is a plain frozen value on the plan.
"""

from __future__ import annotations

import datetime
from typing import Literal

import attrs

Language = Literal["vi", "en"]
# The header settings that are metadata rather than settings of the evaluation.
KEYS = frozenset(
    {"authority", "document", "number", "place", "date", "basis", "signer", "language"}
)


@attrs.frozen(kw_only=True)
class Signer:
    """The signer's title ("CHỦ TỊCH") and name."""

    title: str
    name: str


@attrs.frozen(kw_only=True)
class Metadata:
    """Every piece is None (or empty) when the ruleset does not state it."""

    authority: str | None = None
    document: str | None = None  # the document type: "Quyết định"
    number: str | None = None  # number and symbol: "12/QĐ-UBND"
    place: str | None = None
    date: datetime.date | None = None
    bases: tuple[str, ...] = ()  # legal bases, in the order written
    signer: Signer | None = None
    language: Language | None = None

    @property
    def empty(self) -> bool:
        return self == Metadata()
