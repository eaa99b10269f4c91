"""What the SQLite and PostgreSQL backends share: columns, rows to records, one connection per thread.

Beside the records (``TABLE``) and the chain head (``HEAD``), every log has:

- ``ANCHOR``: the HMAC of each record under the anchor key (``anchoring``), when one is set;
- ``ARCHIVES``: one row per ``ictgate log archive`` run (``archive``); records up to the
  last run's end may be deleted, and only those;
- ``LATEST``: the latest pre-check of each project title per agency, province, system and
  fiscal year, kept in the transaction of each append, so that R-AUTH-9's history is read
  in time that does not grow with the log (4,070 drafts of one system made a pre-check
  take 78 ms, 67 ms of it in the history query);
- ``READINESS``: one row ``/readyz`` writes to show that the log takes a write.

A log made before these tables existed gets them the next time it is opened (the
history summary filled from the records already there); it keeps working unanchored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Generic, Self, TypeVar

from ictgate.audit.decisionlog.anchoring import (
    Anchor,
    AnchorKey,
    ArchiveMark,
    ExpectedHead,
    anchor_problems,
    archive_problems,
    expected_head_problems,
)
from ictgate.audit.decisionlog.archive import ArchiveRefused, write_archive
from ictgate.audit.decisionlog.base import DuplicateDecision
from ictgate.audit.decisionlog.build import build_record, utc_timestamp
from ictgate.audit.decisionlog.chain import seal
from ictgate.audit.decisionlog.filters import DecisionFilter, Page, check_paging
from ictgate.audit.decisionlog.group_commit import GroupCommit
from ictgate.audit.decisionlog.record import DecisionRecord, ProposalSeen, RuleOutcome, StoredRecord
from ictgate.audit.decisionlog.verify import ChainEntry, ChainHead, VerifyReport, verify_chain
from ictgate.core.errors import DecisionLogUnavailable
from ictgate.core.masking import Mask

__all__ = [
    "ANCHOR",
    "ARCHIVES",
    "BATCH",
    "COLUMNS",
    "ChainSnapshot",
    "ChainWrites",
    "HEAD",
    "LATEST",
    "LATEST_COLUMNS",
    "NO_SYSTEM",
    "READINESS",
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
ANCHOR = "ictgate_decisions_anchor"
ARCHIVES = "ictgate_decisions_archives"
LATEST = "ictgate_decisions_latest"
# LATEST's system_id for a proposal that names no system (a key column cannot be NULL).
NO_SYSTEM = ""
READINESS = "ictgate_readiness"
BATCH = 256

LATEST_KEY = ("agency_name", "province", "system_id", "fiscal_year", "title_key")
LATEST_COLUMNS = (*LATEST_KEY, "title", "sequence", "decision_id", "recorded_at", "budget_thb", "outcome")
ARCHIVE_COLUMNS = (
    "from_sequence",
    "through_sequence",
    "prev_hash",
    "through_hash",
    "digest",
    "archived_at",
    "key_id",
    "mac",
)

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
    "resolves",
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


def title_key(title: str | None) -> str:
    """The key of a title in ``LATEST``: "t" and the title, or "n" for none (no NUL in PostgreSQL text)."""
    return "n" if title is None else "t" + title


def latest_row(record: StoredRecord) -> list[Any] | None:
    """The ``LATEST_COLUMNS`` of a pre-check R-AUTH-9 may count later, or None for any other record."""
    if (
        record.kind != "precheck"
        or record.agency_name is None
        or record.province is None
        or record.fiscal_year is None
    ):
        return None
    submission = record.input.get("submission")
    project = submission.get("project") if isinstance(submission, dict) else None
    title = project.get("title") if isinstance(project, dict) else None
    title = title if isinstance(title, str) else None
    return [
        record.agency_name,
        record.province,
        NO_SYSTEM if record.system_id is None else record.system_id,
        record.fiscal_year,
        title_key(title),
        title,
        record.sequence,
        record.decision_id,
        record.recorded_at,
        None if record.budget_thb is None else format(record.budget_thb, "f"),
        record.outcome,
    ]


@dataclass(frozen=True)
class ChainSnapshot:
    """Everything ``verify`` reads, from one consistent read of the log."""

    head: ChainHead | None
    entries: list[ChainEntry]
    anchors: list[Anchor]
    archives: list[ArchiveMark]


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

    def resolutions(self, decision_id: str) -> list[StoredRecord]:
        """The resolutions recorded on the pre-check ``decision_id``, in the order they were logged."""
        rows = self._read(
            "read",
            f"{self.SELECT} WHERE resolves = {self.MARK} AND kind = 'resolution' ORDER BY sequence",
            [decision_id],
        )
        return [self._record(row) for row in rows]

    def latest_proposals(
        self, agency_name: str, province: str, system_id: str | None = None, fiscal_year: int | None = None
    ) -> list[ProposalSeen]:
        # One row per title, from the summary kept with each append (LATEST): the cost is that of
        # the distinct titles, however many drafts of them the log holds (bench/scaling.py).
        if system_id is None and fiscal_year is None:
            raise ValueError("latest_proposals needs a system_id, a fiscal_year or both")
        m = self.MARK
        where = [f"agency_name = {m}", f"province = {m}"]
        values: list[Any] = [agency_name, province]
        if system_id is not None:
            where.append(f"system_id = {m}")
            values.append(system_id)
        if fiscal_year is not None:
            where.append(f"fiscal_year = {m}")
            values.append(fiscal_year)
        sql = (
            "SELECT sequence, decision_id, recorded_at, title, budget_thb, outcome, system_id, fiscal_year "
            f"FROM {LATEST} WHERE {' AND '.join(where)} ORDER BY sequence"
        )
        rows = self._read("read", sql, values)
        return [
            ProposalSeen(
                sequence=int(sequence),
                decision_id=str(decision_id),
                recorded_at=str(recorded_at),
                project_title=None if title is None else str(title),
                budget_thb=None if budget is None else Decimal(str(budget)),
                outcome=str(outcome),
                system_id=None if system == NO_SYSTEM else str(system),
                fiscal_year=int(year),
            )
            for sequence, decision_id, recorded_at, title, budget, outcome, system, year in rows
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
    anchor: AnchorKey | None

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
            self._beside(connection, sealed)
            connection.execute(
                f"UPDATE {HEAD} SET last_sequence = {self.MARK}, last_hash = {self.MARK} WHERE id = 1",
                [sealed.sequence, sealed.hash],
            )
            sequence, last_hash = sealed.sequence, sealed.hash
            stored.append(sealed)
        return stored

    def _beside(self, connection: Any, record: StoredRecord) -> None:
        """What each append writes beside its record, in its transaction: the anchor, the history summary."""
        m = self.MARK
        if self.anchor is not None:
            connection.execute(
                f"INSERT INTO {ANCHOR} (sequence, hash, key_id, mac) VALUES ({m}, {m}, {m}, {m})",
                [
                    record.sequence,
                    record.hash,
                    self.anchor.key_id,
                    self.anchor.record_mac(record.sequence, record.hash),
                ],
            )
        values = latest_row(record)
        if values is not None:
            updates = ", ".join(f"{name} = excluded.{name}" for name in LATEST_COLUMNS[len(LATEST_KEY) :])
            connection.execute(
                f"INSERT INTO {LATEST} ({', '.join(LATEST_COLUMNS)}) "
                f"VALUES ({', '.join([m] * len(LATEST_COLUMNS))}) "
                f"ON CONFLICT ({', '.join(LATEST_KEY)}) DO UPDATE SET {updates}",
                values,
            )


class SqlDecisionLog(RecordReads, ChainWrites, Generic[Connection]):
    """What the SQLite and PostgreSQL logs share beyond their SQL.

    Appends are group-committed (``GroupCommit``), each thread has its own
    connection (``ThreadConnections``), a row becomes a record through the
    backend's ``_convert``, and failures become ``DecisionLogUnavailable``
    naming the log. A backend supplies ``_connect``, ``_close_connection``,
    ``_ensure_schema``, ``_write_batch``, ``_read``, ``_snapshot``, ``verify``
    and ``_convert``, and calls ``_open`` at the end of its ``__init__``.
    """

    def __init__(self, mask: Mask | None, timeout: float, anchor: AnchorKey | None = None) -> None:
        self.mask = mask or Mask()
        self.timeout = timeout
        self.anchor = anchor
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

    def _read_chain(self) -> ChainSnapshot:
        """Head, records, anchors and archive runs, in one read snapshot."""
        raise NotImplementedError

    def check_writable(self) -> None:
        """Commits a write to the log's one-row readiness table, or raises DecisionLogUnavailable."""
        raise NotImplementedError

    def _archive_transaction(self) -> AbstractContextManager[Any]:
        """A write transaction holding the chain head (no append in between); yields its connection."""
        raise NotImplementedError

    def _first_on_or_after(self, connection: Any, day: dt.date) -> int | None:
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

    def head(self) -> ChainHead:
        rows = self._read("read the chain head", f"SELECT last_sequence, last_hash FROM {HEAD} WHERE id = 1")
        if not rows:
            raise DecisionLogUnavailable(f"the decision log ({self.description}) has lost its chain head")
        return ChainHead(int(rows[0][0]), str(rows[0][1]))

    def published_head(self) -> dict[str, Any]:
        """The chain head as reports print it: ``expect_head`` for ``ictgate log verify --expect-head``,
        signed with the anchor key when there is one."""
        head = self.head()
        published_at = utc_timestamp()
        signed = {
            "sequence": head.sequence,
            "hash": head.hash,
            "expect_head": f"{head.sequence}:{head.hash}",
            "published_at": published_at,
            "key_id": None,
            "mac": None,
        }
        if self.anchor is not None:
            signed["key_id"] = self.anchor.key_id
            signed["mac"] = self.anchor.mac("ictgate-anchor-v1/head", head.sequence, head.hash, published_at)
        return signed

    def verify(self, expected: Sequence[ExpectedHead] = ()) -> VerifyReport:
        """Walks the whole chain in one consistent snapshot and reports every problem.

        Beyond the walk: the anchors (with the anchor key), the archive runs, and
        every head published outside the log (``expected``: checkpoints, --expect-head).
        """
        snapshot = self._read_chain()
        marks = sorted(snapshot.archives, key=lambda mark: mark.through_sequence)
        start = ChainHead(marks[-1].through_sequence, marks[-1].through_hash) if marks else None
        report = verify_chain(snapshot.entries, snapshot.head, start)
        anchored, summary = anchor_problems(snapshot.entries, snapshot.anchors, self.anchor)
        summary["archive_runs"] = len(marks)
        summary["published_heads_checked"] = len(expected)
        archived = {mark.through_sequence: mark.through_hash for mark in marks}
        return report.with_problems(
            [
                *anchored,
                *archive_problems(marks, self.anchor),
                *expected_head_problems(snapshot.entries, expected, report.start, archived),
            ],
            anchoring=summary,
        )

    def archive_marks(self) -> list[ArchiveMark]:
        return sorted(self._read_chain().archives, key=lambda mark: mark.through_sequence)

    def archive(self, before: dt.date, destination: Path) -> ArchiveMark | None:
        """Moves the records logged before ``before`` (UTC) to the file ``destination``; None if none.

        Refused (``ArchiveRefused``) unless the log verifies. The records are written
        to the file (with their hashes and anchors) and it is on disk before any is
        deleted; then one transaction notes the run (its range, end hash and the
        file's sha256, signed with the anchor key) and deletes the records and
        their anchors. What remains starts at the run's end, so ``verify`` still
        walks it; ``verify --archive FILE`` checks the file against the run.
        """
        report = self.verify()
        if not report.ok:
            raise ArchiveRefused(
                f"the log does not verify ({len(report.problems)} problem(s), first: "
                f"{report.problems[0].message}); nothing was archived: keep it as evidence"
            )
        start = report.start
        with self._snapshot("find the records to archive") as connection:
            first_kept = self._first_on_or_after(connection, before)
        through = (
            (report.head.sequence if report.head else start.sequence)
            if first_kept is None
            else first_kept - 1
        )
        if through <= start.sequence:
            return None
        anchors = {
            a.sequence: a for a in self._read_chain().anchors if start.sequence < a.sequence <= through
        }
        records = itertools.takewhile(lambda record: record.sequence <= through, self.iter())
        written = write_archive(destination, records, anchors, start, through, self.description, before)
        mark = ArchiveMark(
            start.sequence + 1,
            through,
            start.hash,
            written.through_hash,
            written.digest,
            utc_timestamp(),
            None if self.anchor is None else self.anchor.key_id,
            None,
        )
        if self.anchor is not None:
            mark = dataclasses.replace(
                mark, mac=self.anchor.mac("ictgate-anchor-v1/archive", *mark.signed_parts())
            )
        m = self.MARK
        with self._archive_transaction() as connection:
            connection.execute(
                f"INSERT INTO {ARCHIVES} ({', '.join(ARCHIVE_COLUMNS)}) "
                f"VALUES ({', '.join([m] * len(ARCHIVE_COLUMNS))})",
                list(dataclass_values(mark)),
            )
            connection.execute(f"DELETE FROM {ANCHOR} WHERE sequence <= {m}", [through])
            connection.execute(f"DELETE FROM {TABLE} WHERE sequence <= {m}", [through])
        return mark

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._connections.close()


def dataclass_values(mark: ArchiveMark) -> tuple[Any, ...]:
    return tuple(getattr(mark, name) for name in ARCHIVE_COLUMNS)
