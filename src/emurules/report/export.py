"""Machine-readable and document exports: JSON, CSV, Markdown."""

from __future__ import annotations

import csv
import io
import json

from emurules.report.tables import award_lines, summary
from emurules.result import Result


def to_json(result: Result) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def to_csv(result: Result) -> str:
    rows = result.to_rows()
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


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(result: Result) -> str:
    parts = [f"# {result.ruleset or 'Results'}, {result.year}", ""]
    parts += ["| award | assessed | qualified | received |", "| --- | ---: | ---: | ---: |"]
    for row in summary(result):
        parts.append(
            f"| {_cell(row['label'])} ({row['award']}) | {row['assessed']} | "
            f"{row['qualified']} | {row['received']} |"
        )
    for award in result.awards:
        parts += ["", f"## {_cell(award.label or award.name)} ({award.name})", ""]
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
