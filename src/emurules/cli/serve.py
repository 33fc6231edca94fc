"""`emurules serve`: the rulesets of criteria files as an HTTP JSON API (emurules.service).

The files are loaded and checked here first, so that a file with problems stops the
command with its diagnostics before anything listens. One worker serves those very rules;
several are separate processes (evaluation is CPU-bound under the GIL), each started by
uvicorn from `emurules.service.app:create_app` and loading the files the environment names.
"""

from __future__ import annotations

import argparse
import os
import re
from typing import TextIO

from emurules.cli.common import EXIT_OK, add_language, language, read_source
from emurules.errors import UsageError
from emurules.i18n import message, render
from emurules.report.safe import printable
from emurules.service.rulesets import ENVIRON, MAX_BODY, load_all, named, settings

FACTORY = "emurules.service.app:create_app"
UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3,
         "gb": 1024**3}  # fmt: skip


def size(text: str) -> int:
    """A size in bytes: `10000000`, `512K`, `10M`, `1G` (K, M, G: 1024, 1024², 1024³)."""
    found = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", text)
    unit = found.group(2).lower() if found else ""
    if found is None or unit not in UNITS:
        raise UsageError(message("service.bad-max-body", value=text))
    return int(found.group(1)) * UNITS[unit]


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    try:
        import uvicorn

        from emurules.service.app import create_app
    except ImportError:
        raise UsageError(message("service.needs-extra")) from None
    if args.workers < 1:
        raise UsageError(message("service.bad-workers"))
    if not 0 <= args.port <= 65535:
        raise UsageError(message("service.bad-port"))
    max_body = size(args.max_body)
    files = named(args.files)
    for _, path in files:
        read_source(path)  # a file that cannot be read is a usage error, said plainly
    loaded = load_all(files)
    for ruleset in loaded.values():
        line = message(
            "service.loaded",
            name=ruleset.name,
            title=ruleset.title or "-",
            version=ruleset.version or "-",
            sha256=ruleset.sha256,
        )
        out.write(printable(render(line, language(args))) + "\n")
    out.flush()
    common = {
        "host": args.host,
        "port": args.port,
        "access_log": args.access_log,
        "log_level": "info",
        "timeout_graceful_shutdown": 10,
    }
    if args.workers == 1:
        uvicorn.run(create_app(loaded, max_body=max_body), **common)
    else:
        os.environ[ENVIRON] = settings(files, max_body)
        uvicorn.run(FACTORY, factory=True, workers=args.workers, **common)
    return EXIT_OK


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="answer HTTP JSON requests: evaluate, explain, what-if, check (the serve extra)",
        description="Serve criteria files as an HTTP JSON API: GET /rulesets, POST "
        "/rulesets/NAME/evaluate, /rulesets/NAME/explain/KEY, /rulesets/NAME/what-if, "
        "/check, GET /health; the OpenAPI document is at /openapi.json and /docs. "
        "Needs `pip install 'emurules[serve]'`.",
    )
    serve.add_argument(
        "files",
        metavar="[NAME=]FILE",
        nargs="+",
        help="criteria files; each is served as NAME (default: the file's name without .emu)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument(
        "--port", type=int, default=8000, help="the port to listen on (0: any free port)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes, each with its own copy of the rules (default 1)",
    )
    serve.add_argument(
        "--max-body",
        default=f"{MAX_BODY // 1024**2}M",
        metavar="SIZE",
        help="the largest request body read, e.g. 512K, 10M (default 10M); 413 beyond",
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="log every request (default: yes)",
    )
    serve.set_defaults(run=run_serve)
    add_language(serve)
