"""The page of an administrative document as Decree 30/2020/NĐ-CP on clerical work fixes it:
A4, Times New Roman, the margins, the national title and motto beside the issuing authority,
the number, the place and date, and the signer's block beside the places of receipt.

Shared by every Word document emurules writes (the draft decision, the published criteria),
so that all of them look like what an office files. python-docx is imported here: callers
import this module only once they know the `docx` extra is installed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from emurules.i18n import message, render
from emurules.plan.metadata import Metadata
from emurules.provenance import evaluation_time
from emurules.report.safe import xlsx_text

FONT = "Times New Roman"
SIZE = Pt(13)
# Decree 30, Appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
WIDTH = Mm(210 - 30 - 15)  # the width text may take
# The header's columns: the authority (left) and the national title (right).
HEADER = (Mm(68), Mm(97))
SIGNER = (Mm(80), Mm(85))
BLANK = "…"  # what a draft leaves for the office to fill in
# Where an authority's name breaks in sense: before "and" or the place it governs.
PLACES = ("VÀ ", "THÀNH PHỐ ", "TỈNH ", "QUẬN ", "HUYỆN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ")


def _properties(document: Document) -> None:
    """The file's own properties: python-docx's template says "python-docx" wrote it in
    2013, which an office's document system would show and file."""
    made = evaluation_time()
    core = document.core_properties
    core.author = core.last_modified_by = "emurules"
    core.comments = core.title = core.subject = core.keywords = ""
    core.created = core.modified = made.replace(tzinfo=None)
    core.revision = 1


def new_document() -> Document:
    """An empty A4 document in Times New Roman 13 pt, the Decree's margins, Vietnamese as
    its language; the East Asian and complex-script fonts are set too, since Word picks
    the font of a Vietnamese letter by those when the text is marked East Asian."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = section.footer_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    language.set(qn("w:eastAsia"), "vi-VN")
    properties.append(language)
    spacing = normal.paragraph_format
    spacing.space_before, spacing.space_after = Pt(0), Pt(0)
    spacing.line_spacing = 1.0
    _page_numbers(section)
    _properties(document)
    return document


def _page_numbers(section: Section) -> None:
    """Decree 30 numbers the pages from the second on, centred at the top."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def national_header(document: Document, metadata: Metadata, lang: str) -> None:
    """The head of the first page: the issuing authority (upper case, bold, a short rule
    under it) and the number on the left; the national title and the motto (a rule as
    long as the motto under it) and the place and date (italic) on the right."""
    table = borderless_table(document, 2, HEADER)
    authority, title = table.rows[0].cells
    number, dated = table.rows[1].cells
    first = authority.paragraphs[0]
    top, *rest = _balanced(upper(metadata.authority or BLANK), 22)
    run = _run(first, top, size=Pt(12), bold=True)
    for line in rest:
        run.add_break()
        run.add_text(line)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule(authority, HEADER[0], Length(HEADER[0] // 3))

    head = title.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, render(message("decree.national-title"), lang), size=Pt(12), bold=True)
    motto = render(message("decree.motto"), lang)
    _run(centred(title), motto, bold=True)
    rule(title, HEADER[1], Pt(13 * 0.5 * len(motto)))

    numbered = number.paragraphs[0]
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbered.paragraph_format.space_before = Pt(6)
    _run(numbered, render(message("decree.number", number=metadata.number or BLANK), lang))
    line = dated.paragraphs[0]
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_before = Pt(6)
    _run(line, place_and_date(metadata, lang), italic=True)


def place_and_date(metadata: Metadata, lang: str) -> str:
    """The place and date line, "Hà Nội, ngày 05 tháng 01 năm 2025": Decree 30 writes a
    day below 10 and the months 1 and 2 with a leading zero; a date not stated is left in
    dots for the office."""
    place = metadata.place or BLANK
    when = metadata.date
    if when is None:
        return render(message("decree.place-undated", place=place), lang)
    if lang == "en":
        return render(message("decree.place-date-words", place=place, date=_english(when)), lang)
    day = f"{when.day:02d}" if when.day < 10 else str(when.day)
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return render(
        message("decree.place-date", place=place, day=day, month=month, year=str(when.year)),
        lang,
    )


def long_date(when: datetime.date | None, lang: str) -> str:
    """A date in words as the Decree writes it in running text ("ngày 15 tháng 12 năm
    2025"), or dots when not stated."""
    if when is None:
        return render(message("decree.undated"), lang)
    if lang == "en":
        return _english(when)
    day = f"{when.day:02d}" if when.day < 10 else str(when.day)
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return render(message("decree.date", day=day, month=month, year=str(when.year)), lang)


def _english(when: datetime.date) -> str:
    from babel.dates import format_date

    return str(format_date(when, "d MMMM y", locale="en"))


def signer_block(
    document: Document, metadata: Metadata, lang: str, receivers: Sequence[str]
) -> None:
    """The foot of the document: "Nơi nhận:" (bold italic, 12 pt) and the places of receipt
    (11 pt, each after a dash; the caller writes their ";" and the last ".") on the left;
    the signer's title (bold, upper case), room for the signature and seal, and the
    signer's name (bold) on the right."""
    table = borderless_table(document, 1, SIGNER)
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    heading.paragraph_format.space_before = Pt(12)
    _run(heading, render(message("decree.receivers"), lang), size=Pt(12), bold=True, italic=True)
    for receiver in receivers:
        _run(left.add_paragraph(), f"- {receiver}", size=Pt(11))
    signer = metadata.signer
    position = right.paragraphs[0]
    position.alignment = WD_ALIGN_PARAGRAPH.CENTER
    position.paragraph_format.space_before = Pt(12)
    _run(position, upper(signer.title if signer else BLANK), bold=True)
    space = centred(right)
    space.paragraph_format.space_before = Mm(28)
    _run(space, signer.name if signer else BLANK, bold=True)


def borderless_table(document: Document, rows: int, widths: Sequence[Length]) -> Table:
    """A table with no borders, columns of fixed widths, used to place two blocks side by
    side (Word and LibreOffice read the grid, Word also each cell's width)."""
    table: Table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        none = OxmlElement(f"w:{edge}")
        none.set(qn("w:val"), "nil")
        borders.append(none)
    table._tbl.tblPr.append(borders)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def rule(container: _Cell | Document, width: Length, length: Length) -> None:
    """A centred horizontal line of `length` under the last paragraph of a cell (or the
    page) `width` wide: an empty paragraph of no height with a bottom border, indented on
    both sides (Decree 30 draws one under the authority, the motto and the summary)."""
    paragraph = container.add_paragraph()
    indent = Length(max(0, (width - Mm(4) - length) // 2))
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = indent
    layout.space_before = Pt(3)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in {"val": "single", "sz": "6", "space": "1", "color": "000000"}.items():
        bottom.set(qn(f"w:{name}"), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def centred(cell: _Cell) -> Paragraph:
    paragraph: Paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    size: Length | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    run = paragraph.add_run(xlsx_text(text))  # characters XML cannot hold, as escapes
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = size
    return run


def upper(text: str) -> str:
    """Upper case as Vietnamese writes it (str.upper keeps every diacritic)."""
    return text.upper()


def _balanced(text: str, width: int) -> list[str]:
    """An authority's name in two lines when longer than `width` characters, broken where
    the name breaks in sense (after a comma, before "VÀ" or the place: "ỦY BAN NHÂN DÂN /
    THÀNH PHỐ HÀ NỘI", "BỘ VĂN HÓA, / THỂ THAO VÀ DU LỊCH"), the lines as even as can be;
    between any two words when there is no such place."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text]
    splits = range(1, len(words))
    natural = [
        i for i in splits if words[i - 1].endswith(",") or " ".join(words[i:]).startswith(PLACES)
    ]

    def longer(i: int) -> int:
        return max(len(" ".join(words[:i])), len(" ".join(words[i:])))

    best = min(natural or splits, key=longer)
    return [" ".join(words[:best]), " ".join(words[best:])]
