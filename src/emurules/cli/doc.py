"""`emurules doc`: the criteria as a document to publish."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    check_output,
    load_rules,
    output_format,
    use_color,
    writing,
)
from emurules.errors import UsageError
from emurules.i18n import message, render
from emurules.report.files import write_text

BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def run_doc(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.report import doc, functions

    if args.file is None and not args.functions:
        raise UsageError(message("doc.file-or-functions"))
    fmt = output_format(args.output, args.format, BY_SUFFIX, "md")
    if args.functions:
        target = check_output(args.output, [])
        text = functions.to_markdown()
        if fmt == "html":
            text = doc.html_page(text, render(message("doc.functions-title")))
    else:
        target = check_output(args.output, [Path(args.file)])
        rules = load_rules(args.file, out, use_color(args.color, out))
        if rules is None:
            return EXIT_FINDINGS
        text = (doc.to_html if fmt == "html" else doc.to_markdown)(rules.plan)
    if target is not None:
        with writing(target):
            write_text(target, text)
    else:
        out.write(text)
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    document = commands.add_parser(
        "doc",
        help="render the criteria as a document to publish",
        description="Render a criteria file as a document: each award's conditions in plain "
        "words, each criterion's points, quotas and the fairness checks; or, with --functions, "
        "the reference of the built-in functions.",
    )
    document.add_argument("file", metavar="FILE", nargs="?")
    document.add_argument(
        "--functions",
        action="store_true",
        help="the reference of the built-in functions instead of a criteria file",
    )
    document.add_argument(
        "--format", choices=("md", "html"), help="md or html (default: from -o, else md)"
    )
    document.add_argument("-o", "--output", metavar="OUT", help="write the document to OUT")
    document.set_defaults(run=run_doc)
    add_color(document)
