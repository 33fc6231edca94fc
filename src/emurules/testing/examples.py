"""Running a criteria file's `example` blocks: each one's records are evaluated as any data
would be, then every expectation is compared with the result.

A failing expectation says what was expected and what was found, in the words and value
formats of explanations, with the subject's whole explanation beneath it: that is what the
author of the example needs to see whether the rules or the example are wrong.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs

from emurules.diagnostics import render
from emurules.errors import DataError, DiagnosticError, UsageError
from emurules.i18n import DEFAULT, Message, message
from emurules.i18n import render as words
from emurules.plan.examples import Example, Expectation
from emurules.result import Explanation, Outcome, Result
from emurules.rules import Rules
from emurules.source import Diagnostic, Span
from emurules.values import MISSING, EnumValue, round_half_away, show

Text = Message | str

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@attrs.frozen(kw_only=True)
class ExpectationFailure:
    """One expectation that did not hold: what it expected, what was found, and the
    subject's explanation (None when the subject was not evaluated)."""

    key: str
    name: str
    expected: Text
    actual: Text
    message: Message
    explanation: Explanation | None = attrs.field(default=None, repr=False)
    span: Span | None = attrs.field(default=None, repr=False)

    def lines(self, lang: str = DEFAULT) -> Iterator[str]:
        """The failure, then the explanation indented beneath it."""
        yield _at(self.span) + words(self.message, lang)
        if self.explanation is not None:
            yield from self.explanation.lines(1, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            **_where(self.span),
            "key": self.key,
            "name": self.name,
            "expected": words(self.expected),
            "actual": words(self.actual),
            "message": words(self.message),
            "explanation": None if self.explanation is None else list(self.explanation.lines()),
        }


@attrs.frozen(kw_only=True)
class ExampleRun:
    """How one example went. `error` holds the diagnostics of records that do not pass
    validation, or of an evaluation that failed (`error_text` says which); then nothing
    was compared and the example fails."""

    label: str
    span: Span | None
    passed: bool
    seconds: float
    failures: tuple[ExpectationFailure, ...] = ()
    error: tuple[Diagnostic, ...] = ()
    error_text: Message | None = None

    def heading(self) -> Message:
        if self.passed:
            return message("examples.passed", label=self.label)
        return message("examples.failed", label=self.label)

    def lines(self, lang: str = DEFAULT) -> Iterator[str]:
        """The example's outcome; for a failure, every failed expectation (expected and
        found) with the subject's explanation, or the diagnostics that stopped it."""
        yield _at(self.span) + words(self.heading(), lang)
        if self.error_text is not None:
            yield "  " + words(self.error_text, lang)
        for diagnostic in self.error:
            for line in render(diagnostic, lang=lang).splitlines():
                yield "    " + line
        for failure in self.failures:
            for line in failure.lines(lang):
                yield "  " + line

    def first_failure(self, lang: str = DEFAULT) -> list[str]:
        """The lines of the first thing that failed (a diagnostic or an expectation,
        without its explanation): what a command shows before it stops."""
        if self.error:
            return render(self.error[0], lang=lang).splitlines()
        if self.failures:
            first = self.failures[0]
            return [_at(first.span) + words(first.message, lang)]
        return []

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            **_where(self.span),
            "passed": self.passed,
            "seconds": round(self.seconds, 6),
            "failures": [f.to_json() for f in self.failures],
            "errors": [
                {
                    **_where(d.span),
                    "code": d.code,
                    "kind": d.kind,
                    "message": words(d.message),
                }
                for d in self.error
            ],
        }


def _at(span: Span | None) -> str:
    return f"{span}: " if span is not None else ""


def _where(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"file": None, "line": None, "column": None}
    return {"file": span.source.name, "line": span.line, "column": span.column}


def run_examples(rules: Rules, *, year: int | None = None) -> tuple[ExampleRun, ...]:
    """Run every example of the criteria file, in the order of the file. An example
    without a year of its own is assessed in the ruleset's year, else in `year` (the year
    the caller is about to assess)."""
    return tuple(run_example(rules, example, year=year) for example in rules.plan.examples)


def run_example(rules: Rules, example: Example, *, year: int | None = None) -> ExampleRun:
    """Evaluate one example's records and compare each expectation with the result."""
    start = time.perf_counter()
    data: dict[str, list[dict[str, Any]]] = {kind: [] for kind in rules.plan.kinds}
    data.update(example.data())
    error_text: Message | None = None
    found: tuple[Diagnostic, ...] = ()
    try:
        assessed = example.year or rules.year or year
        if assessed is None:
            raise UsageError(message("examples.no-year"))
        result = rules.evaluate(data, history=example.history_rows(), year=assessed)
    except DataError as error:
        error_text = message("examples.data-errors")
        found = tuple(_placed(d, example) for d in error.diagnostics)
    except (DiagnosticError, UsageError) as error:
        error_text = message("examples.evaluation-failed")
        found = _diagnostics(error, example.span)
    if error_text is not None:
        return ExampleRun(
            label=example.label,
            span=example.span,
            passed=False,
            seconds=time.perf_counter() - start,
            error=found,
            error_text=error_text,
        )
    failures = tuple(
        failure
        for expectation in example.expectations
        if (failure := _check(rules, result, example, expectation)) is not None
    )
    return ExampleRun(
        label=example.label,
        span=example.span,
        passed=not failures,
        seconds=time.perf_counter() - start,
        failures=failures,
    )


def _placed(diagnostic: Diagnostic, example: Example) -> Diagnostic:
    """A data diagnostic pointed at the example's record (or history entry) and field,
    where the author wrote it, instead of at a row of data no file holds."""
    place = diagnostic.place
    if place is None or place.row is None:
        return attrs.evolve(diagnostic, span=diagnostic.span or example.span)
    span: Span | None = None
    if place.file == "history":
        if place.row <= len(example.history):
            span = example.history[place.row - 1].span
    else:
        records = example.records_of(place.file)
        if place.row <= len(records):
            span = records[place.row - 1].field_span(place.field)
    if span is None:
        return diagnostic
    return attrs.evolve(diagnostic, span=span, place=None)


def _diagnostics(error: DiagnosticError | UsageError, span: Span | None) -> tuple[Diagnostic, ...]:
    if error.diagnostics:
        return tuple(
            d if d.span is not None or d.place is not None else attrs.evolve(d, span=span)
            for d in error.diagnostics
        )
    assert isinstance(error, UsageError)
    return (Diagnostic(code="D0139", kind="usage", message=error.message, span=span),)


# ---- expectations --------------------------------------------------------------------------
def _check(
    rules: Rules, result: Result, example: Example, expectation: Expectation
) -> ExpectationFailure | None:
    """None when the expectation holds, else what failed."""
    key, name = expectation.key, expectation.name
    if (expectation.kind, key) not in result.subjects:
        return _failure(
            expectation, _expected(rules, expectation), message("examples.no-subject"), None
        )
    explanation = result.explain(key, expectation.kind)
    outcomes = result.outcomes.get(name)
    outcome = outcomes.get(key) if outcomes is not None else None
    if outcome is not None and expectation.mode in ("true", "false", "cut"):
        holds, found = _award(expectation, outcome)
    else:
        value = _value(rules, result, example, expectation)
        holds, found = _holds(rules, expectation, value)
    if holds:
        return None
    return _failure(expectation, _expected(rules, expectation), found, explanation)


def _failure(
    expectation: Expectation, expected: Text, found: Text, explanation: Explanation | None
) -> ExpectationFailure:
    text = expectation.text or f"expect {expectation.key} {expectation.name}"
    return ExpectationFailure(
        key=expectation.key,
        name=expectation.name,
        expected=expected,
        actual=found,
        message=message("examples.expectation", expectation=text, expected=expected, found=found),
        explanation=explanation,
        span=expectation.span,
    )


def _award(expectation: Expectation, outcome: Outcome) -> tuple[bool, Text]:
    found = _outcome(outcome)
    match expectation.mode:
        case "true":
            return outcome.received, found
        case "cut":
            return outcome.qualified and not outcome.received, found
        case _:
            if outcome.received:
                return False, found
            if not expectation.because:
                return True, found
            return _because(expectation.because, outcome) == {c.id for c in outcome.failed}, found


def _because(because: tuple[str, ...], outcome: Outcome) -> set[str]:
    """The condition ids named, a part of an `any` standing for the `any` it is part of."""
    parent = {part.id: check.id for check in outcome.checks for part in check.parts}
    return {parent.get(reason, reason) for reason in because}


def _outcome(outcome: Outcome) -> Message:
    """What became of the subject for the award, as the expectation is compared with it."""
    if outcome.received:
        return message("examples.received")
    if outcome.qualified:
        if outcome.rank is not None:
            return message("examples.cut-ranked", rank=outcome.rank)
        return message("examples.cut")
    if outcome.failed:
        return message("examples.not-qualified", failed=tuple(c.id for c in outcome.failed))
    return message("examples.not-received")


def _expected(rules: Rules, expectation: Expectation) -> Text:
    is_award = any(a.name == expectation.name for a in rules.plan.awards(expectation.kind))
    match expectation.mode:
        case "true":
            return message("examples.received") if is_award else show(True)
        case "false" if expectation.because:
            return message("examples.not-qualified", failed=expectation.because)
        case "false":
            return message("examples.not-received") if is_award else show(False)
        case "cut":
            return message("examples.cut")
        case "compare":
            assert expectation.op is not None
            return f"{expectation.op} {_shown(expectation.value, expectation.percent)}"
        case "missing":
            return show(MISSING)
        case _:
            return message("examples.a-value")


def _value(rules: Rules, result: Result, example: Example, expectation: Expectation) -> Any:
    """The subject's value of the name: computed, else the input field as the example's
    record gives it (or its default), else missing."""
    values = result.subject(expectation.key, expectation.kind).values
    if expectation.name in values:
        return values[expectation.name]
    schema = rules.schema.kinds[expectation.kind]
    field = schema.fields.get(expectation.name)
    if field is None:
        return MISSING
    for record in example.records_of(expectation.kind):
        written = dict(record.fields)
        if str(written.get(schema.key)) == expectation.key and expectation.name in written:
            value = written[expectation.name]
            if field.type.kind == "enum" and field.type.name and isinstance(value, str):
                return rules.schema.enum_value(field.type.name, value)
            return value
    return MISSING if field.default is None else field.default


def _holds(rules: Rules, expectation: Expectation, value: Any) -> tuple[bool, Text]:
    match expectation.mode:
        case "true":
            return value is True, show(value)
        case "false":
            return value is False, show(value)
        case "missing":
            return value is MISSING, show(value)
        case "present":
            return value is not MISSING, show(value)
        case "compare":
            return _compare(rules, expectation, value)
        case _:  # `cut` of what is not an award: the checker refuses it
            return False, show(value)


def _compare(rules: Rules, expectation: Expectation, value: Any) -> tuple[bool, Text]:
    """`expect P1 score >= 80`: numbers are compared rounded to the ruleset's digits (a
    percentage's fraction to two more), as the result shows them."""
    expected, percent = expectation.value, expectation.percent
    digits = rules.plan.round_digits
    if isinstance(value, Decimal) and isinstance(expected, Decimal) and digits is not None:
        places = digits + 2 if percent else digits
        value, expected = round_half_away(value, places), round_half_away(expected, places)
    found = _shown(value, percent)
    if value is MISSING or expectation.op is None:
        return False, found
    if isinstance(value, EnumValue) != isinstance(expected, EnumValue):
        return False, found
    try:
        return bool(_COMPARE[expectation.op](value, expected)), found
    except TypeError:
        return False, found


def _shown(value: Any, percent: bool) -> str:
    """A value as explanations show it; a percentage as one (0.7 -> 70%)."""
    if percent and isinstance(value, Decimal):
        return show(value * 100) + "%"
    return show(value)
