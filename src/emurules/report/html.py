"""A self-contained HTML report: a summary, a histogram of scores per group with the
cut-off marked for each award with a quota (inline SVG), and a table per award with each
subject's explanation folded in its row. No scripts, no network.

All data text is HTML-escaped (quotes too, so it is safe in attributes) after `printable`, so
hidden characters (bidi overrides, escape sequences) show as `\\x1b` rather than act."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, localcontext
from html import escape
from typing import Any

from emurules.i18n import DEFAULT, Message, message, render
from emurules.i18n.formatting import shown
from emurules.report.safe import printable
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
from emurules.result import AwardInfo, Result
from emurules.values import CONTEXT, show

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right}
tr.received td.outcome{color:#1a7f37;font-weight:600}
tr.cut td.outcome{color:#9a6700}
details summary{cursor:pointer;color:#555}
pre{margin:.25rem 0;white-space:pre-wrap}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{margin:0}
figcaption{font-size:.85rem;color:#555}
"""

WIDTH, HEIGHT, BINS = 220, 120, 10


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
        name = render(message("report.all"), lang) if group is None else shown(group, lang)
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


def _row(cells: Iterable[Message], lang: str) -> str:
    return "<tr>" + "".join(f"<th>{_h(render(c, lang))}</th>" for c in cells) + "</tr>"


def to_html(result: Result, lang: str = DEFAULT) -> str:
    heading = render(title(result), lang)
    body = [
        f"<h1>{_h(heading)}</h1>",
        f'<p class="provenance">{_h(render(provenance(result), lang))}</p>',
        '<table id="summary">' + _row(SUMMARY_COLUMNS, lang),
    ]
    for row in summary(result, lang):
        body.append(
            f"<tr><td>{_h(row['label'])} ({_h(row['award'])})</td>"
            f"<td class=num>{row['assessed']}</td><td class=num>{row['qualified']}</td>"
            f"<td class=num>{row['received']}</td></tr>"
        )
    body.append("</table>")
    for award in result.awards:
        charts = _charts(result, award, lang)
        if charts:
            scores = message("report.scores-per-group", award=award.label or award.name)
            body.append(f"<h3>{_h(render(scores, lang))}</h3>{charts}")
    why = render(AWARD_COLUMNS[-1], lang)
    for award in result.awards:
        body.append(
            f'<section class="award" id="award-{_h(award.name)}">'
            f"<h2>{_h(render(award_title(award.name, award.label), lang))}</h2>"
        )
        body.append('<table class="outcomes">' + _row(AWARD_COLUMNS, lang))
        for line in award_lines(result, award.name, everyone=True, lang=lang):
            status = line.status.replace(" ", "-")
            lines = result.explain(line.key, award.kind).lines(lang=lang)
            explanation = _h("\n".join(lines), newlines=True)
            body.append(
                f'<tr class="{status}"><td class=num>{line.rank}</td><td>{_h(line.key)}</td>'
                f"<td class=num>{line.score}</td>"
                f"<td class=outcome>{_h(render(STATUS[line.status], lang))}</td>"
                f"<td>{_h(line.group)}</td><td><details><summary>"
                f"{_h(words(line.detail, lang) or why)}</summary><pre>{explanation}</pre>"
                "</details></td></tr>"
            )
        body.append("</table></section>")
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_h(heading)}</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
