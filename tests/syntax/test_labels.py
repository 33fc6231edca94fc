"""Labels on subject kinds, fields, relations and enum values, a kind's display field and
the ruleset's document metadata: parsed, printed and parsed back."""

from __future__ import annotations

import datetime

import pytest

import emurules
from emurules.source import Diagnostic, Source
from emurules.syntax import ast
from emurules.syntax.grammar import build_parser
from emurules.syntax.parse import parse_source

SOURCE = """\
ruleset "Thi đua 2025" {
  year 2025
  authority "UBND TỈNH A"
  document "Quyết định"
  number "…/QĐ-UBND"
  place "Hà Nội"
  date 2025-12-15
  basis "Luật Thi đua, khen thưởng số 06/2022/QH15"
  basis "Nghị định 152/2025/NĐ-CP"
  signer "CHỦ TỊCH" "Nguyễn Văn A"
  language vi
}
enum rating ordered { complete "Hoàn thành nhiệm vụ", good "Hoàn thành tốt nhiệm vụ", excellent }
subject individual "Cá nhân" display full_name {
  id: text "Mã" key
  full_name: text "Họ và tên"
  unit: text
  task: rating "Mức độ hoàn thành nhiệm vụ"
  leave: number? "Số tháng nghỉ" in 0..12 = 0
}
relation members "Thành viên": individual -> individual by unit
"""


def _diagnostics(text: str) -> list[Diagnostic]:
    return parse_source(Source("t.emu", text))[1]


def _decls() -> list[ast.Decl]:
    return list(emurules.parse(SOURCE).decls)


def test_the_grammar_stays_lalr_without_collisions() -> None:
    build_parser(strict=True)


def test_labels_parse_where_written() -> None:
    _, enum, subject, relation = _decls()
    assert isinstance(enum, ast.EnumDecl)
    assert enum.labels == ("Hoàn thành nhiệm vụ", "Hoàn thành tốt nhiệm vụ", None)
    assert isinstance(subject, ast.SubjectDecl)
    assert subject.label == "Cá nhân"
    assert subject.display is not None and subject.display.text == "full_name"
    labels = {f.name.text: f.label for f in subject.fields}
    assert labels == {
        "id": "Mã",
        "full_name": "Họ và tên",
        "unit": None,
        "task": "Mức độ hoàn thành nhiệm vụ",
        "leave": "Số tháng nghỉ",
    }
    leave = subject.fields[-1]
    assert leave.type.optional and isinstance(leave.constraint, ast.FieldRange)
    assert isinstance(relation, ast.RelationDecl) and relation.label == "Thành viên"


def test_metadata_settings_parse_with_their_types() -> None:
    ruleset = _decls()[0]
    assert isinstance(ruleset, ast.Ruleset)
    values = [(s.key, s.value) for s in ruleset.settings]
    assert values == [
        ("year", 2025),
        ("authority", "UBND TỈNH A"),
        ("document", "Quyết định"),
        ("number", "…/QĐ-UBND"),
        ("place", "Hà Nội"),
        ("date", datetime.date(2025, 12, 15)),
        ("basis", "Luật Thi đua, khen thưởng số 06/2022/QH15"),
        ("basis", "Nghị định 152/2025/NĐ-CP"),
        ("signer", ("CHỦ TỊCH", "Nguyễn Văn A")),
        ("language", "vi"),
    ]


def test_enum_without_labels_has_none() -> None:
    enum = emurules.parse("enum e { a, b }").decls[0]
    assert isinstance(enum, ast.EnumDecl) and enum.labels == ()


def test_round_trip_is_exact() -> None:
    module = emurules.parse(SOURCE)
    text = emurules.format_module(module)
    assert emurules.parse(text) == module
    assert emurules.format_module(emurules.parse(text)) == text
    assert 'subject individual "Cá nhân" display full_name {' in text
    assert '  leave: number? "Số tháng nghỉ" in 0..12 = 0' in text
    assert 'relation members "Thành viên": individual -> individual by unit' in text
    assert '  signer "CHỦ TỊCH" "Nguyễn Văn A"' in text and "  language vi" in text


def test_a_long_labelled_enum_prints_one_value_a_line() -> None:
    words = ", ".join(f'v{i} "Nhãn rất dài số {i}"' for i in range(6))
    module = emurules.parse(f"enum e ordered {{ {words} }}")
    text = emurules.format_module(module)
    assert text.splitlines()[:2] == ["enum e ordered {", '  v0 "Nhãn rất dài số 0",']
    assert emurules.parse(text) == module


def test_keywords_are_reserved_only_in_place() -> None:
    """`display`, `date`, `language`, `basis` stay usable as field names."""
    text = "subject s {\n  id: text key\n  display: text\n  date: date\n  language: text\n}\n"
    assert emurules.format_module(emurules.parse(text)) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('ruleset "x" { language fr }', "E0101"),
        ('ruleset "x" { authority "a" authority "b" }', "E0105"),
        ('ruleset "x" { date 2025-02-30 }', "E0104"),
    ],
)
def test_bad_metadata_is_a_diagnostic(text: str, code: str) -> None:
    diagnostics = _diagnostics(text)
    assert [d.code for d in diagnostics][:1] == [code]
    assert diagnostics[0].span is not None


def test_basis_may_repeat() -> None:
    diagnostics = _diagnostics('ruleset "x" { basis "a" basis "b" }')
    assert diagnostics == []
