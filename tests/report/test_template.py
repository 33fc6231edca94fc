"""`emurules template`: the input workbook, and that a filled copy reads back as the CSVs do."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from emurules import compile, load
from emurules.cli import main

openpyxl = pytest.importorskip("openpyxl")

LAW = Path(__file__).parents[2] / "examples" / "law-2022"
CRITERIA = str(LAW / "criteria.emu")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "data.xlsx"
    assert main(["template", CRITERIA, "-o", str(path), "--lang", "vi"]) == 0
    return path


def _lists(sheet: object) -> dict[str, list[str]]:
    found = {}
    for validation in sheet.data_validations.dataValidation:  # type: ignore[attr-defined]
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        found[column] = validation.formula1.strip('"').split(",")
    return found


def test_sheets_titles_lists_and_notes(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Hướng dẫn", "collective", "individual", "history"]
    person = book["individual"]
    titles = [cell.value for cell in person[1]]
    assert titles[:3] == ["Mã cán bộ", "Họ và tên", "Đơn vị"]
    assert person.max_row == 1 and person.freeze_panes == "A2"
    assert person.auto_filter.ref == "A1:J1"
    lists = _lists(person)
    assert lists["D"][-1] == "Hoàn thành xuất sắc nhiệm vụ"
    assert lists["E"][0] == "Không bị kỷ luật"
    assert lists["G"] == ["có", "không"] == lists["H"]
    assert "A" not in lists
    notes = {cell.value: cell.comment.text for cell in person[1]}
    assert (
        "Giá trị cho phép: từ 0 đến 12." in notes["Số tháng nghỉ"]
        and "Không bắt buộc" in notes["Số tháng nghỉ"]
    )
    assert "Không bị kỷ luật" in notes["Hình thức kỷ luật"]  # its default, by its label
    assert "collective" in notes["Đơn vị"] and "mã của một đối tượng: Tập thể" in notes["Đơn vị"]
    assert (
        "Kiểu: một trong các giá trị: Không hoàn thành nhiệm vụ,"
        in notes["Mức độ hoàn thành nhiệm vụ"]
    )
    assert "64%" in book["collective"]["E1"].comment.text
    history = book["history"]
    assert [cell.value for cell in history[1]] == ["key", "kind", "year", "award", "name", "value"]
    assert _lists(history)["B"] == ["collective", "individual"]
    assert "advanced_worker" in _lists(history)["D"]
    guide = book["Hướng dẫn"]
    grey = [c for row in guide.iter_rows() for c in row if c.value is not None and c.font.i]
    assert grey and all(cell.font.color.rgb.endswith("808080") for cell in grey)


def test_english_names_the_columns_by_label_and_the_booleans_in_english(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    assert main(["template", CRITERIA, "-o", str(path), "--lang", "en"]) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Guide"
    assert _lists(book["individual"])["G"] == ["true", "false"]
    assert "Required." in book["collective"]["B1"].comment.text


def test_without_labels_the_columns_are_the_names(tmp_path: Path) -> None:
    rules = compile("subject person {\n  id: text key\n  ok: bool\n}\n")
    from emurules.report.template import to_template

    path = tmp_path / "plain.xlsx"
    path.write_bytes(to_template(rules.schema, "en"))
    sheet = openpyxl.load_workbook(path)["person"]
    assert [cell.value for cell in sheet[1]] == ["id", "ok"]


def _rank(data: list[str], tmp_path: Path, name: str) -> object:
    out = tmp_path / name
    assert main(["rank", CRITERIA, *data, "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_filled_template_reads_as_the_csvs(template: Path, tmp_path: Path) -> None:
    rules = load(LAW / "criteria.emu")
    labels, schema = rules.labels, rules.schema
    book = openpyxl.load_workbook(template)
    for kind in ("collective", "individual", "history"):
        sheet = book[kind]
        titles = [cell.value for cell in sheet[1]]
        info = schema.kinds.get(kind)
        with (LAW / "data" / f"{kind}.csv").open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                cells = {}
                for name, value in row.items():
                    field = info.fields[name] if info else None
                    if field is not None and field.type.kind == "enum" and value:
                        value = labels.value(field.type.name or "", value) or value
                    if field is not None and field.type.kind == "bool" and value:
                        value = "có" if value == "true" else "không"
                    title = (field.label or name) if field is not None else name
                    cells[title] = value if value != "" else None
                sheet.append([cells.get(title) for title in titles])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    from_xlsx = _rank(
        [f"--data=collective={filled}", f"--data=individual={filled}", f"--history={filled}"],
        tmp_path,
        "xlsx.json",
    )
    from_csv = _rank([f"--data={LAW / 'data'}"], tmp_path, "csv.json")
    assert from_xlsx == from_csv
    # one workbook named after no kind gives every kind (and the history) it has a sheet for
    assert _rank([f"--data={filled}"], tmp_path, "one.json") == from_csv


def test_the_empty_template_reads_as_no_records(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["rank", CRITERIA, "--lang", "en", "--history", str(template)]
    code = main([*args, f"--data=collective={template}", f"--data=individual={template}"])
    said = capsys.readouterr().out
    assert code == 1
    assert said.count("the file holds no records") == 2
    assert "history" not in said


def test_the_output_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", CRITERIA]) == 2


def test_a_lineage_adds_a_predecessor_column_that_reads_back(tmp_path: Path) -> None:
    """Filled in, the history sheet's predecessor column gives a merged unit its history."""
    criteria = tmp_path / "c.emu"
    criteria.write_text(
        'ruleset "c" { year 2025 }\nsubject commune { id: text key  n: number }\n'
        'award good "G" for commune { when streak(good, before) >= 1 or n > 5 }\n'
        "lineage for commune { held any  past mean }\n",
        encoding="utf-8",
    )
    path = tmp_path / "t.xlsx"
    assert main(["template", str(criteria), "-o", str(path), "--lang", "en"]) == 0
    book = openpyxl.load_workbook(path)
    sheet = book["history"]
    assert [c.value for c in sheet[1]][-1] == "predecessor"
    sheet.append(["X", None, 2025, None, None, None, "A"])
    sheet.append(["A", None, 2024, "good"])
    book["commune"].append(["X", 1])
    book.save(path)
    out = tmp_path / "r.json"
    argv = ["rank", str(criteria), f"--data=commune={path}", f"--history={path}"]
    assert main([*argv, "--format", "json", "-o", str(out)]) == 0
    awards = json.loads(out.read_text(encoding="utf-8"))["awards"]
    assert awards[0]["recipients"] == ["X"]
