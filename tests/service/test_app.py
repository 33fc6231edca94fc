"""The HTTP API (emurules.service) through FastAPI's test client: every endpoint, every
kind of problem, the body limit, and the OpenAPI document."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from tests.service.serving import require_serve

require_serve()

from fastapi.testclient import TestClient  # noqa: E402

import emurules  # noqa: E402
from emurules.service.app import create_app  # noqa: E402
from emurules.service.rulesets import Loaded, load_all  # noqa: E402
from tests.service.population import CRITERIA, law_population  # noqa: E402

PROBLEM = "application/problem+json"


@cache
def rulesets() -> dict[str, Loaded]:
    return load_all([("law", str(CRITERIA))])


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(rulesets())) as found:
        yield found


@cache
def _population() -> str:
    data, history = law_population(40)
    return json.dumps({"data": data, "history": history})


def population(**more: Any) -> dict[str, Any]:
    """A fresh copy of a 40-person population's body, with `more` fields."""
    body: dict[str, Any] = json.loads(_population())
    return {**body, **more}


def problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    """The problem details of an answer, checked for what every problem has."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    found: dict[str, Any] = response.json()
    assert set(found) == {"type", "title", "status", "detail", "diagnostics"}
    assert found["status"] == status
    assert found["type"] == (f"urn:emurules:problem:{kind}" if kind else "about:blank")
    assert "Traceback" not in response.text
    return found


def conforms(client: TestClient, schema: str, answer: Any) -> None:
    """An answer is what the OpenAPI document says it is (its component `schema`)."""
    jsonschema = pytest.importorskip("jsonschema")
    document = client.get("/openapi.json").json()
    root = {"components": document["components"], "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(answer)


def test_health_and_the_rulesets(client: TestClient) -> None:
    assert client.get("/health").json() == {
        "status": "ok",
        "version": emurules.__version__,
        "rulesets": 1,
    }
    rules = emurules.load(CRITERIA)
    assert client.get("/rulesets").json() == {
        "rulesets": [
            {
                "name": "law",
                "title": rules.plan.title,
                "version": "2025.1",
                "sha256": rules.sha256,
                "year": 2025,
            }
        ]
    }


def test_evaluate_answers_the_results_json(client: TestClient) -> None:
    body = population()
    response = client.post("/rulesets/law/evaluate", json=body)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    found = response.json()
    conforms(client, "Result", found)
    expected = emurules.load(CRITERIA).evaluate(body["data"], history=body["history"])
    wanted = json.loads(json.dumps(expected.to_json()))
    found["provenance"].pop("evaluated")
    wanted["provenance"].pop("evaluated")
    assert found == wanted
    assert found["schema"] == "emurules.result/1"


def test_evaluate_with_explanations(client: TestClient) -> None:
    body = population()
    found = client.post("/rulesets/law/evaluate?explanations=true", json=body).json()
    conforms(client, "Result", found)
    first = found["subjects"][0]
    result = emurules.load(CRITERIA).evaluate(body["data"], history=body["history"])
    assert (
        first["explanation"]["text"]
        == str(result.explain(first["key"], first["kind"])).split("\n")[0]
    )
    plain = client.post("/rulesets/law/evaluate", json=body).json()
    assert "explanation" not in plain["subjects"][0]


def test_explain_one_subject_as_lines_and_as_a_tree(client: TestClient) -> None:
    body = population()
    key = body["data"]["individual"][3]["id"]
    response = client.post(f"/rulesets/law/explain/{key}", json=body)
    assert response.status_code == 200, response.text
    found = response.json()
    result = emurules.load(CRITERIA).evaluate(body["data"], history=body["history"])
    assert (found["kind"], found["key"]) == ("individual", key)
    assert found["lines"] == list(result.explain(key).lines())
    tree = found["explanation"]
    assert tree["text"] == found["lines"][0]
    assert [child["text"] for child in tree["children"]] == [
        line.strip() for line in found["lines"] if line.startswith("  ") and line[2] != " "
    ]
    conforms(client, "Explained", found)
    unit = body["data"]["collective"][0]["id"]
    answer = client.post(f"/rulesets/law/explain/{unit}?kind=collective", json=body)
    assert answer.json()["kind"] == "collective"
    problem(client.post("/rulesets/law/explain/NOBODY", json=body), 404, "unknown-name")
    missing = client.post(f"/rulesets/law/explain/{key}?kind=unit", json=body)
    assert "unit" in problem(missing, 404, "unknown-name")["detail"]


def test_what_if_answers_before_and_after(client: TestClient) -> None:
    body = population()
    person = body["data"]["individual"][3]
    changes = {"task": "incomplete", "initiatives": 0}
    response = client.post(
        "/rulesets/law/what-if", json={**body, "key": person["id"], "changes": changes}
    )
    assert response.status_code == 200, response.text
    found = response.json()
    conforms(client, "WhatIf", found)
    result = emurules.load(CRITERIA).evaluate(body["data"], history=body["history"])
    answer = result.what_if(person["id"], changes)
    wanted = json.loads(json.dumps(answer.to_json()))
    found["provenance"].pop("evaluated")
    wanted["provenance"].pop("evaluated")
    assert found == wanted
    assert found["schema"] == "emurules.what-if/1"
    assert found["changes"]["task"]["after"] == "incomplete"
    assert found["outcomes"]["advanced_worker"]["after"]["qualified"] is False
    assert "advanced_worker" in found["moved"]


def test_a_bad_change_is_a_data_problem_naming_the_field(client: TestClient) -> None:
    body = population()
    key = body["data"]["individual"][3]["id"]
    answer = client.post(
        "/rulesets/law/what-if", json={**body, "key": key, "changes": {"task": "superb"}}
    )
    (found,) = problem(answer, 422, "data")["diagnostics"]
    assert found["code"] == "D0102"
    assert found["place"] == {"file": "individual", "row": 4, "field": "task", "key": key}
    unknown = client.post(
        "/rulesets/law/what-if", json={**body, "key": key, "changes": {"tsak": "good"}}
    )
    (usage,) = problem(unknown, 400, "usage")["diagnostics"]
    assert "tsak" in usage["message"] and usage["hint"] == "did you mean 'task'?"


def test_data_errors_are_a_problem_with_every_diagnostic(client: TestClient) -> None:
    body = population()
    body["data"]["individual"][0]["task"] = "superb"
    body["data"]["individual"][2]["initiatives"] = "-1"
    found = problem(client.post("/rulesets/law/evaluate", json=body), 422, "data")
    assert [d["code"] for d in found["diagnostics"]] == ["D0102", "D0103"]
    assert [d["place"]["row"] for d in found["diagnostics"]] == [1, 3]
    assert found["diagnostics"][0]["place"]["field"] == "task"
    assert found["title"] == "The data does not fit the criteria"


def test_a_missing_year_is_a_usage_problem(client: TestClient) -> None:
    text = CRITERIA.read_text(encoding="utf-8").replace("  year 2025\n", "")
    yearless = {"law": Loaded("law", "law.emu", emurules.compile(text))}
    with TestClient(create_app(yearless)) as other:
        found = problem(other.post("/rulesets/law/evaluate", json=population()), 400, "usage")
    assert "year" in found["detail"] and found["diagnostics"][0]["code"] == "D0139"
    with TestClient(create_app(yearless)) as other:
        answer = other.post("/rulesets/law/evaluate", json=population(year=2025))
    assert answer.status_code == 200


def test_an_unknown_ruleset_is_404_with_a_suggestion(client: TestClient) -> None:
    found = problem(client.post("/rulesets/lwa/evaluate", json=population()), 404, "unknown-name")
    assert found["diagnostics"][0]["hint"] == "did you mean 'law'?"
    assert found["diagnostics"][0]["code"] == "A0102"


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        (b"{not json", 400, "bad-json"),
        (b"", 400, "bad-json"),
        (b"[1, 2]", 422, "bad-body"),
        (b'{"history": []}', 422, "bad-body"),
        (b'{"data": {"individual": [1]}, "yaer": 2025}', 422, "bad-body"),
        (b'{"data": {}, "year": "soon"}', 422, "bad-body"),
    ],
)
def test_a_body_that_is_not_the_expected_json(
    client: TestClient, body: bytes, status: int, kind: str
) -> None:
    headers = {"content-type": "application/json"}
    problem(client.post("/rulesets/law/evaluate", content=body, headers=headers), status, kind)


def test_body_problems_name_each_field(client: TestClient) -> None:
    body = b'{"data": {"individual": [1]}, "yaer": 2025}'
    answer = client.post(
        "/rulesets/law/evaluate", content=body, headers={"content-type": "application/json"}
    )
    found = problem(answer, 422, "bad-body")
    assert found["detail"] == "the request body has 2 problems"
    fields = {d["place"]["field"]: d for d in found["diagnostics"]}
    assert set(fields) == {"data.individual.0", "yaer"}
    assert fields["yaer"]["hint"] == "did you mean 'year'?"
    assert "list of records" in fields["data.individual.0"]["message"]


def test_a_body_must_say_it_is_json(client: TestClient) -> None:
    for headers in (
        {"content-type": "text/plain"},
        {"content-type": "application/x-www-form-urlencoded"},
    ):
        answer = client.post("/rulesets/law/evaluate", content=b"{}", headers=headers)
        assert "Content-Type: application/json" in problem(answer, 415, "media-type")["detail"]


def test_a_body_beyond_the_limit_is_413(client: TestClient) -> None:
    with TestClient(create_app(rulesets(), max_body=2000)) as small:
        found = problem(small.post("/rulesets/law/evaluate", json=population()), 413, "too-large")
        assert "2000 bytes" in found["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it is read
            yield b'{"data": {"individual": ['
            for _ in range(100):
                yield b'{"id": "x", "name": "a long enough name"},'
            yield b"{}]}}"

        streamed = small.post(
            "/check", content=chunks(), headers={"content-type": "application/json"}
        )
        problem(streamed, 413, "too-large")
        assert small.post("/check", json={"text": "let x for s = 1"}).status_code == 200


def test_check_answers_diagnostics(client: TestClient) -> None:
    good = client.post("/check", json={"text": CRITERIA.read_text(encoding="utf-8")}).json()
    assert good == {"valid": True, "errors": 0, "warnings": 0, "diagnostics": []}
    bad = client.post(
        "/check", json={"text": "let x for s = 1\nlet y for s = nope\n", "name": "t.emu"}
    )
    assert bad.status_code == 200
    found = bad.json()
    assert (found["valid"], found["errors"]) == (False, 2)
    assert [d["code"] for d in found["diagnostics"]] == ["E0203", "E0203"]
    assert found["diagnostics"][0]["place"] == {
        "file": "t.emu",
        "line": 1,
        "column": 11,
        "end_line": 1,
        "end_column": 12,
    }
    broken = client.post("/check", json={"text": "award {"}).json()
    assert broken["valid"] is False and broken["diagnostics"][0]["code"].startswith("E01")
    problem(client.post("/check", json={"txet": "x"}), 422, "bad-body")


def test_routing_errors_are_problems(client: TestClient) -> None:
    found = problem(client.get("/nowhere"), 404, "")
    assert found["title"] == "Not Found" and "/nowhere" in found["detail"]
    wrong = client.get("/check")
    assert problem(wrong, 405, "")["title"] == "Method Not Allowed"
    assert wrong.headers["allow"] == "POST"


def test_an_internal_error_is_logged_and_answered_without_internals(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(emurules.Rules, "evaluate", broken)
    with caplog.at_level(logging.ERROR, logger="emurules.service"):
        answer = client.post("/rulesets/law/evaluate", json=population())
    found = problem(answer, 500, "internal")
    assert "secret" not in answer.text and "RuntimeError" not in answer.text
    assert found["detail"] == "the service failed to answer this request; the error is in its log"
    assert "secret internals" in caplog.text


def test_the_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "emurules"
    paths = {(path, method) for path, item in document["paths"].items() for method in item}
    assert paths == {
        ("/health", "get"),
        ("/rulesets", "get"),
        ("/rulesets/{name}/evaluate", "post"),
        ("/rulesets/{name}/explain/{key}", "post"),
        ("/rulesets/{name}/what-if", "post"),
        ("/check", "post"),
    }
    evaluate = document["paths"]["/rulesets/{name}/evaluate"]["post"]
    assert set(evaluate["responses"]) >= {"200", "400", "404", "413", "415", "422", "500"}
    assert PROBLEM in evaluate["responses"]["422"]["content"]
    schemas = document["components"]["schemas"]
    assert {"Population", "WhatIfRequest", "CheckRequest"} <= set(schemas)
    assert client.get("/docs").status_code == 200
