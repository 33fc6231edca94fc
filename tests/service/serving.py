"""The service's tests need the `serve` extra (FastAPI, uvicorn) and httpx2 (the test
client): without them they skip, with the reason, except on CI, where they must run."""

from __future__ import annotations

import importlib.util
import os

import pytest

NEEDED = ("fastapi", "uvicorn", "httpx2")


def require_serve() -> None:
    """Skip the calling test module when a package of the service is missing (fail on CI)."""
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed: pip install -e '.[dev]' (the serve extra)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the service tests: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
