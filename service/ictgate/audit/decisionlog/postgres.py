"""The decision log in PostgreSQL, used when ``DATABASE_URL`` is set (psycopg 3, PostgreSQL 14 or later).

Appends take the chain head row ``FOR UPDATE`` before reading it, so
appends from any number of threads, processes and machines line up one
after the other, and commit with ``synchronous_commit = on``: when
``append`` returns, the record is in the server's write-ahead log on disk.
Typed columns (``timestamptz``, ``date``, ``numeric``, ``json``) keep the log
readable with plain SQL; ``input`` and ``verdict`` are ``json``, not ``jsonb``,
so they keep their key order and read back as they were given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from ictgate.audit.decisionlog._common import (
    COLUMNS,
    HEAD,
    TABLE,
    SqlDecisionLog,
    json_text,
    stored_from_columns,
)
from ictgate.audit.decisionlog.build import utc_timestamp
from ictgate.audit.decisionlog.chain import GENESIS_HASH
from ictgate.audit.decisionlog.filters import DecisionFilter
from ictgate.audit.decisionlog.record import DecisionRecord, StoredRecord
from ictgate.audit.decisionlog.verify import ChainHead, VerifyReport, verify_chain
from ictgate.core.masking import Mask

__all__ = ["PostgresDecisionLog"]

_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"
_CASTS = {
    "recorded_at": "timestamptz",
    "as_of": "date",
    "input": "json",
    "verdict": "json",
    "budget_thb": "numeric",
    "rules": "jsonb",
}
_INSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ("
    + ", ".join(f"%({name})s" + (f"::{_CASTS[name]}" if name in _CASTS else "") for name in COLUMNS)
    + ")"
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    sequence bigint PRIMARY KEY CHECK (sequence > 0),
    decision_id text NOT NULL UNIQUE,
    recorded_at timestamptz NOT NULL,
    kind text NOT NULL,
    as_of date NOT NULL,
    input json NOT NULL,
    input_digest text NOT NULL,
    verdict json NOT NULL,
    outcome text NOT NULL,
    route_body text,
    province text,
    agency_name text,
    agency_kind text,
    system_id text,
    fiscal_year integer,
    budget_thb numeric,
    rules jsonb NOT NULL,
    policy_revision text NOT NULL,
    policy_digest text NOT NULL,
    engine text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE TABLE IF NOT EXISTS {HEAD} (
    id smallint PRIMARY KEY CHECK (id = 1),
    last_sequence bigint NOT NULL,
    last_hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_province ON {TABLE} (province);
CREATE INDEX IF NOT EXISTS {TABLE}_agency ON {TABLE} (agency_name, province, system_id, fiscal_year);
CREATE INDEX IF NOT EXISTS {TABLE}_outcome ON {TABLE} (outcome);
CREATE INDEX IF NOT EXISTS {TABLE}_recorded_at ON {TABLE} (recorded_at);
CREATE INDEX IF NOT EXISTS {TABLE}_as_of ON {TABLE} (as_of);
CREATE INDEX IF NOT EXISTS {TABLE}_rules ON {TABLE} USING gin (rules jsonb_path_ops);
CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the decision log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE FUNCTION {TABLE}_extend_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM {HEAD} WHERE id = 1 AND last_sequence + 1 = NEW.sequence AND last_hash = NEW.prev_hash
    ) THEN
        RAISE EXCEPTION 'a record must extend the chain head'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION {HEAD}_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.last_sequence <> 0 OR NEW.last_hash <> '{GENESIS_HASH}' OR EXISTS (SELECT 1 FROM {TABLE}) THEN
            RAISE EXCEPTION 'the chain head starts at the genesis of an empty log'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF NEW.id <> OLD.id OR NEW.last_sequence <> OLD.last_sequence + 1 OR NOT EXISTS (
        SELECT 1 FROM {TABLE} WHERE sequence = NEW.last_sequence AND hash = NEW.last_hash
    ) THEN
        RAISE EXCEPTION 'the chain head only moves on to the record just appended'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {TABLE}_extend_head BEFORE INSERT ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_extend_head();
CREATE OR REPLACE TRIGGER {HEAD}_forward BEFORE INSERT OR UPDATE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION {HEAD}_forward();
CREATE OR REPLACE TRIGGER {HEAD}_kept BEFORE DELETE ON {HEAD}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {HEAD}_no_truncate BEFORE TRUNCATE ON {HEAD}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();
INSERT INTO {HEAD} (id, last_sequence, last_hash)
SELECT 1, 0, '{GENESIS_HASH}' WHERE NOT EXISTS (SELECT 1 FROM {TABLE})
ON CONFLICT (id) DO NOTHING
"""
_TRIGGERS = [
    f"{TABLE}_no_change",
    f"{TABLE}_no_truncate",
    f"{TABLE}_extend_head",
    f"{HEAD}_forward",
    f"{HEAD}_kept",
    f"{HEAD}_no_truncate",
]
_PRESENT = """
SELECT to_regclass(%(table)s) IS NOT NULL AND to_regclass(%(head)s) IS NOT NULL AND (
    SELECT count(*) FROM pg_trigger
    WHERE tgname = ANY(%(triggers)s) AND tgrelid IN (to_regclass(%(table)s), to_regclass(%(head)s))
) = %(count)s
"""


def _convert(values: Mapping[str, Any]) -> StoredRecord:
    return stored_from_columns(
        {**values, "recorded_at": utc_timestamp(values["recorded_at"]), "as_of": values["as_of"].isoformat()}
    )


def _where(filters: DecisionFilter | None) -> tuple[str, list[Any]]:
    if filters is None:
        return "", []
    conditions: list[str] = []
    params: list[Any] = []
    for clause in filters.clauses():
        conditions.append(f"{clause.column} {clause.op} %s")
        value = clause.value
        if clause.column == "recorded_at":
            value = dt.datetime.combine(value, dt.time(), dt.UTC)
        params.append(value)
    if filters.rule is not None:
        wanted = {"rule": filters.rule}
        if filters.rule_outcome is not None:
            wanted["outcome"] = filters.rule_outcome
        conditions.append("rules @> %s::jsonb")
        params.append(json_text([wanted]))
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def _describe(url: str) -> str:
    """Host and database of a connection string, never its password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql (unparsable DATABASE_URL)"
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql {host}{port}/{parts.get('dbname') or parts.get('user') or ''}"


class PostgresDecisionLog(SqlDecisionLog[psycopg.Connection[tuple[Any, ...]]]):
    """The log in the PostgreSQL database at ``url`` (a libpq URL or ``key=value`` string)."""

    MARK = "%s"
    SELECT = _SELECT
    # Only a text title is a title (the schema requires one); anything else reads as none.
    TITLE = (
        "CASE WHEN json_typeof(input #> '{submission,project,title}') = 'string' "
        "THEN input #>> '{submission,project,title}' END"
    )
    HEAD_LOCK = " FOR UPDATE"
    INSERT = _INSERT

    @staticmethod
    def _timestamp(value: Any) -> str:
        return utc_timestamp(value)

    _convert = staticmethod(_convert)
    _where = staticmethod(_where)

    @staticmethod
    def _close_connection(connection: psycopg.Connection[tuple[Any, ...]]) -> None:
        connection.close()

    def __init__(self, url: str, *, mask: Mask | None = None, timeout: float = 10.0) -> None:
        self.url = url
        self._description = _describe(url)
        super().__init__(mask, timeout)
        self._open()

    @property
    def description(self) -> str:
        return self._description

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        extra: dict[str, Any] = {}
        try:
            if "connect_timeout" not in conninfo_to_dict(self.url):
                extra["connect_timeout"] = max(1, round(self.timeout))
            connection = psycopg.connect(self.url, autocommit=True, **extra)
        except psycopg.Error as error:
            raise self._unavailable("connect", error) from error
        try:
            # Per session, whatever the server's defaults: durable commits, UTC, bounded lock waits.
            connection.execute("SELECT set_config('synchronous_commit', 'on', false)")
            connection.execute("SELECT set_config('TimeZone', 'UTC', false)")
            connection.execute(
                "SELECT set_config('lock_timeout', %s, false)", [f"{int(self.timeout * 1000)}ms"]
            )
        except psycopg.Error as error:
            connection.close()
            raise self._unavailable("connect", error) from error
        return connection

    @contextmanager
    def _transaction(self, doing: str, begin: str = "") -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        connection = self._connections.get()
        try:
            with connection.transaction():
                if begin:
                    connection.execute(begin)
                yield connection
        except psycopg.Error as error:
            if connection.broken or connection.closed:
                self._connections.discard()
            raise self._unavailable(doing, error) from error

    def _read(self, doing: str, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self._transaction(doing) as connection:
            return connection.execute(sql, params).fetchall()

    def _ensure_schema(self) -> None:
        params = {"table": TABLE, "head": HEAD, "triggers": _TRIGGERS, "count": len(_TRIGGERS)}
        rows = self._read("read its tables", _PRESENT, params)
        if rows and rows[0][0]:
            return
        with self._transaction("create its tables") as connection:
            # Two processes starting at once must not both run the DDL.
            connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [TABLE])
            connection.execute(_SCHEMA)

    def _write_batch(self, records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        # The head's row lock lines appends up: the head read is still the head at COMMIT.
        with self._transaction("append") as connection:
            return self._extend(connection, records)

    def _snapshot(self, doing: str) -> AbstractContextManager[psycopg.Connection[tuple[Any, ...]]]:
        return self._transaction(doing, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def verify(self) -> VerifyReport:
        snapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        with self._transaction("read the chain", snapshot) as connection:
            head = connection.execute(f"SELECT last_sequence, last_hash FROM {HEAD} WHERE id = 1").fetchone()
            # A server-side cursor: the chain streams through, however long it is.
            with connection.cursor(name="ictgate_verify") as cursor:
                cursor.itersize = 1000
                cursor.execute(f"{_SELECT} ORDER BY sequence")
                entries = [self._entry(row) for row in cursor]
        return verify_chain(entries, None if head is None else ChainHead(int(head[0]), head[1]))
