"""The reference of built-in functions, made from their registry (`emurules.builtins`):
`emurules doc --functions` prints it and docs/reference/functions.md is its Markdown, kept
equal to it by a test."""

from __future__ import annotations

from emurules.builtins import BUILTINS, Param, result_phrase, sort_phrase
from emurules.i18n import DEFAULT, Message, message, render
from emurules.report.safe import table_cell


def _argument(param: Param) -> Message:
    written = param.written + (", ..." if param.repeated else "")
    if param.optional:
        return message("doc.functions-optional", param=written, sort=sort_phrase(param.sort))
    return message("doc.functions-argument", param=written, sort=sort_phrase(param.sort))


def to_markdown(lang: str = DEFAULT) -> str:
    """Every form of every built-in function: how it is called, what its arguments must
    be, what it gives and what it means."""
    lines = [
        f"# {render(message('doc.functions-title'), lang)}",
        "",
        render(message("doc.functions-intro"), lang),
        "",
        render(message("doc.functions-regenerate"), lang),
        "",
    ]
    head = (
        message("doc.functions-call"),
        message("doc.functions-arguments"),
        message("doc.functions-gives"),
        message("doc.functions-meaning"),
    )
    lines.append("| " + " | ".join(render(h, lang) for h in head) + " |")
    lines.append("| --- | --- | --- | --- |")
    for builtin in BUILTINS.values():
        for form in builtin.forms:
            arguments = "; ".join(render(_argument(p), lang) for p in form.params)
            cells = (
                f"`{builtin.signature(form)}`",
                arguments,
                render(result_phrase(form.result), lang),
                render(form.meaning(), lang),
            )
            lines.append("| " + " | ".join(table_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
