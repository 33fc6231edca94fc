"""A test run written for people (text), for programs (JSON: `emurules doc --verified`
reads it) and for CI systems (JUnit XML, which every CI shows as a test report)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from typing import Any

from emurules import __version__
from emurules.i18n import DEFAULT, message, render
from emurules.testing.run import FileRun, Item, outcome

FORMAT_VERSION = 1


def text_lines(runs: Sequence[FileRun], lang: str = DEFAULT) -> Iterator[str]:
    for index, run in enumerate(runs):
        if index:
            yield ""
        yield from run.lines(lang)
    if len(runs) > 1:
        failed = sum(len(run.failed) for run in runs)
        items = sum(len(run.items) for run in runs)
        yield ""
        total = message(
            "testrun.total",
            files=message("testrun.files", count=len(runs)),
            items=message("testrun.items", count=items),
            outcome=outcome(failed),
        )
        yield render(total, lang)


def to_json(runs: Sequence[FileRun]) -> dict[str, Any]:
    return {
        "emurules": __version__,
        "format": FORMAT_VERSION,
        "passed": all(run.passed for run in runs),
        "files": [run.to_json() for run in runs],
    }


def json_text(runs: Sequence[FileRun]) -> str:
    return json.dumps(to_json(runs), ensure_ascii=False, indent=2) + "\n"


def junit_text(runs: Sequence[FileRun], lang: str = DEFAULT) -> str:
    """One test suite per file, one test case per example or check; a failure's text is
    what the table shows for it."""
    suites = ET.Element("testsuites", name="emurules")
    for run in runs:
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=run.file,
            tests=str(len(run.items)),
            failures=str(len(run.failed)),
            errors="0",
            time=_seconds(sum(item.seconds for item in run.items)),
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="seed", value=str(run.seed))
        ET.SubElement(properties, "property", name="max_examples", value=str(run.max_examples))
        for item in run.items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_classname(run, item),
                name=item.label,
                file=run.file,
                line=str(item.span.line if item.span is not None else 0),
                time=_seconds(item.seconds),
            )
            if not item.passed:
                lines = list(item.lines(lang))
                failure = ET.SubElement(case, "failure", message=_clean(lines[0]))
                failure.text = _clean("\n".join(lines))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _classname(run: FileRun, item: Item) -> str:
    kind = "example" if any(item is e for e in run.examples) else "check"
    return f"{run.file}.{kind}"


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, which a label or a cell may carry."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in text)
