"""JSON and JSON Lines: what Python's json module accepts beyond JSON is refused, by name."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from emurules.data.readers import read_file
from tests.readers.helpers import HOSTILE, codes, refusal


def test_a_5000_digit_integer_is_named() -> None:
    error = refusal(HOSTILE / "big_integer.json")
    assert codes(error) == [("D0118", str(HOSTILE / "big_integer.json"), 1, "initiatives")]
    assert "a number with 5,000 digits; at most 4,300 digits are read" in str(error)


def test_a_4300_digit_integer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[{"n": ' + "7" * 4300 + "}]", "utf-8")
    assert read_file(path).records[0]["n"] == int("7" * 4300)


def test_deep_nesting_is_named(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    assert "the JSON is nested too deeply to read" in str(refusal(path))
    lines = tmp_path / "deep.jsonl"
    lines.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "utf-8")
    assert codes(refusal(lines)) == [("D0118", str(lines), 1, None)]


def test_nan_and_infinity_are_named() -> None:
    error = refusal(HOSTILE / "nan.json")
    name = str(HOSTILE / "nan.json")
    assert codes(error) == [("D0111", name, 1, "score"), ("D0111", name, 2, "score")]
    assert "row 1:score: error[D0111] format: NaN is not a finite number" in str(error)
    assert "row 2:score: error[D0111] format: -Infinity is not a finite number" in str(error)
    assert "1e400 is not a finite number" in str(refusal(HOSTILE / "huge_float.json"))


def test_repeated_keys_are_refused() -> None:
    error = refusal(HOSTILE / "duplicate_key.json")
    assert codes(error) == [("D0113", str(HOSTILE / "duplicate_key.json"), 1, "task")]
    assert "the key 'task' appears more than once in one object" in str(error)
    lines = refusal(HOSTILE / "duplicate_key.jsonl")
    assert codes(lines) == [("D0113", str(HOSTILE / "duplicate_key.jsonl"), 2, "task")]


def test_keys_equal_after_nfc_are_repeated(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    nfd = unicodedata.normalize("NFD", "đơn_vị")
    path.write_text(f'[{{"đơn_vị": "a", "{nfd}": "b"}}]', "utf-8")
    assert codes(refusal(path)) == [("D0113", str(path), 1, "đơn_vị")]


def test_keys_and_text_are_nfc() -> None:
    records = read_file(HOSTILE / "nfd_keys.json").records
    assert records == [{"đơn_vị": "Phòng Tư pháp", "id": "P1"}]
    assert all(unicodedata.is_normalized("NFC", k + v) for k, v in records[0].items())


def test_nested_text_is_nfc(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    nfd = unicodedata.normalize("NFD", "Tư pháp")
    path.write_text(f'{{"id": "P1", "tags": ["{nfd}", {{"{nfd}": "{nfd}"}}]}}\n', "utf-8")
    assert read_file(path).records == [{"id": "P1", "tags": ["Tư pháp", {"Tư pháp": "Tư pháp"}]}]


def test_jsonl_lines_split_on_newlines_only(tmp_path: Path) -> None:
    """U+2028 is valid inside a JSON string; it does not end a JSON Lines record."""
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "P1", "note": "a\u2028b"}\r{"id": "P2"}\r\n\n{"id": "P3"}', "utf-8")
    assert [r["id"] for r in read_file(path).records] == ["P1", "P2", "P3"]


def test_every_broken_line_at_once(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": 1}\n{oops}\n[1]\n{"n": NaN}\n', "utf-8")
    assert [(c, row) for c, _, row, _ in codes(refusal(path))] == [
        ("D0111", 2),
        ("D0111", 3),
        ("D0111", 4),
    ]


def test_json_numbers_are_read_exactly(tmp_path: Path) -> None:
    from decimal import Decimal

    from emurules.data.readers import read_file

    path = tmp_path / "s.json"
    path.write_text('[{"x": 0.123456789012345678}, {"x": 0.123456789012345677}]')
    records = read_file(path).records
    assert [r["x"] for r in records] == [
        Decimal("0.123456789012345678"),
        Decimal("0.123456789012345677"),
    ]
