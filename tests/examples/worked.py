"""What the tests of the worked examples share. The commands an example's README shows
are run and the output pasted under each one compared with what the command prints now, so
a README never shows output the tool no longer gives; they run in this process
(`emurules.cli.main`), as starting Python for each would cost more than most of them take.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from emurules.cli import main
from tests.helpers import ROOT

# a ```sh block of one command, then (blank lines apart) the ```text block of its output
BLOCK = re.compile(r"```sh\n(?P<command>[^\n]+)\n```\s*(?:```text\n(?P<output>.*?)\n```)?", re.S)
ELIDED = "…"  # a line of an excerpt that stands for lines left out


@pytest.fixture(name="_golden", autouse=True)
def unrecorded() -> None:
    """Imported by a test module, replaces the folder's golden results there: a worked
    example's whole result is megabytes of JSON, so the README's outputs and the test's
    facts pin it instead."""


def read(folder: Path, name: str) -> list[dict[str, str]]:
    """The rows of `folder`/data/`name`.csv, keyed by column title."""
    with (folder / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@attrs.frozen
class Command:
    line: str
    excerpt: str | None

    def argv(self, out: Path) -> list[str]:
        """The command's arguments, with a file it writes sent to `out`."""
        words = shlex.split(self.line)
        assert words[0] == ".venv/bin/emurules", self.line
        if "-o" in words:
            words[words.index("-o") + 1] = str(out / words[words.index("-o") + 1])
        return words[1:]


def commands(readme: Path) -> list[Command]:
    text = readme.read_text(encoding="utf-8")
    return [Command(m["command"], m["output"]) for m in BLOCK.finditer(text)]


def run(command: Command, out: Path) -> str:
    """Run the command from the top of the repository; fail unless it exits 0. Returns
    what it printed (the standard output, then the errors)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        code = main(command.argv(out))
    assert code == 0, f"{command.line}\n{stdout.getvalue()}\n{stderr.getvalue()}"
    return stdout.getvalue() + stderr.getvalue()


def assert_shows(excerpt: str, output: str) -> None:
    """Every line of the excerpt is a line of the output, in the same order."""
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for wanted in (line.rstrip() for line in excerpt.splitlines()):
        if wanted == ELIDED:
            continue
        assert wanted in lines[at:], f"not in the output (after line {at}): {wanted!r}"
        at = lines.index(wanted, at) + 1


def check_readme(readme: Path, out: Path) -> list[tuple[Command, str]]:
    """Run every command of the README and compare each pasted excerpt; returns each
    command with what it printed, so that a test can say which it expects."""
    ran = []
    for command in commands(readme):
        printed = run(command, out)
        if command.excerpt is not None:
            assert_shows(command.excerpt, printed)
        ran.append((command, printed))
    return ran


def assert_page_shows(page: Path, ran: list[tuple[Command, str]]) -> None:
    """Every output sample of a documentation page is printed by one of the commands."""
    samples = re.findall(r"```text\n(.*?)\n```", page.read_text(encoding="utf-8"), re.S)
    assert samples, page
    for sample in samples:
        shown = []
        for _, printed in ran:
            try:
                assert_shows(sample, printed)
            except AssertionError:
                continue
            shown.append(printed)
        assert shown, f"{page}: no command prints\n{sample}"


def regenerated(generator: Path, tmp: Path) -> dict[str, bytes]:
    """The files a seeded generator writes, from a copy of it run in `tmp` (its data/
    folder is next to the script), so the example's own data/ is never touched."""
    copy = tmp / generator.name
    copy.write_bytes(generator.read_bytes())
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    return {path.name: path.read_bytes() for path in sorted((tmp / "data").iterdir())}


def assert_the_usual_commands(ran: list[tuple[Command, str]], out: Path) -> None:
    """A worked example's README runs check, rank, explain twice, test, doc and the draft
    decision, every one but the last with an excerpt of what it prints."""
    names = [c.line.split()[1] for c, _ in ran]
    assert names == ["check", "rank", "explain", "explain", "test", "doc", "rank"]
    assert [c.excerpt is not None for c, _ in ran] == [True] * 6 + [False]
    assert (out / "decision.docx").stat().st_size > 0
