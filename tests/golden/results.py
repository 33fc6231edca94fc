"""Golden results: the exact `to_json()` of every Result an engine or example test makes.

Recorded once the division scale was fixed (18 places), before the engine was rebuilt, so
that any later engine must reproduce every result byte for byte. A test module opts in
with `pytestmark = pytest.mark.usefixtures("golden_results")` (tests/engine and
tests/examples do it in their conftest); `pytest --update-golden` records anew, and the
diff of tests/golden/results/ is then read before committing. Property tests (hypothesis)
are left out: their populations change from run to run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emurules.result import Result
from emurules.rules import Rules

FOLDER = Path(__file__).parent / "results"


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
        made.append(result.to_json())
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
