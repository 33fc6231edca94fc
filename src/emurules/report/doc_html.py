"""The published criteria (`doc_model.Document`) as one simple HTML page: headings,
paragraphs, lists (letters as "a)"), tables; every text escaped, `code` in backticks
shown as code."""

from __future__ import annotations

from html import escape

from emurules.report.doc_markdown import one_line
from emurules.report.doc_model import Block, Document, Heading, Items, Paragraph, Table, marker
from emurules.report.safe import printable

_STYLE = (
    "body{font-family:'Times New Roman',serif;max-width:50em;margin:2em auto;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #999;padding:.2em .5em;vertical-align:top}"
    "td.n{text-align:right}ol.letter{list-style:none;padding-left:1.5em}"
)


def html(document: Document) -> str:
    body = [f"<h1>{_inline(document.title)}</h1>"]
    for block in (*document.head, *document.blocks):
        body.append(_block(block, document.lang))
    return (
        '<!doctype html>\n<html lang="' + escape(document.lang) + '"><head><meta charset="utf-8">'
        f"<title>{escape(printable(one_line(document.title)))}</title>"
        f"<style>{_STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _inline(text: str) -> str:
    parts = escape(printable(one_line(text))).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _block(block: Block, lang: str) -> str:
    match block:
        case Heading(level=level, text=text):
            return f"<h{level}>{_inline(text)}</h{level}>"
        case Paragraph(text=text):
            return f"<p>{_inline(text)}</p>"
        case Items(items=items, marker="letter"):
            lines = [
                f"<li>{escape(marker('letter', i, lang))} {_inline(item)}</li>"
                for i, item in enumerate(items)
            ]
            return '<ol class="letter">\n' + "\n".join(lines) + "\n</ol>"
        case Items(items=items, marker=kind):
            tag = "ol" if kind == "number" else "ul"
            lines = [f"<li>{_inline(item)}</li>" for item in items]
            return f"<{tag}>\n" + "\n".join(lines) + f"\n</{tag}>"
        case Table(head=head, rows=rows, numeric=numeric):
            out = ["<table>", "<tr>" + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr>"]
            for row in rows:
                cells = (
                    f'<td class="n">{_inline(c)}</td>'
                    if i < len(numeric) and numeric[i]
                    else f"<td>{_inline(c)}</td>"
                    for i, c in enumerate(row)
                )
                out.append("<tr>" + "".join(cells) + "</tr>")
            return "\n".join([*out, "</table>"])
    raise AssertionError(block)
