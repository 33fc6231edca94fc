"""`emurules test` as a function: a criteria file's examples run, its checks falsified.

A run is deterministic: the same seed tries the same populations, so a counterexample a
reviewer reports can be reproduced by anyone with the file and the seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

import attrs

from emurules.i18n import DEFAULT, Message, message, render
from emurules.provenance import sha256_text
from emurules.rules import Rules
from emurules.source import Span
from emurules.testing.examples import run_examples
from emurules.testing.properties import check_all

DEFAULT_SEED = 0
DEFAULT_MAX_EXAMPLES = 100


class Item(Protocol):
    """What a run reports of one example or check."""

    @property
    def label(self) -> str: ...
    @property
    def span(self) -> Span | None: ...
    @property
    def passed(self) -> bool: ...
    @property
    def seconds(self) -> float: ...

    def lines(self, lang: str = DEFAULT) -> Iterator[str]: ...
    def to_json(self) -> dict[str, Any]: ...


@attrs.frozen(kw_only=True)
class FileRun:
    """Every example and check of one criteria file, in the order of the file."""

    file: str
    sha256: str  # of the criteria text: a report speaks of the file as it was tested
    seed: int
    max_examples: int
    examples: tuple[Item, ...]
    checks: tuple[Item, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        """Examples and checks in the order of the file."""
        return tuple(sorted((*self.examples, *self.checks), key=_position))

    @property
    def failed(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.passed)

    @property
    def passed(self) -> bool:
        return not self.failed

    def summary(self) -> Message:
        return message(
            "testrun.file-summary",
            file=self.file,
            examples=message("testrun.examples", count=len(self.examples)),
            checks=message("testrun.checks", count=len(self.checks)),
            outcome=outcome(len(self.failed)),
            seed=str(self.seed),
        )

    def lines(self, lang: str = DEFAULT, *, verbose: bool = False) -> Iterator[str]:
        """Each item's line (a failure with what a reviewer needs to act), then the
        summary. Items that passed are one line each; `verbose` changes nothing for them
        yet, as their line says all there is."""
        for item in self.items:
            if item.passed:
                yield next(iter(item.lines(lang)))
            else:
                yield from item.lines(lang)
        yield render(self.summary(), lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "passed": self.passed,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "examples": [item.to_json() for item in self.examples],
            "checks": [item.to_json() for item in self.checks],
        }


def fingerprint(text: str) -> str:
    """What ties a test report to the criteria text it tested (`emurules doc --verified`):
    the same hash as `Rules.sha256` and `Result.provenance`."""
    return sha256_text(text)


def _position(item: Item) -> tuple[int, int]:
    span = item.span
    return (0, 0) if span is None else (span.line, span.column)


def outcome(failed: int) -> Message:
    if failed:
        return message("testrun.some-failed", count=failed)
    return message("testrun.all-passed")


def run(
    rules: Rules,
    *,
    data: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    history: Iterable[Mapping[str, Any]] | None = None,
    year: int | None = None,
    seed: int | None = None,
    max_examples: int | None = None,
    file: str | None = None,
) -> FileRun:
    """Run every example of the rules and try to falsify every check with `max_examples`
    generated populations each; with `data` (and `history`), every `check "label"` is
    also evaluated on that data. `year` is the year of the data, and of the examples
    that state none when the ruleset states none either."""
    seed = DEFAULT_SEED if seed is None else seed
    max_examples = DEFAULT_MAX_EXAMPLES if max_examples is None else max_examples
    source = rules.model.module.source
    name = file if file is not None else (source.name if source is not None else "<criteria>")
    return FileRun(
        file=name,
        sha256=fingerprint(source.text if source is not None else ""),
        seed=seed,
        max_examples=max_examples,
        examples=run_examples(rules, year=year),
        checks=check_all(
            rules,
            year=year,
            seed=seed,
            max_examples=max_examples,
            data=data,
            history=history,
        ),
    )
