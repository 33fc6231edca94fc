"""`Rules`: a checked criteria file ready to evaluate data (the library's main object)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs

from emurules.check.model import Model
from emurules.check.model import check as check_module
from emurules.data.arguments import (
    Records,
    assessment_year,
    criteria_path,
    criteria_text,
    inputs,
)
from emurules.data.cells import shown
from emurules.data.frames import Rows
from emurules.data.history import History
from emurules.data.validate import Table, locale_of, usage_error, validate
from emurules.engine.registry import Connection, bulk, choose, database_given, pick
from emurules.engine.row import Compiled, RowEngine
from emurules.engine.whatif import EXPLAIN, UNEXPLAINED, Explain, Replay
from emurules.errors import DataError, money
from emurules.i18n import message
from emurules.plan.labels import Labels
from emurules.plan.lower import plan
from emurules.plan.lower_schema import lower_schema
from emurules.plan.metadata import Language, Metadata
from emurules.plan.schema import Schema
from emurules.plan.steps import Plan
from emurules.provenance import Provenance, emurules_version, evaluation_time, sha256_text
from emurules.result import Result
from emurules.source import Diagnostic, normalise
from emurules.stack import call_deep
from emurules.syntax.parse import parse
from emurules.syntax.printer import format_module


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

    @property
    def labels(self) -> Labels:
        """The labels of subject kinds, fields, relations and enum values, and each kind's
        display field (read-only)."""
        return Labels(schema=self.schema)

    @property
    def metadata(self) -> Metadata:
        """The document metadata the ruleset header states (authority, document type and
        number, place, date, legal bases, signer, language); empty parts are None."""
        return self.plan.metadata

    @property
    def language(self) -> Language | None:
        """The ruleset's `language` ("vi" or "en"), if it states one."""
        return self.plan.metadata.language

    @property
    def version(self) -> str | None:
        """The ruleset's `version "..."` setting, if it states one."""
        return dict(self.plan.settings).get("version")

    @property
    def sha256(self) -> str:
        """The SHA-256 (hex) of the criteria text as read (NFC, no byte-order mark): what
        ties a result, a report or a test run to the exact rules (`Result.provenance`)."""
        source = self.model.module.source
        return sha256_text(source.text if source is not None else format_module(self.model.module))

    def _provenance(self, engine: str, year: int) -> Provenance:
        return Provenance(ruleset=self.plan.title, version=self.version, sha256=self.sha256,
                          emurules=emurules_version(), engine=engine, year=year,
                          evaluated=evaluation_time())  # fmt: skip

    def evaluate(
        self,
        data: Mapping[str, Records] | Connection,
        *,
        history: Records | None = None,
        year: int | None = None,
        locale: str | None = None,
        skip_invalid: bool = False,
        sources: Mapping[str, str] | None = None,
        engine: str | None = None,
        explain: Explain = "lazy",
        base_salary: int | Decimal | None = None,
        tables: Mapping[str, str] | None = None,
    ) -> Result:
        """Validate the data (raising DataError with every problem), then evaluate it.

        `data` maps each subject kind to its records (dicts of field values); `history`
        rows are `{"key", "year", "award"}`, `{"key", "year", "name", "value"}` or, for a
        merged or renamed unit, `{"key", "year", "predecessor"}`.
        `locale` ("iso" or "vi") overrides the ruleset's for reading numbers and dates
        written as text. `sources` names the file each kind (and "history") was read
        from, for messages. `engine` names the engine ("row"; None chooses). `explain`:
        "lazy" makes each explanation when asked for, "none" keeps none (`explain()`
        then says so). `base_salary` (VND) replaces the ruleset's for reward amounts
        (`Result.amount`). A wrong argument raises UsageError.

        With `engine="sql"`, `data` may be a database instead: a DuckDB connection, a
        psycopg connection, a PostgreSQL URL or a DuckDB file; its tables are evaluated
        where they are (one per subject kind, named after it, or as `tables` maps them),
        with the table `history` when the rules read the history and `history` is not
        given (`history=[]`: none).
        """
        if explain not in EXPLAIN:
            raise usage_error(message("api.bad-explain", value=shown(explain), choices=EXPLAIN))
        salary = None if base_salary is None else money("base_salary", base_salary)
        with bulk():  # millions of objects that all live on: see engine.registry.bulk
            if database_given(data) or tables is not None:
                result = self._in_database(data, history, year, locale, engine, explain, tables)
            else:
                records = cast(Mapping[str, Records], data)  # else a usage error names it
                result = self._evaluate(
                    records,
                    () if history is None else history,
                    year,
                    locale,
                    skip_invalid,
                    sources,
                    engine,
                    explain,
                )
        return result if salary is None else attrs.evolve(result, base_salary=salary)

    def _evaluate(
        self,
        data: Mapping[str, Records],
        history: Records,
        year: int | None,
        locale: str | None,
        skip_invalid: bool,
        sources: Mapping[str, str] | None,
        engine: str | None,
        explain: Explain = "lazy",
        leave: frozenset[tuple[str, int]] = frozenset(),
    ) -> Result:
        """`leave`: rows, as (kind or "history", 1-based row), this evaluation does not read
        (`compare.restrict`); every other row keeps its number in messages."""
        year = assessment_year(year if year is not None else self.year)
        records, past = inputs(
            data, history, locale=locale, skip_invalid=skip_invalid, sources=sources
        )
        steps = self.plan
        fast = None
        if not leave and not steps.rules and engine in (None, "columnar", "sql"):
            fast = self._on_columns(records, past, year, locale, skip_invalid, sources, engine)
        if fast is not None:
            result, ran, table = fast
            return self._finish(result, ran, table, year, locale, explain)
        table = validate(
            self.schema,
            records,
            past,
            year=year,
            locale=locale,
            skip_invalid=skip_invalid,
            exclude=leave,
            sources=sources,
        )
        self._members_given(records, {k for k, found in table.records.items() if found})
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
                    records,
                    past,
                    year=year,
                    locale=locale,
                    skip_invalid=True,
                    exclude=rows | leave,
                    sources=sources,
                )
            except DataError as error:
                raise DataError([*problems, *error.diagnostics]) from None
            table = attrs.evolve(table, skipped=(*problems, *table.skipped))
        subjects = sum(len(records) for records in table.records.values())
        chosen = pick(engine, self._prepare, subjects)
        prepared = self._prepare(chosen.name)
        result, ran = call_deep(
            self.plan.depth, lambda: chosen.evaluate(self.plan, prepared, table, year)
        )
        return self._finish(result, ran, table, year, locale, explain)

    def _in_database(
        self,
        source: object,
        history: Records | None,
        year: int | None,
        locale: str | None,
        engine: str | None,
        explain: Explain,
        tables: Mapping[str, str] | None,
    ) -> Result:
        """The rules evaluated on a database's tables, by the SQL engine; `history` as
        for records in memory, or None: the database's history table, if any."""
        if engine != "sql":
            raise usage_error(message("api.database-needs-sql", engine=repr(engine)))
        given_rows = () if history is None else history
        _, given = inputs({}, given_rows, locale=locale, skip_invalid=False, sources=None)
        past = None if history is None else given
        if tables is not None and not (
            isinstance(tables, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in tables.items())
        ):
            raise usage_error(message("api.bad-tables", value=shown(tables)))
        if (
            past is not None
            and tables is not None
            and "history" in tables
            and "history" not in self.schema.kinds
        ):
            raise usage_error(message("api.history-twice", table=repr(tables["history"])))
        from emurules.engine.sql.database import evaluate_database
        from emurules.engine.sql.run import Prepared

        when = assessment_year(year if year is not None else self.year)
        chosen = pick(engine, self._prepare, 0)
        prepared = self._prepare(chosen.name)
        assert isinstance(prepared, Prepared)
        result, ran, table = call_deep(
            self.plan.depth,
            lambda: evaluate_database(self.plan, prepared, source, tables, when, past, locale),
        )
        return self._finish(result, ran, table, when, locale, explain)

    def _members_given(self, records: Mapping[str, Rows], assessed: set[str]) -> None:
        """A relation's members must be given when its owners are assessed: without them,
        every owner would silently have none."""
        given = {normalise(str(kind)).strip() for kind in records}
        for relation in self.plan.relations:
            if relation.owner in assessed and relation.member not in given:
                raise usage_error(
                    message(
                        "api.no-member-records",
                        quoted=repr(relation.member),
                        member=relation.member,
                        owner=relation.owner,
                        relation=relation.name,
                    )
                )

    def _on_columns(
        self,
        records: Mapping[str, Rows],
        past: Rows,
        year: int,
        locale: str | None,
        skip_invalid: bool,
        sources: Mapping[str, str] | None,
        engine: str | None,
    ) -> tuple[Result, str, Table] | None:
        """Records read as columns and evaluated by the columnar (or SQL) engine, when it
        is the engine chosen and the records need nothing of the row validator; else None."""
        subjects = sum(len(rows) for rows in records.values())
        chosen = pick(engine, self._prepare, subjects)
        if chosen.name not in ("columnar", "sql"):
            return None
        from emurules.data.columns import DeferredTable, read_columns
        from emurules.data.past_columns import ColumnHistory, read_past
        from emurules.engine.columnar import run
        from emurules.engine.sql import run as sql

        cells = read_columns(self.schema, records, year=year, locale=locale, sources=sources)
        if cells is None:
            return None
        known = (
            read_past(self.schema, cells, past, year=year, locale=locale, sources=sources)
            if past
            else History()  # nothing to read: not even the keys' index
        )
        if known is None:
            return None
        # the history as given now, for what-if: the columns it was read into, else a copy
        history: Sequence[Any] = (
            known.given()
            if isinstance(known, ColumnHistory)
            else [dict(r) if type(r) is dict or isinstance(r, Mapping) else r for r in past]
        )
        self._members_given(records, {kind for kind, found in cells.items() if found.keys})
        table = DeferredTable(
            lambda: validate(
                self.schema,
                {kind: cells[kind].rows() for kind in records},
                history,
                year=year,
                locale=locale,
                skip_invalid=skip_invalid,
                sources=sources,
            )
        )
        prepared = self._prepare(chosen.name)

        def evaluate() -> tuple[Result, str]:
            if isinstance(prepared, sql.Prepared):
                return sql.evaluate_cells(self.plan, prepared, cells, lambda: table, year, known)
            assert isinstance(prepared, run.Prepared)
            return run.evaluate_cells(self.plan, prepared, cells, lambda: table, year, known)

        result, ran = call_deep(self.plan.depth, evaluate)
        return result, ran, table

    def _finish(
        self,
        result: Result,
        ran: str,
        table: Table,
        year: int,
        locale: str | None,
        explain: Explain,
    ) -> Result:
        # kept for `Result.what_if`: the rules and this very table, never a copy
        replay = Replay(self, table, year, locale_of(self.schema, locale), explain)
        made = self._provenance(ran, year)
        if explain == "none":
            return attrs.evolve(result, explanations=UNEXPLAINED, replay=replay, provenance=made)
        return attrs.evolve(result, replay=replay, provenance=made)

    def _prepare(self, engine: str) -> object:
        """What an engine prepares once for these rules (the row engine's closures)."""
        prepared = self._prepared.get(engine)
        if prepared is None:
            plan, chosen = self.plan, choose(engine)
            prepared = self._prepared[engine] = call_deep(plan.depth, lambda: chosen.prepare(plan))
        return prepared


def evaluate_leaving(
    rules: Rules,
    data: Mapping[str, Records],
    history: Records,
    leave: frozenset[tuple[str, int]],
    *,
    year: int | None,
    locale: str | None,
    skip_invalid: bool,
    sources: Mapping[str, str] | None,
    base_salary: int | Decimal | None,
) -> Result:
    """`Rules.evaluate`, leaving some rows unread but numbered (one version of two that
    `emurules diff` compares, on data made for the other)."""
    salary = None if base_salary is None else money("base_salary", base_salary)
    with bulk():
        result = rules._evaluate(
            data, history, year, locale, skip_invalid, sources, None, "lazy", leave
        )
    return result if salary is None else attrs.evolve(result, base_salary=salary)


def compile(text: str, name: str = "<criteria>") -> Rules:
    """Parse and check criteria text; raise CriteriaError with every problem."""
    return Rules(check_module(parse(*criteria_text(text, name))))


def load(path: str | Path) -> Rules:
    """Read a criteria file (UTF-8) and compile it; diagnostics name the file."""
    path = criteria_path(path)
    return compile(path.read_text(encoding="utf-8"), str(path))
