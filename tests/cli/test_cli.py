"""`emurules check` and `emurules fmt` through the real entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from emurules.cli import main
from tests.helpers import BRIEF, PRELUDE, ROOT

EXAMPLES = sorted(ROOT.glob("examples/**/*.emu"))


def run(
    *args: str, cwd: Path | None = None, lang: str | None = "en"
) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it, pinned to the language the test
    expects (`lang`; None leaves the default to the criteria file and the locale)."""
    script = shutil.which("emurules", path=str(Path(sys.executable).parent))
    assert script is not None, "the emurules console script is not installed"
    env = {**os.environ, "NO_COLOR": "1"}
    if lang is not None and args and not args[0].startswith("-") and "--lang" not in args:
        args = (args[0], "--lang", lang, *args[1:])
    return subprocess.run(
        [script, *args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("emurules ")


def test_check_the_language_brief_is_clean() -> None:
    result = run("check", str(BRIEF))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "1 file checked: no problems\n"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_every_example_checks_clean_and_is_formatted(path: Path) -> None:
    assert run("check", "--strict", str(path)).returncode == 0
    assert run("fmt", "--check", str(path)).returncode == 0


def test_three_independent_mistakes_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "three.emu"
    path.write_text(
        PRELUDE
        + 'criterion ip "Initiatives" for person max 30 = 10 * initiatves\n'
        + 'award a "A" for person {\n  when task >= god\n  when leave <= 3\n}\n',
        encoding="utf-8",
    )
    result = run("check", str(path))
    assert result.returncode == 1
    out = result.stdout
    for position, caret in (("15:53", "^^^^^^^^^^"), ("17:16", "^^^"), ("18:8", "^^^^^")):
        assert f"three.emu:{position}: error[" in out
        assert caret in out
    assert "did you mean 'initiatives'?" in out
    assert "did you mean 'good'?" in out
    assert out.endswith("1 file checked: 3 errors, 0 warnings\n")


def test_warnings_alone_exit_zero_unless_strict(tmp_path: Path) -> None:
    path = tmp_path / "w.emu"
    path.write_text(PRELUDE + "let x for person = 1\n", encoding="utf-8")
    assert run("check", str(path)).returncode == 0
    assert run("check", "--strict", str(path)).returncode == 1


def test_cap_on_reported_problems(tmp_path: Path) -> None:
    path = tmp_path / "many.emu"
    path.write_text(
        PRELUDE + "".join(f'let x{i} "X" for person = nope{i}\n' for i in range(30)),
        encoding="utf-8",
    )
    result = run("check", "--max-diagnostics", "5", str(path))
    assert result.returncode == 1
    assert result.stdout.count("error[E0201]") == 5
    assert "... and 25 more" in result.stdout
    full = run("check", "--max-diagnostics", "0", str(path))
    assert full.stdout.count("error[E0201]") == 30


def test_several_files_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.emu"
    bad.write_text("let x for s = )\n", encoding="utf-8")
    result = run("check", str(BRIEF), str(bad))
    assert result.returncode == 1
    assert "bad.emu:1:15: error[E0101]" in result.stdout
    assert "2 files checked" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.emu"], "cannot read missing.emu"),
        (["check"], "the following arguments are required"),
        (["frobnicate"], "invalid choice"),
        (["check", "--max-diagnostics", "-1", "x.emu"], "--max-diagnostics takes 0 or more"),
    ],
)
def test_usage_errors_exit_two(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.emu"
    path.write_bytes('let x for s = "Đ"'.encode("utf-16"))
    result = run("check", str(path))
    assert result.returncode == 2
    assert "is not UTF-8 text" in result.stderr


def test_fmt_rewrites_and_check_mode(tmp_path: Path) -> None:
    path = tmp_path / "messy.emu"
    path.write_text(
        "subject s {id: text key   # the key\n n: int}\n"
        'let   x "X"   for s =   (n + 1) * 2 # double\n',
        encoding="utf-8",
    )
    check = run("fmt", "--check", str(path))
    assert check.returncode == 1
    assert f"would reformat {path}" in check.stdout
    diff = run("fmt", "--diff", str(path))
    assert diff.returncode == 1 and "+++" in diff.stdout
    assert run("fmt", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == (
        "subject s {\n  id: text key  # the key\n  n: int\n}\n"
        'let x "X" for s = (n + 1) * 2  # double\n'
    )
    assert run("fmt", "--check", str(path)).returncode == 0


def test_fmt_refuses_a_file_with_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.emu"
    path.write_text("let x for s = (\n", encoding="utf-8")
    result = run("fmt", str(path))
    assert result.returncode == 1
    assert "error[E0103]" in result.stdout
    assert path.read_text(encoding="utf-8") == "let x for s = (\n"


def test_main_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BRIEF)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emurules", "check", str(BRIEF)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0


def test_main_gives_back_the_callers_sigterm_handler(tmp_path: Path) -> None:
    import signal

    def mine(signum: int, frame: object) -> None:
        pass

    before = signal.signal(signal.SIGTERM, mine)
    try:
        main(["check", str(BRIEF)])
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)
