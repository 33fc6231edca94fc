"""Machine-readable and document exports: JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from emurules.report.safe import defuse_formula, markdown_text
from emurules.report.tables import award_lines, summary
from emurules.result import Result


def to_json(result: Result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def to_csv(result: Result) -> str:
    """One row per subject and award; text cells never start like a formula.

    Numbers are written as numbers, a negative score included: the score is always a number
    (as text only when a double cannot hold it exactly), and a group is one when the field
    it groups by is.
    """
    groups = [o.group for a in result.awards for o in result.outcomes[a.name].values()]
    rows = []
    for row, group in zip(result.to_rows(), groups, strict=True):
        numbers = {"score", "group"} if isinstance(group, Decimal | int) else {"score"}
        rows.append({c: _csv_cell(v, number=c in numbers) for c, v in row.items()})
    out = io.StringIO()
    fields = [
        "award",
        "kind",
        "key",
        "score",
        "qualified",
        "received",
        "rank",
        "group",
        "reason",
        "failed",
    ]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _csv_cell(value: Any, *, number: bool) -> Any:
    return defuse_formula(value) if isinstance(value, str) and not number else value


def _cell(text: str) -> str:
    return markdown_text(text)


def to_markdown(result: Result) -> str:
    parts = [f"# {_cell(result.ruleset or 'Results')}, {result.year}", ""]
    parts += ["| award | assessed | qualified | received |", "| --- | ---: | ---: | ---: |"]
    for row in summary(result):
        parts.append(
            f"| {_cell(row['label'])} ({_cell(row['award'])}) | {row['assessed']} | "
            f"{row['qualified']} | {row['received']} |"
        )
    for award in result.awards:
        parts += ["", f"## {_cell(award.label or award.name)} ({_cell(award.name)})", ""]
        parts += [
            "| rank | key | score | status | group | why |",
            "| ---: | --- | ---: | --- | --- | --- |",
        ]
        for line in award_lines(result, award.name):
            parts.append(
                f"| {line.rank} | {_cell(line.key)} | {line.score} | {line.status} | "
                f"{_cell(line.group)} | {_cell(line.detail)} |"
            )
    return "\n".join(parts) + "\n"
