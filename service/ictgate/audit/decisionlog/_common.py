"""What the SQLite and PostgreSQL backends share: columns, rows to records, one connection per thread."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Generic, Self, TypeVar

from ictgate.audit.decisionlog.base import DuplicateDecision
from ictgate.audit.decisionlog.build import build_record
from ictgate.audit.decisionlog.chain import seal
from ictgate.audit.decisionlog.filters import DecisionFilter, Page, check_paging
from ictgate.audit.decisionlog.group_commit import GroupCommit
from ictgate.audit.decisionlog.record import DecisionRecord, ProposalSeen, RuleOutcome, StoredRecord
from ictgate.audit.decisionlog.verify import ChainEntry
from ictgate.core.errors import DecisionLogUnavailable
from ictgate.core.masking import Mask

__all__ = [
    "BATCH",
    "COLUMNS",
    "ChainWrites",
    "HEAD",
    "TABLE",
    "RecordReads",
    "ThreadConnections",
    "batches",
    "entry_from_row",
    "history_filter",
    "json_text",
    "masked",
    "record_columns",
    "stored_from_columns",
]

TABLE = "ictgate_decisions"
HEAD = "ictgate_decisions_head"
BATCH = 256

COLUMNS = (
    "sequence",
    "decision_id",
    "recorded_at",
    "kind",
    "as_of",
    "input",
    "input_digest",
    "verdict",
    "outcome",
    "route_body",
    "province",
    "agency_name",
    "agency_kind",
    "system_id",
    "fiscal_year",
    "budget_thb",
    "rules",
    "policy_revision",
    "policy_digest",
    "engine",
    "prev_hash",
    "hash",
)


def json_text(value: Any) -> str:
    """JSON as stored: keys in the caller's order (a verdict reads top-down), Thai as Thai."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def record_columns(record: StoredRecord) -> dict[str, Any]:
    """The values of ``COLUMNS`` for one record: JSON as text, the budget as exact decimal text."""
    return {
        **{name: getattr(record, name) for name in COLUMNS},
        "budget_thb": None if record.budget_thb is None else format(record.budget_thb, "f"),
        "input": json_text(record.input),
        "verdict": json_text(record.verdict),
        "rules": json_text([{"rule": item.rule, "outcome": item.outcome} for item in record.rules]),
    }


def stored_from_columns(values: Mapping[str, Any]) -> StoredRecord:
    """A record from column values already in Python form (JSON parsed, dates as text)."""
    budget = values["budget_thb"]
    return StoredRecord(
        **{name: values[name] for name in COLUMNS if name not in ("budget_thb", "rules")},
        budget_thb=None if budget is None else Decimal(budget),
        rules=tuple(RuleOutcome(str(item["rule"]), str(item["outcome"])) for item in values["rules"]),
    )


def entry_from_row(
    values: Mapping[str, Any], convert: Callable[[Mapping[str, Any]], StoredRecord]
) -> ChainEntry:
    """The chain entry of one row; a row that no longer even reads as a record counts as changed."""
    try:
        return ChainEntry.of(convert(values))
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError):
        return ChainEntry(
            int(values["sequence"]),
            str(values["decision_id"]),
            str(values["prev_hash"]),
            str(values["hash"]),
            False,
        )


def masked(record: DecisionRecord, mask: Mask) -> DecisionRecord:
    """``record`` with the configured mask applied, its digest and columns derived again."""
    if not mask:
        return record
    _, removed = mask.apply(record.input)
    if not removed:
        return record
    return build_record(record.kind, record.input, record.verdict, mask=mask, recorded_at=record.recorded_at)


def history_filter(agency_name: str, province: str, system_id: str, fiscal_year: int) -> DecisionFilter:
    return DecisionFilter(
        kind="precheck",
        agency_name=agency_name,
        province=province,
        system_id=system_id,
        fiscal_year=fiscal_year,
    )


Connection = TypeVar("Connection")


@dataclass(frozen=True, eq=False)
class _Held(Generic[Connection]):
    pid: int
    thread: threading.Thread
    connection: Connection


class ThreadConnections(Generic[Connection]):
    """One connection per thread and process, opened on first use and all closed by ``close``.

    A connection is never shared between threads (each append is one
    transaction on one connection) nor used across ``fork``: a child process
    opens its own, and leaves its parent's alone. The connections of threads
    that have ended are closed when the next one is opened, so a server whose
    worker threads come and go does not gather open files or sessions.
    """

    def __init__(self, connect: Callable[[], Connection], close: Callable[[Connection], None]) -> None:
        self._connect = connect
        self._close = close
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[_Held[Connection]] = []
        self._closed = False

    def get(self) -> Connection:
        if self._closed:
            raise DecisionLogUnavailable("the decision log is closed")
        held: _Held[Connection] | None = getattr(self._local, "held", None)
        if held is not None and held.pid == os.getpid():
            return held.connection
        connection = self._connect()
        held = _Held(os.getpid(), threading.current_thread(), connection)
        with self._lock:
            ended = [item for item in self._open if item.pid == held.pid and not item.thread.is_alive()]
            self._open = [item for item in self._open if item not in ended]
            self._open.append(held)
        self._local.held = held
        for item in ended:
            self._quietly_close(item.connection)
        return connection

    def discard(self) -> None:
        """Close this thread's connection (after it broke); the next ``get`` opens a new one."""
        held: _Held[Connection] | None = getattr(self._local, "held", None)
        self._local.held = None
        if held is None or held.pid != os.getpid():
            return
        with self._lock:
            if held in self._open:
                self._open.remove(held)
        self._quietly_close(held.connection)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            held, self._open = self._open, []
        for item in held:
            if item.pid == os.getpid():
                self._close(item.connection)

    def _quietly_close(self, connection: Connection) -> None:
        try:
            self._close(connection)
        except Exception:  # noqa: S110 - broken or abandoned: closing is a courtesy
            pass


def batches(fetch: Callable[[int, int], list[StoredRecord]], size: int) -> Iterator[StoredRecord]:
    """Records in sequence order, ``fetch(after, size)`` at a time after the last sequence seen.

    Each batch is its own short read, so a long replay holds no lock and no
    snapshot, and sees records appended while it runs.
    """
    after = 0
    while True:
        found = fetch(after, size)
        yield from found
        if len(found) < size:
            return
        after = found[-1].sequence


class RecordReads:
    """``get``, ``iter``, ``query`` and ``latest_proposals``: the same SQL on both backends.

    A backend names its placeholder (``?`` or ``%s``) and its SELECT, and says how
    it reads rows, opens a read snapshot, turns a row into a record and a filter
    into a WHERE clause.
    """

    MARK: ClassVar[str]
    SELECT: ClassVar[str]
    TITLE: ClassVar[str]  # the SQL expression of the stored input's project title
    batch_size: int

    @staticmethod
    def _timestamp(value: Any) -> str:
        """``recorded_at`` as read from a row, in the records' text form."""
        return str(value)

    def _read(self, doing: str, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _record(self, row: tuple[Any, ...]) -> StoredRecord:
        raise NotImplementedError

    def _where(self, filters: DecisionFilter | None) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _snapshot(self, doing: str) -> AbstractContextManager[Any]:
        """A read transaction whose statements all see the same records; yields its connection."""
        raise NotImplementedError

    def query(
        self,
        filters: DecisionFilter | None = None,
        *,
        page: int = 1,
        page_size: int = 50,
        newest_first: bool = False,
    ) -> Page:
        check_paging(page, page_size)
        where, params = self._where(filters)
        order = "DESC" if newest_first else "ASC"
        # One snapshot: the count and the page see the same records.
        with self._snapshot("query") as connection:
            count = connection.execute(f"SELECT count(*) FROM {TABLE}{where}", params).fetchone()
            rows = connection.execute(
                f"{self.SELECT}{where} ORDER BY sequence {order} LIMIT {self.MARK} OFFSET {self.MARK}",
                [*params, page_size, (page - 1) * page_size],
            ).fetchall()
        total = int(count[0]) if count else 0
        return Page(tuple(self._record(row) for row in rows), total, page, page_size)

    def get(self, decision_id: str) -> StoredRecord | None:
        rows = self._read("read", f"{self.SELECT} WHERE decision_id = {self.MARK}", [decision_id])
        return self._record(rows[0]) if rows else None

    def iter(self, filters: DecisionFilter | None = None) -> Iterator[StoredRecord]:
        where, params = self._where(filters)
        joiner = " AND " if where else " WHERE "
        sql = f"{self.SELECT}{where}{joiner}sequence > {self.MARK} ORDER BY sequence LIMIT {self.MARK}"

        def fetch(after: int, size: int) -> list[StoredRecord]:
            return [self._record(row) for row in self._read("read", sql, [*params, after, size])]

        return batches(fetch, self.batch_size)

    def latest_proposals(
        self, agency_name: str, province: str, system_id: str, fiscal_year: int
    ) -> list[ProposalSeen]:
        # Chosen in SQL, reading only the columns R-AUTH-9 needs: a draft saved on every edit
        # makes the matching records many, and reading and parsing each one's input and
        # verdict made every pre-check slower than the one before (bench/scaling.py, issue 8).
        where, params = self._where(history_filter(agency_name, province, system_id, fiscal_year))
        sql = (
            f"SELECT sequence, decision_id, recorded_at, title, budget_thb, outcome FROM ("
            f"SELECT sequence, decision_id, recorded_at, {self.TITLE} AS title, budget_thb, outcome, "
            f"ROW_NUMBER() OVER (PARTITION BY {self.TITLE} ORDER BY sequence DESC) AS newest "
            f"FROM {TABLE}{where}) AS proposals WHERE newest = 1 ORDER BY sequence"
        )
        return [
            ProposalSeen(
                sequence=int(sequence),
                decision_id=str(decision_id),
                recorded_at=self._timestamp(recorded_at),
                project_title=None if title is None else str(title),
                budget_thb=None if budget is None else Decimal(str(budget)),
                outcome=str(outcome),
            )
            for sequence, decision_id, recorded_at, title, budget, outcome in self._read("read", sql, params)
        ]


class ChainWrites:
    """Appending a batch of records to the chain: the same statements on both backends.

    A backend names its placeholder, the clause that locks the chain head
    for the transaction (PostgreSQL's ``FOR UPDATE``; SQLite's ``BEGIN
    IMMEDIATE`` already holds the write lock) and its INSERT. Each record is
    sealed to the head left by the one before it, so a batch extends the
    chain exactly as the same appends one at a time would.
    """

    MARK: ClassVar[str]
    HEAD_LOCK: ClassVar[str]
    INSERT: ClassVar[str]
    mask: Mask

    @property
    def description(self) -> str:
        raise NotImplementedError

    def _extend(self, connection: Any, records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        head = connection.execute(
            f"SELECT last_sequence, last_hash FROM {HEAD} WHERE id = 1{self.HEAD_LOCK}"
        ).fetchone()
        if head is None:
            raise DecisionLogUnavailable(
                f"the decision log ({self.description}) has lost its chain head: "
                "nothing can be appended until it has been verified and repaired"
            )
        sequence, last_hash = head
        stored: list[StoredRecord] = []
        for record in records:
            record = masked(record, self.mask)
            taken = connection.execute(
                f"SELECT sequence FROM {TABLE} WHERE decision_id = {self.MARK}", [record.decision_id]
            ).fetchone()
            if taken is not None:
                raise DuplicateDecision(f"decision {record.decision_id} is already record {taken[0]}")
            sealed = seal(record, sequence + 1, last_hash)
            connection.execute(self.INSERT, record_columns(sealed))
            connection.execute(
                f"UPDATE {HEAD} SET last_sequence = {self.MARK}, last_hash = {self.MARK} WHERE id = 1",
                [sealed.sequence, sealed.hash],
            )
            sequence, last_hash = sealed.sequence, sealed.hash
            stored.append(sealed)
        return stored


class SqlDecisionLog(RecordReads, ChainWrites, Generic[Connection]):
    """What the SQLite and PostgreSQL logs share beyond their SQL.

    Appends are group-committed (``GroupCommit``), each thread has its own
    connection (``ThreadConnections``), a row becomes a record through the
    backend's ``_convert``, and failures become ``DecisionLogUnavailable``
    naming the log. A backend supplies ``_connect``, ``_close_connection``,
    ``_ensure_schema``, ``_write_batch``, ``_read``, ``_snapshot``, ``verify``
    and ``_convert``, and calls ``_open`` at the end of its ``__init__``.
    """

    def __init__(self, mask: Mask | None, timeout: float) -> None:
        self.mask = mask or Mask()
        self.timeout = timeout
        self.batch_size = BATCH  # records per read of iter()
        self._appends = GroupCommit(self._write_batch)
        self._connections: ThreadConnections[Connection] = ThreadConnections(
            self._connect, self._close_connection
        )

    def _open(self) -> None:
        try:
            self._ensure_schema()
        except BaseException:
            self.close()
            raise

    # -- what each backend supplies ------------------------------------------------------------

    def _connect(self) -> Connection:
        raise NotImplementedError

    @staticmethod
    def _close_connection(connection: Connection) -> None:
        raise NotImplementedError

    def _ensure_schema(self) -> None:
        raise NotImplementedError

    def _write_batch(self, records: Sequence[DecisionRecord]) -> list[StoredRecord]:
        raise NotImplementedError

    @staticmethod
    def _convert(values: Mapping[str, Any]) -> StoredRecord:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------

    def _record(self, row: tuple[Any, ...]) -> StoredRecord:
        return self._convert(dict(zip(COLUMNS, row, strict=True)))

    def _entry(self, row: tuple[Any, ...]) -> ChainEntry:
        return entry_from_row(dict(zip(COLUMNS, row, strict=True)), self._convert)

    def _unavailable(self, doing: str, error: BaseException) -> DecisionLogUnavailable:
        text = str(error).strip()
        reason = text.splitlines()[0] if text else type(error).__name__
        return DecisionLogUnavailable(f"the decision log ({self.description}) could not {doing}: {reason}")

    def append(self, record: DecisionRecord) -> StoredRecord:
        return self._appends.append(record)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._connections.close()
