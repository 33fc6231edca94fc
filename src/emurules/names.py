"""What a name of a subject kind can be, and how a type reads in messages: one definition
for the checker (which gives names their sorts and types) and for the plan and data stages
(which read them back), below both."""

from __future__ import annotations

from typing import Literal

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


def describe_type(kind: str, name: str | None, optional: bool) -> str:
    """A type as messages name it ("a whole number", "a reference to unit")."""
    match kind:
        case "enum":
            base = f"{name}"
        case "ref":
            base = f"a reference to {name}"
        case "relation":
            base = f"a relation of {name}"
        case "int":
            base = "a whole number"
        case "number":
            base = "a number"
        case "percent":
            base = "a percentage"
        case "bool":
            base = "true/false"
        case _:
            base = kind
    return base + (" (maybe missing)" if optional else "")
