"""A label must name one thing, compared as data compares it (NFC, trimmed); a kind's
display field must be one of its fields."""

from __future__ import annotations

import unicodedata

import pytest

import emurules
from emurules.source import Diagnostic


def _errors(text: str) -> list[Diagnostic]:
    with pytest.raises(emurules.CriteriaError) as raised:
        emurules.check(text)
    return list(raised.value.diagnostics)


def _where(text: str, diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    assert span is not None
    return text[span.start : span.end]


def test_labels_that_name_one_thing_check() -> None:
    model = emurules.check(
        'enum r { a "A", b "B", c }\n'
        'subject s "S" display n { id: text "id" key\n n: text "Tên"\n t: r "Mức" }\n'
        'relation rel "Quan hệ": s -> s by n\n'
    )
    assert not [d for d in model.warnings if d.code.startswith("E")]


def test_two_fields_with_one_label_after_nfc_and_trimming() -> None:
    decomposed = unicodedata.normalize("NFD", " Họ tên ")
    text = f'subject s {{\n  id: text key\n  a: text "Họ tên"\n  b: text "{decomposed}"\n}}\n'
    (error,) = _errors(text)
    assert error.code == "E0220"
    assert _where(text, error).startswith("b: text")
    assert "also names the field 'a'" in str(error.message)


def test_a_field_label_that_is_another_fields_name() -> None:
    text = 'subject s {\n  id: text key\n  name: text "id"\n}\n'
    (error,) = _errors(text)
    assert (error.code, _where(text, error)) == ("E0220", 'name: text "id"')


def test_enum_values_with_one_label_or_a_label_that_is_a_value() -> None:
    text = 'enum r { a "Tốt", b "Tốt", c "a" }\nsubject s { id: text key\n t: r }\n'
    errors = _errors(text)
    assert [(e.code, _where(text, e)) for e in errors] == [("E0220", "b"), ("E0220", "c")]


def test_an_empty_label_is_an_error() -> None:
    text = 'enum r { a "  " }\nsubject s { id: text key\n t: r ""\n}\n'
    errors = _errors(text)
    assert [(e.code, _where(text, e)) for e in errors] == [("E0221", "a"), ("E0221", 't: r ""')]


def test_the_display_field_must_be_a_field() -> None:
    text = "subject s display ful_name {\n  id: text key\n  full_name: text\n}\n"
    (error,) = _errors(text)
    assert (error.code, _where(text, error)) == ("E0222", "ful_name")
    assert error.hint is not None and "full_name" in str(error.hint)
