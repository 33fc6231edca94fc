"""Every error a service answers is an RFC 9457 problem (`application/problem+json`): its
`type` (a URN that names the kind of problem), `title`, `status`, `detail`, and
`diagnostics` (what `EmurulesError.to_dict()` lists: code, message, place...), so that a
client reads what went wrong as data. No answer ever holds a traceback: an internal error
is logged, and answered as a 500 problem that says only that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, TypedDict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emurules.errors import (
    DataError,
    DiagnosticDict,
    EmurulesError,
    EvaluationError,
    UnknownNameError,
    UsageError,
    diagnostic_dict,
)
from emurules.i18n import Message as Text
from emurules.i18n import message, render
from emurules.service.bodies import body_diagnostics
from emurules.source import Diagnostic

MEDIA_TYPE = "application/problem+json"
PREFIX = "urn:emurules:problem:"
LOG = logging.getLogger("emurules.service")


class ProblemDict(TypedDict):
    type: str
    title: str
    status: int
    detail: str
    diagnostics: list[DiagnosticDict]


class Problem(Exception):
    """A problem to answer: its kind (the end of its `type`), HTTP status, title, detail
    and diagnostics."""

    def __init__(
        self,
        kind: str,
        status: int,
        title: Text,
        detail: Text | str,
        diagnostics: Sequence[DiagnosticDict] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(render(detail))
        self.kind = kind
        self.status = status
        self.title = title
        self.detail = detail
        self.diagnostics = list(diagnostics)
        self.headers = dict(headers or {})

    def to_dict(self) -> ProblemDict:
        return {
            "type": "about:blank" if not self.kind else PREFIX + self.kind,
            "title": render(self.title) if self.kind else HTTPStatus(self.status).phrase,
            "status": self.status,
            "detail": render(self.detail),
            "diagnostics": self.diagnostics,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(
            self.to_dict(), status_code=self.status, media_type=MEDIA_TYPE, headers=self.headers
        )


def from_error(error: EmurulesError) -> Problem:
    """The problem of an error the library raised on purpose (its diagnostics as data)."""
    diagnostics = error.to_dict()["diagnostics"]
    detail = error.text()
    if isinstance(error, UnknownNameError):
        return Problem(
            "unknown-name", 404, message("service.title-unknown-name"), detail, diagnostics
        )
    if isinstance(error, DataError):
        return Problem("data", 422, message("service.title-data"), detail, diagnostics)
    if isinstance(error, EvaluationError):
        return Problem("evaluation", 422, message("service.title-evaluation"), detail, diagnostics)
    if isinstance(error, UsageError):
        return Problem("usage", 400, message("service.title-usage"), detail, diagnostics)
    return Problem("criteria", 422, message("service.title-criteria"), detail, diagnostics)


def unknown_ruleset(name: str, names: Sequence[str], hint: Text | None) -> Problem:
    text = message("service.unknown-ruleset", name=name, names=tuple(names) or "-")
    found = Diagnostic(code="A0102", kind="unknown_name", message=text, hint=hint)
    return Problem(
        "unknown-name", 404, message("service.title-unknown-name"), text, [diagnostic_dict(found)]
    )


def too_large(limit: int) -> Problem:
    text = message("service.too-large", limit=str(limit))
    return Problem("too-large", 413, message("service.title-too-large"), text)


class TooLarge(HTTPException):
    """A body found longer than the limit while it is read: an HTTP error, which FastAPI
    lets through as it reads the body (any other error it would take for bad JSON)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


def not_json(content_type: str) -> Problem:
    text = message("service.not-json", given=content_type or "-")
    return Problem("media-type", 415, message("service.title-media-type"), text)


def internal() -> Problem:
    return Problem("internal", 500, message("service.title-internal"), message("service.internal"))


def install(app: FastAPI) -> None:
    """Answer every error as a problem: the library's, the body's, the routing's."""

    async def problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Problem)
        return error.response()

    async def library(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, EmurulesError)
        return from_error(error).response()

    async def body(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = error.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            reason = next(str(e.get("ctx", {}).get("error", "")) for e in errors)
            text = message("service.bad-json", reason=reason)
            return Problem("bad-json", 400, message("service.title-bad-json"), text).response()
        if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
            text = message("service.empty-body")
            return Problem("bad-json", 400, message("service.title-bad-json"), text).response()
        found = body_diagnostics(errors)
        text = message("service.bad-body", count=len(found))
        title = message("service.title-bad-body")
        return Problem("bad-body", 422, title, text, found).response()

    async def http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        if isinstance(error, TooLarge):
            return too_large(error.limit).response()
        if error.status_code == 404:
            text = message("service.no-route", method=request.method, path=request.url.path)
        elif error.status_code == 405:
            text = message("service.wrong-method", method=request.method, path=request.url.path)
        else:
            text = message("service.http-error", status=str(error.status_code))
        return Problem("", error.status_code, text, text, headers=error.headers).response()

    app.add_exception_handler(Problem, problem)
    app.add_exception_handler(EmurulesError, library)
    app.add_exception_handler(RequestValidationError, body)
    app.add_exception_handler(HTTPException, http)


class Guard:
    """ASGI middleware: a POST body must say it is JSON (`Content-Type: application/json`:
    a browser's form cannot, so no page can post to a service on this machine) and be at
    most `max_body` bytes (413 beyond, before the body is read when its length is
    given); an exception nothing handled is logged and answered as a 500 problem."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["method"] == "POST":
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if kind != "application/json" and not kind.endswith("+json"):
                await _answer(not_json(kind), scope, receive, send)
                return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _answer(too_large(self.max_body), scope, receive, send)
            return
        started = False
        read = 0

        async def counted() -> Message:
            nonlocal read
            found = await receive()
            if found["type"] == "http.request":
                read += len(found.get("body", b""))
                if read > self.max_body:
                    raise TooLarge(self.max_body)
            return found

        async def sending(found: Message) -> None:
            nonlocal started
            if found["type"] == "http.response.start":
                started = True
            await send(found)

        try:
            await self.app(scope, counted, sending)
        except TooLarge as error:  # a body longer than it said, when read outside FastAPI
            if started:
                raise
            await _answer(too_large(error.limit), scope, receive, send)
        except Exception:
            LOG.exception("internal error answering %s %s", scope["method"], scope["path"])
            if not started:
                await _answer(internal(), scope, receive, send)


async def _answer(problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
    response: Any = problem.response()
    await response(scope, receive, send)
