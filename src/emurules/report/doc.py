"""`emurules doc`: a criteria file as a document a ministry could publish.

Each award's conditions in plain words, each criterion's points (a table when it is a
`case`), the score, quotas, rankings and the fairness checks; Markdown or HTML.

Labels and text in formulas are the ministry's words and are kept as written, except what
would break the document: `|` in a table cell is escaped, and line breaks and other hidden
characters (a label may hold a carriage return or U+2028) are written as escapes (`\\r`).
"""

from __future__ import annotations

import re
from html import escape

from emurules.check.model import Model
from emurules.report.safe import printable, table_cell
from emurules.report.words import words
from emurules.syntax import ast
from emurules.syntax.printer import expr as formula


def _name(label: str | None, name: str) -> str:
    return f"{label} (`{name}`)" if label else f"`{name}`"


def _cell(text: str) -> str:
    """A formula in a table cell: on one line (the printer breaks long ones), `|` escaped."""
    return table_cell(re.sub(r"\n\s*", " ", text))


def _points(decl: ast.CriterionDecl) -> list[str]:
    lines: list[str] = []
    if decl.where is not None:
        lines.append(f"Applies only where {words(decl.where)}; elsewhere it is not applicable.")
    if decl.max is not None:
        lines.append(f"At most {formula(decl.max)} points.")
    body = decl.expr
    if isinstance(body, ast.Case):
        head = formula(body.subject) if body.subject is not None else "condition"
        lines += ["", f"| {_cell(head)} | points |", "| --- | ---: |"]
        for arm in body.arms:
            pattern = formula(arm.pattern) if body.subject is not None else words(arm.pattern)
            lines.append(f"| {_cell(pattern)} | {_cell(formula(arm.value))} |")
        if body.default is not None:
            lines.append(f"| any other | {_cell(formula(body.default))} |")
    else:
        lines.append(f"Points: {words(body)}.")
    return lines


def _award(decl: ast.AwardDecl) -> list[str]:
    lines = [f"### {_name(decl.label, decl.name.text)}", "", f"Awarded to: {decl.subject.text}."]
    if decl.given:
        return [*lines, "", "Conferred elsewhere; this file reads its history only."]
    conditions = [f"holds the title {r.text} this year" for r in decl.requires]
    for condition in decl.conditions:
        if isinstance(condition.body, ast.AnyOf):
            parts = "; or ".join(p.label or words(p.expr) for p in condition.body.parts)
            conditions.append(f"{condition.label + ': ' if condition.label else ''}{parts}")
        else:
            text = words(condition.body)
            conditions.append(f"{condition.label} ({text})" if condition.label else text)
    lines += ["", "Conditions, all of which must hold:", ""]
    lines += [f"{i}. {c}" for i, c in enumerate(conditions, start=1)]
    if decl.rank_by:
        keys = ", then ".join(
            f"{formula(k.expr)} ({'highest' if k.descending else 'lowest'} first)"
            for k in decl.rank_by
        )
        where = f" within each {formula(decl.within)}" if decl.within is not None else ""
        lines += ["", f"Those who qualify are ranked by {keys}{where}; the key breaks ties."]
    if decl.quota is not None:
        per = f" per {formula(decl.within)}" if decl.within is not None else ""
        lines.append(f"Quota: at most {words(decl.quota)}{per}.")
        if decl.tie_include:
            lines.append("Everyone tied with the last recipient also receives it.")
    return lines


def to_markdown(model: Model) -> str:
    module = model.module
    ruleset = model.tables.ruleset
    title = ruleset.title if ruleset is not None else "Criteria"
    lines = [f"# {title}", ""]
    if ruleset is not None:
        for setting in ruleset.settings:
            lines.append(f"- {setting.key}: {setting.value}")
        lines.append("")
    for kind in model.tables.subjects:
        lines += [f"## {kind}", ""]
        criteria = [
            d for d in module.decls if isinstance(d, ast.CriterionDecl) and d.subject.text == kind
        ]
        for criterion in criteria:
            sign = (
                {"bonus": " (bonus)", "penalty": " (penalty, subtracted)"}[criterion.kind]
                if criterion.kind != "criterion"
                else ""
            )
            name = _name(criterion.label, criterion.name.text)
            lines += [f"### {name}{sign}", "", *_points(criterion), ""]
        for decl in module.decls:
            if isinstance(decl, ast.ScoreDecl) and decl.subject.text == kind:
                lines += ["### Score", "", f"Score = {words(decl.expr)}.", ""]
        for decl in module.decls:
            if isinstance(decl, ast.AwardDecl) and decl.subject.text == kind:
                lines += [*_award(decl), ""]
            if isinstance(decl, ast.RankingDecl) and decl.subject.text == kind:
                keys = ", then ".join(
                    formula(k.expr) + (" (highest first)" if k.descending else " (lowest first)")
                    for k in decl.keys
                )
                where = f", within each {formula(decl.within)}" if decl.within else ""
                lines += [
                    f"### {_name(decl.label, decl.name.text)} (league table)",
                    "",
                    f"Every {kind} ranked by {keys}{where}.",
                    "",
                ]
    checks = []
    for decl in module.decls:
        match decl:
            case ast.CheckDecl(label=label, subject=subject, expr=expr):
                checks.append(f"{label}: for every {subject.text}, {words(expr)}.")
            case ast.MonotoneCheck(target=target, subject=subject, fields=fields):
                moves = ", ".join(
                    ("lowering " if f.decreasing else "raising ") + f.name.text for f in fields
                )
                checks.append(f"For each {subject.text}, {moves} never lowers {target.text}.")
            case ast.OrderCheck():
                checks.append("Outcomes do not depend on the order of the records.")
            case ast.RuleDecl(label=label, subject=subject, expr=expr):
                checks.append(
                    f'Data rule "{label}": every {subject.text} record has {words(expr)}.'
                )
            case _:
                pass
    if checks:
        lines += ["## Fairness checks and data rules", "", *[f"- {c}" for c in checks], ""]
    return "\n".join(printable(line, newlines=True) for line in lines).rstrip() + "\n"


_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; `\\|` inside a cell is a `|` of its text."""
    inner = line.strip()[1:-1]
    return [c.strip().replace("\\|", "|") for c in _CELL_BORDER.split(inner)]


def to_html(model: Model) -> str:
    """The Markdown document as simple HTML (headings, paragraphs, lists, tables)."""
    out: list[str] = []
    table: list[list[str]] = []
    listing: str | None = None

    def inline(text: str) -> str:
        parts = escape(text).split("`")
        return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))

    def flush() -> None:
        nonlocal listing
        if table:
            head, *rows = [r for r in table if not set("".join(r)) <= set("-: ")]
            out.append("<table><tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>")
            out.extend("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in rows)
            out.append("</table>")
            table.clear()
        if listing:
            out.append(f"</{listing}>")
            listing = None

    for line in to_markdown(model).split("\n"):
        if line.startswith("|"):
            table.append(_cells(line))
            continue
        kind = (
            "ul" if line.startswith("- ") else "ol" if line[:1].isdigit() and ". " in line else None
        )
        if listing and kind != listing:
            flush()
        if table:
            flush()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{inline(line[level:].strip())}</h{level}>")
        elif kind is not None:
            if listing != kind:
                out.append(f"<{kind}>")
                listing = kind
            out.append(f"<li>{inline(line.split(' ', 1)[1])}</li>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    flush()
    title = model.tables.ruleset.title if model.tables.ruleset else "Criteria"
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(printable(title))}</title></head><body>\n"
        + "\n".join(out)
        + "\n</body></html>\n"
    )
