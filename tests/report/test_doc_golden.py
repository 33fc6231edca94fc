"""The published criteria of examples/law-2022 in each language and format, exactly as the
golden files say. After an intended change of wording run
`pytest tests/report/test_doc_golden.py --update-golden` and read the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

import emurules
from emurules.report import doc
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"
GOLDEN = Path(__file__).parent / "golden" / "doc"


@pytest.fixture(scope="module")
def rules() -> emurules.Rules:
    return emurules.load(LAW)


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden(rules: emurules.Rules, lang: str, fmt: str, update_golden: bool) -> None:
    write = doc.to_markdown if fmt == "md" else doc.to_html
    text = write(rules.plan, lang, schema=rules.schema)
    path = GOLDEN / lang / f"law-2022.{fmt}"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file; run with --update-golden: {path}"
    assert text == path.read_text(encoding="utf-8")


def test_vietnamese_reads_labels_not_identifiers(rules: emurules.Rules) -> None:
    text = doc.to_markdown(rules.plan, "vi", schema=rules.schema)
    for sentence in (
        "## I. Tập thể",
        "## II. Cá nhân",
        "### 6. Danh hiệu “Chiến sĩ thi đua cơ sở”",
        "a) hoàn thành tốt nhiệm vụ trở lên (Mức độ hoàn thành nhiệm vụ từ Hoàn thành tốt "
        "nhiệm vụ trở lên)",
        "tỷ lệ Thành viên đạt danh hiệu Lao động tiên tiến ít nhất là 50%",
        "không có Thành viên nào có Hình thức kỷ luật từ Cảnh cáo trở lên",
        "| Hoàn thành xuất sắc nhiệm vụ | 50 |",
        "- Ngày ban hành: 15/12/2025",
        "- Phiên bản: 2025.1",
        "- Nguyễn Văn An được tặng danh hiệu Lao động tiên tiến",
        "- Dũng không được tặng danh hiệu Chiến sĩ thi đua cơ sở vì không đạt: hoàn thành "
        "xuất sắc nhiệm vụ, có ít nhất một sáng kiến được công nhận",
    ):
        assert sentence in text, sentence
    body = text.split("## I.", 1)[1]
    for identifier in ("grassroots_fighter", "advanced_worker", "members", "`", "excellent"):
        assert identifier not in body, identifier


def test_without_labels_the_identifiers_show(rules: emurules.Rules) -> None:
    """Labels of kinds and fields come with the schema; without it, identifiers stand in."""
    text = doc.to_markdown(rules.plan, "en")
    assert "## I. collective" in text and "Points: 15 × initiatives." in text
    assert "### 6. The title “Chiến sĩ thi đua cơ sở”" in text  # the plan's own label
