"""`emurules doc`: the criteria as a document to publish."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_rank import CRITERIA, run


def test_markdown_document() -> None:
    result = run("doc", CRITERIA)
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("# Luật Thi đua, khen thưởng 2022: danh hiệu thi đua\n")
    assert "### Chiến sĩ thi đua cơ sở (`grassroots_fighter`)" in text
    assert "1. holds the title advanced_worker this year" in text
    assert "3. có ít nhất một sáng kiến được công nhận (initiatives is at least 1)" in text
    assert "| task | points |\n| --- | ---: |\n| excellent | 50 |" in text
    assert "Quota: at most 15% × the number of advanced_worker, rounded down per unit." in text
    assert "Points: (10 if digital_cert, otherwise 0) + min(training_hours, 40) ÷ 4." in text
    assert (
        "- For each individual, raising initiatives, raising training_hours never lowers "
        "score." in text
    )


def test_html_document(tmp_path: Path) -> None:
    out = tmp_path / "criteria.html"
    assert run("doc", CRITERIA, "--format", "html", "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<h3>Cờ thi đua (<code>emulation_flag</code>)</h3>" in html
    assert "<table><tr><th>task</th><th>points</th></tr>" in html
    assert html.count("<ol>") == html.count("</ol>") >= 6


def test_doc_of_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "b.emu"
    broken.write_text("let x for s = 1\n", encoding="utf-8")
    result = run("doc", str(broken))
    assert result.returncode == 1 and "unknown subject kind 's'" in result.stdout
