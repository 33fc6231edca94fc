"""The ruleset header's document metadata, lowered into a typed `Metadata` on the plan,
exposed as `Rules.metadata` / `Rules.language`, and shown at the top of `emurules doc`."""

from __future__ import annotations

import datetime
import pickle

import emurules
from emurules.plan.metadata import Metadata, Signer
from emurules.report.doc import to_html, to_markdown
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022" / "criteria.emu"
HEADER = """\
ruleset "Thi đua 2025" {
  year 2025
  round 2
  authority "UBND TỈNH A"
  document "Quyết định"
  number "12/QĐ-UBND"
  place "Hà Nội"
  date 2025-12-15
  basis "Luật Thi đua, khen thưởng số 06/2022/QH15"
  basis "Nghị định 152/2025/NĐ-CP"
  signer "CHỦ TỊCH" "Nguyễn Văn A"
  language en
}
subject s { id: text key
  name: text }
"""


def test_metadata_is_lowered_typed_and_frozen() -> None:
    rules = emurules.compile(HEADER)
    assert rules.metadata == Metadata(
        authority="UBND TỈNH A",
        document="Quyết định",
        number="12/QĐ-UBND",
        place="Hà Nội",
        date=datetime.date(2025, 12, 15),
        bases=("Luật Thi đua, khen thưởng số 06/2022/QH15", "Nghị định 152/2025/NĐ-CP"),
        signer=Signer(title="CHỦ TỊCH", name="Nguyễn Văn A"),
        language="en",
    )
    assert rules.language == "en"
    assert rules.plan.settings == (("year", "2025"), ("round", "2"))
    assert pickle.loads(pickle.dumps(rules)).metadata == rules.metadata


def test_no_metadata_is_empty() -> None:
    rules = emurules.compile('ruleset "x" { year 2025 }\nsubject s { id: text key }\n')
    assert rules.metadata.empty and rules.language is None
    assert "Issued by" not in to_markdown(rules.plan)


def test_doc_shows_authority_document_and_bases_first() -> None:
    text = to_markdown(emurules.compile(HEADER).plan)
    head = text.split("## s")[0]
    assert head.splitlines()[:9] == [
        "# Thi đua 2025",
        "",
        "- Issued by: UBND TỈNH A",
        "- Document: Quyết định",
        "- Number: 12/QĐ-UBND",
        "- Place: Hà Nội",
        "- Date: 2025-12-15",
        "- Signed by: CHỦ TỊCH Nguyễn Văn A",
        "",
    ]
    assert "Legal bases:\n\n- Luật Thi đua, khen thưởng số 06/2022/QH15\n" in head
    assert "- Year assessed: 2025" in head and "language" not in head
    assert "UBND TỈNH A" in to_html(emurules.compile(HEADER).plan)


def test_law_2022_is_vietnamese_with_labels() -> None:
    rules = emurules.load(LAW)
    assert rules.language == "vi"
    assert rules.metadata.document == "Quyết định" and len(rules.metadata.bases) == 2
    labels = rules.labels
    assert labels.kind("individual") == "Cá nhân"
    assert labels.name("individual", "task") == "Mức độ hoàn thành nhiệm vụ"
    assert labels.name("collective", "members") == "Thành viên"
    assert labels.value("rating", "good") == "Hoàn thành tốt nhiệm vụ"
    assert labels.display("individual") == "name"  # a text field called name, by default
    assert labels.name("individual", "score") is None and labels.kind("nobody") is None


def test_display_names_its_field() -> None:
    text = "subject s display full {\n  id: text key\n  full: text\n  name: int\n}\n"
    assert emurules.compile(text).labels.display("s") == "full"
    bare = "subject s {\n  id: text key\n  name: int\n}\n"
    assert emurules.compile(bare).labels.display("s") is None
