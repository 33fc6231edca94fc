"""The ruleset header's metadata settings -> a typed `Metadata` (the checker has already
refused a setting given twice, except `basis`, which lists the legal bases)."""

from __future__ import annotations

import datetime
from typing import cast

from emurules.plan.metadata import Language, Metadata, Signer
from emurules.syntax import ast


def lower_metadata(ruleset: ast.Ruleset | None) -> Metadata:
    found: dict[str, object] = {}
    bases: list[str] = []
    for setting in ruleset.settings if ruleset is not None else ():
        if setting.key == "basis":
            bases.append(str(setting.value))
        else:
            found.setdefault(setting.key, setting.value)
    signer = found.get("signer")
    day = found.get("date")
    return Metadata(
        authority=_text(found.get("authority")),
        document=_text(found.get("document")),
        number=_text(found.get("number")),
        place=_text(found.get("place")),
        date=day if isinstance(day, datetime.date) else None,
        bases=tuple(bases),
        signer=Signer(title=signer[0], name=signer[1]) if isinstance(signer, tuple) else None,
        language=cast(Language, found["language"]) if "language" in found else None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
