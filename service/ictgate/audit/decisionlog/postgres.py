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
    ANCHOR,
    ARCHIVE_COLUMNS,
    ARCHIVES,
    COLUMNS,
    HEAD,
    LATEST,
    LATEST_COLUMNS,
    READINESS,
    TABLE,
    ChainSnapshot,
    SqlDecisionLog,
    json_text,
    stored_from_columns,
)
from ictgate.audit.decisionlog.anchoring import Anchor, AnchorKey, ArchiveMark
from ictgate.audit.decisionlog.build import utc_timestamp
from ictgate.audit.decisionlog.chain import GENESIS_HASH
from ictgate.audit.decisionlog.filters import DecisionFilter
from ictgate.audit.decisionlog.record import DecisionRecord, StoredRecord
from ictgate.audit.decisionlog.verify import ChainHead
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

# Only a text title is a title (the schema requires one); anything else reads as none.
_TITLE = (
    "CASE WHEN json_typeof(input #> '{submission,project,title}') = 'string' "
    "THEN input #>> '{submission,project,title}' END"
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
    hash text NOT NULL,
    resolves text
);
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS resolves text;
CREATE TABLE IF NOT EXISTS {HEAD} (
    id smallint PRIMARY KEY CHECK (id = 1),
    last_sequence bigint NOT NULL,
    last_hash text NOT NULL
);
CREATE TABLE IF NOT EXISTS {ANCHOR} (
    sequence bigint PRIMARY KEY,
    hash text NOT NULL,
    key_id text NOT NULL,
    mac text NOT NULL
);
CREATE TABLE IF NOT EXISTS {ARCHIVES} (
    through_sequence bigint PRIMARY KEY,
    from_sequence bigint NOT NULL,
    prev_hash text NOT NULL,
    through_hash text NOT NULL,
    digest text NOT NULL,
    archived_at text NOT NULL,
    key_id text,
    mac text
);
CREATE TABLE IF NOT EXISTS {LATEST} (
    agency_name text NOT NULL,
    province text NOT NULL,
    system_id text NOT NULL,
    fiscal_year integer NOT NULL,
    title_key text NOT NULL,
    title text,
    sequence bigint NOT NULL,
    decision_id text NOT NULL,
    recorded_at text NOT NULL,
    budget_thb text,
    outcome text NOT NULL,
    PRIMARY KEY (agency_name, province, system_id, fiscal_year, title_key)
);
CREATE TABLE IF NOT EXISTS {READINESS} (
    id smallint PRIMARY KEY CHECK (id = 1),
    checked_at text NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_province ON {TABLE} (province);
CREATE INDEX IF NOT EXISTS {TABLE}_agency ON {TABLE} (agency_name, province, system_id, fiscal_year);
CREATE INDEX IF NOT EXISTS {LATEST}_year ON {LATEST} (agency_name, province, fiscal_year);
CREATE INDEX IF NOT EXISTS {TABLE}_outcome ON {TABLE} (outcome);
CREATE INDEX IF NOT EXISTS {TABLE}_recorded_at ON {TABLE} (recorded_at);
CREATE INDEX IF NOT EXISTS {TABLE}_as_of ON {TABLE} (as_of);
CREATE INDEX IF NOT EXISTS {TABLE}_rules ON {TABLE} USING gin (rules jsonb_path_ops);
CREATE INDEX IF NOT EXISTS {TABLE}_resolves ON {TABLE} (resolves);
CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the decision log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE FUNCTION {TABLE}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Records and anchors up to the end of the last archive run may go (ictgate log archive).
    IF TG_OP = 'DELETE' AND OLD.sequence <= (SELECT COALESCE(max(through_sequence), 0) FROM {ARCHIVES}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the decision log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE FUNCTION {ANCHOR}_of_a_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {TABLE} WHERE sequence = NEW.sequence AND hash = NEW.hash) THEN
        RAISE EXCEPTION 'an anchor names a stored record and its hash'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION {ARCHIVES}_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.from_sequence <> (SELECT COALESCE(max(through_sequence), 0) FROM {ARCHIVES}) + 1
        OR NOT EXISTS (
            SELECT 1 FROM {TABLE} WHERE sequence = NEW.through_sequence AND hash = NEW.through_hash
        )
    THEN
        RAISE EXCEPTION 'an archive run starts after the last one and ends at a stored record'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
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
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_guard();
CREATE OR REPLACE TRIGGER {ANCHOR}_no_change BEFORE UPDATE OR DELETE ON {ANCHOR}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_guard();
CREATE OR REPLACE TRIGGER {ANCHOR}_no_truncate BEFORE TRUNCATE ON {ANCHOR}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {ANCHOR}_of_a_record BEFORE INSERT ON {ANCHOR}
    FOR EACH ROW EXECUTE FUNCTION {ANCHOR}_of_a_record();
CREATE OR REPLACE TRIGGER {ARCHIVES}_no_change BEFORE UPDATE OR DELETE ON {ARCHIVES}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {ARCHIVES}_no_truncate BEFORE TRUNCATE ON {ARCHIVES}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();
CREATE OR REPLACE TRIGGER {ARCHIVES}_forward BEFORE INSERT ON {ARCHIVES}
    FOR EACH ROW EXECUTE FUNCTION {ARCHIVES}_forward();
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
ON CONFLICT (id) DO NOTHING;
INSERT INTO {LATEST} ({", ".join(LATEST_COLUMNS)})
SELECT agency_name, province, system_id, fiscal_year, CASE WHEN title IS NULL THEN 'n' ELSE 't' || title END,
    title, sequence, decision_id, recorded_at, budget_thb, outcome FROM (
    SELECT *, ROW_NUMBER() OVER (
        PARTITION BY agency_name, province, system_id, fiscal_year, title ORDER BY sequence DESC) AS newest
    FROM (
        SELECT agency_name, province, COALESCE(system_id, '') AS system_id, fiscal_year, {_TITLE} AS title,
            sequence, decision_id,
            to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
            budget_thb::text AS budget_thb, outcome
        FROM {TABLE}
        WHERE kind = 'precheck' AND agency_name IS NOT NULL AND province IS NOT NULL
            AND fiscal_year IS NOT NULL
    ) AS proposals
) AS ranked WHERE newest = 1
ON CONFLICT DO NOTHING
"""
_TRIGGERS = [
    f"{TABLE}_no_change",
    f"{TABLE}_no_truncate",
    f"{TABLE}_extend_head",
    f"{HEAD}_forward",
    f"{HEAD}_kept",
    f"{HEAD}_no_truncate",
    f"{ANCHOR}_no_change",
    f"{ANCHOR}_no_truncate",
    f"{ANCHOR}_of_a_record",
    f"{ARCHIVES}_no_change",
    f"{ARCHIVES}_no_truncate",
    f"{ARCHIVES}_forward",
]
_TABLES = [TABLE, HEAD, ANCHOR, ARCHIVES, LATEST, READINESS]
# Every table there, every trigger on its table, and the guard of the current version
# (a log made before archiving refused every DELETE with the older function).
_PRESENT = f"""
SELECT (SELECT count(*) FROM unnest(%(tables)s::text[]) AS t(name) WHERE to_regclass(t.name) IS NOT NULL)
    = cardinality(%(tables)s::text[])
AND (
    SELECT count(*) FROM pg_trigger
    WHERE tgname = ANY(%(triggers)s) AND tgrelid = ANY(
        SELECT to_regclass(t.name) FROM unnest(%(tables)s::text[]) AS t(name))
) = %(count)s
AND to_regprocedure('{TABLE}_guard()') IS NOT NULL
AND to_regclass('{TABLE}_resolves') IS NOT NULL
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
    if filters.decision_ids is not None:
        conditions.append("decision_id = ANY(%s::text[])")
        params.append(list(filters.decision_ids))
    if filters.excluded_ids:
        conditions.append("NOT (decision_id = ANY(%s::text[]))")
        params.append(list(filters.excluded_ids))
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
    TITLE = _TITLE
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

    def __init__(
        self, url: str, *, mask: Mask | None = None, timeout: float = 10.0, anchor: AnchorKey | None = None
    ) -> None:
        self.url = url
        self._description = _describe(url)
        super().__init__(mask, timeout, anchor)
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
        params = {"tables": _TABLES, "triggers": _TRIGGERS, "count": len(_TRIGGERS)}
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

    def _read_chain(self) -> ChainSnapshot:
        snapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        with self._transaction("read the chain", snapshot) as connection:
            head = connection.execute(f"SELECT last_sequence, last_hash FROM {HEAD} WHERE id = 1").fetchone()
            anchors = [
                Anchor(int(sequence), str(digest), str(key_id), str(mac))
                for sequence, digest, key_id, mac in connection.execute(
                    f"SELECT sequence, hash, key_id, mac FROM {ANCHOR} ORDER BY sequence"
                ).fetchall()
            ]
            archives = [
                ArchiveMark(int(row[0]), int(row[1]), *row[2:])
                for row in connection.execute(
                    f"SELECT {', '.join(ARCHIVE_COLUMNS)} FROM {ARCHIVES} ORDER BY through_sequence"
                ).fetchall()
            ]
            # A server-side cursor: the chain streams through, however long it is.
            with connection.cursor(name="ictgate_verify") as cursor:
                cursor.itersize = 1000
                cursor.execute(f"{_SELECT} ORDER BY sequence")
                entries = [self._entry(row) for row in cursor]
        return ChainSnapshot(
            None if head is None else ChainHead(int(head[0]), head[1]), entries, anchors, archives
        )

    def check_writable(self) -> None:
        with self._transaction("take a write") as connection:
            connection.execute(
                f"INSERT INTO {READINESS} (id, checked_at) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                [utc_timestamp()],
            )

    @contextmanager
    def _archive_transaction(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        with self._transaction("archive") as connection:
            # The head's row lock: no append between the archive and the deletion.
            connection.execute(f"SELECT last_sequence FROM {HEAD} WHERE id = 1 FOR UPDATE")
            yield connection

    def _first_on_or_after(self, connection: psycopg.Connection[tuple[Any, ...]], day: dt.date) -> int | None:
        row = connection.execute(
            f"SELECT min(sequence) FROM {TABLE} WHERE recorded_at >= %s",
            [dt.datetime.combine(day, dt.time(), dt.UTC)],
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])
