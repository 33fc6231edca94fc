"""The request bodies of the service, typed (FastAPI checks them and documents them in the
OpenAPI document), and what is wrong with a body, as diagnostics in the catalogue's words.

The records themselves are checked by `Rules.evaluate`, as they are from Python: a body
only has to have the right shape (data: each kind's list of objects).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from emurules.errors import DiagnosticDict, diagnostic_dict
from emurules.i18n import Message, message
from emurules.source import Diagnostic, Place
from emurules.suggest import suggest

SHOWN = 20
"""At most this many problems of one body are listed (a list of 10,000 wrong records would
list 10,000)."""


class Population(BaseModel):
    """A population to evaluate, as `Rules.evaluate` takes it."""

    model_config = ConfigDict(extra="forbid")

    data: dict[str, list[dict[str, Any]]] = Field(
        description="Each subject kind's records: objects of field values, "
        'e.g. {"individual": [{"id": "A1", "task": "good"}]}.'
    )
    history: list[dict[str, Any]] = Field(
        default_factory=list,
        description='Rows {"key", "year", "award"}, {"key", "year", "name", "value"} or '
        '{"key", "year", "predecessor"} (a merged unit).',
    )
    year: int | None = Field(
        default=None, description="The assessment year; the ruleset's when null."
    )
    locale: Literal["iso", "vi"] | None = Field(
        default=None, description="How numbers and dates written as text are read."
    )
    skip_invalid: bool = Field(
        default=False, description="Set aside records with problems instead of refusing."
    )
    base_salary: int | None = Field(
        default=None,
        gt=0,
        description="The base salary in dong that rewards are multiples of; the ruleset's "
        "when null.",
    )


class WhatIfRequest(Population):
    """A population, and one subject's record changed."""

    key: str = Field(description="The subject's key.")
    kind: str | None = Field(default=None, description="Its kind, when keys are shared.")
    changes: dict[str, Any] = Field(description="Field names and their new values.")


class CheckRequest(BaseModel):
    """A criteria text to check."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The criteria, as a .emu file holds them.")
    name: str = Field(default="<criteria>", description="The name diagnostics give it.")


FIELDS: dict[str, tuple[str, ...]] = {
    "Population": tuple(Population.model_fields),
    "WhatIfRequest": tuple(WhatIfRequest.model_fields),
    "CheckRequest": tuple(CheckRequest.model_fields),
}


def _expected(field: str) -> Message:
    """What a field of a body must be, in the catalogue's words."""
    match field:
        case "data":
            return message("service.expect-data")
        case "history":
            return message("service.expect-history")
        case "year":
            return message("service.expect-year")
        case "locale":
            return message("service.expect-locale")
        case "skip_invalid":
            return message("service.expect-bool")
        case "base_salary":
            return message("service.expect-money")
        case "changes":
            return message("service.expect-changes")
        case "kind":
            return message("service.expect-kind")
        case _:
            return message("service.expect-text")


def body_diagnostics(errors: Sequence[Mapping[str, Any]]) -> list[DiagnosticDict]:
    """Pydantic's errors of a body as diagnostics (A0101, at the field's path)."""
    found: list[DiagnosticDict] = []
    known = sorted({f for fields in FIELDS.values() for f in fields})
    for error in errors[:SHOWN]:
        loc = [str(part) for part in error.get("loc", ())][1:]  # after "body"
        path = ".".join(loc)
        hint = None
        if not loc:
            text = message("service.body-not-object")
        elif error.get("type") == "missing":
            text = message("service.body-missing", field=path)
        elif error.get("type") == "extra_forbidden":
            text = message("service.body-unknown", field=path)
            hint = suggest(loc[0], known)
        else:
            text = message("service.body-field", field=path, expected=_expected(loc[0]))
        place = Place(file="body", field=path or None)
        diagnostic = Diagnostic(code="A0101", kind="usage", message=text, hint=hint, place=place)
        found.append(diagnostic_dict(diagnostic))
    return found
