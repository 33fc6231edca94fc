"""The draft decision awarding the titles (`emurules rank --format docx`): what an office
signs at the end of an assessment, in the layout of Decree 30/2020/NĐ-CP.

Page one holds the header (`decree.national_header`), "QUYẾT ĐỊNH" and its summary, the
issuing position, the legal bases, three articles (the titles and how many receive each;
the rewards; who carries it out) and the signer's block; the attached list follows on a
new page, a table per title. The number, and anything else the ruleset does not state, is
left in dots for the office to fill in. Needs the `docx` extra (python-docx).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from emurules.i18n import Message, message, render
from emurules.i18n.formatting import number, shown, whole
from emurules.plan.metadata import Metadata
from emurules.report.decree import (
    BLANK,
    WIDTH,
    long_date,
    national_header,
    new_document,
    rule,
    signer_block,
    upper,
)
from emurules.report.files import atomic_path
from emurules.report.safe import xlsx_text as xml_text
from emurules.result import AwardInfo, Result

if TYPE_CHECKING:
    from emurules.rules import Rules

# The attached list's columns (mm): order, name, position or unit, title, amount.
COLUMNS = (12, 35, 56, 37, 25)
SHORT = 12  # a table of at most this many rows is kept on one page


@attrs.frozen
class Entry:
    """One line of the attached list: a recipient's order, name, unit and amount."""

    key: str
    name: str
    place: str
    amount: Decimal | None


@attrs.frozen
class Title:
    """An award with its recipients, as the decision names them."""

    award: AwardInfo
    kind: str  # the kind's label (else its name), as a count reads it: "cá nhân"
    name_heading: str  # the display field's label: "Họ và tên"
    place_heading: str | None  # None when no recipient has a unit or group
    entries: tuple[Entry, ...]

    @property
    def label(self) -> str:
        return self.award.label or self.award.name

    @property
    def fund(self) -> Decimal | None:
        amounts = [e.amount for e in self.entries if e.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None


def titles(result: Result, rules: Rules, lang: str) -> list[Title]:
    """Every award someone received, in the ruleset's order, with its recipients in the
    order of `Result.recipients` (group by group, best first)."""
    found = []
    for award in result.awards:
        keys = result.recipients(award.name)
        if keys:
            found.append(_title(result, rules, award, keys, lang))
    return found


def _title(result: Result, rules: Rules, award: AwardInfo, keys: Sequence[str], lang: str) -> Title:
    labels = rules.labels
    display = labels.display(award.kind)
    name = result.names(award.kind)
    place, place_heading = _places(result, rules, award, lang)
    entries = tuple(
        Entry(key, name(key) or key, place(key), result.amount(key, award.name)) for key in keys
    )
    kind = labels.kind(award.kind) or award.kind
    heading = (labels.name(award.kind, display) if display else None) or render(
        message("decision.column-name"), lang
    )
    has_place = any(e.place for e in entries)
    return Title(award, _lower_first(kind), heading, place_heading if has_place else None, entries)


def _places(
    result: Result, rules: Rules, award: AwardInfo, lang: str
) -> tuple[Callable[[str], str], str]:
    """What the list shows as a recipient's position or unit, and the column's heading: the
    subject its first reference field points to (an individual's unit), by name; else the
    group the award is decided within (a collective's block)."""
    kind = rules.schema.kinds[award.kind]
    reference = next((f for f in kind.fields.values() if f.type.kind == "ref"), None)
    if reference is not None and reference.type.name is not None:
        target = result.names(reference.type.name)
        read = _field(result, award.kind, reference.name)

        def unit(key: str) -> str:
            value = read(key)
            return "" if value is None else target(value) or value

        return unit, render(message("decision.column-place"), lang)
    outcomes = result.outcomes[award.name]
    plan = next(a for a in rules.plan.awards(award.kind) if a.name == award.name)
    within = plan.within_text
    heading = (rules.labels.name(award.kind, within) if within else None) or render(
        message("decision.column-group"), lang
    )

    def group(key: str) -> str:
        value = outcomes[key].group
        return "" if value is None else shown(value, lang)

    return group, heading


def _field(result: Result, kind: str, field: str) -> Callable[[str], str | None]:
    """A field's value of each subject of `kind`, as read from the data the result was
    evaluated on (the validated table its what-if replays)."""
    replay = result._replay
    records = replay.table.by_key.get(kind, {}) if replay is not None else {}

    def read(key: str) -> str | None:
        record = records.get(key)
        value = None if record is None else record.values.get(field)
        return None if value is None else str(value)

    return read


def _lower_first(text: str) -> str:
    """A kind's label as it reads inside a sentence: "Cá nhân" in "3 cá nhân"."""
    return text[:1].lower() + text[1:]


def write_decision(result: Result, rules: Rules, path: Path, lang: str) -> None:
    """Write the draft decision to `path`, atomically."""
    document = decision_document(result, rules, lang)
    with atomic_path(path) as temporary:
        document.save(str(temporary))


def decision_document(result: Result, rules: Rules, lang: str) -> Document:
    """The draft decision as a python-docx document."""
    metadata = rules.metadata
    awarded = titles(result, rules, lang)
    document = new_document()
    national_header(document, metadata, lang)
    _heading(document, metadata, awarded, result.year, lang)
    _articles(document, result, awarded, lang)
    receivers = [render(message("decision.receiver-article"), lang)]
    receivers.append(render(message("decision.receiver-archive"), lang))
    signer_block(document, metadata, lang, receivers)
    if awarded:
        _attached(document, metadata, awarded, result.year, lang)
    return document


def _heading(
    document: Document, metadata: Metadata, awarded: list[Title], year: int, lang: str
) -> None:
    """The document type and summary, the issuing position and the legal bases."""
    kind = _centred(document, render(message("decision.title"), lang), space=18)
    kind.runs[0].font.size = Pt(14)
    if len(awarded) == 1:
        about = message("decision.summary-one", title=awarded[0].label, year=str(year))
    else:
        about = message("decision.summary", year=str(year))
    _centred(document, render(about, lang), space=0)
    rule(document, WIDTH, Length(WIDTH // 4))
    signer = metadata.signer
    authority = upper(metadata.authority or BLANK)
    if signer is not None and authority.startswith(upper(signer.title)):
        issuer = authority  # "THỦ TƯỚNG CHÍNH PHỦ" names its signer's office: said once
    else:
        issuer = render(
            message(
                "decision.issuer",
                title=upper(signer.title) if signer else BLANK,
                authority=authority,
            ),
            lang,
        )
    _centred(document, issuer, space=18).paragraph_format.space_after = Pt(6)
    for basis in metadata.bases:
        _body(document, render(message("decision.basis", basis=basis), lang), italic=True)
    _body(document, render(message("decision.proposal"), lang), italic=True)
    decides = _centred(document, render(message("decision.decides"), lang), space=6)
    decides.paragraph_format.space_after = Pt(6)


def _articles(document: Document, result: Result, awarded: list[Title], lang: str) -> None:
    year = str(result.year)
    if awarded:
        _article(document, 1, message("decision.article-titles", year=year), lang)
        for index, title in enumerate(awarded):
            many, kind = len(title.entries), title.kind
            if index == len(awarded) - 1:
                count = message("decision.count-last", title=title.label, count=many, kind=kind)
            else:
                count = message("decision.count", title=title.label, count=many, kind=kind)
            _body(document, render(count, lang))
    else:
        _article(document, 1, message("decision.article-nobody", year=year), lang)
    paid = [t for t in awarded if t.fund is not None]
    if not paid:
        _article(document, 2, message("decision.article-rewards-rules"), lang)
    else:
        base = result.base_salary
        assert base is not None
        money = whole(int(base), lang)
        _article(document, 2, message("decision.article-rewards", base=money), lang)
        for title in paid:
            _body(document, render(_reward_line(result, title, lang), lang))
        total = sum((t.fund or Decimal(0) for t in paid), Decimal(0))
        _body(document, render(message("decision.reward-total", total=_money(total, lang)), lang))
    _article(document, 3, message("decision.article-execution"), lang)


def _reward_line(result: Result, title: Title, lang: str) -> Message:
    multiple = result.reward(title.award.name)
    amounts = {e.amount for e in title.entries if e.amount}  # 0: a higher title's reward
    fund = _money(title.fund or Decimal(0), lang)
    paid = sum(1 for e in title.entries if e.amount)
    replaced = len(title.entries) - paid
    if replaced and not paid and multiple:
        return message(
            "decision.reward-all-replaced", title=title.label, count=replaced, kind=title.kind
        )
    if len(amounts) == 1 and multiple is not None and replaced:
        return message(
            "decision.reward-replaced",
            title=title.label,
            multiple=_multiple(multiple, lang),
            amount=_money(amounts.pop(), lang),
            count=paid,
            kind=title.kind,
            fund=fund,
            replaced=str(replaced),
        )
    if len(amounts) == 1 and multiple is not None:
        return message(
            "decision.reward",
            title=title.label,
            multiple=_multiple(multiple, lang),
            amount=_money(amounts.pop(), lang),
            count=len(title.entries),
            kind=title.kind,
            fund=fund,
        )
    return message("decision.reward-varied", title=title.label, fund=fund)


def _multiple(multiple: Decimal, lang: str) -> str:
    """A multiple of the base salary as decisions write it: 0,3 lần, 1,0 lần, 8,0 lần."""
    text = number(multiple, lang)
    if multiple == multiple.to_integral_value():
        text += ("," if lang == "vi" else ".") + "0"
    return text


def _money(amount: Decimal, lang: str) -> str:
    """A sum in dong: whole dong, grouped ("702.000" in Vietnamese)."""
    return whole(int(amount), lang)


def _attached(
    document: Document, metadata: Metadata, awarded: list[Title], year: int, lang: str
) -> None:
    """The attached list: its heading, then a numbered section and a table per title."""
    heading = _centred(document, render(message("decision.list"), lang), space=0)
    heading.paragraph_format.page_break_before = True
    _centred(document, render(message("decision.list-about", year=str(year)), lang), space=0)
    attached = message(
        "decision.list-of",
        number=metadata.number or BLANK,
        date=long_date(metadata.date, lang),
    )
    line = _centred(document, render(attached, lang), space=0, bold=False)
    line.runs[0].italic = True
    line.paragraph_format.space_after = Pt(6)
    for index, title in enumerate(awarded, 1):
        section = message(
            "decision.list-title",
            number=_roman(index),
            title=upper(title.label),
            count=len(title.entries),
            kind=title.kind,
        )
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.add_run(xml_text(render(section, lang))).bold = True
        _list_table(document, title, lang)


def _list_table(document: Document, title: Title, lang: str) -> Table:
    paid = title.fund is not None
    headings = [render(message("decision.column-order"), lang), title.name_heading]
    widths = list(COLUMNS)
    if title.place_heading is not None:
        headings.append(title.place_heading)
    else:
        widths[1] += widths.pop(2)
    headings.append(render(message("decision.column-title"), lang))
    if paid:
        headings.append(render(message("decision.column-amount"), lang))
    else:
        widths[-2] += widths.pop()
    rows = [headings]
    # namesakes in one list (two "Ngô Trang" of one unit) are told apart by their codes
    seen = Counter((entry.name, entry.place) for entry in title.entries)
    for order, entry in enumerate(title.entries, 1):
        same = seen[(entry.name, entry.place)] > 1 and entry.name != entry.key
        row = [str(order), f"{entry.name} ({entry.key})" if same else entry.name]
        if title.place_heading is not None:
            row.append(entry.place)
        row.append(title.label)
        if paid:
            row.append("" if entry.amount is None else _money(entry.amount, lang))
        rows.append(row)
    total = render(message("decision.list-total", count=len(title.entries), kind=title.kind), lang)
    fund = "" if title.fund is None else _money(title.fund, lang)
    rows.append([total, *([""] * (len(headings) - 2)), fund])
    table: Table = document.add_table(rows=len(rows), cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table)
    for index, (texts, line) in enumerate(zip(rows, table.rows, strict=True)):
        cells = line.cells
        for column, text in enumerate(texts):
            paragraph = cells[column].paragraphs[0]
            paragraph.paragraph_format.space_before = Pt(2)
            paragraph.paragraph_format.space_after = Pt(2)
            run = paragraph.add_run(xml_text(text))
            run.font.size = Pt(12)
            run.bold = index in (0, len(rows) - 1) or None
            if index == 0:
                cells[column].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if index == 0 or column == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif paid and column == len(texts) - 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _keep_together(table)
    last = table.rows[-1].cells
    merged = last[0].merge(last[len(headings) - 2])
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _keep_together(table: Table) -> None:
    """No row splits across pages, and the totals row never stands alone on a page: the
    last rows (a short table's every row) keep with the row after them."""
    rows = table.rows
    kept = len(rows) if len(rows) <= SHORT else 3
    for index, row in enumerate(rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if len(rows) - kept <= index < len(rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def _repeat_header(table: Table) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(mark)


def _article(document: Document, order: int, text: Message, lang: str) -> None:
    """An article: "Điều 1." in bold, then its text, justified, the first line indented."""
    paragraph = _body(document, "")
    paragraph.add_run(render(message("decision.article", number=order), lang)).bold = True
    paragraph.add_run(xml_text(" " + render(text, lang)))


def _body(document: Document, text: str, *, italic: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout = paragraph.paragraph_format
    layout.first_line_indent = Mm(12.7)
    layout.space_after = Pt(6)
    layout.line_spacing = 1.15
    if text:
        paragraph.add_run(xml_text(text)).italic = italic or None
    return paragraph


def _centred(document: Document, text: str, *, space: int, bold: bool = True) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space)
    paragraph.add_run(xml_text(text)).bold = bold or None
    return paragraph


def _roman(number: int) -> str:
    """1 -> "I", 4 -> "IV": the sections of a Vietnamese list are numbered in Roman."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                (1, "I"))  # fmt: skip
    out = []
    for value, numeral in numerals:
        while number >= value:
            out.append(numeral)
            number -= value
    return "".join(out)
