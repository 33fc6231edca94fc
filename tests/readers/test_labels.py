"""Data may title columns with fields' labels and write enum values' labels in cells: a
file so written reads as the same values as one written with names."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import emurules
from emurules.data.readers import read_file
from tests.helpers import ROOT

LAW = ROOT / "examples" / "law-2022"
KINDS = ("collective", "individual")


@pytest.fixture(scope="module")
def rules() -> emurules.Rules:
    return emurules.load(LAW / "criteria.emu")


def _labelled(rules: emurules.Rules, kind: str, source: Path, target: Path) -> Path:
    """The CSV with each column titled by its field's label (NFD, padded with spaces) and
    each enum cell written as its value's label."""
    schema = rules.schema.kinds[kind]
    labels = rules.labels
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {}
    for name in rows[0]:
        label = labels.name(kind, name)
        titles[name] = f" {unicodedata.normalize('NFD', label)} " if label else name
    out = []
    for row in rows:
        cells = {}
        for name, cell in row.items():
            vtype = schema.fields[name].type
            value_label = labels.value(vtype.name, cell) if vtype.kind == "enum" else None
            cells[titles[name]] = value_label or cell
        out.append(cells)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    return target


def _values(rules: emurules.Rules, files: dict[str, Path]) -> Any:
    data = {kind: read_file(path, kind=kind).records for kind, path in files.items()}
    history = read_file(LAW / "data" / "history.csv", kind="history").records
    result = rules.evaluate(data, history=history)
    return result.to_rows()


def test_labels_read_as_names(rules: emurules.Rules, tmp_path: Path) -> None:
    named = {kind: LAW / "data" / f"{kind}.csv" for kind in KINDS}
    labelled = {
        kind: _labelled(rules, kind, path, tmp_path / path.name) for kind, path in named.items()
    }
    header = labelled["individual"].read_text(encoding="utf-8").splitlines()[0]
    assert "Mức độ" in unicodedata.normalize("NFC", header) and ",task," not in header
    assert "Hoàn thành" in labelled["individual"].read_text(encoding="utf-8")
    assert _values(rules, labelled) == _values(rules, named)


def test_a_name_and_a_label_for_one_field_are_refused(rules: emurules.Rules) -> None:
    row = {"id": "A", "Mã đơn vị": "A", "name": "x", "block": "b", "task": "good",
           "online_services": "50%", "records_digitised": "50%"}  # fmt: skip
    with pytest.raises(emurules.DataError) as raised:
        rules.evaluate({"collective": [row], "individual": []})
    assert "D0132" in [d.code for d in raised.value.diagnostics]


def test_an_unknown_label_cell_is_refused_with_the_values(rules: emurules.Rules) -> None:
    row = {"Mã đơn vị": "A", "Tên đơn vị": "x", "Khối thi đua": "b",
           "Mức độ hoàn thành nhiệm vụ": "Hoàn thành rất tốt",
           "online_services": "50%", "records_digitised": "50%"}  # fmt: skip
    with pytest.raises(emurules.DataError) as raised:
        rules.evaluate({"collective": [row], "individual": []})
    (error,) = raised.value.diagnostics
    assert error.code == "D0102" and error.place is not None and error.place.field == "task"


def test_kinds_with_the_same_titles_read_their_own_labels() -> None:
    rules = emurules.compile(
        'subject a { id: text "Mã" key\n x: int "Số" }\n'
        'subject b { id: text key\n code: text "Mã"\n y: int "Số" }\n'
    )
    rows = [{"Mã": "1", "Số": "2"}, {"Mã": "3", "Số": "4"}]
    with pytest.raises(emurules.DataError) as raised:
        rules.evaluate({"a": rows, "b": rows}, year=2025)
    # b has no `id` column: its rows lack their key, a's read as id and x
    found = {(d.code, d.place.file if d.place else None) for d in raised.value.diagnostics}
    assert found == {("D0104", "b")}
