"""What a name of a subject kind can be, and how a type reads in messages: one definition
for the checker (which gives names their sorts and types) and for the plan and data stages
(which read them back), below both."""

from __future__ import annotations

from typing import Literal

from emurules.i18n import Message, message

Sort = Literal[
    "field",
    "criterion",
    "bonus",
    "penalty",
    "let",
    "score",
    "award",
    "ranking",
    "relation",
    "year",
]


def describe_type(kind: str, name: str | None, optional: bool) -> Message:
    """A type as messages name it ("a whole number", "a reference to unit")."""
    base: Message
    match kind:
        case "enum":
            base = message("core.type-enum", name=f"{name}")
        case "ref":
            base = message("core.type-ref", name=f"{name}")
        case "relation":
            base = message("core.type-relation", name=f"{name}")
        case "int":
            base = message("core.type-int")
        case "number":
            base = message("core.type-number")
        case "percent":
            base = message("core.type-percent")
        case "bool":
            base = message("core.type-bool")
        case "text":
            base = message("core.type-text")
        case "date":
            base = message("core.type-date")
        case _:
            base = message("core.type-other", kind=kind)
    return message("core.type-maybe-missing", type=base) if optional else base
