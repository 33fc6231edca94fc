"""A diff as people read it (a terminal table, Markdown, HTML: one model of sections, three
writers) and as machines read it (JSON, `emurules.diff/1`, never localised).

The summary comes first and fits a council's minute: per title how many received it on
each side and how many gained or lost it; then who, with each side's reason; then the
scores that moved, largest first, with a histogram of the changes.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from emurules.compare.diff import AwardDiff, Change, Diff, ScoreChange
from emurules.compare.restrict import Ignored
from emurules.i18n import Message, message, render
from emurules.i18n.formatting import number, whole
from emurules.provenance import Provenance
from emurules.report.safe import markdown_text, printable
from emurules.result import Outcome, Result
from emurules.values import decimal_text

SCHEMA = "emurules.diff/1"


@attrs.frozen
class Section:
    """A heading, a table (headers and rows of text in the reader's language), notes."""

    title: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()  # after the table: "... and 12 more"
    numbers: frozenset[int] = frozenset()  # the columns of numbers, aligned right


def reason(outcome: Outcome | None, result: Result | None = None) -> Message:
    """What became of a subject for a title on one side, in a few words."""
    if outcome is None:
        return message("diff.not-assessed")
    if outcome.received:
        if outcome.rank is not None:
            return message("diff.received-ranked", rank=outcome.rank)
        return message("diff.received")
    if outcome.qualified:
        if outcome.rank is not None:
            return message("diff.cut-ranked", rank=outcome.rank)
        return message("diff.cut")
    failed = tuple(
        result.condition_name(c) if result is not None else c.label or c.id for c in outcome.failed
    )
    return message("diff.failed", failed=failed) if failed else message("diff.not-received")


def _only(award: AwardDiff, lang: str) -> str:
    if award.side == "old":
        return " — " + render(message("diff.only-old"), lang)
    if award.side == "new":
        return " — " + render(message("diff.only-new"), lang)
    return ""


def _title(award: AwardDiff) -> str:
    return award.label or award.name


def _kind(diff: Diff, kind: str) -> str:
    labels = diff.new_result.labels
    return (labels.kind(kind) if labels is not None else None) or kind


def _version(made: Provenance) -> Message:
    return message(
        "diff.version",
        ruleset=made.ruleset or "",
        version=made.version or "-",
        sha=(made.sha256 or "")[:12],
    )


def sections(diff: Diff, lang: str, top: int = 20) -> list[Section]:
    """The report's sections, every text in `lang`; `top` subjects per list (0: all)."""

    def t(text: Message) -> str:
        return render(text, lang)

    def amount(value: Decimal | None) -> str:  # money grouped in every language: 7,100,000
        if value is None:
            return ""
        return (
            whole(int(value), lang) if value == value.to_integral_value() else number(value, lang)
        )

    head = Section(
        title=t(message("diff.title")),
        notes=(
            t(message("diff.old", version=_version(diff.old))),
            t(message("diff.new", version=_version(diff.new))),
            t(message("diff.year", year=diff.new.year)),
            *_ignored(diff.ignored_old, True, lang),
            *_ignored(diff.ignored_new, False, lang),
        ),
    )
    summary = Section(
        title=t(message("diff.summary")),
        headers=(
            t(message("diff.h-title")),
            t(message("diff.h-before")),
            t(message("diff.h-after")),
            t(message("diff.h-gained")),
            t(message("diff.h-lost")),
            t(message("diff.h-fund-before")),
            t(message("diff.h-fund-after")),
        ),
        rows=tuple(
            (
                _title(a) + _only(a, lang),
                number(Decimal(a.before), lang),
                number(Decimal(a.after), lang),
                number(Decimal(len(a.gained)), lang),
                number(Decimal(len(a.lost)), lang),
                amount(a.fund_before),
                amount(a.fund_after),
            )
            for a in diff.awards
        ),
        notes=() if diff.changed else (t(message("diff.nothing-changed")),),
        numbers=frozenset(range(1, 7)),
    )
    out = [head, summary]
    for award in diff.awards:
        if award.gained or award.lost:
            out.append(_movers(diff, award, lang, top))
    if diff.scores:
        out.extend(_scores(diff, lang, top))
    return out


def _ignored(ignored: Ignored, old: bool, lang: str) -> Iterator[str]:
    if ignored.empty:
        return
    parts: list[str] = [f"{kind}: {', '.join(cols)}" for kind, cols in ignored.columns.items()]
    what = tuple(parts + list(ignored.kinds) + list(ignored.history))
    if old:
        yield render(message("diff.ignored-old", what=what), lang)
    else:
        yield render(message("diff.ignored-new", what=what), lang)


def _movers(diff: Diff, award: AwardDiff, lang: str, top: int) -> Section:
    def row(sign: str, change: Change) -> tuple[str, ...]:
        before = render(reason(change.before, diff.old_result), lang)
        after = render(reason(change.after, diff.new_result), lang)
        return (sign, change.key, change.name or "", before, after)

    rows = [row("+", c) for c in award.gained] + [row("−", c) for c in award.lost]
    shown = rows if top == 0 else rows[:top]
    tail: tuple[str, ...] = ()
    if len(shown) < len(rows):
        tail = (render(message("diff.more", count=len(rows) - len(shown)), lang),)
    headers = (
        "",
        render(message("diff.h-key"), lang),
        render(message("diff.h-name"), lang),
        render(message("diff.h-old-reason"), lang),
        render(message("diff.h-new-reason"), lang),
    )
    title = render(message("diff.movers", title=_title(award)), lang)
    return Section(title=title, headers=headers, rows=tuple(shown), tail=tail)


def _scores(diff: Diff, lang: str, top: int) -> list[Section]:
    def show(value: Decimal | None) -> str:
        return render(message("diff.missing"), lang) if value is None else number(value, lang)

    def row(change: ScoreChange) -> tuple[str, ...]:
        delta = change.delta
        signed = "" if delta is None else ("+" if delta > 0 else "") + number(delta, lang)
        return (_kind(diff, change.kind), change.key, change.name or "", show(change.before),
                show(change.after), signed)  # fmt: skip

    changes = diff.scores if top == 0 else diff.scores[:top]
    kinds = dict.fromkeys(c.kind for c in diff.scores)
    notes = [
        render(message("diff.scores-moved", count=sum(c.kind == k for c in diff.scores),
                       kind=_kind(diff, k)),
               lang)
        for k in kinds
    ]  # fmt: skip
    tail = []
    if len(changes) < len(diff.scores):
        tail.append(render(message("diff.more", count=len(diff.scores) - len(changes)), lang))
    headers = (
        render(message("diff.h-kind"), lang),
        render(message("diff.h-key"), lang),
        render(message("diff.h-name"), lang),
        render(message("diff.h-score-before"), lang),
        render(message("diff.h-score-after"), lang),
        render(message("diff.h-change"), lang),
    )
    table = Section(
        title=render(message("diff.scores"), lang),
        headers=headers,
        rows=tuple(row(c) for c in changes),
        notes=tuple(notes),
        tail=tuple(tail),
        numbers=frozenset({3, 4, 5}),
    )
    out = [table]
    for kind in kinds:
        bins = diff.histogram(kind)
        if not bins:
            continue
        most = max(n for _, _, n in bins)
        rows = tuple(
            (
                number(low, lang) if low == high else f"{number(low, lang)} … {number(high, lang)}",
                number(Decimal(n), lang),
                "█" * round(24 * n / most) if most else "",
            )
            for low, high, n in bins
        )
        bar_headers = (
            render(message("diff.h-change"), lang),
            render(message("diff.h-count"), lang),
            "",
        )
        title = render(message("diff.histogram", kind=_kind(diff, kind)), lang)
        out.append(Section(title=title, headers=bar_headers, rows=rows, numbers=frozenset({1})))
    return out


def to_markdown(diff: Diff, lang: str, top: int = 20) -> str:
    lines: list[str] = []
    for index, section in enumerate(sections(diff, lang, top)):
        lines += [("# " if index == 0 else "## ") + markdown_text(section.title), ""]
        lines += [markdown_text(note) + "  " for note in section.notes]
        if section.notes:
            lines.append("")
        if section.headers:
            lines.append("| " + " | ".join(markdown_text(h) for h in section.headers) + " |")
            lines.append(
                "|" + "".join(" ---: |" if i in section.numbers else " --- |"
                              for i in range(len(section.headers)))
            )  # fmt: skip
            for row in section.rows:
                lines.append("| " + " | ".join(markdown_text(c) for c in row) + " |")
            lines.append("")
        lines += [markdown_text(note) + "  " for note in section.tail]
        if section.tail:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_html(diff: Diff, lang: str, top: int = 20) -> str:
    parts = []
    for index, section in enumerate(sections(diff, lang, top)):
        tag = "h1" if index == 0 else "h2"
        parts.append(f"<{tag}>{_h(section.title)}</{tag}>")
        parts += [f"<p>{_h(note)}</p>" for note in section.notes]
        if section.headers:
            head = "".join(f"<th>{_h(h)}</th>" for h in section.headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in section.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        parts += [f"<p>{_h(note)}</p>" for note in section.tail]
    title = _h(render(message("diff.title"), lang))
    style = ("body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}"
             "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
             "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
             "th{background:#f3f3f3}")  # fmt: skip
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{style}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _h(text: str) -> str:
    return html.escape(printable(text))


def to_table(diff: Diff, lang: str, top: int = 20, width: int = 120, color: bool = False) -> str:
    """The terminal report: rich tables, every cell made printable first."""
    import io

    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, highlight=False, emoji=False)  # fmt: skip
    for section in sections(diff, lang, top):
        console.print(printable(section.title), style="bold", markup=False)
        for note in section.notes:
            console.print(printable(note), markup=False)
        if section.headers:
            table = Table()
            for index, header in enumerate(section.headers):
                right = index in section.numbers
                table.add_column(printable(header), justify="right" if right else "left")
            for row in section.rows:
                table.add_row(*(printable(c) for c in row))
            console.print(table)
        for note in section.tail:
            console.print(printable(note), markup=False)
    return buffer.getvalue()


def to_json(diff: Diff) -> dict[str, Any]:
    """`emurules.diff/1`: ids, keys and decimal strings; what each side decided."""

    def side(outcome: Outcome | None) -> dict[str, Any] | None:
        if outcome is None:
            return None
        return {
            "qualified": outcome.qualified,
            "received": outcome.received,
            "rank": outcome.rank,
            "failed": [c.id for c in outcome.failed],
        }

    def change(c: Change) -> dict[str, Any]:
        return {"key": c.key, "name": c.name, "before": side(c.before), "after": side(c.after)}

    def money(value: Decimal | None) -> str | None:
        return None if value is None else decimal_text(value)

    def version(made: Provenance) -> dict[str, Any]:
        return {"ruleset": made.ruleset, "version": made.version, "sha256": made.sha256}

    def ignored(left: Ignored) -> dict[str, Any]:
        return {"columns": {k: list(v) for k, v in left.columns.items()},
                "kinds": list(left.kinds), "history": list(left.history)}  # fmt: skip

    return {
        "schema": SCHEMA,
        "year": diff.new.year,
        "old": {**version(diff.old), "ignored": ignored(diff.ignored_old)},
        "new": {**version(diff.new), "ignored": ignored(diff.ignored_new)},
        "changed": diff.changed,
        "awards": [
            {
                "award": a.name,
                "kind": a.kind,
                "label": a.label,
                "in": a.side,
                "before": a.before,
                "after": a.after,
                "fund_before": money(a.fund_before),
                "fund_after": money(a.fund_after),
                "gained": [change(c) for c in a.gained],
                "lost": [change(c) for c in a.lost],
            }
            for a in diff.awards
        ],
        "scores": [
            {
                "kind": s.kind,
                "key": s.key,
                "name": s.name,
                "before": money(s.before),
                "after": money(s.after),
                "change": money(s.delta),
            }
            for s in diff.scores
        ],
    }
