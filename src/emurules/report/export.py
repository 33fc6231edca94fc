"""Machine-readable and document exports: JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from emurules.i18n import DEFAULT, render
from emurules.report.safe import defuse_formula, markdown_text
from emurules.report.tables import (
    Column,
    award_columns,
    award_lines,
    award_title,
    league_columns,
    league_lines,
    provenance,
    summary,
    summary_columns,
    summary_text,
    title,
)
from emurules.result import Result, RowDict


def to_json(result: Result, *, explanations: bool = False) -> str:
    out = io.StringIO()
    write_json(result, out, explanations=explanations)
    return out.getvalue()


def write_json(result: Result, out: TextIO, *, explanations: bool = False) -> None:
    """`Result.to_json()` as JSON text (indented by 2), written item by item, so a result
    of a million subjects is never one string in memory. The text is exactly
    `json.dumps(result.to_json(explanations=...), ensure_ascii=False, indent=2)` and a
    newline."""
    data = result.to_json_head()
    out.write("{\n")
    out.write(f'  "schema": {_dump(data["schema"])},\n')
    out.write(f'  "year": {_dump(data["year"])},\n')
    out.write(f'  "ruleset": {_dump(data["ruleset"])},\n')
    out.write(f'  "provenance": {_indented(data["provenance"], "  ")},\n')
    if "base_salary" in data:
        out.write(f'  "base_salary": {_dump(data["base_salary"])},\n')
    out.write(f'  "types": {_indented(data["types"], "  ")},\n')
    out.write('  "subjects": ')
    _write_list(out, result.iter_subjects_json(explanations=explanations), "  ")
    out.write(',\n  "awards": ')
    awards = result.iter_awards_json()
    first = next(awards, None)
    if first is None:
        out.write("[]")
    else:
        out.write("[\n")
        for index, (head, outcomes) in enumerate(_chain(first, awards)):
            out.write(",\n" if index else "")
            out.write("    {\n")
            for name, value in head.items():
                out.write(f"      {_dump(name)}: {_indented(value, '      ')},\n")
            out.write('      "outcomes": ')
            _write_list(out, outcomes, "      ")
            out.write("\n    }")
        out.write("\n  ]")
    out.write(',\n  "skipped": ')
    _write_list(out, iter(data["skipped"]), "  ")
    out.write("\n}\n")


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _indented(value: Any, prefix: str) -> str:
    """`value` as `json.dumps(..., indent=2)` writes it at a depth whose lines start with
    `prefix`."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + prefix)


def _write_list(out: TextIO, items: Iterator[Any], prefix: str) -> None:
    first = next(items, None)
    if first is None:
        out.write("[]")
        return
    inner = prefix + "  "
    out.write("[\n")
    for index, item in enumerate(_chain(first, items)):
        out.write(",\n" if index else "")
        out.write(inner + _indented(item, inner))
    out.write("\n" + prefix + "]")


CSV_FIELDS = ("award", "kind", "key", "name", "score", "qualified", "received", "rank", "group",
              "reason", "failed", "amount")  # fmt: skip
# Excel reads a CSV file without a byte-order mark in the machine's code page, so
# Vietnamese names would come out garbled; every other reader skips it.
BOM = "\ufeff"
# The provenance, the same on every row: a CSV file has no place for it but its rows, and
# a row copied elsewhere keeps saying which rules made it.
PROVENANCE_FIELDS = ("year", "ruleset_version", "ruleset_sha256", "emurules", "engine",
                     "evaluated")  # fmt: skip


def to_csv(result: Result, *, top: int = 0) -> str:
    out = io.StringIO()
    write_csv(result, out, top=top)
    return out.getvalue()


def write_csv(result: Result, out: TextIO, *, top: int = 0) -> None:
    """One row per subject and award, written row by row after a UTF-8 byte-order mark
    (`BOM`); text cells never start like a formula. Never localised: the columns are
    named by ids (`CSV_FIELDS`), numbers have a decimal point.

    Numbers are written as numbers, a negative score included: the score in its canonical
    form (as in `to_json()`), an amount in VND, and a group is one when the field it groups
    by is. `name` is the subject's display name (empty without one). Each row ends with the
    provenance (`PROVENANCE_FIELDS`): the year, the rules' version and SHA-256, the
    emurules release, the engine and the evaluation time. With `top` > 0, only each
    award's `top` best, best first (as the other reports list them).
    """
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS + PROVENANCE_FIELDS, lineterminator="\n")
    writer.writeheader()
    made = result.provenance
    trailer = {
        "year": made.year,
        "ruleset_version": _csv_cell(made.version or "", number=False),
        "ruleset_sha256": made.sha256 or "",
        "emurules": made.emurules,
        "engine": made.engine or "",
        "evaluated": made.evaluated_text or "",
    }
    groups = (o.group for a in result.awards for o in result.outcomes[a.name].values())
    rows = zip(result.iter_rows(), groups, strict=True)
    for row, group in _best(result, rows, top) if top > 0 else rows:
        numbers = {"score", "amount", "group"} if isinstance(group, Decimal | int) else NUMBERS
        cells = {c: _csv_cell(v, number=c in numbers) for c, v in row.items()}
        writer.writerow({**cells, **trailer})


NUMBERS = frozenset({"score", "amount"})


def _best(
    result: Result, rows: Iterable[tuple[RowDict, Any]], top: int
) -> Iterator[tuple[RowDict, Any]]:
    """Each award's rows in the order of `award_lines(top=...)`: its `top` best."""
    found: dict[str, dict[str, tuple[RowDict, Any]]] = {}
    for row, group in rows:
        found.setdefault(row["award"], {})[row["key"]] = (row, group)
    for award in result.awards:
        for line in award_lines(result, award.name, everyone=True, top=top):
            yield found[award.name][line.key]


def _csv_cell(value: Any, *, number: bool) -> Any:
    return defuse_formula(value) if isinstance(value, str) and not number else value


def _cell(text: str) -> str:
    return markdown_text(text)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _heading(columns: list[Column]) -> list[str]:
    rule = "| " + " | ".join("---:" if c.numeric else "---" for c in columns) + " |"
    return [_row(c.heading for c in columns), rule]


def to_markdown(result: Result, lang: str = DEFAULT, *, top: int = 0) -> str:
    """The report as Markdown, in `lang`: a summary, then a table per award of those who
    qualified (only its `top` best when top > 0)."""
    parts = [f"# {_cell(render(title(result), lang))}", ""]
    parts += [_cell(render(provenance(result), lang)), ""]
    rows = summary(result, lang)
    if rows:  # a score sheet with league tables only has no titles to sum up
        columns = summary_columns(rows, lang)
        parts += _heading(columns)
        parts += [_row(summary_text(row, c.id, lang) for c in columns) for row in rows]
    for award in result.awards:
        parts += ["", f"## {_cell(render(award_title(award.name, award.label), lang))}", ""]
        lines = award_lines(result, award.name, lang=lang, top=top)
        columns = award_columns(result, award, lines, lang)
        parts += _heading(columns)
        parts += [_row(line.text(c.id, lang) for c in columns) for line in lines]
    for ranking in result.rankings:
        parts += ["", f"## {_cell(render(award_title(ranking.name, ranking.label), lang))}", ""]
        lines = league_lines(result, ranking, lang, top)
        columns = league_columns(result, ranking, lines, lang)
        parts += _heading(columns)
        parts += [_row(line.text(c.id, lang) for c in columns) for line in lines]
    return "\n".join(parts) + "\n"
