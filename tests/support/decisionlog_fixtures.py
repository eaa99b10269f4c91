"""Fixtures of the decision log tests (imported by conftest.py).

They run against SQLite and a real PostgreSQL: the one at DATABASE_URL, or a
throwaway server started for the session from the Debian binaries.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from ictgate.audit.decisionlog import DecisionLog

from tests.support.decisionlog_store import Store, postgres_schema
from tests.support.throwaway_postgres import find_bindir
from tests.support.throwaway_postgres import start as start_postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url
        return
    bindir = find_bindir()
    if bindir is None:
        reason = (
            "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the PostgreSQL backend: {reason}")
        pytest.skip(reason)
    server = start_postgres(bindir)
    yield server.url
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty decision log on each backend (PostgreSQL: a schema of its own, dropped afterwards)."""
    if request.param == "sqlite":
        yield Store("sqlite", tmp_path / "var" / "decisions.sqlite3", None)
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield Store("postgres", tmp_path / "unused.sqlite3", url)


@pytest.fixture
def log(store: Store) -> Iterator[DecisionLog]:
    """The decision log of ``store``, open for the test and closed after it."""
    opened = store.open()
    yield opened
    opened.close()
