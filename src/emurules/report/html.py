"""A self-contained HTML report: a summary, a histogram of scores per group with the
cut-off marked for each award with a quota (inline SVG), and a table per award with each
subject's explanation folded in its row. No network, no external script.

Explanations are embedded once per subject as compact data (`explanations.py`) and drawn
by a small inline script when a row is opened, so the report for 2,000 people stays under
2 MB. A Content-Security-Policy allows only that script and the style sheet, by hash.

All data text is HTML-escaped (quotes too, so it is safe in attributes) after `printable`, so
hidden characters (bidi overrides, escape sequences) show as `\\x1b` rather than act; the
script writes explanation text with `textContent`, never as markup."""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal, localcontext
from html import escape
from typing import Any

from emurules.i18n import DEFAULT, message, render
from emurules.i18n.formatting import shown
from emurules.report.explanations import SCRIPT, Explanations
from emurules.report.safe import printable
from emurules.report.tables import (
    Column,
    Line,
    award_columns,
    award_lines,
    award_title,
    group_text,
    league_columns,
    league_lines,
    provenance,
    summary,
    summary_columns,
    summary_text,
    title,
)
from emurules.result import AwardInfo, Result
from emurules.values import CONTEXT, show

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right}
table.outcomes td{white-space:nowrap}
table.outcomes td:last-child{white-space:normal;min-width:16rem}
details summary{cursor:pointer;color:#555}
pre{margin:.25rem 0;white-space:pre-wrap;font-family:inherit;font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0}
figcaption{font-size:.85rem;color:#555}
"""

WIDTH, HEIGHT, BINS = 220, 120, 10


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy(style: str) -> str:
    """Nothing but the report's own style sheet and script may run: no image, no frame,
    no connection, whatever a cell might hold."""
    return (
        f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(SCRIPT)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _css_text(text: str) -> str:
    """Text as a CSS string: every character but letters, digits and spaces escaped."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _h(text: str, *, newlines: bool = False) -> str:
    """Text as HTML that reads exactly as written, in an element or an attribute."""
    return escape(printable(text, newlines=newlines), quote=True)


def _score(result: Result, award: AwardInfo, key: str) -> Decimal | None:
    score = result.subjects[(award.kind, key)].score
    return score if isinstance(score, Decimal) else None


def histogram(
    scores: list[Decimal],
    cutoff: Decimal | None,
    low: Decimal,
    high: Decimal,
    title: str,
    lang: str = DEFAULT,
) -> str:
    """An SVG histogram of scores, with a red line at the cut-off."""
    with localcontext(CONTEXT):  # the bars do not depend on the caller's decimal context
        span = (high - low) or Decimal(1)
        counts = [0] * BINS
        for score in scores:
            index = min(BINS - 1, int((score - low) / span * BINS))
            counts[index] += 1
        x = None if cutoff is None else float((cutoff - low) / span) * WIDTH
    tallest = max(counts) or 1
    bar = WIDTH / BINS
    parts = [
        f'<svg class="histogram" role="img" width="{WIDTH}" height="{HEIGHT + 16}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 16}"><title>{_h(title)}</title>'
    ]
    for index, count in enumerate(counts):
        height = HEIGHT * count / tallest
        parts.append(
            f'<rect x="{index * bar + 1:.1f}" y="{HEIGHT - height:.1f}" '
            f'width="{bar - 2:.1f}" height="{height:.1f}" fill="#6e9fd6">'
            f"<title>{count}</title></rect>"
        )
    if x is not None:
        parts.append(
            f'<line class="cutoff" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{HEIGHT}" '
            'stroke="#d1242f" stroke-width="2"><title>cut-off</title></line>'
        )
    parts.append(f'<text x="0" y="{HEIGHT + 13}" font-size="10">{shown(low, lang)}</text>')
    parts.append(
        f'<text x="{WIDTH}" y="{HEIGHT + 13}" font-size="10" text-anchor="end">'
        f"{shown(high, lang)}</text></svg>"
    )
    return "".join(parts)


def _charts(result: Result, award: AwardInfo, lang: str) -> str:
    outcomes = result.outcomes[award.name]
    if not any(o.quota is not None for o in outcomes.values()):
        return ""
    every = [s for k in outcomes if (s := _score(result, award, k)) is not None]
    if not every:
        return ""
    low, high = min(every), max(every)
    groups: dict[Any, list[str]] = {}
    for outcome in outcomes.values():
        groups.setdefault(outcome.group, []).append(outcome.key)
    figures = []
    for group in sorted(groups, key=lambda g: show(g) if g is not None else ""):
        keys = groups[group]
        scores = [s for k in keys if (s := _score(result, award, k)) is not None]
        received = [
            s for k in keys if outcomes[k].received and (s := _score(result, award, k)) is not None
        ]
        cutoff = min(received) if received else None
        name = (
            render(message("report.all"), lang)
            if group is None
            else group_text(result, award.name, group, lang)
        )
        label = render(message("report.scores-in", group=name), lang)
        caption = (
            message("report.histogram-caption", group=name, received=len(received), total=len(keys))
            if cutoff is None
            else message(
                "report.histogram-caption-cutoff",
                group=name,
                received=len(received),
                total=len(keys),
                cutoff=shown(cutoff, lang),
            )
        )
        figures.append(
            f"<figure>{histogram(scores, cutoff, low, high, label, lang)}"
            f"<figcaption>{_h(render(caption, lang))}</figcaption></figure>"
        )
    return f'<div class="charts">{"".join(figures)}</div>'


def _heading(columns: list[Column]) -> str:
    return "<tr>" + "".join(f"<th>{_h(c.heading)}</th>" for c in columns) + "</tr>"


def _cell(column: Column, text: str) -> str:
    return f"<td class=num>{text}</td>" if column.numeric else f"<td>{text}</td>"


# A row's class by its outcome, short: a report for thousands has thousands of rows.
ROW_CLASS = {"received": "r", "cut": "c", "not qualified": "n"}


def _line(line: Line, columns: list[Column], subject: int, lang: str) -> str:
    """A row, as small as HTML allows (a report for thousands has thousands of rows): its
    cells left open, their alignment and colour set by its table's style (`_table_style`);
    its explanation (subject number `subject` of the data) opens in its last cell, whose
    summary is the reason (else empty: the style sheet writes "show explanation")."""
    cells = "".join(f"<td>{_h(line.text(c.id, lang))}" for c in columns)
    why = _h(line.text("why", lang))
    return (
        f"<tr class={ROW_CLASS[line.status]}>{cells}"
        f"<td><details data-s={subject}><summary>{why}</summary></details>"
    )


def _table_style(number: int, columns: list[Column]) -> str:
    """The style of award table `t{number}`: numbers right-aligned, outcomes coloured."""
    rules = []
    for index, column in enumerate(columns, start=1):
        cell = f".t{number} td:nth-child({index})"
        if column.numeric:
            rules.append(f"{cell}{{text-align:right}}")
        if column.id == "status":
            rules.append(f".t{number} tr.r td:nth-child({index}){{color:#1a7f37;font-weight:600}}")
            rules.append(f".t{number} tr.c td:nth-child({index}){{color:#9a6700}}")
    return "\n".join(rules)


def to_html(result: Result, lang: str = DEFAULT, *, top: int = 0) -> str:
    """The report in `lang`: every subject assessed for each award (only its `top` best
    when top > 0). `#award/key` at the end of its address opens that row."""
    heading = render(title(result), lang)
    rows = summary(result, lang)
    columns = summary_columns(rows, lang)
    body = [
        f"<h1>{_h(heading)}</h1>",
        f'<p class="provenance">{_h(render(provenance(result), lang))}</p>',
    ]
    if rows:  # a score sheet with league tables only has no titles to sum up
        body.append('<table id="summary">' + _heading(columns))
        for row in rows:
            cells = "".join(_cell(c, _h(summary_text(row, c.id, lang))) for c in columns)
            body.append(f"<tr>{cells}</tr>")
        body.append("</table>")
    for award in result.awards:
        charts = _charts(result, award, lang)
        if charts:
            scores = message("report.scores-per-group", award=award.label or award.name)
            body.append(f"<h3>{_h(render(scores, lang))}</h3>{charts}")
    explanations = Explanations(result, lang)
    opener = render(message("report.show-explanation"), lang)
    styles = [STYLE, f"summary:empty::after{{content:{_css_text(opener)}}}"]
    why = Column("why", render(message("report.column-why"), lang), False)
    for number, award in enumerate(result.awards):
        body.append(
            f'<section class="award" id="award-{_h(award.name)}">'
            f"<h2>{_h(render(award_title(award.name, award.label), lang))}</h2>"
        )
        lines = award_lines(result, award.name, everyone=True, lang=lang, top=top)
        columns = [c for c in award_columns(result, award, lines, lang) if c.id != "why"]
        styles.append(_table_style(number, columns))
        key = next(i for i, c in enumerate(columns) if c.id == "key")
        body.append(f'<table class="outcomes t{number}" data-k={key}>' + _heading([*columns, why]))
        for line in lines:
            subject = explanations.add(award.kind, line.key)
            body.append(_line(line, columns, subject, lang))
        body.append("</table></section>")
    for ranking in result.rankings:
        lines = league_lines(result, ranking, lang, top)
        columns = league_columns(result, ranking, lines, lang)
        body.append(
            f'<section class="ranking" id="ranking-{_h(ranking.name)}">'
            f"<h2>{_h(render(award_title(ranking.name, ranking.label), lang))}</h2>"
            '<table class="league">' + _heading(columns)
        )
        for line in lines:
            cells = "".join(_cell(c, _h(line.text(c.id, lang))) for c in columns)
            body.append(f"<tr>{cells}</tr>")
        body.append("</table></section>")
    style = "\n".join(styles)
    return (
        f'<!doctype html>\n<html lang="{_h(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy(style)}">'
        f"<title>{_h(heading)}</title><style>{style}</style></head><body>"
        + "\n".join(body)
        + f'\n<script type="application/json" id="explanations">{explanations.json()}</script>'
        + f"<script>{SCRIPT}</script></body></html>\n"
    )
