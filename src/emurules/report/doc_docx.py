"""The published criteria (`doc_model.Document`) as a Word document on the page of Decree
30/2020/NĐ-CP (report/decree.py): the national header when the criteria say who issues
them, the title, the legal bases, then the numbered parts, lists and tables.

python-docx is imported only here, and only when a Word document is asked for."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from emurules.errors import UsageError
from emurules.i18n import message, render
from emurules.report.doc_markdown import one_line
from emurules.report.doc_model import Block, Document, Heading, Items, Paragraph, Table, marker
from emurules.report.files import write_bytes
from emurules.report.safe import printable

if TYPE_CHECKING:
    from docx.document import Document as Word


def write_docx(document: Document, path: Path) -> None:
    """Write the document to `path`, atomically (an old file stays whole if this fails)."""
    write_bytes(path, to_docx(document))


def to_docx(document: Document) -> bytes:
    try:
        from emurules.report.decree import FONT, national_header, new_document
    except ImportError:
        raise UsageError(message("doc.needs-docx")) from None
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = new_document()
    _style_headings(word, FONT)
    lang = document.lang
    if not document.metadata.empty:
        national_header(word, document.metadata, lang)
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.space_after = Pt(12)
    run = title.add_run(_text(document.title))
    run.bold, run.font.size = True, Pt(14)
    if document.metadata.empty:
        for block in document.head:
            _block(word, block, lang)
    for basis in document.metadata.bases:
        said = word.add_paragraph(_text(render(message("doc.basis", basis=basis), lang)))
        said.paragraph_format.first_line_indent = Pt(28)
        said.paragraph_format.space_after = Pt(3)
        said.runs[0].italic = True
    for block in document.blocks:
        _block(word, block, lang)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _text(text: str) -> str:
    """Text on one line, hidden characters written as escapes (XML refuses some of them,
    and a line separator would break a heading)."""
    return printable(one_line(text))


def _style_headings(word: Word, font: str) -> None:
    """Headings in the body's font, black, bold: a Vietnamese document has no blue titles."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for level, size in ((2, 13), (3, 13)):
        style = word.styles[f"Heading {level}"]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(script), font)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme's font would win over ours
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)


def _block(word: Word, block: Block, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    match block:
        case Heading(level=level, text=text):
            word.add_heading(_text(text), level=min(max(level, 2), 3))
        case Paragraph(text=text):
            paragraph = word.add_paragraph(_text(text))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.space_after = Pt(6)
        case Items(items=items, marker=kind):
            for index, item in enumerate(items):
                paragraph = word.add_paragraph(f"{marker(kind, index, lang)} {_text(item)}")
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                layout = paragraph.paragraph_format
                layout.left_indent, layout.first_line_indent = Mm(10), Mm(-6)
                layout.space_after = Pt(6 if index == len(items) - 1 else 3)
        case Table():
            _table(word, block)


def _table(word: Word, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.head))
    grid.style = "Table Grid"
    repeat = OxmlElement("w:tblHeader")  # the header row again on each page the table spans
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row_index, cells in enumerate((table.head, *table.rows)):
        for column, text in enumerate(cells):
            paragraph = grid.rows[row_index].cells[column].paragraphs[0]
            run = paragraph.add_run(_text(text))
            run.font.size = Pt(12)
            if row_index == 0:
                run.bold = True
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif column < len(table.numeric) and table.numeric[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()
