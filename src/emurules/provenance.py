"""Where a result comes from: the exact criteria text (its SHA-256), the ruleset's title and
version, the emurules release and engine that evaluated it, the year and the time.

A decision has to be traceable to the rules that made it: two files with the same title and
version but one changed condition differ in their hash. The hash is of the criteria text as
emurules reads it (Unicode NFC, without a byte-order mark), so the same rules typed on two
keyboards hash alike.

The evaluation time is the clock's, in UTC, unless `SOURCE_DATE_EPOCH` is set (the
reproducible-builds convention for generated documents): then it is that instant, so a
report made twice from the same inputs is the same file (the test suite sets it).
"""

from __future__ import annotations

import datetime
import hashlib
import os

import attrs

from emurules.source import normalise

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def sha256_text(text: str) -> str:
    """The SHA-256 (hex) of a criteria text as read: NFC, no byte-order mark, UTF-8."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def evaluation_time() -> datetime.datetime:
    """Now, in UTC to the second; `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set."""
    fixed = os.environ.get(EPOCH_VARIABLE, "").strip()
    if fixed.isdigit():
        return datetime.datetime.fromtimestamp(int(fixed), datetime.UTC)
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def emurules_version() -> str:
    from emurules import __version__  # the package is loaded by the time a result is made

    return __version__


@attrs.frozen(kw_only=True)
class Provenance:
    """What a result was made from and by. `sha256` is None only for rules built from a
    syntax tree that never had a text; `engine` and `evaluated` are None for a result
    that was not made by `Rules.evaluate`."""

    ruleset: str | None
    version: str | None
    sha256: str | None
    emurules: str
    engine: str | None
    year: int
    evaluated: datetime.datetime | None

    @property
    def evaluated_text(self) -> str | None:
        """The evaluation time in ISO 8601 with its offset (`2025-06-01T08:30:00+00:00`)."""
        return None if self.evaluated is None else self.evaluated.isoformat()

    @classmethod
    def unknown(cls, year: int, ruleset: str | None) -> Provenance:
        """For a result made by hand rather than by `Rules.evaluate`."""
        return cls(ruleset=ruleset, version=None, sha256=None, emurules=emurules_version(),
                   engine=None, year=year, evaluated=None)  # fmt: skip
