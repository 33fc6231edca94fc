"""The rulesets a service answers for: each criteria file loaded once per worker process,
under a name (its file's stem, or the NAME of `NAME=FILE`), with what identifies it."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from emurules.errors import UsageError
from emurules.i18n import message
from emurules.rules import Rules, load

ENVIRON = "EMURULES_SERVE"
"""How `emurules serve` hands its settings to worker processes (JSON: files, max_body)."""

MAX_BODY = 10 * 1024 * 1024
"""The largest request body a service reads by default (10 MiB: some 40,000 records)."""


@attrs.frozen
class Loaded:
    """A ruleset the service answers for: its name in URLs, its file and its rules."""

    name: str
    path: str
    rules: Rules

    @property
    def title(self) -> str | None:
        return self.rules.plan.title

    @property
    def version(self) -> str | None:
        return self.rules.version

    @property
    def sha256(self) -> str:
        return self.rules.sha256


def named(specs: Sequence[str]) -> list[tuple[str, str]]:
    """(name, file) of each `FILE` or `NAME=FILE`: a file is named by its stem; two files
    of one name are a usage error, which says how to name them apart."""
    found: dict[str, str] = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or os.sep in name or "/" in name:
            name, path = Path(spec).stem, spec
        if name in found:
            raise UsageError(
                message("service.same-name", name=name, first=found[name], second=path)
            )
        found[name] = path
    return list(found.items())


def load_all(files: Sequence[tuple[str, str]]) -> dict[str, Loaded]:
    """Every (name, file) loaded and checked (CriteriaError lists a file's problems)."""
    return {name: Loaded(name, path, load(path)) for name, path in files}


def settings(files: Sequence[tuple[str, str]], max_body: int) -> str:
    """The settings of `ENVIRON`, for worker processes started by uvicorn."""
    return json.dumps({"files": [list(f) for f in files], "max_body": max_body})


def read_settings(environ: Mapping[str, str]) -> tuple[list[tuple[str, str]], int]:
    """(files, max_body) from `ENVIRON`; none set is a usage error (no ruleset to serve)."""
    text = environ.get(ENVIRON)
    if not text:
        raise UsageError(message("service.no-settings", variable=ENVIRON))
    found = json.loads(text)
    return [(str(n), str(p)) for n, p in found["files"]], int(found["max_body"])
