"""`Rules`: a checked criteria file ready to evaluate data (the library's main object)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from emurules.check.model import Model
from emurules.check.model import check as check_module
from emurules.data.cells import shown
from emurules.data.validate import locale_of, usage_error, validate
from emurules.engine.explain import explain
from emurules.engine.row import RowEngine
from emurules.errors import DataError
from emurules.plan import Plan, plan
from emurules.result import AwardInfo, Result, SubjectResult
from emurules.source import Diagnostic
from emurules.syntax import ast
from emurules.syntax.parse import parse


@attrs.frozen
class Rules:
    """Criteria that parse and check; `evaluate` runs them on data."""

    model: Model

    @property
    def plan(self) -> Plan:
        return plan(self.model)

    @property
    def year(self) -> int | None:
        """The ruleset's assessment year, if it states one."""
        return self.plan.year

    @property
    def locale(self) -> str:
        """How the ruleset reads numbers and dates in data text: "iso" (the default:
        decimal point, YYYY-MM-DD) or "vi" (decimal comma, day-first dates)."""
        return locale_of(self.model)

    def evaluate(
        self,
        data: Mapping[str, Iterable[Mapping[str, Any]]],
        *,
        history: Iterable[Mapping[str, Any]] = (),
        year: int | None = None,
        locale: str | None = None,
        skip_invalid: bool = False,
        sources: Mapping[str, str] | None = None,
    ) -> Result:
        """Validate the data (raising DataError with every problem), then evaluate it.

        `data` maps each subject kind to its records (dicts of field values); `history`
        rows are `{"key", "year", "award"}` or `{"key", "year", "name", "value"}`.
        `locale` ("iso" or "vi") overrides the ruleset's for reading numbers and dates
        written as text. `sources` names the file each kind (and "history") was read
        from, for messages. A wrong argument raises UsageError.
        """
        year = _year(year if year is not None else self.year)
        if not isinstance(data, Mapping):
            raise usage_error("data: a mapping of each subject kind to its list of records")
        try:
            data = {kind: list(rows) for kind, rows in data.items()}
            history = list(history)
        except TypeError:
            raise usage_error(
                "data and history: the records of each kind, and the history rows, are lists"
            ) from None
        steps = self.plan
        table = validate(
            self.model,
            data,
            history,
            year=year,
            locale=locale,
            skip_invalid=skip_invalid,
            sources=sources,
        )
        broken = RowEngine(steps, table, year).broken_rules()
        if broken:
            problems = [
                Diagnostic(
                    code="D0103",
                    kind="constraint",
                    place=record.place,
                    message=f'the {record.kind} {record.key!r} breaks the rule "{rule.label}"',
                )
                for record, rule in broken
            ]
            if not skip_invalid:
                raise DataError(problems)
            rows = {(r.kind, r.place.row or 0) for r, _ in broken}
            try:
                table = validate(
                    self.model,
                    data,
                    history,
                    year=year,
                    locale=locale,
                    skip_invalid=True,
                    exclude=rows,
                    sources=sources,
                )
            except DataError as error:
                raise DataError([*problems, *error.diagnostics]) from None
            table = attrs.evolve(table, skipped=(*problems, *table.skipped))
        engine = RowEngine(steps, table, year)
        engine.run()
        module = self.model.module
        awards = tuple(
            AwardInfo(d.name.text, d.subject.text, d.label)
            for d in module.decls
            if isinstance(d, ast.AwardDecl) and not d.given
        )
        subjects = {
            (kind, key): SubjectResult(
                kind=kind, key=key, values=dict(values), score=values.get("score")
            )
            for (kind, key), values in sorted(engine.values.items())
        }
        ruleset = self.model.tables.ruleset
        return Result(
            year=year,
            ruleset=ruleset.title if ruleset is not None else None,
            subjects=subjects,
            awards=awards,
            outcomes=engine.outcomes,
            recipients_by_award=engine.recipients_order,
            explanations={k: explain(engine, *k) for k in engine.values},
            skipped=table.skipped,
        )


def _year(year: object) -> int:
    """The assessment year, which history and `year` in the criteria are read against."""
    if year is None:
        raise usage_error(
            "no assessment year: pass year=2025 or state `year 2025` in the ruleset",
            hint="on the command line, pass --year 2025",
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise usage_error(f"year={shown(year)}: the assessment year is a whole number, like 2025")
    return year


def compile(text: str, name: str = "<criteria>") -> Rules:
    """Parse and check criteria text; raise CriteriaError with every problem."""
    return Rules(check_module(parse(text, name)))


def load(path: str | Path) -> Rules:
    """Read a criteria file (UTF-8) and compile it; diagnostics name the file."""
    path = Path(path)
    return compile(path.read_text(encoding="utf-8"), str(path))
