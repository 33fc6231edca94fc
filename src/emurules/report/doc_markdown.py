"""The published criteria (`doc_model.Document`) as Markdown.

Text is written as it reads, on one line per block: a line break inside a formula becomes a
space, other hidden characters are written as escapes and `|` in a table cell is escaped,
so that no label can break the document's shape (report/safe.py)."""

from __future__ import annotations

from emurules.report.doc_model import Block, Document, Heading, Items, Paragraph, Table, marker
from emurules.report.safe import printable, table_cell


def one_line(text: str) -> str:
    """A block's text on one line (formulas written over lines are joined)."""
    return " ".join(part.strip() for part in text.split("\n")) if "\n" in text else text


def markdown(document: Document) -> str:
    lines = [f"# {printable(one_line(document.title))}", ""]
    for block in (*document.head, *document.blocks):
        lines += [*_block(block, document.lang), ""]
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block, lang: str) -> list[str]:
    match block:
        case Heading(level=level, text=text):
            return [f"{'#' * level} {printable(one_line(text))}"]
        case Paragraph(text=text):
            return [printable(one_line(text))]
        case Items(items=items, marker="letter"):
            # "a) ..." is no Markdown list: each item is a paragraph of its own
            lines: list[str] = []
            for index, item in enumerate(items):
                lines += [f"{marker('letter', index, lang)} {printable(one_line(item))}", ""]
            return lines[:-1]
        case Items(items=items, marker=kind):
            return [
                f"{marker(kind, index, lang)} {printable(one_line(item))}"
                for index, item in enumerate(items)
            ]
        case Table(head=head, rows=rows, numeric=numeric):
            right = [numeric[i] if i < len(numeric) else False for i in range(len(head))]
            return [
                _row(head),
                "| " + " | ".join("---:" if r else "---" for r in right) + " |",
                *(_row(row) for row in rows),
            ]
    raise AssertionError(block)


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(table_cell(one_line(c)) for c in cells) + " |"
