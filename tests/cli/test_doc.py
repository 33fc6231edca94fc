"""`emurules doc`: the criteria as a document to publish."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_rank import CRITERIA, run


def test_markdown_document() -> None:
    result = run("doc", CRITERIA, "--lang", "en")
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("# Luật Thi đua, khen thưởng 2022: danh hiệu thi đua\n")
    assert "## II. Cá nhân" in text
    assert "### 6. The title “Chiến sĩ thi đua cơ sở”" in text
    assert "a) holds the title Lao động tiên tiến this year" in text
    assert "c) có ít nhất một sáng kiến được công nhận (Số sáng kiến is at least 1)" in text
    assert "| Mức độ hoàn thành nhiệm vụ | Points |\n| --- | ---: |" in text
    assert (
        "Quota: at most 15% × (the number of recipients of the title Lao động tiên tiến), "
        "rounded down per Đơn vị." in text
    )
    assert (
        "Points: (10 if it has Chứng chỉ kỹ năng số, otherwise 0) + (the smaller of Số giờ bồi "
        "dưỡng and 40) ÷ 4." in text
    )
    assert (
        "2. For each Cá nhân, raising Số sáng kiến, raising Số giờ bồi dưỡng never lowers "
        "the score. (not verified)" in text
    )
    assert "## IV. Examples" in text


def test_vietnamese_document() -> None:
    text = run("doc", CRITERIA, "--lang", "vi").stdout
    assert "- Ngày ban hành: 15/12/2025" in text
    assert "Điểm: 15 × Số sáng kiến." in text
    assert "c) có ít nhất một sáng kiến được công nhận (Số sáng kiến ít nhất là 1)" in text
    assert "- Bình đạt tiêu chuẩn danh hiệu Chiến sĩ thi đua cơ sở nhưng nằm ngoài chỉ tiêu" in text


def test_html_document(tmp_path: Path) -> None:
    out = tmp_path / "criteria.html"
    assert run("doc", CRITERIA, "--lang", "en", "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<h3>7. The title “Cờ thi đua”</h3>" in html
    assert "<tr><th>Mức độ hoàn thành nhiệm vụ</th><th>Points</th></tr>" in html
    assert '<ol class="letter">' in html
    assert html.count("<table>") == html.count("</table>") >= 6


def test_functions_reference_in_every_format(tmp_path: Path) -> None:
    text = run("doc", "--functions").stdout
    assert text == (Path(__file__).parents[2] / "docs/reference/functions.md").read_text(
        encoding="utf-8"
    )
    out = tmp_path / "functions.html"
    assert run("doc", "--functions", "-o", str(out)).returncode == 0
    assert "<code>floor(x)</code>" in out.read_text(encoding="utf-8")


def test_doc_of_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "b.emu"
    broken.write_text("let x for s = 1\n", encoding="utf-8")
    result = run("doc", str(broken))
    assert result.returncode == 1 and "unknown subject kind 's'" in result.stdout
