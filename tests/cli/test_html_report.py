"""The HTML report, opened in a real headless browser (Debian's chromium).

`.ci/run` installs chromium when it is missing, so this runs in CI; `make test` installs
nothing system-wide and skips this test on a machine without a browser.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_rank import CRITERIA, DATA, run

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless browser (chromium) on this machine; .ci/run installs one")


def dump_dom(chromium: str, address: str, profile: Path) -> str:
    """The page's DOM once loaded and its scripts have run."""
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", address],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_html_report_in_a_browser(tmp_path: Path) -> None:
    chromium = browser()
    report = tmp_path / "report.html"
    assert run("rank", CRITERIA, "--data", DATA, "--format", "html", "-o", str(report)
               ).returncode == 0  # fmt: skip
    dom = dump_dom(chromium, report.as_uri(), tmp_path / "profile-dom")
    assert dom.count('<table class="outcomes') == 6
    assert '<table id="summary">' in dom
    assert dom.count("<details data-s=") == 3 * 305 + 3 * 12
    assert "<pre>" not in dom  # explanations are drawn only when a row is opened
    assert "<th>Họ và tên</th>" in dom and "Vũ Lan" in dom  # names beside keys
    assert dom.count('class="histogram"') >= 12 and 'class="cutoff"' in dom
    # `#award/key` opens that row: its explanation is drawn from the embedded data
    opened = dump_dom(
        chromium, report.as_uri() + "#advanced_worker/DV01-003", tmp_path / "profile-open"
    )
    assert opened.count("<pre>") == 1
    row = opened[opened.index("<pre>") - 600 : opened.index("</pre>")]
    assert "DV01-003" in row and "Vũ Lan" in row and "open" in row
    explanation = opened[opened.index("<pre>") : opened.index("</pre>")]
    assert "advanced_worker" in explanation and "\n  " in explanation
    screenshot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile-shot'}",
            "--window-size=1280,1600",
            f"--screenshot={screenshot}",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {screenshot}")


def test_other_report_formats(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = tmp_path / "report.xlsx"
    assert run("rank", CRITERIA, "--data", DATA, "--format", "xlsx", "-o", str(workbook)
               ).returncode == 0  # fmt: skip
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[0] == "Summary" and "Cờ thi đua" in book.sheetnames
    assert book["Cờ thi đua"]["B2"].value == "DV02"
    no_output = run("rank", CRITERIA, "--data", DATA, "--format", "xlsx")
    assert no_output.returncode == 2 and "-o OUT.xlsx" in no_output.stderr
