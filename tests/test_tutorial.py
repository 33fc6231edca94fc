"""The tutorial runs as written: every `emurules` command of its ```sh blocks is run, as a
reader would, in a copy of docs/tutorial/files, and every ```text block after a command is
that command's real output. A page cannot drift from what emurules does."""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import emurules
from tests.helpers import ROOT

TUTORIAL = ROOT / "docs" / "tutorial"
PAGES = ("vi", "en")
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")
VOLATILE = (
    (re.compile(r"SHA-256 [0-9a-f]{64}"), "SHA-256 <sha256>"),
    (re.compile(r"SHA-256 [0-9a-f]{12}…"), "SHA-256 <sha256>…"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)"), "<time>"),
    (re.compile(r"emurules \d+\.\d+\.\d+\S*,"), "emurules <version>,"),
)


@dataclass
class Command:
    """One `emurules` line of a page, the exit code it is meant to have, and the ```text
    blocks that show its output."""

    line: int
    text: str
    argv: list[str]
    exit_code: int
    shown: list[tuple[int, str]] = field(default_factory=list)


def normalise(text: str) -> str:
    """What a shown output and a real one must agree on: the hashes, times and release
    number of a run differ, and trailing spaces are invisible on the page."""
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def commands(page: str) -> list[Command]:
    """The page's commands in order, each with the ```text blocks that follow it."""
    source = (TUTORIAL / f"{page}.md").read_text(encoding="utf-8")
    found: list[Command] = []
    for block in FENCE.finditer(source):
        first = source.count("\n", 0, block.start(2)) + 1
        kind, body = block.group(1), block.group(2)
        if kind == "sh":
            for offset, line in enumerate(body.splitlines()):
                if line.strip().startswith("emurules "):
                    wanted = EXIT.search(line)
                    argv = shlex.split(line, comments=True)[1:]
                    code = int(wanted.group(1)) if wanted else 0
                    found.append(Command(first + offset, line.strip(), argv, code))
        elif kind == "text":
            assert found, f"{page}.md:{first}: a ```text block before any emurules command"
            found[-1].shown.append((first, body))
    return found


# One interpreter runs a page's commands one after the other through the console script's
# entry point (`emurules.cli:main`), as `emurules ...` would in that folder: starting the
# script once per command costs a second or two each, twice the whole budget of this test.
DRIVER = """
import contextlib, io, json, sys
from emurules.cli import main
done = []
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
    done.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(done, sys.stdout)
"""


@dataclass(frozen=True)
class Run:
    """What a command did."""

    returncode: int
    stdout: str
    stderr: str


def run_page(page: str, folder: Path) -> list[tuple[Command, Run]]:
    """The page's commands, run in order in `folder` (a copy of docs/tutorial/files), with
    the language left to each command's `--lang` or the criteria file's `language`."""
    shutil.copytree(TUTORIAL / "files", folder, dirs_exist_ok=True)
    found = commands(page)
    env = {**os.environ, "NO_COLOR": "1", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for name in ("LC_ALL", "LC_MESSAGES", "SOURCE_DATE_EPOCH", "HYPOTHESIS_PROFILE"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps([command.argv for command in found]),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=folder,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    runs = [Run(r["code"], r["stdout"], r["stderr"]) for r in json.loads(done.stdout)]
    return list(zip(found, runs, strict=True))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Command, Run]]]:
    """Both pages, each in its own folder, side by side."""
    folders = [tmp_path_factory.mktemp(f"tutorial-{page}") for page in PAGES]
    with ThreadPoolExecutor(max_workers=len(PAGES)) as pool:
        return dict(zip(PAGES, pool.map(run_page, PAGES, folders), strict=True))


def differences(page: str, pairs: list[tuple[Command, Run]]) -> Iterator[str]:
    """Each command that exits otherwise than the page says, and each shown block that is
    not in its command's output, with the difference against that output."""
    for command, result in pairs:
        where = f"docs/tutorial/{page}.md:{command.line}: `{command.text}`"
        if result.returncode != command.exit_code:
            yield (
                f"{where} exited with {result.returncode}, the page says {command.exit_code}\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        actual = normalise(result.stdout)
        for line, block in command.shown:
            shown = normalise(block)
            if shown not in actual:
                diff = difflib.unified_diff(
                    shown.splitlines(),
                    actual.splitlines(),
                    f"the ```text block at {page}.md:{line}",
                    "the real output",
                    lineterm="",
                )
                yield f"{where}: the ```text block at line {line} differs\n" + "\n".join(diff)


@pytest.mark.parametrize("page", PAGES)
def test_every_command_of_the_page_runs_as_shown(
    page: str, runs: dict[str, list[tuple[Command, Run]]]
) -> None:
    pairs = runs[page]
    assert len(pairs) >= 8 and sum(len(c.shown) for c, _ in pairs) >= 6
    problems = list(differences(page, pairs))
    if problems:
        pytest.fail(
            "the tutorial no longer shows what emurules does (a deliberate change of output: "
            "copy the real output into the page)\n\n" + "\n\n".join(problems),
            pytrace=False,
        )


def test_both_pages_run_the_same_commands() -> None:
    def without_lang(argv: list[str]) -> list[str]:
        return [a for i, a in enumerate(argv) if a != "--lang" and argv[i - 1 : i] != ["--lang"]]

    vi, en = ([without_lang(c.argv) for c in commands(page)] for page in PAGES)
    assert vi == en


@pytest.mark.parametrize(
    "path", sorted((TUTORIAL / "files").glob("*.emu")), ids=lambda path: path.name
)
def test_every_step_file_is_formatted_and_checks_clean_but_the_deliberate_mistake(
    path: Path,
) -> None:
    source = path.read_text(encoding="utf-8")
    assert emurules.format_module(emurules.parse(source, path.name)) == source
    if path.name == "buoc-1-loi.emu":
        with pytest.raises(emurules.CriteriaError):
            emurules.check(source, path.name)
    else:
        assert emurules.check(source, path.name).warnings == ()


def test_a_changed_block_is_named(tmp_path: Path) -> None:
    command = Command(7, "emurules check x.emu", ["check", "x.emu"], 0, [(9, "two\n")])
    result = Run(0, "one\n", "")
    (problem,) = differences("vi", [(command, result)])
    assert "vi.md:7: `emurules check x.emu`: the ```text block at line 9 differs" in problem
    assert "-two" in problem and "+one" in problem
