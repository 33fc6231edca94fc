"""`emurules doc`: the criteria as a document to publish."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from emurules.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    add_color,
    add_language,
    check_output,
    language,
    load_rules,
    output_format,
    use_color,
    writing,
)
from emurules.errors import UsageError
from emurules.i18n import message
from emurules.report.doc import Verdict, Verdicts
from emurules.report.files import write_text
from emurules.rules import Rules

BY_SUFFIX = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}


def run_doc(args: argparse.Namespace, out: TextIO) -> int:
    from emurules.report import doc, functions
    from emurules.report.doc_html import html
    from emurules.report.doc_markdown import markdown

    if args.file is None and not args.functions:
        raise UsageError(message("doc.file-or-functions"))
    fmt = output_format(args.output, args.format, BY_SUFFIX, "md")
    if fmt == "docx" and args.output is None:
        raise UsageError(message("doc.needs-output"))
    lang = language(args)
    if args.functions:
        target = check_output(args.output, [])
        document = functions.document(lang)
    else:
        inputs = [Path(args.file), *([Path(args.verified)] if args.verified else [])]
        target = check_output(args.output, inputs)
        rules = load_rules(args.file, out, use_color(args.color, out), lang)
        if rules is None:
            return EXIT_FINDINGS
        verdicts = read_verdicts(args.verified, args.file, rules) if args.verified else None
        document = doc.document(rules.plan, lang, verdicts, rules.schema)
    if fmt == "docx":
        from emurules.report.doc_docx import write_docx

        assert target is not None
        with writing(target):
            write_docx(document, target)
        return EXIT_OK
    text = html(document) if fmt == "html" else markdown(document)
    if target is not None:
        with writing(target):
            write_text(target, text)
    else:
        out.write(text)
    return EXIT_OK


def read_verdicts(report: str, file: str, rules: Rules) -> Verdicts:
    """The verdicts a test report gives the file's checks. The report must be of the file
    as it is now: a check verified before the criteria changed is not verified."""
    from emurules.testing.run import fingerprint

    path = Path(report)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
        raise UsageError(message("cli.report-unreadable", path=report, reason=reason)) from None
    source = rules.model.module.source
    wanted = fingerprint(source.text if source is not None else "")
    runs = found.get("files") if isinstance(found, dict) else None
    if not isinstance(runs, list):
        raise UsageError(message("cli.report-not-a-test-report", path=report))
    for run in runs:
        if isinstance(run, dict) and run.get("sha256") == wanted:
            return _verdicts(run)
    raise UsageError(message("cli.report-not-for-file", report=report, file=file))


def _verdicts(run: dict[str, Any]) -> Verdicts:
    verdicts: dict[tuple[int, int], Verdict] = {}
    for check in run.get("checks", ()):
        try:
            if check.get("on_data"):
                continue
            where = (int(check["line"]), int(check["column"]))
            verdicts[where] = Verdict(
                passed=check["passed"] is True,
                populations=int(check["populations"]),
                seed=int(check["seed"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # an entry this version cannot read verifies nothing
    return verdicts


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    document = commands.add_parser(
        "doc",
        help="render the criteria as a document to publish",
        description="Render a criteria file as a document an office publishes: numbered "
        "criteria and titles named by their labels, each condition in plain words, points, "
        "quotas, the fairness checks (verified or not) and the file's examples; or, with "
        "--functions, the reference of the built-in functions.",
    )
    document.add_argument("file", metavar="FILE", nargs="?")
    document.add_argument(
        "--functions",
        action="store_true",
        help="the reference of the built-in functions instead of a criteria file",
    )
    document.add_argument(
        "--format",
        choices=("md", "html", "docx"),
        help="md, html or docx (a Word document: needs -o) (default: from -o, else md)",
    )
    document.add_argument(
        "--verified",
        metavar="REPORT.json",
        help="a report of `emurules test FILE --format json`: each check says whether it was "
        "verified (without one, each is marked not verified)",
    )
    document.add_argument("-o", "--output", metavar="OUT", help="write the document to OUT")
    document.set_defaults(run=run_doc)
    add_color(document)
    add_language(document)
