"""Labels of fields and enum values, and a subject kind's display field.

Data may title a column with a field's label and write an enum value's label in a cell, so
a label must name one thing only: compared as data compares titles (NFC, trimmed), no two
fields of a kind (or values of an enum) may share one, and none may be another's name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from emurules.check.scope import Report
from emurules.i18n import message
from emurules.suggest import suggest
from emurules.syntax import ast

Node = ast.Ident | ast.Field  # where a label's problem is shown


def clean(label: str) -> str:
    """A label as data text is compared with it: NFC and trimmed."""
    return unicodedata.normalize("NFC", label).strip()


def _ambiguous(
    named: Iterable[tuple[str, str | None, Node]],
) -> list[tuple[Node, str, str]]:
    """(where, label, what it clashes with) for each label that does not name one thing."""
    items = list(named)
    names = {name for name, _, _ in items}
    seen: dict[str, str] = {}
    found: list[tuple[Node, str, str]] = []
    for name, label, node in items:
        if label is None:
            continue
        text = clean(label)
        if text in names and text != name:
            found.append((node, label, text))
        elif text in seen:
            found.append((node, label, seen[text]))
        else:
            seen[text] = name
    return found


def check_enum(decl: ast.EnumDecl, report: Report) -> None:
    """Each value's label, if any, names that value alone."""
    if not decl.labels:
        return
    named = [(v.text, label, v) for v, label in zip(decl.values, decl.labels, strict=True)]
    for value, label, ident in named:
        if label is not None and not clean(label):
            report("E0221", message("check.empty-label", name=value), ident.span)
    usable = [(n, lb if lb and clean(lb) else None, v) for n, lb, v in named]
    for node, label, other in _ambiguous(usable):
        report(
            "E0220",
            message("check.enum-label-ambiguous", label=label, enum=decl.name.text, other=other),
            node.span,
            hint=message("check.label-ambiguous-hint"),
        )


def check_subject(decl: ast.SubjectDecl, report: Report) -> None:
    """Each field's label names that field alone; the display field is an input field."""
    for field in decl.fields:
        if field.label is not None and not clean(field.label):
            report("E0221", message("check.empty-label", name=field.name.text), field.span)
    named: list[tuple[str, str | None, Node]] = [
        (f.name.text, None, f) for f in decl.fields if not (f.label and clean(f.label))
    ]
    named += [(f.name.text, f.label, f) for f in decl.fields if f.label and clean(f.label)]
    for node, label, other in _ambiguous(named):
        report(
            "E0220",
            message("check.field-label-ambiguous", label=label, kind=decl.name.text, other=other),
            node.span,
            hint=message("check.label-ambiguous-hint"),
        )
    display = decl.display
    if display is None:
        return
    fields = [f.name.text for f in decl.fields]
    if display.text not in fields:
        report(
            "E0222",
            message("check.display-not-a-field", name=display.text, kind=decl.name.text),
            display.span,
            hint=suggest(display.text, fields),
        )
