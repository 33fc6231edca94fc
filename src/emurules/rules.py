"""`Rules`: a checked criteria file ready to evaluate data (the library's main object)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from emurules.check.model import Model
from emurules.check.model import check as check_module
from emurules.data.validate import validate
from emurules.engine.explain import explain
from emurules.engine.row import RowEngine
from emurules.errors import DataError, EmurulesError
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

    def evaluate(
        self,
        data: Mapping[str, Iterable[Mapping[str, Any]]],
        *,
        history: Iterable[Mapping[str, Any]] = (),
        year: int | None = None,
        skip_invalid: bool = False,
        sources: Mapping[str, str] | None = None,
    ) -> Result:
        """Validate the data (raising DataError with every problem), then evaluate it.

        `data` maps each subject kind to its records (dicts of field values); `history`
        rows are `{"key", "year", "award"}` or `{"key", "year", "name", "value"}`.
        `sources` names the file each kind (and "history") was read from, for messages.
        """
        year = year if year is not None else self.year
        if year is None:
            raise EmurulesError("no assessment year: pass year=... or state it in the ruleset")
        if not isinstance(data, Mapping):
            raise TypeError("data maps each subject kind to a list of records")
        data = {kind: list(rows) for kind, rows in data.items()}
        history = list(history)
        steps = self.plan
        table = validate(
            self.model, data, history, year=year, skip_invalid=skip_invalid, sources=sources
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
            table = validate(self.model, data, history, year=year, skip_invalid=True, exclude=rows)
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


def compile(text: str, name: str = "<criteria>") -> Rules:
    """Parse and check criteria text; raise CriteriaError with every problem."""
    return Rules(check_module(parse(text, name)))


def load(path: str | Path) -> Rules:
    """Read a criteria file (UTF-8) and compile it; diagnostics name the file."""
    path = Path(path)
    return compile(path.read_text(encoding="utf-8"), str(path))
