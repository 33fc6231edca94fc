"""`base_salary` in a request body: the caller's base salary for reward amounts."""

from __future__ import annotations

from tests.service.serving import require_serve

require_serve()

from fastapi.testclient import TestClient  # noqa: E402

from emurules.service.app import create_app  # noqa: E402
from tests.service.test_app import population, problem, rulesets  # noqa: E402


def test_a_base_salary_is_a_whole_number_of_dong_above_zero() -> None:
    with TestClient(create_app(rulesets())) as client:
        for wrong in (0, -1, "2340000đ", 1.5):
            answer = client.post("/rulesets/law/evaluate", json=population(base_salary=wrong))
            found = problem(answer, 422, "bad-body")
            assert found["diagnostics"][0]["place"]["field"] == "base_salary"
            assert "dong" in found["diagnostics"][0]["message"]
        ok = client.post("/rulesets/law/evaluate", json=population(base_salary=1390000))
        assert ok.status_code == 200, ok.text
