"""Golden results: the exact `to_json()` of every Result an engine or example test makes.

Recorded once the division scale was fixed (18 places), before the engine was rebuilt, so
that any later engine must reproduce every result byte for byte. A test module opts in
with `pytestmark = pytest.mark.usefixtures("golden_results")` (tests/engine and
tests/examples do it in their conftest); `pytest --update-golden` records anew, and the
diff of tests/golden/results/ is then read before committing. Property tests (hypothesis)
are left out: their populations change from run to run.

Every `to_json()` any test makes is validated against the published JSON Schema,
`emurules/schema/result-1.json` (`validating_to_json`, switched on for the whole session by
tests/conftest.py). The provenance's release and time are recorded as placeholders, so that
neither a new release nor the clock changes a golden file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from emurules.result import Result
from emurules.result_json import schema_path
from emurules.rules import Rules

FOLDER = Path(__file__).parent / "results"
PLACEHOLDERS = {"emurules": "<release>", "evaluated": "<time>"}


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate_result(data: Any) -> None:
    """Fail unless `data` (a `to_json()`, or its JSON text read back) fits the schema."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(map(str, errors[0].absolute_path))
        raise AssertionError(f"to_json() breaks emurules.result/1 at /{where}: {errors[0].message}")


# The digests of the texts already found to fit the schema: a text is checked once per
# session (the same example evaluated for each engine under test makes the same text again).
_VALID: set[bytes] = set()
# The time of evaluation, left out of the digest: the rest decides whether a text was seen.
_TIME = re.compile(r'"evaluated": "[^"]*"')
# Whether `validating_to_json` checks; `unvalidated` switches it off for a while.
_CHECKING: list[bool] = [True]


@contextmanager
def validating_to_json() -> Iterator[None]:
    """`Result.to_json` checks what it returns (as JSON text read back, as a program
    receives it) against the schema, for as long as this lasts."""
    original = Result.to_json

    @functools.wraps(original)
    def to_json(self: Result, **options: Any) -> Any:
        data = original(self, **options)
        if _CHECKING[-1]:
            text = json.dumps(data, ensure_ascii=False)
            digest = hashlib.sha256(_TIME.sub("", text).encode("utf-8", "surrogatepass")).digest()
            if digest not in _VALID:
                validate_result(json.loads(text))
                _VALID.add(digest)
        return data

    Result.to_json = to_json  # type: ignore[method-assign]
    try:
        yield
    finally:
        Result.to_json = original  # type: ignore[method-assign]


@contextmanager
def unvalidated() -> Iterator[None]:
    """`to_json()` is not checked against the schema for as long as this lasts: for a test
    that holds what it makes equal, byte for byte, to a result that was checked (an engine
    compared with the row engine), where checking both would only double the time."""
    _CHECKING.append(False)
    try:
        yield
    finally:
        _CHECKING.pop()


def recorded(data: Any) -> Any:
    """A result's `to_json()` as the golden files keep it: the release and the time as
    placeholders."""
    return {**data, "provenance": {**data["provenance"], **PLACEHOLDERS}}


def _name(node: pytest.Item) -> Path:
    module = Path(str(node.path)).stem
    test = re.sub(r"[^\w.-]+", "_", node.name).strip("_")
    return FOLDER / Path(str(node.path)).parent.name / module / f"{test}.json"


def _text(results: list[Any]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.fixture
def golden_results(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> Iterator[None]:
    function = getattr(request.node, "function", None)
    if getattr(function, "is_hypothesis_test", False):
        yield
        return
    made: list[Any] = []
    evaluate = Rules.evaluate

    def recording(self: Rules, *args: Any, **kwargs: Any) -> Result:
        result = evaluate(self, *args, **kwargs)
        made.append(recorded(result.to_json()))
        return result

    monkeypatch.setattr(Rules, "evaluate", recording)
    yield
    path = _name(request.node)
    if not made:
        assert not path.exists(), f"{path} records results this test no longer makes"
        return
    text = _text(made)
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden results for this test: run pytest --update-golden ({path})"
    assert text == path.read_text(encoding="utf-8"), f"results differ from {path}"
