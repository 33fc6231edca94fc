"""The SQL tests compare with the row engine on generated populations, not with golden
files: the folder's autouse golden fixture (tests/engine/conftest.py) is replaced."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from emurules.engine.sql.connect import Database


@pytest.fixture(autouse=True)
def _golden() -> None:
    """No golden results here: every value is compared with the row engine's instead."""


@pytest.fixture
def duck() -> Iterator[Database]:
    connection = duckdb.connect()
    try:
        yield Database.of(connection)
    finally:
        connection.close()


def _postgres() -> Any:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        return psycopg.connect(os.environ.get("EMURULES_POSTGRES", "dbname=postgres"))
    except Exception:
        return None


def postgres_or_skip() -> Any:
    """A PostgreSQL connection (EMURULES_POSTGRES), else the test skips, or fails under
    CI=true, where `.ci/run` starts a server."""
    connection = _postgres()
    if connection is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL server answers (psycopg and a server)")
        pytest.skip("no PostgreSQL server running (and psycopg installed) on this machine")
    return connection


@pytest.fixture
def postgres() -> Iterator[Database]:
    """A PostgreSQL database in a schema of its own, every table dropped afterwards
    (the transaction is rolled back)."""
    connection = postgres_or_skip()
    schema = f"emurules_tables_{uuid.uuid4().hex[:12]}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
            cursor.execute(f'SET LOCAL search_path TO "{schema}"')
        yield Database.of(connection)
    finally:
        connection.rollback()
        connection.close()


@pytest.fixture(params=["duckdb", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    found: Database = request.getfixturevalue("duck" if request.param == "duckdb" else "postgres")
    return found
