"""`emurules doc`: a criteria file as a document a ministry could publish.

Each award's conditions in plain words, each criterion's points (a table when it is a
`case`), the score, quotas, rankings and the fairness checks; Markdown or HTML.

Labels and text in formulas are the ministry's words and are kept as written, except what
would break the document: `|` in a table cell is escaped, and line breaks and other hidden
characters (a label may hold a carriage return or U+2028) are written as escapes (`\\r`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import attrs

from emurules.i18n import DEFAULT, message, render
from emurules.plan.metadata import Metadata
from emurules.plan.steps import (
    Award,
    Criterion,
    DataRule,
    EqualTreatmentCheck,
    FairnessCheck,
    IgnoresCheck,
    LocalCheck,
    MonotoneCheck,
    MonotoneField,
    OrderCheck,
    Plan,
    Ranking,
    RankKey,
    Score,
)
from emurules.report.safe import printable, table_cell
from emurules.report.words import Text, words
from emurules.stack import call_deep


def _name(label: str | None, name: str) -> Text:
    return message("doc.labelled-name", label=label, name=name) if label else f"`{name}`"


def _cell(text: Text, lang: str) -> str:
    """A formula in a table cell: on one line (the printer breaks long ones), `|` escaped."""
    return table_cell(re.sub(r"\n\s*", " ", render(text, lang)))


def _points(criterion: Criterion, lang: str) -> list[Text]:
    lines: list[Text] = []
    if criterion.where is not None:
        lines.append(message("doc.applies-where", condition=words(criterion.where)))
    if criterion.maximum_text is not None:
        lines.append(message("doc.at-most-points", maximum=criterion.maximum_text))
    table = criterion.table
    if table is not None:
        head = table.subject if table.subject is not None else message("doc.column-condition")
        points = _cell(message("doc.column-points"), lang)
        lines += ["", f"| {_cell(head, lang)} | {points} |", "| --- | ---: |"]
        for row in table.rows:
            pattern = row.pattern if row.condition is None else words(row.condition)
            lines.append(f"| {_cell(pattern, lang)} | {_cell(row.value, lang)} |")
        if table.other is not None:
            other = _cell(message("doc.any-other"), lang)
            lines.append(f"| {other} | {_cell(table.other, lang)} |")
    else:
        lines.append(message("doc.points", points=words(criterion.expr)))
    return lines


def _keys(keys: tuple[RankKey, ...]) -> Text:
    """`score (highest first), then initiatives (lowest first)`."""
    found: Text | None = None
    for key in keys:
        if key.descending:
            phrase = message("doc.highest-first", key=key.text)
        else:
            phrase = message("doc.lowest-first", key=key.text)
        found = phrase if found is None else message("doc.then", first=found, then=phrase)
    assert found is not None
    return found


def _award(award: Award, lang: str) -> list[Text]:
    lines: list[Text] = [f"### {render(_name(award.label, award.name), lang)}"]
    lines += ["", message("doc.awarded-to", kind=award.kind)]
    if award.given:
        return [*lines, "", message("doc.given")]
    conditions: list[Text] = []
    for condition in award.conditions:
        if condition.requires is not None:
            conditions.append(message("doc.requires", award=condition.requires))
        elif condition.parts:
            parts: Text | None = None
            for part in condition.parts:
                assert part.expr is not None
                phrase = part.label or words(part.expr)
                parts = (
                    phrase if parts is None else message("doc.or-part", left=parts, right=phrase)
                )
            assert parts is not None
            if condition.label:
                parts = message("doc.labelled-parts", label=condition.label, parts=parts)
            conditions.append(parts)
        else:
            assert condition.expr is not None
            text = words(condition.expr)
            if condition.label:
                text = message("doc.labelled-condition", label=condition.label, condition=text)
            conditions.append(text)
    lines += ["", message("doc.conditions"), ""]
    lines += [f"{i}. {render(c, lang)}" for i, c in enumerate(conditions, start=1)]
    if award.rank_by:
        keys = _keys(award.rank_by)
        if award.within_text is not None:
            ranked = message("doc.ranked-within", keys=keys, within=award.within_text)
        else:
            ranked = message("doc.ranked", keys=keys)
        lines += ["", ranked]
    if award.quota is not None:
        if award.within_text is not None:
            lines.append(
                message("doc.quota-per", quota=words(award.quota), within=award.within_text)
            )
        else:
            lines.append(message("doc.quota", quota=words(award.quota)))
        if award.tie_include:
            lines.append(message("doc.tie-include"))
    return lines


def _ranking(ranking: Ranking, lang: str) -> list[Text]:
    name = message("doc.league-table", name=_name(ranking.label, ranking.name))
    keys = _keys(ranking.keys)
    if ranking.within_text is not None:
        ranked = message(
            "doc.league-ranked-within", kind=ranking.kind, keys=keys, within=ranking.within_text
        )
    else:
        ranked = message("doc.league-ranked", kind=ranking.kind, keys=keys)
    return [f"### {render(name, lang)}", "", ranked, ""]


def _move(move: MonotoneField) -> Text:
    """One move of `check monotone` in words: `raising task of one of its members`."""
    if move.history or move.name is None:
        return message("doc.holding-earlier")
    if move.relation is not None:
        if move.decreasing:
            return message("doc.lowering-member", field=move.name, relation=move.relation)
        return message("doc.raising-member", field=move.name, relation=move.relation)
    if move.decreasing:
        return message("doc.lowering", field=move.name)
    return message("doc.raising", field=move.name)


def _check(step: object, plan: Plan) -> Text | None:
    match step:
        case FairnessCheck(label=label, kind=kind, expr=expr):
            return message("doc.check", label=label, kind=kind, condition=words(expr))
        case MonotoneCheck(target=target, kind=kind, fields=fields, moves=written):
            moves = tuple(
                map(_move, written or (MonotoneField(name=f, decreasing=d) for f, d in fields))
            )
            if any(isinstance(s, Award) and (s.kind, s.name) == (kind, target)
                   for s in plan.declared):  # fmt: skip
                return message("doc.monotone-award", kind=kind, moves=moves, award=target)
            return message("doc.monotone", kind=kind, moves=moves, target=target)
        case OrderCheck():
            return message("doc.order-check")
        case IgnoresCheck(kind=kind, fields=fields):
            return message("doc.ignores", kind=kind, fields=fields)
        case EqualTreatmentCheck(kind=kind):
            return message("doc.equal-treatment", kind=kind)
        case LocalCheck(kind=kind, within_text=within):
            return message("doc.local", kind=kind, within=within)
        case DataRule(label=label, kind=kind, expr=expr):
            return message("doc.data-rule", label=label, kind=kind, condition=words(expr))
        case _:
            return None


@attrs.frozen
class Verdict:
    """What a test report (`emurules test --format json`) says of one check."""

    passed: bool
    populations: int
    seed: int


Verdicts = Mapping[tuple[int, int], Verdict]
"""Verdicts by where their check is written (line, column)."""


def _verdict(step: object, verdicts: Verdicts | None) -> Text | None:
    """A check's verdict; None for a data rule (it is not tested, it is enforced)."""
    span = getattr(step, "span", None)
    if isinstance(step, DataRule):
        return None
    found = None if verdicts is None or span is None else verdicts.get((span.line, span.column))
    if found is None:
        return message("doc.not-verified")
    if found.passed:
        return message("doc.verified", count=found.populations, seed=str(found.seed))
    return message("doc.falsified", seed=str(found.seed))


def _metadata(meta: Metadata, lang: str) -> list[Text]:
    """Who issues the criteria, as what, and on which legal bases: the document's head."""
    head: list[Text] = []
    if meta.authority is not None:
        head.append(message("doc.metadata-authority", value=meta.authority))
    if meta.document is not None:
        head.append(message("doc.metadata-document", value=meta.document))
    if meta.number is not None:
        head.append(message("doc.metadata-number", value=meta.number))
    if meta.place is not None:
        head.append(message("doc.metadata-place", value=meta.place))
    if meta.date is not None:
        head.append(message("doc.metadata-date", value=meta.date.isoformat()))
    if meta.signer is not None:
        signer = meta.signer
        head.append(message("doc.metadata-signer", title=signer.title, name=signer.name))
    lines: list[Text] = [f"- {printable(render(text, lang))}" for text in head]
    if meta.bases:
        lines += ["", render(message("doc.metadata-bases"), lang), ""]
        lines += [f"- {printable(basis)}" for basis in meta.bases]
    return [*lines, ""] if lines else []


def to_markdown(plan: Plan, lang: str = DEFAULT, verdicts: Verdicts | None = None) -> str:
    """The document in Markdown; phrased on a thread with room when the criteria nest
    deeply (`Plan.depth`). Each check says whether a test report verified it."""
    return call_deep(plan.depth, lambda: _markdown(plan, lang, verdicts))


def _markdown(plan: Plan, lang: str, verdicts: Verdicts | None) -> str:
    title = plan.title if plan.title is not None else message("doc.default-title")
    lines: list[Text] = [f"# {render(title, lang)}", ""]
    lines += _metadata(plan.metadata, lang)
    if plan.title is not None:
        for key, value in plan.settings:
            lines.append(f"- {render(message('doc.setting', key=key, value=value), lang)}")
        lines.append("")
    for kind in plan.kinds:
        lines += [f"## {kind}", ""]
        for step in plan.written:
            if isinstance(step, Criterion) and step.kind == kind:
                name: Text = _name(step.label, step.name)
                if step.sort == "bonus":
                    name = message("doc.bonus", name=name)
                elif step.sort == "penalty":
                    name = message("doc.penalty", name=name)
                lines += [f"### {render(name, lang)}", "", *_points(step, lang), ""]
        for step in plan.written:
            if isinstance(step, Score) and step.kind == kind:
                heading = render(message("doc.score-heading"), lang)
                lines += [f"### {heading}", "", message("doc.score", score=words(step.expr)), ""]
        for step in plan.written:
            if isinstance(step, Award) and step.kind == kind:
                lines += [*_award(step, lang), ""]
            if isinstance(step, Ranking) and step.kind == kind:
                lines += _ranking(step, lang)
    checks: list[Text] = []
    for step in plan.written:
        said = _check(step, plan)
        if said is None:
            continue
        verdict = _verdict(step, verdicts)
        checks.append(
            said if verdict is None else message("doc.with-verdict", check=said, verdict=verdict)
        )
    if checks:
        heading = render(message("doc.checks-heading"), lang)
        lines += [f"## {heading}", "", *[f"- {render(c, lang)}" for c in checks], ""]
    text = "\n".join(printable(render(line, lang), newlines=True) for line in lines)
    return text.rstrip() + "\n"


_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row; `\\|` inside a cell is a `|` of its text."""
    inner = line.strip()[1:-1]
    return [c.strip().replace("\\|", "|") for c in _CELL_BORDER.split(inner)]


def to_html(plan: Plan, lang: str = DEFAULT, verdicts: Verdicts | None = None) -> str:
    """The Markdown document as simple HTML (headings, paragraphs, lists, tables)."""
    title = plan.title if plan.title is not None else render(message("doc.default-title"), lang)
    return html_page(to_markdown(plan, lang, verdicts), title)


def html_page(markdown: str, title: str) -> str:
    """A document written in the Markdown this module writes, as simple HTML."""
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

    for line in markdown.split("\n"):
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
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(printable(title))}</title></head><body>\n"
        + "\n".join(out)
        + "\n</body></html>\n"
    )
