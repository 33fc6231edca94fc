"""One hierarchy of errors under EmurulesError, each with its diagnostics and `to_dict()`."""

from __future__ import annotations

import io
import json
import pickle
import re
from typing import Any

import pytest

import emurules
from emurules import cli
from emurules.result import Result
from tests.api.libraries import RULES
from tests.helpers import ROOT

UNIT = {"id": "U1", "block": "A", "online": 0.5}
PERSON = {"id": "P1", "unit": "U1", "task": "good"}


def test_the_hierarchy() -> None:
    assert issubclass(emurules.UsageError, emurules.EmurulesError)
    assert issubclass(emurules.UsageError, ValueError)
    assert issubclass(emurules.UsageTypeError, emurules.UsageError)
    assert issubclass(emurules.UsageTypeError, TypeError)
    assert issubclass(emurules.UnknownNameError, emurules.EmurulesError)
    assert issubclass(emurules.UnknownNameError, KeyError)
    assert not issubclass(emurules.UnknownNameError, emurules.UsageError)
    for error in (emurules.CriteriaError, emurules.DataError, emurules.EvaluationError):
        assert issubclass(error, emurules.DiagnosticError)
        assert issubclass(error, emurules.EmurulesError)
    for name in ("UsageTypeError", "UnknownNameError"):
        assert name in emurules.__all__


def _caught(call: Any) -> emurules.EmurulesError:
    with pytest.raises(emurules.EmurulesError) as raised:
        call()
    return raised.value


def _as_json(error: emurules.EmurulesError) -> dict[str, Any]:
    """`to_dict()` survives JSON unchanged: only JSON types inside."""
    found = error.to_dict()
    assert json.loads(json.dumps(found)) == found
    return dict(found)


def test_a_criteria_error_as_data_names_file_line_and_column() -> None:
    error = _caught(lambda: emurules.compile("let x for s = 1\n", "bad.emu"))
    found = _as_json(error)
    assert found["error"] == "CriteriaError"
    assert found["message"] == "the criteria have 1 error"
    (diagnostic,) = found["diagnostics"]
    assert diagnostic == {
        "code": "E0203",
        "severity": "error",
        "kind": None,
        "message": diagnostic["message"],
        "hint": diagnostic["hint"],
        "notes": [],
        "place": {"file": "bad.emu", "line": 1, "column": 11, "end_line": 1, "end_column": 12},
    }
    assert "unknown subject kind" in diagnostic["message"]
    assert error.diagnostics[0].to_dict() == diagnostic


def test_a_data_error_as_data_names_file_row_field_and_the_key() -> None:
    people = [PERSON, {**PERSON, "id": "P2", "initiatives": -1, "task": "gud"}]
    error = _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": people}))
    found = _as_json(error)
    assert (found["error"], found["message"]) == (
        "DataError",
        "the data has 2 errors; nothing was evaluated",
    )
    places = [d["place"] for d in found["diagnostics"]]
    assert places == [
        {"file": "person", "row": 2, "field": "initiatives", "key": "P2"},
        {"file": "person", "row": 2, "field": "task", "key": "P2"},
    ]
    codes = [(d["code"], d["kind"]) for d in found["diagnostics"]]
    assert codes == [("D0103", "constraint"), ("D0102", "enum")]


def test_the_key_is_named_when_known_and_only_then() -> None:
    people = [{**PERSON, "id": None}, {**PERSON, "id": "P2", "unit": "U9"}]
    history = [{"key": "P2", "year": 2031, "award": "fighter"}, {"year": 2024, "award": "x"}]
    error = _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": people}, history=history))
    keys = {
        (d.place.file, d.place.row, d.place.field): d.place.key
        for d in error.diagnostics
        if d.place is not None
    }
    assert keys == {
        ("person", 1, "id"): None,  # no key: the key is what is missing
        ("person", 2, "unit"): "P2",  # a reference to no unit
        ("history", 1, "year"): "P2",
        ("history", 2, "key"): None,
    }


def test_a_data_rule_broken_names_the_key() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\nsubject p { id: text key  n: int }\n'
        'require "n is small" for p: n < 5\n'
    )
    error = _caught(lambda: rules.evaluate({"p": [{"id": "a", "n": 1}, {"id": "b", "n": 9}]}))
    assert _as_json(error)["diagnostics"][0]["place"] == {
        "file": "p",
        "row": 2,
        "field": None,
        "key": "b",
    }


def test_a_usage_error_has_one_diagnostic_with_a_code() -> None:
    error = _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": []}, locale="fr"))
    assert isinstance(error, ValueError) and not isinstance(error, TypeError)
    assert _as_json(error) == {
        "error": "UsageError",
        "message": str(error),
        "diagnostics": [
            {
                "code": "D0139",
                "severity": "error",
                "kind": "usage",
                "message": str(error),
                "hint": None,
                "notes": [],
                "place": None,
            }
        ],
    }
    typed = _caught(lambda: emurules.compile(None))  # type: ignore[arg-type]
    assert _as_json(typed)["error"] == "UsageTypeError"
    assert [d.code for d in typed.diagnostics] == ["A0101"]
    unknown_engine = _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": []}, engine="x"))
    assert [d.code for d in unknown_engine.diagnostics] == ["A0101"]


def test_an_unknown_name_as_data() -> None:
    result = RULES.evaluate({"unit": [UNIT], "person": [PERSON]})
    error = _caught(lambda: result.recipients("figther"))
    assert isinstance(error, emurules.UnknownNameError)
    assert _as_json(error) == {
        "error": "UnknownNameError",
        "message": "no award named 'figther' (did you mean 'fighter'?)",
        "diagnostics": [
            {
                "code": "A0102",
                "severity": "error",
                "kind": "unknown_name",
                "message": "no award named 'figther'",
                "hint": "did you mean 'fighter'?",
                "notes": [],
                "place": None,
            }
        ],
    }
    assert error.args == ("no award named 'figther' (did you mean 'fighter'?)",)
    assert repr(error) == "UnknownNameError(\"no award named 'figther' (did you mean 'fighter'?)\")"


def test_an_unknown_name_is_caught_as_a_key_error() -> None:
    result = RULES.evaluate({"unit": [UNIT], "person": [PERSON]})
    try:
        result.outcome("P1", "nope")
    except KeyError as error:
        assert str(error) == "no award named 'nope' (the awards are worker, fighter, veteran, flag)"
    else:
        raise AssertionError("no KeyError")


def test_a_key_two_kinds_use_needs_the_kind() -> None:
    rules = emurules.compile(
        'ruleset "t" { year 2025 }\nsubject a { id: text key }\nsubject b { id: text key }\n'
    )
    result = rules.evaluate({"a": [{"id": "x"}], "b": [{"id": "x"}]})
    with pytest.raises(emurules.UsageError, match=r"^the key 'x' is used by a, b: pass kind="):
        result.subject("x")
    assert result.subject("x", kind="b").kind == "b"


def test_a_lookup_argument_of_the_wrong_type_is_a_type_error() -> None:
    result = RULES.evaluate({"unit": [UNIT], "person": [PERSON]})
    with pytest.raises(emurules.UsageTypeError, match=r"^key=1: a subject's key, as text"):
        result.subject(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^award=None: the name of an award"):
        result.recipients(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^kind=\('person',\)|^kind=tuple: "):
        result.explain("P1", kind=("person",))  # type: ignore[arg-type]


def test_the_cli_shows_an_unknown_name_as_its_text_not_as_a_quoted_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    criteria = tmp_path / "c.emu"
    criteria.write_text('ruleset "t" { year 2025 }\nsubject p { id: text key }\n', "utf-8")
    data = tmp_path / "p.json"
    data.write_text('[{"id": "a"}]', "utf-8")
    explain = Result.explain

    def wrong_kind(self: Result, key: str, kind: str | None = None) -> Any:
        return explain(self, key, "q")

    monkeypatch.setattr(Result, "explain", wrong_kind)
    code = cli.main(["explain", str(criteria), "--data", str(data), "a"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no subject kind named 'q'" in err
    assert '"no subject' not in err and "internal error" not in err


def test_every_code_an_api_error_uses_is_documented() -> None:
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code, kind in (("A0101", "usage"), ("A0102", "unknown_name"), ("D0139", "usage")):
        assert re.search(rf"^\| {code} \| {kind} \|", text, re.MULTILINE), code


def test_a_plain_emurules_error_has_no_diagnostics_and_says_its_message() -> None:
    error = emurules.EmurulesError("writing .xlsx reports needs the 'xlsx' extra")
    assert error.diagnostics == ()
    assert error.to_dict() == {
        "error": "EmurulesError",
        "message": "writing .xlsx reports needs the 'xlsx' extra",
        "diagnostics": [],
    }


def test_to_dict_can_be_written_as_a_json_line() -> None:
    error = _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": [{"id": "P1"}]}))
    buffer = io.StringIO()
    json.dump(error.to_dict(), buffer)
    assert json.loads(buffer.getvalue())["diagnostics"][0]["code"] == "D0104"


def test_every_error_survives_pickling_as_a_process_pool_sends_it() -> None:
    result = RULES.evaluate({"unit": [UNIT], "person": [PERSON]})
    errors = [
        _caught(lambda: emurules.compile("let x for s = 1\n", "bad.emu")),
        _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": [{"id": "P1"}]})),
        _caught(lambda: RULES.evaluate({"unit": [UNIT], "person": []}, year=0)),
        _caught(lambda: emurules.compile(None)),  # type: ignore[arg-type]
        _caught(lambda: result.recipients("figther")),
        emurules.EmurulesError("plain"),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert (str(copy), copy.args) == (str(error), error.args)
        assert copy.to_dict() == error.to_dict()
