"""The service's endpoints: list the rulesets, evaluate a population, explain one subject,
ask what if its record changed, check a criteria text, and say it is alive.

`create_app` is what uvicorn starts: with the rulesets given (`emurules serve` with one
worker, and the tests), or, called with nothing as the factory of each worker process,
with the files named in the environment (`rulesets.ENVIRON`). Each worker loads the rules
once; evaluations run in FastAPI's thread pool, so the event loop goes on accepting.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Path, Query
from fastapi.responses import JSONResponse

from emurules import __version__
from emurules import check as check_text
from emurules.errors import CriteriaError, diagnostic_dict
from emurules.result import Result
from emurules.result_json import explanation_json, schema_path
from emurules.service.bodies import CheckRequest, Population, WhatIfRequest
from emurules.service.problems import MEDIA_TYPE, Guard, install, unknown_ruleset
from emurules.service.rulesets import MAX_BODY, Loaded, load_all, read_settings
from emurules.source import Diagnostic
from emurules.suggest import suggest

DESCRIPTION = """Emulation-movement criteria as an HTTP JSON API. Every error is answered as
RFC 9457 problem details (`application/problem+json`) with the problems as `diagnostics`.
POST bodies are JSON and must say so (`Content-Type: application/json`)."""

PROBLEM: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "diagnostics"],
    "properties": {
        "type": {"type": "string", "description": "urn:emurules:problem:KIND or about:blank"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "severity": {"type": "string", "enum": ["error", "warning"]},
                    "kind": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                    "hint": {"type": ["string", "null"]},
                    "notes": {"type": "array", "items": {"type": "string"}},
                    "place": {"type": ["object", "null"]},
                },
            },
        },
    },
}


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """How the OpenAPI document lists the problems an endpoint may answer."""
    words = {
        400: "Not JSON, or a wrong argument (no year, an unknown field to change)",
        404: "No such ruleset, subject or kind",
        413: "The body is larger than the service reads",
        415: "The body does not say it is JSON",
        422: "The body, the data or an evaluation has problems: see diagnostics",
        500: "Internal error (logged; the answer holds nothing more)",
    }
    return {
        status: {
            "description": words[status],
            "content": {MEDIA_TYPE: {"schema": PROBLEM}},
        }
        for status in statuses
    }


POSTED = _problems(400, 404, 413, 415, 422, 500)
COMPONENTS = "#/components/schemas/"


def _answer(schema: str, description: str) -> dict[int | str, dict[str, Any]]:
    """An endpoint's answer (200, one of the schemas `_schemas` adds), and its problems."""
    found: dict[str, Any] = {"$ref": COMPONENTS + schema}
    return {
        200: {"description": description, "content": {"application/json": {"schema": found}}},
        **POSTED,
    }


def _schemas() -> dict[str, Any]:
    """The answers' JSON Schemas, for the OpenAPI document: the result's (the package's
    emurules.result/1, its $defs made components named Result_NAME), what-if's and an
    explanation's, both made of the result's parts."""
    result = json.loads(schema_path().read_text(encoding="utf-8"))
    text = json.dumps(result).replace('"#/$defs/', f'"{COMPONENTS}Result_')
    result = json.loads(text)
    found = {f"Result_{name}": part for name, part in result.pop("$defs").items()}
    for key in ("$schema", "$id"):
        result.pop(key, None)

    def ref(name: str) -> dict[str, str]:
        return {"$ref": COMPONENTS + name}

    def obj(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": list(properties), "properties": properties}

    pair = obj({"before": ref("Result_outcome"), "after": ref("Result_outcome")})
    value = obj({"before": ref("Result_value"), "after": ref("Result_value")})
    found["Result"] = result
    found["WhatIf"] = obj(
        {
            "schema": {"const": "emurules.what-if/1"},
            "kind": {"type": "string"},
            "key": {"type": "string"},
            "provenance": ref("Result_provenance"),
            "changes": {"type": "object", "additionalProperties": value},
            "changed": {"type": "object", "additionalProperties": value},
            "before": ref("Result_subject"),
            "after": ref("Result_subject"),
            "outcomes": {"type": "object", "additionalProperties": pair},
            "moved": {"type": "array", "items": {"type": "string"}},
            "others": {
                "type": "array",
                "items": obj(
                    {
                        "award": {"type": "string"},
                        "kind": {"type": "string"},
                        "key": {"type": "string"},
                        **pair["properties"],
                    }
                ),
            },
        }
    )
    found["Explained"] = obj(
        {
            "kind": {"type": "string"},
            "key": {"type": "string"},
            "lines": {"type": "array", "items": {"type": "string"}},
            "explanation": ref("Result_explanation"),
        }
    )
    return found


def _documented(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """`app.openapi` with the answers' schemas among the components."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = made()
            document.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
            app.openapi_schema = document
        return app.openapi_schema

    return openapi


def create_app(
    rulesets: Mapping[str, Loaded] | None = None, *, max_body: int = MAX_BODY
) -> FastAPI:
    """The service for `rulesets` (by name); with none, those the environment names."""
    if rulesets is None:
        files, max_body = read_settings(os.environ)
        rulesets = load_all(files)
    loaded = dict(rulesets)
    app = FastAPI(title="emurules", version=__version__, description=DESCRIPTION)
    install(app)
    app.add_middleware(Guard, max_body=max_body)
    app.openapi = _documented(app)  # type: ignore[method-assign]

    def ruleset(name: str) -> Loaded:
        found = loaded.get(name)
        if found is None:
            raise unknown_ruleset(name, sorted(loaded), suggest(name, loaded))
        return found

    def evaluate(name: str, body: Population, explain: str = "none") -> Result:
        return ruleset(name).rules.evaluate(
            body.data,
            history=body.history,
            year=body.year,
            locale=body.locale,
            skip_invalid=body.skip_invalid,
            explain="lazy" if explain == "lazy" else "none",
            base_salary=body.base_salary,
        )

    @app.get("/health", summary="Whether the service answers")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "rulesets": len(loaded)}

    @app.get("/rulesets", summary="The rulesets loaded: name, title, version, sha256")
    def rulesets_list() -> dict[str, Any]:
        return {
            "rulesets": [
                {
                    "name": r.name,
                    "title": r.title,
                    "version": r.version,
                    "sha256": r.sha256,
                    "year": r.rules.year,
                }
                for r in loaded.values()
            ]
        }

    @app.post(
        "/rulesets/{name}/evaluate",
        summary="Evaluate a population: the result's JSON (emurules.result/1)",
        responses=_answer("Result", "The result (Result.to_json())"),
    )
    def evaluate_population(
        body: Population,
        name: str = Path(description="A loaded ruleset's name"),
        explanations: bool = Query(
            default=False, description="Give each subject its explanation, as a tree"
        ),
    ) -> JSONResponse:
        result = evaluate(name, body, explain="lazy" if explanations else "none")
        return JSONResponse(result.to_json(explanations=explanations))

    @app.post(
        "/rulesets/{name}/explain/{key}",
        summary="Evaluate a population and explain one subject",
        responses=_answer("Explained", "The explanation, as lines and as a tree"),
    )
    def explain_subject(
        body: Population,
        name: str = Path(description="A loaded ruleset's name"),
        key: str = Path(description="The subject's key"),
        kind: str | None = Query(default=None, description="Its kind, when keys are shared"),
    ) -> JSONResponse:
        result = evaluate(name, body, explain="lazy")
        found = result.subject(key, kind)
        explanation = result.explain(key, kind)
        return JSONResponse(
            {
                "kind": found.kind,
                "key": found.key,
                "lines": list(explanation.lines()),
                "explanation": explanation_json(explanation),
            }
        )

    @app.post(
        "/rulesets/{name}/what-if",
        summary="One subject's values and outcomes if its record changed",
        responses=_answer("WhatIf", "Before and after (WhatIf.to_json())"),
    )
    def what_if(
        body: WhatIfRequest, name: str = Path(description="A loaded ruleset's name")
    ) -> JSONResponse:
        result = evaluate(name, body)
        return JSONResponse(result.what_if(body.key, body.changes, body.kind).to_json())

    @app.post(
        "/check",
        summary="Check a criteria text: its diagnostics (an answer, not an error)",
        responses=_problems(400, 413, 415, 422, 500),
    )
    def check(body: CheckRequest) -> dict[str, Any]:
        try:
            found: tuple[Diagnostic, ...] = check_text(body.text, body.name).warnings
        except CriteriaError as error:
            found = error.diagnostics
        errors = sum(1 for d in found if d.is_error)
        return {
            "valid": errors == 0,
            "errors": errors,
            "warnings": len(found) - errors,
            "diagnostics": [diagnostic_dict(d) for d in found],
        }

    return app
