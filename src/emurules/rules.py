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
from emurules.engine.registry import bulk, choose
from emurules.engine.row import Compiled, RowEngine
from emurules.errors import DataError
from emurules.i18n import message
from emurules.plan.lower import plan
from emurules.plan.lower_schema import lower_schema
from emurules.plan.schema import Schema
from emurules.plan.steps import Plan
from emurules.result import Result
from emurules.source import Diagnostic, normalise
from emurules.stack import call_deep
from emurules.syntax.parse import parse


@attrs.frozen
class Rules:
    """Criteria that parse and check; `evaluate` runs them on data."""

    model: Model
    # What data must look like, lowered once; derived from `model`, so not compared.
    schema: Schema = attrs.field(init=False, eq=False, repr=False)

    plan: Plan = attrs.field(init=False, eq=False, repr=False)
    _prepared: dict[str, object] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "schema", lower_schema(self.model))
        object.__setattr__(self, "plan", plan(self.model))
        compiled = call_deep(self.plan.depth, lambda: Compiled.of(self.plan))
        object.__setattr__(self, "_prepared", {"row": compiled})

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and copied) as its criteria text, checked again when loaded: the checked
        model keeps tables by object identity, which no copy could carry."""
        source = self.model.module.source
        if source is None:
            return (Rules, (self.model,))
        return (compile, (source.text, source.name))

    @property
    def year(self) -> int | None:
        """The ruleset's assessment year, if it states one."""
        return self.plan.year

    @property
    def locale(self) -> str:
        """How the ruleset reads numbers and dates in data text: "iso" (the default:
        decimal point, YYYY-MM-DD) or "vi" (decimal comma, day-first dates)."""
        return locale_of(self.schema)

    def evaluate(
        self,
        data: Mapping[str, Iterable[Mapping[str, Any]]],
        *,
        history: Iterable[Mapping[str, Any]] = (),
        year: int | None = None,
        locale: str | None = None,
        skip_invalid: bool = False,
        sources: Mapping[str, str] | None = None,
        engine: str | None = None,
    ) -> Result:
        """Validate the data (raising DataError with every problem), then evaluate it.

        `data` maps each subject kind to its records (dicts of field values); `history`
        rows are `{"key", "year", "award"}` or `{"key", "year", "name", "value"}`.
        `locale` ("iso" or "vi") overrides the ruleset's for reading numbers and dates
        written as text. `sources` names the file each kind (and "history") was read
        from, for messages. `engine` names the engine ("row"; None chooses). A wrong
        argument raises UsageError.
        """
        with bulk():  # millions of objects that all live on: see engine.registry.bulk
            return self._evaluate(data, history, year, locale, skip_invalid, sources, engine)

    def _evaluate(
        self,
        data: Mapping[str, Iterable[Mapping[str, Any]]],
        history: Iterable[Mapping[str, Any]],
        year: int | None,
        locale: str | None,
        skip_invalid: bool,
        sources: Mapping[str, str] | None,
        engine: str | None,
    ) -> Result:
        year = _year(year if year is not None else self.year)
        if not isinstance(data, Mapping):
            raise usage_error(message("api.data-not-mapping"))
        try:
            data = {kind: list(rows) for kind, rows in data.items()}
            history = list(history)
        except TypeError:
            raise usage_error(message("api.data-not-lists")) from None
        steps = self.plan
        table = validate(
            self.schema,
            data,
            history,
            year=year,
            locale=locale,
            skip_invalid=skip_invalid,
            sources=sources,
        )
        given = {normalise(str(kind)).strip() for kind in data}
        for relation in steps.relations:
            if table.records.get(relation.owner) and relation.member not in given:
                raise usage_error(
                    message(
                        "api.no-member-records",
                        quoted=repr(relation.member),
                        member=relation.member,
                        owner=relation.owner,
                        relation=relation.name,
                    )
                )
        compiled = self._prepared["row"]
        assert isinstance(compiled, Compiled)
        broken = (
            call_deep(steps.depth, RowEngine(steps, table, year, compiled).broken_rules)
            if steps.rules
            else []
        )
        if broken:
            problems = [
                Diagnostic(
                    code="D0103",
                    kind="constraint",
                    place=record.place,
                    message=message(
                        "engine.breaks-rule",
                        kind=record.kind,
                        key=repr(record.key),
                        rule=rule.label,
                    ),
                )
                for record, rule in broken
            ]
            if not skip_invalid:
                raise DataError(problems)
            rows = {(r.kind, r.place.row or 0) for r, _ in broken}
            try:
                table = validate(
                    self.schema,
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
        chosen = choose(engine)
        prepared = self._prepared.get(chosen.name)
        if prepared is None:
            plan = self.plan
            prepared = self._prepared[chosen.name] = call_deep(
                plan.depth, lambda: chosen.prepare(plan)
            )
        return call_deep(self.plan.depth, lambda: chosen.evaluate(self.plan, prepared, table, year))


def _year(year: object) -> int:
    """The assessment year, which history and `year` in the criteria are read against."""
    if year is None:
        raise usage_error(message("api.no-year"), hint=message("api.no-year-hint"))
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise usage_error(message("api.bad-year", year=shown(year)))
    return year


def compile(text: str, name: str = "<criteria>") -> Rules:
    """Parse and check criteria text; raise CriteriaError with every problem."""
    return Rules(check_module(parse(text, name)))


def load(path: str | Path) -> Rules:
    """Read a criteria file (UTF-8) and compile it; diagnostics name the file."""
    path = Path(path)
    return compile(path.read_text(encoding="utf-8"), str(path))
