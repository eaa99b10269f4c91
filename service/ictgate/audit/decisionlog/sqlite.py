"""The decision log in one SQLite file: the default, no server needed.

Durability: WAL with ``synchronous=FULL``, so the commit of each append has
reached the disk before ``append`` returns; a crash of the process (or of the
machine) after that keeps the record. Appends from threads and processes are
serialised by ``BEGIN IMMEDIATE``, which takes the write lock before the
chain head is read, so two appends can never link to the same record; the
appends a process receives at the same time share one transaction
(``group_commit``), and processes take turns at a lock file beside the log
(``lock_file``) rather than sleeping in SQLite's busy handler.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

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
    stored_from_columns,
)
from ictgate.audit.decisionlog.anchoring import Anchor, AnchorKey, ArchiveMark
from ictgate.audit.decisionlog.build import utc_timestamp
from ictgate.audit.decisionlog.chain import GENESIS_HASH
from ictgate.audit.decisionlog.filters import DecisionFilter
from ictgate.audit.decisionlog.lock_file import AppendLock
from ictgate.audit.decisionlog.record import DecisionRecord, StoredRecord
from ictgate.audit.decisionlog.verify import ChainHead
from ictgate.core.masking import Mask

__all__ = ["SQLiteDecisionLog"]

_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"
_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + name for name in COLUMNS)})"

# Only a text title is a title (the schema requires one); anything else reads as none.
_TITLE = (
    "CASE WHEN json_type(input, '$.submission.project.title') = 'text' "
    "THEN json_extract(input, '$.submission.project.title') END"
)

# STRICT tables: a budget stays the text it was written as, a year an integer.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
    decision_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    as_of TEXT NOT NULL,
    input TEXT NOT NULL,
    input_digest TEXT NOT NULL,
    verdict TEXT NOT NULL,
    outcome TEXT NOT NULL,
    route_body TEXT,
    province TEXT,
    agency_name TEXT,
    agency_kind TEXT,
    system_id TEXT,
    fiscal_year INTEGER,
    budget_thb TEXT,
    rules TEXT NOT NULL,
    policy_revision TEXT NOT NULL,
    policy_digest TEXT NOT NULL,
    engine TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    resolves TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS {HEAD} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_sequence INTEGER NOT NULL,
    last_hash TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS {ANCHOR} (
    sequence INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    key_id TEXT NOT NULL,
    mac TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS {ARCHIVES} (
    through_sequence INTEGER PRIMARY KEY,
    from_sequence INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    through_hash TEXT NOT NULL,
    digest TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    key_id TEXT,
    mac TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS {LATEST} (
    agency_name TEXT NOT NULL,
    province TEXT NOT NULL,
    system_id TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    title_key TEXT NOT NULL,
    title TEXT,
    sequence INTEGER NOT NULL,
    decision_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    budget_thb TEXT,
    outcome TEXT NOT NULL,
    PRIMARY KEY (agency_name, province, system_id, fiscal_year, title_key)
) STRICT;
CREATE TABLE IF NOT EXISTS {READINESS} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS {TABLE}_province ON {TABLE} (province);
CREATE INDEX IF NOT EXISTS {TABLE}_agency ON {TABLE} (agency_name, province, system_id, fiscal_year);
CREATE INDEX IF NOT EXISTS {LATEST}_year ON {LATEST} (agency_name, province, fiscal_year);
CREATE INDEX IF NOT EXISTS {TABLE}_outcome ON {TABLE} (outcome);
CREATE INDEX IF NOT EXISTS {TABLE}_recorded_at ON {TABLE} (recorded_at);
CREATE INDEX IF NOT EXISTS {TABLE}_as_of ON {TABLE} (as_of);
CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: a record cannot be changed'); END;
DROP TRIGGER IF EXISTS {TABLE}_no_delete;
CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
WHEN OLD.sequence > (SELECT COALESCE(max(through_sequence), 0) FROM {ARCHIVES})
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: a record cannot be removed'); END;
CREATE TRIGGER IF NOT EXISTS {TABLE}_extend_head BEFORE INSERT ON {TABLE}
WHEN NOT EXISTS (
    SELECT 1 FROM {HEAD} WHERE id = 1 AND last_sequence + 1 = NEW.sequence AND last_hash = NEW.prev_hash
)
BEGIN SELECT RAISE(ABORT, 'a record must extend the chain head'); END;
CREATE TRIGGER IF NOT EXISTS {HEAD}_start BEFORE INSERT ON {HEAD}
WHEN NEW.last_sequence <> 0 OR NEW.last_hash <> '{GENESIS_HASH}' OR EXISTS (SELECT 1 FROM {TABLE})
BEGIN SELECT RAISE(ABORT, 'the chain head starts at the genesis of an empty log'); END;
CREATE TRIGGER IF NOT EXISTS {HEAD}_forward BEFORE UPDATE ON {HEAD}
WHEN NEW.id <> OLD.id OR NEW.last_sequence <> OLD.last_sequence + 1 OR NOT EXISTS (
    SELECT 1 FROM {TABLE} WHERE sequence = NEW.last_sequence AND hash = NEW.last_hash
)
BEGIN SELECT RAISE(ABORT, 'the chain head only moves on to the record just appended'); END;
CREATE TRIGGER IF NOT EXISTS {HEAD}_kept BEFORE DELETE ON {HEAD}
BEGIN SELECT RAISE(ABORT, 'the chain head cannot be removed'); END;
CREATE TRIGGER IF NOT EXISTS {ANCHOR}_no_update BEFORE UPDATE ON {ANCHOR}
BEGIN SELECT RAISE(ABORT, 'an anchor cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS {ANCHOR}_no_delete BEFORE DELETE ON {ANCHOR}
WHEN OLD.sequence > (SELECT COALESCE(max(through_sequence), 0) FROM {ARCHIVES})
BEGIN SELECT RAISE(ABORT, 'an anchor cannot be removed'); END;
CREATE TRIGGER IF NOT EXISTS {ANCHOR}_of_a_record BEFORE INSERT ON {ANCHOR}
WHEN NOT EXISTS (SELECT 1 FROM {TABLE} WHERE sequence = NEW.sequence AND hash = NEW.hash)
BEGIN SELECT RAISE(ABORT, 'an anchor names a stored record and its hash'); END;
CREATE TRIGGER IF NOT EXISTS {ARCHIVES}_no_update BEFORE UPDATE ON {ARCHIVES}
BEGIN SELECT RAISE(ABORT, 'an archive run cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS {ARCHIVES}_no_delete BEFORE DELETE ON {ARCHIVES}
BEGIN SELECT RAISE(ABORT, 'an archive run cannot be removed'); END;
CREATE TRIGGER IF NOT EXISTS {ARCHIVES}_forward BEFORE INSERT ON {ARCHIVES}
WHEN NEW.from_sequence <> (SELECT COALESCE(max(through_sequence), 0) FROM {ARCHIVES}) + 1
OR NOT EXISTS (SELECT 1 FROM {TABLE} WHERE sequence = NEW.through_sequence AND hash = NEW.through_hash)
BEGIN SELECT RAISE(ABORT, 'an archive run starts after the last one and ends at a stored record'); END;
INSERT OR IGNORE INTO {HEAD} (id, last_sequence, last_hash)
SELECT 1, 0, '{GENESIS_HASH}' WHERE NOT EXISTS (SELECT 1 FROM {TABLE});
INSERT OR IGNORE INTO {LATEST} ({", ".join(LATEST_COLUMNS)})
SELECT agency_name, province, system_id, fiscal_year, CASE WHEN title IS NULL THEN 'n' ELSE 't' || title END,
title, sequence, decision_id, recorded_at, budget_thb, outcome FROM (
SELECT *, ROW_NUMBER() OVER (
PARTITION BY agency_name, province, system_id, fiscal_year, title ORDER BY sequence DESC) AS newest FROM (
SELECT agency_name, province, COALESCE(system_id, '') AS system_id, fiscal_year, {_TITLE} AS title,
sequence, decision_id, recorded_at, budget_thb, outcome FROM {TABLE}
WHERE kind = 'precheck' AND agency_name IS NOT NULL AND province IS NOT NULL
AND fiscal_year IS NOT NULL)) WHERE newest = 1;
"""
_TRIGGERS = {
    f"{TABLE}_no_update",
    f"{TABLE}_no_delete",
    f"{TABLE}_extend_head",
    f"{HEAD}_start",
    f"{HEAD}_forward",
    f"{HEAD}_kept",
    f"{ANCHOR}_no_update",
    f"{ANCHOR}_no_delete",
    f"{ANCHOR}_of_a_record",
    f"{ARCHIVES}_no_update",
    f"{ARCHIVES}_no_delete",
    f"{ARCHIVES}_forward",
}
_TABLES = {TABLE, HEAD, ANCHOR, ARCHIVES, LATEST, READINESS}
# Added with committee resolutions: a log made before gets the column (NULL for its records,
# which is what they hold) and the index the next time it is opened.
_RESOLVES_INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_resolves ON {TABLE} (resolves)"
_RESOLVES_COLUMN = f"ALTER TABLE {TABLE} ADD COLUMN resolves TEXT"


def _convert(values: Mapping[str, Any]) -> StoredRecord:
    return stored_from_columns(
        {
            **values,
            "input": json.loads(values["input"]),
            "verdict": json.loads(values["verdict"]),
            "rules": json.loads(values["rules"]),
        }
    )


def _where(filters: DecisionFilter | None) -> tuple[str, list[Any]]:
    if filters is None:
        return "", []
    conditions: list[str] = []
    params: list[Any] = []
    for clause in filters.clauses():
        conditions.append(f"{clause.column} {clause.op} ?")
        # Dates compare as ISO text: '2025-02-01T03:04:05.678Z' >= '2025-02-01'.
        params.append(clause.value if isinstance(clause.value, int | str) else clause.value.isoformat())
    if filters.rule is not None:
        rule = "json_extract(r.value, '$.rule') = ?"
        params.append(filters.rule)
        if filters.rule_outcome is not None:
            rule += " AND json_extract(r.value, '$.outcome') = ?"
            params.append(filters.rule_outcome)
        conditions.append(f"EXISTS (SELECT 1 FROM json_each({TABLE}.rules) AS r WHERE {rule})")
    # A list of ids as one JSON parameter: no limit on how many, one statement shape.
    if filters.decision_ids is not None:
        conditions.append("decision_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.decision_ids)))
    if filters.excluded_ids:
        conditions.append("decision_id NOT IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.excluded_ids)))
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


class SQLiteDecisionLog(SqlDecisionLog[sqlite3.Connection]):
    """The log in the SQLite file at ``path`` (its folder and the file are created on first use)."""

    MARK = "?"
    SELECT = _SELECT
    TITLE = _TITLE
    HEAD_LOCK = ""
    INSERT = _INSERT

    _convert = staticmethod(_convert)
    _where = staticmethod(_where)

    @staticmethod
    def _close_connection(connection: sqlite3.Connection) -> None:
        connection.close()

    def __init__(
        self,
        path: Path | str,
        *,
        mask: Mask | None = None,
        timeout: float = 10.0,
        anchor: AnchorKey | None = None,
    ) -> None:
        self.path = Path(path)
        super().__init__(mask, timeout, anchor)
        self._append_lock = AppendLock(Path(f"{self.path}-append-lock"), timeout, self._unavailable)
        self._open()

    @property
    def description(self) -> str:
        return f"sqlite {self.path}"

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as error:
            raise self._unavailable("open", error) from error
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._use_wal(connection)
            connection.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as error:
            connection.close()
            raise self._unavailable("open", error) from error
        return connection

    def _use_wal(self, connection: sqlite3.Connection) -> None:
        """Switches the file to WAL (once per file), waiting out other connections doing the same.

        Two connections switching a new file at once can deadlock on its lock,
        and SQLite then answers "locked" at once rather than wait its busy
        timeout; so the wait is here, bounded by the same timeout.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    @contextmanager
    def _transaction(self, begin: str, doing: str) -> Iterator[sqlite3.Connection]:
        """``begin`` … ``COMMIT`` on this thread's connection; any failure rolls back and is reported."""
        connection = self._connections.get()
        try:
            connection.execute(begin)
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                self._abandon(connection)
                raise
        except sqlite3.Error as error:
            raise self._unavailable(doing, error) from error

    def _abandon(self, connection: sqlite3.Connection) -> None:
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        except sqlite3.Error:
            self._connections.discard()

    def _ensure_schema(self) -> None:
        present = {
            name
            for (name,) in self._read(
                "read its tables",
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')",
            )
        }
        if _TABLES | _TRIGGERS | {f"{TABLE}_resolves"} <= present:
            return
        with self._transaction("BEGIN IMMEDIATE", "create its tables") as connection:
            for statement in _SCHEMA.split(";\n"):
                if statement.strip():
                    connection.execute(statement)
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})")}
            if "resolves" not in columns:
                connection.execute(_RESOLVES_COLUMN)
            connection.execute(_RESOLVES_INDEX)

    def _write_batch(self, records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        # BEGIN IMMEDIATE takes the write lock first: the head read is still the head at COMMIT.
        with self._append_lock, self._transaction("BEGIN IMMEDIATE", "append") as connection:
            return self._extend(connection, records)

    def _read(self, doing: str, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._connections.get().execute(sql, params))
        except sqlite3.Error as error:
            raise self._unavailable(doing, error) from error

    def _snapshot(self, doing: str) -> AbstractContextManager[sqlite3.Connection]:
        # A read transaction: in WAL mode a consistent snapshot that appends do not wait for.
        return self._transaction("BEGIN", doing)

    def _read_chain(self) -> ChainSnapshot:
        # One read transaction: in WAL mode a consistent snapshot that appends do not wait for.
        with self._transaction("BEGIN", "read the chain") as connection:
            head = connection.execute(f"SELECT last_sequence, last_hash FROM {HEAD} WHERE id = 1").fetchone()
            entries = [self._entry(row) for row in connection.execute(f"{_SELECT} ORDER BY sequence")]
            anchors = [
                Anchor(int(sequence), str(digest), str(key_id), str(mac))
                for sequence, digest, key_id, mac in connection.execute(
                    f"SELECT sequence, hash, key_id, mac FROM {ANCHOR} ORDER BY sequence"
                )
            ]
            archives = [
                ArchiveMark(*row)
                for row in connection.execute(
                    f"SELECT {', '.join(ARCHIVE_COLUMNS)} FROM {ARCHIVES} ORDER BY through_sequence"
                )
            ]
        return ChainSnapshot(
            None if head is None else ChainHead(head[0], head[1]), entries, anchors, archives
        )

    def check_writable(self) -> None:
        with self._transaction("BEGIN IMMEDIATE", "take a write") as connection:
            connection.execute(
                f"INSERT INTO {READINESS} (id, checked_at) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                [utc_timestamp()],
            )

    @contextmanager
    def _archive_transaction(self) -> Iterator[sqlite3.Connection]:
        with self._append_lock, self._transaction("BEGIN IMMEDIATE", "archive") as connection:
            yield connection

    def _first_on_or_after(self, connection: sqlite3.Connection, day: dt.date) -> int | None:
        row = connection.execute(
            f"SELECT min(sequence) FROM {TABLE} WHERE recorded_at >= ?", [day.isoformat()]
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def close(self) -> None:
        super().close()
        self._append_lock.close()
