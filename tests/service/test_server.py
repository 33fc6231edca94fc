"""`emurules serve` as it runs: a real server with two worker processes on 127.0.0.1,
called with the standard library's HTTP client. The command line's argument errors are
tested without a server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from emurules.cli import main
from tests.service.population import CRITERIA, ROOT, law_population
from tests.service.serving import require_serve

require_serve()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def call(url: str, body: object | None = None) -> tuple[int, str, Any]:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


def test_a_real_server_with_two_workers_answers() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "emurules", "serve", f"law={CRITERIA}"]
    command += ["--port", str(port), "--workers", "2", "--no-access-log"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                status, _, health = call(base + "/health")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start within 60 s"
                time.sleep(0.2)
        assert (status, health["status"]) == (200, "ok")
        status, _, listed = call(base + "/rulesets")
        assert [r["name"] for r in listed["rulesets"]] == ["law"]
        data, history = law_population(30)
        answers = [call(base + "/rulesets/law/evaluate", {"data": data, "history": history})]
        answers.append(answers[0])
        for status, kind, found in answers:
            assert (status, kind, found["schema"]) == (200, "application/json", "emurules.result/1")
        status, kind, found = call(base + "/rulesets/law/evaluate", {"data": {"individual": 1}})
        assert (status, kind) == (422, "application/problem+json")
        assert found["diagnostics"][0]["place"]["field"] == "data.individual"
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    assert "law: Luật Thi đua" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--workers", "0"], "--workers takes 1 or more"),
        (["--port", "70000"], "--port takes 0 to 65535"),
        (["--max-body", "ten"], "--max-body ten: a size in bytes"),
        (["--max-body", "10Q"], "--max-body 10Q: a size in bytes"),
    ],
)
def test_wrong_arguments_stop_before_serving(
    arguments: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--lang", "en", str(CRITERIA), *arguments]) == 2
    assert words in capsys.readouterr().err


def test_files_that_cannot_be_served(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--lang", "en", str(tmp_path / "none.emu")]) == 2
    assert "none.emu" in capsys.readouterr().err
    twin = tmp_path / "criteria.emu"
    twin.write_text(CRITERIA.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["serve", "--lang", "en", str(CRITERIA), str(twin)]) == 2
    assert "two rulesets are named 'criteria'" in capsys.readouterr().err
    bad = tmp_path / "bad.emu"
    bad.write_text("let x for s = nope\n", encoding="utf-8")
    assert main(["serve", "--lang", "en", str(bad)]) == 1
    assert "E0203" in capsys.readouterr().out


def test_without_the_serve_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve", "--lang", "en", str(CRITERIA)]) == 2
    assert "pip install 'emurules[serve]'" in capsys.readouterr().err


def test_sizes() -> None:
    from emurules.cli.serve import size

    assert [size(s) for s in ("100", "512K", "10M", "1g", "2 MB")] == [
        100,
        512 * 1024,
        10 * 1024**2,
        1024**3,
        2 * 1024**2,
    ]
