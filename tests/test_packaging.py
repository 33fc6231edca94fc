"""The wheel carries the grammar: built, installed into a fresh virtualenv outside the
source tree, it parses and checks an example on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_checks_an_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("emurules-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "emurules/grammar/emurules.lark" in names
    assert "emurules/py.typed" in names
    assert "emurules/schema/result-1.json" in names  # the JSON Schema of Result.to_json()

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    example = tmp_path / "criteria.emu"
    example.write_text(
        (ROOT / "examples" / "innovation-2025" / "criteria.emu").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = (
        "import emurules, sys; m = emurules.check_file(sys.argv[1]); "
        "print(emurules.__file__); print(len(m.module.decls))"
    )
    result = subprocess.run(
        [str(python), "-c", script, str(example)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    location, count = result.stdout.split()
    assert Path(location).is_relative_to(env_dir)
    assert int(count) > 20
    cli = subprocess.run(
        [str(env_dir / "bin" / "emurules"), "check", str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
