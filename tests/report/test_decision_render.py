"""The draft decision as an office would print it: LibreOffice converts it to PDF, poppler
draws the first page and the list's first page as PNG. Skipped (with the reason) where
either tool is missing, except on CI, which installs both (.ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from emurules.cli import main

pytest.importorskip("docx")

LAW = Path(__file__).parents[2] / "examples" / "law-2022"
TOOLS = ("soffice", "pdftoppm", "pdftotext")
PNG = b"\x89PNG\r\n\x1a\n"


def _tools() -> dict[str, str]:
    found = {tool: shutil.which(tool) for tool in TOOLS}
    missing = [tool for tool, path in found.items() if path is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (.ci/run installs them on CI)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {tool: path for tool, path in found.items() if path is not None}


def test_the_decision_renders_to_pdf_and_png(tmp_path: Path) -> None:
    tools = _tools()
    document = tmp_path / "decision.docx"
    data = str(LAW / "data")
    arguments = ["rank", str(LAW / "criteria.emu"), "--data", data, "-o", str(document)]
    assert main([*arguments, "--lang", "vi"]) == 0
    profile = (tmp_path / "profile").as_uri()  # its own, so a running LibreOffice never interferes
    convert = [tools["soffice"], f"-env:UserInstallation={profile}", "--headless"]
    convert += ["--convert-to", "pdf", "--outdir", str(tmp_path), str(document)]
    subprocess.run(convert, check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "decision.pdf"
    assert pdf.stat().st_size > 10_000
    text = subprocess.run(
        [tools["pdftotext"], "-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "DANH SÁCH"):
        assert line in text
    pages = text.split("\f")
    listed = next(n for n, page in enumerate(pages, 1) if "DANH SÁCH" in page)
    assert listed > 1, "the list starts on a page of its own"
    for page in (1, listed):
        out = tmp_path / f"page-{page}"
        draw = [tools["pdftoppm"], "-png", "-r", "60", "-f", str(page), "-l", str(page)]
        subprocess.run([*draw, "-singlefile", str(pdf), str(out)], check=True, timeout=60)
        picture = out.with_suffix(".png").read_bytes()
        assert picture.startswith(PNG) and len(picture) > 5_000, "a page with something on it"
