"""One decision log under test, and raw access to its storage for tampering and inspection."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from ictgate.audit.decisionlog import DecisionLog, open_decision_log
from ictgate.core.settings import Settings
from psycopg.conninfo import make_conninfo

TABLE = "ictgate_decisions"


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A connection string whose tables live in a new schema of their own, dropped on exit."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield make_conninfo(base_url, options=f"-c search_path={schema}", application_name=schema)
    finally:
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@dataclass(frozen=True)
class Store:
    backend: str  # "sqlite" or "postgres"
    path: Path
    url: str | None

    def settings(self, mask: tuple[str, ...] = (), anchor: Path | None = None) -> Settings:
        return Settings(
            decision_log=self.path, DATABASE_URL=self.url, decision_log_mask=mask, anchor_key_file=anchor
        )

    def open(
        self, mask: tuple[str, ...] = (), timeout: float = 10.0, anchor: Path | None = None
    ) -> DecisionLog:
        return open_decision_log(self.settings(mask, anchor), timeout=timeout)

    def make_current(self, monkeypatch: Any) -> None:
        """Make this log the one the settings (and so the in-process CLI) open, for one test."""
        from ictgate.core.settings import get_settings

        for key, value in self.env().items():
            monkeypatch.setenv(key, value)
        if self.url is None:
            monkeypatch.delenv("DATABASE_URL", raising=False)
        get_settings.cache_clear()

    def env(self, anchor: Path | None = None) -> dict[str, str]:
        """The environment of a child process that opens this log from its own settings."""
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["ICTGATE_DECISION_LOG"] = str(self.path)
        env["ICTGATE_DECISION_LOG_MASK"] = "[]"
        if self.url is not None:
            env["DATABASE_URL"] = self.url
        if anchor is not None:
            env["ICTGATE_ANCHOR_KEY_FILE"] = str(anchor)
        return env

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Runs one statement outside the log (``?`` placeholders on both backends), committed."""
        if self.url is None:
            with closing(sqlite3.connect(self.path, isolation_level=None)) as connection:
                return connection.execute(statement, params).fetchall()
        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def drop_protection(self) -> None:
        """What a tamperer does first: drop the triggers that refuse UPDATE and DELETE."""
        if self.url is None:
            self.sql(f"DROP TRIGGER {TABLE}_no_update")
            self.sql(f"DROP TRIGGER {TABLE}_no_delete")
        else:
            self.sql(f"DROP TRIGGER {TABLE}_no_change ON {TABLE}")

    def drop_all_protection(self) -> None:
        """What a tamperer who owns the database does: every trigger of the log gone."""
        if self.url is None:
            for (name,) in self.sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
                self.sql(f"DROP TRIGGER {name}")
        else:
            for name, table in self.sql(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
                "AND left(tgrelid::regclass::text, 8) = 'ictgate_'"
            ):
                self.sql(f"DROP TRIGGER {name} ON {table}")

    def raw_text(self) -> str:
        """All the storage holds, as text: the file and its WAL, or every row as PostgreSQL prints it."""
        if self.url is None:
            files = [self.path, self.path.with_name(self.path.name + "-wal")]
            return "".join(file.read_bytes().decode("utf-8", "replace") for file in files if file.exists())
        return "\n".join(row[0] for row in self.sql(f"SELECT t::text FROM {TABLE} t"))
