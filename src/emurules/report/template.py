"""The input workbook an office fills in: a sheet per subject kind and a `history` sheet,
each with only its header row, so that the empty template reads as a file without records.

Explanations and example rows sit on a separate guide sheet, which the readers never pick:
a sheet is chosen by the kind's name, and the guide is named after none.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from emurules.i18n import DEFAULT, Message, message, render
from emurules.plan.schema import FieldSchema, KindSchema, Schema
from emurules.report.doc_fields import field_range, field_type
from emurules.report.files import write_bytes
from emurules.report.safe import xlsx_text
from emurules.report.words import Names

HISTORY = "history"
HISTORY_COLUMNS = ("key", "kind", "year", "award", "name", "value")
_BOOLS = {"vi": ("có", "không"), "en": ("true", "false")}
_GREY = "808080"
_LIST_ROWS = 5000  # the rows a drop-down list covers below the header


def write_template(schema: Schema, path: Path, lang: str = DEFAULT) -> None:
    """Write the template to `path`, atomically."""
    write_bytes(path, to_template(schema, lang))


def to_template(schema: Schema, lang: str = DEFAULT) -> bytes:
    """The template as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = render(message("report.template-guide"), lang)[:31]
    guide.append([render(message("report.template-intro"), lang)])
    guide["A1"].font = _font(bold=True)
    for kind in schema.kinds.values():
        _kind_sheet(book.create_sheet(kind.name), kind, schema, lang)
        _guide_kind(guide, kind, schema, lang)
    _history_sheet(book.create_sheet(HISTORY), schema, lang)
    guide.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJKLMNOP":
        guide.column_dimensions[letter].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_title(kind: KindSchema, field: FieldSchema) -> str:
    """A column's title: the field's label when it has one, else its name."""
    return field.label or field.name


def _columns(kind: KindSchema) -> list[FieldSchema]:
    """The key column first, then the fields in declaration order."""
    fields = list(kind.fields.values())
    return sorted(fields, key=lambda field: field.name != kind.key)


def _font(*, bold: bool = False, grey: bool = False) -> Any:
    from openpyxl.styles import Font

    return Font(bold=bold, italic=grey, color=_GREY if grey else None)


def _choices(field: FieldSchema, schema: Schema, lang: str) -> list[str] | None:
    """The values a drop-down list offers: an enum's labels (else names), or yes/no."""
    if field.type.kind == "bool":
        return list(_BOOLS.get(lang, _BOOLS["en"]))
    if field.type.kind == "enum" and field.type.name in schema.enums:
        labels = schema.enum_labels.get(field.type.name, {})
        return [labels.get(value, value) for value in schema.enums[field.type.name]]
    return None


def _note(kind: KindSchema, field: FieldSchema, schema: Schema, lang: str) -> str:
    names = Names(schema=schema)
    lines: list[Message] = [message("report.template-type", type=field_type(field, names))]
    if field.name == kind.key:
        lines.append(message("report.template-key"))
    if field.type.kind == "percent":
        lines.append(message("report.template-percent"))
    allowed = field_range(field, lang)
    if allowed and field.type.kind != "percent":  # a percent's 0..100% is said above
        lines.append(message("report.template-range", range=allowed))
    if field.type.kind == "ref" and field.type.name:
        lines.append(message("report.template-reference", sheet=field.type.name))
    if _choices(field, schema, lang) is not None:
        lines.append(message("report.template-choose"))
    if field.default is not None:
        shown = _shown(field.default, field, schema, lang)
        lines.append(message("report.template-default", default=shown))
    elif field.optional:
        lines.append(message("report.template-optional"))
    elif field.name != kind.key:
        lines.append(message("report.template-required"))
    return "\n".join(render(line, lang) for line in lines)


def _shown(value: object, field: FieldSchema, schema: Schema, lang: str) -> str:
    if isinstance(value, bool):
        return _BOOLS.get(lang, _BOOLS["en"])[0 if value else 1]
    name = getattr(value, "name", None)
    if isinstance(name, str) and field.type.kind == "enum" and field.type.name:
        return schema.enum_labels.get(field.type.name, {}).get(name, name)
    return str(value)


def _header(sheet: Any, titles: list[str], notes: list[str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    sheet.append([xlsx_text(title) for title in titles])
    for column, (title, note) in enumerate(zip(titles, notes, strict=True), start=1):
        cell = sheet.cell(row=1, column=column)
        cell.data_type = "s"  # a label starting with "=" stays text, never a formula
        cell.font = _font(bold=True)
        comment = Comment(note, "emurules")
        comment.width, comment.height = 300, 40 + 18 * note.count("\n")
        cell.comment = comment
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(title) + 4))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"


def _list(sheet: Any, column: int, choices: list[str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    quoted = ",".join(choice.replace('"', '""') for choice in choices)
    validation = DataValidation(type="list", formula1=f'"{quoted}"', allow_blank=True)
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{_LIST_ROWS + 1}")
    sheet.add_data_validation(validation)


def _kind_sheet(sheet: Any, kind: KindSchema, schema: Schema, lang: str) -> None:
    fields = _columns(kind)
    titles = [column_title(kind, field) for field in fields]
    _header(sheet, titles, [_note(kind, field, schema, lang) for field in fields])
    for column, field in enumerate(fields, start=1):
        choices = _choices(field, schema, lang)
        if choices is not None:
            _list(sheet, column, choices)


def _history_sheet(sheet: Any, schema: Schema, lang: str) -> None:
    notes = [
        render(message("report.template-history-key"), lang),
        render(message("report.template-history-kind"), lang),
        render(message("report.template-history-year"), lang),
        render(message("report.template-history-award"), lang),
        render(message("report.template-history-name"), lang),
        render(message("report.template-history-value"), lang),
    ]
    columns = list(HISTORY_COLUMNS)
    if any(kind.lineage is not None for kind in schema.kinds.values()):
        columns.append("predecessor")
        notes.append(render(message("report.template-history-predecessor"), lang))
    _header(sheet, columns, notes)
    _list(sheet, 2, list(schema.kinds))
    awards = sorted({a for kind in schema.kinds.values() for a in kind.names_of("award")})
    if awards:
        _list(sheet, 4, awards)


def _example(field: FieldSchema, kind: KindSchema, schema: Schema, number: int) -> object:
    """An example value of a field: the n-th (1 or 2) of a plausible kind."""
    vtype = field.type
    low = field.low[0] if field.low is not None else Decimal(0)
    match vtype.kind:
        case "bool":
            return number == 1
        case "enum":
            values = schema.enums.get(vtype.name or "", ())
            name = values[-1 if number == 1 else 0] if values else ""
            return schema.enum_labels.get(vtype.name or "", {}).get(name, name)
        case "int":
            return int(low) + number
        case "number":
            return float(low) + number * 1.5
        case "percent":
            return (0.64, 0.9)[number - 1]
        case "date":
            return datetime.date(2025, number, 15)
        case "ref":
            return f"{(vtype.name or 'ref')[:2].upper()}{number:02d}"
    if field.name == kind.key:
        return f"{kind.name[:2].upper()}{number:02d}"
    return f"{column_title(kind, field)} {number}"


def _guide_kind(guide: Any, kind: KindSchema, schema: Schema, lang: str) -> None:
    fields = _columns(kind)
    guide.append([])
    guide.append([render(message("report.template-sheet", sheet=kind.name), lang)])
    guide.cell(row=guide.max_row, column=1).font = _font(bold=True)
    guide.append([column_title(kind, field) for field in fields])
    for cell in guide[guide.max_row]:
        cell.font = _font(bold=True)
    for number in (1, 2):
        guide.append([_example(field, kind, schema, number) for field in fields])
        for column, field in enumerate(fields, start=1):
            cell = guide.cell(row=guide.max_row, column=column)
            cell.font = _font(grey=True)
            if field.type.kind == "percent":
                cell.number_format = "0%"
            elif field.type.kind == "bool":
                cell.value = _BOOLS.get(lang, _BOOLS["en"])[0 if number == 1 else 1]
