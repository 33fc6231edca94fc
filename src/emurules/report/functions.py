"""The reference of built-in functions, made from their registry (`emurules.builtins`):
`emurules doc --functions` prints it and docs/reference/functions.md is its Markdown, kept
equal to it by a test."""

from __future__ import annotations

from emurules.builtins import BUILTINS, Param, result_phrase, sort_phrase
from emurules.i18n import DEFAULT, Message, message, render
from emurules.report.doc_markdown import markdown
from emurules.report.doc_model import Document, Paragraph, Table


def _argument(param: Param) -> Message:
    written = param.written + (", ..." if param.repeated else "")
    if param.optional:
        return message("doc.functions-optional", param=written, sort=sort_phrase(param.sort))
    return message("doc.functions-argument", param=written, sort=sort_phrase(param.sort))


def document(lang: str = DEFAULT) -> Document:
    """Every form of every built-in function: how it is called, what its arguments must
    be, what it gives and what it means."""
    head = (
        message("doc.functions-call"),
        message("doc.functions-arguments"),
        message("doc.functions-gives"),
        message("doc.functions-meaning"),
    )
    rows: list[tuple[str, ...]] = []
    for builtin in BUILTINS.values():
        for form in builtin.forms:
            arguments = "; ".join(render(_argument(p), lang) for p in form.params)
            rows.append(
                (
                    f"`{builtin.signature(form)}`",
                    arguments,
                    render(result_phrase(form.result), lang),
                    render(form.meaning(), lang),
                )
            )
    return Document(
        render(message("doc.functions-title"), lang),
        (
            Paragraph(render(message("doc.functions-intro"), lang)),
            Paragraph(render(message("doc.functions-regenerate"), lang)),
            Table(tuple(render(h, lang) for h in head), tuple(rows)),
        ),
        lang,
    )


def to_markdown(lang: str = DEFAULT) -> str:
    """The reference as Markdown (docs/reference/functions.md)."""
    return markdown(document(lang))
