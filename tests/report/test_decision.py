"""The draft decision (`emurules rank --format docx`), read back with python-docx: the
Decree 30 page (A4, margins, Times New Roman), the header, the articles, the signer's
block and the attached list, whose rows are the result's recipients."""

from __future__ import annotations

import csv
import datetime
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from emurules import Result, Rules, compile, load
from emurules.cli import main
from emurules.i18n.formatting import whole

docx = pytest.importorskip("docx")
from docx.document import Document  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from emurules.plan.metadata import Metadata  # noqa: E402
from emurules.report.decision import write_decision  # noqa: E402
from emurules.report.decree import (  # noqa: E402
    long_date,
    national_header,
    new_document,
    place_and_date,
)

LAW = Path(__file__).parents[2] / "examples" / "law-2022"
CRITERIA = str(LAW / "criteria.emu")
SMALL = """\
ruleset "t" {
  year 2025
}
subject person "Cá nhân" {
  id: text key
  name: text "Họ và tên"
  task: int
}
award good "Lao động tiên tiến" for person {
  when task >= 1
}
"""


def _read(name: str) -> list[dict[str, str]]:
    with (LAW / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def law() -> tuple[Rules, Result]:
    rules = load(CRITERIA)
    data = {"collective": _read("collective"), "individual": _read("individual")}
    return rules, rules.evaluate(data, history=_read("history"))


def _written(tmp: pytest.TempPathFactory, lang: str) -> Document:
    path = tmp.mktemp(f"decision-{lang}") / "decision.docx"
    data = str(LAW / "data")
    assert main(["rank", CRITERIA, "--data", data, "-o", str(path), "--lang", lang]) == 0
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def vi(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return _written(tmp_path_factory, "vi")


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return _written(tmp_path_factory, "en")


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _cell(document: Document, table: int, row: int, column: int) -> list[str]:
    return [p.text for p in document.tables[table].cell(row, column).paragraphs if p.text]


def test_the_page_is_a4_in_times_new_roman_with_the_decrees_margins(vi: Document) -> None:
    section = vi.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = vi.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "Times New Roman"
    sizes = {r.font.size for p in vi.paragraphs for r in p.runs if r.font.size is not None}
    assert sizes <= {Pt(12), Pt(13), Pt(14)}


def test_the_header_holds_the_authority_number_national_title_and_date(vi: Document) -> None:
    assert _cell(vi, 0, 0, 0) == ["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"]
    national = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert _cell(vi, 0, 0, 1) == national
    assert _cell(vi, 0, 1, 0) == ["Số: …/QĐ-UBND"]
    assert _cell(vi, 0, 1, 1) == ["Hà Nội, ngày 15 tháng 12 năm 2025"]
    authority = vi.tables[0].cell(0, 0).paragraphs[0].runs
    assert all(run.bold for run in authority if run.text)
    date = vi.tables[0].cell(1, 1).paragraphs[0].runs[0]
    assert date.italic
    rules = [
        p for cell in vi.tables[0].row_cells(0) for p in cell.paragraphs if "w:pBdr" in p._p.xml
    ]
    assert len(rules) == 2, "a rule under the authority and one under the motto"


def test_the_title_bases_and_articles_read_in_order(vi: Document) -> None:
    texts = _texts(vi)
    wanted = [
        "QUYẾT ĐỊNH",
        "Về việc tặng danh hiệu thi đua năm 2025",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "QUYẾT ĐỊNH:",
        "- Danh hiệu “Lao động tiên tiến”: 208 cá nhân;",
        "- Danh hiệu “Cờ thi đua”: 1 tập thể.",
        "DANH SÁCH",
        "(Kèm theo Quyết định số …/QĐ-UBND ngày 15 tháng 12 năm 2025)",
    ]
    places = [texts.index(w) for w in wanted]
    assert places == sorted(places)
    articles = [t for t in texts if t.startswith("Điều ")]
    assert [a[:7] for a in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert articles[2].endswith("chịu trách nhiệm thi hành Quyết định này./.")
    bases = [p for p in vi.paragraphs if p.text.startswith("Căn cứ")]
    assert len(bases) == 2 and all(p.runs[0].italic for p in bases)
    listed = next(p for p in vi.paragraphs if p.text == "DANH SÁCH")
    assert listed.paragraph_format.page_break_before, "the list starts a page"


def test_article_2_gives_each_titles_reward_and_the_total(
    vi: Document, law: tuple[Rules, Result]
) -> None:
    _, result = law
    texts = _texts(vi)
    assert "mức lương cơ sở 2.340.000 đồng" in next(t for t in texts if t.startswith("Điều 2."))
    line = next(t for t in texts if t.startswith("- Danh hiệu “Lao động tiên tiến”: 0,3"))
    # the 25 grassroots fighters are paid that title's reward instead (`replaces`)
    assert "mỗi cá nhân 710.000 đồng; 183 cá nhân, thành tiền 129.930.000 đồng" in line
    assert "(25 cá nhân khác nhận tiền thưởng của danh hiệu cao hơn)" in line
    total = sum((result.fund(a.name) or Decimal(0) for a in result.awards), Decimal(0))
    assert f"Tổng số tiền thưởng: {whole(int(total), 'vi')} đồng" in "\n".join(texts)


def test_the_signer_block_and_places_of_receipt(vi: Document) -> None:
    left, right = vi.tables[1].row_cells(0)
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."]
    heading = left.paragraphs[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    signer = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signer] == ["CHỦ TỊCH", "Nguyễn Văn A"]
    assert all(p.runs[0].bold for p in signer)
    assert signer[1].paragraph_format.space_before >= Mm(20), "room for the signature"


def test_each_titles_table_lists_its_recipients_in_order(
    vi: Document, law: tuple[Rules, Result]
) -> None:
    _, result = law
    awarded = [a for a in result.awards if result.recipients(a.name)]
    lists = vi.tables[2:]
    assert len(lists) == len(awarded)
    for award, table in zip(awarded, lists, strict=True):
        keys = result.recipients(award.name)
        rows = [[c.text for c in row.cells] for row in table.rows]
        head, body, total = rows[0], rows[1:-1], rows[-1]
        assert head[0] == "STT" and head[-2:] == ["Danh hiệu", "Số tiền (đồng)"]
        assert head[1] == ("Họ và tên" if award.kind == "individual" else "Tên đơn vị")
        names = result.names(award.kind)
        assert [r[0] for r in body] == [str(n) for n in range(1, len(keys) + 1)]
        shown = [r[1] for r in body]
        for key, text in zip(keys, shown, strict=True):
            assert text in (names(key), f"{names(key)} ({key})")
        lines = [(r[1], r[2]) for r in body]  # name, and unit (or block)
        assert len(set(lines)) == len(lines), "namesakes are told apart by their codes"
        assert all(r[-2] == award.label for r in body)
        amounts = [whole(int(result.amount(k, award.name) or 0), "vi") for k in keys]
        assert [r[-1] for r in body] == amounts
        fund = result.fund(award.name)
        assert fund is not None and total[-1] == whole(int(fund), "vi")
        assert total[0].startswith(f"Tổng cộng: {len(keys)} ")
        assert "w:tblHeader" in table.rows[0]._tr.xml, "the header repeats on each page"


def test_an_individuals_unit_and_a_collectives_block(
    vi: Document, law: tuple[Rules, Result]
) -> None:
    _, result = law
    workers = [[c.text for c in row.cells] for row in vi.tables[2].rows]
    assert workers[0][2] == "Chức vụ hoặc đơn vị"
    units = result.names("collective")
    assert workers[1][2] == units("DV01") == "Đơn vị 1 (Khối Nội chính)"
    flags = [[c.text for c in row.cells] for row in vi.tables[-1].rows]
    assert flags[0][2] == "Khối thi đua" and flags[1][2] == "B"


def test_the_english_document_is_the_same_in_english(en: Document, vi: Document) -> None:
    assert _cell(en, 0, 0, 1) == [
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
    ]
    assert _cell(en, 0, 1, 0) == ["No.: …/QĐ-UBND"]
    assert _cell(en, 0, 1, 1) == ["Hà Nội, 15 December 2025"]
    texts = _texts(en)
    assert {"DECISION", "DECIDES:", "LIST"} <= set(texts)
    assert [t[:10] for t in texts if t.startswith("Article ")] == [
        "Article 1.",
        "Article 2.",
        "Article 3.",
    ]
    assert "0.3 times the base salary, 710,000 dong each" in "\n".join(texts)
    assert _cell(en, 1, 0, 0)[0] == "Recipients:"
    assert len(en.tables) == len(vi.tables)
    head = [c.text for c in en.tables[2].rows[0].cells]
    assert head == ["No.", "Họ và tên", "Position or unit", "Title", "Amount (VND)"]


def test_without_rewards_or_metadata_the_draft_leaves_dots(tmp_path: Path) -> None:
    rules = compile(SMALL)
    people = [{"id": "P1", "name": "An", "task": 1}, {"id": "P2", "name": "Bình", "task": 0}]
    result = rules.evaluate({"person": people})
    path = tmp_path / "d.docx"
    write_decision(result, rules, path, "vi")
    document = docx.Document(str(path))
    assert _cell(document, 0, 1, 0) == ["Số: …"]
    assert _cell(document, 0, 1, 1) == ["…, ngày …… tháng …… năm ……"]
    texts = _texts(document)
    assert "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025" in texts
    assert not any(t.startswith("Căn cứ") for t in texts)
    article = next(t for t in texts if t.startswith("Điều 2."))
    assert "theo quy định của pháp luật về thi đua, khen thưởng" in article
    rows = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert rows[0] == ["STT", "Họ và tên", "Danh hiệu"]
    assert rows[1] == ["1", "An", "Lao động tiên tiến"]
    assert rows[-1][0] == "Tổng cộng: 1 cá nhân"


def test_nobody_awarded_writes_no_list(tmp_path: Path) -> None:
    rules = compile(SMALL)
    result = rules.evaluate({"person": [{"id": "P1", "name": "An", "task": 0}]})
    path = tmp_path / "d.docx"
    write_decision(result, rules, path, "en")
    document = docx.Document(str(path))
    assert len(document.tables) == 2
    assert "No individual or collective qualifies" in "\n".join(_texts(document))


@pytest.mark.parametrize(
    ("day", "vi", "en"),
    [
        (datetime.date(2025, 1, 5), "Huế, ngày 05 tháng 01 năm 2025", "Huế, 5 January 2025"),
        (datetime.date(2025, 3, 15), "Huế, ngày 15 tháng 3 năm 2025", "Huế, 15 March 2025"),
    ],
)
def test_dates_as_decree_30_writes_them(day: datetime.date, vi: str, en: str) -> None:
    metadata = Metadata(place="Huế", date=day)
    assert place_and_date(metadata, "vi") == vi
    assert place_and_date(metadata, "en") == en
    assert long_date(day, "vi") == vi.removeprefix("Huế, ")


def test_docx_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    data = str(LAW / "data")
    assert main(["rank", CRITERIA, "--data", data, "--format", "docx", "--lang", "en"]) == 2
    assert "-o OUT.docx" in capsys.readouterr().err


def test_docx_without_python_docx_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    out = str(tmp_path / "d.docx")
    assert main(["rank", CRITERIA, "--data", str(LAW / "data"), "-o", out, "--lang", "en"]) == 2
    assert "pip install 'emurules[docx]'" in capsys.readouterr().err
    assert not Path(out).exists()


@pytest.mark.parametrize(
    ("authority", "lines"),
    [
        ("Sở Nội vụ", ["SỞ NỘI VỤ"]),
        ("Ủy ban nhân dân thành phố Hà Nội", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]),
        ("Bộ Văn hóa, Thể thao và Du lịch", ["BỘ VĂN HÓA,", "THỂ THAO VÀ DU LỊCH"]),
    ],
)
def test_the_authority_breaks_where_its_name_does(authority: str, lines: list[str]) -> None:
    document = new_document()
    national_header(document, Metadata(authority=authority), "vi")
    assert _cell(document, 0, 0, 0) == ["\n".join(lines)]


@pytest.mark.parametrize(
    ("authority", "signer", "issuer"),
    [
        ("THỦ TƯỚNG CHÍNH PHỦ", "THỦ TƯỚNG", "THỦ TƯỚNG CHÍNH PHỦ"),
        ("ỦY BAN NHÂN DÂN TỈNH A", "CHỦ TỊCH", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH A"),
    ],
)
def test_the_issuer_names_the_signers_office_once(
    tmp_path: Path, authority: str, signer: str, issuer: str
) -> None:
    head = f'  authority "{authority}"\n  signer "{signer}" "Nguyễn Văn A"\n'
    rules = compile(SMALL.replace("  year 2025\n", "  year 2025\n" + head))
    result = rules.evaluate({"person": [{"id": "P1", "name": "An", "task": 1}]})
    path = tmp_path / "d.docx"
    write_decision(result, rules, path, "vi")
    texts = _texts(docx.Document(str(path)))
    assert issuer in texts
    assert not any("THỦ TƯỚNG THỦ TƯỚNG" in t for t in texts)


def test_namesakes_are_told_apart_and_hidden_characters_never_break_the_file(
    tmp_path: Path,
) -> None:
    rules = compile(SMALL)
    people = [
        {"id": "P1", "name": "An", "task": 1},
        {"id": "P2", "name": "An", "task": 1},
        {"id": "P3", "name": "Bình\x1b[31m", "task": 1},
    ]
    path = tmp_path / "d.docx"
    write_decision(rules.evaluate({"person": people}), rules, path, "vi")
    rows = [[c.text for c in row.cells] for row in docx.Document(str(path)).tables[2].rows]
    assert [row[1] for row in rows[1:4]] == ["An (P1)", "An (P2)", "Bình\\x1b[31m"]


def test_the_files_properties_name_emurules_not_the_library_template(vi: Document) -> None:
    core = vi.core_properties
    assert core.author == "emurules" and "python-docx" not in (core.comments or "")
    assert core.created is not None and core.created.year >= 2025
