"""Machine-readable and document exports: JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from emurules.i18n import DEFAULT, Message, render
from emurules.report.safe import defuse_formula, markdown_text
from emurules.report.tables import (
    AWARD_COLUMNS,
    STATUS,
    SUMMARY_COLUMNS,
    award_lines,
    award_title,
    provenance,
    summary,
    title,
    words,
)
from emurules.result import Result


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


CSV_FIELDS = ("award", "kind", "key", "score", "qualified", "received", "rank", "group",
              "reason", "failed")  # fmt: skip
# The provenance, the same on every row: a CSV file has no place for it but its rows, and
# a row copied elsewhere keeps saying which rules made it.
PROVENANCE_FIELDS = ("year", "ruleset_version", "ruleset_sha256", "emurules", "engine",
                     "evaluated")  # fmt: skip


def to_csv(result: Result) -> str:
    out = io.StringIO()
    write_csv(result, out)
    return out.getvalue()


def write_csv(result: Result, out: TextIO) -> None:
    """One row per subject and award, written row by row; text cells never start like a
    formula.

    Numbers are written as numbers, a negative score included: the score in its canonical
    form (as in `to_json()`), and a group is one when the field it groups by is. Each row
    ends with the provenance (`PROVENANCE_FIELDS`): the year, the rules' version and
    SHA-256, the emurules release, the engine and the evaluation time.
    """
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
    for row, group in zip(result.iter_rows(), groups, strict=True):
        numbers = {"score", "group"} if isinstance(group, Decimal | int) else {"score"}
        cells = {c: _csv_cell(v, number=c in numbers) for c, v in row.items()}
        writer.writerow({**cells, **trailer})


def _csv_cell(value: Any, *, number: bool) -> Any:
    return defuse_formula(value) if isinstance(value, str) and not number else value


def _cell(text: str) -> str:
    return markdown_text(text)


def _heading(cells: Iterable[Message], lang: str) -> str:
    return "| " + " | ".join(_cell(render(c, lang)) for c in cells) + " |"


def to_markdown(result: Result, lang: str = DEFAULT) -> str:
    parts = [f"# {_cell(render(title(result), lang))}", ""]
    parts += [_cell(render(provenance(result), lang)), ""]
    parts += [_heading(SUMMARY_COLUMNS, lang), "| --- | ---: | ---: | ---: |"]
    for row in summary(result, lang):
        parts.append(
            f"| {_cell(row['label'])} ({_cell(row['award'])}) | {row['assessed']} | "
            f"{row['qualified']} | {row['received']} |"
        )
    for award in result.awards:
        parts += ["", f"## {_cell(render(award_title(award.name, award.label), lang))}", ""]
        parts += [_heading(AWARD_COLUMNS, lang), "| ---: | --- | ---: | --- | --- | --- |"]
        for line in award_lines(result, award.name, lang=lang):
            parts.append(
                f"| {line.rank} | {_cell(line.key)} | {line.score} | "
                f"{_cell(render(STATUS[line.status], lang))} | "
                f"{_cell(line.group)} | {_cell(words(line.detail, lang))} |"
            )
    return "\n".join(parts) + "\n"
