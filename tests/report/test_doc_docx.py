"""`emurules doc --format docx`: the published criteria as a Word document, opened again
with python-docx: the national header, the numbered parts and criteria, the examples."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import emurules
from emurules.report import doc
from emurules.report.doc_docx import to_docx
from tests.helpers import ROOT

docx = pytest.importorskip("docx")

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"


@pytest.fixture(scope="module")
def word() -> object:
    rules = emurules.load(LAW)
    data = to_docx(doc.document(rules.plan, "vi", schema=rules.schema))
    return docx.Document(io.BytesIO(data))


def test_headings_are_numbered_parts_and_criteria(word: object) -> None:
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 2", "I. Tập thể") in headings
    assert ("Heading 2", "II. Cá nhân") in headings
    assert ("Heading 3", "1. Kết quả thực hiện nhiệm vụ") in headings
    assert ("Heading 3", "5. Danh hiệu “Lao động tiên tiến”") in headings
    assert ("Heading 2", "IV. Ví dụ minh họa") in headings


def test_the_national_header_and_lettered_conditions(word: object) -> None:
    header = word.tables[0]
    assert "ỦY BAN NHÂN DÂN" in header.cell(0, 0).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "Hà Nội, ngày 15 tháng 12 năm 2025" in header.cell(1, 1).text
    texts = [p.text for p in word.paragraphs]
    assert "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;" in texts
    assert "b) không bị kỷ luật (Hình thức kỷ luật là Không bị kỷ luật)" in texts
    assert "- Nguyễn Văn An được tặng danh hiệu Lao động tiên tiến" in texts


def test_tables_show_labels_and_enum_labels(word: object) -> None:
    points = next(t for t in word.tables if t.cell(0, 1).text == "Điểm")
    assert points.cell(0, 0).text == "Mức độ hoàn thành nhiệm vụ"
    assert points.cell(1, 0).text == "Hoàn thành xuất sắc nhiệm vụ"
    people = next(t for t in word.tables if t.cell(0, 0).text == "Mã cán bộ")
    assert [c.text for c in people.rows[0].cells][:4] == [
        "Mã cán bộ", "Họ và tên", "Đơn vị", "Mức độ hoàn thành nhiệm vụ",
    ]  # fmt: skip
    assert people.cell(1, 3).text == "Hoàn thành xuất sắc nhiệm vụ"


def test_the_command_writes_a_word_file(tmp_path: Path) -> None:
    from tests.cli.test_rank import run

    out = tmp_path / "criteria.docx"
    done = run("doc", str(LAW), "--lang", "en", "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "I. Tập thể" in texts and "III. Fairness checks and data rules" in texts
    missing = run("doc", str(LAW), "--format", "docx")
    assert missing.returncode == 2 and "-o OUT.docx" in missing.stderr


def test_without_metadata_the_head_is_the_title_and_hidden_characters_are_escaped() -> None:
    from tests.report.test_writers import HOSTILE_DOC

    rules = emurules.compile(HOSTILE_DOC)
    word = docx.Document(io.BytesIO(to_docx(doc.document(rules.plan, "en", schema=rules.schema))))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Title|x\\u2028y </script><script>alert(1)</script>"
    assert "1. Points | for\\rtask" in texts
    assert word.tables[0].cell(1, 0).text == '"a|b"'  # no national header: no metadata


def test_without_python_docx_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from emurules.errors import UsageError

    monkeypatch.setitem(sys.modules, "docx", None)
    monkeypatch.setitem(sys.modules, "emurules.report.decree", None)
    rules = emurules.load(LAW)
    with pytest.raises(UsageError, match=r"pip install 'emurules\[docx\]'"):
        to_docx(doc.document(rules.plan, "en"))
